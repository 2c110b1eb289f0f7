package io.github.lr4j.peers;

import static io.github.lr4j.util.Checks.invalid;

import io.github.lr4j.util.Checks;
import java.util.Arrays;

/**
 * timm's time-based schedulers ({@code timm/scheduler/*.py} at commit aa4b5850, timm 1.0.29.dev0) as a pure
 * function: {@link #values(long, double[])} is {@code _get_lr(t)} followed by {@code _add_noise}, for the base
 * values ({@code initial_lr}) of the groups. How timm applies it:
 * <ul>
 * <li>At construction timm writes {@link #initialLrs} into the groups: {@code warmup_lr_init} when
 *     {@code warmup_t > 0}, otherwise the base values (each times the group's {@code lr_scale}).</li>
 * <li>{@code step(epoch)} writes {@code values(epoch)} if {@code t_in_epochs}, and does nothing otherwise;
 *     {@code step_update(num_updates)} writes {@code values(num_updates)} only if not {@code t_in_epochs}
 *     ({@link #tInEpochs()}).</li>
 * <li>A group with an {@code lr_scale} key gets {@code value * lr_scale}; the base values stay unscaled.</li>
 * </ul>
 *
 * <p>The warm-up, shared by all: {@code warmup_lr_init + t (v_w - warmup_lr_init) / warmup_t} for
 * {@code t < warmup_t}, where {@code v_w} is the base value (for tanh without {@code warmup_prefix}: the tanh value
 * at {@code warmup_t}). After it, {@code warmup_prefix} shifts the schedule's time to {@code t - warmup_t}
 * (its default is false for cosine, tanh and poly, true for step and multistep); without it the warm-up overwrites
 * the schedule's first {@code warmup_t} values.
 *
 * <p>The cyclic ones (cosine, tanh, poly): with {@code cycle_mul == 1}, cycle {@code i = t // t_initial} of length
 * {@code t_initial} at {@code t_curr = t - i t_initial}; otherwise {@code i = floor(log_mul(1 - t/t_initial (1 - mul)))},
 * length {@code mul^i t_initial}, {@code t_curr = t - (1 - mul^i)/(1 - mul) t_initial}. The peak is
 * {@code v cycle_decay^i}; from cycle {@code cycle_limit} on the value is {@code lr_min}. Within a cycle:
 * <ul>
 * <li>cosine ({@code CosineLRScheduler}): {@code lr_min + 0.5 (peak - lr_min)(1 + cos(pi t_curr^k / t_i^k))},
 *     k = {@code k_decay};</li>
 * <li>tanh ({@code TanhLRScheduler}): {@code lr_min + 0.5 (peak - lr_min)(1 - tanh(lb (1 - r) + ub r))},
 *     {@code r = t_curr / t_i};</li>
 * <li>poly ({@code PolyLRScheduler}): {@code lr_min + (peak - lr_min)(1 - t_curr^k / t_i^k)^power}.</li>
 * </ul>
 * step ({@code StepLRScheduler}): {@code v decay_rate^(t // decay_t)} (Python's floor division, also for a
 * fractional {@code decay_t}); multistep ({@code MultiStepLRScheduler}): {@code v decay_rate^n} with n the number
 * of milestones {@code <= t + 1} ({@code bisect_right(decay_t, t + 1)}: one step earlier than torch's MultiStepLR).
 *
 * <p>Arithmetic follows timm's order, so values agree to the last bit or within an ulp of {@code cos}/{@code tanh}/
 * {@code pow}/{@code log}. Two departures, both where timm itself breaks: with {@code cycle_mul < 1} the cycles
 * shrink and all fit before {@code t_initial / (1 - cycle_mul)}; past that timm raises a math domain error and
 * lr4j gives {@code lr_min}. And {@code t_curr} is kept inside {@code [0, t_i]}, which rounding can leave by an
 * ulp when {@code cycle_mul != 1} (timm's poly then produces a complex number). Bad arguments fail with an
 * {@link IllegalArgumentException} naming timm's parameter.
 */
public final class TimmSchedule {
    /** timm's time-based scheduler classes. */
    public enum Kind {
        COSINE("CosineLRScheduler"), TANH("TanhLRScheduler"), STEP("StepLRScheduler"),
        MULTISTEP("MultiStepLRScheduler"), POLY("PolyLRScheduler");

        private final String timmName;

        Kind(String timmName) {
            this.timmName = timmName;
        }

        /** timm's class name. */
        public String timmName() {
            return timmName;
        }
    }

    private final Kind kind;
    private final long tInitial;
    private final double lrMin;
    private final double cycleMul;
    private final double cycleDecay;
    private final long cycleLimit;
    private final long warmupT;
    private final double warmupLrInit;
    private final boolean warmupPrefix;
    private final boolean tInEpochs;
    private final double kDecay;
    private final double power;
    private final double lb;
    private final double ub;
    private final double decayT;
    private final long[] decayMilestones;
    private final double decayRate;
    private final TimmNoise noise;

    private TimmSchedule(Builder b) {
        kind = b.kind;
        tInitial = b.tInitial;
        lrMin = b.lrMin;
        cycleMul = b.cycleMul;
        cycleDecay = b.cycleDecay;
        cycleLimit = b.cycleLimit;
        warmupT = b.warmupT;
        warmupLrInit = b.warmupLrInit;
        warmupPrefix = b.warmupPrefix != null ? b.warmupPrefix : (kind == Kind.STEP || kind == Kind.MULTISTEP);
        tInEpochs = b.tInEpochs;
        kDecay = b.kDecay;
        power = b.power != null ? b.power : 0.5;
        lb = b.lb;
        ub = b.ub;
        decayT = b.decayT;
        decayMilestones = b.decayMilestones;
        decayRate = b.decayRate;
        noise = TimmNoise.of(b.noiseRangeT, b.noisePct, TimmNoise.Type.NORMAL, b.noiseSeed);
    }

    /** {@code CosineLRScheduler(optimizer, t_initial, ...)}. */
    public static Builder cosine(long tInitial) {
        return new Builder(Kind.COSINE).tInitial(tInitial);
    }

    /** {@code TanhLRScheduler(optimizer, t_initial, ...)}. */
    public static Builder tanh(long tInitial) {
        return new Builder(Kind.TANH).tInitial(tInitial);
    }

    /** {@code PolyLRScheduler(optimizer, t_initial, ...)}. */
    public static Builder poly(long tInitial) {
        return new Builder(Kind.POLY).tInitial(tInitial);
    }

    /** {@code StepLRScheduler(optimizer, decay_t, ...)}. */
    public static Builder step(double decayT) {
        Builder b = new Builder(Kind.STEP);
        b.decayT = Checks.positive("decay_t", decayT);
        return b;
    }

    /** {@code MultiStepLRScheduler(optimizer, decay_t, ...)}; the milestones must be ascending, as timm assumes. */
    public static Builder multiStep(long... decayT) {
        Builder b = new Builder(Kind.MULTISTEP);
        if (decayT == null) {
            throw invalid("decay_t", "a list of epochs", null);
        }
        for (int i = 1; i < decayT.length; i++) {
            if (decayT[i] < decayT[i - 1]) {
                throw invalid("decay_t", "in ascending order", Arrays.toString(decayT));
            }
        }
        b.decayMilestones = decayT.clone();
        return b;
    }

    public Kind kind() {
        return kind;
    }

    /** timm's {@code t_in_epochs}: true if {@code step(epoch)} updates the lr, false if {@code step_update} does. */
    public boolean tInEpochs() {
        return tInEpochs;
    }

    /**
     * The lrs timm writes into the groups when it constructs the scheduler.
     *
     * @param lrScales each group's {@code lr_scale}, or null where a group has none (the array itself may be null)
     */
    public double[] initialLrs(double[] baseValues, double[] lrScales) {
        double[] out = new double[checkBases(baseValues).length];
        for (int g = 0; g < out.length; g++) {
            out[g] = scaled(warmupT > 0 ? warmupLrInit : baseValues[g], lrScales, g);
        }
        return out;
    }

    /** The lrs one applied call writes into the groups: {@code values(t)}, each times its group's lr_scale. */
    public double[] lrs(long t, double[] baseValues, double[] lrScales) {
        double[] v = values(t, baseValues);
        for (int g = 0; g < v.length; g++) {
            v[g] = scaled(v[g], lrScales, g);
        }
        return v;
    }

    /** timm's {@code _add_noise(_get_lr(t), t)}: one value per base value, before lr_scale. */
    public double[] values(long t, double[] baseValues) {
        if (t < 0) {
            throw invalid("t", ">= 0", t);
        }
        double[] out = new double[checkBases(baseValues).length];
        for (int g = 0; g < out.length; g++) {
            out[g] = valueAt(t, baseValues[g]);
        }
        if (noise != null && noise.appliesAt(t)) {
            double n = noise.noiseAt(t);
            for (int g = 0; g < out.length; g++) {
                out[g] = out[g] + out[g] * n;
            }
        }
        return out;
    }

    /** timm's {@code warmup_steps} entry for one group: the warm-up's increment per step (1 without warm-up). */
    double warmupStep(double base) {
        if (warmupT == 0) {
            return 1;
        }
        double target = kind == Kind.TANH && !warmupPrefix ? scheduled(warmupT, base) : base;
        return (target - warmupLrInit) / warmupT;
    }

    private double valueAt(long t, double base) {
        if (t < warmupT) {
            return warmupLrInit + t * warmupStep(base);
        }
        return scheduled(warmupPrefix ? t - warmupT : t, base);
    }

    private double scheduled(long t, double base) {
        switch (kind) {
            case STEP:
                return base * Math.pow(decayRate, pyFloorDiv(t, decayT));
            case MULTISTEP:
                return base * Math.pow(decayRate, bisectRight(decayMilestones, t + 1));
            default:
                return cyclic(t, base);
        }
    }

    private double cyclic(long t, double base) {
        long i;
        double tI;
        double tCurr;
        if (cycleMul != 1) {
            double x = 1 - (double) t / tInitial * (1 - cycleMul);
            if (!(x > 0)) {
                // cycle_mul < 1: the shrinking cycles all end before t (timm fails here: log of a number <= 0).
                return lrMin;
            }
            i = (long) Math.floor(Math.log(x) / Math.log(cycleMul));
            tI = Math.pow(cycleMul, i) * tInitial;
            // Rounding can put t_curr a hair outside [0, t_i], where timm's poly takes a fractional power of a
            // negative number (a complex lr in Python).
            tCurr = Math.min(Math.max(t - (1 - Math.pow(cycleMul, i)) / (1 - cycleMul) * tInitial, 0), tI);
        } else {
            i = t / tInitial;
            tI = tInitial;
            tCurr = t - tInitial * i;
        }
        if (i >= cycleLimit) {
            return lrMin;
        }
        double lrMax = base * Math.pow(cycleDecay, i);
        switch (kind) {
            case COSINE:
                return lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.cos(Math.PI * Math.pow(tCurr, kDecay) / Math.pow(tI, kDecay)));
            case TANH:
                double tr = tCurr / tI;
                return lrMin + 0.5 * (lrMax - lrMin) * (1 - Math.tanh(lb * (1. - tr) + ub * tr));
            default:
                return lrMin + (lrMax - lrMin) * Math.pow(1 - Math.pow(tCurr, kDecay) / Math.pow(tI, kDecay), power);
        }
    }

    /** Python's {@code float // float} (floatobject.c's float_floor_div), for non-negative operands. */
    static double pyFloorDiv(double vx, double wx) {
        double mod = vx % wx;
        double div = (vx - mod) / wx;
        if (div == 0) {
            return 0.0;
        }
        double floorDiv = Math.floor(div);
        return div - floorDiv > 0.5 ? floorDiv + 1.0 : floorDiv;
    }

    private static int bisectRight(long[] sorted, long x) {
        int n = 0;
        while (n < sorted.length && sorted[n] <= x) {
            n++;
        }
        return n;
    }

    static double scaled(double v, double[] lrScales, int g) {
        return lrScales == null || Double.isNaN(lrScales[g]) ? v : v * lrScales[g];
    }

    private static double[] checkBases(double[] baseValues) {
        if (baseValues == null || baseValues.length == 0) {
            throw new IllegalArgumentException("base values must hold one lr per param group, got none");
        }
        for (int g = 0; g < baseValues.length; g++) {
            Checks.nonNegative("base value of group " + g, baseValues[g]);
        }
        return baseValues;
    }

    /**
     * timm's optional arguments, with timm's defaults. A setting the scheduler class does not take fails with
     * an {@link IllegalArgumentException}, as the Python constructor fails with a TypeError.
     */
    public static final class Builder {
        private final Kind kind;
        private long tInitial;
        private double lrMin;
        private double cycleMul = 1;
        private double cycleDecay = 1;
        private long cycleLimit = 1;
        private long warmupT;
        private double warmupLrInit;
        private Boolean warmupPrefix;
        private boolean tInEpochs = true;
        private double kDecay = 1;
        private Double power;
        private double lb = -7;
        private double ub = 3;
        private double decayT;
        private long[] decayMilestones;
        private double decayRate = 1;
        private long[] noiseRangeT;
        private double noisePct = 0.67;
        private long noiseSeed = 42;

        private Builder(Kind kind) {
            this.kind = kind;
        }

        private Builder tInitial(long v) {
            if (v < 1) {
                throw invalid("t_initial", ">= 1", v);
            }
            tInitial = v;
            return this;
        }

        private void only(String name, Kind... kinds) {
            for (Kind k : kinds) {
                if (k == kind) {
                    return;
                }
            }
            throw new IllegalArgumentException(name + " is not an argument of " + kind.timmName());
        }

        private void cyclic(String name) {
            only(name, Kind.COSINE, Kind.TANH, Kind.POLY);
        }

        /** {@code lr_min} (default 0): cosine, tanh, poly. */
        public Builder lrMin(double v) {
            cyclic("lr_min");
            lrMin = Checks.nonNegative("lr_min", v);
            return this;
        }

        /** {@code cycle_mul} (default 1): each cycle is this many times longer than the one before. */
        public Builder cycleMul(double v) {
            cyclic("cycle_mul");
            cycleMul = Checks.positive("cycle_mul", v);
            return this;
        }

        /** {@code cycle_decay} (default 1): each cycle's peak is this many times the one before. */
        public Builder cycleDecay(double v) {
            cyclic("cycle_decay");
            cycleDecay = Checks.nonNegative("cycle_decay", v);
            return this;
        }

        /** {@code cycle_limit} (default 1): after this many cycles the value stays at lr_min. */
        public Builder cycleLimit(long v) {
            cyclic("cycle_limit");
            cycleLimit = Checks.atLeast("cycle_limit", v, 0);
            return this;
        }

        /** {@code k_decay} (default 1): cosine and poly. */
        public Builder kDecay(double v) {
            only("k_decay", Kind.COSINE, Kind.POLY);
            kDecay = Checks.positive("k_decay", v);
            return this;
        }

        /** {@code power} (default 0.5): poly. */
        public Builder power(double v) {
            only("power", Kind.POLY);
            power = Checks.nonNegative("power", v);
            return this;
        }

        /** {@code lb} and {@code ub} (defaults -7 and 3): tanh's range, {@code lb < ub}. */
        public Builder bounds(double lowerBound, double upperBound) {
            only("lb", Kind.TANH);
            Checks.finite("lb", lowerBound);
            Checks.finite("ub", upperBound);
            if (!(lowerBound < upperBound)) {
                throw invalid("ub", "> lb (" + Checks.fmt(lowerBound) + ")", upperBound);
            }
            lb = lowerBound;
            ub = upperBound;
            return this;
        }

        /** {@code decay_rate} (default 1): step and multistep. */
        public Builder decayRate(double v) {
            only("decay_rate", Kind.STEP, Kind.MULTISTEP);
            decayRate = Checks.nonNegative("decay_rate", v);
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

        /** {@code warmup_prefix} (default false for cosine, tanh, poly; true for step, multistep). */
        public Builder warmupPrefix(boolean v) {
            warmupPrefix = v;
            return this;
        }

        /** {@code t_in_epochs} (default true). */
        public Builder tInEpochs(boolean v) {
            tInEpochs = v;
            return this;
        }

        /** {@code noise_range_t}: one value {@code n} (noise for {@code t >= n}) or {@code [start, end)}. */
        public Builder noiseRangeT(long... v) {
            noiseRangeT = v == null ? null : v.clone();
            return this;
        }

        /** {@code noise_pct} (default 0.67). */
        public Builder noisePct(double v) {
            noisePct = Checks.positive("noise_pct", v);
            return this;
        }

        /** {@code noise_seed} (default 42). */
        public Builder noiseSeed(long v) {
            noiseSeed = v;
            return this;
        }

        public TimmSchedule build() {
            if (noiseRangeT != null) {
                TimmNoise.of(noiseRangeT, noisePct, TimmNoise.Type.NORMAL, noiseSeed);
            }
            return new TimmSchedule(this);
        }
    }
}
