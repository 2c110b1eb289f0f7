package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --swa-start}: the average is tested, logged and saved; a resume keeps the SWA settings; clear refusals. */
class SwaCliTest extends CliHarness {

    @Test
    void swa_testsLogsAndSavesTheAverage_andAResumeKeepsIt(@TempDir Path dir) throws Exception {
        String ckpt = dir.resolve("ckpt").toString();
        assertThat(run("train", "--quiet", "--epochs", "3", "--hidden", "0", "--swa-start", "2", "--swa-lr", "0.01",
                "--swa-anneal-epochs", "1", "--report", dir.resolve("r").toString(), "--checkpoint-dir", ckpt)).isZero();
        assertThat(out.toString()).contains("(SWA average of 2 epochs; last weights ");
        assertThat(Files.readString(dir.resolve("r").resolve("logs").resolve("epochs.jsonl"))).contains("swa_val_accuracy");
        assertThat(dir.resolve("ckpt").resolve("swa.ckpt")).exists();
        // Resumed from the end of epoch 2 with more epochs and no --swa option typed: the checkpoint's SWA settings apply.
        out.getBuffer().setLength(0);
        assertThat(run("train", "--quiet", "--epochs", "4", "--resume", dir.resolve("ckpt").resolve("epoch-00002.ckpt").toString(),
                "--report", dir.resolve("r2").toString(), "--checkpoint-dir", dir.resolve("ckpt2").toString())).isZero();
        assertThat(out.toString()).contains("(SWA average of 3 epochs; last weights ");
        // A different SWA start is a different run.
        assertThat(run("train", "--epochs", "3", "--swa-start", "3", "--resume",
                dir.resolve("ckpt").resolve("epoch-00002.ckpt").toString(), "--checkpoint-dir", dir.resolve("ckpt3").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--swa-start: the checkpoint's run had '2', this one has '3'");
    }

    @Test
    void swa_onTheDjlEngine_testsTheAverage(@TempDir Path dir) {
        assertThat(run("train", "--engine", "djl", "--quiet", "--epochs", "3", "--hidden", "16", "--swa-start", "2", "--swa-lr",
                "0.01", "--swa-anneal-epochs", "1", "--report", dir.toString())).isZero();
        assertThat(out.toString()).startsWith("engine djl").contains("(SWA average of 2 epochs; last weights ");
    }

    /** Runs a command that must be refused (exit 2) and returns what it wrote to stderr. */
    private String refusal(String... args) {
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
        return err.toString();
    }

    @Test
    void refusals_areOneLine() {
        assertThat(refusal("train", "--epochs", "3", "--swa-lr", "0.01"))
                .isEqualTo("lr4j: --swa-lr needs --swa-start (the epoch from which the weights are averaged)" + System.lineSeparator());
        assertThat(refusal("train", "--epochs", "3", "--swa-anneal-epochs", "2"))
                .isEqualTo("lr4j: --swa-anneal-epochs and --swa-anneal-strategy need --swa-start (the epoch"
                + " from which the weights are averaged)" + System.lineSeparator());
        assertThat(refusal("train", "--epochs", "3", "--swa-start", "2", "--swa-anneal-strategy", "linear"))
                .startsWith("lr4j: --swa-anneal-epochs and --swa-anneal-strategy shape SWALR's anneal to --swa-lr: give --swa-lr too");
        assertThat(refusal("train", "--epochs", "3", "--swa-start", "4"))
                .isEqualTo("lr4j: --swa-start must be an epoch in [1, 3] (--epochs), got 4" + System.lineSeparator());
        assertThat(refusal("train", "--epochs", "3", "--swa-start", "2", "--swa-lr", "0.01", "--swa-anneal-strategy", "cosine"))
                .isEqualTo("lr4j: --swa-anneal-strategy must be cos or linear, got cosine" + System.lineSeparator());
        // Spark runs SWA too (lr4j-spark's tests); its --swa options are checked as the lr4j engine's, before the engine is looked up.
        assertThat(refusal("train", "--engine", "spark", "--epochs", "3", "--swa-start", "4"))
                .isEqualTo("lr4j: --swa-start must be an epoch in [1, 3] (--epochs), got 4" + System.lineSeparator());
        assertThat(refusal("train", "--epochs", "3", "--swa-start", "2", "--swa-lr", "-1"))
                .contains("swa_lr").contains("-1").doesNotContain("\n" + "lr4j");
    }
}
