package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lr4j tune}: the winner's recipe, trained again by {@code train --config}, gives the tune line's figures. */
class TuneCommandTest extends CliHarness {
    /** The figures of a final line: test accuracy, test loss, best epoch, val_loss, epochs, steps, skipped (not the time). */
    private static final Pattern FIGURES = Pattern.compile(
            "(test accuracy \\S+ \\(loss \\S+\\) \\| best epoch \\d+ \\(val_loss \\S+\\) \\| \\d+ epochs, \\d+ steps, \\d+ skipped) \\|");

    private static String figures(String output) {
        Matcher m = FIGURES.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void theWinnersRecipeTrainedAgainGivesTheSameFigures(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        Path report = dir.resolve("tune");
        int code = run("tune", "--config", config.toString(), "--trials", "4", "--eta", "2", "--min-epochs", "1", "--threads", "2",
                "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
                "--space", "get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 40), num_training_steps=total_steps)",
                "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))", "-o", report.toString());
        assertThat(code).as(err.toString()).isZero();
        String tuned = figures(out.toString());
        assertThat(err.toString()).contains("tune: rung 1/3: 4 trials to epoch 1").contains("rung 3/3, trial 1/1");
        assertThat(report.resolve("index.html")).exists();
        assertThat(Files.readString(report.resolve("index.html"))).contains("(winner)").contains("stopped at").contains("rung 1 (to epoch 1)");

        out.getBuffer().setLength(0);
        assertThat(run("train", "--config", report.resolve("best.json").toString(), "--quiet", "-o", dir.resolve("train").toString()))
                .as(err.toString()).isZero();
        assertThat(figures(out.toString())).isEqualTo(tuned);
    }

    /** Engines and their options refused before any work, with one line naming the option (lr4j-spark is not on this classpath). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--engine nope                   | --engine must be lr4j (local threads) or spark, got nope",
        "--engine spark                  | --engine spark is not on this classpath: run it through the ./lr4j launcher",
        "--master local[2]               | --master is a spark option",
        "--engine spark --threads 2      | --threads is an lr4j-engine option",
        "--algorithm pbt --engine spark  | --engine spark is not on this classpath: run it through the ./lr4j launcher",
        "--algorithm pbt --trials 4      | --trials is an option of --algorithm sha, not of --algorithm pbt",
        "--algorithm pbt --min-epochs 2  | --min-epochs is an option of --algorithm sha, not of --algorithm pbt",
        "--population 4                  | --population is an option of --algorithm pbt, not of --algorithm sha",
        "--rounds 2                      | --rounds is an option of --algorithm pbt, not of --algorithm sha"})
    void engineOptionsAreCheckedBeforeAnyWork(String options, String message, @TempDir Path dir) {
        String[] args = (String.join(" ", "tune", options, "-o", dir.resolve("r").toString())).split(" +");
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString().lines().toList()).hasSize(1).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("lr4j: ").contains(message);
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void resumeWithoutASavedSearchExits2(@TempDir Path dir) {
        assertThat(run("tune", "--resume", "latest", "-o", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no saved search");
    }

    /** The lr0 column of the steps.csv under {@code dir}. */
    private static double[] lrColumn(Path dir) throws Exception {
        return column(dir, "lr0");
    }

    /** A column of the steps.csv under {@code dir}. */
    private static double[] column(Path dir, String name) throws Exception {
        Path csv;
        try (var walk = Files.walk(dir)) {
            csv = walk.filter(p -> p.getFileName().toString().equals("steps.csv")).findFirst().orElseThrow();
        }
        java.util.List<String> lines = Files.readAllLines(csv);
        int col = java.util.Arrays.asList(lines.get(0).split(",")).indexOf(name);
        assertThat(col).as("column %s of %s", name, lines.get(0)).isGreaterThanOrEqualTo(0);
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[col])).toArray();
    }

    @Test
    void pbt_theWinnersScheduleReplayedByTrainGivesTheSameLrMomentumAndWeightDecayAtEveryStep(@TempDir Path dir)
            throws Exception {
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        Path report = dir.resolve("tune");
        int code = run("tune", "--algorithm", "pbt", "--config", config.toString(), "--population", "4", "--rounds", "3",
                "--threads", "2", "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
                "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95), weight_decay=loguniform(1e-4, 1e-3))",
                "-o", report.toString());
        assertThat(code).as(err.toString()).isZero();
        Matcher w = Pattern.compile("winner (t\\d{3})").matcher(out.toString());
        assertThat(w.find()).as(out.toString()).isTrue();
        String html = Files.readString(report.resolve("index.html"));
        assertThat(html).contains("(winner)").contains("round 1 (to epoch 1)").contains("lineage");
        assertThat(Files.readString(report.resolve("best.json"))).contains("PiecewiseConstant(boundaries=[")
                .contains("\"momentum\" : \"PiecewiseConstant(").contains("\"weight_decay\" : \"PiecewiseConstant(");
        assertThat(err.toString()).contains("explore lr scale, momentum, weight_decay");
        double[] searched = lrColumn(report.resolve("trials").resolve(w.group(1)).resolve("logs"));
        String tuned = figures(out.toString());

        out.getBuffer().setLength(0);
        assertThat(run("train", "--config", report.resolve("best.json").toString(), "--quiet", "-o", dir.resolve("train").toString()))
                .as(err.toString()).isZero();
        // Every member has the trial seed and a lineage keeps one optimizer: the replay is the winner's run.
        assertThat(figures(out.toString())).isEqualTo(tuned);
        double[] replayed = lrColumn(dir.resolve("train"));
        assertThat(replayed).hasSameSizeAs(searched);
        // Rows hold the lr after their step; a round's last row may hold what the lineage's earlier member would have
        // gone on with, before an exploit: every other row is the same lr.
        int perRound = searched.length / 3;
        for (String name : java.util.List.of("lr0", "momentum0", "weight_decay0")) {
            double[] a = column(report.resolve("trials").resolve(w.group(1)).resolve("logs"), name);
            double[] b = column(dir.resolve("train"), name);
            assertThat(b).hasSameSizeAs(a);
            for (int i = 0; i < a.length; i++) {
                if ((i + 1) % perRound != 0) {
                    assertThat(b[i]).as("%s row %d", name, i).isEqualTo(a[i]);
                }
            }
        }
    }

    @Test
    void pbt_withTheDefaultSpaceRuns_onItsFamiliesSteppedPerStep(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 2}");
        // Five members: more than the three families sized in steps (the default space of sha has five, two per epoch).
        int code = run("tune", "--algorithm", "pbt", "--config", config.toString(), "--population", "5", "--rounds", "2",
                "--threads", "2", "-o", dir.resolve("tune").toString());
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("explore lr scale, momentum, weight_decay");
        String html = Files.readString(dir.resolve("tune").resolve("index.html"));
        assertThat(html).contains("OneCycleLR").contains("get_cosine_schedule_with_warmup").contains("get_linear_schedule_with_warmup")
                .doesNotContain("CosineLRScheduler").doesNotContain("ReduceLROnPlateau");
    }

    @Test
    void pbt_aSampledValueNoScheduleCanDriveExits2WithOneLine(@TempDir Path dir) {
        assertThat(run("tune", "--algorithm", "pbt", "--space", "none", "--space-optimizer",
                "Adam(lr=0.01, betas=(uniform(0.8, 0.9), 0.999))", "-o", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: --algorithm pbt explores").contains("cannot be scheduled")
                .doesNotContain("\n" + "lr4j");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
        "--population|1|--population must be in [2, 1000], got 1",
        "--quantile|0.7|--quantile must be in [0, 0.5], got 0.7",
        "--resample|-1|--resample must be in [0, 1] (a probability), got -1.0",
        "--rounds|0|--rounds must be >= 1, got 0",
        "--rounds|50|--rounds must be in [1, epochs] = [1, 20], got 50",
        "--algorithm|bohb|--algorithm must be sha or pbt, got bohb"})
    void pbt_badOptionsExit2NamingTheOptionAndRange(String option, String value, String message, @TempDir Path dir) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("tune", "-o", dir.toString(), option, value));
        if (!option.equals("--algorithm")) {
            args.addAll(java.util.List.of("--algorithm", "pbt"));
        }
        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(err.toString()).contains("lr4j: " + message);
    }
}
