package io.github.lr4j.optim;

/** What {@link Optimizer#step()} does when a gradient holds NaN or an infinity. */
public enum NonFiniteGradients {
    /** Throw an {@link IllegalArgumentException} naming the parameter; nothing is changed (the default). */
    FAIL,
    /** Skip the step: {@code step()} returns false and nothing is changed (like AMP's GradScaler). */
    SKIP,
    /** Do not look: saves one read of every gradient per step, for callers that check themselves. */
    UNCHECKED
}
