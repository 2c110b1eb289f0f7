package io.github.lr4j.cli;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleCheck;

/** One schedule stepped without training: every group's lr and momentum at steps 0..N. */
final class Simulation {
    final String label;
    final Scheduler scheduler;
    final ScheduleCheck.Report report;
    final boolean hasMomentum;
    /** lr and momentum of every group at every step are kept (two doubles each): about 320 MB at this limit. */
    static final long MAX_VALUES = 20_000_000;

    Simulation(String label, ScheduleInputs inputs, String spec, long steps) {
        this(label, inputs, inputs.build(spec), steps, false, "");
    }

    /** {@code built} (fresh, on {@code inputs}' groups) stepped {@code steps} times, per epoch or not, as {@code runWords} say. */
    Simulation(String label, ScheduleInputs inputs, Scheduler built, long steps, boolean perEpoch, String runWords) {
        this.label = label;
        this.scheduler = built;
        long values = (steps + 1) * scheduler.groups().size();
        if (values > MAX_VALUES) {
            throw new IllegalArgumentException("--steps " + steps + " over " + scheduler.groups().size() + " groups is " + values
                    + " lrs to compute and keep; the limit is " + MAX_VALUES + " (fewer steps or groups)");
        }
        this.hasMomentum = scheduler.groups().momentumKind() != MomentumKind.NONE;
        this.report = ScheduleCheck.check(scheduler, steps, inputs.metrics(), inputs.momentumBeforeAttach(), perEpoch, runWords);
    }

    int groups() {
        return report.lr().length;
    }

    int points() {
        return report.lr()[0].length;
    }

    /** Whether the schedule writes momentum (as {@code table --at} decides), or any group's momentum changes during the run. */
    boolean momentumChanges() {
        if (!hasMomentum) {
            return false;
        }
        if (scheduler.changesMomentum()) {
            return true;
        }
        for (double[] m : report.momentum()) {
            for (double v : m) {
                if (v != m[0]) {
                    return true;
                }
            }
        }
        return false;
    }
}
