package io.github.lr4j.spark;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.MetricScheduler;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.train.Interval;

/**
 * The one place lr4j-spark uses lr4j-core's scheduler API (today's: {@code lrAt}/{@code momentumAt},
 * {@code step()}, {@code step(metric)}, {@code state()}/{@code loadState()}); switching to a new
 * stepping verb happens here only.
 *
 * <p>A scheduler stepped per optimizer step is asked for the lr of the <em>global</em> step
 * {@code globalStep + k} with random access, so every partition runs a round's K local steps
 * without talking to anyone. A scheduler stepped per epoch (or fed a metric) holds the lr the
 * driver's groups have during the whole epoch. The driver's scheduler is then stepped as far as the
 * partitions went, so its state (and checkpoints) stay those of a single-machine run.
 */
final class ScheduleClock {
    private final Optimizer groups;
    private final Scheduler scheduler;
    private final Interval interval;
    private final boolean cyclesMomentum;

    /** {@code scheduler} drives {@code groups} (the driver's optimizer); null for a constant lr. */
    ScheduleClock(Optimizer groups, Scheduler scheduler, Interval interval) {
        if (scheduler instanceof MetricScheduler && interval == Interval.STEP) {
            throw new IllegalArgumentException(scheduler.name() + " is fed a validation metric: use Interval.EPOCH");
        }
        this.groups = groups;
        this.scheduler = scheduler;
        this.interval = interval;
        this.cyclesMomentum = perStep() && groups.momentumKind() != MomentumKind.NONE && changesMomentum((LrScheduler) scheduler);
    }

    private static boolean changesMomentum(LrScheduler s) {
        try {
            s.momentumAt(0, 0);
            return true;
        } catch (IllegalStateException leavesMomentumAlone) {
            return false;
        }
    }

    private boolean perStep() {
        return scheduler instanceof LrScheduler && interval == Interval.STEP;
    }

    /** The lr ({@code [k][group]}) of local steps {@code globalStep .. globalStep + steps - 1}. */
    double[][] lrs(long globalStep, int steps) {
        double[][] out = new double[steps][groups.size()];
        for (int k = 0; k < steps; k++) {
            for (int g = 0; g < groups.size(); g++) {
                out[k][g] = perStep() ? ((LrScheduler) scheduler).lrAt(globalStep + k, g) : groups.lr(g);
            }
        }
        return out;
    }

    /** The momentum (or beta1) of those steps, or null when the optimizer's own values stay. */
    double[][] momenta(long globalStep, int steps) {
        if (!cyclesMomentum) {
            return null;
        }
        double[][] out = new double[steps][groups.size()];
        for (int k = 0; k < steps; k++) {
            for (int g = 0; g < groups.size(); g++) {
                out[k][g] = ((LrScheduler) scheduler).momentumAt(globalStep + k, g);
            }
        }
        return out;
    }

    /** After a round of {@code steps} local steps. */
    void afterSteps(int steps) {
        if (perStep()) {
            for (int k = 0; k < steps; k++) {
                ((LrScheduler) scheduler).step();
            }
        }
    }

    /** At an epoch end, after the validation pass that measured {@code metric}. */
    void afterEpoch(double metric) {
        if (scheduler == null || interval != Interval.EPOCH) {
            return;
        }
        if (scheduler instanceof MetricScheduler m) {
            m.step(metric);
        } else {
            ((LrScheduler) scheduler).step();
        }
    }

    SchedulerState state() {
        return scheduler == null ? null : scheduler.state();
    }

    void loadState(SchedulerState state) {
        if (scheduler != null) {
            scheduler.loadState(state);
        }
    }

    Scheduler scheduler() {
        return scheduler;
    }
}
