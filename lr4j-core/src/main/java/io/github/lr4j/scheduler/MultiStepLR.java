package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's MultiStepLR: {@link Curve#multiStep}, {@code lr = base * gamma^(number of milestones <= t)}. Repeated milestones
 * count once each (PyTorch's {@code Counter}), so {@code [2, 2]} multiplies by gamma² at step 2.
 */
final class MultiStepLR extends BasicScheduler {
    /** Milestones in the order given (for state and printing). */
    private final long[] given;
    /** Sorted, with repeats: random access is a binary search. */
    private final long[] sorted;
    private final double gamma;
    private final Curve curve;

    MultiStepLR(ParamGroups groups, long[] milestones, double gamma) {
        super(groups);
        this.given = milestones.clone();
        this.sorted = milestones.clone();
        java.util.Arrays.sort(sorted);
        this.gamma = gamma;
        this.curve = Curve.multiStep(milestones, gamma);
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    @Override
    public String name() {
        return "MultiStepLR";
    }

    /** How many milestones equal {@code t}. */
    private int count(long t) {
        return bisectRight(sorted, t) - bisectLeft(sorted, t);
    }

    @Override
    double next(int g, long t, double lr) {
        int c = count(t);
        return c == 0 ? lr : lr * Math.pow(gamma, c);
    }

    /** {@link #next} for every group, the milestones at {@code t} and their factor found once. */
    @Override
    void valuesAt(long t, double[] lrs, double[] momenta) {
        int c = count(t);
        if (c == 0) {
            for (int g = 0; g < n; g++) {
                lrs[g] = groups.lr(g);
            }
            return;
        }
        double factor = Math.pow(gamma, c);
        for (int g = 0; g < n; g++) {
            lrs[g] = groups.lr(g) * factor;
        }
    }

    static int bisectRight(long[] a, long x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (x < a[mid]) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static int bisectLeft(long[] a, long x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        List<Object> ms = new ArrayList<>();
        for (long m : given) {
            ms.add(m);
        }
        out.put("milestones", ms);
        out.put("gamma", gamma);
    }
}
