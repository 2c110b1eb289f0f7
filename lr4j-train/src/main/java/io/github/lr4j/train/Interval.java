package io.github.lr4j.train;

import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerTypes;

/** When the loop steps a scheduler. */
public enum Interval {
    /** After every optimizer step (a skipped step does not count; with accumulation, one per accumulated batch group). */
    STEP,
    /** After every epoch, once validation has run (plateau schedulers get the monitored metric). */
    EPOCH;

    /**
     * PyTorch's advice, as each scheduler type's descriptor says: per step for schedules sized in
     * batches (OneCycleLR, CyclicLR, and any SequentialLR or ChainedScheduler holding one), per
     * epoch for everything else.
     */
    public static Interval defaultFor(Scheduler s) {
        return SchedulerTypes.perBatch(s.spec()) ? STEP : EPOCH;
    }
}
