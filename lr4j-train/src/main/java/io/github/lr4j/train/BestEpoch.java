package io.github.lr4j.train;

import java.util.function.Supplier;

/**
 * The best epoch by the monitored metric, and early stopping's verdict, for any engine: each epoch end's metric is
 * {@link #observe observed}; the first epoch is the best so far, a later one when it improves by more than early
 * stopping's {@code minDelta}. Without improvement for {@code patience} epochs the run stops. With
 * {@code restoreBestWeights} the best epoch's weights are kept. Saved in checkpoints ({@link RunCheckpoints}).
 */
public final class BestEpoch {
    private final String monitor;
    private final Mode mode;
    private final EarlyStopping earlyStopping;
    double bestMetric = Double.NaN;
    int bestEpoch = -1;
    int wait;
    boolean stopped;
    float[][] bestWeights;

    /** Watches {@code monitor} (a name for messages) going in direction {@code mode}; {@code earlyStopping} may be null. */
    public BestEpoch(String monitor, Mode mode, EarlyStopping earlyStopping) {
        this.monitor = monitor;
        this.mode = mode;
        this.earlyStopping = earlyStopping;
    }

    /** {@code metric} if it is one a run can watch: val_loss, val_accuracy or train_loss. */
    public static String requireMonitor(String metric) {
        if (!java.util.List.of("val_loss", "val_accuracy", "train_loss").contains(metric)) {
            throw new IllegalArgumentException("monitor must be val_loss, val_accuracy or train_loss, got " + metric);
        }
        return metric;
    }

    public String monitor() {
        return monitor;
    }

    public EarlyStopping earlyStopping() {
        return earlyStopping;
    }

    /** Whether the best epoch's weights are kept (to be put back at the end). */
    public boolean keepsWeights() {
        return earlyStopping != null && earlyStopping.restoreBestWeights();
    }

    /**
     * Epoch {@code epoch} (0-based) ended measuring {@code metric}; {@code weights} copies the weights now (asked only
     * when they are kept). Returns whether it is the best so far; {@link #stopped()} tells whether the run stops.
     */
    public boolean observe(int epoch, double metric, Supplier<float[][]> weights) {
        if (bestEpoch < 0 || mode.improves(metric, bestMetric, earlyStopping == null ? 0 : earlyStopping.minDelta())) {
            bestMetric = metric;
            bestEpoch = epoch;
            wait = 0;
            if (keepsWeights()) {
                bestWeights = weights.get();
            }
            return true;
        }
        wait++;
        if (earlyStopping != null && wait >= earlyStopping.patience()) {
            stopped = true;
        }
        return false;
    }

    /** Why the run stopped, after the epoch {@link #observe} stopped it at (0-based). */
    public String stopMessage(int epoch) {
        return "early stopping after epoch " + (epoch + 1) + ": " + monitor + " has not improved for " + wait
                + " epochs (best " + bestMetric + " at epoch " + (bestEpoch + 1) + ")";
    }

    public boolean stopped() {
        return stopped;
    }

    public double bestMetric() {
        return bestMetric;
    }

    /** The best epoch, 0-based (-1: none yet). */
    public int bestEpoch() {
        return bestEpoch;
    }

    public int epochsWithoutImprovement() {
        return wait;
    }

    /** The best epoch's weights when they are kept (null: none). */
    public float[][] bestWeights() {
        return bestWeights;
    }

    /**
     * Puts back a saved verdict (an engine's own state, e.g. lr4j-djl's listener): the best metric, the best epoch
     * (0-based; -1: none yet), the epochs without improvement since, and whether the run stopped.
     */
    public void restore(double bestMetric, int bestEpoch, int epochsWithoutImprovement, boolean stopped) {
        this.bestMetric = bestMetric;
        this.bestEpoch = bestEpoch;
        this.wait = epochsWithoutImprovement;
        this.stopped = stopped;
    }

    /** A finished run trains on: early stopping judges the added epochs afresh (the best so far stays). */
    void trainOn() {
        stopped = false;
        wait = 0;
    }
}
