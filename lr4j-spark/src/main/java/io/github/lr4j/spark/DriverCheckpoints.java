package io.github.lr4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.train.TestHold;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The driver's checkpoints, through Hadoop's {@link FileSystem} (a local path, or {@code hdfs://},
 * {@code s3a://} ... when configured), version 2, all big-endian:
 * <pre>
 * "LR4JSPRK" (8 bytes), version (1 byte)
 * header length (int), header (UTF-8 JSON: counters, configuration, scheduler state, history, log positions, SWA)
 * parameter values (int count, then float32 each); optimizer checkpoint (int length, lr4j-optim's bytes)
 * best-weights flag (boolean), [parameter values]
 * SWA-average flag (boolean), [parameter values]          (version 2; version 1 ends before it: no SWA)
 * CRC32 of all of the above (long)
 * </pre>
 * Files are named {@code round-000000042.ckpt} after the rounds done. Each is written to a hidden
 * temporary file, flushed to the file system ({@code hsync}) and renamed into place, so a driver
 * killed at any moment leaves the previous checkpoints intact; only the newest {@code keep} stay.
 */
final class DriverCheckpoints {
    static final int VERSION = 2;
    private static final byte[] MAGIC = "LR4JSPRK".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A checked checkpoint; {@code best} and {@code average} may be null. */
    record Contents(Path file, Map<String, Object> header, float[] params, byte[] optimizer, float[] best, float[] average) { }

    private final Path directory;
    private final FileSystem fs;
    private final int keep;

    DriverCheckpoints(String directory, int keep, Configuration hadoop) throws IOException {
        this.directory = new Path(directory);
        this.fs = this.directory.getFileSystem(hadoop);
        this.keep = keep;
    }

    String directory() {
        return directory.toString();
    }

    void write(long rounds, Map<String, Object> header, float[] params, byte[] optimizer, float[] best, float[] average)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(VERSION);
        byte[] json = JSON.writeValueAsBytes(header);
        out.writeInt(json.length);
        out.write(json);
        writeFloats(out, params);
        out.writeInt(optimizer.length);
        out.write(optimizer);
        out.writeBoolean(best != null);
        if (best != null) {
            writeFloats(out, best);
        }
        out.writeBoolean(average != null);
        if (average != null) {
            writeFloats(out, average);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();

        fs.mkdirs(directory);
        Path target = new Path(directory, String.format("round-%09d.ckpt", rounds));
        Path temp = new Path(directory, "." + target.getName() + ".tmp");
        try (FSDataOutputStream file = fs.create(temp, true)) {
            bytes.writeTo(file);
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

    /** The newest checkpoint, or null when there is none. */
    Path latest() throws IOException {
        List<Path> all = list();
        return all.isEmpty() ? null : all.get(all.size() - 1);
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
    Contents newestIntact(java.util.function.Consumer<String> warn) throws IOException {
        List<Path> found = list();
        List<String> skipped = new ArrayList<>();
        for (int i = found.size() - 1; i >= 0; i--) {
            try {
                return read(found.get(i));
            } catch (IllegalArgumentException damaged) {
                skipped.add(found.get(i).getName() + ": " + damaged.getMessage());
                warn.accept("skipped " + found.get(i).getName() + ": " + damaged.getMessage());
            }
        }
        if (!found.isEmpty()) {
            throw new IllegalArgumentException("every checkpoint in " + directory + " is damaged: " + String.join("; ", skipped));
        }
        return null;
    }

    /** Refuses a checkpoint whose run had another configuration than {@code now} (key by key, as text). */
    @SuppressWarnings("unchecked")
    static void requireSameConfig(Contents c, Map<String, Object> now) {
        Map<String, Object> saved = (Map<String, Object>) c.header().get("config");
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object was = saved == null ? null : saved.get(e.getKey());
            if (was == null && saved != null && e.getKey().equals("schedules")) {
                was = "{}"; // written before hyper-parameter schedules ran on Spark: none
            }
            if (was == null && saved != null && e.getKey().equals("swa")) {
                was = "none"; // written before SWA ran on Spark: none
            }
            if (was == null || !String.valueOf(was).equals(String.valueOf(e.getValue()))) {
                throw new IllegalArgumentException("cannot resume from " + c.file() + ": it was written with " + e.getKey() + " = "
                        + was + ", this run has " + e.getValue());
            }
        }
    }

    /** The saved state of each scheduler, in order (a checkpoint from before the driver holds the lr scheduler's alone). */
    @SuppressWarnings("unchecked")
    static List<io.github.lr4j.scheduler.SchedulerState> schedulerStates(Contents c) {
        Map<String, Object> h = c.header();
        List<io.github.lr4j.scheduler.SchedulerState> states = new ArrayList<>();
        if (h.get("schedulers") instanceof List) {
            for (Object o : (List<Object>) h.get("schedulers")) {
                if (!(o instanceof Map)) {
                    throw new IllegalArgumentException("cannot resume from " + c.file() + ": schedulers must hold objects, got " + o);
                }
                states.add(io.github.lr4j.scheduler.SchedulerState.of((Map<String, Object>) o));
            }
        } else if (h.get("scheduler") instanceof Map) {
            states.add(io.github.lr4j.scheduler.SchedulerState.of((Map<String, Object>) h.get("scheduler")));
        }
        return states;
    }

    /** Reads and checks a whole checkpoint (magic, version, checksum) before anything uses it. */
    @SuppressWarnings("unchecked")
    Contents read(Path file) throws IOException {
        byte[] all;
        try (var in = fs.open(file)) {
            all = in.readAllBytes();
        }
        if (all.length < MAGIC.length + 1 + Long.BYTES || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(file + " is not an lr4j-spark checkpoint");
        }
        int version = all[MAGIC.length] & 0xff;
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException(file + ": unknown checkpoint version " + version + ", lr4j-spark reads versions 1 to "
                    + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - Long.BYTES);
        long stored = new DataInputStream(new ByteArrayInputStream(all, all.length - Long.BYTES, Long.BYTES)).readLong();
        if (stored != crc.getValue()) {
            throw new IllegalArgumentException(file + " is damaged (checksum mismatch)");
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length + 1, all.length - MAGIC.length - 1 - Long.BYTES));
        try {
            byte[] json = in.readNBytes(in.readInt());
            Map<String, Object> header = JSON.readValue(json, Map.class);
            float[] params = readFloats(in);
            byte[] optimizer = in.readNBytes(in.readInt());
            float[] best = in.readBoolean() ? readFloats(in) : null;
            float[] average = version >= 2 && in.readBoolean() ? readFloats(in) : null;
            if (in.available() != 0) {
                throw new IllegalArgumentException(file + " has " + in.available() + " unexpected bytes before its checksum");
            }
            return new Contents(file, header, params, optimizer, best, average);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " is truncated", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] out = new float[in.readInt()];
        for (int i = 0; i < out.length; i++) {
            out[i] = in.readFloat();
        }
        return out;
    }
}
