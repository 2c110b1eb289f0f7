package io.github.lr4j.peers;

import static io.github.lr4j.util.Checks.invalid;

import io.github.lr4j.util.Checks;

/**
 * timm's {@code PlateauLRScheduler} ({@code timm/scheduler/plateau_lr.py} at aa4b5850): a warm-up, then torch's
 * {@code ReduceLROnPlateau(patience=patience_t, factor=decay_rate, threshold=threshold, cooldown=cooldown_t,
 * mode=mode, min_lr=lr_min)} (threshold_mode 'rel', eps 1e-8) acting on the groups' lrs, then optional noise.
 * Stateful, like the original: it holds the groups' lrs.
 *
 * <p>{@link #step(long, Double) step(epoch, metric)}:
 * <ul>
 * <li>{@code epoch <= warmup_t} (note {@code <=}, unlike the other timm schedulers): every group's lr becomes
 *     {@code (warmup_lr_init + epoch (base - warmup_lr_init) / warmup_t) * lr_scale}; the metric is ignored.
 *     (Without warm-up, {@code step(0)} sets the lr to {@code warmup_lr_init}: timm's training loop calls
 *     {@code step(epoch + 1)}.)</li>
 * <li>otherwise the lrs from before the last noise come back, then, if a metric is given, the plateau control
 *     steps: it counts a bad epoch unless {@code metric < best (1 - threshold)} (mode min) or
 *     {@code metric > best (1 + threshold)} (mode max); during a cooldown bad epochs are not counted; more than
 *     {@code patience_t} bad epochs multiply every lr by {@code decay_rate} (not below {@code lr_min}, and only
 *     if it falls by more than 1e-8) and start a cooldown of {@code cooldown_t}. A missing metric skips it.</li>
 * <li>then, inside {@code noise_range_t}, every lr is multiplied by {@code 1 + noise} (normal or uniform noise
 *     from PyTorch's generator, see {@link TorchGenerator}); the next step undoes this first.</li>
 * </ul>
 * The lr a plateau reduces is the group's actual lr, lr_scale included, so {@code lr_min} applies to it.
 * timm's {@code state_dict} keeps only {@code best} and {@code last_epoch} (the plateau's step count): a timm
 * run restored from it forgets its bad-epoch count, cooldown and noise restore point.
 */
public final class TimmPlateau {
    /** torch's ReduceLROnPlateau eps: a reduction smaller than this is skipped. */
    private static final double EPS = 1e-8;

    /** timm's {@code mode}. */
    public enum Mode { MIN, MAX }

    private final double decayRate;
    private final long patienceT;
    private final double threshold;
    private final long cooldownT;
    private final long warmupT;
    private final double warmupLrInit;
    private final double lrMin;
    private final Mode mode;
    private final TimmNoise noise;
    private final double[] baseValues;
    private final double[] lrScales;

    private final double[] lrs;
    private double[] restoreLrs;
    private double best;
    private long lastEpoch;
    private long numBadEpochs;
    private long cooldownCounter;

    private TimmPlateau(Builder b, double[] baseValues, double[] lrScales) {
        decayRate = b.decayRate;
        patienceT = b.patienceT;
        threshold = b.threshold;
        cooldownT = b.cooldownT;
        warmupT = b.warmupT;
        warmupLrInit = b.warmupLrInit;
        lrMin = b.lrMin;
        mode = b.mode;
        noise = TimmNoise.of(b.noiseRangeT, b.noisePct, b.noiseType, b.noiseSeed);
        if (baseValues == null || baseValues.length == 0) {
            throw new IllegalArgumentException("base values must hold one lr per param group, got none");
        }
        for (int g = 0; g < baseValues.length; g++) {
            Checks.nonNegative("base value of group " + g, baseValues[g]);
        }
        if (lrScales != null && lrScales.length != baseValues.length) {
            throw new IllegalArgumentException("lr_scale must have one entry per param group (" + baseValues.length
                    + "), got " + lrScales.length);
        }
        this.baseValues = baseValues.clone();
        this.lrScales = lrScales == null ? null : lrScales.clone();
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        lrs = new double[baseValues.length];
        for (int g = 0; g < lrs.length; g++) {
            lrs[g] = TimmSchedule.scaled(warmupT > 0 ? warmupLrInit : baseValues[g], lrScales, g);
        }
    }

    /** {@code PlateauLRScheduler(optimizer, ...)} with timm's defaults; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The groups' lrs now (after construction: what timm writes into them when it constructs the scheduler). */
    public double[] lrs() {
        return lrs.clone();
    }

    /** The plateau control's best metric (timm's state_dict {@code best}). */
    public double best() {
        return best;
    }

    /** How many metrics the plateau control has seen (timm's state_dict {@code last_epoch}). */
    public long lastEpoch() {
        return lastEpoch;
    }

    /** Everything a step changes, for lr4j's saved state (timm's own state_dict keeps less: see above). */
    public record State(double[] lrs, double[] restoreLrs, double best, long lastEpoch, long numBadEpochs,
                        long cooldownCounter) {
    }

    public State state() {
        return new State(lrs.clone(), restoreLrs == null ? null : restoreLrs.clone(), best, lastEpoch, numBadEpochs,
                cooldownCounter);
    }

    /** Puts back a {@link #state()}; the caller has checked it. */
    public void restore(State s) {
        if (s.lrs().length != lrs.length || (s.restoreLrs() != null && s.restoreLrs().length != lrs.length)) {
            throw new IllegalArgumentException("lrs must hold " + lrs.length + " values, one per param group");
        }
        System.arraycopy(s.lrs(), 0, lrs, 0, lrs.length);
        restoreLrs = s.restoreLrs() == null ? null : s.restoreLrs().clone();
        best = s.best();
        lastEpoch = s.lastEpoch();
        numBadEpochs = s.numBadEpochs();
        cooldownCounter = s.cooldownCounter();
    }

    /** timm's {@code step(epoch, metric)}; {@code metric} may be null. */
    public void step(long epoch, Double metric) {
        if (epoch <= warmupT) {
            for (int g = 0; g < lrs.length; g++) {
                double step = warmupT > 0 ? (baseValues[g] - warmupLrInit) / warmupT : 1;
                lrs[g] = TimmSchedule.scaled(warmupLrInit + epoch * step, lrScales, g);
            }
            return;
        }
        if (restoreLrs != null) {
            System.arraycopy(restoreLrs, 0, lrs, 0, lrs.length);
            restoreLrs = null;
        }
        if (metric != null) {
            stepPlateau(metric);
        }
        if (noise != null && noise.appliesAt(epoch)) {
            double n = noise.noiseAt(epoch);
            restoreLrs = lrs.clone();
            for (int g = 0; g < lrs.length; g++) {
                lrs[g] = lrs[g] + lrs[g] * n;
            }
        }
    }

    /** timm's {@code step_update}: does nothing. */
    public void stepUpdate(long numUpdates) {
        // PlateauLRScheduler.step_update returns None without touching anything.
    }

    private void stepPlateau(double current) {
        lastEpoch++;
        if (isBetter(current)) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patienceT) {
            for (int g = 0; g < lrs.length; g++) {
                double newLr = Math.max(lrs[g] * decayRate, lrMin);
                if (lrs[g] - newLr > EPS) {
                    lrs[g] = newLr;
                }
            }
            cooldownCounter = cooldownT;
            numBadEpochs = 0;
        }
    }

    private boolean isBetter(double a) {
        return mode == Mode.MIN ? a < best * (1. - threshold) : a > best * (threshold + 1.);
    }

    /** timm's arguments, with timm's defaults. */
    public static final class Builder {
        private double decayRate = 0.1;
        private long patienceT = 10;
        private double threshold = 1e-4;
        private long cooldownT;
        private long warmupT;
        private double warmupLrInit;
        private double lrMin;
        private Mode mode = Mode.MAX;
        private long[] noiseRangeT;
        private TimmNoise.Type noiseType = TimmNoise.Type.NORMAL;
        private double noisePct = 0.67;
        private long noiseSeed = 42;

        private Builder() {
        }

        /** {@code decay_rate} (default 0.1), in (0, 1). */
        public Builder decayRate(double v) {
            decayRate = Checks.inOpen("decay_rate", v, 0, 1);
            return this;
        }

        /** {@code patience_t} (default 10). */
        public Builder patienceT(long v) {
            patienceT = Checks.atLeast("patience_t", v, 0);
            return this;
        }

        /** {@code threshold} (default 1e-4), relative. */
        public Builder threshold(double v) {
            threshold = Checks.inClosed("threshold", v, 0, 1);
            return this;
        }

        /** {@code cooldown_t} (default 0). */
        public Builder cooldownT(long v) {
            cooldownT = Checks.atLeast("cooldown_t", v, 0);
            return this;
        }

        /** {@code warmup_t} (default 0). */
        public Builder warmupT(long v) {
            warmupT = Checks.atLeast("warmup_t", v, 0);
            return this;
        }

        /** {@code warmup_lr_init} (default 0). */
        public Builder warmupLrInit(double v) {
            warmupLrInit = Checks.nonNegative("warmup_lr_init", v);
            return this;
        }

        /** {@code lr_min} (default 0). */
        public Builder lrMin(double v) {
            lrMin = Checks.nonNegative("lr_min", v);
            return this;
        }

        /** {@code mode} (default 'max': timm's plateau watches an accuracy-like metric by default). */
        public Builder mode(Mode v) {
            if (v == null) {
                throw invalid("mode", "'min' or 'max'", null);
            }
            mode = v;
            return this;
        }

        /** {@code noise_range_t}: one value {@code n} (noise for {@code epoch >= n}) or {@code [start, end)}. */
        public Builder noiseRangeT(long... v) {
            noiseRangeT = v == null ? null : v.clone();
            return this;
        }

        /** {@code noise_type} (default 'normal'); true for 'uniform'. */
        public Builder uniformNoise(boolean uniform) {
            noiseType = uniform ? TimmNoise.Type.UNIFORM : TimmNoise.Type.NORMAL;
            return this;
        }

        /** {@code noise_pct} (default 0.67). */
        public Builder noisePct(double v) {
            noisePct = Checks.positive("noise_pct", v);
            return this;
        }

        /** {@code noise_seed} (default None, which timm turns into 42). */
        public Builder noiseSeed(long v) {
            noiseSeed = v;
            return this;
        }

        /**
         * @param baseValues the groups' lrs when the scheduler is made (timm's {@code initial_lr})
         * @param lrScales each group's {@code lr_scale} or NaN where it has none; null if no group has one
         */
        public TimmPlateau build(double[] baseValues, double[] lrScales) {
            return new TimmPlateau(this, baseValues, lrScales);
        }
    }
}
