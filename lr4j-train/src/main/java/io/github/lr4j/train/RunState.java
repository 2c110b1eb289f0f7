package io.github.lr4j.train;

/**
 * Where a run stands, for any engine, and all of it goes into its checkpoints ({@link RunCheckpoints}): the epoch and
 * the next batch in it, the optimizer steps applied and skipped, the epoch's summed loss, the epoch at which the
 * schedules were restarted (a warm restart), the best epoch and early stopping ({@link BestEpoch}) and the per-epoch
 * history ({@link EpochHistory}). With gradient accumulation one optimizer step takes a group of batches.
 */
public final class RunState {
    private final int batchesPerEpoch;
    private final int accumulate;
    private final BestEpoch best;
    private final EpochHistory history;
    int epoch;
    int nextBatch;
    long optimizerSteps;
    long skippedSteps;
    double epochLossSum;
    int epochBatches;
    int scheduleStart;
    final java.util.List<Horizon> horizons = new java.util.ArrayList<>();

    /**
     * A run length the run had: {@code epochs} from epoch {@code fromEpoch} (0-based: the epochs done when it was set)
     * on; {@code how} says how the schedule met it at a resume ("" for the run's start, "stretched", "restart-schedule"
     * or "continue-at-final-lr").
     */
    public record Horizon(int epochs, int fromEpoch, String how) { }

    public RunState(int batchesPerEpoch, int accumulate, BestEpoch best) {
        this(batchesPerEpoch, accumulate, best, new EpochHistory());
    }

    private RunState(int batchesPerEpoch, int accumulate, BestEpoch best, EpochHistory history) {
        if (batchesPerEpoch < 1 || accumulate < 1) {
            throw new IllegalArgumentException("batchesPerEpoch and accumulate must be >= 1, got " + batchesPerEpoch + " and " + accumulate);
        }
        this.batchesPerEpoch = batchesPerEpoch;
        this.accumulate = accumulate;
        this.best = best;
        this.history = history;
    }

    public int batchesPerEpoch() {
        return batchesPerEpoch;
    }

    public int accumulate() {
        return accumulate;
    }

    /** Optimizer steps in one epoch (the last group of an epoch may hold fewer batches). */
    public int stepsPerEpoch() {
        return (batchesPerEpoch + accumulate - 1) / accumulate;
    }

    /** The epoch being trained (0-based; the number of epochs done). */
    public int epoch() {
        return epoch;
    }

    public int nextBatch() {
        return nextBatch;
    }

    public long optimizerSteps() {
        return optimizerSteps;
    }

    public long skippedSteps() {
        return skippedSteps;
    }

    /** The epoch (0: the run's start) from which the schedules run, sized for the epochs left then. */
    public int scheduleStart() {
        return scheduleStart;
    }

    /** Each run length the run had, in order (empty until a checkpoint is read or written: the run's own length). */
    public java.util.List<Horizon> horizons() {
        return java.util.List.copyOf(horizons);
    }

    public BestEpoch best() {
        return best;
    }

    public EpochHistory history() {
        return history;
    }

    /** Whether every batch of the current epoch was trained. */
    public boolean epochTrained() {
        return nextBatch >= batchesPerEpoch;
    }

    /** The end (exclusive) of the group of batches the next optimizer step takes. */
    public int groupEnd() {
        return Math.min(batchesPerEpoch, (nextBatch / accumulate + 1) * accumulate);
    }

    /** The group up to {@code groupEnd} was trained with mean loss {@code loss}; the step was applied, or skipped. */
    public void stepped(int groupEnd, double loss, boolean applied) {
        int batches = groupEnd - nextBatch;
        nextBatch = groupEnd;
        epochLossSum += loss * batches;
        epochBatches += batches;
        if (applied) {
            optimizerSteps++;
        } else {
            skippedSteps++;
        }
    }

    /** The mean training loss of the current epoch's batches so far (NaN before the first). */
    public double trainLoss() {
        return epochBatches == 0 ? Double.NaN : epochLossSum / epochBatches;
    }

    /** The epoch ended: the next one starts. */
    public void nextEpoch() {
        epoch++;
        nextBatch = 0;
        epochLossSum = 0;
        epochBatches = 0;
    }

    /** This state as it will be once the current epoch ends (what best.ckpt holds: resuming it re-runs nothing). */
    RunState afterEpoch() {
        RunState s = new RunState(batchesPerEpoch, accumulate, best, history);
        s.epoch = epoch;
        s.optimizerSteps = optimizerSteps;
        s.skippedSteps = skippedSteps;
        s.scheduleStart = scheduleStart;
        s.horizons.addAll(horizons);
        s.nextEpoch();
        return s;
    }

    /** The optimizer step calls, applied or skipped, that a run at {@code epoch}, {@code nextBatch} has made. */
    long callsAt(int epoch, int nextBatch) {
        return (long) epoch * stepsPerEpoch() + (nextBatch + accumulate - 1) / accumulate;
    }
}
