package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A user's {@link Schedule}, stepped like PyTorch's non-chainable schedulers (absolute values).
 * Built through a registered {@link SchedulerType}, it carries the type's name and arguments, so it
 * prints, saves and restores as that type.
 */
final class CustomScheduler extends BasicScheduler {
    private final Schedule schedule;
    private final String type;
    /** The registered type's arguments; null for {@link Schedulers#custom}. */
    private final Map<String, Object> args;
    private final Curve[] curves;
    private final Curve[] momentumCurves;

    CustomScheduler(ParamGroups groups, Schedule schedule) {
        this(groups, schedule, "CustomScheduler", null);
    }

    CustomScheduler(ParamGroups groups, Schedule schedule, String type, Map<String, Object> args) {
        super(groups);
        this.schedule = schedule;
        this.type = type;
        this.args = args == null ? null : new LinkedHashMap<>(args);
        this.curves = new Curve[n];
        this.momentumCurves = schedule.changesMomentum() ? new Curve[n] : null;
        String label = label();
        for (int g = 0; g < n; g++) {
            int group = g;
            curves[g] = Curve.of((t, base) -> checked(group, (long) t, schedule.lr((long) t, group, base)), label);
            if (momentumCurves != null) {
                momentumCurves[g] = Curve.of((t, base) -> schedule.momentum((long) t, group), "momentum of " + label);
            }
        }
    }

    /**
     * What messages call the schedule: a registered type's spec text, e.g. {@code get_linear_schedule_with_warmup(
     * num_warmup_steps=5, num_training_steps=30)}, else the schedule's own text, never a Java lambda's class name.
     */
    private String label() {
        if (args != null) {
            return toString();
        }
        String text = String.valueOf(schedule);
        return text.contains("$$Lambda") || text.contains("$Lambda$") ? "a custom schedule (" + type + ")" : text;
    }

    private double checked(int g, long t, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalStateException("schedule " + label() + " gave lr " + v + " for group " + g + " at step " + t
                    + " (it must be finite and >= 0)");
        }
        return v == 0 ? 0.0 : v; // never -0.0
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return type;
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
        if (args != null) {
            // Saved so that a restore checks it was built with the same arguments (functions cannot be compared).
            args.forEach((k, v) -> {
                if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean) {
                    out.put(k, v);
                }
            });
            return;
        }
        out.put("schedule", schedule.getClass().getName().contains("$$Lambda") ? "lambda" : schedule.getClass().getName());
    }

    @Override
    void describe(Map<String, Object> out) {
        if (args != null) {
            out.putAll(args);
        } else {
            out.put("schedule", schedule);
        }
    }
}
