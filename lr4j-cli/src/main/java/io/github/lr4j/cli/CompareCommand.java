package io.github.lr4j.cli;

import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainingLoop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j compare SPEC...}: the same model, data and seed under several schedules, overlaid in one report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        header = "Train the same model under several schedules and overlay the curves in one report.",
        description = {"Trains the digits MLP once per schedule, with the same seed (same initial weights, same batches),",
            "prints a table of final accuracies and writes one report that overlays their lr, loss and accuracy curves.",
            "Expressions may use total_steps, steps_per_epoch and epochs. With --run-optimizer (once per SPEC) each run",
            "has its own optimizer. A schedule-free optimizer is evaluated (validation, test) at its average x."},
        footer = {"", "Example:",
            "  lr4j compare 'OneCycleLR(max_lr=0.1, total_steps=total_steps)' 'CosineAnnealingLR(T_max=epochs)' 'StepLR(step_size=7)' none",
            "  lr4j compare none 'CosineAnnealingLR(T_max=epochs)' 'OneCycleLR(max_lr=0.1, total_steps=total_steps)' \\",
            "      --run-optimizer 'AdamWScheduleFree(lr=2.5e-3, warmup_steps=100)' --run-optimizer 'AdamW(lr=2.5e-3)' \\",
            "      --run-optimizer 'SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)'"})
final class CompareCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "schedules to compare ('none' for a constant lr)")
    List<String> schedules;

    @Option(names = "--run-optimizer", paramLabel = "EXPR",
            description = "the optimizer of one run, given once per SPEC in the same order (instead of --optimizer for all),"
                    + " e.g. to put a schedule-free optimizer with no schedule beside others with theirs")
    List<String> runOptimizers;

    @Option(names = {"--report", "-o"}, paramLabel = "DIR", defaultValue = "lr4j-compare", description = "report folder (default: ${DEFAULT-VALUE})")
    Path report;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (runOptimizers != null && runOptimizers.size() != schedules.size()) {
            throw new IllegalArgumentException("--run-optimizer must be given once per SPEC (" + schedules.size() + " times),"
                    + " got " + runOptimizers.size());
        }
        List<Report.Run> runs = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        notes.add((runOptimizers == null ? "optimizer: " + options.optimizer + "; " : "") + "seed " + options.seed + "; "
                + options.epochs + " epochs");
        out.println(String.format(Locale.ROOT, "%-4s %-10s %-10s %-8s %s", "run", "test acc", "val acc", "best ep",
                runOptimizers == null ? "schedule" : "optimizer | schedule"));
        for (int i = 0; i < schedules.size(); i++) {
            long t0 = System.nanoTime();
            // Each run takes seconds: say which one is training (stderr; the table on stdout stays as it was).
            err.println("compare: run " + (i + 1) + "/" + schedules.size() + ": " + (runOptimizers == null ? ""
                    : runOptimizers.get(i) + " | ") + schedules.get(i) + " ...");
            err.flush();
            DigitsRecipe recipe = options.recipe(schedules.get(i));
            if (runOptimizers != null) {
                recipe.optimizer(runOptimizers.get(i));
            }
            DigitsRecipe.Run run = recipe.build();
            Path logs = report.resolve("run" + (i + 1)).resolve("logs");
            TrainCommand.deleteLogs(logs);
            TrainingLoop.Result result = run.trainer().log(logs).listener(new ProgressBar(err, options.epochs, true)).fit();
            Model.Evaluation test = run.model().evaluate(run.data().test());
            double val = result.history().isEmpty() ? Double.NaN : result.history().get(result.history().size() - 1).valAccuracy();
            String name = (i + 1) + ": " + (runOptimizers == null ? "" : run.optimizer().name() + " + ")
                    + (run.scheduler() == null ? "constant" : run.scheduler().name());
            notes.add(name + " = " + (runOptimizers == null ? "" : runOptimizers.get(i) + " with ")
                    + (run.scheduler() == null ? "constant lr" : run.scheduler().toString()));
            runs.add(Report.Run.read(name, logs, Report.summary("test accuracy", TrainCommand.percent(test.accuracy()),
                    "final val accuracy", TrainCommand.percent(val), "best epoch", result.bestEpoch(),
                    "time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - t0) / 1e9))));
            out.println(String.format(Locale.ROOT, "%-4d %-10s %-10s %-8d %s", i + 1, TrainCommand.percent(test.accuracy()),
                    TrainCommand.percent(val), result.bestEpoch(),
                    (runOptimizers == null ? "" : runOptimizers.get(i) + " | ") + schedules.get(i)));
            out.flush();
        }
        Report.write(report, "lr4j compare: " + schedules.size() + " schedules on digits", notes, runs);
        out.println("report: " + report.resolve("index.html"));
        out.flush();
        return 0;
    }
}
