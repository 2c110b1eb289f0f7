package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/** PyTorch's ExponentialLR: {@code lr = base * gamma^t}; recursive: times gamma every step. */
final class ExponentialLR extends BasicScheduler {
    private final double gamma;

    ExponentialLR(ParamGroups groups, double gamma) {
        super(groups);
        this.gamma = gamma;
    }

    @Override
    public String name() {
        return "ExponentialLR";
    }

    @Override
    double next(int g, long t, double lr) {
        return t == 0 ? lr : lr * gamma;
    }

    @Override
    double closed(int g, long t) {
        return baseLrs[g] * Math.pow(gamma, (double) t);
    }

    @Override
    boolean multiplicative() {
        return true;
    }

    @Override
    double cumulativeFactor(int g, long t) {
        return Math.pow(gamma, (double) t);
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("gamma", gamma);
    }
}
