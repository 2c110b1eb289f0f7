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

    private static float[][] randomMatrix(Random random, int rows, int cols) {
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int i = 0; i < cols; i++) {
                row[i] = (float) random.nextGaussian();
            }
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void dotColumnsGivesEachOutputTheFloatsOfAPlainDotProductInItsOrder(long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(40);
        int outs = 1 + random.nextInt(13);
        int in = 1 + random.nextInt(70);
        int spare = random.nextInt(3); // buffers larger than the batch, as after a larger batch
        float[][] a = randomMatrix(random, n + spare, in);
        float[][] w = randomMatrix(random, outs, in);
        float[] bias = randomMatrix(random, 1, outs)[0];
        float[][] aT = randomMatrix(random, in, n + spare); // stale values where the batch does not reach
        float[][] z = randomMatrix(random, n + spare, outs);
        float[][] before = new float[n + spare][];
        for (int s = 0; s < z.length; s++) {
            before[s] = z[s].clone();
        }
        MlpKernels.transpose(a, aT, n, in);
        MlpKernels.dotColumns(z, aT, w, bias, new float[n + spare], new float[n + spare], n, outs, in);
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < outs; o++) {
                float want;
                if (o < outs - outs % 4) {
                    float sum = 0f;
                    for (int j = 0; j < in; j++) {
                        sum += a[s][j] * w[o][j];
                    }
                    want = bias[o] + sum;
                } else {
                    float even = 0f;
                    float odd = 0f;
                    for (int j = 0; j < in; j++) {
                        if (j % 2 == 0) {
                            even += a[s][j] * w[o][j];
                        } else {
                            odd += a[s][j] * w[o][j];
                        }
                    }
                    want = bias[o] + (even + odd);
                }
                assertThat(z[s][o]).as("n=%d outs=%d in=%d s=%d o=%d", n, outs, in, s, o).isEqualTo(want);
            }
        }
        for (int s = n; s < z.length; s++) {
            assertThat(z[s]).as("a row past the batch").containsExactly(before[s]);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void transposeCopiesTheBatchAndNothingElse(long seed) {
        Random random = new Random(seed);
        int n = 1 + random.nextInt(40);
        int in = 1 + random.nextInt(70);
        float[][] a = randomMatrix(random, n, in);
        float[][] t = randomMatrix(random, in, n + 2);
        float[][] before = new float[in][];
        for (int i = 0; i < in; i++) {
            before[i] = t[i].clone();
        }
        MlpKernels.transpose(a, t, n, in);
        for (int i = 0; i < in; i++) {
            for (int s = 0; s < n + 2; s++) {
                assertThat(t[i][s]).isEqualTo(s < n ? a[s][i] : before[i][s]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void addRowTimesRowsAddsFourTermsAtATimeInOrder(long seed) {
        Random random = new Random(seed);
        int k = 1 + random.nextInt(40);
        int n = 1 + random.nextInt(70);
        float[] a = randomMatrix(random, 1, k)[0];
        float[][] b = randomMatrix(random, k, n + 3);
        float[] c = randomMatrix(random, 1, n + 3)[0];
        float[] want = c.clone();
        for (int j = 0; j < n; j++) {
            int p = 0;
            for (; p + 4 <= k; p += 4) {
                want[j] += ((a[p] * b[p][j] + a[p + 1] * b[p + 1][j]) + a[p + 2] * b[p + 2][j]) + a[p + 3] * b[p + 3][j];
            }
            for (; p < k; p++) {
                want[j] += a[p] * b[p][j];
            }
        }
        MlpKernels.addRowTimesRows(c, a, b, k, n);
        assertThat(c).as("k=%d n=%d", k, n).containsExactly(want);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void addOuterProductsAddsFourSamplesAtATimeInOrder(long seed) {
        Random random = new Random(seed);
        int batch = 1 + random.nextInt(40);
        int rows = 1 + random.nextInt(20);
        int n = 1 + random.nextInt(70);
        float[][] left = randomMatrix(random, batch, rows);
        float[][] right = randomMatrix(random, batch, n + 2);
        float[][] g = randomMatrix(random, rows, n + 2);
        float[][] want = new float[rows][];
        for (int p = 0; p < rows; p++) {
            want[p] = g[p].clone();
            for (int j = 0; j < n; j++) {
                int s = 0;
                for (; s + 4 <= batch; s += 4) {
                    want[p][j] += ((left[s][p] * right[s][j] + left[s + 1][p] * right[s + 1][j])
                            + left[s + 2][p] * right[s + 2][j]) + left[s + 3][p] * right[s + 3][j];
                }
                for (; s < batch; s++) {
                    want[p][j] += left[s][p] * right[s][j];
                }
            }
        }
        MlpKernels.addOuterProducts(g, left, right, batch, rows, n);
        for (int p = 0; p < rows; p++) {
            assertThat(g[p]).as("batch=%d rows=%d n=%d p=%d", batch, rows, n, p).containsExactly(want[p]);
        }
    }
}
