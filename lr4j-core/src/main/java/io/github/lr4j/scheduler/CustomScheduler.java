package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/** A user's {@link Schedule}, stepped like PyTorch's non-chainable schedulers (absolute values). */
final class CustomScheduler extends BasicScheduler {
    private final Schedule schedule;
    private final Curve[] curves;
    private final Curve[] momentumCurves;

    CustomScheduler(ParamGroups groups, Schedule schedule) {
        super(groups);
        this.schedule = schedule;
        this.curves = new Curve[n];
        this.momentumCurves = schedule.changesMomentum() ? new Curve[n] : null;
        for (int g = 0; g < n; g++) {
            int group = g;
            curves[g] = Curve.of((t, base) -> checked(group, (long) t, schedule.lr((long) t, group, base)), String.valueOf(schedule));
            if (momentumCurves != null) {
                momentumCurves[g] = Curve.of((t, base) -> schedule.momentum((long) t, group), "momentum of " + schedule);
            }
        }
    }

    private double checked(int g, long t, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalStateException("schedule " + schedule + " gave lr " + v + " for group " + g + " at step " + t
                    + " (it must be finite and >= 0)");
        }
        return v;
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "CustomScheduler";
    }

    @Override
    Curve curve(int g) {
        return curves[g];
    }

    @Override
    Curve momentumCurve(int g) {
        return momentumCurves == null ? null : momentumCurves[g];
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("schedule", schedule.getClass().getName().contains("$$Lambda") ? "lambda" : schedule.getClass().getName());
    }

    @Override
    void describe(Map<String, Object> args) {
        args.put("schedule", schedule);
    }
}
