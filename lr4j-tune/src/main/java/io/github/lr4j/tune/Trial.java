package io.github.lr4j.tune;

import io.github.lr4j.train.RunSpec;
import java.util.Map;

/**
 * One trial of a search: a run recipe ({@link RunSpec}, what {@code lr4j train --config} reads) made of the search's
 * base recipe with a sampled optimizer and schedule, and what each distribution of the space gave.
 *
 * @param index its number in the search, from 0 (ties are broken in this order)
 */
public record Trial(int index, RunSpec recipe, Map<String, String> values) {
    public Trial {
        values = Map.copyOf(new java.util.LinkedHashMap<>(values));
    }

    /** The main job's recipe, as {@code lr4j train --print-config} prints it with no options. */
    public static RunSpec mainJob() {
        return new RunSpec("lr4j", java.util.List.of(256), "one", true, 32, 0, io.github.lr4j.train.DigitsRecipe.DEFAULT_OPTIMIZER,
                io.github.lr4j.train.DigitsRecipe.DEFAULT_SCHEDULER, null, Map.of(), 20, 1, "val_loss", 0, 0.0, null, null, 10, "cos",
                null, 0, 3, null, null, null, null);
    }

    /**
     * Refuses (naming the field) a base recipe a search cannot train in parts as {@code train} would at once: another
     * engine, SWA, early stopping, or a monitor other than the validation loss that selection reads.
     */
    public static void checkBase(RunSpec base) {
        if (!"lr4j".equals(base.engine())) {
            throw new IllegalArgumentException("a search trains its trials on the lr4j engine; the base recipe has engine "
                    + base.engine());
        }
        if (base.swaStart() != null) {
            throw new IllegalArgumentException("a search does not combine with SWA (the base recipe has swa.start_epoch "
                    + base.swaStart() + ")");
        }
        if (base.earlyStopping() != 0) {
            throw new IllegalArgumentException("a search does not combine with early stopping (the base recipe has"
                    + " early_stopping.patience " + base.earlyStopping() + "): the rungs stop the trials");
        }
        if (!"val_loss".equals(base.monitor())) {
            throw new IllegalArgumentException("a search selects by validation loss: monitor must be val_loss, got "
                    + base.monitor());
        }
    }

    /** {@code base} with {@code optimizer} and {@code scheduler} in place of its own, and no checkpoints. */
    public static RunSpec recipe(RunSpec base, String optimizer, String scheduler) {
        return new RunSpec(base.engine(), base.hidden(), base.paramGroups(), base.augment(), base.batchSize(), base.seed(),
                optimizer, scheduler, base.interval(), base.schedules(), base.epochs(), base.accumulate(), base.monitor(),
                base.earlyStopping(), base.minDelta(), base.swaStart(), base.swaLr(), base.swaAnnealEpochs(),
                base.swaAnnealStrategy(), null, base.checkpointEvery(), base.keep(), base.master(), base.partitions(),
                base.localSteps(), base.threads());
    }

    /** One line for progress and tables: the optimizer and the schedule. */
    public String describe() {
        return recipe.optimizer() + " | " + recipe.scheduler();
    }
}
