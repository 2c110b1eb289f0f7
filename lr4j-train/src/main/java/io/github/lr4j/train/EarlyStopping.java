package io.github.lr4j.train;

/**
 * Stop when the monitored metric has not improved by more than {@code minDelta} for
 * {@code patience} validations; optionally put back the weights of the best validation.
 */
public record EarlyStopping(int patience, double minDelta, boolean restoreBestWeights) {
    public EarlyStopping {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        if (!(minDelta >= 0) || Double.isInfinite(minDelta)) {
            throw new IllegalArgumentException("minDelta must be finite and >= 0, got " + minDelta);
        }
    }
}
