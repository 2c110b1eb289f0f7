package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver's checkpoints are lr4j-train's: the same file format and header, read by lr4j-train's own code; a damaged
 * newest file (of either format) is skipped for the one before it.
 */
class SparkCheckpointFormatTest {
    @Test
    void aDriverCheckpoint_isReadByLr4jTrainsCode(@TempDir Path dir) throws Exception {
        // An epoch's checkpoint after its last round (every 0 rounds), and the run's end after its validation.
        SparkLegacyCheckpointTest.run("v1").epochs(2).checkpoints(dir.toString(), 0, 5).fit();
        Path end = dir.resolve("round-000000006.ckpt");
        assertThat(new String(Arrays.copyOf(Files.readAllBytes(end), 8), StandardCharsets.US_ASCII)).isEqualTo("LR4JCKPT");

        RunCheckpoints.Progress progress = RunCheckpoints.progress(end);
        assertThat(progress).isEqualTo(new RunCheckpoints.Progress(2, 2, false));
        assertThat(progress.finished()).isTrue();
        assertThat(RunCheckpoints.horizons(end)).containsExactly(new RunState.Horizon(2, 0, ""));
        // The first epoch's last round, before its validation: no epoch done yet.
        assertThat(RunCheckpoints.progress(dir.resolve("round-000000003.ckpt"))).isEqualTo(new RunCheckpoints.Progress(0, 2, false));
    }

    @Test
    void aDamagedNewestCheckpoint_isSkippedForTheOneBefore(@TempDir Path dir) throws Exception {
        SparkLegacyCheckpointTest.run("v1").epochs(2).checkpoints(dir.toString(), 0, 5).fit();
        byte[] end = Files.readAllBytes(dir.resolve("round-000000006.ckpt"));
        end[end.length / 2] ^= 1;
        Files.write(dir.resolve("round-000000006.ckpt"), end);

        List<String> where = new ArrayList<>();
        RunCheckpoints.Progress progress = ParameterAveraging.progress(dir.toString(), new Configuration(), where::add);
        assertThat(progress).isEqualTo(new RunCheckpoints.Progress(0, 2, false));
        assertThat(where).singleElement().asString().endsWith("round-000000003.ckpt");
    }

    @Test
    void aDamagedNewestOldFormatCheckpoint_isSkippedAndTheOneBeforeResumes(@TempDir Path dir) throws Exception {
        byte[] v2;
        try (InputStream in = getClass().getResourceAsStream("/spark-checkpoints/v2/round-000000008.ckpt")) {
            v2 = in.readAllBytes();
        }
        Files.write(dir.resolve("round-000000008.ckpt"), v2);
        byte[] damaged = v2.clone();
        damaged[damaged.length - 20] ^= 1;
        Files.write(dir.resolve("round-000000009.ckpt"), damaged);
        List<String> warnings = new ArrayList<>();
        ParameterAveraging<Sample> resumed = SparkLegacyCheckpointTest.run("v2").checkpoints(dir.toString(), 100, 5).resume(true)
                .listener(new io.github.lr4j.train.TrainListener() {
                    @Override
                    public void onWarning(String message) {
                        warnings.add(message);
                    }
                });
        var result = resumed.fit();

        assertThat(warnings).first().asString().startsWith("skipped round-000000009.ckpt: ").contains("checksum mismatch");
        String expected;
        try (InputStream in = getClass().getResourceAsStream("/spark-checkpoints/v2/expected.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(SparkLegacyCheckpointTest.summary(resumed, result)).isEqualTo(expected);
    }
}
