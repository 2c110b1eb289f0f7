package io.github.lr4j.scheduler;

import java.util.OptionalDouble;

/**
 * A scheduler driven by a validation metric rather than by time: PyTorch's
 * {@code ReduceLROnPlateau}. Its {@link #step(double)} takes the monitored value.
 */
public interface MetricScheduler extends Scheduler {

    /** Feeds one validation result (PyTorch's {@code step(metrics)}). */
    void step(double metric);

    /** No lambda on this path: a step allocates nothing even where the JIT does not inline it. */
    @Override
    default void step(OptionalDouble metric) {
        if (!metric.isPresent()) {
            throw new IllegalStateException(name() + " is driven by a metric: step it with the monitored value"
                    + " (e.g. the validation loss at an epoch end), got none");
        }
        step(metric.getAsDouble());
    }

    @Override
    default boolean drivenByMetric() {
        return true;
    }

    @Override
    default double lrAt(long step, int group) {
        throw new IllegalStateException(name() + " has no lr at a step without the metrics that lead there: step it"
                + " with them instead");
    }

    @Override
    default double momentumAt(long step, int group) {
        throw new IllegalStateException(name() + " does not change momentum");
    }

    /** Number of metric values seen so far (PyTorch's {@code last_epoch}). */
    long lastEpoch();
}
