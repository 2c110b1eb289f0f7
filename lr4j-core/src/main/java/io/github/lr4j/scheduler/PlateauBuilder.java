package io.github.lr4j.scheduler;

import static io.github.lr4j.util.Checks.atLeast;
import static io.github.lr4j.util.Checks.nonNegative;
import static io.github.lr4j.util.Checks.perGroup;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.util.Checks;

/**
 * Options of PyTorch's ReduceLROnPlateau, with PyTorch's defaults: {@code mode="min"},
 * {@code factor=0.1}, {@code patience=10}, {@code threshold=1e-4}, {@code thresholdMode="rel"},
 * {@code cooldown=0}, {@code minLr=0} (one value or one per group), {@code eps=1e-8}.
 */
public final class PlateauBuilder {
    private String mode = "min";
    private double factor = 0.1;
    private long patience = 10;
    private double threshold = 1e-4;
    private String thresholdMode = "rel";
    private long cooldown;
    private double[] minLr = {0};
    private double eps = 1e-8;

    PlateauBuilder() {
    }

    /** {@code "min"} (e.g. a loss) or {@code "max"} (e.g. an accuracy). */
    public PlateauBuilder mode(PlateauMode mode) {
        this.mode = mode.pytorchName();
        return this;
    }

    public PlateauBuilder factor(double factor) {
        this.factor = factor;
        return this;
    }

    public PlateauBuilder patience(long patience) {
        this.patience = patience;
        return this;
    }

    public PlateauBuilder threshold(double threshold) {
        this.threshold = threshold;
        return this;
    }

    /** {@code "rel"} or {@code "abs"}. */
    public PlateauBuilder thresholdMode(ThresholdMode thresholdMode) {
        this.thresholdMode = thresholdMode.pytorchName();
        return this;
    }

    public PlateauBuilder cooldown(long cooldown) {
        this.cooldown = cooldown;
        return this;
    }

    /** The lowest lr: one value for every group (PyTorch's scalar {@code min_lr}), or one per group. */
    public PlateauBuilder minLr(double... minLr) {
        this.minLr = minLr;
        this.minLrPerGroup = minLr != null && minLr.length != 1;
        return this;
    }

    /** One lowest lr per group, as PyTorch's list {@code min_lr=[...]} (even for one group). */
    public PlateauBuilder minLrPerGroup(double... minLr) {
        this.minLr = minLr;
        this.minLrPerGroup = true;
        return this;
    }

    private boolean minLrPerGroup;

    public PlateauBuilder eps(double eps) {
        this.eps = eps;
        return this;
    }

    /** Checks every option and attaches (changing nothing in the groups, as in PyTorch). */
    public MetricScheduler attach(ParamGroups groups) {
        if (!(factor >= 0 && factor < 1)) {
            throw Checks.invalid("factor", "in [0, 1)", factor);
        }
        atLeast("patience", patience, 0);
        nonNegative("threshold", threshold);
        atLeast("cooldown", cooldown, 0);
        double[] min = perGroup("min_lr", minLr, groups.size());
        Schedulers.checkLrs("min_lr", min, false);
        nonNegative("eps", eps);
        return new ReduceLROnPlateau(groups, mode.equals("min"), factor, patience, threshold, thresholdMode.equals("rel"),
                cooldown, min, minLrPerGroup ? null : min[0], eps);
    }
}
