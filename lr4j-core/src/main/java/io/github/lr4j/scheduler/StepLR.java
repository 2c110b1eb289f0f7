package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/** PyTorch's StepLR: {@link Curve#step}; recursive: times gamma every stepSize steps. */
final class StepLR extends BasicScheduler {
    private final long stepSize;
    private final double gamma;
    private final Curve curve;

    StepLR(ParamGroups groups, long stepSize, double gamma) {
        super(groups);
        this.stepSize = stepSize;
        this.gamma = gamma;
        this.curve = Curve.step(stepSize, gamma);
    }

    @Override
    public String name() {
        return "StepLR";
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    @Override
    double next(int g, long t, double lr) {
        return t == 0 || t % stepSize != 0 ? lr : lr * gamma;
    }

    /** {@link #next} for every group, whether {@code t} decays found once. */
    @Override
    void valuesAt(long t, double[] lrs, double[] momenta) {
        boolean decay = t != 0 && t % stepSize == 0;
        for (int g = 0; g < n; g++) {
            lrs[g] = decay ? groups.lr(g) * gamma : groups.lr(g);
        }
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
    }
}
