package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KernelsCheckTest {

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    /** Values that stress the check: zeros of both signs, subnormals, the largest floats (whose sums overflow). */
    private static float finiteValue(Random random) {
        switch (random.nextInt(6)) {
            case 0: return random.nextBoolean() ? 0f : -0f;
            case 1: return random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
            case 2: return Float.MIN_VALUE * random.nextInt(1000);
            case 3: return (float) (random.nextGaussian() * 1e30);
            default: return (float) random.nextGaussian();
        }
    }

    private static final float[] NON_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xff800001)};

    @ParameterizedTest
    @MethodSource("seeds")
    void allFiniteAndMaxAbs_agreeWithAnElementByElementCheck_onAnyRange(int seed) {
        Random random = new Random(seed);
        float[] g = new float[1 + random.nextInt(300)];
        for (int i = 0; i < g.length; i++) {
            g[i] = finiteValue(random);
        }
        int bad = random.nextInt(3);
        for (int k = 0; k < bad; k++) {
            g[random.nextInt(g.length)] = NON_FINITE[random.nextInt(NON_FINITE.length)];
        }
        int from = random.nextInt(g.length);
        int to = from + random.nextInt(g.length - from + 1);

        boolean finite = true;
        float max = 0f;
        boolean nan = false;
        for (int i = from; i < to; i++) {
            finite &= Float.isFinite(g[i]);
            nan |= Float.isNaN(g[i]);
            max = Math.max(max, Math.abs(g[i]));
        }
        assertThat(Kernels.allFinite(g, from, to)).as("allFinite of [%d, %d)", from, to).isEqualTo(finite);
        float maxAbs = Kernels.maxAbs(g, from, to);
        if (nan) {
            assertThat(maxAbs).isNaN();
        } else {
            assertThat(Float.floatToRawIntBits(maxAbs)).isEqualTo(Float.floatToRawIntBits(max));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void allFinite_findsOneNonFiniteValueAtAnyPositionOfALongRange(int seed) {
        Random random = new Random(seed);
        float[] g = new float[4096 + random.nextInt(4096)];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
        }
        assertThat(Kernels.allFinite(g, 0, g.length)).isTrue();
        int at = random.nextInt(g.length);
        g[at] = NON_FINITE[random.nextInt(NON_FINITE.length)];
        assertThat(Kernels.allFinite(g, 0, g.length)).as("non-finite at %d of %d", at, g.length).isFalse();
        assertThat(Kernels.allFinite(g, 0, at)).isTrue();
        assertThat(Kernels.allFinite(g, at + 1, g.length)).isTrue();
    }
}
