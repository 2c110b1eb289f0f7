package io.github.lr4j.optim;

import java.util.List;

/**
 * One param group: its parameters and its hyper-parameters (PyTorch's names: {@code lr},
 * {@code momentum}, {@code betas} as {@code beta1}/{@code beta2}, {@code weight_decay}, ...).
 * Booleans ({@code nesterov}, {@code amsgrad}, {@code maximize}, {@code centered}) are 0 or 1.
 * Schedule-free optimizers also keep their running scalars in the group, as the reference does
 * ({@code k}, {@code lr_max}, {@code weight_sum}, {@code scheduled_lr}, {@code train_mode}): readable
 * with {@link #get}, saved with the optimizer, refused by {@link #set}.
 */
public final class ParamGroup {
    private final Options options;
    private final List<Parameter> params;
    final double[] values;
    double initialLr = Double.NaN;

    ParamGroup(Options options, List<Parameter> params, double[] values) {
        this.options = options;
        this.params = List.copyOf(params);
        this.values = values;
    }

    public List<Parameter> params() {
        return params;
    }

    /** The value of hyper-parameter {@code name}. */
    public double get(String name) {
        return values[options.index(name)];
    }

    public boolean flag(String name) {
        return get(name) != 0;
    }

    /** Changes hyper-parameter {@code name}, checked against its allowed range. */
    public void set(String name, double value) {
        int i = options.index(name);
        options.check(i, value);
        values[i] = value;
    }

    /** The names of the group's values (hyper-parameters, then any running scalars), in the optimizer's order. */
    public List<String> names() {
        return options.names();
    }
}
