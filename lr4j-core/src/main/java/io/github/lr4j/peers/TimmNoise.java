package io.github.lr4j.peers;

import io.github.lr4j.util.Checks;

/**
 * timm's schedule noise ({@code Scheduler._is_apply_noise} and {@code _calculate_noise}). At {@code t} inside
 * {@code noise_range_t} (a single {@code n}: {@code t >= n}; a pair: {@code lo <= t < hi}) the value {@code v}
 * becomes {@code v + v * noise}, where noise is drawn from a fresh {@code torch.Generator().manual_seed(seed + t)}:
 * "normal" draws float32 {@code randn} until {@code |noise| < noise_pct}; "uniform" is
 * {@code 2 (rand - 0.5) noise_pct} from one float32 {@code rand}. timm accepts {@code noise_std} but never uses it.
 *
 * <p>timm's redraw loop ({@code while True: noise = torch.randn(1, generator=g).item(); if abs(noise) < noise_pct:
 * break}, "brute force but shouldn't spin much") never ends for a tiny {@code noise_pct}: a draw is that small with
 * probability about {@code 0.8 noise_pct}. lr4j draws the same numbers but at most {@link #MAX_DRAWS} of them, then
 * fails the step with a message naming {@code noise_pct}: every value it does return is timm's.
 */
final class TimmNoise {
    /** timm's noise types. */
    enum Type { NORMAL, UNIFORM }

    /**
     * How many normal draws lr4j makes at one step before giving up (about 0.1 s): enough for {@code noise_pct}
     * down to about 1e-5 (expected draws {@code ~1.25 / noise_pct}), where timm itself already spins for long.
     */
    static final int MAX_DRAWS = 1 << 22;

    private final long rangeStart;
    private final long rangeEnd;
    private final double pct;
    private final Type type;
    private final long seed;

    private TimmNoise(long rangeStart, long rangeEnd, double pct, Type type, long seed) {
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
        this.pct = pct;
        this.type = type;
        this.seed = seed;
    }

    /**
     * @param range timm's {@code noise_range_t}: null (no noise), one value or two
     */
    static TimmNoise of(long[] range, double pct, Type type, long seed) {
        if (range == null) {
            return null;
        }
        if (range.length == 1) {
            return new TimmNoise(range[0], Long.MAX_VALUE, positivePct(pct), type, seed);
        }
        if (range.length != 2) {
            throw new IllegalArgumentException("noise_range_t must be one number or a pair [start, end), got "
                    + range.length + " numbers");
        }
        return new TimmNoise(range[0], range[1], positivePct(pct), type, seed);
    }

    private static double positivePct(double pct) {
        // timm's normal noise re-draws until |noise| < noise_pct: with noise_pct <= 0 it never ends.
        return Checks.positive("noise_pct", pct);
    }

    boolean appliesAt(long t) {
        return t >= rangeStart && (rangeEnd == Long.MAX_VALUE || t < rangeEnd);
    }

    /**
     * The noise timm draws at {@code t}.
     *
     * @throws IllegalStateException when no normal draw of the first {@link #MAX_DRAWS} is below {@code noise_pct}
     *     (timm would redraw forever, or nearly)
     */
    double noiseAt(long t) {
        TorchGenerator g = new TorchGenerator(seed + t);
        if (type == Type.NORMAL) {
            for (int draw = 0; draw < MAX_DRAWS; draw++) {
                double noise = g.randnFloat();
                if (Math.abs(noise) < pct) {
                    return noise;
                }
            }
            throw new IllegalStateException("noise_pct=" + Checks.fmt(pct) + " is too small for timm's normal noise, which"
                    + " redraws torch.randn until |noise| < noise_pct: none of the first " + MAX_DRAWS + " draws at t=" + t
                    + " was (timm would spin for ever or nearly); use noise_pct >= 1e-5, or noise_type='uniform'");
        }
        return 2 * (g.randFloat() - 0.5) * pct;
    }

    /** {@code v + v * noise} inside the range, {@code v} outside. */
    double apply(double v, long t) {
        return appliesAt(t) ? v + v * noiseAt(t) : v;
    }
}
