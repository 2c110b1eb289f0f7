package io.github.lr4j.optim;

/**
 * The fused update loops: one pass over each tensor, every branch hoisted out of the loop, only
 * float arithmetic inside, so HotSpot vectorizes them. Each follows PyTorch 1.13's single-tensor
 * ({@code foreach=False}) update, operation by operation, in float32; {@code sign} is -1 for
 * {@code maximize}, {@code wd} the L2 weight decay (0 for none).
 */
final class Kernels {
    private Kernels() {
    }

    /** True when every value of {@code g[from, to)} is finite (in the form this JVM runs fastest: {@link GradientScan}). */
    static boolean allFinite(float[] g, int from, int to) {
        return GradientScan.allFinite(g, from, to);
    }

    static void sgdPlain(float[] p, float[] g, int from, int to, float sign, float wd, float negLr) {
        for (int i = from; i < to; i++) {
            float d = sign * g[i] + wd * p[i];
            p[i] = p[i] + negLr * d;
        }
    }

    /** SGD with momentum; {@code first}: the buffer starts as a copy of the gradient (PyTorch's clone). */
    static void sgdMomentum(float[] p, float[] g, float[] buf, int from, int to, float sign, float wd, float momentum,
                            float oneMinusDampening, boolean nesterov, boolean first, float negLr) {
        if (first) {
            for (int i = from; i < to; i++) {
                float d = sign * g[i] + wd * p[i];
                buf[i] = d;
                float step = nesterov ? d + momentum * d : d;
                p[i] = p[i] + negLr * step;
            }
        } else if (nesterov) {
            for (int i = from; i < to; i++) {
                float d = sign * g[i] + wd * p[i];
                float b = buf[i] * momentum + oneMinusDampening * d;
                buf[i] = b;
                p[i] = p[i] + negLr * (d + momentum * b);
            }
        } else {
            for (int i = from; i < to; i++) {
                float d = sign * g[i] + wd * p[i];
                float b = buf[i] * momentum + oneMinusDampening * d;
                buf[i] = b;
                p[i] = p[i] + negLr * b;
            }
        }
    }

    /**
     * Adam and AdamW: {@code decay} is AdamW's {@code 1 - lr * weight_decay} (1 for Adam), {@code wd}
     * Adam's L2 term (0 for AdamW).
     */
    static void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, float sign, float wd, float decay,
                     float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float bc2Sqrt, float eps,
                     float negStepSize) {
        for (int i = from; i < to; i++) {
            float pi = p[i] * decay;
            float d = sign * g[i] + wd * pi;
            float mi = m[i] * beta1 + oneMinusBeta1 * d;
            float vi = v[i] * beta2 + oneMinusBeta2 * d * d;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[i] = pi + negStepSize * mi / denom;
        }
    }

    static void adamAmsgrad(float[] p, float[] g, float[] m, float[] v, float[] vMax, int from, int to, float sign,
                            float wd, float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                            float bc2Sqrt, float eps, float negStepSize) {
        for (int i = from; i < to; i++) {
            float pi = p[i] * decay;
            float d = sign * g[i] + wd * pi;
            float mi = m[i] * beta1 + oneMinusBeta1 * d;
            float vi = v[i] * beta2 + oneMinusBeta2 * d * d;
            float vm = Math.max(vMax[i], vi);
            m[i] = mi;
            v[i] = vi;
            vMax[i] = vm;
            float denom = (float) Math.sqrt(vm) / bc2Sqrt + eps;
            p[i] = pi + negStepSize * mi / denom;
        }
    }

    static void rmsprop(float[] p, float[] g, float[] sq, int from, int to, float sign, float wd, float alpha,
                        float oneMinusAlpha, float eps, float negLr) {
        for (int i = from; i < to; i++) {
            float d = sign * g[i] + wd * p[i];
            float s = sq[i] * alpha + oneMinusAlpha * d * d;
            sq[i] = s;
            float avg = (float) Math.sqrt(s) + eps;
            p[i] = p[i] + negLr * d / avg;
        }
    }

    /** RMSprop with any of centered (grad average {@code ga}) and momentum ({@code buf}); null when off. */
    static void rmspropGeneral(float[] p, float[] g, float[] sq, float[] ga, float[] buf, int from, int to, float sign,
                               float wd, float alpha, float oneMinusAlpha, float eps, float momentum, float negLr) {
        for (int i = from; i < to; i++) {
            float d = sign * g[i] + wd * p[i];
            float s = sq[i] * alpha + oneMinusAlpha * d * d;
            sq[i] = s;
            float avg;
            if (ga != null) {
                float a = ga[i] * alpha + oneMinusAlpha * d;
                ga[i] = a;
                avg = (float) Math.sqrt(s + -1f * a * a) + eps;
            } else {
                avg = (float) Math.sqrt(s) + eps;
            }
            if (buf != null) {
                float b = buf[i] * momentum + d / avg;
                buf[i] = b;
                p[i] = p[i] + negLr * b;
            } else {
                p[i] = p[i] + negLr * d / avg;
            }
        }
    }

    static void adagrad(float[] p, float[] g, float[] sum, int from, int to, float sign, float wd, float eps, float negClr) {
        for (int i = from; i < to; i++) {
            float d = sign * g[i] + wd * p[i];
            float s = sum[i] + 1f * d * d;
            sum[i] = s;
            float std = (float) Math.sqrt(s) + eps;
            p[i] = p[i] + negClr * d / std;
        }
    }

    // --- schedule-free (facebookresearch/schedule_free 1.4.1, foreach=False, on torch 1.13) ---
    //
    // y is the parameter (train mode), z the base sequence. After d is formed, every variant does
    // y = lerp(y, z, c); y = y + a*d; z = z - lr*d. lerp is torch 1.13's CPU kernel for a scalar
    // weight: w < 0.5 ? p + w*(q - p) : q - (q - p)*(1 - w) (the branch is loop-invariant, so
    // HotSpot unswitches it). Weight decay is always applied as d + wd*y: with wd = 0 it adds a
    // zero, which changes at most the sign of a zero.

    /** torch 1.13's {@code p.lerp_(q, w)} with a scalar weight, in place over {@code p[from, to)}. */
    static void lerp(float[] p, float[] q, int from, int to, float w) {
        boolean low = w < 0.5f;
        float oneMinusW = 1f - w;
        for (int i = from; i < to; i++) {
            float pi = p[i];
            float qi = q[i];
            p[i] = low ? pi + w * (qi - pi) : qi - (qi - pi) * oneMinusW;
        }
    }

    static void scheduleFreeSgd(float[] y, float[] g, float[] z, int from, int to, float wd, float c, float a, float lr) {
        boolean low = c < 0.5f;
        float oneMinusC = 1f - c;
        for (int i = from; i < to; i++) {
            float yi = y[i];
            float zi = z[i];
            float d = g[i] + wd * yi;
            float yl = low ? yi + c * (zi - yi) : zi - (zi - yi) * oneMinusC;
            y[i] = yl + a * d;
            z[i] = zi - lr * d;
        }
    }

    /** AdamWScheduleFree; {@code m} is null without inner momentum. */
    static void scheduleFreeAdamW(float[] y, float[] g, float[] z, float[] v, float[] m, int from, int to, float beta2,
                                  float oneMinusBeta2, float bc2, float eps, float mu, float oneMinusMu, float bc1,
                                  float wd, float c, float a, float lr) {
        boolean low = c < 0.5f;
        boolean inner = m != null;
        float oneMinusC = 1f - c;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float vi = v[i] * beta2;
            vi = vi + oneMinusBeta2 * gi * gi;
            v[i] = vi;
            float den = (float) Math.sqrt(vi / bc2) + eps;
            float d;
            if (inner) {
                float mi = m[i] * mu;
                mi = mi + oneMinusMu * gi;
                m[i] = mi;
                d = mi / bc1 / den;
            } else {
                d = gi / den;
            }
            float yi = y[i];
            float zi = z[i];
            d = d + wd * yi;
            float yl = low ? yi + c * (zi - yi) : zi - (zi - yi) * oneMinusC;
            y[i] = yl + a * d;
            z[i] = zi - lr * d;
        }
    }

    /**
     * RAdamScheduleFree; {@code normalize}: rho > 4. Before that (the first steps) the raw gradient is
     * used: v is updated and the rest is SGDScheduleFree's step, in two passes, which keeps the main
     * loop free of a branch HotSpot compiled badly (10x slower at 1e6 parameters).
     */
    static void scheduleFreeRAdam(float[] y, float[] g, float[] z, float[] v, int from, int to, float beta2,
                                  float oneMinusBeta2, float bc2, float eps, boolean normalize, float wd, float c, float a,
                                  float lr) {
        if (!normalize) {
            for (int i = from; i < to; i++) {
                float gi = g[i];
                float vi = v[i] * beta2;
                v[i] = vi + oneMinusBeta2 * gi * gi;
            }
            scheduleFreeSgd(y, g, z, from, to, wd, c, a, lr);
            return;
        }
        boolean low = c < 0.5f;
        float oneMinusC = 1f - c;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float vi = v[i] * beta2;
            vi = vi + oneMinusBeta2 * gi * gi;
            v[i] = vi;
            float d = gi / ((float) Math.sqrt(vi / bc2) + eps);
            float yi = y[i];
            float zi = z[i];
            d = d + wd * yi;
            float yl = low ? yi + c * (zi - yi) : zi - (zi - yi) * oneMinusC;
            y[i] = yl + a * d;
            z[i] = zi - lr * d;
        }
    }
}
