package io.github.lr4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.TestHold;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's checkpoint files, through Hadoop's {@link FileSystem} (a local path, or {@code hdfs://},
 * {@code s3a://} ... when configured). A file is lr4j-train's checkpoint ({@link RunCheckpoints#encode(RunState,
 * io.github.lr4j.train.MetricsLog)}: the header and the format every engine writes), named {@code round-000000042.ckpt}
 * after the rounds done. Each is written to a hidden temporary file, flushed to the file system ({@code hsync}) and
 * renamed into place, so a driver killed at any moment leaves the previous checkpoints intact; only the newest
 * {@code keep} stay.
 *
 * <p>Files of the driver's own earlier format are still read, and translated into lr4j-train's header (so that
 * lr4j-train checks and restores them as any other), all big-endian:
 * <pre>
 * "LR4JSPRK" (8 bytes), version (1 byte)
 * header length (int), header (UTF-8 JSON: counters, configuration, scheduler state, history, log positions, SWA)
 * parameter values (int count, then float32 each); optimizer checkpoint (int length, lr4j-optim's bytes)
 * best-weights flag (boolean), [parameter values]
 * SWA-average flag (boolean), [parameter values]          (version 2; version 1 ends before it: no SWA)
 * CRC32 of all of the above (long)
 * </pre>
 */
final class DriverCheckpoints {
    /** The newest version of the driver's own earlier format (read, no longer written). */
    static final int LEGACY_VERSION = 2;
    private static final byte[] LEGACY_MAGIC = "LR4JSPRK".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A checkpoint whose file was checked (format, version, checksum), its header in lr4j-train's form; the bytes lr4j-train
     * restores come from {@link #bytes}.
     */
    static final class Found {
        final Path file;
        final Map<String, Object> header;
        private final byte[] bytes;
        private final Legacy legacy;

        private Found(Path file, Map<String, Object> header, byte[] bytes, Legacy legacy) {
            this.file = file;
            this.header = header;
            this.bytes = bytes;
            this.legacy = legacy;
        }

        /** lr4j-train's checkpoint bytes, the flat arrays of an earlier file cut into parameters of {@code sizes}. */
        byte[] bytes(int[] sizes) throws IOException {
            if (legacy == null) {
                return bytes;
            }
            int total = Arrays.stream(sizes).sum();
            if (legacy.params.length != total || legacy.average != null && legacy.average.length != total
                    || legacy.best != null && legacy.best.length != total) {
                throw new IllegalArgumentException("cannot resume from " + file + ": it holds " + legacy.params.length
                        + " parameter values, the model has " + total);
            }
            return RunCheckpoints.encode(header, split(legacy.params, sizes), legacy.optimizer, split(legacy.best, sizes),
                    split(legacy.average, sizes));
        }
    }

    /** The arrays of a file of the earlier format: flat, {@code best} and {@code average} may be null. */
    private record Legacy(float[] params, byte[] optimizer, float[] best, float[] average) { }

    private final Path directory;
    private final FileSystem fs;
    private final int keep;

    DriverCheckpoints(String directory, int keep, Configuration hadoop) throws IOException {
        this.directory = new Path(directory);
        this.fs = this.directory.getFileSystem(hadoop);
        this.keep = keep;
    }

    /** Writes lr4j-train's checkpoint {@code bytes} as the file of {@code rounds} rounds, then drops the oldest beyond keep. */
    void write(long rounds, byte[] bytes) throws IOException {
        fs.mkdirs(directory);
        Path target = new Path(directory, String.format("round-%09d.ckpt", rounds));
        Path temp = new Path(directory, "." + target.getName() + ".tmp");
        try (FSDataOutputStream file = fs.create(temp, true)) {
            file.write(bytes);
            file.hsync();
        }
        TestHold.at("checkpoint-temp");
        fs.delete(target, false);
        if (!fs.rename(temp, target)) {
            throw new IOException("cannot rename " + temp + " to " + target);
        }
        TestHold.at("checkpoint");
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) {
            fs.delete(all.get(i), false);
        }
    }

    /** The checkpoints in the directory, oldest first. */
    List<Path> list() throws IOException {
        if (!fs.exists(directory)) {
            return List.of();
        }
        List<Path> out = new ArrayList<>();
        for (FileStatus s : fs.listStatus(directory)) {
            String name = s.getPath().getName();
            if (name.startsWith("round-") && name.endsWith(".ckpt")) {
                out.add(s.getPath());
            }
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    /**
     * A new run: refuses a directory holding another run's checkpoints unless {@code overwrite}, then deletes them
     * (only once nothing refused the run).
     */
    void clearForNewRun(boolean overwrite) throws IOException {
        List<Path> found = list();
        if (!found.isEmpty() && !overwrite) {
            throw new IllegalArgumentException("checkpoint directory " + directory + " holds " + found.size()
                    + " checkpoint" + (found.size() == 1 ? "" : "s") + " of another run (" + found.get(0).getName()
                    + (found.size() > 1 ? ", ..." : "") + "): resume that run (--resume latest), or start over and"
                    + " delete them (--overwrite)");
        }
        for (Path p : found) {
            fs.delete(p, false);
        }
    }

    /**
     * The newest intact checkpoint (each damaged one is skipped and said to {@code warn}), or null when there is
     * none at all; every one damaged: an error naming them.
     */
    Found newestIntact(java.util.function.Consumer<String> warn) throws IOException {
        List<Path> found = list();
        List<String> skipped = new ArrayList<>();
        for (int i = found.size() - 1; i >= 0; i--) {
            try {
                return read(found.get(i));
            } catch (IllegalArgumentException | ChecksumException damaged) {
                // Hadoop's own .crc (a local path) is said as lr4j's own checksum is, not with its offsets and sums.
                String why = damaged instanceof ChecksumException ? "damaged (checksum mismatch)" : damaged.getMessage();
                skipped.add(found.get(i).getName() + ": " + why);
                warn.accept("skipped " + found.get(i).getName() + ": " + why);
            }
        }
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("every checkpoint in " + directory + " is damaged: " + String.join("; ", skipped));
        }
        return null;
    }

    /**
     * Refuses a checkpoint whose run had another configuration than {@code now} (key by key, as text): its settings
     * and run settings (the run length may change: a resume stretches, restarts or holds the schedules).
     */
    @SuppressWarnings("unchecked")
    static void requireSameConfig(Found c, Map<String, Object> now) {
        Map<String, Object> saved = new LinkedHashMap<>();
        for (String key : List.of("settings", "run")) {
            if (c.header.get(key) instanceof Map<?, ?> m) {
                saved.putAll((Map<String, Object>) m);
            }
        }
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object was = saved.get(e.getKey());
            if (was == null || !String.valueOf(was).equals(String.valueOf(e.getValue()))) {
                throw new IllegalArgumentException("cannot resume from " + c.file + ": it was written with " + e.getKey() + " = "
                        + was + ", this run has " + e.getValue());
            }
        }
    }

    /** Reads and checks a whole checkpoint (format, version, checksum) before anything uses it. */
    Found read(Path file) throws IOException {
        byte[] all;
        try (var in = fs.open(file)) {
            all = in.readAllBytes();
        }
        if (all.length >= LEGACY_MAGIC.length && Arrays.equals(Arrays.copyOf(all, LEGACY_MAGIC.length), LEGACY_MAGIC)) {
            return readLegacy(file, all);
        }
        return new Found(file, RunCheckpoints.header(file.toString(), all), all, null);
    }

    @SuppressWarnings("unchecked")
    private static Found readLegacy(Path file, byte[] all) throws IOException {
        if (all.length < LEGACY_MAGIC.length + 1 + Long.BYTES) {
            throw new IllegalArgumentException(file + " is not an lr4j-spark checkpoint");
        }
        int version = all[LEGACY_MAGIC.length] & 0xff;
        if (version < 1 || version > LEGACY_VERSION) {
            throw new IllegalArgumentException(file + ": unknown checkpoint version " + version + ", lr4j-spark reads versions 1 to "
                    + LEGACY_VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - Long.BYTES);
        long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - Long.BYTES, Long.BYTES)).readLong();
        if (stored != crc.getValue()) {
            throw new IllegalArgumentException(file + " is damaged (checksum mismatch)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, LEGACY_MAGIC.length + 1,
                all.length - LEGACY_MAGIC.length - 1 - Long.BYTES));
        try {
            byte[] json = in.readNBytes(in.readInt());
            Map<String, Object> header = JSON.readValue(json, Map.class);
            float[] params = readFloats(in, file);
            byte[] optimizer = in.readNBytes(in.readInt());
            float[] best = in.readBoolean() ? readFloats(in, file) : null;
            float[] average = version >= 2 && in.readBoolean() ? readFloats(in, file) : null;
            if (in.available() != 0) {
                throw new IllegalArgumentException(file + " has " + in.available() + " unexpected bytes before its checksum");
            }
            Map<String, Object> translated;
            try {
                translated = translate(header);
            } catch (ClassCastException | NullPointerException | NumberFormatException e) {
                throw new IllegalArgumentException(file + " is not valid: its header is not the driver's", e);
            }
            return new Found(file, translated, null, new Legacy(params, optimizer, best, average));
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated", e);
        }
    }

    /**
     * The header of the driver's earlier format in lr4j-train's form: the same counters under lr4j-train's names (a
     * step is a batch and an optimizer step of lr4j's loop; none was skipped), the configuration as settings (numbers)
     * and run settings (text), the SWA start from its setting. Fields an older version did not write take what that
     * version ran with: no hyper-parameter schedules, no SWA, the lr scheduler's state alone, one run length.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> translate(Map<String, Object> old) {
        Map<String, Object> config = (Map<String, Object>) old.get("config");
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", RunCheckpoints.FORMAT);
        h.put("epoch", old.get("epoch"));
        h.put("next_batch", old.get("next_step"));
        h.put("optimizer_steps", old.get("global_step"));
        h.put("skipped_steps", 0);
        h.put("epoch_loss_sum", old.get("epoch_loss_sum"));
        h.put("epoch_batches", old.get("epoch_steps"));
        for (String key : List.of("best_metric", "best_epoch", "wait", "stopped", "schedule_start_epoch")) {
            if (old.containsKey(key)) {
                h.put(key, old.get(key));
            }
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        for (String key : List.of("epochs", "batch_size", "local_steps", "partitions", "seed", "steps_per_epoch")) {
            settings.put(key, config.get(key));
        }
        h.put("settings", settings);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("optimizer", config.get("optimizer"));
        run.put("scheduler", config.get("scheduler"));
        run.put("schedules", config.getOrDefault("schedules", "{}"));
        String swaSetting = (String) config.getOrDefault("swa", "none");
        run.put("swa", swaSetting);
        h.put("run", run);
        if (old.get("schedulers") instanceof List<?> states) {
            h.put("schedulers", states);
        } else {
            h.put("schedulers", old.get("scheduler") instanceof Map<?, ?> lr ? List.of(lr) : List.of());
        }
        Map<String, Object> oldSwa = old.get("swa") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        Map<String, Object> swa = new LinkedHashMap<>();
        // "from epoch N, SCHEDULER" or "none"
        swa.put("start_epoch", swaSetting.startsWith("from epoch ")
                ? Integer.parseInt(swaSetting.substring("from epoch ".length(), swaSetting.indexOf(','))) : 0);
        swa.put("n_averaged", oldSwa.getOrDefault("n_averaged", 0));
        swa.put("scheduler", oldSwa.get("scheduler"));
        h.put("swa", swa);
        h.put("history", old.get("history"));
        if (old.containsKey("horizons")) {
            h.put("horizons", old.get("horizons"));
        }
        h.put("log_step_rows", old.get("log_step_rows"));
        h.put("log_epoch_rows", old.get("log_epoch_rows"));
        return h;
    }

    private static float[][] split(float[] flat, int[] sizes) {
        if (flat == null) {
            return null;
        }
        float[][] out = new float[sizes.length][];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            out[i] = Arrays.copyOfRange(flat, at, at + sizes[i]);
            at += sizes[i];
        }
        return out;
    }

    private static float[] readFloats(DataInputStream in, Path file) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * Float.BYTES > in.available()) {
            throw new IllegalArgumentException(file + " is not valid: it says it holds " + n + " values, but " + in.available()
                    + " bytes are left");
        }
        float[] out = new float[n];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.readFloat();
        }
        return out;
    }
}
