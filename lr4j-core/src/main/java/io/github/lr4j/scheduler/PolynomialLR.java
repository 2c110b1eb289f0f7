package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/** PyTorch's PolynomialLR: {@code lr = base * (1 - min(t, totalIters) / totalIters)^power}, reaching 0. */
final class PolynomialLR extends BasicScheduler {
    private final long totalIters;
    private final double power;

    PolynomialLR(ParamGroups groups, long totalIters, double power) {
        super(groups);
        this.totalIters = totalIters;
        this.power = power;
    }

    @Override
    public String name() {
        return "PolynomialLR";
    }

    @Override
    double next(int g, long t, double lr) {
        if (t == 0 || t > totalIters) {
            return lr;
        }
        double decay = Math.pow((1.0 - (double) t / totalIters) / (1.0 - (double) (t - 1) / totalIters), power);
        return lr * decay;
    }

    @Override
    double closed(int g, long t) {
        return baseLrs[g] * Math.pow(1.0 - (double) Math.min(totalIters, t) / totalIters, power);
    }

    @Override
    boolean multiplicative() {
        return true;
    }

    @Override
    double cumulativeFactor(int g, long t) {
        return Math.pow(1.0 - (double) Math.min(totalIters, t) / totalIters, power);
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("total_iters", totalIters);
        out.put("power", power);
    }
}
