package io.github.lr4j.tune;

import io.github.lr4j.train.Checkpointing;
import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunSpec;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Trains a trial's recipe in parts on the lr4j engine: the first part from scratch, each later one from the checkpoint
 * the previous part left at its end. The schedules are built for the recipe's whole run whatever the part, so the run
 * trained in parts is the run {@code lr4j train --config} trains at once (checkpoints restore bit for bit).
 *
 * <p>Files, in the trial's folder: {@code logs/} (the metrics of every part, one run), {@code ckpt/} (the training
 * checkpoints) and {@code rung-E.ckpt}, the state at the end of a part of E epochs, kept for the next part.
 */
final class TrialRunner {
    private TrialRunner() {
    }

    /** The end of a part: the loop's result and the checkpoint it left. */
    record Part(TrainingLoop.Result result, Path checkpoint) { }

    /** Trains {@code recipe} up to epoch {@code to}, from the checkpoint of epoch {@code from} (0: from scratch). */
    static Part train(RunSpec recipe, Path dir, int from, int to) {
        return train(recipe, dir, from, to, false);
    }

    /**
     * {@link #train(RunSpec, Path, int, int)}; with {@code restartSchedule} a part resumed from a checkpoint starts the
     * recipe's schedules afresh at the checkpoint (weights and optimizer state restored): population based training
     * gives each round its own absolute schedule.
     */
    static Part train(RunSpec recipe, Path dir, int from, int to, boolean restartSchedule) {
        Path ckpt = dir.resolve("ckpt");
        // Restarted schedules need the recipe's rebuilders, which a run cut short (stopAfter) does not have: the recipe
        // itself ends at the part's end.
        DigitsRecipe.Run run = restartSchedule ? DigitsRecipe.of(recipe).build() : DigitsRecipe.of(recipe).stopAfter(to).build();
        if (restartSchedule && recipe.epochs() != to) {
            throw new IllegalArgumentException("a part with restarted schedules needs a recipe of " + to + " epochs, got "
                    + recipe.epochs());
        }
        TrainingLoop loop = run.trainer().log(dir.resolve("logs"))
                .checkpoints(new Checkpointing(ckpt, 0, true, false, 1))
                .listener(new TrainListener() { }); // warnings such as "the schedule is longer than the run" are the point here
        if (from > 0) {
            loop.extendFinishedRun(restartSchedule).resume(partEnd(dir, from));
        } else {
            loop.overwriteCheckpoints(); // a part restarted from scratch after an interruption
        }
        TrainingLoop.Result result = loop.fit();
        Path end = partEnd(dir, to);
        try {
            Files.copy(ckpt.resolve(String.format("epoch-%05d.ckpt", to)), end, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the checkpoint of epoch " + to + " of trial " + dir, e);
        }
        return new Part(result, end);
    }

    static Path partEnd(Path dir, int epochs) {
        return dir.resolve("rung-" + epochs + ".ckpt");
    }

    /** The model a trial's part ended with, tested on the test set (for the winner's report only, never for selection). */
    static Model.Evaluation test(RunSpec recipe, Path dir, int epochs) {
        DigitsRecipe.Run run = DigitsRecipe.of(recipe).stopAfter(epochs).build();
        // A loop resumed from a checkpoint at its last epoch trains nothing: the model holds the checkpoint's weights.
        run.trainer().resume(partEnd(dir, epochs)).fit();
        return run.model().evaluate(run.data().test());
    }

    /** The history of validations (epoch ends) of a trial's part. */
    static List<TrainingLoop.EpochInfo> history(Part part) {
        return part.result().history();
    }
}
