package io.github.lr4j.tune;

import io.github.lr4j.train.RunSpec;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * One part of a trial to train: its recipe from the checkpoint of epoch {@code from} (0: from scratch) up to epoch
 * {@code to}, in the trial's folder. A value that travels (serializable), so that a {@link TrialExecutor} may train it
 * in another process; the folder must then be on a filesystem that process shares.
 *
 * @param rung the rung (successive halving) or round (population based training)
 * @param dir the trial's folder, an absolute path
 * @param restartSchedule resumed from a checkpoint, the recipe's schedules start afresh there (population based
 *     training: each round has its own absolute schedule); else they go on from the checkpoint
 */
public record PartTask(int trial, int rung, RunSpec recipe, String dir, int from, int to, boolean restartSchedule)
        implements Serializable {
    public PartTask {
        if (from < 0 || to <= from) {
            throw new IllegalArgumentException("a part trains epochs from < to with from >= 0, got from " + from + ", to " + to);
        }
    }

    /** A part whose schedules go on from the checkpoint (successive halving). */
    public PartTask(int trial, int rung, RunSpec recipe, String dir, int from, int to) {
        this(trial, rung, recipe, dir, from, to, false);
    }

    /** Trains the part here (on the lr4j engine) and returns its result, unmarked. */
    public TrialResult train() {
        return SuccessiveHalving.result(trial, rung, TrialRunner.train(recipe, Path.of(dir), from, to, restartSchedule));
    }
}
