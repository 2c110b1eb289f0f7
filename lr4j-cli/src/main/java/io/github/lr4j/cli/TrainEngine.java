package io.github.lr4j.cli;

import io.github.lr4j.train.Model;
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
     * SWA, swaScheduler null: the schedule keeps running in the SWA phase.
     */
    record Request(String optimizer, String scheduler, String interval, int[] hidden, int epochs, int batchSize, long seed,
                   boolean augment, String monitor, int patience, double minDelta, String checkpointDir, long checkpointEvery,
                   int keep, String resume, Path logs, String master, int partitions, int localSteps,
                   java.util.Map<String, String> schedules, boolean overwrite, String paramGroups, int swaStart,
                   String swaScheduler) { }

    /**
     * How it went: the loop's result, the test set's evaluation, the scheduler as built, what ran where, and a note
     * after the test accuracy (e.g. the SWA average's "(SWA average of 3 epochs; last weights 97.04%)", or "").
     */
    record Outcome(TrainingLoop.Result result, Model.Evaluation test, String scheduler, String engine, String note) {
        public Outcome(TrainingLoop.Result result, Model.Evaluation test, String scheduler, String engine) {
            this(result, test, scheduler, engine, "");
        }
    }
}
