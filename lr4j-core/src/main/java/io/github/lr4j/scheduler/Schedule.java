package io.github.lr4j.scheduler;

/**
 * A schedule written by a user as a small class: a pure function of the step (and group) that
 * {@link Schedulers#custom} turns into a scheduler with everything the built-in ones have (state,
 * random access, use inside SequentialLR and ChainedScheduler).
 *
 * <pre>{@code
 * Schedule inverseSqrt = (step, group, baseLr) -> baseLr / Math.sqrt(Math.max(step, 1));
 * LrScheduler s = Schedulers.custom(groups, inverseSqrt);
 * }</pre>
 */
@FunctionalInterface
public interface Schedule {

    /** The lr of {@code group} after {@code step} steps, given the group's base (initial) lr. Must be finite and >= 0. */
    double lr(long step, int group, double baseLr);

    /** The momentum (or beta1) of {@code group} at {@code step}, when {@link #changesMomentum()}. */
    default double momentum(long step, int group) {
        throw new UnsupportedOperationException("this schedule does not change momentum");
    }

    /** Whether {@link #momentum} should be written into the groups on every step. */
    default boolean changesMomentum() {
        return false;
    }
}
