package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A scheduler given a new horizon part way ("train longer": transformers#34053, #27749). The rule: the steps
 * already taken stay as they were, and the rest of the schedule, from the current step {@code s} to the old end
 * {@code T}, is stretched (or squeezed) to end at the new end {@code T'}: after {@code s} the lr at step {@code t} is
 * the old schedule's at {@code s + (t - s)(T - s)/(T' - s)}. So the lr does not jump at {@code s}, and the new run ends
 * where the old one would have (a cosine still reaches {@code eta_min}, a one-cycle its final lr, at {@code T'}).
 * Everything after {@code s} is stretched alike: a warm-up still in progress at {@code s} also takes proportionally
 * longer. A schedule that had already ended ({@code s >= T}) holds its last lr. Momentum (OneCycleLR, CyclicLR) is
 * stretched with the lr; inside a composite it follows the nearest step.
 *
 * <p>The old schedule is read as a value ({@link LrScheduler#schedule}), at fractional steps where stretched, so the
 * wrapped scheduler is not stepped any more. Its saved state holds the wrapped scheduler's state at {@code s} and the
 * three numbers: to restore, build the original scheduler as the original run did, {@link Schedulers#retarget wrap}
 * it with the same new total, and load the state.
 */
final class Retargeted implements Scheduler {
    static final String NAME = "Retargeted";

    private final LrScheduler inner;
    private final ParamGroups groups;
    private final int n;
    private final long from;
    private final long oldEnd;
    private final long newEnd;
    private final double[] lastLr;
    /** The wrapped scheduler's state at {@code from}, taken once: some states read the groups, which this one now writes. */
    private final SchedulerState innerState;
    /** The old schedule of each group, as a value: built once, read at fractional steps on every step. */
    private final Curve[] curves;
    private long steps;

    Retargeted(LrScheduler inner, long oldEnd, long newEnd) {
        this.inner = inner;
        this.groups = inner.groups();
        this.n = groups.size();
        this.from = inner.lastEpoch();
        if (oldEnd < 1) {
            throw new IllegalArgumentException("the old total steps must be >= 1, got " + oldEnd);
        }
        if (newEnd <= from) {
            throw new IllegalArgumentException("the new total steps must be more than the " + from + " steps already taken,"
                    + " got " + newEnd);
        }
        this.oldEnd = oldEnd;
        this.newEnd = newEnd;
        this.lastLr = inner.lastLrs();
        this.innerState = inner.state();
        this.curves = new Curve[n];
        for (int g = 0; g < n; g++) {
            curves[g] = inner.schedule(g);
        }
        this.steps = from;
    }

    /** Where step {@code t} of the new schedule reads the old one. */
    double oldStep(long t) {
        if (t <= from) {
            return t;
        }
        double remaining = Math.max(0, oldEnd - from);
        return from + (double) (t - from) * remaining / (double) (newEnd - from);
    }

    @Override
    public ParamGroups groups() {
        return groups;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public double lastLr(int group) {
        return lastLr[group];
    }

    @Override
    public void step(OptionalDouble metric) {
        long t = steps + 1;
        double[] lrs = new double[n];
        double[] momenta = inner.changesMomentum() ? new double[n] : null;
        for (int g = 0; g < n; g++) {
            lrs[g] = lrAt(t, g);
            if (momenta != null) {
                momenta[g] = momentumAt(t, g);
            }
        }
        inner.checkWritable(t, lrs, momenta);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lrs[g]);
            if (momenta != null) {
                groups.setMomentum(g, momenta[g]);
            }
        }
        System.arraycopy(lrs, 0, lastLr, 0, n);
        steps = t;
    }

    @Override
    public double lrAt(long step, int group) {
        LrScheduler.checkStep(step);
        if (step <= from) {
            return inner.lrAt(step, group);
        }
        return curves[group].at(oldStep(step));
    }

    @Override
    public boolean changesMomentum() {
        return inner.changesMomentum();
    }

    @Override
    public double momentumAt(long step, int group) {
        double at = oldStep(step);
        if (inner instanceof BasicScheduler && ((BasicScheduler) inner).momentumCurve(group) != null) {
            return ((BasicScheduler) inner).momentumCurve(group).at(at);
        }
        return inner.momentumAt(Math.round(at), group);
    }

    /** The same spec as the wrapped scheduler: the new horizon is a property of the run, not of the schedule. */
    @Override
    public Map<String, Object> spec() {
        return inner.spec();
    }

    @Override
    public SchedulerState state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", NAME);
        out.put("version", SchedulerState.VERSION);
        out.put("from", from);
        out.put("old_end", oldEnd);
        out.put("new_end", newEnd);
        out.put("last_epoch", steps);
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        out.put("scheduler", innerState.toMap());
        return SchedulerState.of(out);
    }

    @Override
    public void loadState(SchedulerState state) {
        StateReader in = StateReader.of(NAME, state);
        in.expectSame("from", from);
        in.expectSame("old_end", oldEnd);
        in.expectSame("new_end", newEnd);
        long saved = in.integer("last_epoch", from);
        double[] last = in.numbers("_last_lr", n, true);
        Object wrapped = in.raw("scheduler");
        if (!(wrapped instanceof Map)) {
            throw in.bad("scheduler", "the wrapped scheduler's state map", wrapped);
        }
        @SuppressWarnings("unchecked")
        boolean same = StateReader.sameValue(SchedulerState.of((Map<String, ?>) wrapped).toMap(), innerState.toMap());
        if (!same) {
            throw new IllegalArgumentException("cannot restore " + NAME + ": the wrapped " + inner.name() + " is not at the"
                    + " state the run was retargeted from (build and restore it as the original run did, then retarget)");
        }
        steps = saved;
        System.arraycopy(last, 0, lastLr, 0, n);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lastLr[g]);
            if (inner.changesMomentum()) {
                groups.setMomentum(g, momentumAt(steps, g));
            }
        }
    }

    @Override
    public String toString() {
        return inner + " retargeted from step " + from + ": end " + oldEnd + " -> " + newEnd;
    }
}
