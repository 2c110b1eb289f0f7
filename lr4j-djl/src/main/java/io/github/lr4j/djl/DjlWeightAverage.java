package io.github.lr4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's {@code torch.optim.swa_utils.AveragedModel} for a DJL block: the equal-weight running mean of its
 * parameters, {@code avg + (p - avg) / (n_averaged + 1)} computed by the engine in float32 (the first update copies),
 * as lr4j-train's {@code WeightAverage} does for lr4j models. {@link Lr4jTrainingListener#swa} calls {@link #update()}
 * at each epoch end of the SWA phase; {@link #copyInto()} puts the average into the block for testing or saving.
 *
 * <p>Only the block's parameters are averaged. A block with batch normalization keeps running statistics that belong
 * to the trained weights; recompute them with the averaged weights (PyTorch's {@code update_bn}: one pass over the
 * training data in training mode) before evaluating, or the averaged model is evaluated with mismatched statistics.
 */
public final class DjlWeightAverage implements AutoCloseable {
    private static final byte[] MAGIC = "LR4JSWAA".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Block block;
    private final NDManager manager;
    private final Map<String, NDArray> average = new LinkedHashMap<>();
    private long count;

    /** An empty average ({@code n_averaged = 0}) of {@code block}'s parameters (initialize the block first). */
    public DjlWeightAverage(Block block) {
        this.block = block;
        this.manager = NDManager.newBaseManager();
    }

    private List<Pair<String, Parameter>> parameters() {
        List<Pair<String, Parameter>> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException("parameter " + p.getKey() + " is not initialized: initialize the block first");
            }
            out.add(p);
        }
        return out;
    }

    /** PyTorch's {@code update_parameters(model)}: folds the block's current parameters into the mean. */
    public void update() {
        List<Pair<String, Parameter>> ps = parameters();
        if (count > 0) {
            checkShapes(ps);
        }
        for (Pair<String, Parameter> p : ps) {
            NDArray weight = p.getValue().getArray();
            if (count == 0) {
                NDArray copy = weight.duplicate();
                copy.attach(manager);
                NDArray old = average.put(p.getKey(), copy);
                if (old != null) {
                    old.close();
                }
            } else {
                NDArray avg = average.get(p.getKey());
                try (NDArray diff = weight.sub(avg)) {
                    diff.divi(count + 1);
                    avg.addi(diff);
                }
            }
        }
        count++;
    }

    /** PyTorch's {@code n_averaged}. */
    public long count() {
        return count;
    }

    /** The averaged value of parameter {@code name} (a float copy). */
    public float[] weights(String name) {
        NDArray a = average.get(name);
        if (a == null) {
            throw new IllegalArgumentException("the average holds no parameter " + name + "; it holds " + average.keySet());
        }
        return a.toFloatArray();
    }

    /** Every averaged parameter in the block's order (float copies; null while {@code n_averaged = 0}). */
    public float[][] weights() {
        if (count == 0) {
            return null;
        }
        return parameters().stream().map(p -> weights(p.getKey())).toArray(float[][]::new);
    }

    /**
     * Replaces the whole state with a checked checkpoint's ({@code saved} in the block's order, null when
     * {@code savedCount} is 0), as lr4j-train's {@code WeightAverage.restore}: nothing changes if a shape differs.
     */
    public void restore(float[][] saved, long savedCount) {
        if (savedCount < 0 || (savedCount > 0) != (saved != null)) {
            throw new IllegalArgumentException("a weight average of n_averaged " + savedCount + " must " + (savedCount > 0
                    ? "hold" : "not hold") + " weights");
        }
        Map<String, NDArray> read = new LinkedHashMap<>();
        if (saved != null) {
            List<Pair<String, Parameter>> ps = parameters();
            if (saved.length != ps.size()) {
                throw new IllegalArgumentException("the weight average holds " + saved.length + " parameters, the block " + ps.size());
            }
            try {
                for (int i = 0; i < saved.length; i++) {
                    NDArray weight = ps.get(i).getValue().getArray();
                    if (saved[i].length != weight.size()) {
                        throw new IllegalArgumentException("the weight average's parameter " + ps.get(i).getKey() + " has "
                                + saved[i].length + " values, the block's " + weight.size());
                    }
                    NDArray a = manager.create(saved[i], weight.getShape());
                    if (!a.getDevice().equals(weight.getDevice())) {
                        NDArray moved = a.toDevice(weight.getDevice(), true);
                        moved.attach(manager);
                        a.close();
                        a = moved;
                    }
                    read.put(ps.get(i).getKey(), a);
                }
            } catch (RuntimeException e) {
                read.values().forEach(NDArray::close);
                throw e;
            }
        }
        commit(read, savedCount);
    }

    /** Writes the average into the block's parameters. */
    public void copyInto() {
        if (count == 0) {
            throw new IllegalStateException("the average holds no weights yet (n_averaged = 0)");
        }
        List<Pair<String, Parameter>> ps = parameters();
        checkShapes(ps);
        for (Pair<String, Parameter> p : ps) {
            NDArray weight = p.getValue().getArray();
            NDArray avg = average.get(p.getKey());
            boolean finite;
            try (NDArray inf = weight.isInfinite(); NDArray nan = weight.isNaN(); NDArray anyInf = inf.any(); NDArray anyNan = nan.any()) {
                finite = !anyInf.getBoolean() && !anyNan.getBoolean();
            }
            if (finite) {
                // weight * 0 + avg is avg exactly (up to the sign of a zero), in place: a copy into a tensor that
                // requires a gradient makes libtorch print a deprecation warning (AutoNonVariableTypeMode).
                weight.muli(0f).addi(avg);
            } else {
                avg.copyTo(weight);
            }
        }
    }

    private void checkShapes(List<Pair<String, Parameter>> ps) {
        if (ps.size() != average.size()) {
            throw new IllegalArgumentException("the block has " + ps.size() + " parameters, the average " + average.size());
        }
        for (Pair<String, Parameter> p : ps) {
            NDArray a = average.get(p.getKey());
            if (a == null || !a.getShape().equals(p.getValue().getArray().getShape())) {
                throw new IllegalArgumentException("parameter " + p.getKey() + " has shape " + p.getValue().getArray().getShape()
                        + ", the average " + (a == null ? "none" : a.getShape()));
            }
        }
    }

    /**
     * Writes {@code n_averaged} and every averaged parameter (by name, in DJL's array encoding):
     * {@code "LR4JSWAA", version byte, n_averaged (long), count (int), per parameter: name (UTF), length (int), bytes}.
     */
    public void save(OutputStream sink) throws IOException {
        DataOutputStream out = new DataOutputStream(sink);
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeLong(count);
        out.writeInt(average.size());
        for (Map.Entry<String, NDArray> e : average.entrySet()) {
            out.writeUTF(e.getKey());
            byte[] bytes = e.getValue().encode();
            out.writeInt(bytes.length);
            out.write(bytes);
        }
        out.flush();
    }

    /** Reads what {@link #save} wrote; checks names and shapes against the block before anything changes. */
    public void load(InputStream source) throws IOException {
        DataInputStream in = new DataInputStream(source);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not an lr4j-djl weight average");
            }
            int version = in.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("Unknown version " + version + " of the lr4j-djl weight average, this lr4j"
                        + " supports version " + VERSION);
            }
            long saved = in.readLong();
            int n = in.readInt();
            if (saved < 0 || n < 0 || saved == 0 && n != 0) {
                throw new IllegalArgumentException("the weight average is not valid: n_averaged " + saved + " with " + n
                        + " parameters");
            }
            Map<String, NDArray> read = new LinkedHashMap<>();
            try {
                for (int i = 0; i < n; i++) {
                    String name = in.readUTF();
                    int length = in.readInt();
                    if (length < 0 || length > 1 << 30) {
                        throw new IllegalArgumentException("the weight average is not valid: parameter " + name + " has "
                                + length + " bytes");
                    }
                    byte[] bytes = new byte[length];
                    in.readFully(bytes);
                    NDArray a = manager.decode(bytes);
                    read.put(name, a);
                }
                if (saved > 0) {
                    List<Pair<String, Parameter>> ps = parameters();
                    if (ps.size() != read.size()) {
                        throw new IllegalArgumentException("the weight average holds " + read.size() + " parameters, the block "
                                + ps.size());
                    }
                    for (Pair<String, Parameter> p : ps) {
                        NDArray a = read.get(p.getKey());
                        NDArray weight = p.getValue().getArray();
                        if (a == null || !a.getShape().equals(weight.getShape())) {
                            throw new IllegalArgumentException("the weight average's parameter " + p.getKey() + " has shape "
                                    + (a == null ? "none" : a.getShape()) + ", the block's " + weight.getShape());
                        }
                        if (!a.getDevice().equals(weight.getDevice())) { // decoded on the default device
                            NDArray moved = a.toDevice(weight.getDevice(), true);
                            moved.attach(manager);
                            a.close();
                            read.put(p.getKey(), moved);
                        }
                    }
                }
            } catch (RuntimeException e) {
                read.values().forEach(NDArray::close);
                throw e;
            }
            commit(read, saved);
        } catch (EOFException e) {
            throw new IllegalArgumentException("the weight average is truncated");
        }
    }

    @Override
    public void close() {
        manager.close();
    }

    /** The last step of a restore, once everything read was checked: the average becomes {@code read}. */
    private void commit(Map<String, NDArray> read, long savedCount) {
        average.values().forEach(NDArray::close);
        average.clear();
        average.putAll(read);
        count = savedCount;
    }
}
