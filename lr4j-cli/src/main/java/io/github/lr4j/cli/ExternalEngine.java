package io.github.lr4j.cli;

import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.TrainingLoop;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/** {@code train --engine NAME} for a {@link TrainEngine} found on the classpath. */
final class ExternalEngine {
    private ExternalEngine() {
    }

    static Integer run(TrainCommand c) throws Exception {
        String swaScheduler = c.swaScheduler(); // the --swa options checked first, as on the other engines
        TrainEngine engine = ServiceLoader.load(TrainEngine.class).stream().map(ServiceLoader.Provider::get)
                .filter(e -> e.name().equals(c.engine)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--engine " + c.engine + " is not on this classpath: run it through"
                        + " the ./lr4j launcher, which builds lr4j-" + c.engine + " and runs on its classpath"));
        if (c.options.accumulate != 1) {
            throw new IllegalArgumentException("--accumulate is an lr4j-engine option; on --engine " + c.engine
                    + " use --local-steps and --batch-size");
        }
        int partitions = c.partitions == null ? 0 : c.partitions;
        int localSteps = c.localSteps == null ? 0 : c.localSteps;
        if (c.options.epochs < 1 || c.options.batchSize < 1 || (c.localSteps != null && localSteps < 1)
                || (c.partitions != null && partitions < 1)) {
            throw new IllegalArgumentException("--epochs, --batch-size, --local-steps and --partitions must be >= 1, got "
                    + c.options.epochs + ", " + c.options.batchSize + ", " + c.localSteps + ", " + c.partitions);
        }
        long t0 = System.nanoTime();
        PrintWriter out = c.spec.commandLine().getOut();
        PrintWriter err = c.spec.commandLine().getErr();
        int[] hidden = c.options.hidden.length == 1 && c.options.hidden[0] == 0 ? new int[0] : c.options.hidden;
        Path logs = c.report.resolve("logs"); // the engine starts them afresh, once nothing refused the run
        String extend = null;
        if (c.resume != null && (engine.extendsFinishedRuns() || c.restartSchedule || c.continueAtFinalLr)) {
            if (!engine.extendsFinishedRuns()) {
                throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr are not options of --engine "
                        + c.engine + " yet");
            }
            // The lr4j engine's decision (TrainCommand.extension), on where this engine's newest checkpoint stands.
            String[] where = {c.checkpointDir == null ? "" : c.checkpointDir.toString()};
            RunCheckpoints.Progress progress = engine.progress(request(c, hidden, logs, partitions, localSteps, swaScheduler, null),
                    name -> where[0] = name);
            if (progress != null) {
                Optional<String> how = c.extension(where[0], progress, out);
                if (how == null) {
                    return 0;
                }
                extend = how.orElse(null);
            } else if ((c.restartSchedule || c.continueAtFinalLr) && c.checkpointDir != null) { // else the engine says what is missing
                throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr extend a finished run, but "
                        + c.checkpointDir + " holds no checkpoint yet");
            }
        }
        TrainEngine.Request request = request(c, hidden, logs, partitions, localSteps, swaScheduler, extend);
        TrainEngine.Outcome o = engine.train(request, new ProgressBar(err, c.options.epochs, c.quiet));
        TrainingLoop.Result result = o.result();
        Model.Evaluation test = o.test();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String best = result.bestEpoch() < 1 ? "-" : String.valueOf(result.bestEpoch());
        List<String> notes = new ArrayList<>(List.of("engine: " + o.engine(), "optimizer: " + c.options.optimizer,
                "scheduler: " + o.scheduler(),
                "SWA: " + (c.swaStart == null ? "off" : "from epoch " + c.swaStart + ", " + (swaScheduler == null
                        ? "the schedule keeps running" : swaScheduler) + o.note()),
                String.format(Locale.ROOT, "%d epochs run%s, %d optimizer steps, %.1f s", result.epochsRun(),
                        result.stoppedEarly() ? " (stopped early)" : "", result.optimizerSteps(), seconds)));
        if (!o.horizons().isEmpty()) {
            notes.add("run length: " + Report.horizons(o.horizons(), result.history())); // as the lr4j engine's report
        }
        Report.Run r = Report.Run.read("digits", logs, Report.summary("test accuracy", TrainCommand.percent(test.accuracy()),
                "test loss", String.format(Locale.ROOT, "%.4f", test.loss()), "best epoch", best, "epochs", result.epochsRun(),
                "optimizer steps", result.optimizerSteps(), "time", String.format(Locale.ROOT, "%.1f s", seconds)));
        Report.write(c.report, "lr4j train: MLP on digits (" + c.engine + ")", notes, List.of(r));
        c.writeRecipe(c.report);
        TrainCommand.scheduledSummary(logs).ifPresent(out::println);
        out.println(String.format(Locale.ROOT, "engine %s | test accuracy %s (loss %.4f)%s | best epoch %s (%s %.4f) | %d epochs%s,"
                + " %d steps, %d skipped | %.1f s", o.engine(), TrainCommand.percent(test.accuracy()), test.loss(), o.note(), best, c.monitor,
                result.bestMetric(), result.epochsRun(), result.stoppedEarly() ? " (early stop)" : "", result.optimizerSteps(),
                result.skippedSteps(), seconds));
        out.println("report: " + c.report.resolve("index.html"));
        out.flush();
        return 0;
    }

    private static TrainEngine.Request request(TrainCommand c, int[] hidden, Path logs, int partitions, int localSteps,
                                               String swaScheduler, String extend) {
        return new TrainEngine.Request(c.options.optimizer,
                c.schedulerExpression().equalsIgnoreCase("none") ? null : c.schedulerExpression(), c.options.interval, hidden,
                c.options.epochs, c.options.batchSize, c.options.seed, !c.options.noAugment, c.monitor, c.patience, c.minDelta,
                c.checkpointDir == null ? null : c.checkpointDir.toString(), c.checkpointEvery, c.keep, c.resume, logs, c.master,
                partitions, localSteps, c.options.schedules, c.overwrite, c.options.paramGroups,
                c.swaStart == null ? 0 : c.swaStart, swaScheduler, extend);
    }
}
