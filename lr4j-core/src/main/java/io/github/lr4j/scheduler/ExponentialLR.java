package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/** PyTorch's ExponentialLR: {@link Curve#exponential}; recursive: times gamma every step. */
final class ExponentialLR extends BasicScheduler {
    private final double gamma;
    private final Curve curve;

    ExponentialLR(ParamGroups groups, double gamma) {
        super(groups);
        this.gamma = gamma;
        this.curve = Curve.exponential(gamma);
    }

    @Override
    public String name() {
        return "ExponentialLR";
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    /** PyTorch 2.x: the initial step of a resumed scheduler keeps the lr ({@code _is_initial}). */
    @Override
    double initialNext(int g, long t, double lr) {
        return lr;
    }

    @Override
    double next(int g, long t, double lr) {
        return t == 0 ? lr : lr * gamma;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("gamma", gamma);
    }
}
