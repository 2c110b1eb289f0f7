package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --resume latest} takes, and the run lengths a resume records. */
class RunCheckpointsTest {

    @Test
    void noCheckpointYet_isEmpty_notAnError(@TempDir Path dir) throws Exception {
        assertThat(RunCheckpoints.latest(dir, s -> { })).isEmpty();
        assertThat(RunCheckpoints.latest(dir.resolve("never-made"), s -> { })).isEmpty();
        Files.writeString(dir.resolve("best.ckpt"), "not one --resume latest takes");
        assertThat(RunCheckpoints.latest(dir, s -> { })).isEmpty();
    }

    @Test
    void everyCheckpointDamaged_isOneErrorNamingEach(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("epoch-00001.ckpt"), "garbage");
        Files.writeString(dir.resolve("step-000000004.ckpt"), "LR4JCKPT");
        List<String> skipped = new ArrayList<>();
        assertThatThrownBy(() -> RunCheckpoints.latest(dir, skipped::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every checkpoint in " + dir + " is damaged")
                .hasMessageContaining("epoch-00001.ckpt").hasMessageContaining("step-000000004.ckpt");
        assertThat(skipped).hasSize(2);
    }

    @Test
    void aResumeWithAnotherLength_recordsWhereTheLengthChanged(@TempDir Path dir) throws Exception {
        KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0).epochs(2).fit();
        Path end = dir.resolve("ckpt/epoch-00002.ckpt");
        assertThat(RunCheckpoints.horizons(end)).containsExactly(new RunState.Horizon(2, 0, ""));
        KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0).epochs(3).resume(end).fit();
        assertThat(RunCheckpoints.horizons(dir.resolve("ckpt/epoch-00003.ckpt")))
                .containsExactly(new RunState.Horizon(2, 0, ""), new RunState.Horizon(3, 2, "stretched"));
        assertThat(RunCheckpoints.horizonsAfter(RunCheckpoints.horizons(end), 2, 2, "stretched")).hasSize(1);
    }
}
