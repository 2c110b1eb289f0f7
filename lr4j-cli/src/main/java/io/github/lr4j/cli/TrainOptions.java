package io.github.lr4j.cli;

import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.Interval;
import picocli.CommandLine.Option;

/** The model, data and optimization options shared by train, find-lr and compare. */
final class TrainOptions {
    @Option(names = "--optimizer", paramLabel = "EXPR", defaultValue = DigitsRecipe.DEFAULT_OPTIMIZER,
            description = "optimizer, in PyTorch syntax (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--epochs", defaultValue = "20", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--accumulate", defaultValue = "1",
            description = "gradient accumulation: one optimizer step every N batches; schedules count optimizer steps (default: ${DEFAULT-VALUE})")
    int accumulate;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the weights and of the data order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--hidden", split = ",", defaultValue = "256",
            description = "hidden layer widths, comma-separated; 0 for softmax regression (default: ${DEFAULT-VALUE})")
    int[] hidden;

    @Option(names = "--no-augment", description = "do not add the one-pixel-shifted copies of the training images")
    boolean noAugment;

    @Option(names = "--interval", description = "step the scheduler per 'step' or per 'epoch' (default: per step for schedules"
            + " sized in batches, such as OneCycleLR, CyclicLR, composites holding one, or anything sized with total_steps;"
            + " per epoch for the others)")
    String interval;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    DigitsRecipe recipe(String scheduler) {
        if (epochs < 1 || batchSize < 1 || accumulate < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size and --accumulate must be >= 1, got " + epochs + ", "
                    + batchSize + ", " + accumulate);
        }
        int[] widths = hidden.length == 1 && hidden[0] == 0 ? new int[0] : hidden;
        DigitsRecipe r = new DigitsRecipe().optimizer(optimizer).epochs(epochs).batchSize(batchSize).accumulate(accumulate)
                .seed(seed).hidden(widths).augment(!noAugment)
                .scheduler(scheduler == null || scheduler.equalsIgnoreCase("none") ? null : scheduler);
        if (interval != null) {
            switch (interval) {
                case "step": r.interval(Interval.STEP); break;
                case "epoch": r.interval(Interval.EPOCH); break;
                default: throw new IllegalArgumentException("--interval must be step or epoch, got " + interval);
            }
        }
        return r;
    }
}
