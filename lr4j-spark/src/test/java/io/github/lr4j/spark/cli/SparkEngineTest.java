package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.spark.Lr4jSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SparkEngineTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        Lr4jSpark.session("local[2]"); // the engine uses the tests' session and leaves it running
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void trainEngineSpark_printsTheSummaryLineAndWritesTheReport(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "train", "--engine", "spark", "--partitions", "2", "--local-steps", "4", "--epochs", "2",
                "--hidden", "16", "--no-augment", "--batch-size", "64", "--report", dir.toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("engine spark 4.0.1 (local[2], 2 partitions, K=4, 10 rounds, ").contains(" s) | test accuracy ");
        assertThat(out.toString()).contains("| 2 epochs, 40 steps, 0 skipped |");
        assertThat(err.toString()).contains("epoch 2/2  train loss");
        List<String> steps = Files.readAllLines(dir.resolve("logs/steps.jsonl"), StandardCharsets.UTF_8);
        assertThat(steps).hasSize(40); // 628 samples a shard, 32 a local batch: 20 steps an epoch, 5 rounds of K = 4
        assertThat(Files.readAllLines(dir.resolve("logs/epochs.jsonl"), StandardCharsets.UTF_8)).hasSize(2);
        assertThat(dir.resolve("index.html")).exists();
        assertThat(dir.resolve("lr.png")).exists();
    }

    /**
     * SWA on Spark, decided by the same driver as on the lr4j engine: at K = 1 (20 steps an epoch on both: 1,257
     * samples in batches of 64; 628 a shard in local batches of 32) every step's lr and momentum, every epoch's lr
     * and lr_trained, and where the SWA average is validated (swa_val_* NaN before --swa-start) equal the lr4j
     * engine's, with the one-cycle schedule handing over to SWALR at epoch 2. The weights differ (other batches).
     */
    @Test
    void swa_atOneLocalStep_logsTheLr4jEnginesScheduleAndSwaColumns(@TempDir Path dir) throws Exception {
        String[] recipe = {"train", "--epochs", "3", "--hidden", "16", "--no-augment", "--batch-size", "64", "--swa-start", "2",
            "--swa-lr", "0.01", "--swa-anneal-epochs", "1", "--quiet"};
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int lr4j = run(out, err, concat(recipe, "--report", dir.resolve("lr4j").toString()));
        assertThat(lr4j).as(err.toString()).isZero();
        out = new StringWriter();
        int spark = run(out, err, concat(recipe, "--engine", "spark", "--partitions", "2", "--local-steps", "1", "--report",
                dir.resolve("spark").toString()));
        assertThat(spark).as(err.toString()).isZero();
        assertThat(out.toString()).contains(" (SWA average of 2 epochs; last weights ").contains("| 3 epochs, 60 steps,");

        List<String> stepColumns = List.of("step", "epoch", "batch", "lr0", "momentum0");
        assertThat(columns(dir.resolve("spark/logs/steps.csv"), stepColumns)).hasSize(61)
                .isEqualTo(columns(dir.resolve("lr4j/logs/steps.csv"), stepColumns));
        List<String> epochColumns = List.of("epoch", "step", "lr0", "lr_trained0");
        assertThat(columns(dir.resolve("spark/logs/epochs.csv"), epochColumns)).hasSize(4)
                .isEqualTo(columns(dir.resolve("lr4j/logs/epochs.csv"), epochColumns));
        assertThat(Files.readAllLines(dir.resolve("spark/logs/epochs.csv")).get(0))
                .isEqualTo(Files.readAllLines(dir.resolve("lr4j/logs/epochs.csv")).get(0));
        List<String> swa = columns(dir.resolve("spark/logs/epochs.csv"), List.of("swa_val_loss"));
        assertThat(swa.get(1)).isEqualTo("NaN");
        assertThat(swa.subList(2, 4)).allSatisfy(v -> assertThat(Double.parseDouble(v)).isBetween(0.0, 3.0));
        assertThat(columns(dir.resolve("lr4j/logs/epochs.csv"), List.of("swa_val_loss")).get(1)).isEqualTo("NaN");
        // SWALR took over: the last epoch trained at swa_lr.
        assertThat(columns(dir.resolve("spark/logs/epochs.csv"), List.of("lr_trained0")).get(3)).isEqualTo("0.01");
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The named columns of a CSV log, each row joined with ';' (the header row first). */
    private static List<String> columns(Path csv, List<String> names) throws Exception {
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(rows.get(0).split(","));
        for (String n : names) {
            assertThat(header).as(csv + " columns").contains(n);
        }
        return rows.stream().map(r -> {
            String[] cells = r.split(",", -1);
            return String.join(";", names.stream().map(n -> cells[header.indexOf(n)]).toList());
        }).toList();
    }

    @Test
    void resumeFromAFile_onSpark_exitTwoSayingUseLatest(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "train", "--engine", "spark", "--checkpoint-dir", dir.toString(), "--resume", "x.ckpt",
                "--report", dir.resolve("r").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: --engine spark resumes from the newest checkpoint in --checkpoint-dir:"
                + " use --resume latest, got --resume x.ckpt");
    }
}
