package io.github.lr4j.cli;

import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.ScheduleDriver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j check SPEC --steps N}: explains a schedule and lints it; exit 1 when there are warnings. */
@Command(name = "check", mixinStandardHelpOptions = true,
        header = "Explain a schedule in words and lint it (exit 1 on warnings).",
        description = {"Explains a schedule in words (phases, peak, lowest and final lr, momentum) and lints it for a run of"
            + " --steps steps (or --epochs, or the spec's own num_training_steps or total_steps), stepped as --interval says:"
            + " running past its end (OneCycleLR fails, a cosine climbs back up), duplicated, unsorted or unreached"
            + " milestones, momentum silently enabled by cycling, a warm-up starting at zero (a note, not a warning, for"
            + " transformers' and timm's warm-ups, which start there by design), an lr jump at a SequentialLR milestone, a"
            + " step size larger than the run, a timm schedule stepped the other way than its t_in_epochs; with --optimizer,"
            + " a decaying schedule on a schedule-free optimizer (SGDScheduleFree, AdamWScheduleFree, RAdamScheduleFree).",
            "",
            "Exit code: 0 when clean, 1 when there are warnings, 2 for bad input."},
        footer = {"", "Examples:",
            "  lr4j check 'OneCycleLR(max_lr=0.1, total_steps=100)' --steps 120",
            "  lr4j check 'get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)'",
            "  lr4j check 'CosineLRScheduler(t_initial=10, warmup_t=2)' --interval epoch --epochs 10",
            "  lr4j check 'OneCycleLR(max_lr=0.1, total_steps=total_steps)' --epochs 5 --steps-per-epoch 40 --momentum 0.9",
            "  lr4j check 'CosineAnnealingLR(T_max=100)' --steps 100 --optimizer 'AdamWScheduleFree(lr=2.5e-3)'",
            "  lr4j check 'SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=95)], milestones=[5])' --steps 100"})
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ScheduleInputs inputs;

    @Parameters(paramLabel = "SPEC", description = "the schedule (expression, JSON, or @FILE)")
    String expression;

    @Option(names = "--steps", description = "length of the run, in the scheduler's steps (default: from --epochs, else the"
            + " spec's num_training_steps or total_steps)")
    Long steps;

    @Option(names = "--interval", paramLabel = "step|epoch", description = "how the run steps the scheduler: per optimizer"
            + " 'step' or per 'epoch' (default: as train does, per step for schedules sized in batches, per epoch for the others)")
    String interval;

    @Option(names = "--epochs", paramLabel = "N", description = "the run's epochs: the length of the run (per step, times"
            + " --steps-per-epoch); the spec may use epochs, steps_per_epoch and total_steps")
    Integer epochs;

    @Option(names = "--steps-per-epoch", paramLabel = "N", description = "optimizer steps in one epoch (with --epochs)")
    Long stepsPerEpoch;

    @Override
    public Integer call() {
        Map<String, Long> variables = new LinkedHashMap<>();
        if (epochs != null) {
            if (epochs < 1 || epochs > 10_000_000) {
                throw new IllegalArgumentException("--epochs must be in [1, 10000000], got " + epochs);
            }
            if (steps != null) {
                throw new IllegalArgumentException("--steps and --epochs both give the length of the run: give one of them");
            }
            variables.put("epochs", (long) epochs);
        }
        if (stepsPerEpoch != null) {
            if (stepsPerEpoch < 1 || stepsPerEpoch > 10_000_000) {
                throw new IllegalArgumentException("--steps-per-epoch must be in [1, 10000000], got " + stepsPerEpoch);
            }
            variables.put("steps_per_epoch", stepsPerEpoch);
            if (epochs != null) {
                variables.put("total_steps", epochs * stepsPerEpoch);
            }
        }
        Scheduler built = inputs.build(expression, variables);
        Interval stepped = interval == null ? defaultInterval(built) : switch (interval) {
            case "step" -> Interval.STEP;
            case "epoch" -> Interval.EPOCH;
            default -> throw new IllegalArgumentException("--interval must be step or epoch, got " + interval);
        };
        long n;
        if (steps != null) {
            n = steps;
        } else if (epochs != null) {
            if (stepped == Interval.STEP && stepsPerEpoch == null) {
                throw new IllegalArgumentException("--epochs with a schedule stepped per optimizer step needs --steps-per-epoch"
                        + " (or give --steps, or --interval epoch)");
            }
            n = stepped == Interval.STEP ? epochs * stepsPerEpoch : epochs;
        } else {
            n = lengthInSpec(built.spec());
        }
        Checks.steps(n);
        // How the run steps it, in the lints' words (none when neither --interval nor --epochs says).
        String runWords = interval == null && epochs == null ? ""
                : (stepped == Interval.STEP ? "per optimizer step" : "per epoch") + (epochs != null ? " over " + epochs + " epochs" : "");
        Simulation sim = new Simulation(expression, inputs, built, n, stepped == Interval.EPOCH, runWords);
        PrintWriter out = spec.commandLine().getOut();
        for (String line : sim.report.description()) {
            out.println(line);
        }
        List<String> warnings = new ArrayList<>(sim.report.warnings());
        warnings.addAll(io.github.lr4j.spec.ScheduleSpec.removedInPyTorch(expression));
        if (inputs.optimizer != null) {
            String decay = scheduleFreeDecay(Optimizers.parse(inputs.optimizer).name(), sim.report.lr());
            if (decay != null) {
                warnings.add(decay);
            }
        }
        if (warnings.isEmpty()) {
            out.println("no warnings");
        } else {
            for (String w : warnings) {
                out.println("warning: " + w);
            }
        }
        out.flush();
        return warnings.isEmpty() ? 0 : 1;
    }

    /** As train steps it: per step for a schedule sized in batches or with total_steps or steps_per_epoch, else per epoch. */
    private Interval defaultInterval(Scheduler built) {
        try {
            return ScheduleDriver.defaultInterval(expression, built);
        } catch (RuntimeException notAnExpression) { // JSON or @FILE: the type decides
            return Interval.defaultFor(built);
        }
    }

    /** The run's length the spec itself gives (transformers' num_training_steps, OneCycleLR's total_steps). */
    private static long lengthInSpec(Map<String, Object> spec) {
        for (String name : List.of("num_training_steps", "total_steps")) {
            if (spec.get(name) instanceof Number) {
                return ((Number) spec.get(name)).longValue();
            }
        }
        throw new IllegalArgumentException("give the length of the run: --steps N (in the scheduler's steps), or --epochs N"
                + " (with --steps-per-epoch when it is stepped per optimizer step); " + spec.get("type")
                + " has no num_training_steps or total_steps to take it from");
    }

    /** The warning for a schedule that lowers the lr of a schedule-free optimizer after its peak, or null. */
    static String scheduleFreeDecay(String optimizer, double[][] lr) {
        if (!Optimizers.isScheduleFree(optimizer)) {
            return null;
        }
        for (double[] group : lr) {
            int peak = 0;
            for (int i = 1; i < group.length; i++) {
                if (group[i] > group[peak]) {
                    peak = i;
                }
            }
            int low = peak;
            for (int i = peak + 1; i < group.length; i++) {
                if (group[i] < group[low]) {
                    low = i;
                }
            }
            if (group[low] < group[peak] * (1 - 1e-9)) {
                return String.format(Locale.ROOT, "%s is schedule-free but this schedule decays its lr (from %s at step %d to"
                        + " %s at step %d): the optimizer's evaluation weights are a running average of its iterates, which"
                        + " does the work of the decay, so decaying as well shrinks the late steps twice and gives up what the"
                        + " optimizer is for (no decay to tune, a usable model at any step); keep the lr constant, with"
                        + " warm-up by warmup_steps or a warm-up-only schedule", optimizer, fourDigits(group[peak]), peak,
                        fourDigits(group[low]), low);
            }
        }
        return null;
    }

    private static String fourDigits(double v) {
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }
}
