package io.github.lr4j.spark;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The buffers (momentum, exp_avg, ...) inside an optimizer checkpoint, so the driver can average
 * them across partitions. Reads lr4j-optim's documented checkpoint format, version 1 (see
 * {@code io.github.lr4j.optim.OptimizerCheckpoint}): everything is kept byte for byte except the
 * float32 buffer regions and the trailing CRC32, so step counts and hyper-parameters stay those of
 * the template.
 */
final class OptimizerStates {
    private static final byte[] MAGIC = {'L', 'R', '4', 'J', 'O', 'P', 'T'};
    private static final int VERSION = 1;

    private OptimizerStates() {
    }

    /** Where the buffers of one checkpoint are: (byte offset, float count) pairs, in file order. */
    static int[] layout(byte[] state) {
        try {
            ByteArrayInputStream bytes = new ByteArrayInputStream(state);
            DataInputStream in = new DataInputStream(bytes);
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not an lr4j optimizer checkpoint (bad magic)");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown optimizer checkpoint version " + version
                        + ", lr4j-spark averages version " + VERSION);
            }
            in.readUTF();
            int groups = in.readInt();
            List<Integer> out = new ArrayList<>();
            for (int g = 0; g < groups; g++) {
                int values = in.readInt();
                for (int v = 0; v < values; v++) {
                    in.readUTF();
                    in.readDouble();
                }
                in.readDouble();
                int params = in.readInt();
                for (int p = 0; p < params; p++) {
                    int size = in.readInt();
                    in.readLong();
                    in.readBoolean();
                    int buffers = in.readInt();
                    for (int b = 0; b < buffers; b++) {
                        in.readUTF();
                        if (in.readBoolean()) {
                            out.add(state.length - bytes.available());
                            out.add(size);
                            in.skipNBytes(4L * size);
                        }
                    }
                }
            }
            if (bytes.available() != Long.BYTES) {
                throw new IllegalArgumentException("optimizer checkpoint has " + (bytes.available() - Long.BYTES)
                        + " unexpected bytes before its checksum");
            }
            return out.stream().mapToInt(Integer::intValue).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException("truncated optimizer checkpoint", e);
        }
    }

    /** The number of buffer values in a checkpoint with this layout. */
    static int size(int[] layout) {
        int n = 0;
        for (int i = 1; i < layout.length; i += 2) {
            n += layout[i];
        }
        return n;
    }

    /** Adds {@code weight} times every buffer value to {@code sums} (in layout order). */
    static void addWeighted(byte[] state, int[] layout, double weight, double[] sums) {
        ByteBuffer buf = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        int k = 0;
        for (int i = 0; i < layout.length; i += 2) {
            int offset = layout[i];
            for (int j = 0; j < layout[i + 1]; j++) {
                sums[k++] += weight * buf.getFloat(offset + 4 * j);
            }
        }
    }

    /** A copy of {@code template} whose buffers hold {@code values} (in layout order), with a fresh checksum. */
    static byte[] withBuffers(byte[] template, int[] layout, float[] values) {
        byte[] out = template.clone();
        ByteBuffer buf = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int k = 0;
        for (int i = 0; i < layout.length; i += 2) {
            int offset = layout[i];
            for (int j = 0; j < layout[i + 1]; j++) {
                buf.putFloat(offset + 4 * j, values[k++]);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, out.length - Long.BYTES);
        ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN).putLong(out.length - Long.BYTES, crc.getValue());
        return out;
    }
}
