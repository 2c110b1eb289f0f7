package io.github.lr4j.cli;

import io.github.lr4j.train.Checkpointing;
import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunSpec;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainingLoop;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import io.github.lr4j.djl.DjlDigits;
import io.github.lr4j.djl.Lr4jOptimizer;
import io.github.lr4j.optim.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lr4j train}: the main job, an MLP on the digits with a schedule stepped at the right time. */
@Command(name = "train", mixinStandardHelpOptions = true,
        header = "The main job: train an MLP on the built-in digits with a schedule; writes a report.",
        description = {"Trains an MLP (64-256-10, ReLU) on the handwritten digits shipped with lr4j (1,257 training images,",
            "augmented with one-pixel shifts; 270 validation; 270 test), with SGD + momentum and OneCycleLR stepped per",
            "batch by default (without --scheduler the schedule follows --optimizer: a one-cycle up to its lr, or none for a",
            "schedule-free optimizer), and writes a report: metrics logs (JSON lines, CSV), charts of lr, momentum, loss and",
            "accuracy (PNG and SVG), and index.html. Every choice can be overridden; a --scheduler expression may use",
            "total_steps, steps_per_epoch and epochs."},
        footer = {"", "Examples:",
            "  lr4j train",
            "  lr4j train --optimizer 'AdamW(lr=1e-3, weight_decay=0.01)' --scheduler 'CosineAnnealingLR(T_max=total_steps)' --interval step",
            "  lr4j train --scheduler 'ReduceLROnPlateau(factor=0.5, patience=2)' --early-stopping 5 --epochs 60",
            "  lr4j train --swa-start 16 --swa-lr 0.01 --swa-anneal-epochs 2",
            "  lr4j train --checkpoint-dir ckpt --checkpoint-every 100",
            "  lr4j train --checkpoint-dir ckpt --resume latest      # after an interruption: goes on where it stopped"})
final class TrainCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--scheduler", paramLabel = "EXPR",
            description = "the schedule, or 'none' (default: follows --optimizer: OneCycleLR(max_lr=<the optimizer's lr>,"
                    + " total_steps=total_steps), none for a schedule-free optimizer)")
    String scheduler;

    /** The schedule this run uses: --scheduler, else the default that follows the optimizer ("none": a constant lr). */
    String schedulerExpression() {
        if (scheduler != null) {
            return scheduler;
        }
        String byDefault = DigitsRecipe.defaultScheduler(options.optimizer);
        return byDefault == null ? "none" : byDefault;
    }

    @Option(names = "--early-stopping", paramLabel = "PATIENCE", defaultValue = "0",
            description = "stop after this many epochs without improvement of --monitor, and restore the best weights (0: off)")
    int patience;

    @Option(names = "--min-delta", defaultValue = "0", description = "smallest change that counts as an improvement")
    double minDelta;

    @Option(names = "--monitor", defaultValue = "val_loss",
            description = "val_loss or val_accuracy: watched by early stopping, plateau control and the best checkpoint (default: ${DEFAULT-VALUE})")
    String monitor;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "write checkpoints here (each epoch, the best, and every --checkpoint-every steps)")
    Path checkpointDir;

    @Option(names = "--checkpoint-every", paramLabel = "STEPS", defaultValue = "0", description = "also checkpoint every N optimizer steps")
    long checkpointEvery;

    @Option(names = "--keep", defaultValue = "3", description = "keep the last K checkpoints (default: ${DEFAULT-VALUE})")
    int keep;

    @Option(names = "--resume", paramLabel = "CKPT|latest", description = "continue from a checkpoint file, or the latest in"
            + " --checkpoint-dir: options not typed are taken from the checkpoint, typed ones must equal its (except --epochs"
            + " and output options)")
    String resume;

    @Option(names = "--restart-schedule",
            description = "with --resume of a finished run and a larger --epochs: the schedule starts again from its"
                    + " beginning, sized for the added epochs, from the trained weights (a warm restart)")
    boolean restartSchedule;

    @Option(names = "--continue-at-final-lr",
            description = "with --resume of a finished run and a larger --epochs: train the added epochs at the"
                    + " schedule's final lr")
    boolean continueAtFinalLr;

    @Option(names = "--overwrite", description = "start a new run in a --checkpoint-dir that holds another run's checkpoints (they are deleted)")
    boolean overwrite;

    @Option(names = {"--report", "-o"}, paramLabel = "DIR", defaultValue = "lr4j-report", description = "report folder (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Option(names = "--swa-start", paramLabel = "EPOCH",
            description = "stochastic weight averaging: average the weights at the end of this epoch (from 1) and every later"
                    + " one; the model is tested and saved (swa.ckpt) with the average")
    Integer swaStart;

    @Option(names = "--swa-lr", paramLabel = "LR",
            description = "with --swa-start: SWALR takes over from the schedule at that epoch and anneals the lr to LR"
                    + " (default: no SWALR, the schedule keeps running)")
    Double swaLr;

    @Option(names = "--swa-anneal-epochs", paramLabel = "N", defaultValue = "10",
            description = "SWALR's anneal_epochs: epochs from the schedule's lr to --swa-lr, 0: at once (default: ${DEFAULT-VALUE}, as PyTorch)")
    int swaAnnealEpochs;

    @Option(names = "--swa-anneal-strategy", paramLabel = "cos|linear", defaultValue = "cos",
            description = "SWALR's anneal_strategy (default: ${DEFAULT-VALUE})")
    String swaAnnealStrategy;

    @Option(names = "--engine", defaultValue = "lr4j",
            description = "lr4j (pure Java, the default), djl (DJL with the PyTorch engine on CPU, through lr4j-djl) or spark"
                    + " (data-parallel on Apache Spark through lr4j-spark; a step is one local optimizer step)")
    String engine;

    @Option(names = "--master", description = "spark: the Spark master (default: spark-submit's, else embedded local[*])")
    String master;

    @Option(names = "--partitions", description = "spark: shards trained in parallel (default: Spark's default parallelism)")
    Integer partitions;

    @Option(names = "--local-steps", paramLabel = "K",
            description = "spark: optimizer steps each partition takes between two averages (default: 8; 1 is synchronous SGD)")
    Integer localSteps;

    @Option(names = "--config", paramLabel = "FILE",
            description = "read the run's recipe from FILE (JSON, as --print-config prints it); options given beside it"
                    + " override its fields")
    Path config;

    @Option(names = "--print-config", description = "print the effective recipe (every default filled in) as JSON that"
            + " --config reads, and exit")
    boolean printConfig;

    /** The recipe the options make up (defaults filled in). */
    RunSpec recipe() {
        return new RunSpec(engine, Arrays.stream(options.hidden).boxed().toList(), options.paramGroups, !options.noAugment,
                options.batchSize,
                options.seed, options.optimizer, schedulerExpression(), options.interval, options.schedules, options.epochs,
                options.accumulate, monitor, patience, minDelta, swaStart, swaLr, swaAnnealEpochs, swaAnnealStrategy,
                checkpointDir == null ? null : checkpointDir.toString(), checkpointEvery, keep, master, partitions, localSteps,
                options.threads);
    }

    /** {@code --config}: each field of the file sets its option, unless that option was typed. */
    private void applyConfig() {
        Map<String, Object> json = Json.readConfig(config);
        RunSpec fromFile = RunSpec.fromMap(json, recipe(), config.toString());
        CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        fromFile.toOptions().forEach((name, text) -> {
            if (!typed.hasMatchedOption(name)) {
                spec.findOption(name).setValue(valueOf(name, text));
            }
        });
        if (!json.containsKey("scheduler") && !typed.hasMatchedOption("--scheduler")) {
            scheduler = null; // the default follows the file's optimizer
        }
    }

    @Override
    public Integer call() throws Exception {
        if (config != null) {
            applyConfig();
        }
        if (printConfig) {
            spec.commandLine().getOut().println(recipe().toJson());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (patience < 0 || checkpointEvery < 0 || keep < 1) {
            throw new IllegalArgumentException("--early-stopping and --checkpoint-every must be >= 0 and --keep >= 1, got "
                    + patience + ", " + checkpointEvery + ", " + keep);
        }
        if ((restartSchedule || continueAtFinalLr) && resume == null) {
            throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr extend a finished run: add"
                    + " --resume latest (and --checkpoint-dir) and a larger --epochs");
        }
        if (restartSchedule && continueAtFinalLr) {
            throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr exclude each other: choose one");
        }
        if (options.threads() != null && engine.equals("spark")) {
            throw new IllegalArgumentException("--threads is not an option of --engine spark: its parallelism is --partitions"
                    + " (shards trained at once) and --master (e.g. local[2])");
        }
        if (!engine.equals("spark") && (master != null || partitions != null || localSteps != null)) {
            throw new IllegalArgumentException("--master, --partitions and --local-steps are options of --engine spark, not of"
                    + " --engine " + engine);
        }
        if (engine.equals("djl")) {
            return djl();
        }
        if (engine.equals("spark")) {
            return ExternalEngine.run(this);
        }
        if (!engine.equals("lr4j")) {
            throw new IllegalArgumentException("--engine must be lr4j, djl or spark, got " + engine);
        }
        long t0 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path from = resumeFrom(err);
        DigitsRecipe recipe = options.recipe(schedulerExpression());
        String swaScheduler = swaScheduler();
        if (swaStart != null) {
            recipe.swa(swaStart, swaScheduler);
        }
        // The time printed is the fit's: loading and augmenting the data is left out of it (issue 25).
        long loading = System.nanoTime();
        DigitsRecipe.Data data = recipe.loadData();
        t0 += System.nanoTime() - loading;
        DigitsRecipe.Run run = recipe.build(data);
        TrainingLoop trainer = run.trainer();
        trainer.runSettings(runSettings());
        if (overwrite) {
            trainer.overwriteCheckpoints();
        }
        trainer.monitor(monitor, monitor.equals("val_accuracy") ? Mode.MAX : Mode.MIN);
        if (patience > 0) {
            trainer.earlyStopping(new EarlyStopping(patience, minDelta, true));
        }
        if (checkpointDir != null) {
            trainer.checkpoints(new Checkpointing(checkpointDir, checkpointEvery, true, true, keep));
        }
        Resumed resumed = resumed(from, out);
        if (resumed == null) {
            return 0;
        }
        List<RunState.Horizon> horizons = resumed.horizons();
        if (from != null) {
            if (resumed.extendRestarting() != null) {
                trainer.extendFinishedRun(resumed.extendRestarting());
            }
            trainer.resume(from);
            err.println("resuming from " + from);
        }
        Path logs = report.resolve("logs");
        trainer.log(logs).listener(new ProgressBar(err, options.epochs, quiet)
                .header(scheduleLine(run.scheduler(), recipe.schedulerExpression())));
        TrainingLoop.Result result = trainer.fit();
        Model.Evaluation test = run.model().evaluate(run.data().test());
        String swaNote = "";
        if (trainer.trainedWeights() != null) {
            // fit() left the average in the model; the weights the last step left are tested for comparison.
            Model.Evaluation last = Model.evaluateWith(run.model(), trainer.trainedWeights(), run.data().test());
            swaNote = String.format(Locale.ROOT, " (SWA average of %d epochs; last weights %s)",
                    trainer.weightAverage().orElseThrow().count(), percent(last.accuracy()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String best = result.bestEpoch() < 1 ? "-" : String.valueOf(result.bestEpoch());
        List<String> notes = List.of("optimizer: " + run.optimizer(),
                "scheduler: " + inEffect(trainer, run.scheduler()),
                "SWA: " + (swaStart == null ? "off" : "from epoch " + swaStart + ", " + (swaScheduler == null
                        ? "the schedule keeps running" : swaScheduler) + swaNote),
                String.format(Locale.ROOT, "%d epochs run%s, %d optimizer steps, %.1f s", result.epochsRun(),
                        result.stoppedEarly() ? " (stopped early)" : "", result.optimizerSteps(), seconds),
                "run length: " + Report.horizons(horizons, result.history()));
        Report.Run r = Report.Run.read("digits", logs, Report.summary("test accuracy", percent(test.accuracy()),
                "test loss", String.format(Locale.ROOT, "%.4f", test.loss()), "best epoch", best, "epochs", result.epochsRun(),
                "optimizer steps", result.optimizerSteps(), "time", String.format(Locale.ROOT, "%.1f s", seconds)))
                .withHistory(result.history()); // a run resumed into a new folder: its first epochs from the checkpoint
        Report.write(report, "lr4j train: MLP on digits", notes, List.of(r));
        writeRecipe(report);
        scheduledSummary(logs).ifPresent(out::println);
        out.println(String.format(Locale.ROOT, "test accuracy %s (loss %.4f)%s | best epoch %s (%s %.4f) | %d epochs%s, %d steps,"
                + " %d skipped | %.2f s", percent(test.accuracy()), test.loss(), swaNote, best, monitor, result.bestMetric(),
                result.epochsRun(), result.stoppedEarly() ? " (early stop)" : "", result.optimizerSteps(), result.skippedSteps(), seconds));
        out.println("report: " + report.resolve("index.html"));
        out.flush();
        return 0;
    }

    /**
     * The lr scheduler the run ended with: a resume with a new horizon rebuilt it (stretched, restarted), so the one the
     * recipe built before the resume would print the wrong total_steps.
     */
    private static String inEffect(TrainingLoop trainer, io.github.lr4j.scheduler.Scheduler built) {
        if (built == null) {
            return "none";
        }
        return trainer.schedulers().stream().map(TrainingLoop.Attached::scheduler).filter(s -> s.drivesLr()).findFirst()
                .orElse(built).toString();
    }

    /**
     * How a run resumed from {@code from} (null: a new run) goes on, the same for every engine that checkpoints: its run
     * lengths, and whether it extends a finished run (null: it does not; true: --restart-schedule). Null when there is
     * nothing to train (said on {@code out}); an IllegalArgumentException when the flags do not fit the checkpoint.
     */
    private Resumed resumed(Path from, PrintWriter out) throws Exception {
        if (from == null) {
            return new Resumed(List.of(new RunState.Horizon(options.epochs, 0, "")), null);
        }
        RunCheckpoints.Progress progress = RunCheckpoints.progress(from);
        Optional<String> how = extension(from.toString(), progress, out);
        if (how == null) {
            return null;
        }
        List<RunState.Horizon> horizons = RunCheckpoints.horizonsAfter(RunCheckpoints.horizons(from), progress.epochsDone(),
                options.epochs, RunCheckpoints.how(restartSchedule || continueAtFinalLr, restartSchedule));
        return new Resumed(horizons, how.map(h -> h.equals("restart-schedule")).orElse(null));
    }

    private record Resumed(List<RunState.Horizon> horizons, Boolean extendRestarting) { }

    /** The same job on DJL: same model shape, data, optimizer and schedule, stepped by lr4j-djl; the same report. */
    private Integer djl() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path from = resumeFrom(err);
        Resumed resumed = resumed(from, out);
        if (resumed == null) {
            return 0;
        }
        if (options.accumulate != 1) {
            throw new IllegalArgumentException("--accumulate is not an option of --engine djl (DJL's trainer applies one"
                    + " update per batch; use --engine lr4j or spark)");
        }
        io.github.lr4j.train.Interval interval = options.interval == null ? null : switch (options.interval) {
            case "step" -> io.github.lr4j.train.Interval.STEP;
            case "epoch" -> io.github.lr4j.train.Interval.EPOCH;
            default -> throw new IllegalArgumentException("--interval must be step or epoch, got " + options.interval);
        };
        if (!monitor.equals("val_loss") && !monitor.equals("val_accuracy")) {
            throw new IllegalArgumentException("--monitor must be val_loss or val_accuracy, got " + monitor);
        }
        io.github.lr4j.train.ParamGrouping grouping = io.github.lr4j.train.ParamGrouping.parse(options.paramGroups);
        // Before anything starts DJL's engine, which reads these once.
        int threads = options.threads() != null ? options.threads() : io.github.lr4j.djl.DjlThreads.defaultThreads();
        io.github.lr4j.djl.DjlThreads.configure(threads);
        long t0 = System.nanoTime();
        int[] widths = options.widths();
        String schedule = schedulerExpression().equalsIgnoreCase("none") ? "ConstantLR(factor=1.0, total_iters=1)"
                : schedulerExpression();
        Path logs = report.resolve("logs");
        try (DjlDigits run = new DjlDigits(widths, options.epochs, options.batchSize, options.seed, schedule, options.optimizer,
                interval, !options.noAugment, grouping, null)) {
            options.schedules.forEach(run::schedule);
            String swaScheduler = swaScheduler();
            io.github.lr4j.djl.DjlWeightAverage average = null;
            if (swaStart != null) {
                average = new io.github.lr4j.djl.DjlWeightAverage(run.model.getBlock());
                run.listener.swa(swaStart, average, swaScheduler == null ? null
                        : () -> io.github.lr4j.spec.ScheduleSpec.build(swaScheduler, run.groups));
            }
            // Every DJL run goes through DjlRun, on the driver lr4j's own loop uses (checkpoints or not): one adapter.
            try {
                return djlRun(run, from, resumed, t0, threads);
            } finally {
                if (average != null) {
                    average.close();
                }
            }
        }
    }

    /**
     * A DJL run: trained by lr4j-djl's DjlRun through the driver lr4j's own loop uses (the same checkpoint files, resume,
     * run lengths, logs and report), one optimizer step per batch in the order lr4j's loop takes.
     */
    private Integer djlRun(io.github.lr4j.djl.DjlDigits run, Path from, Resumed resumed, long t0, int threads)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        io.github.lr4j.djl.DjlRun loop = new io.github.lr4j.djl.DjlRun(run, options.epochs, options.batchSize, options.seed)
                .monitor(monitor).runSettings(runSettings());
        if (patience > 0) {
            loop.earlyStopping(new EarlyStopping(patience, minDelta, true));
        }
        if (checkpointDir != null) {
            loop.checkpoints(new Checkpointing(checkpointDir, checkpointEvery, true, true, keep));
        }
        if (overwrite) {
            loop.overwriteCheckpoints();
        }
        if (resumed.extendRestarting() != null) {
            loop.extendFinishedRun(resumed.extendRestarting());
        }
        if (from != null) {
            err.println("resuming from " + from);
        }
        Path logs = report.resolve("logs");
        String schedule = schedulerExpression().equalsIgnoreCase("none") ? "ConstantLR(factor=1.0, total_iters=1)"
                : schedulerExpression();
        RunState state;
        try (io.github.lr4j.train.MetricsLog log = new io.github.lr4j.train.MetricsLog(logs)) {
            state = loop.fit(from, log, new ProgressBar(err, options.epochs, quiet)
                    .header(scheduleLine(schedulerExpression().equalsIgnoreCase("none") ? null : run.scheduler, schedule)));
        }
        Model.Evaluation test = run.testEvaluation();
        String swaNote = "";
        if (loop.trainedWeights() != null) {
            // fit() left the average in the model; the weights the last step left are tested for comparison (as lr4j).
            io.github.lr4j.djl.DjlWeightAverage average = run.listener.weightAverage();
            loop.loadWeights(loop.trainedWeights());
            swaNote = String.format(Locale.ROOT, " (SWA average of %d epochs; last weights %s)", average.count(),
                    percent(run.testAccuracy()));
            average.copyInto();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String engineVersion = ai.djl.engine.Engine.getInstance().getVersion();
        boolean stopped = state.best().stopped();
        String best = state.best().bestEpoch() < 0 ? "-" : String.valueOf(state.best().bestEpoch() + 1);
        List<String> notes = List.of("engine: DJL with PyTorch " + engineVersion + " on CPU (" + threads
                        + " intra-op threads, 1 inter-op), driven by lr4j-djl's DjlRun (checkpoints)",
                "optimizer: " + options.optimizer, "scheduler: " + schedulerExpression(),
                String.format(Locale.ROOT, "%d epochs run%s, %d optimizer steps, %.1f s", state.epoch(),
                        stopped ? " (stopped early)" : "", state.optimizerSteps(), seconds),
                "run length: " + Report.horizons(resumed.horizons(), state.history().list()));
        Report.Run r = Report.Run.read("digits (DJL)", logs, Report.summary("test accuracy", percent(test.accuracy()),
                "test loss", String.format(Locale.ROOT, "%.4f", test.loss()), "best epoch", best, "epochs", state.epoch(), "optimizer steps", state.optimizerSteps(),
                "time", String.format(Locale.ROOT, "%.1f s", seconds))).withHistory(state.history().list());
        Report.write(report, "lr4j train --engine djl: MLP on digits", notes, List.of(r));
        writeRecipe(report);
        scheduledSummary(logs).ifPresent(out::println);
        out.println(String.format(Locale.ROOT, "engine djl (PyTorch %s, CPU) | test accuracy %s (loss %.4f)%s | best epoch %s"
                + " (%s %.4f) | %d epochs%s, %d steps | %.2f s", engineVersion, percent(test.accuracy()), test.loss(), swaNote, best,
                monitor,
                state.best().bestMetric(), state.epoch(), stopped ? " (early stop)" : "", state.optimizerSteps(), seconds));
        out.println("report: " + report.resolve("index.html"));
        out.flush();
        return 0;
    }

    /** The pre-flight's line: the effective schedule (typed or the default), how it is stepped, or the constant lr. */
    private String scheduleLine(io.github.lr4j.scheduler.Scheduler s, String expression) {
        String given = scheduler == null ? " (the default for " + io.github.lr4j.optim.Optimizers.parse(options.optimizer).name()
                + ")" : "";
        if (s == null) {
            return "schedule: none, a constant lr of " + io.github.lr4j.optim.Optimizers.parse(options.optimizer).defaultValue("lr")
                    + given;
        }
        String interval = options.interval != null ? options.interval
                : DigitsRecipe.defaultInterval(expression, s) == io.github.lr4j.train.Interval.STEP ? "step" : "epoch";
        return "schedule: " + s + ", stepped per " + (interval.equals("step") ? "optimizer step" : "epoch") + given;
    }

    /** The SWALR expression the --swa options ask for (null: none, the schedule keeps running). */
    String swaScheduler() {
        CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        boolean annealTyped = typed.hasMatchedOption("--swa-anneal-epochs") || typed.hasMatchedOption("--swa-anneal-strategy");
        if (swaStart == null) {
            if (swaLr != null || annealTyped) {
                throw new IllegalArgumentException((swaLr != null ? "--swa-lr needs" : "--swa-anneal-epochs and --swa-anneal-strategy"
                        + " need") + " --swa-start (the epoch from which the weights are averaged)");
            }
            return null;
        }
        if (swaLr == null && annealTyped) {
            throw new IllegalArgumentException("--swa-anneal-epochs and --swa-anneal-strategy shape SWALR's anneal to --swa-lr:"
                    + " give --swa-lr too (without it the schedule keeps running)");
        }
        if (swaStart < 1 || swaStart > options.epochs) {
            throw new IllegalArgumentException("--swa-start must be an epoch in [1, " + options.epochs + "] (--epochs), got " + swaStart);
        }
        if (swaAnnealEpochs < 0) {
            throw new IllegalArgumentException("--swa-anneal-epochs must be >= 0, got " + swaAnnealEpochs);
        }
        if (!swaAnnealStrategy.equals("cos") && !swaAnnealStrategy.equals("linear")) {
            throw new IllegalArgumentException("--swa-anneal-strategy must be cos or linear, got " + swaAnnealStrategy);
        }
        if (swaLr == null) {
            return null;
        }
        String swalr = "SWALR(swa_lr=" + swaLr + ", anneal_epochs=" + swaAnnealEpochs + ", anneal_strategy='" + swaAnnealStrategy + "')";
        // Checked now (on stand-in groups), not when the run reaches --swa-start.
        io.github.lr4j.spec.ScheduleSpec.build(swalr, io.github.lr4j.groups.ParamGroups.of(0.1));
        return swalr;
    }

    /**
     * What a resume of the run at {@code progress} (in checkpoint {@code from}) does with --epochs, the same for every
     * engine: a finished run given no more epochs has nothing to train (said to {@code out}: null); a finished run
     * given more trains on only with --restart-schedule or --continue-at-final-lr (the how, as RunCheckpoints names
     * it); an unfinished run is resumed as it is (empty; the schedule stretched to a new --epochs), never with them.
     */
    Optional<String> extension(String from, RunCheckpoints.Progress progress, PrintWriter out) {
        if (progress.finished()) {
            String ended = progress.stopped() ? "stopped early after " + progress.epochsDone() + " epochs"
                    : "finished its " + progress.epochsDone() + " epochs";
            if (options.epochs <= progress.epochsDone()) {
                out.println("lr4j: the run in " + from + " " + ended + ": nothing to train (to train on, give a larger"
                        + " --epochs with --restart-schedule or --continue-at-final-lr)");
                out.flush();
                return null;
            }
            if (!restartSchedule && !continueAtFinalLr) {
                throw new IllegalArgumentException("the run in " + from + " " + ended + "; to train on to " + options.epochs
                        + " epochs choose --restart-schedule (the schedule starts again, sized for the "
                        + (options.epochs - progress.epochsDone()) + " added epochs: a warm restart) or"
                        + " --continue-at-final-lr (the added epochs at the schedule's final lr)");
            }
            return Optional.of(RunCheckpoints.how(true, restartSchedule));
        }
        if (restartSchedule || continueAtFinalLr) {
            throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr extend a finished run; the run in "
                    + from + " is at epoch " + progress.epochsDone() + " of " + progress.epochs() + ": resume it without them");
        }
        return Optional.empty();
    }

    /** The checkpoint --resume names (null: a new run, or none yet), its recorded settings taken as this run's. */
    private Path resumeFrom(PrintWriter err) throws Exception {
        if (resume == null) {
            return null;
        }
        Path from = resume.equals("latest") ? latest(err) : Path.of(resume);
        if (from != null) {
            adoptSettings(from);
        }
        return from;
    }

    /** The checkpoint {@code --resume latest} takes, or null when there is none yet (the run starts afresh). */
    private Path latest(PrintWriter err) throws Exception {
        if (checkpointDir == null) {
            throw new IllegalArgumentException("--resume latest needs --checkpoint-dir");
        }
        // The skipped ones are said once an intact checkpoint is found; if none is, the one-line refusal names them all.
        List<String> skipped = new ArrayList<>();
        Path found = RunCheckpoints.latest(checkpointDir, skipped::add).orElse(null);
        skipped.forEach(line -> err.println("warning: " + line));
        err.flush();
        if (found == null) { // killed before its first checkpoint: nothing to resume, and its logs are not kept
            err.println("lr4j: no checkpoint in " + checkpointDir + " yet: starting afresh");
            err.flush();
        }
        return found;
    }

    /**
     * The options that make up a run: a resume takes each one not typed from the checkpoint, and
     * refuses a typed one that differs. The number of epochs and output or logging flags may change.
     */
    static final List<String> RUN_OPTIONS = List.of("--optimizer", "--scheduler", "--hidden", "--no-augment", "--interval",
            "--batch-size", "--accumulate", "--seed", "--monitor", "--early-stopping", "--min-delta", "--swa-start", "--swa-lr",
            "--swa-anneal-epochs", "--swa-anneal-strategy", "--schedule", "--param-groups");

    /** What a checkpoint stores of the run: the recipe's options that a resume compares. */
    private Map<String, String> runSettings() {
        Map<String, String> all = recipe().toOptions();
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : RUN_OPTIONS) {
            out.put(name, all.get(name));
        }
        return out;
    }

    private static String text(Object value) {
        if (value instanceof Map) { // --schedule NAME=SPEC...: saved as a JSON object
            try {
                return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(value);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        if (value instanceof int[]) {
            return Arrays.stream((int[]) value).mapToObj(String::valueOf).collect(Collectors.joining(","));
        }
        return value == null ? null : String.valueOf(value);
    }

    private void adoptSettings(Path checkpoint) throws Exception {
        Map<String, String> saved = RunCheckpoints.runSettings(checkpoint);
        CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        List<String> differences = new ArrayList<>();
        for (String name : RUN_OPTIONS) {
            if (!saved.containsKey(name)) {
                continue;
            }
            String was = saved.get(name);
            CommandLine.Model.OptionSpec option = spec.findOption(name);
            if (typed.hasMatchedOption(name)) {
                String now = text(option.getValue());
                if (!same(name, was, now)) {
                    differences.add("  " + name + ": the checkpoint's run had " + shown(was) + ", this one has " + shown(now));
                } else if (name.equals("--schedule")) {
                    option.setValue(valueOf(name, was)); // the checkpoint's order: its schedules are restored by position
                }
            } else {
                option.setValue(fromCheckpoint(checkpoint, name, was));
            }
        }
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + checkpoint + ": it was written by a run with other settings"
                    + " (leave an option out to take it from the checkpoint):" + System.lineSeparator()
                    + String.join(System.lineSeparator(), differences));
        }
    }

    /**
     * A setting taken from a checkpoint, checked as it is taken: an error names the checkpoint and the option, so that
     * a damaged or crafted file is not mistaken for something typed.
     */
    private static Object fromCheckpoint(Path checkpoint, String name, String was) {
        try {
            if (was != null && name.equals("--optimizer")) {
                Optimizers.parse(was);
            } else if (was != null && name.equals("--scheduler") && !was.equalsIgnoreCase("none")) {
                io.github.lr4j.spec.ScheduleSpec.variablesIn(was);
            }
            return valueOf(name, was);
        } catch (IllegalArgumentException | CommandLine.ParameterException e) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " holds " + name + " " + shown(was)
                    + ", which cannot be used: " + e.getMessage());
        }
    }

    /** Equal settings, with optimizers compared as parsed (lr=1e-3 is lr=0.001) and expressions without spaces. */
    private static boolean same(String name, String was, String now) {
        if (was == null || now == null) {
            return was == now;
        }
        if (name.equals("--schedule")) { // the same schedules, in any order
            try {
                Map<String, String> a = new java.util.TreeMap<>();
                Map<String, String> b = new java.util.TreeMap<>();
                Json.readObject(was).forEach((k, v) -> a.put(k, String.valueOf(v).replaceAll("\\s+", "")));
                Json.readObject(now).forEach((k, v) -> b.put(k, String.valueOf(v).replaceAll("\\s+", "")));
                return a.equals(b);
            } catch (IllegalArgumentException unreadable) {
                return false;
            }
        }
        if (name.equals("--optimizer")) {
            try {
                return Optimizers.parse(was).toString().equals(Optimizers.parse(now).toString());
            } catch (IllegalArgumentException unreadable) {
                return false;
            }
        }
        return was.replaceAll("\\s+", "").equals(now.replaceAll("\\s+", ""));
    }

    private static String shown(String v) {
        return v == null ? "none" : "'" + v + "'";
    }

    /** The option's value from its saved text, converted by picocli as if it had been typed. */
    private static Object valueOf(String name, String text) {
        if (text == null) {
            return null;
        }
        if (name.equals("--schedule")) {
            Map<String, String> schedules = new LinkedHashMap<>();
            Json.readObject(text).forEach((k, v) -> schedules.put(k, String.valueOf(v)));
            return schedules;
        }
        CommandLine fresh = new CommandLine(new TrainCommand()).setExpandAtFiles(false);
        if (fresh.getCommandSpec().findOption(name).typeInfo().isBoolean()) {
            return Boolean.parseBoolean(text);
        }
        fresh.parseArgs(name, text);
        return fresh.getCommandSpec().findOption(name).getValue();
    }

    /** The run's recipe beside its report: {@code lr4j train --config DIR/run.json} runs it again. */
    void writeRecipe(Path dir) throws java.io.IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("run.json"), recipe().toJson() + System.lineSeparator());
    }

    /** The columns of steps.csv that every run has; any other is a scheduled hyper-parameter's (weight_decay0, ...). */
    private static final java.util.regex.Pattern STANDARD_COLUMN =
            java.util.regex.Pattern.compile("step|epoch|batch|loss|skipped|(lr|momentum)\\d+");

    /**
     * One line naming each scheduled hyper-parameter with its first and last value, read from the run's steps.csv (the
     * same columns on every engine), e.g. {@code scheduled: weight_decay0 0.0005 -> 4.9e-09}; empty when none is.
     */
    static java.util.Optional<String> scheduledSummary(Path logs) throws java.io.IOException {
        Path csv = logs.resolve("steps.csv");
        if (!Files.isRegularFile(csv)) {
            return java.util.Optional.empty();
        }
        List<String> rows = Files.readAllLines(csv);
        if (rows.size() < 2) {
            return java.util.Optional.empty();
        }
        String[] columns = rows.get(0).split(",");
        String[] first = rows.get(1).split(",", -1);
        String[] last = rows.get(rows.size() - 1).split(",", -1);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < columns.length; i++) {
            if (!STANDARD_COLUMN.matcher(columns[i]).matches() && i < first.length && i < last.length) {
                parts.add(columns[i] + " " + shortNumber(first[i]) + " -> " + shortNumber(last[i]));
            }
        }
        return parts.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of("scheduled: " + String.join(", ", parts));
    }

    private static String shortNumber(String text) {
        try {
            return String.format(Locale.ROOT, "%.4g", Double.parseDouble(text));
        } catch (NumberFormatException notANumber) {
            return text;
        }
    }

    static void deleteLogs(Path logs) throws Exception {
        for (String f : List.of("steps.jsonl", "steps.csv", "epochs.jsonl", "epochs.csv")) {
            Files.deleteIfExists(logs.resolve(f));
        }
    }

    static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }
}
