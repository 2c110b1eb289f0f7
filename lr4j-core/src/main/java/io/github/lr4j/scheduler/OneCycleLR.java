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
    /** {@code lrPoints[i][g]}: group g's lr where phase i starts (the last: where the last phase ends). */
    private final double[][] lrPoints;
    /** The same for momentum, or null when momentum is not cycled. */
    private final double[][] momentumPoints;

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
        int points = endSteps.length + 1;
        lrPoints = new double[points][n];
        momentumPoints = cycleMomentum ? new double[points][n] : null;
        for (int g = 0; g < n; g++) {
            double[] lrValues = new double[points];
            double[] momentumValues = new double[points];
            for (int i = 0; i < endSteps.length; i++) {
                lrValues[i] = lrs[g][startLr[i]];
                momentumValues[i] = startM[i] == MAX_M ? maxMomentum[g] : baseMomentum[g];
            }
            lrValues[endSteps.length] = lrs[g][endLr[endSteps.length - 1]];
            momentumValues[endSteps.length] = endM[endSteps.length - 1] == MAX_M ? maxMomentum[g] : baseMomentum[g];
            for (int i = 0; i < points; i++) {
                lrPoints[i][g] = lrValues[i];
                if (cycleMomentum) {
                    momentumPoints[i][g] = momentumValues[i];
                }
            }
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

    /**
     * PyTorch 2.x's constructor with {@code last_epoch=k}: the groups keep what the resumed optimizer holds (no
     * initial_lr or momentum written), and the initial step is step {@code k + 1}. PyTorch then reads initial_lr,
     * max_lr, min_lr, max_momentum and base_momentum from the groups, which the saved run's OneCycleLR wrote there;
     * lr4j's groups hold only the initial lr, so the others come from this scheduler's arguments, and a group whose
     * initial lr is not {@code max_lr / div_factor} (a run saved with other arguments) is refused.
     */
    @Override
    void resumeAt(long k) {
        requireResumable(k);
        for (int g = 0; g < n; g++) {
            double held = groups.initialLr(g);
            if (held != lrs[g][INITIAL]) {
                throw new IllegalArgumentException("OneCycleLR with last_epoch=" + k + ": param_groups[" + g
                        + "] holds initial_lr=" + held + " but max_lr / div_factor is " + lrs[g][INITIAL] + " ("
                        + maxLrs[g] + " / " + divFactor + "); build it with the max_lr and div_factor of the run that"
                        + " saved the optimizer (PyTorch 2.x would take initial_lr, max_lr and min_lr from the groups)");
            }
        }
        super.resumeAt(k);
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

    /**
     * {@link #curves} and {@link #momentumCurves} at step {@code t} for every group: the phase, its progress and the
     * annealing factor ({@code cos(pi * pct) + 1}, or {@code pct} when linear) are the same for every group and are
     * found once; each group then anneals between its own values with {@link Curve.Anneal}'s operations in their
     * order, so the values are the bits {@link #lrAt} and {@link #momentumAt(long, int)} give.
     */
    @Override
    void valuesAt(long t, double[] out, double[] momenta) {
        double step = t;
        int phase = 0;
        double start = 0;
        for (int last = endSteps.length - 1; phase < last && !(step <= endSteps[phase]); phase++) {
            start = endSteps[phase];
        }
        double pct = (step - start) / (endSteps[phase] - start);
        double shared = cos ? Math.cos(Math.PI * pct) + 1 : pct;
        double[] from = lrPoints[phase];
        double[] to = lrPoints[phase + 1];
        for (int g = 0; g < n; g++) {
            // Only linear annealing at t == totalSteps goes below 0 (PyTorch's extrapolation); lr4j gives 0 (the
            // curve's clamp to [0, inf): its min with inf changes no value, NaN included, so only the max is left).
            out[g] = Math.max(0, anneal(from[g], to[g], shared));
        }
        if (momenta != null) {
            from = momentumPoints[phase];
            to = momentumPoints[phase + 1];
            for (int g = 0; g < n; g++) {
                momenta[g] = anneal(from[g], to[g], shared);
            }
        }
    }

    /** {@link Curve.Anneal#COS} and {@link Curve.Anneal#LINEAR} from {@code shared} (see {@link #valuesAt}). */
    private double anneal(double from, double to, double shared) {
        return cos ? to + (from - to) / 2.0 * shared : (to - from) * shared + from;
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
