package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/**
 * PyTorch's CosineAnnealingLR. Closed form {@link Curve#cosine}: {@code etaMin + (base - etaMin)(1 + cos(pi t / tMax)) / 2};
 * stepping uses PyTorch's recursive form (which rescales whatever lr the group holds). Like
 * PyTorch it is periodic: past {@code tMax} the lr climbs back up.
 */
final class CosineAnnealingLR extends BasicScheduler {
    private final long tMax;
    private final double etaMin;
    /** {@code 1 - cos(pi / tMax)}: PyTorch's step out of a trough. */
    private final double troughStep;
    /** Whether the current step leaves a trough, and else the recursion's ratio: found once per step, not per group. */
    private long ratioStep = Long.MIN_VALUE;
    private boolean trough;
    private double ratio;
    /** {@code 1 + cos(pi t / tMax)} at {@code t = ratioStep}: the next step's denominator, so one cosine per step. */
    private double rise;
    private final Curve curve;

    CosineAnnealingLR(ParamGroups groups, long tMax, double etaMin) {
        super(groups);
        this.tMax = tMax;
        this.etaMin = etaMin;
        this.troughStep = 1 - Math.cos(Math.PI / tMax);
        this.curve = Curve.cosine(tMax, etaMin);
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    /**
     * Memoizes for step {@code t} whether it leaves a trough and else
     * {@code (1 + cos(pi t / tMax)) / (1 + cos(pi (t - 1) / tMax))}; the denominator is the numerator of step
     * {@code t - 1} when that was the step before (the same operations on the same numbers).
     */
    private void prepare(long t) {
        if (t != ratioStep) {
            double previous = ratioStep == t - 1 ? rise : 1 + Math.cos(Math.PI * (t - 1) / tMax);
            rise = 1 + Math.cos(Math.PI * t / tMax);
            trough = Math.floorMod(t - 1 - tMax, 2 * tMax) == 0;
            if (!trough) {
                ratio = rise / previous;
            }
            ratioStep = t;
        }
    }

    @Override
    public String name() {
        return "CosineAnnealingLR";
    }

    /** PyTorch 2.x: the initial step of a resumed scheduler keeps the lr ({@code _is_initial}). */
    @Override
    double initialNext(int g, long t, double lr) {
        return lr;
    }

    @Override
    double next(int g, long t, double lr) {
        if (t == 0) {
            return lr;
        }
        prepare(t);
        if (trough) {
            return lr + (baseLrs[g] - etaMin) * troughStep / 2;
        }
        return ratio * (lr - etaMin) + etaMin;
    }

    /** Without a floor and before the first trough the recursion is a pure product (the trough branch adds). */
    @Override
    boolean productUpTo(long t) {
        return etaMin == 0 && t <= tMax;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("T_max", tMax);
        out.put("eta_min", etaMin);
    }
}
