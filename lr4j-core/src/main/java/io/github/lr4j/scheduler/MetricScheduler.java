package io.github.lr4j.scheduler;

/**
 * A scheduler driven by a validation metric rather than by time: PyTorch's
 * {@code ReduceLROnPlateau}. Its {@link #step(double)} takes the monitored value.
 */
public interface MetricScheduler extends Scheduler {

    /** Feeds one validation result (PyTorch's {@code step(metrics)}). */
    void step(double metric);

    /** Number of metric values seen so far (PyTorch's {@code last_epoch}). */
    long lastEpoch();
}
