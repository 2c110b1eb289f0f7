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
 * {@code s3a://} ... when configured), version 1, all big-endian:
 * <pre>
 * "LR4JSPRK" (8 bytes), version (1 byte)
 * header length (int), header (UTF-8 JSON: counters, configuration, scheduler state, history, log positions)
 * parameter values (int count, then float32 each); optimizer checkpoint (int length, lr4j-optim's bytes)
 * best-weights flag (boolean), [parameter values]
 * CRC32 of all of the above (long)
 * </pre>
 * Files are named {@code round-000000042.ckpt} after the rounds done. Each is written to a hidden
 * temporary file, flushed to the file system ({@code hsync}) and renamed into place, so a driver
 * killed at any moment leaves the previous checkpoints intact; only the newest {@code keep} stay.
 */
final class DriverCheckpoints {
    static final int VERSION = 1;
    private static final byte[] MAGIC = "LR4JSPRK".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Contents(Map<String, Object> header, float[] params, byte[] optimizer, float[] best) { }

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

    void write(long rounds, Map<String, Object> header, float[] params, byte[] optimizer, float[] best) throws IOException {
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

    /** Deletes one checkpoint (a new run clearing another run's, when told to). */
    void delete(Path file) throws IOException {
        fs.delete(file, false);
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
        if (version != VERSION) {
            throw new IllegalArgumentException(file + ": unknown checkpoint version " + version + ", lr4j-spark reads version " + VERSION);
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
            return new Contents(header, params, optimizer, best);
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
