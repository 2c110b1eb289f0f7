package io.github.lr4j.optim;

import static io.github.lr4j.optim.Options.Kind.FLAG;
import static io.github.lr4j.optim.Options.Kind.NON_NEGATIVE;

import java.util.Arrays;
import java.util.Map;

/**
 * PyTorch's Adagrad: {@code lr=1e-2}, {@code lr_decay=0}, {@code weight_decay=0},
 * {@code initial_accumulator_value=0}, {@code eps=1e-10}, {@code maximize=False}.
 * <pre>clr = lr / (1 + (t - 1)·lr_decay);  sum += d²;  p -= clr·d / (sqrt(sum) + eps)</pre>
 * As in PyTorch, every accumulator starts at the optimizer's {@code initial_accumulator_value}
 * (a value given to one group is ignored).
 */
final class Adagrad extends Optimizer {
    static final Options OPTIONS = Options.of("Adagrad", "lr", 1e-2, NON_NEGATIVE, "lr_decay", 0.0, NON_NEGATIVE,
            "weight_decay", 0.0, NON_NEGATIVE, "initial_accumulator_value", 0.0, NON_NEGATIVE, "eps", 1e-10, NON_NEGATIVE,
            "maximize", 0, FLAG);

    Adagrad(Map<String, ?> defaults) {
        super(OPTIONS, defaults);
    }

    @Override
    public String name() {
        return "Adagrad";
    }

    @Override
    String[] bufferNames() {
        return new String[] {"sum"};
    }

    @Override
    String momentumOption() {
        return null;
    }

    @Override
    public ParamGroup addParamGroup(java.util.List<Parameter> params, Map<String, ?> overrides) {
        ParamGroup g = super.addParamGroup(params, overrides);
        // PyTorch fills the accumulator when the optimizer is built, with the constructor's
        // initial_accumulator_value: a group's own value is ignored there, and here too.
        ParamState[] states = states();
        Parameter[] all = params();
        for (int i = all.length - params.size(); i < all.length; i++) {
            states[i].initialized = true;
            states[i].buffers[0] = new float[all[i].size()];
            Arrays.fill(states[i].buffers[0], (float) defaultValue("initial_accumulator_value"));
        }
        return g;
    }

    @Override
    void prepare(ParamGroup g, Parameter p, ParamState s) {
        s.step++;
        double step = s.step;
        s.negStepSize = (float) -(g.get("lr") / (1 + (step - 1) * g.get("lr_decay")));
    }

    @Override
    void update(ParamGroup g, Parameter p, ParamState s, int from, int to) {
        float sign = g.flag("maximize") ? -1f : 1f;
        Kernels.adagrad(p.data(), p.grad(), s.buffers[0], from, to, sign, (float) g.get("weight_decay"),
                (float) g.get("eps"), s.negStepSize);
    }
}
