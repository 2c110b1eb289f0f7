package io.github.lr4j.groups;

/** Which hyper-parameter a scheduler cycles as "momentum" (PyTorch's OneCycleLR and CyclicLR). */
public enum MomentumKind {
    /** The optimizer has no momentum (Adagrad): momentum cycling is an error. */
    NONE,
    /** SGD and RMSprop: the group's {@code momentum}. */
    MOMENTUM,
    /** Adam and AdamW: the group's {@code betas[0]}. */
    BETA1
}
