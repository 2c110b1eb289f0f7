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
        assertThat(out.toString()).startsWith("engine spark 4.0.1 (local[2], 2 partitions, K=4, 10 rounds in ").contains(" s) | test accuracy ");
        assertThat(out.toString()).contains("| 2 epochs, 40 steps, 0 skipped |");
        assertThat(err.toString()).contains("epoch 2/2  train loss");
        List<String> steps = Files.readAllLines(dir.resolve("logs/steps.jsonl"), StandardCharsets.UTF_8);
        assertThat(steps).hasSize(40); // 628 samples a shard, 32 a local batch: 20 steps an epoch, 5 rounds of K = 4
        assertThat(Files.readAllLines(dir.resolve("logs/epochs.jsonl"), StandardCharsets.UTF_8)).hasSize(2);
        assertThat(dir.resolve("index.html")).exists();
        assertThat(dir.resolve("lr.png")).exists();
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
