package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * PyTorch's CyclicLR: the lr cycles between {@code baseLr} and {@code maxLr} (triangular,
 * triangular2, exp_range or a custom scale function), and momentum cycles inversely between
 * {@code maxMomentum} and {@code baseMomentum}. Not chainable: every step sets absolute values.
 * Unlike PyTorch 1.13, it also cycles Adam/AdamW's beta1 (as PyTorch 2.2+ does).
 */
final class CyclicLR extends BasicScheduler {
    private final double[] cycleBaseLrs;
    private final double[] maxLrs;
    private final double stepSizeUp;
    private final double stepSizeDown;
    private final double totalSize;
    private final double stepRatio;
    private final String mode;
    private final double gamma;
    private final DoubleUnaryOperator customScaleFn;
    private final boolean scaleByCycle;
    private final boolean cycleMomentum;
    private final double[] baseMomentums;
    private final double[] maxMomentums;

    CyclicLR(ParamGroups groups, double[] baseLrs, double[] maxLrs, double stepSizeUp, double stepSizeDown, String mode,
             double gamma, DoubleUnaryOperator scaleFn, String scaleMode, boolean cycleMomentum,
             double[] baseMomentum, double[] maxMomentum) {
        super(groups);
        this.cycleBaseLrs = baseLrs;
        this.maxLrs = maxLrs;
        this.stepSizeUp = stepSizeUp;
        this.stepSizeDown = stepSizeDown;
        this.totalSize = stepSizeUp + stepSizeDown;
        this.stepRatio = stepSizeUp / totalSize;
        this.mode = mode;
        this.gamma = gamma;
        this.customScaleFn = scaleFn;
        this.scaleByCycle = scaleFn != null ? scaleMode.equals("cycle") : !mode.equals("exp_range");
        this.cycleMomentum = cycleMomentum;
        this.baseMomentums = cycleMomentum ? baseMomentum.clone() : null;
        this.maxMomentums = cycleMomentum ? maxMomentum : null;
    }

    /** PyTorch's constructor order: lr = base_lr, momentum = base_momentum, then the initial step. */
    CyclicLR attachCyclic() {
        for (int g = 0; g < n; g++) {
            groups.setLr(g, cycleBaseLrs[g]);
            if (cycleMomentum) {
                groups.setMomentum(g, baseMomentums[g]);
            }
        }
        attach();
        System.arraycopy(cycleBaseLrs, 0, baseLrs, 0, n);
        return this;
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "CyclicLR";
    }

    private double scaleFn(double x) {
        if (customScaleFn != null) {
            return customScaleFn.applyAsDouble(x);
        }
        switch (mode) {
            case "triangular":
                return 1.;
            case "triangular2":
                return 1 / Math.pow(2., x - 1);
            default:
                return Math.pow(gamma, x);
        }
    }

    private double cycle(long t) {
        return Math.floor(1 + t / totalSize);
    }

    private double scaleFactor(long t) {
        double x = 1. + t / totalSize - cycle(t);
        return x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    }

    private double amplitude(long t) {
        return scaleFn(scaleByCycle ? cycle(t) : t);
    }

    /** Scale factor and amplitude depend only on the step: computed once per step, not per group. */
    private long memoStep = -1;
    private double memoScale;
    private double memoAmplitude;

    private void memo(long t) {
        if (t != memoStep) {
            memoScale = scaleFactor(t);
            memoAmplitude = amplitude(t);
            memoStep = t;
        }
    }

    @Override
    double next(int g, long t, double lr) {
        return closed(g, t);
    }

    @Override
    double closed(int g, long t) {
        memo(t);
        double baseHeight = (maxLrs[g] - baseLrs[g]) * memoScale;
        return baseLrs[g] + baseHeight * memoAmplitude;
    }

    @Override
    boolean cyclesMomentum() {
        return cycleMomentum;
    }

    @Override
    double momentumAt(int g, long t) {
        memo(t);
        double baseHeight = (maxMomentums[g] - baseMomentums[g]) * memoScale;
        return maxMomentums[g] - baseHeight * memoAmplitude;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("max_lrs", maxLrs);
        out.put("total_size", totalSize);
        out.put("step_ratio", stepRatio);
        out.put("mode", mode);
        out.put("gamma", gamma);
        out.put("scale_mode", scaleByCycle ? "cycle" : "iterations");
        out.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            out.put("base_momentums", baseMomentums);
            out.put("max_momentums", maxMomentums);
        }
    }

    @Override
    void writeExtraState(Map<String, Object> out) {
        out.put("_scale_fn_custom", customScaleFn == null ? null : String.valueOf(customScaleFn));
        if (customScaleFn != null && !(customScaleFn instanceof LrLambda && ((LrLambda) customScaleFn).state() != null)) {
            List<Object> notSaved = new ArrayList<>();
            notSaved.add("scale_fn: " + customScaleFn + " has no state; rebuild the scheduler with the same function before restoring");
            out.put("not_saved", notSaved);
        }
    }

    @Override
    void describe(Map<String, Object> args) {
        args.put("base_lr", cycleBaseLrs);
        args.put("max_lr", maxLrs);
        args.put("step_size_up", stepSizeUp);
        args.put("step_size_down", stepSizeDown);
        if (customScaleFn != null) {
            args.put("scale_fn", customScaleFn);
            args.put("scale_mode", scaleByCycle ? "cycle" : "iterations");
        } else {
            args.put("mode", mode);
        }
        args.put("gamma", gamma);
        args.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            args.put("base_momentum", baseMomentums);
            args.put("max_momentum", maxMomentums);
        }
    }

}
