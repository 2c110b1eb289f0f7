package io.github.lr4j.spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lints on the values a schedule gives over its run that PyTorch accepts but that are surely
 * mistakes: momentum (or beta1) outside [0, 1], an lr above {@value #MAX_LR}, an lr that rises
 * {@value #MAX_JUMP}x or more from one step to the next. One warning per group and kind, naming the
 * first step and the value. Works on values already computed (one pass over the run).
 */
final class ValueLints {
    static final double MAX_LR = 10;
    static final double MAX_JUMP = 100;

    private ValueLints() {
    }

    /**
     * Lints the values a run of {@code steps} optimizer steps trains with: steps 0 to
     * {@code steps - 1} (the value after the last step is never used, and OneCycleLR's extrapolated
     * value at {@code total_steps} would be a false alarm).
     *
     * @param lr          each group's lr, from step 0 (shorter when stepping failed)
     * @param momentum    each group's momentum (or beta1), from step 0
     * @param hasMomentum whether the groups have momentum or beta1 at all
     */
    static List<String> lint(double[][] lr, double[][] momentum, boolean hasMomentum, long steps) {
        List<String> out = new ArrayList<>();
        for (int g = 0; g < lr.length; g++) {
            int used = (int) Math.min(lr[g].length, steps);
            lrTooHigh(g, Arrays.copyOf(lr[g], used), out);
            jump(g, Arrays.copyOf(lr[g], used), out);
            if (hasMomentum) {
                momentumOutsideUnitRange(g, Arrays.copyOf(momentum[g], used), out);
            }
        }
        return out;
    }

    private static void lrTooHigh(int g, double[] lr, List<String> out) {
        int first = -1;
        int peak = 0;
        for (int t = 0; t < lr.length; t++) {
            if (lr[t] > MAX_LR && first < 0) {
                first = t;
            }
            if (lr[t] > lr[peak]) {
                peak = t;
            }
        }
        if (first >= 0) {
            out.add("group " + g + ": the lr is " + ScheduleCheck.fmt(lr[first]) + " at step " + first + " (above "
                    + ScheduleCheck.fmt(MAX_LR) + "; it peaks at " + ScheduleCheck.fmt(lr[peak]) + " at step " + peak
                    + "): PyTorch accepts it, but it is surely a mistake");
        }
    }

    /** Only rises: a schedule ending at a tiny lr (OneCycleLR's last step falls ~127x) is normal. */
    private static void jump(int g, double[] lr, List<String> out) {
        for (int t = 1; t < lr.length; t++) {
            double a = lr[t - 1];
            double b = lr[t];
            if (a > 0 && b / a >= MAX_JUMP) {
                // b / a overflows to infinity when a is tiny (1e-320): never print "rises Infinityx"
                String ratio = Double.isInfinite(b / a) ? "more than " + ScheduleCheck.fmt(Double.MAX_VALUE) : ScheduleCheck.fmt(b / a);
                out.add("group " + g + ": the lr rises " + ratio + "x in one step, from " + ScheduleCheck.fmt(a)
                        + " at step " + (t - 1) + " to " + ScheduleCheck.fmt(b) + " at step " + t + " ("
                        + ScheduleCheck.fmt(MAX_JUMP) + "x or more is surely a mistake)");
                return;
            }
        }
    }

    private static void momentumOutsideUnitRange(int g, double[] momentum, List<String> out) {
        int low = 0;
        int high = 0;
        int first = -1;
        for (int t = 0; t < momentum.length; t++) {
            if (first < 0 && !(momentum[t] >= 0 && momentum[t] <= 1)) {
                first = t;
            }
            if (momentum[t] < momentum[low]) {
                low = t;
            }
            if (momentum[t] > momentum[high]) {
                high = t;
            }
        }
        if (first >= 0) {
            out.add("group " + g + ": momentum is " + ScheduleCheck.fmt(momentum[first]) + " at step " + first
                    + " (outside [0, 1]; it ranges from " + ScheduleCheck.fmt(momentum[low]) + " to "
                    + ScheduleCheck.fmt(momentum[high]) + "): PyTorch accepts it, but it is surely a mistake");
        }
    }
}
