package io.github.lr4j.groups;

/**
 * The small interface through which schedulers drive an optimizer: each param group's learning
 * rate, its initial learning rate and, where the optimizer has one, its momentum (SGD, RMSprop) or
 * beta1 (Adam, AdamW).
 *
 * <p>lr4j's own optimizers, the DJL adapter or a user's training loop implement it; {@link #of}
 * gives plain groups with no optimizer behind them, for previews, plots and tables.
 */
public interface ParamGroups {

    /** Number of param groups (at least 1). */
    int size();

    /** The group's current learning rate. */
    double lr(int group);

    void setLr(int group, double lr);

    /**
     * PyTorch's {@code initial_lr}: the lr a schedule starts from, or {@code NaN} while no scheduler
     * has been attached. The first scheduler attached records the group's lr here; later ones keep it.
     */
    double initialLr(int group);

    void setInitialLr(int group, double lr);

    /** What {@link #momentum} means for this optimizer. */
    MomentumKind momentumKind();

    /** The group's momentum or beta1; {@code NaN} when {@link #momentumKind()} is NONE. */
    double momentum(int group);

    /** Sets the group's momentum (or beta1). */
    void setMomentum(int group, double momentum);

    /**
     * timm's per-group {@code lr_scale}: timm's schedulers write {@code value * lr_scale} into the
     * group (layer-wise lr decay). 1 unless the groups say otherwise; PyTorch's schedulers ignore it.
     */
    default double lrScale(int group) {
        return 1.0;
    }

    /** Groups with these learning rates and no momentum. */
    static ParamGroups of(double... lrs) {
        return new SimpleParamGroups(lrs, null, MomentumKind.NONE);
    }

    /** Groups with these learning rates and momentum (or beta1) values. */
    static ParamGroups withMomentum(MomentumKind kind, double[] lrs, double[] momentum) {
        return new SimpleParamGroups(lrs, momentum, kind);
    }
}
