package io.github.lr4j.optim;

import static io.github.lr4j.optim.Options.Kind.FLAG;
import static io.github.lr4j.optim.Options.Kind.NON_NEGATIVE;
import static io.github.lr4j.optim.Options.Kind.PROBABILITY;
import static io.github.lr4j.optim.Options.Kind.REQUIRED_POSITIVE;

import java.util.Map;

/**
 * PyTorch's SGD: {@code lr} (required), {@code momentum=0}, {@code dampening=0},
 * {@code weight_decay=0}, {@code nesterov=False}, {@code maximize=False}.
 * <pre>d = ±g + wd·p;  buf = momentum·buf + (1 - dampening)·d  (buf = d at the first step)
 * d = nesterov ? d + momentum·buf : buf;  p -= lr·d</pre>
 */
final class SGD extends Optimizer {
    static final Options OPTIONS = Options.of("SGD", "lr", Double.NaN, REQUIRED_POSITIVE, "momentum", 0.0, NON_NEGATIVE,
            "dampening", 0.0, PROBABILITY, "weight_decay", 0.0, NON_NEGATIVE, "nesterov", 0, FLAG, "maximize", 0, FLAG);

    SGD(Map<String, ?> defaults) {
        super(OPTIONS, defaults);
    }

    @Override
    public ParamGroup addParamGroup(java.util.List<Parameter> params, Map<String, ?> overrides) {
        Map<String, Object> merged = new java.util.HashMap<>();
        for (String name : OPTIONS.names()) {
            merged.put(name, defaultValue(name));
        }
        merged.putAll(overrides);
        double momentum = ((Number) merged.get("momentum")).doubleValue();
        Object nesterov = merged.get("nesterov");
        boolean on = nesterov instanceof Boolean ? (Boolean) nesterov : ((Number) nesterov).doubleValue() != 0;
        if (on && (momentum <= 0 || ((Number) merged.get("dampening")).doubleValue() != 0)) {
            throw new IllegalArgumentException("nesterov must be False unless momentum > 0 and dampening = 0, got momentum="
                    + momentum + ", dampening=" + merged.get("dampening"));
        }
        return super.addParamGroup(params, overrides);
    }

    @Override
    public String name() {
        return "SGD";
    }

    @Override
    String[] bufferNames() {
        return new String[] {"momentum_buffer"};
    }

    @Override
    String momentumOption() {
        return "momentum";
    }

    @Override
    void prepare(ParamGroup g, Parameter p, ParamState s) {
        s.initialized = true;
        s.step++;
        boolean momentum = g.get("momentum") != 0;
        s.firstMomentumStep = momentum && s.buffers[0] == null;
        if (s.firstMomentumStep) {
            s.buffers[0] = new float[p.size()];
        }
    }

    @Override
    void update(ParamGroup g, Parameter p, ParamState s, int from, int to) {
        float sign = g.flag("maximize") ? -1f : 1f;
        float wd = (float) g.get("weight_decay");
        float negLr = (float) -g.get("lr");
        double momentum = g.get("momentum");
        if (momentum == 0) {
            Kernels.sgdPlain(p.data(), p.grad(), from, to, sign, wd, negLr);
        } else {
            Kernels.sgdMomentum(p.data(), p.grad(), s.buffers[0], from, to, sign, wd, (float) momentum,
                    (float) (1 - g.get("dampening")), g.flag("nesterov"), s.firstMomentumStep, negLr);
        }
    }
}
