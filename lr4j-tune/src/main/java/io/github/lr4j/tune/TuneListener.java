package io.github.lr4j.tune;

/** Progress of a search; every method has a no-op default. Called from the search's threads one at a time. */
public interface TuneListener {
    /** A rung (or round) starts: {@code trials} trials train to {@code epochs} epochs. */
    default void onRung(int rung, int rungs, int epochs, int trials) {
    }

    /** A trial finished its part of a rung ({@code done} of {@code total} in this rung); {@code resumed}: read from the saved state. */
    default void onTrial(Trial trial, TrialResult result, int done, int total, boolean resumed) {
    }

    /** A rung ended: the results in trial order, promotion marked. */
    default void onRungEnd(int rung, java.util.List<TrialResult> results) {
    }
}
