package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A SequentialLR whose last phase is metric-driven, e.g. a warm-up then a plateau:
 * {@code SequentialLR(schedulers=[LinearLR(start_factor=0.01, total_iters=5), ReduceLROnPlateau(patience=2)],
 * milestones=[5])}. PyTorch refuses it (pytorch#68978: its SequentialLR would pass a step count to the plateau as
 * the metric); users write it by hand as {@code warmup.step() if epoch < 5 else plateau.step(val_loss)}, and this is
 * that loop in one object:
 * <ul>
 * <li>steps 1 to the last milestone {@code m} are the time-based phases (a SequentialLR of them, so they restart at
 *     their own milestones as usual); a metric given then is not used;</li>
 * <li>from step {@code m + 1} on every step feeds the metric to the last phase, which acts on the lr the earlier
 *     phases reached at step {@code m} (a plateau reduces the group's current lr, as PyTorch's does).</li>
 * </ul>
 * One saved state holds both parts, so a run resumes exactly mid-warm-up and mid-plateau. {@link #lrAt} is defined up
 * to the milestone; after it the lr depends on metrics not yet seen.
 */
final class SequentialToMetric implements Scheduler {
    private final ParamGroups groups;
    private final LrScheduler head;
    private final Scheduler tail;
    private final List<Scheduler> phases;
    private final long[] milestones;
    private final long switchAt;
    private long steps;

    private SequentialToMetric(ParamGroups groups, LrScheduler head, Scheduler tail, List<Scheduler> phases, long[] milestones) {
        this.groups = groups;
        this.head = head;
        this.tail = tail;
        this.phases = List.copyOf(phases);
        this.milestones = milestones.clone();
        this.switchAt = milestones[milestones.length - 1];
    }

    /** {@code schedulers}: time-based phases, then one metric-driven scheduler; one milestone fewer. */
    static SequentialToMetric build(ParamGroups groups, List<Scheduler> schedulers, long[] milestones) {
        List<LrScheduler> timed = new ArrayList<>();
        for (int i = 0; i < schedulers.size() - 1; i++) {
            if (!(schedulers.get(i) instanceof LrScheduler)) {
                throw new IllegalArgumentException("schedulers[" + i + "] (" + schedulers.get(i).name() + ") is driven by a"
                        + " metric: only the last phase of SequentialLR may be (the lr after it depends on metrics, so no"
                        + " later phase could start from a known step)");
            }
            timed.add((LrScheduler) schedulers.get(i));
        }
        if (timed.isEmpty()) {
            throw new IllegalArgumentException("schedulers must start with a time-based phase before "
                    + schedulers.get(0).name() + " (a metric-driven scheduler alone needs no SequentialLR)");
        }
        long[] headMilestones = java.util.Arrays.copyOf(milestones, milestones.length - 1);
        // Resets the groups to their initial lrs and applies the first phase's step 0, as SequentialLR always does.
        LrScheduler head = Schedulers.sequentialLR(groups, timed, headMilestones);
        return new SequentialToMetric(groups, head, schedulers.get(schedulers.size() - 1), schedulers, milestones);
    }

    @Override
    public ParamGroups groups() {
        return groups;
    }

    @Override
    public String name() {
        return "SequentialLR";
    }

    @Override
    public double lastLr(int group) {
        return groups.lr(group);
    }

    @Override
    public void step(OptionalDouble metric) {
        if (steps < switchAt) {
            head.step();
        } else {
            tail.step(metric);
        }
        steps++;
    }

    @Override
    public boolean drivenByMetric() {
        return true;
    }

    @Override
    public double lrAt(long step, int group) {
        if (step > switchAt) {
            throw new IllegalStateException("SequentialLR's " + tail.name() + " phase (from step " + switchAt + ") has no lr"
                    + " at step " + step + " without the metrics that lead there: step it with them instead");
        }
        return head.lrAt(step, group);
    }

    @Override
    public boolean changesMomentum() {
        return head.changesMomentum();
    }

    @Override
    public double momentumAt(long step, int group) {
        return head.momentumAt(Math.min(step, switchAt), group);
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "SequentialLR");
        List<Object> specs = new ArrayList<>();
        phases.forEach(p -> specs.add(p.spec()));
        out.put("schedulers", specs);
        List<Object> ms = new ArrayList<>();
        for (long m : milestones) {
            ms.add(m);
        }
        out.put("milestones", ms);
        return out;
    }

    @Override
    public SchedulerState state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "SequentialLR");
        out.put("version", SchedulerState.VERSION);
        out.put("last_epoch", steps);
        out.put("milestones", SchedulerState.numbers(toDoubles(milestones)));
        out.put("_time_based", head.state().toMap());
        out.put("_metric_driven", tail.state().toMap());
        out.put("_last_lr", SchedulerState.numbers(lastLrs()));
        return SchedulerState.of(out);
    }

    /**
     * Checks and loads both parts; if either refuses its state, both are put back, the part that acted last written
     * last, and the groups' lrs and momenta are put back bit for bit: a refused state changes nothing.
     */
    @Override
    public void loadState(SchedulerState state) {
        StateReader in = StateReader.of("SequentialLR", state);
        in.expectSameList("milestones", toDoubles(milestones));
        long savedSteps = in.integer("last_epoch", 0);
        in.numbers("_last_lr", groups.size(), true);
        SchedulerState headState = SchedulerState.of(map(in, "_time_based"));
        SchedulerState tailState = SchedulerState.of(map(in, "_metric_driven"));
        SchedulerState headBefore = head.state();
        SchedulerState tailBefore = tail.state();
        double[] lrBefore = new double[groups.size()];
        double[] momentumBefore = new double[groups.size()];
        boolean momentum = groups.momentumKind() != io.github.lr4j.groups.MomentumKind.NONE;
        for (int g = 0; g < lrBefore.length; g++) {
            lrBefore[g] = groups.lr(g);
            momentumBefore[g] = momentum ? groups.momentum(g) : Double.NaN;
        }
        try {
            head.loadState(headState);
            tail.loadState(tailState);
        } catch (RuntimeException e) {
            // Each part writes its own last lrs when loaded: the one that acts now goes last (as below), and then the
            // groups get exactly what they held.
            if (steps <= switchAt) {
                tail.loadState(tailBefore);
                head.loadState(headBefore);
            } else {
                head.loadState(headBefore);
                tail.loadState(tailBefore);
            }
            for (int g = 0; g < lrBefore.length; g++) {
                groups.setLr(g, lrBefore[g]);
                if (momentum) {
                    groups.setMomentum(g, momentumBefore[g]);
                }
            }
            throw e;
        }
        // The part that acts now writes the lrs last: the plateau's saved lrs after the switch.
        (savedSteps <= switchAt ? head : tail).loadState(savedSteps <= switchAt ? headState : tailState);
        steps = savedSteps;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(StateReader in, String key) {
        Object v = in.raw(key);
        if (!(v instanceof Map)) {
            throw in.bad(key, "a state map", v);
        }
        return (Map<String, ?>) v;
    }

    private static double[] toDoubles(long[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
