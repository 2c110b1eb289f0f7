package io.github.lr4j.train;

/** Hooks for progress display; every method has a no-op default. */
public interface TrainListener {

    /** After every optimizer step (or skipped step). */
    default void onStep(TrainingLoop.StepInfo step) {
    }

    /** After every validation. */
    default void onValidation(TrainingLoop.EpochInfo epoch) {
    }

    /** Something slow is starting before the first step, once the run's checks passed (e.g. a Spark session). */
    default void onStarting(String what) {
    }

    /** A classic mistake or an event worth knowing (a skipped step, early stopping). */
    default void onWarning(String message) {
    }
}
