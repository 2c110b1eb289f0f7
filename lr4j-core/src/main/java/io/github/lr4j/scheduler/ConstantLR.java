package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's ConstantLR: {@code lr = base * factor} until step {@code totalIters}, then {@code base} (a join of two constants).
 * With {@code factor = 0} PyTorch divides by zero at {@code totalIters}; lr4j restores the base lr there.
 */
final class ConstantLR extends BasicScheduler {
    private final double factor;
    private final long totalIters;
    private final Curve curve;

    ConstantLR(ParamGroups groups, double factor, long totalIters) {
        super(groups);
        this.factor = factor;
        this.totalIters = totalIters;
        this.curve = Curve.join(List.of(Curve.constant(factor), Curve.constant(1)), totalIters);
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    @Override
    public String name() {
        return "ConstantLR";
    }

    @Override
    double next(int g, long t, double lr) {
        if (t == 0) {
            return lr * factor;
        }
        if (t != totalIters) {
            return lr;
        }
        return factor == 0 ? baseLrs[g] : lr * (1.0 / factor);
    }

    /** With factor 0 the step to totalIters writes the base lr instead of dividing by zero. */
    @Override
    long lastWrite(long t) {
        return factor == 0 && t >= totalIters ? totalIters : -1;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("factor", factor);
        out.put("total_iters", totalIters);
    }
}
