package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large file that is no checkpoint is refused from its first bytes, not after being read whole (issue 22, class 10). */
class CheckpointHeaderFirstTest {

    @Test
    void almost2GiBSparseFile_isRefusedAtOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.ckpt");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(Integer.MAX_VALUE - 100L); // sparse: no disk used, but 14-23 s to read whole
        }
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> CheckpointFile.read(file)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessage(file + " is not an lr4j training checkpoint"));
    }
}
