package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/**
 * PyTorch's ConstantLR: {@code lr = base * factor} until step {@code totalIters}, then {@code base}.
 * With {@code factor = 0} PyTorch divides by zero at {@code totalIters}; lr4j restores the base lr there.
 */
final class ConstantLR extends BasicScheduler {
    private final double factor;
    private final long totalIters;

    ConstantLR(ParamGroups groups, double factor, long totalIters) {
        super(groups);
        this.factor = factor;
        this.totalIters = totalIters;
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

    @Override
    double closed(int g, long t) {
        return baseLrs[g] * (factor + (t >= totalIters ? 1 : 0) * (1 - factor));
    }

    @Override
    boolean multiplicative() {
        return factor != 0;
    }

    @Override
    double cumulativeFactor(int g, long t) {
        // PyTorch multiplies by factor at t = 0 and by 1/factor at totalIters.
        return t >= totalIters && t > 0 ? factor * (1.0 / factor) : factor;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("factor", factor);
        out.put("total_iters", totalIters);
    }
}
