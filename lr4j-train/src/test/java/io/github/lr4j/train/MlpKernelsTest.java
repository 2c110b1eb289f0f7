package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MlpKernelsTest {
    /** A ReLU output: zero, or any positive float (subnormals and the extremes included). */
    private static float reluOutput(Random random) {
        switch (random.nextInt(5)) {
            case 0:
                return 0f;
            case 1:
                return Float.intBitsToFloat(1 + random.nextInt(0x007f_ffff)); // subnormal
            case 2:
                return random.nextBoolean() ? Float.MIN_VALUE : Float.MAX_VALUE;
            default:
                return Float.intBitsToFloat(0x0080_0000 + random.nextInt(0x7f00_0000)); // normal, positive
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void reluMaskKeepsTheDeltaBitForBitWhereTheReluWasOnAndZeroesItWhereItWasOff(long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(300);
        float[] a = new float[n];
        float[] d = new float[n];
        float[] expected = new float[n];
        for (int j = 0; j < n; j++) {
            a[j] = reluOutput(random);
            d[j] = (float) random.nextGaussian() * (random.nextBoolean() ? 1e-30f : 10f);
            expected[j] = a[j] > 0f ? d[j] : 0f;
        }
        MlpKernels.reluMask(d, a, n);
        for (int j = 0; j < n; j++) {
            // A zero may keep the delta's sign; every other value is the same float.
            assertThat(d[j] == expected[j] && (expected[j] == 0f || Float.floatToRawIntBits(d[j])
                    == Float.floatToRawIntBits(expected[j]))).as("j=%d a=%s", j, a[j]).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void transposedGradientSumsAddTheSameFloatsAsRowMajorOnesAndAreCleared(long seed) {
        Random random = new Random(seed);
        int out = 1 + random.nextInt(40);
        int in = 1 + random.nextInt(40);
        float factor = random.nextFloat();
        float[] start = new float[out * in];
        for (int i = 0; i < start.length; i++) {
            start[i] = random.nextFloat() - 0.5f;
        }
        float[][] rows = new float[out][in];
        float[][] t = new float[in][out];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                rows[o][i] = random.nextFloat() - 0.5f;
                t[i][o] = rows[o][i];
            }
        }
        float[] viaRows = start.clone();
        float[] viaTransposed = start.clone();
        MlpKernels.addRowsScaled(viaRows, rows, factor, out, in);
        MlpKernels.addTransposedRowsScaled(viaTransposed, t, factor, out, in);
        assertThat(viaTransposed).containsExactly(viaRows);
        for (float[] row : t) {
            assertThat(row).containsOnly(0f);
        }
    }
}
