package io.github.lr4j.tune;

/**
 * How far a trial got at one rung (or round) of a search: the validation figures of its first {@code epochs} epochs.
 * Selection reads {@link #bestValLoss()} only; the test set is never part of a result.
 *
 * @param bestEpoch the epoch (from 1) of the best validation loss so far
 * @param promoted whether it was kept for the next rung
 */
public record TrialResult(int trial, int rung, int epochs, double bestValLoss, int bestEpoch, double lastValLoss, long steps,
                          long skipped, boolean promoted) implements java.io.Serializable {

    /** The same result, marked as promoted or not. */
    public TrialResult promoted(boolean promoted) {
        return new TrialResult(trial, rung, epochs, bestValLoss, bestEpoch, lastValLoss, steps, skipped, promoted);
    }

    /** Orders by best validation loss (a NaN, a diverged trial, last), then by trial number. */
    public static int compare(TrialResult a, TrialResult b) {
        boolean an = Double.isNaN(a.bestValLoss());
        boolean bn = Double.isNaN(b.bestValLoss());
        if (an != bn) {
            return an ? 1 : -1;
        }
        int c = an ? 0 : Double.compare(a.bestValLoss(), b.bestValLoss());
        return c != 0 ? c : Integer.compare(a.trial(), b.trial());
    }
}
