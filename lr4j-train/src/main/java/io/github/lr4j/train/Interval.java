package io.github.lr4j.train;

/** When the loop steps a scheduler. */
public enum Interval {
    /** After every optimizer step (a skipped step does not count; with accumulation, one per accumulated batch group). */
    STEP,
    /** After every epoch, once validation has run (plateau schedulers get the monitored metric). */
    EPOCH;

    /** PyTorch's advice: OneCycleLR and CyclicLR after every batch, everything else after every epoch. */
    public static Interval defaultFor(io.github.lr4j.scheduler.Scheduler s) {
        return s.name().equals("OneCycleLR") || s.name().equals("CyclicLR") ? STEP : EPOCH;
    }
}
