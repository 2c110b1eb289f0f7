package io.github.lr4j.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A training checkpoint on disk, version 2 (big-endian framing, float32 data little-endian):
 * <pre>
 * "LR4JCKPT" (8 bytes), version (1 byte)
 * header length (int), header (UTF-8 JSON: loop counters, scheduler states, early stopping, log positions)
 * parameter count (int), per parameter: length (int), values (float32)
 * optimizer checkpoint length (int), optimizer checkpoint (lr4j-optim's format)
 * best-weights flag (boolean), [per parameter: length (int), values]
 * SWA-average flag (boolean), [per parameter: length (int), values]   (version 2; a version 1 file ends before it)
 * CRC32 of all of the above (long)
 * </pre>
 * Written atomically: a temporary file in the same directory, fsync, rename over the target,
 * fsync of the directory; a crash at any moment leaves the previous file intact.
 */
final class CheckpointFile {
    static final int VERSION = 2;
    private static final byte[] MAGIC = "LR4JCKPT".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The decoded contents. */
    record Contents(Map<String, Object> header, float[][] params, byte[] optimizer, float[][] bestParams, float[][] swaAverage) { }

    private CheckpointFile() {
    }

    static void write(Path target, Map<String, Object> header, List<float[]> params, byte[] optimizer, List<float[]> best,
                      List<float[]> swaAverage) throws IOException {
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
        out.writeBoolean(swaAverage != null);
        if (swaAverage != null) {
            writeFloats(out, swaAverage);
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        atomicWrite(target, bytes.toByteArray());
    }

    private static void writeFloats(DataOutputStream out, List<float[]> arrays) throws IOException {
        out.writeInt(arrays.size());
        for (float[] a : arrays) {
            out.writeInt(a.length);
            ByteBuffer buf = ByteBuffer.allocate(a.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            buf.asFloatBuffer().put(a);
            out.write(buf.array());
        }
    }

    /** Temp file, fsync, rename, fsync the directory. */
    static void atomicWrite(Path target, byte[] data) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        TestHold.at("checkpoint-temp");
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some file systems cannot sync a directory; the rename itself is still atomic.
        }
        TestHold.at("checkpoint");
    }

    /** Reads and checks a checkpoint without knowing the model (counts are checked against the file's size). */
    static Contents read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * Reads and checks a checkpoint; with {@code sizes} (the model's parameter sizes) every count is
     * checked against them before anything is allocated. A damaged or crafted file is one
     * IllegalArgumentException naming the file and what is wrong.
     */
    @SuppressWarnings("unchecked")
    static Contents read(Path file, int[] sizes) throws IOException {
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A directory, a device such as /dev/zero or a pipe: never read without an end in sight.
            throw new IllegalArgumentException(file + " is not a checkpoint file (it is a directory or a device)");
        }
        if (Files.exists(file) && Files.size(file) > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("checkpoint " + file + " is larger than the limit of 2 GiB");
        }
        checkHeader(file);
        byte[] all = Files.readAllBytes(file);
        if (all.length < MAGIC.length + 9 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException(file + " is not an lr4j training checkpoint");
        }
        int version = all[MAGIC.length];
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        if (ByteBuffer.wrap(all, all.length - 8, 8).getLong() != crc.getValue()) {
            throw new IllegalArgumentException("checkpoint " + file + " is damaged (checksum mismatch)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, MAGIC.length + 1, all.length - MAGIC.length - 9));
            byte[] json = new byte[length(in, 1, file, "header")];
            in.readFully(json);
            Object header;
            try {
                header = JSON.readValue(json, Object.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("checkpoint " + file + " is not valid: its header is not JSON");
            }
            if (!(header instanceof Map)) {
                throw new IllegalArgumentException("checkpoint " + file + " is not valid: its header is not a JSON object");
            }
            float[][] params = readFloats(in, file, "parameters", sizes);
            byte[] optimizer = new byte[length(in, 1, file, "optimizer state")];
            in.readFully(optimizer);
            float[][] best = in.readBoolean() ? readFloats(in, file, "best weights", sizes) : null;
            float[][] swa = version >= 2 && in.readBoolean() ? readFloats(in, file, "SWA average", sizes) : null;
            if (in.available() != 0) {
                throw new IllegalArgumentException("checkpoint " + file + " is not valid: " + in.available()
                        + " bytes follow its last field");
            }
            return new Contents((Map<String, Object>) header, params, optimizer, best, swa);
        } catch (EOFException e) {
            throw new IllegalArgumentException("checkpoint " + file + " is truncated");
        }
    }

    /**
     * The magic number and version, read before the rest: a large file that is no checkpoint (a 2 GiB sparse file) is
     * refused at once instead of after reading it whole.
     */
    private static void checkHeader(Path file) throws IOException {
        byte[] head;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(MAGIC.length + 1);
        }
        if (head.length < MAGIC.length + 1 || !Arrays.equals(Arrays.copyOf(head, MAGIC.length), MAGIC)
                || Files.size(file) < MAGIC.length + 9) {
            throw new IllegalArgumentException(file + " is not an lr4j training checkpoint");
        }
        int version = head[MAGIC.length];
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + " of training checkpoint " + file
                    + ", this lr4j supports versions 1 to " + VERSION);
        }
    }

    /** A count of items of {@code itemBytes} bytes each, checked against what is left of the file before allocating. */
    private static int length(DataInputStream in, int itemBytes, Path file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || (long) n * itemBytes > in.available()) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: it says " + what + " take " + n
                    + (itemBytes == 1 ? " bytes" : " values") + ", but " + in.available() + " bytes are left");
        }
        return n;
    }

    private static float[][] readFloats(DataInputStream in, Path file, String what, int[] sizes) throws IOException {
        int count = in.readInt();
        if (sizes != null && count != sizes.length) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + count + " " + what + ", the model has "
                    + sizes.length);
        }
        if (count < 0 || (long) count * 4 > in.available()) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: it says it holds " + count + " " + what
                    + ", but " + in.available() + " bytes are left");
        }
        float[][] out = new float[count][];
        for (int i = 0; i < out.length; i++) {
            int n = length(in, 4, file, what + "[" + i + "]");
            if (sizes != null && n != sizes[i]) {
                throw new IllegalArgumentException("checkpoint " + file + " is not valid: " + what + "[" + i + "] has " + n
                        + " values, the model's parameter " + i + " has " + sizes[i]);
            }
            byte[] raw = new byte[n * 4];
            in.readFully(raw);
            out[i] = new float[n];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out[i]);
        }
        return out;
    }
}
