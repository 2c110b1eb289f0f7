package io.github.lr4j.cli;

import java.io.PrintWriter;
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
            "SequentialLR milestone, a step size larger than the run.",
            "Exit code: 0 when clean, 1 when there are warnings, 2 for bad input."},
        footer = {"", "Examples:",
            "  lr4j check 'OneCycleLR(max_lr=0.1, total_steps=100)' --steps 120",
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
        if (sim.report.clean()) {
            out.println("no warnings");
        } else {
            for (String w : sim.report.warnings()) {
                out.println("warning: " + w);
            }
        }
        out.flush();
        return sim.report.clean() ? 0 : 1;
    }
}
