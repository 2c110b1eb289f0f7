package io.github.lr4j.cli;

import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.nio.file.Path;

/**
 * A training engine that is not in the CLI's jar, found with {@link java.util.ServiceLoader} when
 * its module is on the classpath: lr4j-spark's {@code spark} (the launcher runs {@code ./lr4j train
 * --engine spark} on lr4j-spark's classpath). {@code train} shows its progress, summary line and
 * report exactly as for the built-in engine.
 */
public interface TrainEngine {

    /** The value of {@code --engine}. */
    String name();

    /** Trains the digits MLP as asked, writing lr4j-train's metrics log into {@code request.logs()}. */
    Outcome train(Request request, TrainListener listener) throws Exception;

    /**
     * The train command's options, as given; 0 for partitions and localSteps: the engine's default; swaStart 0: no
     * SWA, swaScheduler null: the schedule keeps running in the SWA phase. {@code extend}: null, or how a resumed
     * finished run trains on to {@code epochs} ("restart-schedule" or "continue-at-final-lr", as the lr4j engine's
     * {@code RunCheckpoints} names it; the CLI checked that the run finished, as {@link #progress} says).
     */
    record Request(String optimizer, String scheduler, String interval, int[] hidden, int epochs, int batchSize, long seed,
                   boolean augment, String monitor, int patience, double minDelta, String checkpointDir, long checkpointEvery,
                   int keep, String resume, Path logs, String master, int partitions, int localSteps,
                   java.util.Map<String, String> schedules, boolean overwrite, String paramGroups, int swaStart,
                   String swaScheduler, String extend) { }

    /**
     * How it went: the loop's result, the test set's evaluation, the scheduler as built, what ran where, and a note
     * after the test accuracy (e.g. the SWA average's "(SWA average of 3 epochs; last weights 97.04%)", or "").
     */
    record Outcome(TrainingLoop.Result result, Model.Evaluation test, String scheduler, String engine, String note,
                   java.util.List<RunState.Horizon> horizons) {
        public Outcome(TrainingLoop.Result result, Model.Evaluation test, String scheduler, String engine, String note) {
            this(result, test, scheduler, engine, note, java.util.List.of());
        }

        public Outcome(TrainingLoop.Result result, Model.Evaluation test, String scheduler, String engine) {
            this(result, test, scheduler, engine, "");
        }
    }

    /**
     * Where the run {@code request}'s {@code --resume} continues stands (the newest intact checkpoint's progress), or
     * null: none yet, or the engine cannot tell (then it cannot extend a finished run: the CLI refuses
     * --restart-schedule and --continue-at-final-lr for it).
     *
     * @param where receives the checkpoint's name, for messages
     */
    default RunCheckpoints.Progress progress(Request request, java.util.function.Consumer<String> where) throws Exception {
        return null;
    }

    /** Whether {@link #progress} tells, and the engine extends a finished run ({@link Request#extend}). */
    default boolean extendsFinishedRuns() {
        return false;
    }
}
