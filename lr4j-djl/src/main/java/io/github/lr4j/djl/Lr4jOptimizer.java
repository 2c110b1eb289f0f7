package io.github.lr4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.ModeAware;
import io.github.lr4j.optim.OptimizerMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL optimizers that read their lr and momentum (SGD) or beta1 (Adam, AdamW) from lr4j param groups
 * at every update, so any lr4j schedule, momentum and beta1 cycling included, drives DJL training.
 * The update rules are PyTorch's ({@code torch.optim.SGD}, {@code Adam}, {@code AdamW}) and the
 * schedule-free reference's ({@code SGDScheduleFree}, {@code AdamWScheduleFree}; see
 * {@link #scheduleFree}). {@link #recorder(UpdateRecorder)} sees the values actually used by each update.
 * As {@link ModeAware}, {@link #train()} and {@link #eval()} are no-ops except for the schedule-free ones.
 */
public abstract class Lr4jOptimizer extends Optimizer implements ModeAware, HyperParameters {
    /** Called with the lr and momentum an update used (for logs and tests). */
    @FunctionalInterface
    public interface UpdateRecorder {
        void updated(String parameterName, int group, long update, double lr, double momentum);
    }

    final DjlParamGroups groups;
    private UpdateRecorder recorder;
    final Map<String, Long> steps = new ConcurrentHashMap<>();
    private final String owner;
    /** Per group: weight_decay, and beta2/eps where the optimizer has them; a HyperParameterSchedule may drive them. */
    private final Map<String, double[]> hyper = new LinkedHashMap<>();
    /** momentum (SGD) or beta1 (Adam) when a schedule may drive the groups' momentum, else null. */
    private final String momentumName;

    Lr4jOptimizer(String owner, DjlParamGroups groups, float weightDecay, String momentumName) {
        super(Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0f)).optWeightDecays(weightDecay));
        this.owner = owner;
        this.groups = groups;
        this.momentumName = momentumName;
        perGroup("weight_decay", weightDecay);
    }

    /** Adds hyper-parameter {@code name}, {@code value} in every group. */
    final void perGroup(String name, float value) {
        double[] v = new double[groups.size()];
        java.util.Arrays.fill(v, value);
        hyper.put(name, v);
    }

    /** Group {@code g}'s value of {@code name} (weight_decay, beta2, eps). */
    final double hyper(String name, int g) {
        return hyper.get(name)[g];
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public ParamGroups groups() {
        return groups;
    }

    @Override
    public List<String> schedulable() {
        List<String> out = new ArrayList<>(hyper.keySet());
        if (momentumName != null) {
            out.add(momentumName);
        }
        return out;
    }

    @Override
    public double get(int group, String name) {
        requireSchedulable(name);
        return name.equals(momentumName) ? groups.momentum(group) : hyper.get(name)[group];
    }

    @Override
    public void check(String name, double value) {
        requireSchedulable(name);
        boolean ok;
        String range;
        if (name.equals("beta2") || name.equals("beta1")) {
            ok = value >= 0 && value < 1;
            range = "in [0, 1)";
        } else if (name.equals("momentum")) {
            ok = value >= 0 && value <= 1;
            range = "in [0, 1]";
        } else {
            ok = value >= 0 && Double.isFinite(value);
            range = "a finite number >= 0";
        }
        if (!ok) {
            throw new IllegalArgumentException(name + " must be " + range + ", got " + value);
        }
    }

    @Override
    public void set(int group, String name, double value) {
        check(name, value);
        if (name.equals(momentumName)) {
            groups.setMomentum(group, value);
        } else {
            hyper.get(name)[group] = value;
        }
    }

    /** PyTorch's SGD: momentum (with the first buffer = the gradient), optional Nesterov, L2 weight decay. */
    public static Lr4jOptimizer sgd(DjlParamGroups groups, float weightDecay, boolean nesterov) {
        if (groups.momentumKind() == MomentumKind.BETA1) {
            throw new IllegalArgumentException("SGD needs groups with MomentumKind.MOMENTUM (or NONE), got BETA1");
        }
        return new Sgd(groups, weightDecay, nesterov);
    }

    /** PyTorch's Adam ({@code decoupled=false}) or AdamW ({@code decoupled=true}); beta1 comes from the groups. */
    public static Lr4jOptimizer adam(DjlParamGroups groups, float beta2, float eps, float weightDecay, boolean decoupled) {
        if (groups.momentumKind() != MomentumKind.BETA1) {
            throw new IllegalArgumentException("Adam needs groups with MomentumKind.BETA1, got " + groups.momentumKind());
        }
        return new Adam(groups, beta2, eps, weightDecay, decoupled);
    }

    /**
     * The schedule-free reference's {@code SGDScheduleFree} ({@code adaptive=false}, momentum from the groups)
     * or {@code AdamWScheduleFree} ({@code adaptive=true}, beta1 from the groups, no inner momentum), in the
     * engine's float32 operations. The model's parameters hold y while training; call {@link #eval()} before
     * evaluating or saving them (x) and {@link #train()} before the next update ({@link Lr4jTraining#fit} does).
     */
    public static Lr4jOptimizer scheduleFree(DjlParamGroups groups, boolean adaptive, float beta2, float eps, float weightDecay,
                                             int warmupSteps, double r, double weightLrPower) {
        MomentumKind wanted = adaptive ? MomentumKind.BETA1 : MomentumKind.MOMENTUM;
        if (groups.momentumKind() != wanted) {
            throw new IllegalArgumentException((adaptive ? "AdamWScheduleFree" : "SGDScheduleFree") + " needs groups with"
                    + " MomentumKind." + wanted + ", got " + groups.momentumKind());
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmup_steps must be a whole number >= 0, got " + warmupSteps);
        }
        return new ScheduleFree(groups, adaptive, beta2, eps, weightDecay, warmupSteps, r, weightLrPower);
    }

    public Lr4jOptimizer recorder(UpdateRecorder recorder) {
        this.recorder = recorder;
        return this;
    }

    @Override
    public void train() {
    }

    @Override
    public void eval() {
    }

    @Override
    public OptimizerMode mode() {
        return OptimizerMode.TRAIN;
    }

    /** Sets the mode a saved state was written in, without touching the parameters (they were saved in it too). */
    void restoreMode(OptimizerMode mode) {
        if (mode != OptimizerMode.TRAIN) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no " + mode + " mode to restore");
        }
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
        if (mode() != OptimizerMode.TRAIN) {
            throw new IllegalStateException(getClass().getSimpleName() + " is in eval mode (the parameters hold x): call"
                    + " train() before the next update");
        }
        int g = groups.groupOfId(parameterId);
        double lr = groups.lr(g);
        double m = groups.momentum(g);
        long step = steps.merge(parameterId, 1L, Long::sum);
        NDArray d = grad.mul(rescaleGrad);
        if (clipGrad > 0) {
            NDArray clipped = d.clip(-clipGrad, clipGrad);
            d.close();
            d = clipped;
        }
        apply(g, parameterId, weight, d, lr, m, step);
        d.close();
        // DJL's PyTorch engine leaves the parameter's gradient in place (its own optimizers' native
        // updates clear it, and the grad passed here may be a copy): clear it, or the next backward adds to it.
        NDArray own = weight.getGradient();
        own.subi(own);
        if (recorder != null) {
            recorder.updated(groups.nameOfId(parameterId), g, step - 1, lr, m);
        }
    }

    abstract void apply(int g, String parameterId, NDArray weight, NDArray grad, double lr, double momentum, long step);

    /** Called after {@link #loadState} replaced the buffers, with the model's parameters. */
    void restored(java.util.Collection<Parameter> parameters) {
    }

    /** The per-parameter buffers, by name (PyTorch's state keys). */
    abstract Map<String, Map<String, Map<Device, NDArray>>> buffers();

    /** The shape a saved buffer must have: the parameter's, unless the buffer holds per-tensor scalars. */
    Shape bufferShape(String tag, Shape weight) {
        return weight;
    }

    private static final byte[] MAGIC = "LR4JDJLO".getBytes(StandardCharsets.US_ASCII);

    /**
     * Writes the optimizer's state: every parameter's update count and buffers (momentum, or Adam's
     * moments), by DJL parameter name, arrays in DJL's own encoding, and the mode. Format version 2:
     * {@code "LR4JDJLO", version byte, optimizer class (UTF), parameter count, then per parameter: name
     * (UTF), updates (long), buffer count, per buffer: name (UTF), encoded length (int), bytes; then the
     * mode (boolean, true for train)}. Version 1 (no mode: train) is still read.
     */
    public void saveState(OutputStream sink) throws IOException {
        DataOutputStream out = new DataOutputStream(sink);
        out.write(MAGIC);
        out.writeByte(2);
        out.writeUTF(getClass().getSimpleName());
        out.writeInt(steps.size());
        // By parameter name, so that equal states write equal bytes.
        List<Map.Entry<String, Long>> ordered = new java.util.ArrayList<>(steps.entrySet());
        ordered.sort(java.util.Comparator.comparing(e -> groups.nameOfId(e.getKey())));
        for (Map.Entry<String, Long> e : ordered) {
            String id = e.getKey();
            out.writeUTF(groups.nameOfId(id));
            out.writeLong(e.getValue());
            Map<String, NDArray> own = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, Map<Device, NDArray>>> b : buffers().entrySet()) {
                Map<Device, NDArray> perDevice = b.getValue().get(id);
                if (perDevice != null && !perDevice.isEmpty()) {
                    own.put(b.getKey(), perDevice.values().iterator().next());
                }
            }
            out.writeInt(own.size());
            for (Map.Entry<String, NDArray> b : own.entrySet()) {
                byte[] bytes = b.getValue().encode();
                out.writeUTF(b.getKey());
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
        out.writeBoolean(mode() == OptimizerMode.TRAIN);
        out.flush();
    }

    /**
     * Restores {@link #saveState} into this optimizer for the parameters of {@code block} (matched by
     * name; call after {@code trainer.initialize} and {@code groups.bind}). Checked first; on any
     * error nothing changes.
     */
    public void loadState(InputStream source, Block block) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(source.readAllBytes()));
        Map<String, Parameter> byName = new HashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            byName.put(p.getKey(), p.getValue());
        }
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not an lr4j DJL optimizer state");
            }
            int version = in.readByte();
            if (version != 1 && version != 2) {
                throw new IllegalArgumentException("Unknown version " + version + " of the DJL optimizer state, this lr4j"
                        + " supports versions 1 and 2");
            }
            String kind = in.readUTF();
            if (!kind.equals(getClass().getSimpleName())) {
                throw new IllegalArgumentException("cannot restore a " + getClass().getSimpleName() + " from the state of a " + kind);
            }
            int n = in.readInt();
            if (n < 0 || n > byName.size()) {
                throw new IllegalArgumentException("the DJL optimizer state holds " + n + " parameters, the model has "
                        + byName.size());
            }
            Map<String, Long> newSteps = new HashMap<>();
            List<Object[]> newBuffers = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                Parameter p = byName.get(name);
                if (p == null) {
                    throw new IllegalArgumentException("the state has parameter " + name + " which this model does not have");
                }
                long updates = in.readLong();
                if (updates < 0) {
                    throw new IllegalArgumentException("the state has " + updates + " updates for parameter " + name
                            + "; it must be >= 0");
                }
                newSteps.put(p.getId(), updates);
                int buffers = in.readInt();
                if (buffers < 0 || buffers > buffers().size()) {
                    throw new IllegalArgumentException("the state has " + buffers + " buffers for parameter " + name + ", "
                            + getClass().getSimpleName() + " has " + buffers().size());
                }
                for (int b = 0; b < buffers; b++) {
                    String tag = in.readUTF();
                    if (!buffers().containsKey(tag)) {
                        throw new IllegalArgumentException(getClass().getSimpleName() + " has no buffer " + tag);
                    }
                    int length = in.readInt();
                    if (length < 0 || length > in.available()) {
                        throw new IllegalArgumentException("the state says buffer " + tag + " of " + name + " takes " + length
                                + " bytes, but " + in.available() + " are left");
                    }
                    byte[] bytes = new byte[length];
                    in.readFully(bytes);
                    newBuffers.add(new Object[] {tag, p, bytes});
                }
            }
            OptimizerMode mode = version == 1 || in.readBoolean() ? OptimizerMode.TRAIN : OptimizerMode.EVAL;
            if (mode != OptimizerMode.TRAIN && !(this instanceof ScheduleFree)) {
                throw new IllegalArgumentException("the state was saved in eval mode, which " + getClass().getSimpleName()
                        + " does not have");
            }
            // Decode everything before changing anything: a buffer DJL cannot decode leaves the old state in place.
            List<NDArray> decoded = new java.util.ArrayList<>();
            for (Object[] b : newBuffers) {
                Parameter p = (Parameter) b[1];
                NDArray weight = p.getArray();
                NDArray array;
                try {
                    array = NDArray.decode(weight.getManager(), (byte[]) b[2]);
                } catch (RuntimeException e) {
                    decoded.forEach(NDArray::close);
                    throw new IllegalArgumentException("buffer " + b[0] + " of parameter " + p.getName()
                            + " in the DJL optimizer state cannot be decoded");
                }
                Shape expected = bufferShape((String) b[0], weight.getShape());
                if (!array.getShape().equals(expected)) {
                    decoded.forEach(NDArray::close);
                    array.close();
                    throw new IllegalArgumentException("buffer " + b[0] + " of parameter " + p.getName() + " has shape "
                            + array.getShape() + " in the DJL optimizer state, it must have " + expected);
                }
                decoded.add(array);
            }
            steps.clear();
            steps.putAll(newSteps);
            buffers().values().forEach(Map::clear);
            for (int i = 0; i < newBuffers.size(); i++) {
                Parameter p = (Parameter) newBuffers.get(i)[1];
                buffers().get((String) newBuffers.get(i)[0]).computeIfAbsent(p.getId(), k -> new ConcurrentHashMap<>())
                        .put(p.getArray().getDevice(), decoded.get(i));
            }
            restored(byName.values());
            restoreMode(mode);
        } catch (EOFException e) {
            throw new IllegalArgumentException("the DJL optimizer state is truncated");
        }
    }

    /** PyTorch's SGD. */
    static final class Sgd extends Lr4jOptimizer {
        private final boolean nesterov;
        private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();

        Sgd(DjlParamGroups groups, float weightDecay, boolean nesterov) {
            super("SGD", groups, weightDecay, groups.momentumKind() == MomentumKind.MOMENTUM ? "momentum" : null);
            this.nesterov = nesterov;
        }

        @Override
        Map<String, Map<String, Map<Device, NDArray>>> buffers() {
            return Map.of("momentum_buffer", buffers);
        }

        @Override
        void apply(int g, String id, NDArray weight, NDArray grad, double lr, double momentum, long step) {
            NDArray d = withL2(weight, grad, (float) hyper("weight_decay", g));
            if (groups.momentumKind() == MomentumKind.MOMENTUM && momentum != 0) {
                Map<Device, NDArray> perDevice = buffers.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
                NDArray buf = perDevice.get(weight.getDevice());
                if (buf == null) {
                    buf = d.duplicate();
                    perDevice.put(weight.getDevice(), buf);
                } else {
                    buf.muli((float) momentum).addi(d);
                }
                if (nesterov) {
                    NDArray t = buf.mul((float) momentum);
                    d.addi(t);
                    t.close();
                } else {
                    d.close();
                    d = buf.duplicate();
                }
            }
            weight.subi(d.muli((float) lr));
            d.close();
        }
    }

    /** PyTorch's Adam / AdamW. */
    static final class Adam extends Lr4jOptimizer {
        private final boolean decoupled;
        private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
        private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

        Adam(DjlParamGroups groups, float beta2, float eps, float weightDecay, boolean decoupled) {
            super(decoupled ? "AdamW" : "Adam", groups, weightDecay, "beta1");
            perGroup("beta2", beta2);
            perGroup("eps", eps);
            this.decoupled = decoupled;
        }

        @Override
        Map<String, Map<String, Map<Device, NDArray>>> buffers() {
            Map<String, Map<String, Map<Device, NDArray>>> out = new LinkedHashMap<>();
            out.put("exp_avg", means);
            out.put("exp_avg_sq", variances);
            return out;
        }

        @Override
        void apply(int g, String id, NDArray weight, NDArray grad, double lr, double beta1, long step) {
            double weightDecay = hyper("weight_decay", g);
            float beta2 = (float) hyper("beta2", g);
            float eps = (float) hyper("eps", g);
            NDArray d;
            if (decoupled) {
                weight.muli((float) (1 - lr * weightDecay));
                d = grad.duplicate();
            } else {
                d = withL2(weight, grad, (float) weightDecay);
            }
            NDArray m = means.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(weight.getDevice(),
                    k -> weight.zerosLike());
            NDArray v = variances.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(weight.getDevice(),
                    k -> weight.zerosLike());
            NDArray t1 = d.mul((float) (1 - beta1));
            m.muli((float) beta1).addi(t1);
            t1.close();
            NDArray t2 = d.square();
            t2.muli(1 - beta2);
            v.muli(beta2).addi(t2);
            t2.close();
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2 = 1 - Math.pow(beta2, step);
            NDArray denom = v.sqrt();
            denom.divi((float) Math.sqrt(bc2)).addi(eps);
            NDArray t3 = m.div(denom);
            weight.subi(t3.muli((float) (lr / bc1)));
            t3.close();
            denom.close();
            d.close();
        }
    }

    /** {@code grad + wd * weight} as a new array (a copy of grad when wd is 0). */
    static NDArray withL2(NDArray weight, NDArray grad, float wd) {
        if (wd == 0) {
            return grad.duplicate();
        }
        NDArray wx = weight.mul(wd);
        NDArray d = grad.add(wx);
        wx.close();
        return d;
    }

    /**
     * Schedule-free SGD or AdamW (facebookresearch/schedule_free 1.4.1): z per parameter (and v for AdamW);
     * the parameter holds y in train mode and x in eval mode. The averaging scalars (lr_max, weight_sum)
     * are kept per parameter, which equals the reference's per-group ones because every parameter of a
     * group is updated at every step with the group's lr.
     */
    static final class ScheduleFree extends Lr4jOptimizer {
        private final boolean adaptive;
        private final int warmupSteps;
        private final double r;
        private final double weightLrPower;
        private final Map<String, Map<Device, NDArray>> z = new ConcurrentHashMap<>();
        private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();
        /** Per parameter: a float64 array {lr_max, weight_sum}. */
        private final Map<String, Map<Device, NDArray>> averaging = new ConcurrentHashMap<>();

        /** lr_max and weight_sum: two scalars per tensor. */
        @Override
        Shape bufferShape(String tag, Shape weight) {
            return tag.equals("lr_max_weight_sum") ? new Shape(2) : weight;
        }
        /** The parameters' arrays by id, for the mode switches. */
        private final Map<String, NDArray> weights = new ConcurrentHashMap<>();
        private volatile OptimizerMode mode = OptimizerMode.TRAIN;

        ScheduleFree(DjlParamGroups groups, boolean adaptive, float beta2, float eps, float weightDecay, int warmupSteps,
                     double r, double weightLrPower) {
            super(adaptive ? "AdamWScheduleFree" : "SGDScheduleFree", groups, weightDecay, null);
            if (adaptive) {
                perGroup("beta2", beta2);
                perGroup("eps", eps);
            }
            this.adaptive = adaptive;
            this.warmupSteps = warmupSteps;
            this.r = r;
            this.weightLrPower = weightLrPower;
        }

        @Override
        Map<String, Map<String, Map<Device, NDArray>>> buffers() {
            Map<String, Map<String, Map<Device, NDArray>>> out = new LinkedHashMap<>();
            out.put("z", z);
            out.put("exp_avg_sq", variances);
            out.put("lr_max_weight_sum", averaging);
            return out;
        }

        @Override
        public OptimizerMode mode() {
            return mode;
        }

        @Override
        void restoreMode(OptimizerMode restored) {
            mode = restored;
        }

        @Override
        void restored(java.util.Collection<Parameter> parameters) {
            weights.clear();
            for (Parameter p : parameters) {
                weights.put(p.getId(), p.getArray());
            }
        }

        @Override
        public void eval() {
            switchTo(OptimizerMode.EVAL);
        }

        @Override
        public void train() {
            switchTo(OptimizerMode.TRAIN);
        }

        /** The reference's switch: p = lerp(p, z, 1 - 1/β) to eval, lerp(p, z, 1 - β) back. */
        private synchronized void switchTo(OptimizerMode target) {
            if (mode == target) {
                return;
            }
            for (Map.Entry<String, Map<Device, NDArray>> e : z.entrySet()) {
                NDArray weight = weights.get(e.getKey());
                NDArray zz = weight == null ? null : e.getValue().get(weight.getDevice());
                if (zz != null) {
                    double beta = groups.momentum(groups.groupOfId(e.getKey()));
                    lerp(weight, zz, target == OptimizerMode.EVAL ? 1 - 1 / beta : 1 - beta);
                }
            }
            mode = target;
        }

        /** torch's {@code p.lerp_(q, w)} for a scalar weight: {@code w < 0.5 ? p + w(q - p) : q - (q - p)(1 - w)}. */
        private static void lerp(NDArray p, NDArray q, double weight) {
            float w = (float) weight;
            NDArray diff = q.sub(p);
            if (w < 0.5f) {
                p.addi(diff.muli(w));
            } else {
                NDArray target = q.sub(diff.muli(1f - w));
                p.subi(p).addi(target);
                target.close();
            }
            diff.close();
        }

        @Override
        void apply(int g, String id, NDArray weight, NDArray grad, double lr, double beta, long step) {
            weights.put(id, weight);
            Device device = weight.getDevice();
            double t = step;
            double gamma = lr * (step - 1 < warmupSteps ? t / warmupSteps : 1.0);
            Map<Device, NDArray> perDevice = averaging.computeIfAbsent(id, k -> new ConcurrentHashMap<>());
            NDArray previous = perDevice.get(device);
            double[] scalars = previous == null ? new double[] {-1.0, 0.0} : previous.toDoubleArray();
            double lrMax = Math.max(gamma, scalars[0]);
            double weightOfStep = Math.pow(t, r) * Math.pow(lrMax, weightLrPower);
            double weightSum = scalars[1] + weightOfStep;
            double c = weightSum == 0 ? 0 : weightOfStep / weightSum;
            perDevice.put(device, weight.getManager().create(new double[] {lrMax, weightSum}));
            if (previous != null) {
                previous.close();
            }
            NDArray zz = z.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(device, k -> weight.duplicate());
            NDArray d;
            if (adaptive) {
                float beta2 = (float) hyper("beta2", g);
                float eps = (float) hyper("eps", g);
                NDArray v = variances.computeIfAbsent(id, k -> new ConcurrentHashMap<>()).computeIfAbsent(device,
                        k -> weight.zerosLike());
                NDArray g2 = grad.mul(1 - beta2).muli(grad);
                v.muli(beta2).addi(g2);
                g2.close();
                NDArray corrected = v.div((float) (1 - Math.pow(beta2, t)));
                NDArray den = corrected.sqrt().addi(eps);
                corrected.close();
                d = grad.div(den);
                den.close();
            } else {
                d = grad.duplicate();
            }
            float weightDecay = (float) hyper("weight_decay", g);
            if (weightDecay != 0) {
                NDArray wy = weight.mul(weightDecay);
                d.addi(wy);
                wy.close();
            }
            lerp(weight, zz, c);
            NDArray ya = d.mul((float) (gamma * (beta * (1 - c) - 1)));
            weight.addi(ya);
            ya.close();
            NDArray za = d.muli((float) gamma);
            zz.subi(za);
            d.close();
        }
    }
}
