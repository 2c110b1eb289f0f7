package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A time-based learning-rate scheduler bound to param groups, with PyTorch's observable behaviour:
 * right after it is attached, each group holds PyTorch's lr for step 0, and after the k-th
 * {@link #step()} the lr for step k.
 *
 * <p>Every time-based scheduler also answers {@link #lrAt(long, int)}: the lr at any step without
 * stepping, equal (to within rounding, see each factory) to what stepping gives.
 *
 * <p>Build one through {@link Schedulers}.
 */
public abstract class LrScheduler implements Scheduler {
    final ParamGroups groups;
    final int n;
    final double[] lastLr;

    LrScheduler(ParamGroups groups) {
        if (groups == null) {
            throw new IllegalArgumentException("groups must not be null");
        }
        if (groups.size() < 1) {
            throw new IllegalArgumentException("groups must hold at least 1 param group, got " + groups.size());
        }
        this.groups = groups;
        this.n = groups.size();
        this.lastLr = new double[n];
    }

    @Override
    public final ParamGroups groups() {
        return groups;
    }

    @Override
    public final double lastLr(int group) {
        return lastLr[group];
    }

    @Override
    public Scheduler retarget(long oldTotalSteps, long newTotalSteps) {
        return Schedulers.retarget(this, oldTotalSteps, newTotalSteps);
    }

    @Override
    public Scheduler restoreRetargeted(SchedulerState saved) {
        return Schedulers.restoreRetargeted(this, saved);
    }

    /** Advances one step (one epoch or one batch, as the user chose) and updates the groups. */
    public abstract void step();

    /** {@link #step()}: a time-based scheduler has no use for a metric. */
    @Override
    public final void step(OptionalDouble metric) {
        step();
    }

    /**
     * PyTorch's deprecated explicit-epoch form {@code step(epoch)}: jumps to {@code epoch}, using the
     * closed form where PyTorch has one.
     *
     * @throws UnsupportedOperationException for composites, which PyTorch does not allow either
     */
    public void step(long epoch) {
        throw new UnsupportedOperationException(name() + " has no explicit-epoch step(epoch) (PyTorch's has none either)");
    }

    /**
     * The explicit-epoch form with a fractional epoch; only CosineAnnealingWarmRestarts accepts a
     * non-integer value (e.g. {@code epoch + batch / batchesPerEpoch}).
     */
    public void step(double epoch) {
        if (epoch != Math.rint(epoch) || Double.isInfinite(epoch)) {
            throw new IllegalArgumentException("epoch must be a whole number for " + name()
                    + " (only CosineAnnealingWarmRestarts takes fractional epochs), got " + epoch);
        }
        step((long) epoch);
    }

    /** PyTorch's {@code last_epoch}: the number of steps taken since the scheduler was attached. */
    public abstract long lastEpoch();

    /**
     * The lr of {@code group} after {@code step} plain steps from attachment, computed without
     * stepping and without changing anything: O(1) (O(log n) for milestones) except where the
     * factory's Javadoc says otherwise.
     */
    @Override
    public abstract double lrAt(long step, int group);

    /**
     * The momentum (or beta1) of {@code group} after {@code step} steps, for schedulers that cycle it
     * (OneCycleLR, CyclicLR), without stepping.
     *
     * @throws IllegalStateException for schedulers that leave momentum alone
     */
    @Override
    public double momentumAt(long step, int group) {
        throw new IllegalStateException(name() + " does not change momentum");
    }

    /** {@link #lrAt} for every group. */
    public final double[] lrsAt(long step) {
        double[] out = new double[n];
        for (int g = 0; g < n; g++) {
            out[g] = lrAt(step, g);
        }
        return out;
    }

    /**
     * The schedule of {@code group} as a value: {@code schedule(group).at(step)} is {@link #lrAt}
     * (the group's base lr is bound in). Composites are joins of their pieces' schedules
     * (SequentialLR) or, for ChainedScheduler, a function of the step that says so when printed.
     */
    public abstract Curve schedule(int group);

    /** The schedule of group {@code g} from a restart on, as a later phase of SequentialLR (by default {@link #schedule}). */
    Curve scheduleAfterRestart(int g) {
        return schedule(g);
    }

    // --- what SequentialLR and ChainedScheduler need from their members (PyTorch 1.13's observable behaviour) ---

    /** PyTorch's plain {@code step()} taken as step {@code t} (step 0 is the one taken on construction). */
    abstract void stepAt(long t);

    /** What SequentialLR does at a milestone: PyTorch's {@code scheduler.step(0)}. */
    abstract void restart();

    /**
     * The schedule of group {@code g} when the group holds {@code lr} just before this scheduler's
     * first step: SequentialLR resets the groups to their initial lrs, which a OneCycleLR or CyclicLR
     * built later has rewritten. By default a replay of the steps from {@code lr}, O(t).
     */
    Curve scheduleFrom(int g, double lr) {
        return Curve.of((t, base) -> {
            double v = lr;
            for (long step = 0; step <= (long) Math.floor(t); step++) {
                v = stepFrom(g, step, v);
            }
            return v;
        }, toString());
    }

    /** Throws {@link IllegalArgumentException} if {@link #lrAt} may not answer for {@code t}. */
    abstract void checkReachable(long t);

    /** The lr a plain step {@code t} gives a group that holds {@code lr}, changing nothing. */
    abstract double stepFrom(int g, long t, double lr);

    /** The lr {@link #restart()} gives a group that holds {@code lr}, changing nothing. */
    abstract double restartFrom(int g, double lr);

    /** The lr group {@code g} held just before this scheduler took its first step. */
    abstract double attachLr(int g);

    /**
     * The latest step {@code <= t} at which this scheduler writes an lr that does not depend on the
     * lr the group holds, or -1 if it never does (chainable schedulers only rescale).
     */
    abstract long lastWrite(long t);

    /** This scheduler's own value at {@code t}, given that since its {@link #lastWrite} only its own steps acted. */
    abstract double ownValueAt(int g, long t);

    /** Whether each of this scheduler's steps in {@code (a, b]} only multiplies the lr (or writes one). */
    abstract boolean productBetween(long a, long b);

    /**
     * The product of the factors this scheduler's steps in {@code (a, b]} apply ({@code a = -1}:
     * from before its first step), when {@link #productBetween} holds and it writes nothing there.
     */
    abstract double growth(int g, long a, long b);

    /**
     * Remembers what one step changes (no allocation), so that a ChainedScheduler whose later
     * member fails can undo the members that already stepped: a failed step changes nothing.
     */
    abstract void mark();

    /** Puts back what {@link #mark} remembered, groups included. */
    abstract void rollback();

    // --- state ---

    @Override
    public final SchedulerState state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", name());
        out.put("version", SchedulerState.VERSION);
        writeState(out);
        return SchedulerState.of(out);
    }

    @Override
    public final void loadState(SchedulerState state) {
        SchedulerState.requireOwnKeys(name(), state, state());
        Runnable commit = readState(StateReader.of(name(), state));
        commit.run();
        writeGroups();
    }

    /** Writes every field, in PyTorch's key names. */
    abstract void writeState(Map<String, Object> out);

    /** Reads and checks everything first; the returned action commits it (and cannot fail). */
    abstract Runnable readState(StateReader in);

    /** After a restore: puts the saved lrs (and momentum) back into the groups. */
    void writeGroups() {
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lastLr[g] + 0.0);
        }
    }

    /**
     * The one check before values reach the groups: lr4j never writes a non-finite or negative lr,
     * or a non-finite momentum (PyTorch would, e.g. StepLR with gamma=1e308, or a lambda returning
     * -1). Callers check every group before writing any, so a step that fails here changes nothing.
     * A zero lr of either sign becomes +0.0 in {@code lrs} (a lambda returning -0.0, or swa_lr=-0.0).
     *
     * @param momenta the momenta about to be written, or null when this step writes none
     * @throws IllegalStateException naming the scheduler, the group, the step and the value
     */
    final void checkWritable(long step, double[] lrs, double[] momenta) {
        for (int g = 0; g < n; g++) {
            if (!(lrs[g] >= 0) || lrs[g] == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException(name() + " would set group " + g + "'s lr to " + lrs[g] + " at step " + step
                        + "; lr4j never writes a non-finite or negative lr, so the step fails and nothing was changed");
            }
            lrs[g] += 0.0; // -0.0 + 0.0 is +0.0
            if (momenta != null && !Double.isFinite(momenta[g])) {
                throw new IllegalStateException(name() + " would set group " + g + "'s momentum to " + momenta[g] + " at step "
                        + step + "; lr4j never writes a non-finite momentum, so the step fails and nothing was changed");
            }
        }
    }

    void captureLastLr() {
        for (int g = 0; g < n; g++) {
            lastLr[g] = groups.lr(g);
        }
    }

    static void checkStep(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
    }

    static void checkGroup(int group, int n) {
        if (group < 0 || group >= n) {
            throw new IndexOutOfBoundsException("group must be in [0, " + (n - 1) + "], got " + group);
        }
    }
}
