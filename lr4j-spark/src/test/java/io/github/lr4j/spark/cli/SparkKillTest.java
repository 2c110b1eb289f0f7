package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.spark.Lr4jSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real {@code kill -9} of {@code lr4j train --engine spark --master local[2]} in a child JVM, held by lr4j-train's
 * TestHold at a named moment (so the kill lands there, not by timing), then {@code --resume latest}: the final
 * checkpoint and steps/epochs logs (CSV and JSON lines) equal the uninterrupted run's byte for byte (same partitioning).
 * 20 steps an epoch in rounds of K = 2, a checkpoint every 3 rounds (rounds 3, 6, 9, ...).
 */
class SparkKillTest {
    private static final String[] RUN = {"train", "--engine", "spark", "--master", "local[2]", "--partitions", "2", "--local-steps",
        "2", "--epochs", "2", "--hidden", "16", "--no-augment", "--batch-size", "64", "--checkpoint-every", "3", "--quiet"};
    private static final List<String> LOGS = List.of("steps.csv", "steps.jsonl", "epochs.csv", "epochs.jsonl");

    @ParameterizedTest
    @ValueSource(strings = {
        "step:3",             // round 2, its first step logged: before the first checkpoint (resume starts afresh)
        "checkpoint-temp:2",  // round 6's checkpoint complete in its temporary file, not renamed
        "round:13"})          // epoch 2, round 13's partials collected, not averaged (after an epoch's validation)
    void killedAtANamedMoment_resumesToTheSameCheckpointAndLogs(String moment, @TempDir Path dir) throws Exception {
        assertThat(cli(args(dir, "ref"))).isZero();

        Path marker = dir.resolve("held");
        Path childLog = dir.resolve("child.log");
        SparkChild.killWhenHeld(SparkChild.start(moment, marker, childLog, List.of(args(dir, "run"))), marker, childLog, 240);

        assertThat(cli(concat(args(dir, "run"), "--resume", "latest"))).isZero();

        for (String log : LOGS) {
            assertThat(dir.resolve("run/logs/" + log)).as(log).hasSameBinaryContentAs(dir.resolve("ref/logs/" + log));
        }
        Path last = newest(dir.resolve("ref-ckpt"));
        // Round 20, the run's end after its last validation (the last every-3-rounds checkpoint is round 18).
        assertThat(last.getFileName().toString()).isEqualTo("round-000000020.ckpt");
        // The report's data too (charts' series, tables, notes); only the times it prints differ.
        assertThat(SparkChild.pageWithoutTimes(dir.resolve("run"))).as("the report of the resumed run")
                .isEqualTo(SparkChild.pageWithoutTimes(dir.resolve("ref")));
        assertThat(newest(dir.resolve("run-ckpt"))).hasFileName(last.getFileName().toString()).hasSameBinaryContentAs(last);
    }

    private static String[] args(Path dir, String name) {
        return concat(RUN, "--checkpoint-dir", dir.resolve(name + "-ckpt").toString(), "--report", dir.resolve(name).toString());
    }

    private static int cli(String... args) {
        Lr4jSpark.session("local[2]"); // the tests' session: the same partitioning as the child's own local[2]
        return Main.commandLine().setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()))
                .execute(args);
    }

    private static Path newest(Path ckpts) throws Exception {
        try (Stream<Path> s = Files.list(ckpts)) {
            return s.filter(p -> p.getFileName().toString().matches("round-\\d+\\.ckpt")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
