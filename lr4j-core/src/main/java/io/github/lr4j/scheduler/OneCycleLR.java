package io.github.lr4j.scheduler;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's OneCycleLR ({@link Curve#phases}): warm up from {@code maxLr / divFactor} to {@code maxLr}, then anneal to
 * {@code maxLr / divFactor / finalDivFactor} (cos or linear), optionally in three phases, with
 * momentum (or beta1) cycled inversely between {@code maxMomentum} and {@code baseMomentum}.
 *
 * <p>Steps 0 to {@code totalSteps} are allowed, as in PyTorch (step {@code totalSteps} extrapolates
 * the last phase; with linear annealing PyTorch's value there is negative, and lr4j gives 0).
 * Stepping further, or {@link #lrAt} beyond {@code totalSteps}, fails with a message that says so
 * and changes nothing (PyTorch raises "Tried to step N times").
 */
final class OneCycleLR extends BasicScheduler {
    private static final int INITIAL = 0;
    private static final int MAX = 1;
    private static final int MIN = 2;
    private static final String[] LR_KEYS = {"initial_lr", "max_lr", "min_lr"};
    private static final int MAX_M = 0;
    private static final int BASE_M = 1;
    private static final String[] M_KEYS = {"max_momentum", "base_momentum"};

    private final double[] maxLrs;
    private final long totalSteps;
    private final double pctStart;
    private final boolean cos;
    private final boolean cycleMomentum;
    private final double[] baseMomentums;
    private final double[] maxMomentums;
    private final double divFactor;
    private final double finalDivFactor;
    private final boolean threePhase;
    private final double[] endSteps;
    private final int[] startLr;
    private final int[] endLr;
    private final int[] startM;
    private final int[] endM;
    /** Per group: initial, max and min lr. */
    private final double[][] lrs;
    private final Curve[] curves;
    private final Curve[] momentumCurves;

    OneCycleLR(ParamGroups groups, double[] maxLrs, long totalSteps, double pctStart, boolean cos, boolean cycleMomentum,
               double[] baseMomentum, double[] maxMomentum, double divFactor, double finalDivFactor, boolean threePhase) {
        super(groups);
        this.maxLrs = maxLrs;
        this.totalSteps = totalSteps;
        this.pctStart = pctStart;
        this.cos = cos;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentums = baseMomentum;
        this.maxMomentums = maxMomentum;
        this.divFactor = divFactor;
        this.finalDivFactor = finalDivFactor;
        this.threePhase = threePhase;
        if (threePhase) {
            endSteps = new double[] {pctStart * totalSteps - 1, 2 * pctStart * totalSteps - 2, totalSteps - 1};
            startLr = new int[] {INITIAL, MAX, INITIAL};
            endLr = new int[] {MAX, INITIAL, MIN};
            startM = new int[] {MAX_M, BASE_M, MAX_M};
            endM = new int[] {BASE_M, MAX_M, MAX_M};
        } else {
            endSteps = new double[] {pctStart * totalSteps - 1, totalSteps - 1};
            startLr = new int[] {INITIAL, MAX};
            endLr = new int[] {MAX, MIN};
            startM = new int[] {MAX_M, BASE_M};
            endM = new int[] {BASE_M, MAX_M};
        }
        lrs = new double[n][3];
        for (int g = 0; g < n; g++) {
            lrs[g][INITIAL] = maxLrs[g] / divFactor;
            lrs[g][MAX] = maxLrs[g];
            lrs[g][MIN] = lrs[g][INITIAL] / finalDivFactor;
        }
        Curve.Anneal anneal = cos ? Curve.Anneal.COS : Curve.Anneal.LINEAR;
        curves = new Curve[n];
        momentumCurves = cycleMomentum ? new Curve[n] : null;
        for (int g = 0; g < n; g++) {
            double[] lrValues = new double[endSteps.length + 1];
            double[] momentumValues = new double[endSteps.length + 1];
            for (int i = 0; i < endSteps.length; i++) {
                lrValues[i] = lrs[g][startLr[i]];
                momentumValues[i] = startM[i] == MAX_M ? maxMomentum[g] : baseMomentum[g];
            }
            lrValues[endSteps.length] = lrs[g][endLr[endSteps.length - 1]];
            momentumValues[endSteps.length] = endM[endSteps.length - 1] == MAX_M ? maxMomentum[g] : baseMomentum[g];
            // Only linear annealing at t == totalSteps goes below 0 (PyTorch's extrapolation); lr4j gives 0.
            curves[g] = Curve.phases(endSteps, lrValues, anneal).clamped(0, Double.POSITIVE_INFINITY);
            if (cycleMomentum) {
                momentumCurves[g] = Curve.phases(endSteps, momentumValues, anneal);
            }
        }
    }

    /** PyTorch's constructor: overwrite initial_lr, set momentum to max_momentum, then the initial step. */
    OneCycleLR attachOneCycle() {
        for (int g = 0; g < n; g++) {
            groups.setInitialLr(g, lrs[g][INITIAL]);
            if (cycleMomentum) {
                groups.setMomentum(g, maxMomentums[g]);
            }
        }
        return attach();
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "OneCycleLR";
    }

    @Override
    void checkCanStep(long t) {
        if (t > totalSteps) {
            throw new IllegalStateException(tooFar(t));
        }
    }

    @Override
    long lastReachableEpoch() {
        return totalSteps;
    }

    private String tooFar(long t) {
        return "OneCycleLR cannot go to step " + t + ": total_steps is " + totalSteps + " and step " + totalSteps
                + " is the last one allowed (PyTorch raises \"Tried to step " + (t + 1) + " times\"); size the schedule"
                + " with total_steps = epochs * steps_per_epoch of the whole run";
    }

    @Override
    void checkLrAt(long step) {
        if (step > totalSteps) {
            throw new IllegalArgumentException(tooFar(step));
        }
    }

    @Override
    Curve curve(int g) {
        return curves[g];
    }

    @Override
    Curve momentumCurve(int g) {
        return momentumCurves == null ? null : momentumCurves[g];
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("total_steps", totalSteps);
        List<Object> phases = new ArrayList<>();
        for (int i = 0; i < endSteps.length; i++) {
            Map<String, Object> ph = new LinkedHashMap<>();
            ph.put("end_step", endSteps[i]);
            ph.put("start_lr", LR_KEYS[startLr[i]]);
            ph.put("end_lr", LR_KEYS[endLr[i]]);
            ph.put("start_momentum", M_KEYS[startM[i]]);
            ph.put("end_momentum", M_KEYS[endM[i]]);
            phases.add(ph);
        }
        out.put("_schedule_phases", phases);
        out.put("anneal_strategy", cos ? "cos" : "linear");
        out.put("cycle_momentum", cycleMomentum);
        out.put("use_beta1", cycleMomentum && groups.momentumKind() == MomentumKind.BETA1);
        out.put("max_lrs", maxLrs);
        double[] min = new double[n];
        for (int g = 0; g < n; g++) {
            min[g] = lrs[g][MIN];
        }
        out.put("min_lrs", min);
        if (cycleMomentum) {
            out.put("base_momentums", baseMomentums);
            out.put("max_momentums", maxMomentums);
        }
    }

    /** PyTorch 2.x's pickle-safe name of the anneal function (1.13 saved the bound method anneal_func). */
    @Override
    void writeExtraState(Map<String, Object> out) {
        out.put("_anneal_func_type", cos ? "cos" : "linear");
    }

    @Override
    void describe(Map<String, Object> args) {
        args.put("max_lr", maxLrs);
        args.put("total_steps", totalSteps);
        args.put("pct_start", pctStart);
        args.put("anneal_strategy", cos ? "cos" : "linear");
        args.put("cycle_momentum", cycleMomentum);
        if (cycleMomentum) {
            args.put("base_momentum", baseMomentums);
            args.put("max_momentum", maxMomentums);
        }
        args.put("div_factor", divFactor);
        args.put("final_div_factor", finalDivFactor);
        args.put("three_phase", threePhase);
    }
}
