package io.github.lr4j.train;

import java.nio.file.Path;

/**
 * Where and when checkpoints are written: every {@code everySteps} optimizer steps (0: never), at
 * every epoch end, and the best so far ({@code best.ckpt}, by the monitored metric); only the
 * {@code keepLast} newest step/epoch checkpoints are kept.
 */
public record Checkpointing(Path directory, long everySteps, boolean atEpochEnd, boolean best, int keepLast) {
    public Checkpointing {
        if (directory == null) {
            throw new IllegalArgumentException("directory must not be null");
        }
        if (everySteps < 0) {
            throw new IllegalArgumentException("everySteps must be >= 0, got " + everySteps);
        }
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
    }

    /** Whether a step checkpoint is due after {@code steps} optimizer steps (a checkpoint of the epoch end comes anyway). */
    public boolean stepDue(long steps) {
        return everySteps > 0 && steps % everySteps == 0;
    }

    /** At every epoch end and the best, keeping 3. */
    public static Checkpointing in(Path directory) {
        return new Checkpointing(directory, 0, true, true, 3);
    }
}
