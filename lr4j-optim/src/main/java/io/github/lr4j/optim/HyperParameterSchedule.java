package io.github.lr4j.optim;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Any scheduler driving another hyper-parameter than the lr: weight decay, Adam's {@code beta2} or {@code eps},
 * momentum or {@code beta1} on their own, RMSprop's {@code alpha}, ... with the same schedule language, values and
 * saved state. The schedule sees the hyper-parameter as if it were the lr: each group's value when the schedule is
 * built is its base, so {@code CosineAnnealingLR(T_max=total_steps, eta_min=0.01)} on {@code weight_decay} anneals
 * every group's weight decay from its own value down to 0.01.
 *
 * <p>The schedule runs on its own copy of the values; after each step every new value is checked against the
 * hyper-parameter's range (weight decay and eps {@code >= 0}, {@code beta2} in {@code [0, 1)}, momentum in
 * {@code [0, 1]}, ...) before any is written, so a step that would leave the range fails naming the group, the
 * step and the value, and changes nothing. A momentum (or beta1) schedule on an optimizer whose momentum an lr
 * schedule already cycles (OneCycleLR, CyclicLR) is refused: use {@link #conflictWith} before attaching both.
 */
public final class HyperParameterSchedule implements Scheduler {
    private final Optimizer optimizer;
    private final String name;
    private final int index;
    private final ParamGroups values;
    private final Scheduler schedule;
    private long steps;

    private HyperParameterSchedule(Optimizer optimizer, String name, ParamGroups values, Scheduler schedule) {
        this.optimizer = optimizer;
        this.name = name;
        this.index = optimizer.options.index(name);
        this.values = values;
        this.schedule = schedule;
        write(0, currentValues());
    }

    /**
     * {@code spec} (the schedule language, with {@code variables} such as {@code total_steps}) driving hyper-parameter
     * {@code name} of every group of {@code optimizer}.
     *
     * @throws IllegalArgumentException for a name the optimizer does not have (the message lists the ones it has),
     *     {@code lr} (schedule it directly), or a spec the language refuses
     */
    public static HyperParameterSchedule of(Optimizer optimizer, String name, String spec, Map<String, ?> variables) {
        if (name.equals("lr")) {
            throw new IllegalArgumentException("the lr is scheduled by --scheduler (or ScheduleSpec.build on the optimizer);"
                    + " schedule another hyper-parameter here, e.g. weight_decay");
        }
        int i = optimizer.options.index(name);
        if (optimizer.options.isState(i) || optimizer.options.isFlag(i)) {
            throw new IllegalArgumentException(name + " cannot be scheduled: it is " + (optimizer.options.isFlag(i)
                    ? "a True/False option" : optimizer.options.optimizer + "'s running state")
                    + "; schedulable: " + String.join(", ", schedulable(optimizer)));
        }
        double[] initial = new double[optimizer.size()];
        for (int g = 0; g < initial.length; g++) {
            initial[g] = optimizer.group(g).get(name);
        }
        ParamGroups values = ParamGroups.of(initial);
        Scheduler schedule = ScheduleSpec.build(spec, values, variables);
        if (schedule.drivenByMetric()) {
            throw new IllegalArgumentException(schedule.name() + " is driven by a metric: schedule " + name + " by time");
        }
        return new HyperParameterSchedule(optimizer, name, values, schedule);
    }

    /** The optimizer's hyper-parameters a schedule may drive (not the lr, flags or running state). */
    public static List<String> schedulable(Optimizer optimizer) {
        return optimizer.options.hyperParameters().stream().filter(n -> !n.equals("lr"))
                .filter(n -> !optimizer.options.isFlag(optimizer.options.index(n))).toList();
    }

    /**
     * A clear message if this schedule and {@code lrScheduler} would both write the groups' momentum (or beta1), else
     * null: OneCycleLR and CyclicLR cycle it already.
     */
    public String conflictWith(Scheduler lrScheduler) {
        boolean momentum = name.equals("momentum") || name.equals("beta1");
        if (momentum && lrScheduler != null && lrScheduler.changesMomentum()) {
            return "a " + name + " schedule cannot drive " + optimizer.options.optimizer + "'s " + name + ": "
                    + lrScheduler.name() + " already cycles it (give it cycle_momentum=False, or drop the " + name + " schedule)";
        }
        return null;
    }

    private double[] currentValues() {
        double[] v = new double[values.size()];
        for (int g = 0; g < v.length; g++) {
            v[g] = values.lr(g);
        }
        return v;
    }

    /** Checks every group's value against the hyper-parameter's range, then writes them all. */
    private void write(long step, double[] v) {
        for (int g = 0; g < v.length; g++) {
            try {
                optimizer.options.check(index, v[g]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the " + name + " schedule " + schedule + " would set group " + g + "'s "
                        + name + " to " + v[g] + " at step " + step + ": " + e.getMessage() + "; nothing was changed");
            }
        }
        for (int g = 0; g < v.length; g++) {
            optimizer.group(g).set(name, v[g]);
        }
    }

    /** The hyper-parameter this schedule drives. */
    public String hyperParameter() {
        return name;
    }

    /** The optimizer whose {@link #hyperParameter()} this drives (its lr is not touched). */
    @Override
    public ParamGroups groups() {
        return optimizer;
    }

    @Override
    public String name() {
        return schedule.name();
    }

    /** The value this schedule last gave {@code group}'s hyper-parameter (named lr by the interface). */
    @Override
    public double lastLr(int group) {
        return schedule.lastLr(group);
    }

    @Override
    public void step(OptionalDouble metric) {
        SchedulerState before = schedule.state();
        schedule.step(metric);
        try {
            write(steps + 1, currentValues());
        } catch (IllegalStateException e) {
            schedule.loadState(before);
            throw e;
        }
        steps++;
    }

    @Override
    public double lrAt(long step, int group) {
        return schedule.lrAt(step, group);
    }

    @Override
    public double momentumAt(long step, int group) {
        throw new IllegalStateException("a " + name + " schedule does not change momentum");
    }

    @Override
    public Map<String, Object> spec() {
        return schedule.spec();
    }

    @Override
    public SchedulerState state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "HyperParameterSchedule");
        out.put("version", SchedulerState.VERSION);
        out.put("hyper_parameter", name);
        out.put("last_epoch", steps);
        out.put("schedule", schedule.state().toMap());
        return SchedulerState.of(out);
    }

    @Override
    public void loadState(SchedulerState state) {
        if (!"HyperParameterSchedule".equals(state.type())) {
            throw new IllegalArgumentException("cannot restore a " + name + " schedule from the state of a " + state.type());
        }
        Map<String, Object> m = state.asMap();
        if (!name.equals(m.get("hyper_parameter"))) {
            throw new IllegalArgumentException("cannot restore a " + name + " schedule from the state of a "
                    + m.get("hyper_parameter") + " schedule");
        }
        Object saved = m.get("schedule");
        Object last = m.get("last_epoch");
        if (!(saved instanceof Map) || !(last instanceof Number) || ((Number) last).longValue() < 0) {
            throw new IllegalArgumentException("cannot restore a " + name + " schedule: \"schedule\" must be a state map and"
                    + " \"last_epoch\" an integer >= 0, got " + saved + ", " + last);
        }
        SchedulerState before = schedule.state();
        @SuppressWarnings("unchecked")
        Map<String, ?> inner = (Map<String, ?>) saved;
        schedule.loadState(SchedulerState.of(inner));
        try {
            write(((Number) last).longValue(), currentValues());
        } catch (IllegalStateException e) {
            schedule.loadState(before);
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        steps = ((Number) last).longValue();
    }

    @Override
    public String toString() {
        return name + ": " + schedule;
    }
}
