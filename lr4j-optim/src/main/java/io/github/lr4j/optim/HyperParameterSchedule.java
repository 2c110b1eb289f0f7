package io.github.lr4j.optim;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.scheduler.Schedulers;
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
    private final HyperParameters target;
    private final String name;
    private final ParamGroups values;
    private final Scheduler schedule;
    private long steps;
    /** The values a step is about to write (reused: a step allocates nothing). */
    private final double[] next;
    private final Runnable writeNext = () -> write(steps + 1, currentValues());

    private HyperParameterSchedule(HyperParameters target, String name, ParamGroups values, Scheduler schedule, long steps) {
        this.target = target;
        this.name = name;
        this.values = values;
        this.schedule = schedule;
        this.steps = steps;
        this.next = new double[values.size()];
        write(steps, currentValues());
    }

    /**
     * This schedule with a new horizon from its current step on, as {@link Schedulers#retarget} gives an lr schedule:
     * the values taken stay, the rest is stretched from {@code oldTotalSteps} to {@code newTotalSteps}, no jump.
     */
    @Override
    public HyperParameterSchedule retarget(long oldTotalSteps, long newTotalSteps) {
        return new HyperParameterSchedule(target, name, values, schedule.retarget(oldTotalSteps, newTotalSteps), steps);
    }

    /**
     * Restores a retargeted schedule's {@code saved} state into this one, built as the original run built it (not
     * stepped); see {@link Schedulers#restoreRetargeted}. Checks everything before it writes any value.
     */
    @Override
    public HyperParameterSchedule restoreRetargeted(SchedulerState saved) {
        Map<String, Object> m = checkedState(saved);
        @SuppressWarnings("unchecked")
        Map<String, ?> inner = (Map<String, ?>) m.get("schedule");
        Scheduler retargeted = schedule.restoreRetargeted(SchedulerState.of(inner));
        try {
            return new HyperParameterSchedule(target, name, values, retargeted, ((Number) m.get("last_epoch")).longValue());
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * {@code spec} (the schedule language, with {@code variables} such as {@code total_steps}) driving hyper-parameter
     * {@code name} of every group of {@code optimizer}.
     *
     * @throws IllegalArgumentException for a name the optimizer does not have (the message lists the ones it has),
     *     {@code lr} (schedule it directly), or a spec the language refuses
     */
    public static HyperParameterSchedule of(Optimizer optimizer, String name, String spec, Map<String, ?> variables) {
        return of(HyperParameters.of(optimizer), name, spec, variables);
    }

    /** {@code spec} driving hyper-parameter {@code name} of every group of {@code target} (e.g. an lr4j-djl optimizer). */
    public static HyperParameterSchedule of(HyperParameters target, String name, String spec, Map<String, ?> variables) {
        if (name.equals("lr")) {
            throw new IllegalArgumentException("the lr is scheduled by --scheduler (or ScheduleSpec.build on the optimizer);"
                    + " schedule another hyper-parameter here, e.g. weight_decay");
        }
        target.requireSchedulable(name);
        double[] initial = new double[target.groups().size()];
        for (int g = 0; g < initial.length; g++) {
            initial[g] = target.get(g, name);
        }
        ParamGroups values = ParamGroups.of(initial);
        Scheduler schedule = ScheduleSpec.build(spec, values, variables);
        if (schedule.drivenByMetric()) {
            throw new IllegalArgumentException(schedule.name() + " is driven by a metric: schedule " + name + " by time");
        }
        return new HyperParameterSchedule(target, name, values, schedule, 0);
    }

    /** The optimizer's hyper-parameters a schedule may drive (not the lr, flags or running state). */
    public static List<String> schedulable(Optimizer optimizer) {
        return HyperParameters.of(optimizer).schedulable();
    }

    /**
     * A clear message if this schedule and {@code lrScheduler} would both write the groups' momentum (or beta1), else
     * null: OneCycleLR and CyclicLR cycle it already.
     */
    public String conflictWith(Scheduler lrScheduler) {
        boolean momentum = name.equals("momentum") || name.equals("beta1");
        if (momentum && lrScheduler != null && lrScheduler.changesMomentum()) {
            return "a " + name + " schedule cannot drive " + target.owner() + "'s " + name + ": "
                    + lrScheduler.name() + " already cycles it (give it cycle_momentum=False, or drop the " + name + " schedule)";
        }
        return null;
    }

    private double[] currentValues() {
        double[] v = next;
        for (int g = 0; g < v.length; g++) {
            v[g] = values.lr(g);
        }
        return v;
    }

    /** Checks every group's value against the hyper-parameter's range, then writes them all. */
    private void write(long step, double[] v) {
        for (int g = 0; g < v.length; g++) {
            try {
                target.check(name, v[g]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the " + name + " schedule " + schedule + " would set group " + g + "'s "
                        + name + " to " + v[g] + " at step " + step + ": " + e.getMessage() + "; nothing was changed");
            }
        }
        for (int g = 0; g < v.length; g++) {
            target.set(g, name, v[g]);
        }
    }

    /** The hyper-parameter this schedule drives (never the lr: an SWA scheduler taking over the lr leaves it running). */
    @Override
    public String hyperParameter() {
        return name;
    }

    /** The groups whose {@link #hyperParameter()} this drives (their lr is not touched). */
    @Override
    public ParamGroups groups() {
        return target.groups();
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
        try {
            Schedulers.stepChecked(schedule, metric, writeNext); // a value out of range puts the schedule back
        } catch (IllegalStateException e) {
            throw inOwnTerms(e);
        }
        steps++;
    }

    /**
     * A failure of the schedule itself (it runs on the values as if they were lrs, so it speaks of "lr") told in this
     * hyper-parameter's terms: which group, which value, which range.
     */
    private IllegalStateException inOwnTerms(IllegalStateException e) {
        String ours = "the " + name + " schedule";
        if (e.getMessage() != null && e.getMessage().startsWith(ours)) {
            return e;
        }
        for (int g = 0; g < values.size(); g++) {
            double v;
            try {
                v = schedule.lrAt(steps + 1, g);
            } catch (RuntimeException noRandomAccess) {
                break;
            }
            try {
                target.check(name, v);
            } catch (IllegalArgumentException range) {
                return new IllegalStateException(ours + " " + schedule + " would set group " + g + "'s " + name + " to " + v
                        + " at step " + (steps + 1) + ": " + range.getMessage() + "; nothing was changed");
            }
        }
        String why = e.getMessage() == null ? "" : e.getMessage().replace("'s lr to", "'s " + name + " to")
                .replace("a non-finite or negative lr", "a non-finite or negative value");
        return new IllegalStateException(ours + " " + schedule + " failed at step " + (steps + 1) + ": " + why);
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
        Map<String, Object> m = checkedState(state);
        Object saved = m.get("schedule");
        Object last = m.get("last_epoch");
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

    /** The state's map, with its type, hyper-parameter, inner schedule and step count checked. */
    private Map<String, Object> checkedState(SchedulerState state) {
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
        return m;
    }

    @Override
    public String toString() {
        return name + ": " + schedule;
    }
}
