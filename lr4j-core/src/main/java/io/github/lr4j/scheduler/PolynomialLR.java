package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/** PyTorch's PolynomialLR: {@link Curve#polynomial} with floor 0, reaching 0 at {@code totalIters}. */
final class PolynomialLR extends BasicScheduler {
    private final long totalIters;
    private final double power;
    private final Curve curve;

    PolynomialLR(ParamGroups groups, long totalIters, double power) {
        super(groups);
        this.totalIters = totalIters;
        this.power = power;
        this.curve = Curve.polynomial(totalIters, power, 0);
    }

    @Override
    public String name() {
        return "PolynomialLR";
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
        if (t == 0 || t > totalIters) {
            return lr;
        }
        double decay = Math.pow((1.0 - (double) t / totalIters) / (1.0 - (double) (t - 1) / totalIters), power);
        return lr * decay;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("total_iters", totalIters);
        out.put("power", power);
    }
}
