package io.github.lr4j.peers;

import io.github.lr4j.util.Checks;

/**
 * timm's schedule noise ({@code Scheduler._is_apply_noise} and {@code _calculate_noise}). At {@code t} inside
 * {@code noise_range_t} (a single {@code n}: {@code t >= n}; a pair: {@code lo <= t < hi}) the value {@code v}
 * becomes {@code v + v * noise}, where noise is drawn from a fresh {@code torch.Generator().manual_seed(seed + t)}:
 * "normal" draws float32 {@code randn} until {@code |noise| < noise_pct}; "uniform" is
 * {@code 2 (rand - 0.5) noise_pct} from one float32 {@code rand}. timm accepts {@code noise_std} but never uses it.
 */
final class TimmNoise {
    /** timm's noise types. */
    enum Type { NORMAL, UNIFORM }

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

    /** The noise timm draws at {@code t}. */
    double noiseAt(long t) {
        TorchGenerator g = new TorchGenerator(seed + t);
        if (type == Type.NORMAL) {
            while (true) {
                double noise = g.randnFloat();
                if (Math.abs(noise) < pct) {
                    return noise;
                }
            }
        }
        return 2 * (g.randFloat() - 0.5) * pct;
    }

    /** {@code v + v * noise} inside the range, {@code v} outside. */
    double apply(double v, long t) {
        return appliesAt(t) ? v + v * noiseAt(t) : v;
    }
}
