package io.github.lr4j.spec;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.MetricScheduler;
import io.github.lr4j.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Explains a schedule in words and lints it before any training: it runs past its end (OneCycleLR
 * fails, a cosine climbs back up), milestones that are duplicated, unsorted or never reached,
 * momentum silently enabled by cycling, a warm-up that starts at zero, an lr jump at a
 * SequentialLR milestone, a step size larger than the run.
 */
public final class ScheduleCheck {
    private ScheduleCheck() {
    }

    /** What {@link #check} found: the description, the warnings, and the simulated values. */
    public record Report(List<String> description, List<String> warnings, double[][] lr, double[][] momentum) {
        public boolean clean() {
            return warnings.isEmpty();
        }
    }

    /**
     * Steps a freshly built scheduler {@code steps} times (feeding {@code metrics} to a plateau
     * scheduler; without metrics it sees a constant one) and reports. The scheduler is used up.
     */
    public static Report check(Scheduler s, long steps, double[] metrics) {
        return check(s, steps, metrics, null);
    }

    /**
     * {@link #check(Scheduler, long, double[])}, also told each group's momentum before the scheduler
     * was attached (attaching OneCycleLR or CyclicLR overwrites it), to spot momentum switched on.
     */
    public static Report check(Scheduler s, long steps, double[] metrics, double[] momentumBeforeAttach) {
        ParamGroups groups = s.groups();
        int n = groups.size();
        List<String> warnings = new ArrayList<>();
        List<String> description = new ArrayList<>();
        double[] initialMomentum = new double[n];
        for (int g = 0; g < n; g++) {
            initialMomentum[g] = momentumBeforeAttach != null ? momentumBeforeAttach[Math.min(g, momentumBeforeAttach.length - 1)]
                    : groups.momentum(g);
        }
        int len = (int) Math.min(steps, 10_000_000) + 1;
        double[][] lr = new double[n][len];
        double[][] momentum = new double[n][len];
        int taken = 0;
        record(groups, lr, momentum, 0);
        for (int t = 1; t < len; t++) {
            try {
                if (s instanceof MetricScheduler) {
                    ((MetricScheduler) s).step(metrics != null && t - 1 < metrics.length ? metrics[t - 1] : 1.0);
                } else {
                    ((LrScheduler) s).step();
                }
            } catch (IllegalStateException | IllegalArgumentException ex) {
                warnings.add("stepping fails at step " + t + ": " + ex.getMessage());
                break;
            }
            taken = t;
            record(groups, lr, momentum, t);
        }
        int last = taken;
        double[][] lrs = trim(lr, last + 1);
        double[][] ms = trim(momentum, last + 1);

        description.add(s.name() + " for " + steps + " steps, " + n + " param group" + (n > 1 ? "s" : "") + ": " + s);
        if (s instanceof MetricScheduler) {
            description.add("driven by a metric: " + (metrics == null ? "no metrics given, so a constant metric was assumed"
                    : metrics.length + " metric values given"));
        }
        lint(s.spec(), 0, steps, warnings, description);
        warnings.addAll(jumps(s.spec(), lrs));
        warnings.addAll(ValueLints.lint(lrs, ms, groups.momentumKind() != MomentumKind.NONE, steps));
        for (int g = 0; g < n; g++) {
            describeGroup(g, lrs[g], description);
            if (lrs[g][0] == 0 && !(s instanceof MetricScheduler)) {
                warnings.add("group " + g + " trains step 0 with lr 0: a warm-up starting at zero wastes a step"
                        + " (start from a small fraction instead)");
            }
            boolean moves = false;
            for (int t = 1; t <= last; t++) {
                moves |= ms[g][t] != ms[g][0];
            }
            if (moves) {
                description.add(String.format(Locale.ROOT, "group %d momentum cycles between %s and %s", g, fmt(min(ms[g])),
                        fmt(max(ms[g]))));
                if (initialMomentum[g] == 0 && groups.momentumKind() == MomentumKind.MOMENTUM) {
                    warnings.add("group " + g + " had momentum 0 but " + s.name() + " cycles it (to " + fmt(max(ms[g]))
                            + "): momentum is silently enabled; pass cycle_momentum=False to keep plain SGD");
                }
            }
        }
        return new Report(description, warnings, lrs, ms);
    }

    @SuppressWarnings("unchecked")
    private static void lint(Map<String, Object> spec, long offset, long steps, List<String> warnings, List<String> description) {
        String type = String.valueOf(spec.get("type"));
        long run = steps - offset;
        switch (type) {
            case "SequentialLR": {
                List<Object> children = (List<Object>) spec.get("schedulers");
                List<Object> milestones = (List<Object>) spec.get("milestones");
                for (int i = 0; i < children.size(); i++) {
                    long start = i == 0 ? 0 : ((Number) milestones.get(i - 1)).longValue();
                    long end = i < milestones.size() ? ((Number) milestones.get(i)).longValue() : steps;
                    Map<String, Object> child = (Map<String, Object>) children.get(i);
                    description.add("steps " + start + "-" + (end - 1) + ": " + child.get("type")
                            + (i == 0 ? "" : " (restarted: counts from 0 at step " + start + ")"));
                    if (start >= steps) {
                        warnings.add("SequentialLR milestone " + start + " is never reached in " + steps + " steps");
                    }
                    lint(child, 0, Math.min(end, steps) - start, warnings, description);
                }
                return;
            }
            case "ChainedScheduler":
                for (Object child : (List<Object>) spec.get("schedulers")) {
                    lint((Map<String, Object>) child, offset, steps, warnings, description);
                }
                return;
            case "OneCycleLR": {
                long total = ((Number) spec.get("total_steps")).longValue();
                if (run > total) {
                    warnings.add("OneCycleLR is sized for total_steps=" + total + " but runs " + run
                            + " steps: it fails after step " + total + " (size it with epochs * steps_per_epoch)");
                }
                return;
            }
            case "CosineAnnealingLR": {
                long tMax = ((Number) spec.get("T_max")).longValue();
                if (run > tMax) {
                    warnings.add("CosineAnnealingLR has T_max=" + tMax + " but runs " + run
                            + " steps: after T_max the lr climbs back up (it is periodic)");
                }
                return;
            }
            case "MultiStepLR": {
                List<Object> ms = (List<Object>) spec.get("milestones");
                long[] m = ms.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
                long[] sorted = m.clone();
                Arrays.sort(sorted);
                if (!Arrays.equals(m, sorted)) {
                    warnings.add("MultiStepLR milestones " + Arrays.toString(m) + " are not sorted (PyTorch's docs say they"
                            + " must be increasing; lr4j and PyTorch apply them in sorted order)");
                }
                for (int i = 1; i < sorted.length; i++) {
                    if (sorted[i] == sorted[i - 1] && (i == 1 || sorted[i - 2] != sorted[i])) {
                        long value = sorted[i];
                        long count = Arrays.stream(sorted).filter(x -> x == value).count();
                        warnings.add("MultiStepLR milestone " + sorted[i] + " is repeated: gamma is applied " + count
                                + " times at that step");
                    }
                }
                for (long x : sorted) {
                    if (x > run) {
                        warnings.add("MultiStepLR milestone " + x + " is never reached in " + run + " steps");
                        break;
                    }
                }
                return;
            }
            case "StepLR": {
                long size = ((Number) spec.get("step_size")).longValue();
                if (size > run) {
                    warnings.add("StepLR step_size=" + size + " is larger than the run (" + run + " steps): the lr never decays");
                }
                return;
            }
            case "CyclicLR": {
                double up = ((Number) spec.get("step_size_up")).doubleValue();
                if (up > run) {
                    warnings.add("CyclicLR step_size_up=" + fmt(up) + " is larger than the run (" + run
                            + " steps): the lr never reaches max_lr");
                }
                return;
            }
            case "CosineAnnealingWarmRestarts": {
                long t0 = ((Number) spec.get("T_0")).longValue();
                if (t0 > run) {
                    warnings.add("CosineAnnealingWarmRestarts T_0=" + t0 + " is larger than the run (" + run
                            + " steps): it never restarts");
                }
                return;
            }
            case "LinearLR": case "ConstantLR": case "PolynomialLR": {
                long total = ((Number) spec.get("total_iters")).longValue();
                if (total > run) {
                    warnings.add(type + " total_iters=" + total + " is larger than the run (" + run + " steps): it never finishes");
                }
                return;
            }
            default:
        }
    }

    private static void describeGroup(int g, double[] lr, List<String> description) {
        int peak = 0;
        int low = 0;
        for (int t = 0; t < lr.length; t++) {
            if (lr[t] > lr[peak]) {
                peak = t;
            }
            if (lr[t] < lr[low]) {
                low = t;
            }
        }
        description.add(String.format(Locale.ROOT, "group %d: lr %s at step 0, peak %s at step %d, lowest %s at step %d, final %s at step %d",
                g, fmt(lr[0]), fmt(lr[peak]), peak, fmt(lr[low]), low, fmt(lr[lr.length - 1]), lr.length - 1));
    }

    /** Where the lr of a SequentialLR jumps at a milestone (by more than 1.5x between two steps). */
    static List<String> jumps(Map<String, Object> spec, double[][] lr) {
        List<String> out = new ArrayList<>();
        if (!"SequentialLR".equals(spec.get("type"))) {
            return out;
        }
        for (Object o : (List<?>) spec.get("milestones")) {
            int m = ((Number) o).intValue();
            for (int g = 0; g < lr.length; g++) {
                if (m < lr[g].length && m > 0) {
                    double a = lr[g][m - 1];
                    double b = lr[g][m];
                    double hi = Math.max(a, b);
                    double lo = Math.min(a, b);
                    if (hi > 0 && (lo == 0 || hi / lo > 1.5)) {
                        out.add("group " + g + ": the lr jumps from " + fmt(a) + " to " + fmt(b) + " at SequentialLR milestone " + m);
                    }
                }
            }
        }
        return out;
    }

    private static void record(ParamGroups groups, double[][] lr, double[][] momentum, int t) {
        for (int g = 0; g < groups.size(); g++) {
            lr[g][t] = groups.lr(g);
            momentum[g][t] = groups.momentum(g);
        }
    }

    private static double[][] trim(double[][] a, int len) {
        double[][] out = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = Arrays.copyOf(a[i], len);
        }
        return out;
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElse(Double.NaN);
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElse(Double.NaN);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }
}
