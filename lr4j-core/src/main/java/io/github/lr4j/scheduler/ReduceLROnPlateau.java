package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/**
 * PyTorch's ReduceLROnPlateau: multiplies each group's lr by {@code factor} (not below its
 * {@code minLr}, and only when the change exceeds {@code eps}) once the monitored metric has not
 * improved for more than {@code patience} steps, then waits {@code cooldown} steps.
 *
 * <p>Attaching changes nothing (as in PyTorch). A NaN metric counts as "no improvement".
 */
final class ReduceLROnPlateau implements MetricScheduler {
    private final ParamGroups groups;
    private final int n;
    private final boolean modeMin;
    private final double factor;
    private final long patience;
    private final double threshold;
    private final boolean relative;
    private final long cooldown;
    private final double[] minLrs;
    /** PyTorch 2.x's {@code default_min_lr}: min_lr when it was given as one value, null for a list (PR #137637). */
    private final Double defaultMinLr;
    private final double eps;
    private final double[] lastLr;

    private double best;
    private long numBadEpochs;
    private long cooldownCounter;
    private long lastEpoch;

    ReduceLROnPlateau(ParamGroups groups, boolean modeMin, double factor, long patience, double threshold,
                      boolean relative, long cooldown, double[] minLrs, Double defaultMinLr, double eps) {
        this.groups = groups;
        this.n = groups.size();
        this.modeMin = modeMin;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = relative;
        this.cooldown = cooldown;
        this.minLrs = minLrs;
        this.defaultMinLr = defaultMinLr;
        this.eps = eps;
        this.lastLr = new double[n];
        this.best = modeWorse();
        for (int g = 0; g < n; g++) {
            lastLr[g] = groups.lr(g);
        }
    }

    private double modeWorse() {
        return modeMin ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    @Override
    public String name() {
        return "ReduceLROnPlateau";
    }

    @Override
    public ParamGroups groups() {
        return groups;
    }

    @Override
    public double lastLr(int group) {
        return lastLr[group];
    }

    @Override
    public long lastEpoch() {
        return lastEpoch;
    }

    /** Whether {@code a} improves on {@code best} by more than the threshold. */
    boolean isBetter(double a, double best) {
        if (modeMin) {
            return relative ? a < best * (1. - threshold) : a < best - threshold;
        }
        return relative ? a > best * (threshold + 1.) : a > best + threshold;
    }

    @Override
    public void step(double metric) {
        lastEpoch += 1;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs += 1;
        }
        if (cooldownCounter > 0) {
            cooldownCounter -= 1;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            for (int g = 0; g < n; g++) {
                double old = groups.lr(g);
                double updated = Math.max(old * factor, minLrs[g]);
                if (old - updated > eps) {
                    groups.setLr(g, updated);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        for (int g = 0; g < n; g++) {
            lastLr[g] = groups.lr(g);
        }
    }

    /** The best metric so far (infinite before the first step). */
    public double best() {
        return best;
    }

    @Override
    public SchedulerState state() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("type", name());
        out.put("version", SchedulerState.VERSION);
        writeHyperParameters(out);
        out.put("default_min_lr", defaultMinLr); // PyTorch 2.x; not read back (it equals min_lrs for a fixed group count)
        out.put("cooldown_counter", cooldownCounter);
        out.put("best", SchedulerState.number(best));
        out.put("num_bad_epochs", numBadEpochs);
        out.put("mode_worse", SchedulerState.number(modeWorse()));
        out.put("last_epoch", lastEpoch);
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        return SchedulerState.of(out);
    }

    private void writeHyperParameters(Map<String, Object> out) {
        out.put("mode", modeMin ? "min" : "max");
        out.put("factor", factor);
        out.put("patience", patience);
        out.put("threshold", threshold);
        out.put("threshold_mode", relative ? "rel" : "abs");
        out.put("cooldown", cooldown);
        out.put("min_lrs", minLrs);
        out.put("eps", eps);
    }

    @Override
    public void loadState(SchedulerState state) {
        SchedulerState.requireOwnKeys(name(), state, state());
        StateReader in = StateReader.of(name(), state);
        in.expectSame("mode", modeMin ? "min" : "max");
        in.expectSame("factor", factor);
        in.expectSame("patience", patience);
        in.expectSame("threshold", threshold);
        in.expectSame("threshold_mode", relative ? "rel" : "abs");
        in.expectSame("cooldown", cooldown);
        in.expectSameList("min_lrs", minLrs);
        in.expectSame("eps", eps);
        long counter = in.integer("cooldown_counter", 0);
        in.expectSame("mode_worse", modeWorse());
        double savedBest = in.number("best");
        if (Double.isNaN(savedBest)) {
            throw in.bad("best", "a number (not NaN; " + SchedulerState.number(modeWorse()) + " before the first metric)",
                    in.raw("best"));
        }
        long bad = in.integer("num_bad_epochs", 0);
        long epoch = in.integer("last_epoch", 0);
        double[] last = in.numbers("_last_lr", n, true);
        cooldownCounter = counter;
        best = savedBest;
        numBadEpochs = bad;
        lastEpoch = epoch;
        System.arraycopy(last, 0, lastLr, 0, n);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lastLr[g]);
        }
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("type", name());
        Map<String, Object> hyper = new java.util.LinkedHashMap<>();
        writeHyperParameters(hyper);
        hyper.forEach((k, v) -> out.put(k.equals("min_lrs") ? "min_lr" : k, v)); // the state's name vs the argument's
        return out;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
