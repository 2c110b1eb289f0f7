package io.github.lr4j.tune;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where a search's trials train: each {@link PartTask} is trained (by {@link PartTask#train()}) somewhere, and its
 * result comes back to the search, which decides everything else (the state, promotion, the winner). Local threads
 * by default ({@link #threads}); {@code lr4j-spark} trains them as Spark tasks.
 */
public interface TrialExecutor {
    /**
     * Trains every part; calls {@code onResult} on the search's side, one result at a time, as each part finishes (so
     * the search can save it at once), and returns the results in the order of {@code tasks}. A failed part fails the
     * call (the parts still running are abandoned; the results already passed to {@code onResult} stay saved).
     */
    List<TrialResult> runParts(List<PartTask> tasks, Consumer<TrialResult> onResult);

    /** Trains the parts on {@code threads} local threads at once. */
    static TrialExecutor threads(int threads) {
        return new LocalTrials(threads);
    }

    /** An executor found on the classpath by {@link java.util.ServiceLoader} (e.g. {@code lr4j tune --engine spark}). */
    interface Provider {
        /** The engine's name, as {@code --engine} takes it. */
        String name();

        /** An executor on {@code master} (null: the engine's default). */
        TrialExecutor open(String master);
    }
}
