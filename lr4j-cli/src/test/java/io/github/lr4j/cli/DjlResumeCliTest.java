package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.train.RunCheckpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code lr4j train --engine djl} with checkpoints: a run stopped at a checkpoint (the newer ones gone, its logs holding
 * rows the checkpoint has not seen, as a killed run leaves them) and resumed ends as the uninterrupted DJL run does: the
 * logs, the checkpoints and the test line are the same, byte for byte. One thread, so that DJL's floats repeat.
 */
class DjlResumeCliTest {
    private static final List<String> LOGS = List.of("steps.csv", "steps.jsonl", "epochs.csv", "epochs.jsonl");

    private static String[] args(Path run, String... extra) {
        return args(run, 3, extra);
    }

    private static String[] args(Path run, int epochs, String... extra) {
        List<String> all = new ArrayList<>(List.of("train", "--quiet", "--engine", "djl", "--threads", "1", "--epochs", "" + epochs,
                "--hidden", "16", "--no-augment", "--batch-size", "64", "--seed", "5", "--checkpoint-every", "7", "--keep", "100",
                "--checkpoint-dir", run.resolve("ck").toString(), "--report", run.resolve("report").toString()));
        all.addAll(Arrays.asList(extra));
        return all.toArray(String[]::new);
    }

    private static final class Cli extends CliHarness {
        String testLine() {
            return out.toString().lines().filter(l -> l.startsWith("engine djl")).findFirst().orElseThrow()
                    .replaceAll("\\| [0-9.]+ s$", ""); // all but the time
        }
    }

    /** SWA from epoch 2 (of 3), SWALR taking the lr over. */
    private static final String[] SWA = {"--swa-start", "2", "--swa-lr", "0.05", "--swa-anneal-epochs", "1"};

    @ParameterizedTest(name = "seed {0}, swa {1}")
    @CsvSource({"1, false", "2, false", "3, false", "4, true", "5, true"})
    void stoppedAtACheckpoint_resumeLatest_endsAsTheUninterruptedRun(long seed, boolean swa, @TempDir Path dir) throws IOException {
        String[] options = swa ? SWA : new String[0];
        Path reference = dir.resolve("reference");
        Cli whole = new Cli();
        assertThat(whole.run(args(reference, options))).as(whole.err.toString()).isZero();

        // The run as a kill leaves it: a checkpoint chosen at random is its newest, its logs hold a few rows more.
        // With SWA, one of the SWA phase (epochs 2 and 3): SWALR's state, and from epoch 3 on the average, in it.
        List<String> names = checkpoints(reference);
        long perEpoch = (Files.readAllLines(reference.resolve("report/logs/steps.csv")).size() - 1) / 3;
        List<String> resumable = names.stream().filter(n -> n.startsWith("step-") || n.startsWith("epoch-"))
                .filter(n -> !swa || optimizerSteps(n, perEpoch) > perEpoch).toList();
        String last = resumable.get(new Random(seed).nextInt(resumable.size() - 1));
        int epoch = RunCheckpoints.progress(reference.resolve("ck").resolve(last)).epochsDone();
        Path stopped = dir.resolve("stopped");
        Files.createDirectories(stopped.resolve("ck"));
        Files.createDirectories(stopped.resolve("report/logs"));
        long lastSteps = optimizerSteps(last, perEpoch);
        for (String n : names) { // best.ckpt as well: rewritten by the resumed run if a later epoch is better
            if (n.equals("best.ckpt") || optimizerSteps(n, perEpoch) <= lastSteps) {
                Files.copy(reference.resolve("ck").resolve(n), stopped.resolve("ck").resolve(n));
            }
        }
        for (String log : LOGS) {
            Files.copy(reference.resolve("report/logs").resolve(log), stopped.resolve("report/logs").resolve(log));
        }
        Files.writeString(stopped.resolve("report/logs/steps.csv"), "999,9,9,0.5,false,0.1,0.9\n", StandardOpenOption.APPEND);
        // The kill tore the next checkpoint: --resume latest skips it, says so, and the resumed run writes it again.
        String torn = resumable.stream().filter(n -> optimizerSteps(n, perEpoch) > lastSteps)
                .min((x, y) -> Long.compare(optimizerSteps(x, perEpoch), optimizerSteps(y, perEpoch))).orElseThrow();
        byte[] bytes = Files.readAllBytes(reference.resolve("ck").resolve(torn));
        Files.write(stopped.resolve("ck").resolve(torn), Arrays.copyOf(bytes, bytes.length / 2));

        Cli resumed = new Cli();
        assertThat(resumed.run(args(stopped, "--resume", "latest"))).as(resumed.err.toString()).isZero();
        assertThat(resumed.err.toString()).contains("warning: skipped " + torn)
                .contains("resuming from " + stopped.resolve("ck").resolve(last));

        for (String log : LOGS) {
            assertThat(stopped.resolve("report/logs").resolve(log)).as(log + " (resumed after " + last + ", in epoch " + (epoch + 1) + ")")
                    .hasSameBinaryContentAs(reference.resolve("report/logs").resolve(log));
        }
        assertThat(checkpoints(stopped)).isEqualTo(names);
        for (String n : names) {
            assertThat(stopped.resolve("ck").resolve(n)).as(n).hasSameBinaryContentAs(reference.resolve("ck").resolve(n));
        }
        assertThat(resumed.testLine()).isEqualTo(whole.testLine());
        if (swa) { // the test line names the average and the last weights' accuracy, as on the lr4j engine
            assertThat(whole.testLine()).containsPattern("test accuracy [0-9.]+% \\(loss [0-9.]+\\) \\(SWA average of 2 epochs; last weights [0-9.]+%\\)");
            assertThat(names).contains("swa.ckpt");
        }
    }

    @Test
    void anSwaCheckpointOfTheLr4jEngine_isRefusedOnDjl_inOneLine(@TempDir Path dir) {
        // --swa-start taken from the checkpoint of an lr4j-engine run: a checkpoint of another engine, refused.
        Path lr4j = dir.resolve("lr4j");
        Cli first = new Cli();
        assertThat(first.run("train", "--quiet", "--epochs", "2", "--hidden", "16", "--no-augment", "--swa-start", "2",
                "--checkpoint-dir", lr4j.resolve("ck").toString(), "--report", lr4j.resolve("report").toString())).isZero();
        Cli adopted = new Cli();
        assertThat(adopted.run("train", "--quiet", "--engine", "djl", "--epochs", "2", "--checkpoint-dir",
                lr4j.resolve("ck").toString(), "--resume", lr4j.resolve("ck/epoch-00001.ckpt").toString(), "--report",
                lr4j.resolve("report").toString())).isEqualTo(2);
        assertThat(adopted.err.toString().lines().filter(l -> l.startsWith("lr4j: ")).toList()).singleElement()
                .asString().contains("another engine").contains("nothing was changed");
    }

    @Test
    void aFolderOfAnotherRun_isRefused_andAResumeComparesTheRecipe(@TempDir Path dir) {
        Cli first = new Cli();
        assertThat(first.run(args(dir, 1))).as(first.err.toString()).isZero();
        Cli again = new Cli();
        assertThat(again.run(args(dir, 1))).isEqualTo(2);
        assertThat(again.err.toString()).startsWith("lr4j: checkpoint directory").contains("--overwrite").hasLineCount(1);
        Cli other = new Cli();
        assertThat(other.run(args(dir, 2, "--optimizer", "SGD(lr=0.05)", "--resume", "latest"))).isEqualTo(2);
        assertThat(other.err.toString()).contains("--optimizer: the checkpoint's run had");
    }

    /** The optimizer steps a step-/epoch- checkpoint's name says it holds. */
    private static long optimizerSteps(String name, long perEpoch) {
        if (!name.startsWith("step-") && !name.startsWith("epoch-")) {
            return Long.MAX_VALUE; // best.ckpt, swa.ckpt
        }
        return name.startsWith("step-") ? Long.parseLong(name.substring(5, 14)) : Long.parseLong(name.substring(6, 11)) * perEpoch;
    }

    private static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("ck"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
