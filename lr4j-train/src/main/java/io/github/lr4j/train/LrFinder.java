package io.github.lr4j.train;

import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The learning-rate range test (Smith 2015; fastai's and Lightning's lr finders): trains for up to
 * {@code steps} batches while the lr sweeps from {@code minLr} to {@code maxLr} (exponentially or
 * linearly), records the loss and its bias-corrected exponential moving average, stops when the
 * smoothed loss exceeds {@code divergeFactor} times the best, and suggests an lr. The model's
 * weights, the optimizer's state and its lrs are put back afterwards.
 */
public final class LrFinder {
    private double minLr = 1e-7;
    private double maxLr = 10;
    private int steps = 100;
    private boolean exponential = true;
    private double smoothing = 0.98;
    private double divergeFactor = 4;
    private int batchSize = 32;
    private long seed;

    /** The recorded sweep and the suggestions. */
    public record Result(double[] lrs, double[] losses, double[] smoothed, boolean diverged, double steepest, double valley,
                         double minimumOverTen) {
        /** The default suggestion: the steepest descent of the smoothed loss (Lightning's rule). */
        public double suggestion() {
            return steepest;
        }
    }

    public LrFinder range(double minLr, double maxLr) {
        if (!(minLr > 0) || !(maxLr > minLr) || Double.isInfinite(maxLr)) {
            throw new IllegalArgumentException("the lr range must satisfy 0 < minLr < maxLr < infinity, got [" + minLr + ", " + maxLr + "]");
        }
        this.minLr = minLr;
        this.maxLr = maxLr;
        return this;
    }

    public LrFinder steps(int steps) {
        if (steps < 5) {
            throw new IllegalArgumentException("steps must be >= 5, got " + steps);
        }
        this.steps = steps;
        return this;
    }

    /** Exponential (default) or linear sweep. */
    public LrFinder exponential(boolean exponential) {
        this.exponential = exponential;
        return this;
    }

    public LrFinder smoothing(double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException("smoothing must be in [0, 1), got " + beta);
        }
        this.smoothing = beta;
        return this;
    }

    public LrFinder divergeFactor(double factor) {
        if (!(factor > 1)) {
            throw new IllegalArgumentException("divergeFactor must be > 1, got " + factor);
        }
        this.divergeFactor = factor;
        return this;
    }

    public LrFinder batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public LrFinder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Runs the sweep on {@code model} with {@code optimizer} over {@code data}; both are restored afterwards. */
    public Result run(Model model, Optimizer optimizer, Dataset data) {
        List<Parameter> ps = model.parameters();
        float[][] weights = new float[ps.size()][];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = ps.get(i).data().clone();
        }
        byte[] state = save(optimizer);
        double[] lrs0 = new double[optimizer.size()];
        for (int g = 0; g < lrs0.length; g++) {
            lrs0[g] = optimizer.lr(g);
        }
        NonFiniteGradients policy = optimizer.nonFiniteGradients();
        optimizer.nonFiniteGradients(NonFiniteGradients.SKIP);
        List<Double> lrs = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        List<Double> smooth = new ArrayList<>();
        boolean diverged = false;
        try {
            int[] order = new int[data.size()];
            int batches = (data.size() + batchSize - 1) / batchSize;
            double avg = 0;
            double best = Double.POSITIVE_INFINITY;
            int epoch = 0;
            for (int i = 0; i < steps; i++) {
                int b = i % batches;
                if (b == 0) {
                    EpochOrder.shuffle(order, seed + epoch++);
                }
                double frac = (double) i / (steps - 1);
                double lr = exponential ? minLr * Math.pow(maxLr / minLr, frac) : minLr + (maxLr - minLr) * frac;
                for (int g = 0; g < optimizer.size(); g++) {
                    // Groups keep their ratios to the first group's lr.
                    optimizer.setLr(g, lr * (lrs0[0] == 0 ? 1 : lrs0[g] / lrs0[0]));
                }
                optimizer.zeroGrad();
                double loss = model.lossAndGradient(data, order, b * batchSize, Math.min(data.size(), (b + 1) * batchSize), 1.0);
                optimizer.step();
                avg = smoothing * avg + (1 - smoothing) * loss;
                double smoothed = avg / (1 - Math.pow(smoothing, i + 1));
                lrs.add(lr);
                losses.add(loss);
                smooth.add(smoothed);
                if (!Double.isFinite(smoothed) || (i > 0 && smoothed > divergeFactor * best)) {
                    diverged = true;
                    break;
                }
                best = Math.min(best, smoothed);
            }
        } finally {
            for (int i = 0; i < weights.length; i++) {
                System.arraycopy(weights[i], 0, ps.get(i).data(), 0, weights[i].length);
            }
            load(optimizer, state);
            for (int g = 0; g < lrs0.length; g++) {
                optimizer.setLr(g, lrs0[g]);
            }
            optimizer.nonFiniteGradients(policy);
        }
        double[] lr = lrs.stream().mapToDouble(Double::doubleValue).toArray();
        double[] loss = losses.stream().mapToDouble(Double::doubleValue).toArray();
        double[] sm = smooth.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(lr, loss, sm, diverged, steepest(lr, sm), valley(lr, sm), minimumOverTen(lr, sm));
    }

    /** Where the smoothed loss falls fastest against log(lr), skipping the first 10% and the last point. */
    static double steepest(double[] lr, double[] loss) {
        int n = loss.length;
        int from = Math.max(1, n / 10);
        int to = n - 1;
        if (to - from < 2) {
            return Double.NaN;
        }
        int best = from;
        double bestSlope = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double slope = (loss[i + 1] - loss[i - 1]) / (Math.log(lr[i + 1]) - Math.log(lr[i - 1]));
            if (slope < bestSlope) {
                bestSlope = slope;
                best = i;
            }
        }
        return lr[best];
    }

    /** fastai's "valley": the middle of the longest stretch over which the smoothed loss keeps falling. */
    static double valley(double[] lr, double[] loss) {
        int n = loss.length;
        if (n < 3) {
            return Double.NaN;
        }
        int[] run = new int[n];
        int[] start = new int[n];
        int bestEnd = 0;
        for (int i = 0; i < n; i++) {
            run[i] = 1;
            start[i] = i;
            for (int j = 0; j < i; j++) {
                if (loss[i] < loss[j] && run[j] + 1 > run[i]) {
                    run[i] = run[j] + 1;
                    start[i] = start[j];
                }
            }
            if (run[i] > run[bestEnd]) {
                bestEnd = i;
            }
        }
        int s = start[bestEnd];
        int idx = s + (int) ((bestEnd - s) * 2.0 / 3);
        return lr[idx];
    }

    /** The lr of the lowest smoothed loss, divided by ten. */
    static double minimumOverTen(double[] lr, double[] loss) {
        int best = 0;
        for (int i = 1; i < loss.length; i++) {
            if (loss[i] < loss[best]) {
                best = i;
            }
        }
        return loss.length == 0 ? Double.NaN : lr[best] / 10;
    }

    private static byte[] save(Optimizer optimizer) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            optimizer.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void load(Optimizer optimizer, byte[] state) {
        try {
            optimizer.load(new ByteArrayInputStream(state));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
