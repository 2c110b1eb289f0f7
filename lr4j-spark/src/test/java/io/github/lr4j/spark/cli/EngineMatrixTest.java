package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spark.Lr4jSpark;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The same flags on every engine, through the CLI as a user types them: for each schedule of the matrix, the lr, the
 * momentum and every scheduled hyper-parameter logged at every optimizer step by {@code --engine djl} and
 * {@code --engine spark} (local[2], one partition and K=1, so that an epoch has the lr4j engine's steps) equal the lr4j
 * engine's, cell for cell. A schedule fed by a metric (warm-up + plateau) is compared with the schedule replayed on the
 * validation losses that engine logged, since each engine's floats give its own losses. Lives here because lr4j-spark's
 * tests see all three engines.
 */
class EngineMatrixTest {
    /** A small, fast recipe: the matrix is about when schedules step, not about accuracy. */
    private static final List<String> COMMON = List.of("train", "--quiet", "--hidden", "16", "--no-augment",
            "--batch-size", "64", "--seed", "0");
    private static final String PLATEAU = "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=1),"
            + " ReduceLROnPlateau(factor=0.5, patience=0, threshold=0.9)], milestones=[1])";
    /** In a cell's options, the checkpoint folder inside the run's own report folder. */
    private static final String CK = "<ck>";
    private static final Set<String> NOT_SCHEDULED = Set.of("step", "epoch", "batch", "loss", "skipped");

    static Stream<Arguments> cells() {
        Map<String, List<String>> schedules = new LinkedHashMap<>();
        schedules.put("StepLR per epoch", List.of("--scheduler", "StepLR(step_size=1, gamma=0.5)", "--interval", "epoch"));
        schedules.put("OneCycleLR per step", List.of("--scheduler", "OneCycleLR(max_lr=0.1, total_steps=total_steps)"));
        schedules.put("HF warm-up cosine", List.of("--scheduler",
                "get_cosine_schedule_with_warmup(num_warmup_steps=10, num_training_steps=total_steps)"));
        schedules.put("timm t_in_epochs", List.of("--scheduler",
                "CosineLRScheduler(t_initial=3, lr_min=0.001, warmup_t=1, warmup_lr_init=0.001)", "--interval", "epoch"));
        // threshold 0.9: only a val_loss a tenth of the best counts as better, so the plateau cuts the lr after its first
        // epoch (the first loss beats infinity), and 4 epochs let an epoch train with the cut lr.
        schedules.put("warm-up + plateau", List.of("--scheduler", PLATEAU, "--interval", "epoch", "--epochs", "4"));
        schedules.put("PerGroup over no_decay", List.of("--param-groups", "no_decay", "--optimizer",
                "SGD(lr=0.05, momentum=0.9, weight_decay=1e-3)", "--scheduler",
                "PerGroup(schedulers=[CosineAnnealingLR(T_max=total_steps), ConstantLR(factor=0.5, total_iters=1000)])"));
        schedules.put("one lr per layer", List.of("--param-groups", "layers", "--scheduler",
                "OneCycleLR(max_lr=[0.1, 0.05], total_steps=total_steps)"));
        schedules.put("SWA", List.of("--scheduler", "StepLR(step_size=1, gamma=0.5)", "--interval", "epoch", "--swa-start", "2",
                "--swa-lr", "0.01", "--swa-anneal-epochs", "1"));
        schedules.put("weight_decay schedule", List.of("--optimizer", "SGD(lr=0.05, momentum=0.9, weight_decay=1e-3)",
                "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)"));
        // min_delta 0.5 on val_accuracy: no epoch after the first can count as better, whatever each engine's floats give,
        // so with patience 1 every engine stops after epoch 2 of 5 (the schedule still sized for 5).
        schedules.put("early stopping on val_accuracy", List.of("--scheduler", "OneCycleLR(max_lr=0.1, total_steps=total_steps)",
                "--epochs", "5", "--early-stopping", "1", "--monitor", "val_accuracy", "--min-delta", "0.5"));
        List<Arguments> cells = new ArrayList<>();
        for (String engine : List.of("djl", "spark")) {
            schedules.forEach((name, args) -> cells.add(Arguments.of(engine, name, args)));
        }
        // SWA with checkpoints on DJL too (its checkpoints hold the average). CK: the run's checkpoint folder.
        List<String> swaCheckpointed = new ArrayList<>(schedules.get("SWA"));
        swaCheckpointed.addAll(List.of("--checkpoint-dir", CK));
        cells.add(Arguments.of("djl", "SWA with checkpoints", swaCheckpointed));
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cells")
    void everyScheduledValueAtEveryStep_equalsTheLr4jEngines(String engine, String schedule, List<String> args, @TempDir Path dir)
            throws IOException {
        Path reference = dir.resolve("lr4j");
        Path other = dir.resolve(engine);
        train(reference, "lr4j", args);
        train(other, engine, args);

        Table expected = Table.read(reference.resolve("logs/steps.csv"));
        Table actual = Table.read(other.resolve("logs/steps.csv"));
        assertThat(actual.header).as("steps.csv columns").isEqualTo(expected.header);
        assertThat(actual.column("step")).as("optimizer steps").isEqualTo(expected.column("step"));
        assertThat(actual.column("epoch")).isEqualTo(expected.column("epoch"));
        if (args.contains(PLATEAU)) {
            assertPlateauFollowsTheLoggedLosses(reference, expected);
            assertPlateauFollowsTheLoggedLosses(other, actual);
            return;
        }
        for (String column : expected.header) {
            if (!NOT_SCHEDULED.contains(column)) {
                assertThat(actual.column(column)).as(column + " at every step, " + engine + " vs lr4j").isEqualTo(expected.column(column));
            }
        }
        if (args.contains("--early-stopping")) {
            for (Path run : List.of(reference, other)) {
                assertThat(Table.read(run.resolve("logs/epochs.csv")).rows()).as("epochs run before the stop, %s", run).hasSize(2);
            }
        }
        if (args.contains("--swa-start") && args.contains(CK)) { // the epoch rows: the lr each epoch trained with, and where the average was validated
            Table expectedEpochs = Table.read(reference.resolve("logs/epochs.csv"));
            Table actualEpochs = Table.read(other.resolve("logs/epochs.csv"));
            assertThat(actualEpochs.header).as("epochs.csv columns").isEqualTo(expectedEpochs.header);
            assertThat(actualEpochs.column("lr_trained0")).isEqualTo(expectedEpochs.column("lr_trained0"));
            assertThat(actualEpochs.column("swa_val_loss").stream().map(v -> v.equals("NaN")).toList()).as("swa_val_loss measured")
                    .isEqualTo(expectedEpochs.column("swa_val_loss").stream().map(v -> v.equals("NaN")).toList());
        }
    }

    @ParameterizedTest(name = "{0} x resume with a new horizon, {1}")
    @MethodSource("extensions")
    void resumeWithANewHorizon_continuesAsTheLr4jEngineDoes(String engine, String flag, @TempDir Path dir) throws IOException {
        List<String> first = List.of("--scheduler", "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "--epochs", "2",
                "--checkpoint-dir");
        Map<String, Table> logs = new LinkedHashMap<>();
        Map<String, String> runLength = new LinkedHashMap<>();
        for (String e : List.of("lr4j", engine)) {
            Path out = dir.resolve(e);
            List<String> start = new ArrayList<>(first);
            start.add(out.resolve("ck").toString());
            List<String> extend = List.of("--checkpoint-dir", out.resolve("ck").toString(), "--resume", "latest", "--epochs", "4",
                    flag);
            String refusal = REFUSED.get(engine);
            if (!e.equals("lr4j") && refusal != null) {
                // Not yet on this engine: refused before any work (the first run where the engine has no checkpoints, else
                // the resume), in one line naming the flag and the engine, never exit 70.
                Outcome started = run(out, e, start);
                Outcome refused = started.code == 0 ? run(out, e, extend) : started;
                assertThat(refused.code).as(refused.err).isEqualTo(2);
                assertThat(refused.err).startsWith("lr4j: " + refusal).hasLineCount(1);
                return;
            }
            train(out, e, start);
            // A finished run given more epochs and neither flag: the same one-line refusal on every engine, nothing run.
            Outcome neither = run(out, e, extend.subList(0, extend.size() - 1));
            assertThat(neither.code).as(neither.err).isEqualTo(2);
            assertThat(neither.err).startsWith("lr4j: the run in ").contains("finished its 2 epochs; to train on to 4 epochs")
                    .hasLineCount(1);
            train(out, e, extend);
            logs.put(e, Table.read(out.resolve("logs/steps.csv")));
            runLength.put(e, runLengthLine(out));
        }
        Table expected = logs.get("lr4j");
        Table actual = logs.get(engine);
        assertThat(actual.column("step")).hasSize(expected.column("step").size()).isEqualTo(expected.column("step"));
        assertThat(actual.column("lr0")).as("lr0 across the resume, " + flag).isEqualTo(expected.column("lr0"));
        assertThat(actual.column("momentum0")).isEqualTo(expected.column("momentum0"));
        assertThat(runLength.get(engine)).as("the report's run length line").isEqualTo(runLength.get("lr4j"))
                .contains(flag);
    }

    /**
     * An unfinished run resumed with more --epochs and neither flag: the rest of the schedule stretched to the new end,
     * as on the lr4j engine. The run is made unfinished by deleting the checkpoints after its second epoch's end, so
     * that --resume latest takes that one (lr4j's epoch-00002.ckpt; Spark's second round file, written at the end of
     * epoch 2's last round).
     */
    @ParameterizedTest(name = "{0} x resume of an unfinished run with more epochs (stretched)")
    @ValueSource(strings = {"djl", "spark"})
    void unfinishedRunResumedWithMoreEpochs_isStretchedAsOnTheLr4jEngine(String engine, @TempDir Path dir) throws IOException {
        Map<String, Table> logs = new LinkedHashMap<>();
        Map<String, String> runLength = new LinkedHashMap<>();
        for (String e : List.of("lr4j", engine)) {
            Path out = dir.resolve(e);
            Path ck = out.resolve("ck");
            train(out, e, List.of("--scheduler", "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "--epochs", "4",
                    "--keep", "10", "--checkpoint-dir", ck.toString()));
            List<Path> kept;
            try (Stream<Path> files = Files.list(ck)) {
                kept = files.filter(f -> f.getFileName().toString().matches("(epoch|round)-\\d+\\.ckpt")).sorted().toList();
            }
            assertThat(kept).as("one checkpoint per epoch in " + ck).hasSize(4);
            for (Path f : kept.subList(2, kept.size())) {
                Files.delete(f);
            }
            train(out, e, List.of("--checkpoint-dir", ck.toString(), "--resume", "latest", "--epochs", "6"));
            logs.put(e, Table.read(out.resolve("logs/steps.csv")));
            runLength.put(e, runLengthLine(out));
        }
        Table expected = logs.get("lr4j");
        Table actual = logs.get(engine);
        assertThat(actual.column("step")).isEqualTo(expected.column("step"));
        assertThat(actual.column("lr0")).as("lr0 across the stretched resume").isEqualTo(expected.column("lr0"));
        assertThat(actual.column("momentum0")).isEqualTo(expected.column("momentum0"));
        assertThat(runLength.get(engine)).as("the report's run length line").isEqualTo(runLength.get("lr4j"))
                .contains("stretched");
    }

    /** The report's "run length: ..." header line. */
    private static String runLengthLine(Path report) throws IOException {
        String html = Files.readString(report.resolve("index.html"), StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<p>(run length: [^<]*)</p>").matcher(html);
        assertThat(m.find()).as("a run length line in " + report.resolve("index.html")).isTrue();
        return m.group(1);
    }

    /** The combinations an engine refuses today (the README's engine table says so), with the start of its one line. */
    private static final Map<String, String> REFUSED = Map.of();

    static Stream<Arguments> extensions() {
        List<Arguments> out = new ArrayList<>();
        for (String engine : List.of("djl", "spark")) {
            for (String flag : List.of("--restart-schedule", "--continue-at-final-lr")) {
                out.add(Arguments.of(engine, flag));
            }
        }
        return out.stream();
    }

    /**
     * The metric-fed cell: the schedule's own text, built by lr4j-core and stepped once per epoch with the validation loss
     * that engine logged, gives the lr of each epoch's steps (a per-epoch schedule holds the lr through the epoch); and
     * the plateau did cut the lr: after the warm-up, an epoch trained with a lower lr0 than the epoch before it.
     */
    private static void assertPlateauFollowsTheLoggedLosses(Path run, Table steps) throws IOException {
        Table epochs = Table.read(run.resolve("logs/epochs.csv"));
        ParamGroups groups = ParamGroups.of(0.1); // the default optimizer's lr (DigitsRecipe.DEFAULT_OPTIMIZER)
        Scheduler replay = ScheduleSpec.build(PLATEAU, groups);
        List<String> valLoss = epochs.column("val_loss");
        List<String> stepEpoch = steps.column("epoch");
        List<String> lr = steps.column("lr0");
        List<Double> lrOfEpoch = new ArrayList<>();
        for (int i = 0; i < stepEpoch.size(); i++) {
            if (Integer.parseInt(stepEpoch.get(i)) > lrOfEpoch.size()) {
                lrOfEpoch.add(Double.parseDouble(lr.get(i)));
            }
        }
        assertThat(lrOfEpoch).as("lr0 of each epoch in %s", run).hasSize(valLoss.size());
        boolean cut = false;
        for (int e = 2; e < lrOfEpoch.size(); e++) { // lrOfEpoch.get(e) is epoch e + 1's; epoch 1 is the warm-up's
            cut |= lrOfEpoch.get(e) < lrOfEpoch.get(e - 1);
        }
        assertThat(cut).as("the plateau cut lr0 at least once after the warm-up in %s: %s", run, lrOfEpoch).isTrue();
        for (int e = 1; e <= valLoss.size(); e++) {
            double expected = groups.lr(0);
            for (int i = 0; i < stepEpoch.size(); i++) {
                if (Integer.parseInt(stepEpoch.get(i)) == e) {
                    assertThat(Double.parseDouble(lr.get(i))).as("lr0 at step %d (epoch %d)", i + 1, e).isEqualTo(expected);
                }
            }
            replay.step(OptionalDouble.of(Double.parseDouble(valLoss.get(e - 1))));
        }
    }

    /** The README's way to move a recipe: printed with --print-config on the lr4j engine, run with --config on another. */
    @ParameterizedTest(name = "a recipe printed on lr4j, run with --config on {0}")
    @ValueSource(strings = {"djl", "spark"})
    void aRecipePrintedOnTheLr4jEngine_runsTheSameScheduleOnAnother(String engine, @TempDir Path dir) throws IOException {
        List<String> recipe = List.of("--optimizer", "SGD(lr=0.05, momentum=0.9, weight_decay=1e-3)", "--scheduler",
                "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "--schedule",
                "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)");
        List<String> print = new ArrayList<>(recipe);
        print.add("--print-config");
        Outcome printed = run(dir.resolve("printed"), "lr4j", print);
        assertThat(printed.code).as(printed.err).isZero();
        Path config = dir.resolve("run.json");
        Files.writeString(config, printed.out);
        train(dir.resolve("lr4j"), "lr4j", recipe);
        train(dir.resolve(engine), engine, List.of("--config", config.toString()));

        Table expected = Table.read(dir.resolve("lr4j/logs/steps.csv"));
        Table actual = Table.read(dir.resolve(engine + "/logs/steps.csv"));
        assertThat(actual.header).as("steps.csv columns").isEqualTo(expected.header).contains("weight_decay0");
        for (String column : expected.header) {
            if (!NOT_SCHEDULED.contains(column)) {
                assertThat(actual.column(column)).as(column + " at every step, " + engine + " --config vs lr4j")
                        .isEqualTo(expected.column(column));
            }
        }
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(Path report, String engine, List<String> args) {
        List<String> all = new ArrayList<>(COMMON);
        all.addAll(List.of("--engine", engine, "--report", report.toString()));
        if (engine.equals("spark")) {
            all.addAll(List.of("--partitions", "1", "--local-steps", "1"));
            Lr4jSpark.session("local[2]"); // the engine uses the tests' session and leaves it running
        }
        args.forEach(a -> all.add(a.equals(CK) ? report.resolve("ck").toString() : a));
        if (!args.contains("--epochs")) {
            all.addAll(List.of("--epochs", "3"));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void train(Path report, String engine, List<String> args) {
        Outcome o = run(report, engine, args);
        assertThat(o.code).as("%s %s exits 0: %s%s", engine, args, o.out, o.err).isZero();
    }

    /** A CSV table as the CLI writes it: a header and plain cells, compared as text (the same printed double). */
    private record Table(List<String> header, List<String[]> rows) {
        static Table read(Path csv) throws IOException {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            List<String[]> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                rows.add(line.split(",", -1));
            }
            return new Table(Arrays.asList(lines.get(0).split(",", -1)), rows);
        }

        List<String> column(String name) {
            int c = header.indexOf(name);
            assertThat(c).as("column %s in %s", name, header).isNotNegative();
            List<String> values = new ArrayList<>();
            for (String[] row : rows) {
                values.add(row[c]);
            }
            return values;
        }
    }
}
