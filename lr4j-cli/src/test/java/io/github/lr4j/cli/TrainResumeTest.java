package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume runs what the checkpoint ran: untyped settings come from it, different typed ones are refused. */
class TrainResumeTest extends CliHarness {
    /** A small, quick run (two epochs unless --epochs is given) checkpointing into dir/ckpt, reporting into dir/report. */
    private int train(Path dir, String report, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> all = new ArrayList<>(List.of("train", "--hidden", "16", "--no-augment", "--quiet",
                "--checkpoint-dir", dir.resolve("ckpt").toString(), "--report", dir.resolve(report).toString()));
        if (!List.of(args).contains("--epochs")) {
            all.addAll(List.of("--epochs", "2"));
        }
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    @Test
    void resume_differentTypedSettings_refusedListingEachDifference(@TempDir Path dir) throws Exception {
        assertThat(train(dir, "r1", "--optimizer", "Adam(lr=1e-3)", "--scheduler", "none", "--seed", "3")).as(err.toString()).isZero();

        assertThat(train(dir, "r2", "--resume", "latest", "--optimizer", "Adam(lr=0.5)", "--seed", "4")).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("lr4j: cannot resume from ").contains("it was written by a run with other settings");
        assertThat(lines.get(1)).isEqualTo("  --optimizer: the checkpoint's run had 'Adam(lr=1e-3)', this one has 'Adam(lr=0.5)'");
        assertThat(lines.get(2)).isEqualTo("  --seed: the checkpoint's run had '3', this one has '4'");
        assertThat(dir.resolve("r2")).doesNotExist();
    }

    @Test
    void resume_untypedSettingsComeFromTheCheckpoint_andTheReportShowsThem(@TempDir Path dir) throws Exception {
        assertThat(train(dir, "r1", "--optimizer", "SGD(lr=0.1)", "--scheduler", "none")).as(err.toString()).isZero();
        // Same optimizer spelled differently, more epochs after the run finished (at its final lr): allowed.
        assertThat(train(dir, "r2", "--resume", "latest", "--optimizer", "SGD(lr=1e-1)", "--epochs", "3",
                "--continue-at-final-lr")).as(err.toString()).isZero();
        // Nothing typed: the checkpoint's SGD(lr=0.1) without weight decay, not the default SGD with weight_decay=5e-4.
        assertThat(train(dir, "r3", "--resume", "latest", "--epochs", "4", "--continue-at-final-lr")).as(err.toString()).isZero();
        String report = Files.readString(dir.resolve("r3").resolve("index.html"));
        assertThat(report).contains("optimizer: SGD(lr=0.1, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False)")
                .contains("scheduler: none");
    }

    @Test
    void newRun_inAnotherRunsCheckpointDirectory_refusedUnlessOverwrite(@TempDir Path dir) throws Exception {
        assertThat(train(dir, "r1", "--scheduler", "none")).as(err.toString()).isZero();
        assertThat(train(dir, "r2", "--scheduler", "none")).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("checkpoints of another run").contains("--overwrite");
        assertThat(train(dir, "r3", "--scheduler", "none", "--overwrite")).as(err.toString()).isZero();
    }

    @Test
    void resumeLatest_saysWhichDamagedCheckpointItSkipped(@TempDir Path dir) throws Exception {
        assertThat(train(dir, "r1", "--scheduler", "none")).as(err.toString()).isZero();
        Path newest = dir.resolve("ckpt").resolve("epoch-00002.ckpt");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        assertThat(train(dir, "r2", "--resume", "latest")).as(err.toString()).isZero();
        assertThat(err.toString()).contains("warning: skipped epoch-00002.ckpt: checkpoint ").contains("is damaged (checksum mismatch)")
                .contains("resuming from " + dir.resolve("ckpt").resolve("epoch-00001.ckpt"));
    }
}
