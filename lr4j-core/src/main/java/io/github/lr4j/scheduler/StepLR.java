package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/** PyTorch's StepLR: {@code lr = base * gamma^(t / stepSize)}; recursive: times gamma every stepSize steps. */
final class StepLR extends BasicScheduler {
    private final long stepSize;
    private final double gamma;

    StepLR(ParamGroups groups, long stepSize, double gamma) {
        super(groups);
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    @Override
    public String name() {
        return "StepLR";
    }

    @Override
    double next(int g, long t, double lr) {
        return t == 0 || t % stepSize != 0 ? lr : lr * gamma;
    }

    @Override
    double closed(int g, long t) {
        return baseLrs[g] * Math.pow(gamma, (double) Math.floorDiv(t, stepSize));
    }

    @Override
    boolean multiplicative() {
        return true;
    }

    @Override
    double cumulativeFactor(int g, long t) {
        return Math.pow(gamma, (double) Math.floorDiv(t, stepSize));
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
    }
}
