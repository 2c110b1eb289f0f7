package io.github.lr4j.optim;

import static io.github.lr4j.optim.Options.Kind.FLAG;
import static io.github.lr4j.optim.Options.Kind.NON_NEGATIVE;
import static io.github.lr4j.optim.Options.Kind.PROBABILITY;

import java.util.Map;

/**
 * PyTorch's RMSprop: {@code lr=1e-2}, {@code alpha=0.99}, {@code eps=1e-8}, {@code weight_decay=0},
 * {@code momentum=0}, {@code centered=False}, {@code maximize=False}.
 * <pre>s = α·s + (1-α)·d²;  avg = sqrt(s - (centered ? ḡ² : 0)) + eps  (ḡ = α·ḡ + (1-α)·d)
 * momentum > 0 ? (buf = momentum·buf + d/avg; p -= lr·buf) : p -= lr·d/avg</pre>
 */
final class RMSprop extends Optimizer {
    static final Options OPTIONS = Options.of("RMSprop", "lr", 1e-2, NON_NEGATIVE, "alpha", 0.99, PROBABILITY,
            "eps", 1e-8, NON_NEGATIVE, "weight_decay", 0.0, NON_NEGATIVE, "momentum", 0.0, NON_NEGATIVE, "centered", 0, FLAG,
            "maximize", 0, FLAG);

    RMSprop(Map<String, ?> defaults) {
        super(OPTIONS, defaults);
    }

    @Override
    public String name() {
        return "RMSprop";
    }

    @Override
    String[] bufferNames() {
        return new String[] {"square_avg", "momentum_buffer", "grad_avg"};
    }

    @Override
    String momentumOption() {
        return "momentum";
    }

    @Override
    void prepare(ParamGroup g, Parameter p, ParamState s) {
        if (!s.initialized) {
            s.initialized = true;
            s.buffers[0] = new float[p.size()];
        }
        // PyTorch creates these at the first step when the option is on; lr4j also when it is turned on later.
        if (g.get("momentum") > 0 && s.buffers[1] == null) {
            s.buffers[1] = new float[p.size()];
        }
        if (g.flag("centered") && s.buffers[2] == null) {
            s.buffers[2] = new float[p.size()];
        }
        s.step++;
    }

    @Override
    void update(ParamGroup g, Parameter p, ParamState s, int from, int to) {
        float sign = g.flag("maximize") ? -1f : 1f;
        float wd = (float) g.get("weight_decay");
        double alpha = g.get("alpha");
        float eps = (float) g.get("eps");
        float negLr = (float) -g.get("lr");
        double momentum = g.get("momentum");
        boolean centered = g.flag("centered");
        if (momentum <= 0 && !centered) {
            Kernels.rmsprop(p.data(), p.grad(), s.buffers[0], from, to, sign, wd, (float) alpha, (float) (1 - alpha), eps, negLr);
        } else {
            Kernels.rmspropGeneral(p.data(), p.grad(), s.buffers[0], centered ? s.buffers[2] : null,
                    momentum > 0 ? s.buffers[1] : null, from, to, sign, wd, (float) alpha, (float) (1 - alpha), eps,
                    (float) momentum, negLr);
        }
    }
}
