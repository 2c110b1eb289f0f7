package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/**
 * PyTorch's LinearLR ({@link Curve#linear}): the factor moves linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} steps. With {@code startFactor = 0} PyTorch 1.13 divides by zero at step 1;
 * lr4j takes that step with the closed form {@code base * endFactor / totalIters} (warm-up from zero).
 */
final class LinearLR extends BasicScheduler {
    private final double startFactor;
    private final double endFactor;
    private final long totalIters;
    private final Curve curve;

    LinearLR(ParamGroups groups, double startFactor, double endFactor, long totalIters) {
        super(groups);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        this.curve = Curve.linear(startFactor, endFactor, totalIters);
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    @Override
    public String name() {
        return "LinearLR";
    }

    /** PyTorch 2.x: the initial step of a resumed scheduler keeps the lr ({@code _is_initial}). */
    @Override
    double initialNext(int g, long t, double lr) {
        return lr;
    }

    @Override
    double next(int g, long t, double lr) {
        if (t == 0) {
            return lr * startFactor;
        }
        if (t > totalIters) {
            return lr;
        }
        double denominator = totalIters * startFactor + (t - 1) * (endFactor - startFactor);
        if (denominator == 0) {
            return valueAt(g, t); // only when startFactor == 0 and t == 1
        }
        return lr * (1. + (endFactor - startFactor) / denominator);
    }

    /** With startFactor 0, step 1 writes the closed form instead of dividing by zero. */
    @Override
    long lastWrite(long t) {
        return startFactor == 0 && t >= 1 ? 1 : -1;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("start_factor", startFactor);
        out.put("end_factor", endFactor);
        out.put("total_iters", totalIters);
    }
}
