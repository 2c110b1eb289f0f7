package io.github.lr4j.spec;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Explains a schedule in words and lints it before any training: each scheduler type's own lints
 * (see {@link SchedulerType#lint}: running past its end, milestones duplicated, unsorted or never
 * reached, an lr jump where a phase starts, a step size larger than the run, ...), plus momentum
 * silently enabled by cycling and a warm-up that starts at zero.
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
        return check(s, steps, metrics, momentumBeforeAttach, false, "");
    }

    /**
     * {@link #check(Scheduler, long, double[], double[])} for a run that steps the scheduler per epoch or not
     * ({@code perEpoch}), described by {@code runWords} (e.g. "per epoch over 10 epochs") in the types' lints.
     */
    public static Report check(Scheduler s, long steps, double[] metrics, double[] momentumBeforeAttach, boolean perEpoch,
                               String runWords) {
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
                s.step(OptionalDouble.of(metrics != null && t - 1 < metrics.length ? metrics[t - 1] : 1.0));
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
        if (s.drivenByMetric()) {
            description.add("driven by a metric: " + (metrics == null ? "no metrics given, so a constant metric was assumed"
                    : metrics.length + " metric values given"));
        }
        // The types' own lints; what would fail a training run is a warning here.
        SchedulerType.LintContext lints = SchedulerType.LintContext.forRun(steps, perEpoch, runWords == null ? "" : runWords, lrs);
        SchedulerTypes.lint(s.spec(), lints);
        description.addAll(lints.description());
        warnings.addAll(lints.failures());
        warnings.addAll(lints.warnings());
        warnings.addAll(ValueLints.lint(lrs, ms, groups.momentumKind() != MomentumKind.NONE, steps));
        boolean zeroStartNoted = false;
        for (int g = 0; g < n; g++) {
            describeGroup(g, lrs[g], description);
            if (lrs[g][0] == 0 && !s.drivenByMetric() && !lints.zeroStartByDesign().isEmpty()) {
                if (!zeroStartNoted) {
                    description.add("note: lr 0 at step 0: " + lints.zeroStartByDesign().get(0));
                    zeroStartNoted = true;
                }
            } else if (lrs[g][0] == 0 && !s.drivenByMetric()) {
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
        return SchedulerType.LintContext.fmt(v);
    }
}
