package io.github.lr4j.spec;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Replays a case in the golden-trace format ({@code shared/golden/FORMAT.md}): builds the param
 * groups from {@code optimizer}/{@code param_groups}, the scheduler from {@code scheduler}, runs
 * {@code steps} steps (with {@code metrics}, explicit {@code epochs} and a save/rebuild/restore at
 * {@code resume_at}) and returns {@code {"trace": [{"lr": [...], "momentum": [...]}, ...],
 * "state_dict": {...}}}, {@code trace[0]} being the groups right after construction.
 */
public final class TraceRunner {
    private TraceRunner() {
    }

    /** Runs one case, given as the map a JSON reader produced. */
    public static Map<String, Object> run(Map<String, ?> testCase) {
        return run(testCase, null);
    }

    /**
     * Runs one case from a saved state: the scheduler is built from the case, {@code restore} loads the state into it
     * (and the groups' saved lrs), {@code trace[0]} is taken there and the case's {@code steps} steps follow, step
     * {@code i} taking {@code metrics[i]} / {@code epochs[i]}. A case with a {@code resume_at} is refused.
     */
    public static Map<String, Object> runFrom(Map<String, ?> testCase, java.util.function.Consumer<Scheduler> restore) {
        if (testCase.get("resume_at") != null) {
            throw new IllegalArgumentException("the case's \"resume_at\" cannot be combined with a saved state to start"
                    + " from (the steps run from the saved state on); remove it");
        }
        return run(testCase, java.util.Objects.requireNonNull(restore, "restore"));
    }

    private static Map<String, Object> run(Map<String, ?> testCase, java.util.function.Consumer<Scheduler> restore) {
        String optimizer = testCase.get("optimizer") == null ? "SGD" : String.valueOf(testCase.get("optimizer"));
        List<?> groupSpecs = listOr(testCase.get("param_groups"), List.of(Map.of("lr", 0.1)));
        String expression = requireString(testCase, "scheduler");
        long steps = integer(testCase, "steps", 0, 0, MAX_STEPS);
        List<?> metrics = listOr(testCase.get("metrics"), null);
        List<?> epochs = listOr(testCase.get("epochs"), null);
        long resumeAt = integer(testCase, "resume_at", -1, -1, steps);
        String stepCall = testCase.get("step_call") == null ? "step()" : String.valueOf(testCase.get("step_call"));
        if (!STEP_CALLS.contains(stepCall)) {
            throw new IllegalArgumentException("the case's \"step_call\" must be one of " + STEP_CALLS + ", got " + stepCall);
        }
        if (metrics != null && metrics.size() < steps) {
            throw new IllegalArgumentException("metrics must have at least " + steps + " values (one per step), got " + metrics.size());
        }
        if (epochs != null && epochs.size() < steps) {
            throw new IllegalArgumentException("epochs must have at least " + steps + " values (one per step), got " + epochs.size());
        }

        ParamGroups groups = groups(optimizer, groupSpecs);
        Scheduler scheduler = ScheduleSpec.build(expression, groups);
        if (restore != null) {
            restore.accept(scheduler);
        }
        List<Object> trace = new ArrayList<>();
        trace.add(snapshot(groups));
        for (long i = 0; i < steps; i++) {
            if (i == resumeAt) {
                SchedulerState saved = scheduler.state();
                double[][] optimizerState = saveGroups(groups);
                groups = groups(optimizer, groupSpecs);
                scheduler = ScheduleSpec.build(expression, groups);
                restoreGroups(groups, optimizerState);
                scheduler.loadState(saved);
            }
            int k = (int) i;
            if (!callApplies(stepCall, scheduler)) {
                trace.add(snapshot(groups)); // timm's step(epoch) with t_in_epochs=False, or step_update with True: a no-op
                continue;
            }
            if (metrics != null) {
                if (!scheduler.drivenByMetric()) {
                    throw new IllegalArgumentException("the case gives metrics but " + scheduler.name() + " takes none");
                }
                Object metric = metrics.get(k); // null: timm's step(epoch, metric=None)
                scheduler.step(metric == null ? OptionalDouble.empty() : OptionalDouble.of(toDouble(metric)));
            } else if (scheduler.drivenByMetric()) {
                throw new IllegalArgumentException(scheduler.name() + " needs \"metrics\" (one value per step)");
            } else if (epochs != null && epochs.get(k) != null) {
                if (!(scheduler instanceof LrScheduler)) {
                    throw new IllegalArgumentException("the case gives epochs but " + scheduler.name() + " takes none");
                }
                ((LrScheduler) scheduler).step(toDouble(epochs.get(k)));
            } else {
                scheduler.step(OptionalDouble.empty());
            }
            trace.add(snapshot(groups));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace", trace);
        out.put("state_dict", scheduler.state().toMap());
        return out;
    }

    /**
     * How the peer cases advance a scheduler (shared/golden/peers/README.md): call i is {@code step()},
     * timm's {@code step(epoch=i + 1)} at an epoch end, its {@code step_update(num_updates=i + 1)} after an update, or a
     * metric-driven {@code step(epoch, metric)} / {@code step(metric)}.
     */
    private static final List<String> STEP_CALLS = List.of("step()", "step(epoch)", "step_update(num_updates)",
            "step(epoch, metric)", "step(metric)");

    /**
     * Whether a call changes the lr: timm's {@code step(epoch)} does only with {@code t_in_epochs=True} (its
     * default), {@code step_update} only with {@code t_in_epochs=False}. lr4j steps a timm scheduler once per unit of
     * the clock it counts, so the other call is skipped here.
     */
    private static boolean callApplies(String stepCall, Scheduler scheduler) {
        Object inEpochs = scheduler.spec().get("t_in_epochs");
        if (stepCall.equals("step(epoch)")) {
            return !Boolean.FALSE.equals(inEpochs);
        }
        if (stepCall.equals("step_update(num_updates)")) {
            return Boolean.FALSE.equals(inEpochs);
        }
        return true;
    }

    /** Param groups as the case's optimizer would hold them (PyTorch 1.13 defaults), with timm's lr_scale if given. */
    public static ParamGroups groups(String optimizer, List<?> specs) {
        ParamGroups groups = torchGroups(optimizer, specs);
        double[] scales = new double[specs.size()];
        boolean scaled = false;
        for (int i = 0; i < scales.length; i++) {
            Object scale = ((Map<?, ?>) specs.get(i)).get("lr_scale");
            scales[i] = scale == null ? 1.0 : toDouble(scale);
            scaled |= scale != null;
            if (!(scales[i] >= 0) || Double.isInfinite(scales[i])) {
                throw new IllegalArgumentException("param_groups[" + i + "].lr_scale must be finite and >= 0, got " + scale);
            }
        }
        return scaled ? new LrScaled(groups, scales) : groups;
    }

    /** Groups carrying timm's per-group lr_scale. */
    private static final class LrScaled implements ParamGroups {
        private final ParamGroups groups;
        private final double[] scales;

        LrScaled(ParamGroups groups, double[] scales) {
            this.groups = groups;
            this.scales = scales;
        }

        @Override public int size() { return groups.size(); }
        @Override public double lr(int g) { return groups.lr(g); }
        @Override public void setLr(int g, double lr) { groups.setLr(g, lr); }
        @Override public double initialLr(int g) { return groups.initialLr(g); }
        @Override public void setInitialLr(int g, double lr) { groups.setInitialLr(g, lr); }
        @Override public MomentumKind momentumKind() { return groups.momentumKind(); }
        @Override public double momentum(int g) { return groups.momentum(g); }
        @Override public void setMomentum(int g, double m) { groups.setMomentum(g, m); }
        @Override public double lrScale(int g) { return scales[g]; }
    }

    private static ParamGroups torchGroups(String optimizer, List<?> specs) {
        double defaultLr;
        MomentumKind kind;
        double defaultMomentum;
        switch (optimizer) {
            case "SGD": defaultLr = Double.NaN; kind = MomentumKind.MOMENTUM; defaultMomentum = 0; break;
            case "RMSprop": defaultLr = 1e-2; kind = MomentumKind.MOMENTUM; defaultMomentum = 0; break;
            case "Adam": case "AdamW": case "Adamax": case "NAdam": case "RAdam":
                defaultLr = optimizer.equals("Adamax") ? 2e-3 : optimizer.equals("NAdam") ? 2e-3 : 1e-3;
                kind = MomentumKind.BETA1; defaultMomentum = 0.9; break;
            case "Adagrad": defaultLr = 1e-2; kind = MomentumKind.NONE; defaultMomentum = Double.NaN; break;
            default: defaultLr = 1e-3; kind = MomentumKind.NONE; defaultMomentum = Double.NaN; break;
        }
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("param_groups must hold at least 1 group, got none");
        }
        double[] lrs = new double[specs.size()];
        double[] momentum = new double[specs.size()];
        double firstLr = Double.NaN;
        for (int i = 0; i < specs.size(); i++) {
            if (!(specs.get(i) instanceof Map)) {
                throw new IllegalArgumentException("param_groups[" + i + "] must be a map, got " + specs.get(i));
            }
            Map<?, ?> g = (Map<?, ?>) specs.get(i);
            // The constructor's own lr= was the first group's lr (FORMAT.md), the default for later groups.
            double lr = g.get("lr") != null ? toDouble(g.get("lr")) : (i > 0 && !Double.isNaN(firstLr) ? firstLr : defaultLr);
            if (Double.isNaN(lr)) {
                throw new IllegalArgumentException("param_groups[" + i + "] needs an lr (" + optimizer + " has no default)");
            }
            if (i == 0) {
                firstLr = lr;
            }
            lrs[i] = lr;
            if (kind == MomentumKind.MOMENTUM) {
                momentum[i] = g.get("momentum") != null ? toDouble(g.get("momentum")) : defaultMomentum;
            } else if (kind == MomentumKind.BETA1) {
                Object betas = g.get("betas");
                momentum[i] = betas instanceof List ? toDouble(((List<?>) betas).get(0)) : defaultMomentum;
            }
        }
        ParamGroups out = kind == MomentumKind.NONE ? ParamGroups.of(lrs) : ParamGroups.withMomentum(kind, lrs, momentum);
        for (int i = 0; i < specs.size(); i++) {
            Object initial = ((Map<?, ?>) specs.get(i)).get("initial_lr"); // a resumed optimizer's groups hold it
            if (initial != null) {
                double v = toDouble(initial);
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("param_groups[" + i + "].initial_lr must be finite and >= 0, got " + initial);
                }
                out.setInitialLr(i, v);
            }
        }
        return out;
    }

    /** What an optimizer's state_dict keeps of its groups: lr, initial lr, momentum. */
    private static double[][] saveGroups(ParamGroups groups) {
        double[][] out = new double[groups.size()][3];
        for (int g = 0; g < groups.size(); g++) {
            out[g][0] = groups.lr(g);
            out[g][1] = groups.initialLr(g);
            out[g][2] = groups.momentum(g);
        }
        return out;
    }

    private static void restoreGroups(ParamGroups groups, double[][] saved) {
        for (int g = 0; g < groups.size(); g++) {
            groups.setLr(g, saved[g][0]);
            if (!Double.isNaN(saved[g][1])) { // NaN: none was set (and a set one cannot be unset)
                groups.setInitialLr(g, saved[g][1]);
            }
            if (groups.momentumKind() != MomentumKind.NONE) {
                groups.setMomentum(g, saved[g][2]);
            }
        }
    }

    private static Map<String, Object> snapshot(ParamGroups groups) {
        List<Object> lr = new ArrayList<>();
        List<Object> momentum = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            lr.add(groups.lr(g));
            momentum.add(groups.momentumKind() == MomentumKind.NONE ? null : (Object) groups.momentum(g));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lr", lr);
        out.put("momentum", momentum);
        return out;
    }

    private static List<?> listOr(Object v, List<?> dflt) {
        return v instanceof List ? (List<?>) v : dflt;
    }

    /** As many steps as the CLI's --steps allows: a case is replayed in memory. */
    static final long MAX_STEPS = 10_000_000;

    private static long integer(Map<String, ?> m, String key, long dflt, long min, long max) {
        Object v = m.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            throw new IllegalArgumentException("the case's \"" + key + "\" must be an integer in [" + min + ", " + max + "], got " + v);
        }
        return ((Number) v).longValue();
    }

    private static String requireString(Map<String, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String)) {
            throw new IllegalArgumentException("the case needs \"" + key + "\" (a string), got " + v);
        }
        return (String) v;
    }

    static double toDouble(Object v) {
        return io.github.lr4j.scheduler.SchedulerState.fromJson(v);
    }
}
