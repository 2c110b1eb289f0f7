package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.lr4j.train.RunCheckpoints;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * lr4j-train checkpoints written by older mains through {@code train --checkpoint-dir} still resume with this code, through
 * the CLI (in-process). The fixtures in {@code src/test/resources/train-checkpoints/} are files the old code wrote, not
 * made by a test (its README names the commits and the command): the old run's mid-epoch checkpoint
 * {@code step-000000016.ckpt} (16 of epoch 1's 20 steps; for version 1 also {@code epoch-00001.ckpt}, at epoch 1's end),
 * and what that run, uninterrupted to 3 epochs, ended with: its last checkpoint, its logs and its summary line. Each test
 * puts a checkpoint and the old logs where the old run left them (a run killed after its logs went past the checkpoint),
 * resumes with {@code --resume latest} and compares the end.
 *
 * <p>Version 2 (3c3f396, the main just before RunCheckpoints): the resumed run ends exactly as the old run did: every
 * log byte for byte, the summary line (its time masked), and the last checkpoint's weights, optimizer state and best
 * weights byte for byte; its header is the old one's plus the "horizons" field this code adds.
 *
 * <p>Version 1 (550b9ba, the last main before version 2): exact equality with the old run is impossible, for a documented
 * reason: b016dd8 ("gradients summed over the batch and scaled once", BENCHMARKS.md) and 76aebe7 changed the order of
 * the model's float sums after 550b9ba, so this code's steps give other last bits (the old run's first step loss is
 * 2.3300710568870246, this code's 2.3300710574130794). What the test asserts instead, all true and each meaningful:
 * the resume is accepted; the log rows up to the checkpoint are kept as the old run wrote them; every step's position
 * and every scheduled value after it (lr, momentum) equal the old run's exactly (the schedule's state restored: it does
 * not depend on the float sums); every loss and the last weights are within float rounding of the old run's (a wrongly
 * restored weight, optimizer buffer or data order would be far off); {@code epochs.csv} has one header for all its rows
 * (that run's logs predate lr_trained0, which this code adds at the end of the header); and the resumed run equals, byte
 * for byte, this code's resume of the same state in a version-2 file (the old file's header and arrays written again
 * through {@link RunCheckpoints#encode(Map, float[][], byte[], float[][], float[][])}, the one way this code makes a
 * checkpoint's bytes), so version 1 is read into exactly the state a current file holding it gives.
 */
class LegacyTrainCheckpointTest extends CliHarness {
    private static final List<String> LOGS = List.of("steps.csv", "steps.jsonl", "epochs.csv", "epochs.jsonl");
    /** The checkpoints the old uninterrupted run left. */
    private static final List<String> CHECKPOINTS_LEFT = List.of("best.ckpt", "epoch-00001.ckpt", "epoch-00002.ckpt",
            "epoch-00003.ckpt", "step-000000016.ckpt", "step-000000032.ckpt", "step-000000048.ckpt");
    private static final String CHECKPOINT = "step-000000016.ckpt";

    @Test
    void aVersion2CheckpointOfTheMainBeforeRunCheckpoints_resumesToExactlyTheOldRunsEnd(@TempDir Path dir) throws Exception {
        String fixture = "v2-3c3f396";
        Path run = oldRunKilledAfterTheCheckpoint(fixture, CHECKPOINT, resource(fixture + "/" + CHECKPOINT), dir.resolve("run"));
        String line = resume(run, CHECKPOINT);

        assertThat(masked(line)).isEqualTo(masked(text(fixture + "/final-line.txt")));
        for (String log : LOGS) {
            assertThat(run.resolve("report/logs").resolve(log)).as(log).hasBinaryContent(resource(fixture + "/logs/" + log));
        }
        assertThat(checkpoints(run)).isEqualTo(CHECKPOINTS_LEFT);
        Parsed now = Parsed.of(Files.readAllBytes(run.resolve("ck/epoch-00003.ckpt")));
        Parsed old = Parsed.of(resource(fixture + "/final-epoch-00003.ckpt"));
        assertThat(now.version()).isEqualTo(2);
        assertThat(now.arrays()).as("weights, optimizer state, best weights, SWA flag").isEqualTo(old.arrays());
        Map<String, Object> header = new LinkedHashMap<>(now.header());
        assertThat(header.remove("horizons")).isEqualTo(List.of(List.of(3, 0, "")));
        assertThat(header).isEqualTo(old.header());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"step-000000016.ckpt", "epoch-00001.ckpt"})
    void aVersion1Checkpoint_resumes_asAVersion2FileOfItsState_andWithinFloatRoundingOfTheOldRun(String checkpoint,
                                                                                                @TempDir Path dir)
            throws Exception {
        String fixture = "v1-550b9ba";
        byte[] v1 = resource(fixture + "/" + checkpoint);
        Parsed file = Parsed.of(v1);
        assertThat(file.version()).isEqualTo(1);
        assertThat(file.header()).doesNotContainKeys("swa", "horizons");
        int keptSteps = ((Number) file.header().get("log_step_rows")).intValue();
        int keptEpochs = ((Number) file.header().get("log_epoch_rows")).intValue();

        Path run = oldRunKilledAfterTheCheckpoint(fixture, checkpoint, v1, dir.resolve("run"));
        String line = resume(run, checkpoint);

        // The same state in a version-2 file of this code's making, resumed the same way: the same end, byte for byte.
        byte[] v2 = RunCheckpoints.encode(file.header(), file.params(), file.optimizer(), file.best(), null);
        assertThat(Parsed.of(v2).version()).isEqualTo(2);
        Path reference = oldRunKilledAfterTheCheckpoint(fixture, checkpoint, v2, dir.resolve("reference"));
        String referenceLine = resume(reference, checkpoint);
        assertThat(masked(line)).isEqualTo(masked(referenceLine));
        for (String log : LOGS) {
            assertThat(run.resolve("report/logs").resolve(log)).as(log)
                    .hasSameBinaryContentAs(reference.resolve("report/logs").resolve(log));
        }
        assertThat(checkpoints(run)).isEqualTo(checkpointsLeft(checkpoint)).isEqualTo(checkpoints(reference));
        for (String name : checkpointsLeft(checkpoint)) {
            if (name.equals(checkpoint)) {
                continue; // the file each run resumed from: version 1 in one, its translation in the other
            }
            assertThat(run.resolve("ck").resolve(name)).as(name).hasSameBinaryContentAs(reference.resolve("ck").resolve(name));
        }

        // Against the old run: its summary (printed to 4 digits) and its logs: the rows up to the checkpoint kept as
        // they were, the positions and scheduled values after it exact, the losses within rounding.
        assertThat(masked(line)).isEqualTo(masked(text(fixture + "/final-line.txt")));
        List<String> oldSteps = lines(text(fixture + "/logs/steps.csv"));
        List<String> steps = Files.readAllLines(run.resolve("report/logs/steps.csv"));
        assertThat(steps).hasSameSizeAs(oldSteps).hasSize(61);
        assertThat(steps.subList(0, keptSteps + 1)).as("the header and the %d rows the checkpoint counts", keptSteps)
                .isEqualTo(oldSteps.subList(0, keptSteps + 1));
        assertThat(steps.get(0)).isEqualTo("step,epoch,batch,loss,skipped,lr0,momentum0");
        for (int i = keptSteps + 1; i < steps.size(); i++) {
            String[] now = steps.get(i).split(",");
            String[] before = oldSteps.get(i).split(",");
            for (int c : new int[] {0, 1, 2, 4, 5, 6}) { // step, epoch, batch, skipped, lr0, momentum0
                assertThat(now[c]).as("steps.csv row %d column %d", i, c).isEqualTo(before[c]);
            }
            assertThat(Double.parseDouble(now[3])).as("loss at step %s", now[0])
                    .isCloseTo(Double.parseDouble(before[3]), within(1e-6));
        }
        List<String> oldEpochs = lines(text(fixture + "/logs/epochs.csv"));
        List<String> epochs = Files.readAllLines(run.resolve("report/logs/epochs.csv"));
        assertThat(oldEpochs.get(0)).isEqualTo("epoch,step,epoch_end,train_loss,val_loss,val_accuracy,lr0,best");
        assertThat(epochs.get(0)).as("this code's columns: lr_trained0 (021fcbf) after the old ones")
                .isEqualTo("epoch,step,epoch_end,train_loss,val_loss,val_accuracy,lr0,best,lr_trained0");
        assertThat(epochs).hasSameSizeAs(oldEpochs);
        assertThat(epochs.subList(1, keptEpochs + 1)).as("the epoch rows the checkpoint counts, as the old run wrote them")
                .isEqualTo(oldEpochs.subList(1, keptEpochs + 1));
        for (int i = keptEpochs + 1; i < epochs.size(); i++) {
            String[] now = epochs.get(i).split(",");
            String[] before = oldEpochs.get(i).split(",");
            assertThat(now).as("epochs.csv row %d: one cell per column", i).hasSize(9);
            for (int c : new int[] {0, 1, 2, 5, 6, 7}) { // epoch, step, epoch_end, val_accuracy, lr0, best
                assertThat(now[c]).as("epochs.csv row %d column %d", i, c).isEqualTo(before[c]);
            }
            for (int c : new int[] {3, 4}) { // train_loss, val_loss
                assertThat(Double.parseDouble(now[c])).as("epochs.csv row %d column %d", i, c)
                        .isCloseTo(Double.parseDouble(before[c]), within(1e-6));
            }
            assertThat(now[8]).as("lr_trained0 of a per-step schedule: the lr after the epoch's last step").isEqualTo(now[6]);
        }

        // The last checkpoint: counters, history positions and schedule exact, weights within rounding.
        Parsed now = Parsed.of(Files.readAllBytes(run.resolve("ck/epoch-00003.ckpt")));
        Parsed old = Parsed.of(resource(fixture + "/final-epoch-00003.ckpt"));
        for (String key : List.of("epoch", "next_batch", "optimizer_steps", "skipped_steps", "best_epoch", "wait", "stopped",
                "settings", "log_step_rows", "log_epoch_rows")) {
            assertThat(now.header().get(key)).as(key).isEqualTo(old.header().get(key));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> oldRun = (Map<String, Object>) old.header().get("run");
        assertThat(now.header().get("run")).as("the run's settings: the old ones, and this code's newer ones")
                .asInstanceOf(InstanceOfAssertFactories.MAP).containsAllEntriesOf(oldRun);
        Map<?, ?> schedule = (Map<?, ?>) ((List<?>) now.header().get("schedulers")).get(0);
        Map<?, ?> oldSchedule = (Map<?, ?>) ((List<?>) old.header().get("schedulers")).get(0);
        for (String key : List.of("type", "last_epoch", "_step_count", "_last_lr", "_last_momentum", "total_steps")) {
            assertThat(schedule.get(key)).as("scheduler " + key).isEqualTo(oldSchedule.get(key));
        }
        assertThat(now.params()).hasSameDimensionsAs(old.params());
        for (int p = 0; p < now.params().length; p++) {
            for (int k = 0; k < now.params()[p].length; k++) {
                assertThat(now.params()[p][k]).as("weight [%d][%d]", p, k).isCloseTo(old.params()[p][k], within(1e-6f));
            }
        }
    }

    /** What the old run left in ck/, less step-16 when the resume starts after it (epoch 1 ends at step 20). */
    private static List<String> checkpointsLeft(String resumedFrom) {
        return CHECKPOINTS_LEFT.stream().filter(f -> resumedFrom.equals(CHECKPOINT) || !f.equals(CHECKPOINT)).toList();
    }

    /** The old run's folder as a kill after the checkpoint left it: the checkpoint in ck/, the logs in report/logs/. */
    private static Path oldRunKilledAfterTheCheckpoint(String fixture, String name, byte[] checkpoint, Path run)
            throws IOException {
        Files.createDirectories(run.resolve("ck"));
        Files.write(run.resolve("ck").resolve(name), checkpoint);
        Files.createDirectories(run.resolve("report/logs"));
        for (String log : LOGS) {
            Files.write(run.resolve("report/logs").resolve(log), resource(fixture + "/logs/" + log));
        }
        return run;
    }

    /** {@code train --resume latest} with the old run's command (README.txt); its summary line. */
    private String resume(Path run, String checkpoint) {
        int start = out.getBuffer().length();
        int code = run("train", "--epochs", "3", "--hidden", "16", "--batch-size", "64", "--seed", "3", "--no-augment",
                "--checkpoint-dir", run.resolve("ck").toString(), "--checkpoint-every", "16", "--keep", "100",
                "--report", run.resolve("report").toString(), "--quiet", "--resume", "latest");
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resuming from " + run.resolve("ck").resolve(checkpoint));
        return lines(out.getBuffer().substring(start)).get(0);
    }

    private static String masked(String summary) {
        return summary.replaceAll("\\d+(\\.\\d+)? s$", "T s");
    }

    private static List<String> lines(String text) {
        return text.lines().toList();
    }

    private static List<String> checkpoints(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("ck"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = LegacyTrainCheckpointTest.class.getResourceAsStream("/train-checkpoints/" + name)) {
            assertThat(in).as("test resource train-checkpoints/" + name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(String name) {
        return new String(resource(name), StandardCharsets.UTF_8).strip();
    }

    /**
     * A checkpoint's parts, read by the layout CheckpointFile documents: version, header, then (big-endian counts,
     * little-endian floats) the parameters, the optimizer state, the best weights if any, in version 2 the SWA flag and
     * average; a CRC32 at the end. {@code arrays} is everything between the header and the CRC, as bytes.
     */
    private record Parsed(int version, Map<String, Object> header, float[][] params, byte[] optimizer, float[][] best,
                          byte[] arrays) {
        static Parsed of(byte[] all) throws IOException {
            Map<String, Object> header = RunCheckpoints.header("fixture", all); // also checks the magic, version and CRC
            int headerLength = ByteBuffer.wrap(all, 9, 4).getInt();
            int from = 13 + headerLength;
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, from, all.length - 8 - from));
            float[][] params = floats(in);
            byte[] optimizer = new byte[in.readInt()];
            in.readFully(optimizer);
            float[][] best = in.readBoolean() ? floats(in) : null;
            return new Parsed(all[8], header, params, optimizer, best, Arrays.copyOfRange(all, from, all.length - 8));
        }

        private static float[][] floats(DataInputStream in) throws IOException {
            float[][] out = new float[in.readInt()][];
            for (int i = 0; i < out.length; i++) {
                byte[] raw = new byte[in.readInt() * 4];
                in.readFully(raw);
                out[i] = new float[raw.length / 4];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out[i]);
            }
            return out;
        }
    }
}
