package io.github.lr4j.train;

import io.github.lr4j.optim.HyperParameterSchedule;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * lr4j's main job, the defaults that teach: an MLP (64-256-10, ReLU) on the digits, with the
 * training set augmented by one-pixel shifts, SGD with momentum 0.9 and weight decay 5e-4, and
 * OneCycleLR (max_lr 0.1, the optimizer's lr) stepped per batch, 20 epochs of batches of 32. Every choice can be
 * overridden; a scheduler expression may use {@code total_steps}, {@code steps_per_epoch} and
 * {@code epochs}. Without a scheduler of its own the schedule follows the optimizer ({@link #defaultScheduler}).
 */
public final class DigitsRecipe {
    public static final String DEFAULT_OPTIMIZER = "SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)";
    /** The default schedule of {@link #DEFAULT_OPTIMIZER}: {@code defaultScheduler(DEFAULT_OPTIMIZER)}. */
    public static final String DEFAULT_SCHEDULER = "OneCycleLR(max_lr=0.1, total_steps=total_steps)";

    private String optimizer = DEFAULT_OPTIMIZER;
    private String scheduler;
    private boolean schedulerGiven;
    private int[] hidden = {256};
    private int epochs = 20;
    private int batchSize = 32;
    private int accumulate = 1;
    private long seed;
    private boolean augment = true;
    private ParamGrouping paramGroups = ParamGrouping.ONE;
    private Interval interval;
    private final Map<String, String> hyperSchedules = new LinkedHashMap<>();
    private int swaStart;
    private int threads = 1;
    private String swaScheduler;
    /** Train only the first this many epochs (0: all), the schedules keeping the whole run's horizon. */
    private int stopAfter;

    public DigitsRecipe optimizer(String expression) {
        this.optimizer = expression;
        return this;
    }

    /** A scheduler expression, or null for a constant lr. */
    public DigitsRecipe scheduler(String expression) {
        this.scheduler = expression;
        this.schedulerGiven = true;
        return this;
    }

    /**
     * The schedule a run gets when none is given: it follows the optimizer. None (a constant lr) for a schedule-free
     * optimizer, whose averaging does the decay's work; for the others a one-cycle whose {@code max_lr} is the
     * optimizer's lr, stepped per optimizer step over the whole run.
     */
    public static String defaultScheduler(String optimizerExpression) {
        Optimizer opt = Optimizers.parse(optimizerExpression);
        if (Optimizers.isScheduleFree(opt.name())) {
            return null;
        }
        return "OneCycleLR(max_lr=" + opt.defaultValue("lr") + ", total_steps=total_steps)";
    }

    /**
     * Schedules hyper-parameter {@code name} of the optimizer (weight_decay, beta2, eps, momentum, ...) with
     * {@code expression}, stepped like the lr scheduler; see {@link HyperParameterSchedule}.
     */
    public DigitsRecipe schedule(String name, String expression) {
        hyperSchedules.put(name, expression);
        return this;
    }

    /**
     * Stochastic weight averaging from epoch {@code startEpoch} (from 1) on, with {@code swaScheduler} (e.g.
     * {@code SWALR(swa_lr=0.01, anneal_epochs=3)}, built when the run reaches that epoch; null: the lr schedule keeps
     * running); see {@link TrainingLoop#swa}.
     */
    public DigitsRecipe swa(int startEpoch, String swaScheduler) {
        this.swaStart = startEpoch;
        this.swaScheduler = swaScheduler;
        return this;
    }

    /** Hidden layer widths; none gives softmax regression. */
    public DigitsRecipe hidden(int... hidden) {
        this.hidden = hidden.clone();
        return this;
    }

    /**
     * The recipe a {@link RunSpec} describes (lr4j engine, no SWA, no checkpoints: those are the caller's), built as
     * {@code lr4j train --config} builds it, so that both train the same run.
     */
    public static DigitsRecipe of(RunSpec spec) {
        if (spec.swaStart() != null) {
            throw new IllegalArgumentException("a recipe with SWA (swa.start_epoch " + spec.swaStart() + ") is not supported here");
        }
        int[] widths = spec.hidden().size() == 1 && spec.hidden().get(0) == 0 ? new int[0]
                : spec.hidden().stream().mapToInt(Integer::intValue).toArray();
        DigitsRecipe r = new DigitsRecipe().optimizer(spec.optimizer()).epochs(spec.epochs()).batchSize(spec.batchSize())
                .accumulate(spec.accumulate()).seed(spec.seed()).hidden(widths).augment(spec.augment())
                .paramGroups(ParamGrouping.parse(spec.paramGroups()))
                .scheduler(spec.scheduler() == null || spec.scheduler().equalsIgnoreCase("none") ? null : spec.scheduler());
        spec.schedules().forEach(r::schedule);
        if (spec.interval() != null) {
            r.interval(switch (spec.interval()) {
                case "step" -> Interval.STEP;
                case "epoch" -> Interval.EPOCH;
                default -> throw new IllegalArgumentException("interval must be step or epoch, got " + spec.interval());
            });
        }
        return r;
    }

    /**
     * Trains only the first {@code epochs} epochs of the run: the schedules are built for the whole run
     * ({@link #epochs(int)}) and attached without a way to rebuild them, so that a resume with a later stop continues
     * the very same schedule (a trial of a search stopped at a rung has the lr it would have had). 0: the whole run.
     */
    public DigitsRecipe stopAfter(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("stopAfter must be >= 0, got " + epochs);
        }
        this.stopAfter = epochs;
        return this;
    }

    public DigitsRecipe epochs(int epochs) {
        this.epochs = epochs;
        return this;
    }

    public DigitsRecipe batchSize(int batchSize) {
        this.batchSize = batchSize;
        return this;
    }

    public DigitsRecipe accumulate(int batches) {
        this.accumulate = batches;
        return this;
    }

    /** The optimizer's worker threads ({@link Optimizer#threads}; default 1). */
    public DigitsRecipe threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    public DigitsRecipe seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** How the model's parameters become the optimizer's param groups (default: one group). */
    public DigitsRecipe paramGroups(ParamGrouping grouping) {
        this.paramGroups = java.util.Objects.requireNonNull(grouping, "grouping");
        return this;
    }

    public DigitsRecipe augment(boolean augment) {
        this.augment = augment;
        return this;
    }

    /**
     * Steps the scheduler at this interval instead of its default: per step for a schedule sized in
     * batches ({@link Interval#defaultFor}) or with total_steps or steps_per_epoch, else per epoch.
     */
    public DigitsRecipe interval(Interval interval) {
        this.interval = interval;
        return this;
    }

    /** Per optimizer step when the type says so, or when the expression is sized with total_steps or steps_per_epoch. */
    public static Interval defaultInterval(String expression, Scheduler s) {
        return ScheduleDriver.defaultInterval(expression, s);
    }

    /** The scheduler expression the run uses (the default follows the optimizer), or null for a constant lr. */
    public String schedulerExpression() {
        return schedulerGiven ? scheduler : defaultScheduler(optimizer);
    }

    public String optimizerExpression() {
        return optimizer;
    }

    /** The data, model, optimizer and a configured trainer (add logging, checkpoints, early stopping as needed). */
    public record Run(Digits.Split data, Dataset train, Mlp model, Optimizer optimizer, Scheduler scheduler, TrainingLoop trainer) { }

    /** The data a run trains on: the fixed split, and the training set as the run sees it (augmented or not). */
    public record Data(Digits.Split split, Dataset train) { }

    /** Loads the split and augments the training set as this recipe says; {@link #build(Data)} trains on it. */
    public Data loadData() {
        Digits.Split split = Digits.split();
        return new Data(split, augment ? Digits.withShifts(split.train()) : split.train());
    }

    public Run build() {
        return build(loadData());
    }

    /** {@link #build()} on data loaded before (by {@link #loadData()} of a recipe with the same augmentation). */
    public Run build(Data data) {
        Digits.Split split = data.split();
        Dataset train = data.train();
        Mlp model = new Mlp(Digits.FEATURES, hidden, Digits.CLASSES, seed);
        Optimizer opt = Optimizers.parse(optimizer);
        paramGroups.addTo(opt, model.parameters());
        opt.threads(threads);
        TrainingLoop trainer = TrainingLoop.of(model, opt, train).validation(split.validation())
                .epochs(stopAfter > 0 ? stopAfter : epochs).batchSize(batchSize).accumulate(accumulate).seed(seed);
        long perEpoch = trainer.optimizerStepsPerEpoch();
        ScheduleDriver.Built built = ScheduleDriver.build(opt, schedulerExpression(), hyperSchedules, interval, perEpoch, epochs);
        for (int i = 0; i < built.attached().size(); i++) {
            TrainingLoop.Attached a = built.attached().get(i);
            if (stopAfter > 0) {
                trainer.scheduler(a.scheduler(), a.interval(), a.frequency()); // the horizon stays the whole run's
            } else {
                trainer.scheduler(a.scheduler(), a.interval(), a.frequency(), built.rebuilders().get(i));
            }
        }
        Scheduler s = built.lrScheduler();
        if (swaStart > 0) {
            String swa = swaScheduler;
            Map<String, Long> vars = ScheduleDriver.variables(perEpoch, epochs);
            trainer.swa(swaStart, swa == null ? null : () -> ScheduleSpec.build(swa, opt, vars));
            if (swa != null) {
                // A mistake in the expression fails now, not when the run reaches startEpoch.
                Optimizer probe = Optimizers.parse(optimizer);
                probe.addParamGroup(java.util.List.of(io.github.lr4j.optim.Parameter.zeros("probe", 1)));
                ScheduleSpec.build(swa, probe, vars);
            }
        }
        return new Run(split, train, model, opt, s, trainer);
    }
}
