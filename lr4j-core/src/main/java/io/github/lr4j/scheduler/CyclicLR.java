package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Amplitude;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * PyTorch's CyclicLR ({@link Curve#cyclic}): the lr cycles between {@code baseLr} and {@code maxLr} (triangular,
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
    private final Amplitude amplitude;
    /** The cycle whose amplitude {@link #cycleScale} holds ('triangular', 'triangular2': a function of the cycle). */
    private double scaledCycle = Double.NaN;
    private double cycleScale;
    private final Curve[] curves;
    private final Curve[] momentumCurves;

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
        this.amplitude = amplitude();
        this.curves = new Curve[n];
        this.momentumCurves = cycleMomentum ? new Curve[n] : null;
        for (int g = 0; g < n; g++) {
            curves[g] = Curve.cyclic(cycleBaseLrs[g], maxLrs[g], stepSizeUp, stepSizeDown, amplitude);
            if (cycleMomentum) {
                // Momentum dips from max to base while the lr rises.
                momentumCurves[g] = Curve.cyclic(maxMomentums[g], baseMomentums[g], stepSizeUp, stepSizeDown, amplitude);
            }
        }
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

    private Amplitude amplitude() {
        if (customScaleFn != null) {
            return scaleByCycle ? Amplitude.perCycle(customScaleFn) : Amplitude.perStep(customScaleFn);
        }
        switch (mode) {
            case "triangular":
                return Amplitude.constant();
            case "triangular2":
                return Amplitude.halvedEachCycle();
            default:
                return Amplitude.exponential(gamma);
        }
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "CyclicLR";
    }

    @Override
    Curve curve(int g) {
        return curves[g];
    }

    @Override
    Curve momentumCurve(int g) {
        return momentumCurves == null ? null : momentumCurves[g];
    }

    /**
     * {@link #curves} and {@link #momentumCurves} at step {@code t} for every group: the cycle, the position in it
     * and the amplitude are the same for every group and are found once (a scale function is called once per step,
     * where PyTorch calls it per group and value; the built-in modes' amplitude once per cycle); each group then
     * applies its bounds with {@link Curve#cyclic}'s operations in their order, {@code start + (peak - start) * wave
     * * amplitude}, so the values are the bits {@link #lrAt} and {@link #momentumAt(long, int)} give.
     */
    @Override
    void valuesAt(long t, double[] lrs, double[] momenta) {
        double step = t;
        double cycle = Math.floor(1 + step / totalSize);
        double x = 1. + step / totalSize - cycle;
        double wave = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale;
        if (scaleByCycle && customScaleFn == null) { // the same function of the cycle: found once per cycle
            if (cycle != scaledCycle) {
                cycleScale = amplitude.at(cycle, step);
                scaledCycle = cycle;
            }
            scale = cycleScale;
        } else {
            scale = amplitude.at(cycle, step);
        }
        for (int g = 0; g < n; g++) {
            lrs[g] = cycleBaseLrs[g] + (maxLrs[g] - cycleBaseLrs[g]) * wave * scale;
        }
        if (momenta != null) {
            // Momentum dips from max to base while the lr rises.
            for (int g = 0; g < n; g++) {
                momenta[g] = maxMomentums[g] + (baseMomentums[g] - maxMomentums[g]) * wave * scale;
            }
        }
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

    /** PyTorch 2.x resumed with last_epoch=k: its initial step still uses the groups' initial lrs as base lrs. */
    @Override
    double initialNext(int g, long t, double lr) {
        return Curve.cyclic(baseLrs[g], maxLrs[g], stepSizeUp, stepSizeDown, amplitude()).at(t);
    }

    /** PyTorch sets {@code base_lrs = base_lr} after its base constructor (and its initial step). */
    @Override
    void resumeAt(long k) {
        super.resumeAt(k);
        System.arraycopy(cycleBaseLrs, 0, baseLrs, 0, n);
    }

    @Override
    void writeExtraState(Map<String, Object> out) {
        if (cycleMomentum) {
            out.put("use_beta1", groups.momentumKind() == io.github.lr4j.groups.MomentumKind.BETA1); // PyTorch 2.x
        }
        out.put("_scale_fn_custom", customScaleFn == null ? null : String.valueOf(customScaleFn));
        if (customScaleFn != null && !(customScaleFn instanceof LrLambda && ((LrLambda) customScaleFn).state() != null)) {
            List<Object> notSaved = new ArrayList<>();
            notSaved.add("scale_fn: " + customScaleFn + " has no state; rebuild the scheduler with the same function before restoring");
            out.put("not_saved", notSaved);
        }
    }

    /** The saved custom scale_fn must be this one (a Java lambda, whose text changes from run to run, cannot be told). */
    @Override
    Runnable readExtraState(StateReader in) {
        Object saved = in.raw("_scale_fn_custom");
        if (customScaleFn == null ? saved != null : !(saved instanceof String)) {
            throw in.bad("_scale_fn_custom", customScaleFn == null ? "null (this CyclicLR has no scale_fn)"
                    : "the text of this CyclicLR's scale_fn", saved);
        }
        String mine = customScaleFn == null ? null : String.valueOf(customScaleFn);
        if (mine != null && !mine.contains("$$Lambda") && !mine.contains("$Lambda$") && !mine.equals(saved)) {
            throw new IllegalArgumentException("cannot restore CyclicLR: the state was saved with scale_fn=" + saved
                    + " but this scheduler has scale_fn=" + mine + " (build the scheduler with the same arguments before"
                    + " restoring)");
        }
        return super.readExtraState(in);
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
