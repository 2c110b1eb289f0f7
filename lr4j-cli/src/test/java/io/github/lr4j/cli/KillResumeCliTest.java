package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real {@code kill -9} of {@code lr4j train} at named moments, then {@code --resume latest}: the final checkpoints and
 * every log file equal an uninterrupted run's, byte for byte. The child JVM is held at the moment by the test-only
 * {@code lr4j.test.hold} hook (lr4j-train's TestHold), so the kill lands there and not by timing.
 */
class KillResumeCliTest {
    private static final List<String> LOGS = List.of("steps.csv", "steps.jsonl", "epochs.csv", "epochs.jsonl");
    /** SWA from epoch 2 (of 3), SWALR taking the lr over: a checkpoint holds the average, its count and SWALR's state. */
    private static final List<String> SWA = List.of("--swa-start", "2", "--swa-lr", "0.05", "--swa-anneal-epochs", "1");

    @ParameterizedTest(name = "{0} killed at {1} #{2} {3}")
    @CsvSource({
        "lr4j, step, 7,",             // before the first checkpoint: the resume finds none and starts afresh
        "lr4j, step, 45,",            // mid-epoch, after a checkpoint
        "lr4j, checkpoint-temp, 2,",  // a checkpoint's temporary file complete, not yet renamed
        "lr4j, checkpoint, 3,",       // just after a checkpoint is in place
        "djl, step, 7,",              // the same moments on --engine djl (single-threaded: its floats repeat)
        "djl, step, 150,",            // in the second epoch, after a step checkpoint and an epoch checkpoint
        "djl, checkpoint-temp, 2,",
        "djl, checkpoint, 3,",
        "djl, step, 230, swa",        // SWA: in the third epoch (99 steps each), the average of epoch 2 in the checkpoint
        "djl, checkpoint, 16, swa",   // just after epoch-00002.ckpt (16 steps' checkpoints, best.ckpt, epoch-00001, ...)
        "lr4j, step, 230, swa",       // the same SWA moment on the lr4j engine
    })
    void killedAtANamedMoment_resumeLatest_endsByteForByteAsTheUninterruptedRun(String engine, String phase, int n, String swa,
                                                                                 @TempDir Path dir) throws Exception {
        List<String> options = swa == null ? List.of() : SWA;
        Path reference = dir.resolve("reference");
        assertThat(child(reference, engine, options, null).waitFor(240, TimeUnit.SECONDS)).isTrue();
        if (swa != null) {
            assertThat(reference.resolve("ck/swa.ckpt")).as("the SWA average at the end").exists();
        }

        Path killed = dir.resolve("killed");
        Path marker = dir.resolve("held");
        Process p = child(killed, engine, options, "-Dlr4j.test.hold=" + phase + ":" + n + ":" + marker);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!Files.exists(marker) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(marker).as("the child reached %s #%d (its output: %s)", phase, n, dir.resolve("killed.log")).exists();
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, nothing flushed
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);

        List<String> resume = new ArrayList<>(options);
        resume.addAll(List.of("--resume", "latest"));
        Process resumed = child(killed, engine, resume, null);
        assertThat(resumed.waitFor(240, TimeUnit.SECONDS)).isTrue();
        assertThat(resumed.exitValue()).as(Files.readString(dir.resolve("killed.log"))).isZero();

        for (String log : LOGS) {
            assertThat(killed.resolve("report/logs").resolve(log)).as(log).hasSameBinaryContentAs(reference.resolve("report/logs").resolve(log));
        }
        // The report's data (its charts' series, tables and notes) as well; only the times it prints differ.
        assertThat(KillTests.pageWithoutTimes(killed.resolve("report"))).as("the report of the resumed run")
                .isEqualTo(KillTests.pageWithoutTimes(reference.resolve("report")));
        List<String> names = checkpoints(reference);
        assertThat(checkpoints(killed)).as("the checkpoints left").isEqualTo(names);
        for (String name : names) {
            assertThat(killed.resolve("ck").resolve(name)).as(name).hasSameBinaryContentAs(reference.resolve("ck").resolve(name));
        }
    }

    /** {@code lr4j train} in a child JVM (the CLI's main, this module's classpath), 3 epochs, a checkpoint every 16 steps (DJL: one thread). */
    private static Process child(Path run, String engine, List<String> extra, String jvmOption) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
        if (jvmOption != null) {
            cmd.add(jvmOption);
        }
        if (engine.equals("djl")) {
            cmd.add("-Dai.djl.offline=true"); // as the tests' own JVM: the native library is on the classpath
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--quiet", "--engine", engine,
                "--epochs", "3", "--hidden", "16", "--batch-size", "64", "--seed", "3", "--checkpoint-dir", run.resolve("ck").toString(),
                "--checkpoint-every", "16", "--keep", "100", "--report", run.resolve("report").toString()));
        if (engine.equals("djl")) {
            cmd.addAll(List.of("--threads", "1"));
        }
        cmd.addAll(extra);
        File log = run.resolveSibling(run.getFileName() + ".log").toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start();
    }

    private static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("ck"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
