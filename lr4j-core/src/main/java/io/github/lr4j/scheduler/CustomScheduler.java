package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.Map;

/** A user's {@link Schedule}, stepped like PyTorch's non-chainable schedulers (absolute values). */
final class CustomScheduler extends BasicScheduler {
    private final Schedule schedule;

    CustomScheduler(ParamGroups groups, Schedule schedule) {
        super(groups);
        this.schedule = schedule;
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
    double next(int g, long t, double lr) {
        return closed(g, t);
    }

    @Override
    double closed(int g, long t) {
        double v = schedule.lr(t, g, baseLrs[g]);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalStateException("schedule " + schedule + " gave lr " + v + " for group " + g + " at step " + t
                    + " (it must be finite and >= 0)");
        }
        return v;
    }

    @Override
    boolean cyclesMomentum() {
        return schedule.changesMomentum();
    }

    @Override
    double momentumAt(int g, long t) {
        return schedule.momentum(t, g);
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
