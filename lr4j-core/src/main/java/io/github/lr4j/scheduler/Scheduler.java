package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.OptionalDouble;

/**
 * Anything that sets the learning rates (and possibly momentum) of a set of {@link ParamGroups}:
 * a time-based {@link LrScheduler} or a metric-driven {@link MetricScheduler}.
 */
public interface Scheduler {

    /** The groups this scheduler drives. */
    ParamGroups groups();

    /** PyTorch's class name, e.g. {@code "OneCycleLR"}. */
    String name();

    /** The lr this scheduler last gave {@code group} (PyTorch's {@code get_last_lr()[group]}). */
    double lastLr(int group);

    /**
     * The one stepping verb, for time-based and metric-driven schedulers alike: advances one step
     * (one batch or one epoch, as the caller chose). A time-based scheduler ignores {@code metric};
     * a metric-driven one ({@link #drivenByMetric()}) needs it and throws an
     * {@link IllegalStateException} without one. The metric is an {@link OptionalDouble}, not a
     * double, because NaN is a metric a run can really produce ("no improvement"), while "no
     * metric at this point" is a different thing. A failed step changes nothing.
     */
    void step(OptionalDouble metric);

    /** Whether {@link #step(OptionalDouble)} needs a metric (PyTorch's ReduceLROnPlateau). */
    default boolean drivenByMetric() {
        return false;
    }

    /**
     * The lr of {@code group} after {@code step} steps from attachment, computed without stepping.
     *
     * @throws IllegalStateException for a metric-driven scheduler, whose lr depends on metrics not yet seen
     */
    double lrAt(long step, int group);

    /**
     * The hyper-parameter this scheduler sets: {@code "lr"} for every lr scheduler, another name for a schedule of
     * another hyper-parameter ({@code "weight_decay"}, {@code "beta2"}, ...). Training runs log each one's values.
     */
    default String hyperParameter() {
        return "lr";
    }

    /**
     * Whether this scheduler sets the learning rate. A training run's SWA scheduler takes over the lr from the
     * schedulers that drive it and leaves the others running.
     */
    default boolean drivesLr() {
        return "lr".equals(hyperParameter());
    }

    /**
     * This scheduler with a new horizon from its current step on: the steps taken stay, the rest of the schedule
     * (made for {@code oldTotalSteps}) is stretched to end at {@code newTotalSteps}, so the value does not jump
     * ({@link Schedulers#retarget}). Used when a run is resumed with another length.
     *
     * @throws IllegalArgumentException if this scheduler cannot take a new length (a metric-driven one)
     */
    default Scheduler retarget(long oldTotalSteps, long newTotalSteps) {
        throw new IllegalArgumentException(name() + " cannot take a new length");
    }

    /**
     * Restores the state of a {@link #retarget retargeted} copy of this scheduler, this one being built as the
     * original run built it and not stepped. Checks everything before it changes anything.
     */
    default Scheduler restoreRetargeted(SchedulerState saved) {
        throw new IllegalArgumentException(name() + " cannot take a new length");
    }

    /** Whether this scheduler writes momentum (or beta1) into the groups (OneCycleLR, CyclicLR, ...). */
    default boolean changesMomentum() {
        return false;
    }

    /**
     * The momentum (or beta1) of {@code group} after {@code step} steps, without stepping.
     *
     * @throws IllegalStateException when {@link #changesMomentum()} is false
     */
    double momentumAt(long step, int group);

    /** A copy of the lrs this scheduler last gave each group. */
    default double[] lastLrs() {
        double[] out = new double[groups().size()];
        for (int g = 0; g < out.length; g++) {
            out[g] = lastLr(g);
        }
        return out;
    }

    /**
     * What this scheduler is, in the schedule language's JSON form: {@code {"type": "StepLR",
     * "step_size": 30, "gamma": 0.1}}, nested for SequentialLR and ChainedScheduler, PyTorch's
     * argument names. {@code toString()} prints the same as a PyTorch constructor call, and both
     * forms build an equal scheduler again through {@code ScheduleSpec.build}.
     */
    java.util.Map<String, Object> spec();

    /** The scheduler's state as a versioned record (see {@link SchedulerState}). */
    SchedulerState state();

    /**
     * Restores a state saved by a scheduler built with the same arguments, and writes the saved lrs
     * (and momentum, where cycled) back into the groups. Stepping then continues exactly as the
     * saved run would have. On any error (another type, an unknown version, a malformed value,
     * different hyper-parameters) an {@link IllegalArgumentException} says what, and nothing changes.
     */
    void loadState(SchedulerState state);
}
