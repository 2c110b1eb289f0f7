package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.peers.TimmPlateau;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * timm's {@code PlateauLRScheduler} ({@link TimmPlateau}) as an lr4j scheduler: each {@link #step(double)} is timm's
 * end-of-epoch {@code step(epoch + 1, metric)}. Unlike timm's own {@code state_dict} (best and last_epoch only), the
 * saved state holds everything a step changes (bad-epoch count, cooldown, the lrs from before the noise), so a
 * restored run continues exactly.
 */
final class TimmPlateauLR implements MetricScheduler {
    private static final String NAME = "PlateauLRScheduler";

    private final ParamGroups groups;
    private final int n;
    private final Map<String, Object> args;
    private final TimmPlateau plateau;
    private final double[] lastLr;
    private long epochs;

    TimmPlateauLR(ParamGroups groups, TimmPlateau.Builder builder, Map<String, Object> args) {
        this.groups = groups;
        this.n = groups.size();
        this.args = new LinkedHashMap<>(args);
        double[] bases = new double[n];
        double[] scales = new double[n];
        for (int g = 0; g < n; g++) {
            bases[g] = Double.isNaN(groups.initialLr(g)) ? groups.lr(g) : groups.initialLr(g);
            scales[g] = groups.lrScale(g);
        }
        this.plateau = builder.build(bases, scales);
        this.lastLr = plateau.lrs();
        checkWritable(0, lastLr);
        for (int g = 0; g < n; g++) {
            if (Double.isNaN(groups.initialLr(g))) {
                groups.setInitialLr(g, bases[g]);
            }
            groups.setLr(g, lastLr[g]);
        }
    }

    @Override
    public String name() {
        return NAME;
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
        return epochs;
    }

    @Override
    public void step(double metric) {
        step(OptionalDouble.of(metric));
    }

    /** timm's {@code step(epoch, metric)}; without a metric the plateau control skips the epoch, as timm's does. */
    @Override
    public void step(OptionalDouble metric) {
        TimmPlateau.State before = plateau.state();
        double[] lrs;
        try {
            plateau.step(epochs + 1, metric.isPresent() ? metric.getAsDouble() : null);
            lrs = plateau.lrs();
            checkWritable(epochs + 1, lrs);
        } catch (RuntimeException e) { // a refused lr, or noise that timm would draw for ever
            plateau.restore(before);
            throw e;
        }
        epochs++;
        System.arraycopy(lrs, 0, lastLr, 0, n);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lrs[g]);
        }
    }

    private void checkWritable(long epoch, double[] lrs) {
        for (int g = 0; g < n; g++) {
            if (!(lrs[g] >= 0) || lrs[g] == Double.POSITIVE_INFINITY) {
                throw new IllegalStateException(NAME + " would set group " + g + "'s lr to " + lrs[g] + " at epoch " + epoch
                        + "; lr4j never writes a non-finite or negative lr, so the step fails and nothing was changed");
            }
            lrs[g] += 0.0; // never -0.0
        }
    }

    @Override
    public SchedulerState state() {
        TimmPlateau.State s = plateau.state();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", NAME);
        out.put("version", SchedulerState.VERSION);
        out.put("args", new LinkedHashMap<>(args));
        out.put("epoch", epochs);
        out.put("best", SchedulerState.number(s.best()));
        out.put("last_epoch", s.lastEpoch());
        out.put("num_bad_epochs", s.numBadEpochs());
        out.put("cooldown_counter", s.cooldownCounter());
        out.put("lrs", SchedulerState.numbers(s.lrs()));
        out.put("restore_lrs", s.restoreLrs() == null ? null : SchedulerState.numbers(s.restoreLrs()));
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        return SchedulerState.of(out);
    }

    @Override
    public void loadState(SchedulerState state) {
        StateReader in = StateReader.of(NAME, state);
        in.expectSame("args", args);
        long epoch = in.integer("epoch", 0);
        double best = in.number("best");
        if (Double.isNaN(best)) {
            throw in.bad("best", "a number (not NaN)", in.raw("best"));
        }
        long seen = in.integer("last_epoch", 0);
        long bad = in.integer("num_bad_epochs", 0);
        long cooldown = in.integer("cooldown_counter", 0);
        double[] lrs = in.numbers("lrs", n, true);
        double[] restore = in.raw("restore_lrs") == null ? null : in.numbers("restore_lrs", n, true);
        double[] last = in.numbers("_last_lr", n, true);
        plateau.restore(new TimmPlateau.State(lrs, restore, best, seen, bad, cooldown));
        epochs = epoch;
        System.arraycopy(last, 0, lastLr, 0, n);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lastLr[g]);
        }
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", NAME);
        out.putAll(args);
        return out;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
