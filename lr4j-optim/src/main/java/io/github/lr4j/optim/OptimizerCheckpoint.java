package io.github.lr4j.optim;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * lr4j's optimizer checkpoint format, version 1: compact (buffers as raw little-endian float32),
 * versioned and checksummed. All integers and doubles big-endian ({@link DataOutputStream}):
 * <pre>
 * "LR4JOPT" (7 bytes), version (1 byte), optimizer name (UTF), group count (int)
 * per group:  value count (int), then (name UTF, value double)...; initial lr (double); param count (int)
 *   per param: size (int), step (long), initialized (boolean), buffer count (int),
 *              per buffer: name (UTF), present (boolean), [size * 4 bytes float32 little-endian]
 * CRC32 of everything above (long)
 * </pre>
 * Reading checks the magic, the version, the checksum, the optimizer name and that groups and
 * parameter sizes match the optimizer it is loaded into; only then is anything changed. A
 * schedule-free optimizer's group values include its running scalars and its mode
 * ({@code train_mode}): the mode is restored, the parameters (saved by the caller in that mode) are not
 * touched.
 */
final class OptimizerCheckpoint {
    static final int VERSION = 1;
    private static final byte[] MAGIC = {'L', 'R', '4', 'J', 'O', 'P', 'T'};

    private OptimizerCheckpoint() {
    }

    static void write(Optimizer opt, OutputStream sink) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeUTF(opt.name());
        out.writeInt(opt.paramGroups().size());
        Parameter[] params = opt.params();
        ParamState[] states = opt.states();
        int[] groupOf = opt.groupOf();
        int next = 0;
        for (int g = 0; g < opt.paramGroups().size(); g++) {
            ParamGroup group = opt.group(g);
            out.writeInt(group.names().size());
            for (String name : group.names()) {
                out.writeUTF(name);
                out.writeDouble(group.get(name));
            }
            out.writeDouble(group.initialLr);
            out.writeInt(group.params().size());
            for (int k = 0; k < group.params().size(); k++, next++) {
                assert groupOf[next] == g;
                ParamState s = states[next];
                out.writeInt(params[next].size());
                out.writeLong(s.step);
                out.writeBoolean(s.initialized);
                out.writeInt(s.buffers.length);
                for (int b = 0; b < s.buffers.length; b++) {
                    out.writeUTF(opt.bufferNames()[b]);
                    out.writeBoolean(s.buffers[b] != null);
                    if (s.buffers[b] != null) {
                        ByteBuffer buf = ByteBuffer.allocate(s.buffers[b].length * 4).order(ByteOrder.LITTLE_ENDIAN);
                        buf.asFloatBuffer().put(s.buffers[b]);
                        out.write(buf.array());
                    }
                }
            }
        }
        out.flush();
        CRC32 crc = new CRC32();
        crc.update(bytes.toByteArray());
        out.writeLong(crc.getValue());
        out.flush();
        bytes.writeTo(sink);
        sink.flush();
    }

    static void read(Optimizer opt, InputStream source) throws IOException {
        byte[] all = source.readAllBytes();
        if (all.length < MAGIC.length + 1 + 8 || !Arrays.equals(Arrays.copyOf(all, MAGIC.length), MAGIC)) {
            throw new IllegalArgumentException("not an lr4j optimizer checkpoint (the file does not start with LR4JOPT)");
        }
        int version = all[MAGIC.length];
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + " of the optimizer checkpoint, this lr4j"
                    + " supports versions 1 to " + VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IllegalArgumentException("optimizer checkpoint is damaged (checksum mismatch); nothing was restored");
        }
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, MAGIC.length + 1, all.length - 9 - MAGIC.length));
        try {
            String name = in.readUTF();
            if (!name.equals(opt.name())) {
                throw new IllegalArgumentException("cannot restore " + opt.name() + " from the checkpoint of a " + name);
            }
            int groups = in.readInt();
            if (groups != opt.paramGroups().size()) {
                throw new IllegalArgumentException("the checkpoint has " + groups + " param groups but this " + opt.name()
                        + " has " + opt.paramGroups().size());
            }
            Parameter[] params = opt.params();
            double[][] values = new double[groups][];
            double[] initial = new double[groups];
            long[] steps = new long[params.length];
            boolean[] initialized = new boolean[params.length];
            float[][][] buffers = new float[params.length][][];
            int next = 0;
            for (int g = 0; g < groups; g++) {
                ParamGroup group = opt.group(g);
                int count = in.readInt();
                if (count != group.names().size()) {
                    throw new IllegalArgumentException("group " + g + " of the checkpoint has " + count
                            + " hyper-parameters but " + opt.name() + " has " + group.names().size());
                }
                values[g] = new double[count];
                for (int i = 0; i < count; i++) {
                    String key = in.readUTF();
                    if (!key.equals(group.names().get(i))) {
                        throw new IllegalArgumentException("group " + g + " of the checkpoint has hyper-parameter " + key
                                + " where " + opt.name() + " has " + group.names().get(i));
                    }
                    values[g][i] = in.readDouble();
                    try {
                        opt.options.checkRestored(i, values[g][i]);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("group " + g + " of the checkpoint: " + e.getMessage()
                                + "; nothing was restored");
                    }
                }
                initial[g] = in.readDouble();
                if (!Double.isNaN(initial[g]) && !(initial[g] >= 0 && initial[g] < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("group " + g + " of the checkpoint has initial lr " + initial[g]
                            + "; it must be finite and >= 0 (or unset); nothing was restored");
                }
                int n = in.readInt();
                if (n != group.params().size()) {
                    throw new IllegalArgumentException("group " + g + " of the checkpoint has " + n + " parameters but this"
                            + " optimizer's has " + group.params().size());
                }
                for (int k = 0; k < n; k++, next++) {
                    int size = in.readInt();
                    if (size != params[next].size()) {
                        throw new IllegalArgumentException("parameter " + k + " of group " + g + " has " + size
                                + " values in the checkpoint but " + params[next].size() + " here");
                    }
                    steps[next] = in.readLong();
                    if (steps[next] < 0) {
                        throw new IllegalArgumentException("parameter " + k + " of group " + g + " has step " + steps[next]
                                + " in the checkpoint; it must be >= 0; nothing was restored");
                    }
                    initialized[next] = in.readBoolean();
                    int nb = in.readInt();
                    if (nb != opt.bufferNames().length) {
                        throw new IllegalArgumentException("the checkpoint has " + nb + " buffers per parameter, "
                                + opt.name() + " has " + opt.bufferNames().length);
                    }
                    buffers[next] = new float[nb][];
                    for (int b = 0; b < nb; b++) {
                        String buffer = in.readUTF();
                        if (in.readBoolean()) {
                            byte[] raw = new byte[size * 4];
                            in.readFully(raw);
                            float[] f = new float[size];
                            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
                            for (int i = 0; i < f.length; i++) {
                                if (!Float.isFinite(f[i])) { // every later step would be skipped: nothing to train from
                                    throw new IllegalArgumentException("buffer " + buffer + " of parameter " + k + " of group " + g
                                            + " holds " + f[i] + " at " + i + " in the checkpoint; nothing was restored");
                                }
                            }
                            buffers[next][b] = f;
                        }
                    }
                }
            }
            // Everything was read and checked: commit.
            ParamState[] states = opt.states();
            for (int g = 0; g < groups; g++) {
                System.arraycopy(values[g], 0, opt.group(g).values, 0, values[g].length);
                opt.group(g).initialLr = initial[g];
            }
            for (int i = 0; i < params.length; i++) {
                states[i].step = steps[i];
                states[i].initialized = initialized[i];
                System.arraycopy(buffers[i], 0, states[i].buffers, 0, buffers[i].length);
            }
        } catch (EOFException e) {
            throw new IllegalArgumentException("optimizer checkpoint is truncated; nothing was restored");
        }
    }
}
