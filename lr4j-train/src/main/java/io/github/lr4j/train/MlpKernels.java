package io.github.lr4j.train;

/**
 * The dense kernels behind {@link Mlp}'s batched forward and backward pass, over rows held as separate
 * {@code float[]} arrays. Every inner loop runs over one row from index 0 with unit stride and no other
 * offset, and adds four rows per pass: that is the shape HotSpot C2 turns into SIMD code (a loop over
 * one flat array at several offsets, {@code c[co + j] += a * b[bo + j]}, is not vectorized on JDK 17 and
 * runs about 5x slower). Nothing here allocates.
 */
final class MlpKernels {
    private MlpKernels() {
    }

    /** {@code c[0..n) += sum over p < k of a[p] * b[p][0..n)}: a row times a matrix held as rows. */
    static void addRowTimesRows(float[] c, float[] a, float[][] b, int k, int n) {
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            float a0 = a[p];
            float a1 = a[p + 1];
            float a2 = a[p + 2];
            float a3 = a[p + 3];
            float[] b0 = b[p];
            float[] b1 = b[p + 1];
            float[] b2 = b[p + 2];
            float[] b3 = b[p + 3];
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j] + a1 * b1[j] + a2 * b2[j] + a3 * b3[j];
            }
        }
        for (; p < k; p++) {
            float a0 = a[p];
            float[] b0 = b[p];
            for (int j = 0; j < n; j++) {
                c[j] += a0 * b0[j];
            }
        }
    }

    /**
     * {@code g[p][0..n) += sum over s < batch of left[s][p] * right[s][0..n)} for every p < rows: the sum of
     * the batch's outer products, four samples per pass.
     */
    static void addOuterProducts(float[][] g, float[][] left, float[][] right, int batch, int rows, int n) {
        int s = 0;
        for (; s + 4 <= batch; s += 4) {
            float[] l0 = left[s];
            float[] l1 = left[s + 1];
            float[] l2 = left[s + 2];
            float[] l3 = left[s + 3];
            float[] r0 = right[s];
            float[] r1 = right[s + 1];
            float[] r2 = right[s + 2];
            float[] r3 = right[s + 3];
            for (int p = 0; p < rows; p++) {
                float a0 = l0[p];
                float a1 = l1[p];
                float a2 = l2[p];
                float a3 = l3[p];
                float[] c = g[p];
                for (int j = 0; j < n; j++) {
                    c[j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
                }
            }
        }
        for (; s < batch; s++) {
            float[] l0 = left[s];
            float[] r0 = right[s];
            for (int p = 0; p < rows; p++) {
                float a0 = l0[p];
                float[] c = g[p];
                for (int j = 0; j < n; j++) {
                    c[j] += a0 * r0[j];
                }
            }
        }
    }

    /**
     * {@code out0[o] = bias[o] + a0 . w[o]} and the same for {@code a1, out1} (null: one sample), o < outs: dot
     * products of length n, four rows of {@code w} and two samples per pass (eight independent sums).
     */
    static void dotRows(float[] out0, float[] a0, float[] out1, float[] a1, float[][] w, float[] bias, int outs, int n) {
        if (a1 == null) {
            dotRows(out0, a0, out0, a0, w, bias, outs, n);
            return;
        }
        int o = 0;
        for (; o + 4 <= outs; o += 4) {
            float[] w0 = w[o];
            float[] w1 = w[o + 1];
            float[] w2 = w[o + 2];
            float[] w3 = w[o + 3];
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            float t0 = 0;
            float t1 = 0;
            float t2 = 0;
            float t3 = 0;
            for (int j = 0; j < n; j++) {
                float u = a0[j];
                float v = a1[j];
                float x0 = w0[j];
                float x1 = w1[j];
                float x2 = w2[j];
                float x3 = w3[j];
                s0 += u * x0;
                s1 += u * x1;
                s2 += u * x2;
                s3 += u * x3;
                t0 += v * x0;
                t1 += v * x1;
                t2 += v * x2;
                t3 += v * x3;
            }
            out0[o] = bias[o] + s0;
            out0[o + 1] = bias[o + 1] + s1;
            out0[o + 2] = bias[o + 2] + s2;
            out0[o + 3] = bias[o + 3] + s3;
            out1[o] = bias[o] + t0;
            out1[o + 1] = bias[o + 1] + t1;
            out1[o + 2] = bias[o + 2] + t2;
            out1[o + 3] = bias[o + 3] + t3;
        }
        for (; o < outs; o++) {
            float[] w0 = w[o];
            float s0 = 0;
            float s1 = 0;
            float t0 = 0;
            float t1 = 0;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                s0 += a0[j] * w0[j];
                s1 += a0[j + 1] * w0[j + 1];
                t0 += a1[j] * w0[j];
                t1 += a1[j + 1] * w0[j + 1];
            }
            if (j < n) {
                s0 += a0[j] * w0[j];
                t0 += a1[j] * w0[j];
            }
            out0[o] = bias[o] + (s0 + s1);
            out1[o] = bias[o] + (t0 + t1);
        }
    }

    /** {@code c[j] = max(0, c[j])}. */
    static void relu(float[] c, int n) {
        for (int j = 0; j < n; j++) {
            c[j] = Math.max(0f, c[j]);
        }
    }

    /**
     * {@code d[j] = 0} where the ReLU was off ({@code a[j] == 0}, {@code a} being a ReLU's output): the ReLU's
     * backward step. Written without a branch so that C2 vectorizes it (a conditional select is not, on JDK 17, and
     * its branch mispredicts about half the time): {@code min(min(a * 2^127, 1) * 2^127, 1)} is exactly 1 for every
     * positive float (subnormals included) and 0 for 0, so {@code d[j]} is kept bit for bit or becomes a zero (of
     * {@code d[j]}'s sign, which no later sum that starts at +0 can tell apart).
     */
    static void reluMask(float[] d, float[] a, int n) {
        for (int j = 0; j < n; j++) {
            d[j] *= Math.min(Math.min(a[j] * 0x1p127f, 1f) * 0x1p127f, 1f);
        }
    }

    /**
     * {@code grad[o * in + i] += factor * t[i][o]} ({@code t} holds an {@code out x in} matrix transposed), then
     * clears {@code t}; eight rows of {@code grad} at a time.
     */
    static void addTransposedRowsScaled(float[] grad, float[][] t, float factor, int out, int in) {
        int o = 0;
        for (; o + 8 <= out; o += 8) {
            int r = o * in;
            for (int i = 0; i < in; i++) {
                float[] ti = t[i];
                grad[r + i] += factor * ti[o];
                grad[r + in + i] += factor * ti[o + 1];
                grad[r + 2 * in + i] += factor * ti[o + 2];
                grad[r + 3 * in + i] += factor * ti[o + 3];
                grad[r + 4 * in + i] += factor * ti[o + 4];
                grad[r + 5 * in + i] += factor * ti[o + 5];
                grad[r + 6 * in + i] += factor * ti[o + 6];
                grad[r + 7 * in + i] += factor * ti[o + 7];
            }
        }
        for (; o < out; o++) {
            int row = o * in;
            for (int i = 0; i < in; i++) {
                grad[row + i] += factor * t[i][o];
            }
        }
        for (int i = 0; i < in; i++) {
            java.util.Arrays.fill(t[i], 0, out, 0f);
        }
    }

    /** Copies {@code w} (out x in, row-major) into {@code rows[o][i]}. */
    static void toRows(float[] w, float[][] rows, int out, int in) {
        for (int o = 0; o < out; o++) {
            System.arraycopy(w, o * in, rows[o], 0, in);
        }
    }

    /** Copies {@code w} (out x in, row-major) transposed into {@code t[i][o]}, eight rows of {@code w} at a time. */
    static void toTransposedRows(float[] w, float[][] t, int out, int in) {
        int o = 0;
        for (; o + 8 <= out; o += 8) {
            int r = o * in;
            for (int i = 0; i < in; i++) {
                float[] ti = t[i];
                ti[o] = w[r + i];
                ti[o + 1] = w[r + in + i];
                ti[o + 2] = w[r + 2 * in + i];
                ti[o + 3] = w[r + 3 * in + i];
                ti[o + 4] = w[r + 4 * in + i];
                ti[o + 5] = w[r + 5 * in + i];
                ti[o + 6] = w[r + 6 * in + i];
                ti[o + 7] = w[r + 7 * in + i];
            }
        }
        for (; o < out; o++) {
            int row = o * in;
            for (int i = 0; i < in; i++) {
                t[i][o] = w[row + i];
            }
        }
    }

    /** {@code grad[o * in + i] += factor * rows[o][i]}, then clears {@code rows}. */
    static void addRowsScaled(float[] grad, float[][] rows, float factor, int out, int in) {
        for (int o = 0; o < out; o++) {
            float[] r = rows[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                grad[row + i] += factor * r[i];
            }
            java.util.Arrays.fill(r, 0, in, 0f);
        }
    }
}
