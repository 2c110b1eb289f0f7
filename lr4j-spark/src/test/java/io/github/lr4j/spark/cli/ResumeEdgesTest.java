package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.spark.Lr4jSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 21's edges of a checkpointed run, the same on every engine through the CLI as a user types it: a new run into
 * a folder of another run's checkpoints is refused (exit 2, one line, nothing touched) unless --overwrite; a folder
 * whose every checkpoint is damaged is refused by {@code --resume latest} naming them; a damaged newest checkpoint is
 * skipped, said, and the one before it taken; a finished run resumed with its own --epochs says so in one line and
 * trains nothing (every file of the checkpoint folder and the report as it was, bytes and modification times).
 */
class ResumeEdgesTest {
    /** A small, fast recipe (2 epochs unless a test says otherwise). */
    private static final List<String> COMMON = List.of("train", "--quiet", "--hidden", "16", "--no-augment", "--batch-size", "64");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr4j", "djl", "spark"})
    void aNewRunIntoAnotherRunsCheckpoints_isRefusedTouchingNothing_andRunsWithOverwrite(String engine, @TempDir Path dir)
            throws IOException {
        Path ck = dir.resolve("ck");
        Path report = dir.resolve("report");
        assertThat(run(engine, ck, report, "--seed", "1").code).isZero();
        Map<String, String> before = snapshot(dir);
        assertThat(before.keySet()).as("checkpoints written").anyMatch(f -> f.startsWith("ck/") && f.endsWith(".ckpt"))
                .contains("report/logs/steps.csv", "report/logs/epochs.csv");

        Outcome refused = run(engine, ck, report, "--seed", "2");
        assertThat(refused.code).as(refused.err).isEqualTo(2);
        assertThat(refused.err).startsWith("lr4j: checkpoint directory").contains("of another run").contains("--overwrite")
                .hasLineCount(1);
        assertThat(snapshot(dir)).as("the other run's checkpoints, logs and report, untouched").isEqualTo(before);

        Outcome overwritten = run(engine, ck, report, "--seed", "2", "--overwrite");
        assertThat(overwritten.code).as(overwritten.err).isZero();
        Map<String, String> after = snapshot(dir);
        assertThat(after.get("report/logs/steps.csv")).as("the new run's log").isNotEqualTo(before.get("report/logs/steps.csv"));
        for (String f : before.keySet()) {
            if (f.startsWith("ck/") && f.endsWith(".ckpt")) {
                assertThat(after.get(f)).as("%s: the old run's checkpoint is gone or rewritten", f).isNotEqualTo(before.get(f));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr4j", "djl", "spark"})
    void everyCheckpointDamaged_resumeLatest_exits2_namingThem(String engine, @TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        Path report = dir.resolve("report");
        assertThat(run(engine, ck, report, "--epochs", "3", "--keep", "10").code).isZero();
        List<Path> resumable = resumable(ck);
        assertThat(resumable).as("a checkpoint per epoch").hasSizeGreaterThanOrEqualTo(3);
        for (Path f : resumable) {
            flipAByte(f);
        }
        Map<String, String> before = snapshot(dir);

        Outcome refused = run(engine, ck, report, "--resume", "latest", "--epochs", "3");
        assertThat(refused.code).as(refused.err).isEqualTo(2);
        List<String> lr4jLines = refused.err.lines().filter(l -> l.startsWith("lr4j: ")).toList();
        assertThat(lr4jLines).as(refused.err).singleElement().asString().contains("every checkpoint in").contains("is damaged")
                .doesNotContain("Checksum error"); // lr4j's words, not Hadoop's offsets and sums
        for (Path f : resumable) {
            assertThat(lr4jLines.get(0)).contains(f.getFileName().toString());
        }
        assertThat(refused.err.lines().filter(l -> !l.startsWith("lr4j: ")))
                .as("nothing but the one line (the skipped ones are named in it)").isEmpty();
        assertThat(snapshot(dir)).as("nothing changed").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr4j", "djl", "spark"})
    void aDamagedNewestCheckpoint_isSkippedAndNamed_andTheOneBeforeItResumed(String engine, @TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        Path report = dir.resolve("report");
        assertThat(run(engine, ck, report, "--epochs", "3", "--keep", "10").code).isZero();
        List<Path> resumable = resumable(ck);
        Path newest = resumable.get(resumable.size() - 1);
        byte[] reference = Files.readAllBytes(newest);
        flipAByte(newest);

        Outcome resumed = run(engine, ck, report, "--resume", "latest", "--epochs", "3");
        assertThat(resumed.code).as(resumed.err).isZero();
        assertThat(resumed.err).as("which checkpoint was skipped").contains("skipped " + newest.getFileName());
        // The run trained its last epoch again from the one before and ended where it had (the same floats again).
        assertThat(Files.readAllBytes(newest)).as("%s written again", newest).isEqualTo(reference);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lr4j", "djl", "spark"})
    void aFinishedRunResumedWithItsEpochs_saysSoInOneLine_andTrainsNothing(String engine, @TempDir Path dir) throws IOException {
        Path ck = dir.resolve("ck");
        Path report = dir.resolve("report");
        assertThat(run(engine, ck, report).code).isZero();
        Map<String, String> before = snapshot(dir);

        Outcome again = run(engine, ck, report, "--resume", "latest", "--epochs", "2");
        assertThat(again.code).as(again.err).isZero();
        assertThat(again.out.strip()).startsWith("lr4j: the run in ").contains("finished its 2 epochs: nothing to train")
                .hasLineCount(1);
        assertThat(again.err).as("nothing on stderr").isEmpty();
        assertThat(snapshot(dir)).as("checkpoints, logs and report untouched").isEqualTo(before);
    }

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String engine, Path ck, Path report, String... args) {
        List<String> all = new ArrayList<>(COMMON);
        all.addAll(List.of("--engine", engine, "--checkpoint-dir", ck.toString(), "--report", report.toString()));
        if (engine.equals("spark")) {
            all.addAll(List.of("--partitions", "1", "--local-steps", "4"));
            Lr4jSpark.session("local[2]"); // the engine uses the tests' session and leaves it running
        }
        if (engine.equals("djl")) {
            all.addAll(List.of("--threads", "1"));
        }
        if (!Arrays.asList(args).contains("--epochs")) {
            all.addAll(List.of("--epochs", "2"));
        }
        all.addAll(Arrays.asList(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(all.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    /** The checkpoints {@code --resume latest} chooses among (lr4j and DJL: step-/epoch-; Spark: round-), oldest first. */
    private static List<Path> resumable(Path ck) throws IOException {
        try (Stream<Path> files = Files.list(ck)) {
            return files.filter(f -> f.getFileName().toString().matches("(step|epoch|round)-\\d+\\.ckpt")).sorted().toList();
        }
    }

    /** Flips every bit of the byte in the middle of {@code file}, its length unchanged. */
    private static void flipAByte(Path file) throws IOException {
        Files.write(file, flipped(Files.readAllBytes(file)));
    }

    private static byte[] flipped(byte[] bytes) {
        byte[] out = bytes.clone();
        out[out.length / 2] ^= (byte) 0xff;
        return out;
    }

    /** Every file under {@code dir} (relative path) with its content's hash and its modification time. */
    private static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString().replace('\\', '/'),
                        Arrays.hashCode(Files.readAllBytes(f)) + " " + Files.getLastModifiedTime(f).toMillis());
            }
        }
        return out;
    }
}
