package io.github.lr4j.cli;

import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.Interval;
import picocli.CommandLine.Option;

/** The model, data and optimization options shared by train, find-lr and compare. */
final class TrainOptions {
    @Option(names = "--optimizer", paramLabel = "EXPR", defaultValue = DigitsRecipe.DEFAULT_OPTIMIZER,
            description = "optimizer, in PyTorch syntax (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--schedule", paramLabel = "NAME=SPEC", mapFallbackValue = "", preprocessor = OncePerName.class,
            description = "also schedule hyper-parameter NAME (weight_decay, beta2, eps, momentum, ...) with SPEC, stepped"
                    + " like the lr; repeatable, once per NAME, e.g. --schedule weight_decay='CosineAnnealingLR(T_max=total_steps,"
                    + " eta_min=0.01)'")
    java.util.Map<String, String> schedules = new java.util.LinkedHashMap<>();

    /**
     * Looks at one --schedule NAME=SPEC before picocli adds it to the map: a NAME given twice is refused (the map would
     * keep the last silently). picocli still parses the value, so the option counts as typed.
     */
    static final class OncePerName implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(java.util.Stack<String> args, picocli.CommandLine.Model.CommandSpec commandSpec,
                                  picocli.CommandLine.Model.ArgSpec argSpec, java.util.Map<String, Object> info) {
            if (args.isEmpty()) {
                return false; // picocli reports the missing value
            }
            String given = args.peek();
            int eq = given.indexOf('=');
            String name = eq < 0 ? given : given.substring(0, eq);
            java.util.Map<String, String> map = argSpec.getValue();
            if (map != null && map.containsKey(name)) {
                throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(), "--schedule " + name
                        + " is given twice (" + abbreviate(map.get(name)) + ", then " + abbreviate(eq < 0 ? "" : given.substring(eq + 1))
                        + "): give one schedule per hyper-parameter");
            }
            return false;
        }

        private static String abbreviate(String s) {
            return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...'";
        }
    }

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

    @Option(names = "--param-groups", paramLabel = "one|no_decay|layers", defaultValue = "one",
            description = "the optimizer's param groups: one (default), no_decay (weights, then biases with weight_decay 0)"
                    + " or layers (one group per layer); per-group values go in the schedule, e.g. max_lr=[0.1, 0.01]")
    String paramGroups;

    @Option(names = "--threads", paramLabel = "N",
            description = "threads of the engine: lr4j, the optimizer's worker threads (default 1); djl, libtorch's intra-op"
                    + " threads with 1 inter-op thread (default: the cores not already busy, at least 1); not an option of spark"
                    + " (use --partitions and --master)")
    Integer threads;

    @Option(names = "--no-augment", description = "do not add the one-pixel-shifted copies of the training images")
    boolean noAugment;

    @Option(names = "--interval", description = "step the scheduler per 'step' or per 'epoch' (default: per step for schedules"
            + " sized in batches, such as OneCycleLR, CyclicLR, composites holding one, or anything sized with total_steps;"
            + " per epoch for the others)")
    String interval;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    /** Limit on the model's size: far above what the digits need, far below what exhausts a default JVM heap. */
    static final long MAX_PARAMETERS = 10_000_000;

    /** The hidden widths (none for softmax regression), checked: each >= 1, the whole model at most {@link #MAX_PARAMETERS}. */
    int[] widths() {
        if (hidden.length == 1 && hidden[0] == 0) {
            return new int[0];
        }
        long parameters = 0;
        int in = io.github.lr4j.train.Digits.FEATURES;
        for (int w : hidden) {
            if (w < 1) {
                throw new IllegalArgumentException("--hidden widths must be >= 1 (or a single 0 for softmax regression), got " + w);
            }
            parameters += (long) in * w + w;
            in = w;
        }
        parameters += (long) in * io.github.lr4j.train.Digits.CLASSES + io.github.lr4j.train.Digits.CLASSES;
        if (parameters > MAX_PARAMETERS) {
            throw new IllegalArgumentException("--hidden " + java.util.Arrays.toString(hidden).replaceAll("[\\[\\] ]", "")
                    + " gives a model of " + parameters + " parameters; the limit is " + MAX_PARAMETERS);
        }
        return hidden.clone();
    }

    /** {@code --threads}, checked: null when not given (the engine's default). */
    Integer threads() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return threads;
    }

    DigitsRecipe recipe(String scheduler) {
        threads();
        if (epochs < 1 || batchSize < 1 || accumulate < 1) {
            throw new IllegalArgumentException("--epochs, --batch-size and --accumulate must be >= 1, got " + epochs + ", "
                    + batchSize + ", " + accumulate);
        }
        int[] widths = widths();
        DigitsRecipe r = new DigitsRecipe().optimizer(optimizer).epochs(epochs).batchSize(batchSize).accumulate(accumulate)
                .seed(seed).hidden(widths).augment(!noAugment).paramGroups(io.github.lr4j.train.ParamGrouping.parse(paramGroups))
                .scheduler(scheduler == null || scheduler.equalsIgnoreCase("none") ? null : scheduler);
        if (threads != null) {
            r.threads(threads);
        }
        schedules.forEach(r::schedule);
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
