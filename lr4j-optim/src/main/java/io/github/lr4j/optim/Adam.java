package io.github.lr4j.optim;

import static io.github.lr4j.optim.Options.Kind.FLAG;
import static io.github.lr4j.optim.Options.Kind.NON_NEGATIVE;
import static io.github.lr4j.optim.Options.Kind.OPEN_PROBABILITY;

import java.util.Map;

/**
 * PyTorch's Adam ({@code decoupled=false}: L2 weight decay added to the gradient) and AdamW
 * ({@code decoupled=true}: {@code p *= 1 - lr·wd} first). Options: {@code lr=1e-3},
 * {@code betas=(0.9, 0.999)} (as {@code beta1}, {@code beta2}), {@code eps=1e-8},
 * {@code weight_decay} (0 for Adam, 0.01 for AdamW), {@code amsgrad=False}, {@code maximize=False}.
 * <pre>m = β1·m + (1-β1)·d;  v = β2·v + (1-β2)·d²;  v̂ = amsgrad ? max(v̂, v) : v
 * p += -(lr / (1 - β1^t)) · m / (sqrt(v̂) / sqrt(1 - β2^t) + eps)</pre>
 */
final class Adam extends Optimizer {
    static final Options ADAM = options("Adam", 0.0);
    static final Options ADAMW = options("AdamW", 1e-2);

    private final boolean decoupled;

    private static Options options(String name, double weightDecay) {
        return Options.of(name, "lr", 1e-3, NON_NEGATIVE, "beta1", 0.9, OPEN_PROBABILITY, "beta2", 0.999, OPEN_PROBABILITY,
                "eps", 1e-8, NON_NEGATIVE, "weight_decay", weightDecay, NON_NEGATIVE, "amsgrad", 0, FLAG, "maximize", 0, FLAG);
    }

    Adam(Map<String, ?> defaults, boolean decoupled) {
        super(decoupled ? ADAMW : ADAM, defaults);
        this.decoupled = decoupled;
    }

    @Override
    public String name() {
        return decoupled ? "AdamW" : "Adam";
    }

    @Override
    String[] bufferNames() {
        return new String[] {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
    }

    @Override
    String momentumOption() {
        return "beta1";
    }

    @Override
    void prepare(ParamGroup g, Parameter p, ParamState s) {
        if (!s.initialized) {
            s.initialized = true;
            s.buffers[0] = new float[p.size()];
            s.buffers[1] = new float[p.size()];
        }
        if (g.flag("amsgrad") && s.buffers[2] == null) {
            s.buffers[2] = new float[p.size()];
        }
        s.step++;
        double step = s.step;
        double biasCorrection1 = 1 - Math.pow(g.get("beta1"), step);
        double biasCorrection2 = 1 - Math.pow(g.get("beta2"), step);
        s.negStepSize = (float) -(g.get("lr") / biasCorrection1);
        s.bc2Sqrt = (float) Math.sqrt(biasCorrection2);
    }

    @Override
    void update(ParamGroup g, Parameter p, ParamState s, int from, int to) {
        float sign = g.flag("maximize") ? -1f : 1f;
        double lr = g.get("lr");
        double wd = g.get("weight_decay");
        float l2 = decoupled ? 0f : (float) wd;
        float decay = decoupled ? (float) (1 - lr * wd) : 1f;
        double beta1 = g.get("beta1");
        double beta2 = g.get("beta2");
        float eps = (float) g.get("eps");
        if (g.flag("amsgrad")) {
            Kernels.adamAmsgrad(p.data(), p.grad(), s.buffers[0], s.buffers[1], s.buffers[2], from, to, sign, l2, decay,
                    (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), s.bc2Sqrt, eps, s.negStepSize);
        } else {
            Kernels.adam(p.data(), p.grad(), s.buffers[0], s.buffers[1], from, to, sign, l2, decay,
                    (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), s.bc2Sqrt, eps, s.negStepSize);
        }
    }
}
