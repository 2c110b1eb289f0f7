package io.github.lr4j.train;

/** Whether a monitored metric should go down (a loss) or up (an accuracy). */
public enum Mode {
    MIN, MAX;

    /** {@code value} improves on {@code best} by more than {@code minDelta}. */
    boolean improves(double value, double best, double minDelta) {
        if (Double.isNaN(value)) {
            return false;
        }
        return this == MIN ? value < best - minDelta : value > best + minDelta;
    }

    double worst() {
        return this == MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }
}
