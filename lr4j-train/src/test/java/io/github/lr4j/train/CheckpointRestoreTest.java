package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.scheduler.SchedulerState;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints whose checksum is valid but whose contents are not (crafted, or written by a bug):
 * each is refused with one clear line before anything is changed or written.
 */
class CheckpointRestoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shared;
    private static Path good;

    @BeforeAll
    static void writeAGoodCheckpoint() {
        KillableRun.trainer(shared.resolve("ckpt"), shared.resolve("logs"), 0).fit();
        good = shared.resolve("ckpt").resolve("step-000000015.ckpt");
        assertThat(good).exists();
    }

    /** The checkpoint's parts: header JSON and everything after it (without the CRC). */
    private record Parts(Map<String, Object> header, byte[] rest) { }

    @SuppressWarnings("unchecked")
    private static Parts parts(Path file) throws Exception {
        byte[] all = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(all);
        int length = b.getInt(9);
        Map<String, Object> header = JSON.readValue(java.util.Arrays.copyOfRange(all, 13, 13 + length), Map.class);
        return new Parts(header, java.util.Arrays.copyOfRange(all, 13 + length, all.length - 8));
    }

    /** Writes magic, version, {@code header} (as given, any JSON) and {@code rest}, with a correct CRC. */
    private static Path write(Path target, byte[] header, byte[] rest) throws Exception {
        return write(target, CheckpointFile.VERSION, header, rest);
    }

    private static Path write(Path target, int version, byte[] header, byte[] rest) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("LR4JCKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeByte(version);
        out.writeInt(header.length);
        out.write(header);
        out.write(rest);
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        Files.createDirectories(target.getParent());
        Files.write(target, bytes.toByteArray());
        return target;
    }

    private static Path craftHeader(Path dir, Consumer<Map<String, Object>> edit) throws Exception {
        Parts p = parts(good);
        edit.accept(p.header());
        return write(dir.resolve("crafted.ckpt"), JSON.writeValueAsBytes(p.header()), p.rest());
    }

    private static Path craftRest(Path dir, Consumer<ByteBuffer> edit) throws Exception {
        Parts p = parts(good);
        byte[] rest = p.rest().clone();
        edit.accept(ByteBuffer.wrap(rest));
        return write(dir.resolve("crafted.ckpt"), JSON.writeValueAsBytes(p.header()), rest);
    }

    private static void assertRefusedInOneLine(Path crafted, Path dir, String expected) throws Exception {
        TrainingLoop t = KillableRun.trainer(dir.resolve("out"), dir.resolve("out-logs"), 0).resume(crafted);
        assertThatThrownBy(t::fit).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "java.", "Exception", "class ", "null"));
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void swaFields_wrongOrInconsistent_refusedNamingThem(@TempDir Path dir) throws Exception {
        assertRefusedInOneLine(craftHeader(dir, h -> ((Map<String, Object>) h.get("swa")).put("n_averaged", 1)), dir,
                "n_averaged is 1 but it holds no SWA average");
        assertRefusedInOneLine(craftHeader(dir, h -> ((Map<String, Object>) h.get("swa")).put("start_epoch", 2)), dir,
                "was written by a run with SWA from epoch 2 but this run has no SWA");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("swa", "on")), dir, "swa must be");
    }

    @Test
    void negativeEpoch_refused_writesNothing(@TempDir Path dir) throws Exception {
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("epoch", -7)), dir,
                "is not valid: epoch must be an integer >= 0, got -7");
    }

    @Test
    void negativeEpoch_inTheRunsOwnDirectory_doesNotOverwriteBestOrAddFiles(@TempDir Path dir) throws Exception {
        Path ckpts = dir.resolve("ckpt");
        KillableRun.trainer(ckpts, dir.resolve("logs"), 0).fit();
        Path crafted = write(ckpts.resolve("step-999999999.ckpt"), JSON.writeValueAsBytes(edited(ckpts, h -> h.put("epoch", -7))),
                parts(ckpts.resolve("step-000000015.ckpt")).rest());
        List<String> before = listing(ckpts);
        byte[] best = Files.readAllBytes(ckpts.resolve("best.ckpt"));
        TrainingLoop t = KillableRun.trainer(ckpts, dir.resolve("logs"), 0).resume(crafted);
        assertThatThrownBy(t::fit).hasMessageContaining("epoch must be an integer >= 0, got -7");
        assertThat(listing(ckpts)).isEqualTo(before);
        assertThat(Files.readAllBytes(ckpts.resolve("best.ckpt"))).isEqualTo(best);
    }

    private static Map<String, Object> edited(Path ckpts, Consumer<Map<String, Object>> edit) throws Exception {
        Map<String, Object> h = parts(ckpts.resolve("step-000000015.ckpt")).header();
        edit.accept(h);
        return h;
    }

    private static List<String> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @SuppressWarnings("unchecked") // a crafted header: its settings are known to be a map
    void wrongTypesAndRanges_eachOneLineNamingTheField(@TempDir Path dir) throws Exception {
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("optimizer_steps", "many")), dir,
                "optimizer_steps must be an integer >= 0, got \"many\"");
        assertRefusedInOneLine(craftHeader(dir, h -> h.remove("settings")), dir, "settings must be an object, got nothing");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("next_batch", 1_000_000)), dir, "next_batch must be an integer in [0, ");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("best_epoch", 99)), dir, "best_epoch must be an integer in [-1, ");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("schedulers", "none")), dir, "schedulers must be a list");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("stopped", 1)), dir, "stopped must be true or false, got 1");
        assertRefusedInOneLine(craftHeader(dir, h -> h.put("history", List.of(List.of("x")))), dir,
                "history[0] must be a list of 7 values");
        assertRefusedInOneLine(craftHeader(dir, h -> ((Map<String, Object>) h.get("settings")).put("seed", "9")), dir,
                "settings.seed must be an integer");
    }

    @Test
    void headerThatIsNotAnObject_oneLine(@TempDir Path dir) throws Exception {
        Parts p = parts(good);
        assertRefusedInOneLine(write(dir.resolve("crafted.ckpt"), "[1, 2]".getBytes(), p.rest()), dir,
                "its header is not a JSON object");
        assertRefusedInOneLine(write(dir.resolve("crafted.ckpt"), "{\"epoch\": ".getBytes(), p.rest()), dir,
                "its header is not JSON");
    }

    @Test
    void hugeOrNegativeCounts_refusedBeforeAllocating(@TempDir Path dir) throws Exception {
        assertRefusedInOneLine(craftRest(dir, b -> b.putInt(0, 0x7fffffff)), dir, "holds 2147483647 parameters, the model has 4");
        assertRefusedInOneLine(craftRest(dir, b -> b.putInt(0, -5)), dir, "holds -5 parameters, the model has 4");
        assertRefusedInOneLine(craftRest(dir, b -> b.putInt(4, 0x7fffffff)), dir,
                "parameters[0] take 2147483647 values, but");
        assertRefusedInOneLine(craftRest(dir, b -> b.putInt(4, -5)), dir, "parameters[0] take -5 values");
    }

    @Test
    void parameterOfTheWrongSize_refused(@TempDir Path dir) throws Exception {
        // Shrinks the first parameter by one value and drops those 4 bytes: the file is consistent, the model is not.
        Parts p = parts(good);
        ByteBuffer rest = ByteBuffer.wrap(p.rest());
        int n = rest.getInt(4);
        byte[] shrunk = new byte[p.rest().length - 4];
        System.arraycopy(p.rest(), 0, shrunk, 0, 8 + (n - 1) * 4);
        System.arraycopy(p.rest(), 8 + n * 4, shrunk, 8 + (n - 1) * 4, p.rest().length - 8 - n * 4);
        ByteBuffer.wrap(shrunk).putInt(4, n - 1);
        assertRefusedInOneLine(write(dir.resolve("crafted.ckpt"), JSON.writeValueAsBytes(p.header()), shrunk), dir,
                "parameters[0] has " + (n - 1) + " values, the model's parameter 0 has " + n);
    }

    @Test
    void failingRestore_leavesModelOptimizerAndSchedulersBitIdentical(@TempDir Path dir) throws Exception {
        TrainingLoop t = KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0);
        t.fit();
        List<float[]> weights = KillableRun.weights(t);
        byte[] optimizer = optimizerBytes(t);
        List<SchedulerState> states = new ArrayList<>();
        t.schedulers().forEach(a -> states.add(a.scheduler().state()));
        double[] lrs = {t.optimizer().lr(0), t.optimizer().lr(1)};

        // The optimizer's part is damaged inside (its own checksum fails): this is found only after
        // the schedulers' states were read, so they must be rolled back.
        Parts p = parts(good);
        int paramBytes = 4;
        ByteBuffer rest = ByteBuffer.wrap(p.rest());
        int count = rest.getInt(0);
        for (int i = 0; i < count; i++) {
            paramBytes += 4 + 4 * rest.getInt(paramBytes);
        }
        byte[] damaged = p.rest().clone();
        damaged[paramBytes + 4 + 20] ^= 0x01;
        Path crafted = write(dir.resolve("crafted.ckpt"), JSON.writeValueAsBytes(p.header()), damaged);

        assertThatThrownBy(() -> t.resume(crafted).fit()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot restore checkpoint").hasMessageContaining("nothing was changed");
        List<float[]> after = KillableRun.weights(t);
        for (int i = 0; i < weights.size(); i++) {
            assertThat(java.util.Arrays.equals(after.get(i), weights.get(i))).as("parameter " + i).isTrue();
        }
        assertThat(optimizerBytes(t)).isEqualTo(optimizer);
        List<SchedulerState> statesAfter = new ArrayList<>();
        t.schedulers().forEach(a -> statesAfter.add(a.scheduler().state()));
        assertThat(statesAfter).isEqualTo(states);
        assertThat(Double.doubleToRawLongBits(t.optimizer().lr(0))).isEqualTo(Double.doubleToRawLongBits(lrs[0]));
        assertThat(Double.doubleToRawLongBits(t.optimizer().lr(1))).isEqualTo(Double.doubleToRawLongBits(lrs[1]));
    }

    private static byte[] optimizerBytes(TrainingLoop t) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.optimizer().save(out);
        return out.toByteArray();
    }

    @Test
    void latest_saysWhichDamagedCheckpointItSkippedAndWhy(@TempDir Path dir) throws Exception {
        Path ckpts = dir.resolve("ckpt");
        Files.createDirectories(ckpts);
        Files.copy(good, ckpts.resolve("step-000000015.ckpt"));
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(ckpts.resolve("step-000000020.ckpt"), bytes);
        List<String> skipped = new ArrayList<>();
        assertThat(RunCheckpoints.latest(ckpts, skipped::add).orElseThrow()).isEqualTo(ckpts.resolve("step-000000015.ckpt"));
        assertThat(skipped).singleElement().asString().startsWith("skipped step-000000020.ckpt: ")
                .contains("is damaged (checksum mismatch)");
    }

    @Test
    void newRun_inADirectoryWithAnotherRunsCheckpoints_refusedUnlessOverwrite(@TempDir Path dir) throws Exception {
        Path ckpts = dir.resolve("ckpt");
        Files.createDirectories(ckpts);
        Files.copy(good, ckpts.resolve("best.ckpt"));
        Files.copy(good, ckpts.resolve("step-000000999.ckpt"));
        assertThatThrownBy(() -> KillableRun.trainer(ckpts, dir.resolve("logs"), 0).fit())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds 2 checkpoints of another run");
        assertThat(Files.readAllBytes(ckpts.resolve("best.ckpt"))).isEqualTo(Files.readAllBytes(good));

        KillableRun.trainer(ckpts, dir.resolve("logs"), 0).overwriteCheckpoints().fit();
        assertThat(ckpts.resolve("step-000000999.ckpt")).doesNotExist();
        assertThat(RunCheckpoints.latest(ckpts, skipped -> { }).orElseThrow()).isNotEqualTo(ckpts.resolve("step-000000999.ckpt"));
    }

    @Test
    void runSettings_areSavedAndReadBack(@TempDir Path dir) throws Exception {
        Map<String, String> run = new LinkedHashMap<>();
        run.put("--optimizer", "SGD(lr=0.1)");
        run.put("--interval", null);
        KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0).runSettings(run).fit();
        assertThat(RunCheckpoints.runSettings(dir.resolve("ckpt").resolve("best.ckpt"))).isEqualTo(run);
    }
}
