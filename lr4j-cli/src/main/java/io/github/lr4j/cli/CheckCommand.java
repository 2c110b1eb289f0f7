package io.github.lr4j.cli;

import io.github.lr4j.optim.Optimizers;
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
        description = {"Explains a schedule in words (phases, peak, lowest and final lr, momentum) and lints it for a run of",
            "--steps steps: running past its end (OneCycleLR fails, a cosine climbs back up), duplicated, unsorted or",
            "unreached milestones, momentum silently enabled by cycling, a warm-up starting at zero, an lr jump at a",
            "SequentialLR milestone, a step size larger than the run; with --optimizer, a decaying schedule on a",
            "schedule-free optimizer (SGDScheduleFree, AdamWScheduleFree, RAdamScheduleFree).",
            "Exit code: 0 when clean, 1 when there are warnings, 2 for bad input."},
        footer = {"", "Examples:",
            "  lr4j check 'OneCycleLR(max_lr=0.1, total_steps=100)' --steps 120",
            "  lr4j check 'CosineAnnealingLR(T_max=100)' --steps 100 --optimizer 'AdamWScheduleFree(lr=2.5e-3)'",
            "  lr4j check 'SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=95)], milestones=[5])' --steps 100"})
final class CheckCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ScheduleInputs inputs;

    @Parameters(paramLabel = "SPEC", description = "the schedule (expression, JSON, or @FILE)")
    String expression;

    @Option(names = "--steps", required = true, description = "length of the run, in the scheduler's steps")
    long steps;

    @Override
    public Integer call() {
        Checks.steps(steps);
        Simulation sim = new Simulation(expression, inputs, expression, steps);
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
