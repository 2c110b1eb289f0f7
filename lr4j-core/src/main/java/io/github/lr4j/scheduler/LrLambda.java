package io.github.lr4j.scheduler;

import java.util.Map;

/**
 * A user function of the step for LambdaLR (a factor of the base lr) and MultiplicativeLR (a factor
 * of the current lr). A plain Java lambda has no state to save: a scheduler's state lists it under
 * {@code "not_saved"}, and you rebuild the scheduler with the same function before restoring.
 * Implement {@link #state()} and {@link #loadState(Map)} (PyTorch's "callable object") to have it
 * saved and restored with the scheduler.
 */
@FunctionalInterface
public interface LrLambda {

    /** The factor at step {@code epoch} (PyTorch calls it {@code epoch}; it is whatever you step). */
    double apply(long epoch);

    /** The function's own state, or null when it has none to save (the default). */
    default Map<String, Object> state() {
        return null;
    }

    /**
     * Checks, before anything is restored, that {@link #loadState} can take {@code state}: throws an
     * {@link IllegalArgumentException} saying why not (e.g. the state of another function). By default any state.
     */
    default void checkState(Map<String, Object> state) {
    }

    /** Restores what {@link #state()} returned (after {@link #checkState} accepted it: it must not fail). */
    default void loadState(Map<String, Object> state) {
    }
}
