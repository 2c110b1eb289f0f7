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

    /** Copies rows {@code a[0..n)[0..in)} transposed into {@code t[i][s]}, eight rows at a time. */
    static void transpose(float[][] a, float[][] t, int n, int in) {
        int s = 0;
        for (; s + 8 <= n; s += 8) {
            float[] a0 = a[s];
            float[] a1 = a[s + 1];
            float[] a2 = a[s + 2];
            float[] a3 = a[s + 3];
            float[] a4 = a[s + 4];
            float[] a5 = a[s + 5];
            float[] a6 = a[s + 6];
            float[] a7 = a[s + 7];
            for (int i = 0; i < in; i++) {
                float[] ti = t[i];
                ti[s] = a0[i];
                ti[s + 1] = a1[i];
                ti[s + 2] = a2[i];
                ti[s + 3] = a3[i];
                ti[s + 4] = a4[i];
                ti[s + 5] = a5[i];
                ti[s + 6] = a6[i];
                ti[s + 7] = a7[i];
            }
        }
        for (; s < n; s++) {
            float[] as = a[s];
            for (int i = 0; i < in; i++) {
                t[i][s] = as[i];
            }
        }
    }

    /**
     * {@code z[s][o] = bias[o] + a[s] . w[o]} for s < n, o < outs, from the samples transposed ({@code aT[j][s]},
     * {@link #transpose}): the inner loops run over the batch, so they vectorize however few outputs there are (one
     * output array per loop: C2 on JDK 17 does not vectorize a loop that stores into two). The sums are those of the
     * old per-sample dot products, float for float: for all outputs but the last {@code outs % 4}, the sum over j in
     * order from 0; for the last {@code outs % 4}, the sum over even j plus the sum over odd j. ({@code acc + p0 + p1}
     * is {@code (acc + p0) + p1}: a sum in order, several terms per pass.) {@code acc0} and {@code acc1} are scratch of
     * length >= n.
     */
    static void dotColumns(float[][] z, float[][] aT, float[][] w, float[] bias, float[] acc0, float[] acc1, int n,
            int outs, int in) {
        int blocked = outs - outs % 4;
        for (int o = 0; o < outs; o++) {
            float[] wo = w[o];
            if (o < blocked) {
                sumInOrder(acc0, aT, wo, 0, 1, in, n);
                for (int s = 0; s < n; s++) {
                    z[s][o] = bias[o] + acc0[s];
                }
            } else {
                sumInOrder(acc0, aT, wo, 0, 2, in, n);
                sumInOrder(acc1, aT, wo, 1, 2, in, n);
                for (int s = 0; s < n; s++) {
                    z[s][o] = bias[o] + (acc0[s] + acc1[s]);
                }
            }
        }
    }

    /** {@code acc[s] = sum over j = from, from + step, ... < in of aT[j][s] * w[j]}, j in order, for s < n. */
    private static void sumInOrder(float[] acc, float[][] aT, float[] w, int from, int step, int in, int n) {
        java.util.Arrays.fill(acc, 0, n, 0f);
        int j = from;
        for (; j + 3 * step < in; j += 4 * step) {
            float u0 = w[j];
            float u1 = w[j + step];
            float u2 = w[j + 2 * step];
            float u3 = w[j + 3 * step];
            float[] t0 = aT[j];
            float[] t1 = aT[j + step];
            float[] t2 = aT[j + 2 * step];
            float[] t3 = aT[j + 3 * step];
            for (int s = 0; s < n; s++) {
                acc[s] = acc[s] + t0[s] * u0 + t1[s] * u1 + t2[s] * u2 + t3[s] * u3;
            }
        }
        for (; j < in; j += step) {
            float u0 = w[j];
            float[] t0 = aT[j];
            for (int s = 0; s < n; s++) {
                acc[s] += t0[s] * u0;
            }
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
