package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --resume latest} of a run that already finished: nothing to do, or an explicit choice of how to train on. */
class ResumeFinishedRunTest extends CliHarness {

    @Test
    void aFinishedRun_resumedWithItsEpochs_saysSoAndTrainsNothing_evenIntoANewReportFolder(@TempDir Path dir) {
        assertThat(run(resumable(dir, "a", "--epochs", "2"))).isZero();
        out.getBuffer().setLength(0);
        assertThat(run(resumable(dir, "new", "--resume", "latest", "--epochs", "2"))).as(err.toString()).isZero();
        assertThat(out.toString().strip()).startsWith("lr4j: the run in ").contains("finished its 2 epochs: nothing to train")
                .doesNotContain("\n");
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void trainingOnAfterTheEnd_needsAChoice_thenRestartsTheSchedule(@TempDir Path dir) throws Exception {
        assertThat(run(resumable(dir, "a", "--epochs", "2"))).isZero();
        assertThat(run(resumable(dir, "b", "--resume", "latest", "--epochs", "4"))).isEqualTo(2);
        assertThat(err.toString()).contains("choose --restart-schedule").contains("or --continue-at-final-lr");
        assertThat(dir.resolve("b")).doesNotExist();
        out.getBuffer().setLength(0);
        assertThat(run(resumable(dir, "b", "--resume", "latest", "--epochs", "4", "--restart-schedule"))).as(err.toString()).isZero();
        assertThat(out.toString()).contains("| 4 epochs,");
        // The schedule went back up at the restart: OneCycleLR starts at max_lr / 25 again after its end near 0.
        var rows = Files.readAllLines(dir.resolve("b/logs/steps.csv"));
        int lr = java.util.List.of(rows.get(0).split(",")).indexOf("lr0");
        double first = Double.parseDouble(rows.get(1).split(",")[lr]);
        assertThat(first).isGreaterThan(0.003);
    }

    @Test
    void theChoicesAreRefusedForAnUnfinishedRun_andTogether(@TempDir Path dir) {
        assertThat(run(resumable(dir, "a", "--epochs", "2"))).isZero();
        assertThat(run(resumable(dir, "b", "--resume", "latest", "--epochs", "4", "--restart-schedule", "--continue-at-final-lr")))
                .isEqualTo(2);
        assertThat(err.toString()).contains("exclude each other");
        err.getBuffer().setLength(0);
        assertThat(run(resumable(dir, "c", "--resume", dir.resolve("ckpt/epoch-00001.ckpt").toString(), "--epochs", "2",
                "--restart-schedule"))).isEqualTo(2);
        assertThat(err.toString()).contains("extend a finished run").contains("is at epoch 1 of 2: resume it without them");
    }

    @Test
    void theChoicesWithoutAResume_areRefusedNotIgnored(@TempDir Path dir) {
        assertThat(run(resumable(dir, "a", "--epochs", "2", "--restart-schedule"))).isEqualTo(2);
        assertThat(err.toString().strip()).startsWith("lr4j: --restart-schedule and --continue-at-final-lr extend a finished run:"
                + " add --resume latest").doesNotContain("\n");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
