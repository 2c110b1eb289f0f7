package io.github.lr4j.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.training.optimizer.Optimizer;
import io.github.lr4j.groups.MomentumKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DJL optimizers that read their lr and momentum (SGD) or beta1 (Adam, AdamW) from lr4j param groups
 * at every update, so any lr4j schedule, momentum and beta1 cycling included, drives DJL training.
 * The update rules are PyTorch's ({@code torch.optim.SGD}, {@code Adam}, {@code AdamW}).
 * {@link #recorder(UpdateRecorder)} sees the values actually used by each update.
 */
public abstract class Lr4jOptimizer extends Optimizer {
    /** Called with the lr and momentum an update used (for logs and tests). */
    @FunctionalInterface
    public interface UpdateRecorder {
        void updated(String parameterName, int group, long update, double lr, double momentum);
    }

    final DjlParamGroups groups;
    private UpdateRecorder recorder;
    final Map<String, Long> steps = new ConcurrentHashMap<>();

    Lr4jOptimizer(DjlParamGroups groups, float weightDecay) {
        super(Optimizer.sgd().setLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(0f)).optWeightDecays(weightDecay));
        this.groups = groups;
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

    public Lr4jOptimizer recorder(UpdateRecorder recorder) {
        this.recorder = recorder;
        return this;
    }

    @Override
    public final void update(String parameterId, NDArray weight, NDArray grad) {
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
        apply(parameterId, weight, d, lr, m, step);
        d.close();
        // DJL's PyTorch engine leaves the parameter's gradient in place (its own optimizers' native
        // updates clear it, and the grad passed here may be a copy): clear it, or the next backward adds to it.
        NDArray own = weight.getGradient();
        own.subi(own);
        if (recorder != null) {
            recorder.updated(groups.nameOfId(parameterId), g, step - 1, lr, m);
        }
    }

    abstract void apply(String parameterId, NDArray weight, NDArray grad, double lr, double momentum, long step);

    /** PyTorch's SGD. */
    static final class Sgd extends Lr4jOptimizer {
        private final boolean nesterov;
        private final Map<String, Map<Device, NDArray>> buffers = new ConcurrentHashMap<>();

        Sgd(DjlParamGroups groups, float weightDecay, boolean nesterov) {
            super(groups, weightDecay);
            this.nesterov = nesterov;
        }

        @Override
        void apply(String id, NDArray weight, NDArray grad, double lr, double momentum, long step) {
            NDArray d = withL2(weight, grad, getWeightDecay());
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
        private final float beta2;
        private final float eps;
        private final boolean decoupled;
        private final Map<String, Map<Device, NDArray>> means = new ConcurrentHashMap<>();
        private final Map<String, Map<Device, NDArray>> variances = new ConcurrentHashMap<>();

        Adam(DjlParamGroups groups, float beta2, float eps, float weightDecay, boolean decoupled) {
            super(groups, weightDecay);
            this.beta2 = beta2;
            this.eps = eps;
            this.decoupled = decoupled;
        }

        @Override
        void apply(String id, NDArray weight, NDArray grad, double lr, double beta1, long step) {
            NDArray d;
            if (decoupled) {
                weight.muli((float) (1 - lr * getWeightDecay()));
                d = grad.duplicate();
            } else {
                d = withL2(weight, grad, getWeightDecay());
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
}
