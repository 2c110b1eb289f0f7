package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/**
 * PyTorch's CosineAnnealingWarmRestarts (SGDR): cosine from the base lr to {@code etaMin} over
 * {@code T_i} steps, restarting with {@code T_i *= tMult} ({@code Curve.cosine(t0, etaMin).repeated(t0, tMult, 1)}).
 * Stepping keeps PyTorch's {@code T_cur}/{@code T_i} bookkeeping (saved in its state), whose
 * explicit-epoch arithmetic it reproduces. {@link #step(double)} takes fractional
 * epochs, e.g. {@code epoch + batch / batches}, exactly as PyTorch computes them.
 */
final class CosineAnnealingWarmRestarts extends BasicScheduler {
    private final long t0;
    private final long tMult;
    private final double etaMin;
    private long tI;
    private double tCur;
    private final Curve firstCycle;
    private final Curve curve;
    /** Scratch for the lrs of the step being taken (no allocation per step). */
    private final double[] pending;

    CosineAnnealingWarmRestarts(ParamGroups groups, long t0, long tMult, double etaMin) {
        super(groups);
        this.t0 = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tI = t0;
        this.tCur = -1;
        this.firstCycle = Curve.cosine(t0, etaMin);
        this.curve = firstCycle.repeated(t0, tMult, 1);
        this.pending = new double[n];
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "CosineAnnealingWarmRestarts";
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    /**
     * Moves to {@code T_cur = cur} of a cycle of {@code T_i = period} steps (PyTorch's own bookkeeping
     * of the two); checks the lrs before changing anything.
     */
    private void commit(double cur, long period, long epoch) {
        // firstCycle.withHorizon(period).at(cur, base) (Curve.cosine) for every group, operation for operation, with
        // what the groups share, 1 + cos(pi * cur / period), computed once and no curve made per step.
        double shared = 1 + Math.cos(Math.PI * cur / period);
        for (int g = 0; g < n; g++) {
            pending[g] = etaMin + (baseLrs[g] - etaMin) * shared / 2;
        }
        checkWritable(epoch, pending, null);
        tCur = cur;
        tI = period;
        lastEpoch = epoch;
        for (int g = 0; g < n; g++) {
            groups.setLr(g, pending[g]);
        }
        captureLastLr();
    }

    @Override
    double stepFrom(int g, long t, double lr) {
        return valueAt(g, t);
    }

    // PyTorch's CosineAnnealingWarmRestarts.step neither counts _step_count nor uses get_lr's recursion.
    @Override
    public void step(double epoch) {
        if (!(epoch >= 0) || Double.isInfinite(epoch)) {
            throw new IllegalArgumentException("epoch must be finite and >= 0, got " + epoch);
        }
        advanceTo(epoch);
    }

    @Override
    public void step(long epoch) {
        step((double) epoch);
    }

    private void advanceTo(double epoch) {
        double cur;
        long period = tI;
        if (epoch >= t0) {
            if (tMult == 1) {
                cur = epoch % t0;
            } else {
                int k = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                double pow = Math.pow(tMult, k);
                cur = epoch - t0 * (pow - 1) / (tMult - 1);
                period = (long) (t0 * pow);
            }
        } else {
            period = t0;
            cur = epoch;
        }
        commit(cur, period, (long) Math.floor(epoch));
    }

    @Override
    void stepAt(long t) {
        if (t == 0) {
            stepCount = 0;
        }
        plainStep();
    }

    /** PyTorch's {@code step()} with no epoch. */
    private void plainStep() {
        if (lastEpoch < 0) {
            advanceTo(0);
            return;
        }
        double cur = tCur + 1;
        long period = tI;
        if (cur >= period) {
            cur = cur % period; // PyTorch 2.x (#151289); 1.13 subtracted one period, leaving T_cur >= T_i
            period = period * tMult;
        }
        commit(cur, period, lastEpoch + 1);
    }

    @Override
    void restart() {
        advanceTo(0);
    }

    /** PyTorch 2.x with {@code last_epoch=k}: {@code T_cur = k}, then one plain step (which wraps T_cur once). */
    @Override
    void resumeAt(long k) {
        requireResumable(k);
        for (int g = 0; g < n; g++) {
            baseLrs[g] = groups.initialLr(g);
            attachLrs[g] = groups.lr(g);
        }
        tI = t0;
        tCur = k;
        lastEpoch = k;
        stepCount = 0;
        plainStep();
    }

    private long markedTI;
    private double markedTCur;

    @Override
    void mark() {
        super.mark();
        markedTI = tI;
        markedTCur = tCur;
    }

    @Override
    void rollback() {
        super.rollback();
        tI = markedTI;
        tCur = markedTCur;
    }

    @Override
    public void step() {
        plainStep();
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("T_0", t0);
        out.put("T_mult", tMult);
        out.put("eta_min", etaMin);
    }

    @Override
    void writeExtraState(Map<String, Object> out) {
        out.put("T_i", tI);
        out.put("T_cur", tCur);
    }

    @Override
    Runnable readExtraState(StateReader in) {
        long i = in.integer("T_i", 1);
        double cur = in.finite("T_cur");
        return () -> {
            tI = i;
            tCur = cur;
        };
    }

}
