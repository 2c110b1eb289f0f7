package io.github.lr4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The yardstick for lr4j's Adam step: the plainest fused Java loop over the same layout, no
 * gradient check, split across threads with an ordinary {@link ExecutorService}. What it gains from
 * a second thread is what the machine's memory allows; lr4j should gain as much.
 */
final class PlainAdamLoop implements AutoCloseable {
    private final float[][] p;
    private final float[][] g;
    private final float[][] m;
    private final float[][] v;
    private final long total;
    private final int threads;
    private final ExecutorService pool;
    private final List<Runnable> parts = new ArrayList<>();
    private long step;
    private float negStepSize;
    private float bc2Sqrt;

    PlainAdamLoop(long params, int tensors, int threads) {
        int each = Math.toIntExact(params / tensors);
        p = new float[tensors][each];
        g = new float[tensors][each];
        m = new float[tensors][each];
        v = new float[tensors][each];
        Random random = new Random(1);
        for (int t = 0; t < tensors; t++) {
            for (int i = 0; i < each; i++) {
                p[t][i] = (float) random.nextGaussian();
                g[t][i] = (float) (random.nextGaussian() * 1e-3);
            }
        }
        this.total = (long) each * tensors;
        this.threads = threads;
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "plain-adam");
            t.setDaemon(true);
            return t;
        }) : null;
        for (int k = 0; k < threads; k++) {
            long from = total * k / threads;
            long to = total * (k + 1) / threads;
            parts.add(() -> range(from, to));
        }
    }

    void step() {
        step++;
        negStepSize = (float) -(1e-3 / (1 - Math.pow(0.9, step)));
        bc2Sqrt = (float) Math.sqrt(1 - Math.pow(0.999, step));
        if (pool == null) {
            parts.get(0).run();
            return;
        }
        List<Future<?>> running = new ArrayList<>(threads - 1);
        for (int k = 1; k < threads; k++) {
            running.add(pool.submit(parts.get(k)));
        }
        parts.get(0).run();
        try {
            for (Future<?> f : running) {
                f.get();
            }
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Elements [from, to) of the tensors laid end to end. */
    private void range(long from, long to) {
        int each = p[0].length;
        for (int t = 0; t < p.length; t++) {
            long lo = (long) t * each;
            long a = Math.max(from, lo);
            long b = Math.min(to, lo + each);
            if (a < b) {
                adam(p[t], g[t], m[t], v[t], (int) (a - lo), (int) (b - lo), 0.9f, 0.999f, bc2Sqrt, 1e-8f, negStepSize);
            }
        }
    }

    private static void adam(float[] p, float[] g, float[] m, float[] v, int from, int to, float beta1, float beta2,
                             float bc2Sqrt, float eps, float negStepSize) {
        for (int i = from; i < to; i++) {
            float d = g[i];
            float mi = m[i] * beta1 + (1 - beta1) * d;
            float vi = v[i] * beta2 + (1 - beta2) * d * d;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2Sqrt + eps;
            p[i] = p[i] + negStepSize * mi / denom;
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
