package io.github.lr4j.train;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A training loop that gets scheduler timing right. Each attached scheduler is stepped at its
 * {@link Interval} (per optimizer step, or per epoch after validation) and frequency; defaults
 * follow the scheduler type's descriptor ({@link Interval#defaultFor}), plateau control is
 * fed the monitored validation metric, and the classic mistakes are refused or warned about before
 * training starts. With gradient accumulation the schedule counts optimizer steps, and a step
 * skipped for a non-finite gradient does not advance it.
 *
 * <p>Data order: {@link EpochOrder}. Checkpoints ({@link RunCheckpoints}) hold the model, the optimizer, every
 * scheduler, early stopping and the loop counters: {@link #resume(Path)} continues bit-for-bit.
 *
 * <p>Modes ({@link io.github.lr4j.optim.ModeAware}, a no-op for ordinary optimizers): a schedule-free
 * optimizer is put in eval mode (the parameters hold its average {@code x}) for validation, for
 * copying the best weights and for {@code best.ckpt}, and back in train mode ({@code y}) before the
 * next step; step and epoch checkpoints are written in train mode. Each checkpoint records the mode,
 * and a resumed run steps from {@code y}. {@link #fit()} returns in eval mode, ready for testing.
 *
 * <p>Stochastic weight averaging ({@link #swa}): from a given epoch on, the weights at each epoch end are folded into
 * an equal-weight average (PyTorch's {@code AveragedModel}), an SWA scheduler such as {@code SWALR} takes over from
 * the lr schedulers, and {@link #fit()} returns with the model holding the average.
 */
public final class TrainingLoop {
    /** A scheduler and when to step it (shared with lr4j-djl's listener). */
    public record Attached(Scheduler scheduler, Interval interval, int frequency) {
        public Attached {
            if (frequency < 1) {
                throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
            }
            if (scheduler.drivenByMetric() && interval == Interval.STEP) {
                throw new IllegalArgumentException(scheduler.name() + " is fed a validation metric: use Interval.EPOCH");
            }
        }
    }

    /** What happened at one optimizer step ({@code epoch} and {@code batch} are 0-based indexes; logs show epoch + 1). */
    public record StepInfo(long step, int epoch, int batch, int batchesPerEpoch, double loss, double[] lr, double[] momentum,
                           boolean skipped) {
        @Override
        public String toString() {
            return "StepInfo[step=" + step + ", epoch=" + epoch + ", batch=" + batch + ", batchesPerEpoch=" + batchesPerEpoch
                    + ", loss=" + loss + ", lr=" + Arrays.toString(lr) + ", momentum=" + Arrays.toString(momentum)
                    + ", skipped=" + skipped + "]";
        }
    }

    /** One validation ({@code epoch} is the 0-based index; logs and messages show epoch + 1). */
    public record EpochInfo(int epoch, long step, double trainLoss, double valLoss, double valAccuracy, double[] lr,
                            boolean best) {
        @Override
        public String toString() {
            return "EpochInfo[epoch=" + epoch + ", step=" + step + ", trainLoss=" + trainLoss + ", valLoss=" + valLoss
                    + ", valAccuracy=" + valAccuracy + ", lr=" + Arrays.toString(lr) + ", best=" + best + "]";
        }
    }

    /** How a run ended. {@code bestEpoch} counts from 1, as the logs and the command line do (0: no epoch was measured). */
    public record Result(int epochsRun, long optimizerSteps, long skippedSteps, boolean stoppedEarly, int bestEpoch,
                         double bestMetric, List<EpochInfo> history) { }

    private final Model model;
    private final Optimizer optimizer;
    private final Dataset train;
    private Dataset validation;
    private int epochs = 10;
    private int batchSize = 32;
    private long seed = 0;
    private int accumulate = 1;
    /** Decides when each scheduler steps, SWA's takeover and what a resume restores (shared with lr4j-djl and lr4j-spark). */
    private final ScheduleDriver driver = new ScheduleDriver();
    private String monitor = "val_loss";
    private Mode mode = Mode.MIN;
    private EarlyStopping earlyStopping;
    private Checkpointing checkpointing;
    private Path logDirectory;
    private long validateEverySteps;
    private TrainListener listener = new TrainListener() { };
    private Path resumeFrom;
    private boolean overwriteCheckpoints;
    /** A resume of a finished run that trains on: false (not one), or with the schedule restarted or at its final lr. */
    private boolean extendFinished;
    private boolean restartSchedule;
    private Map<String, String> runSettings = Map.of();
    /** The model and optimizer as the checkpoints see them (shared rules: {@link RunCheckpoints}). */
    private final LoopEngine engine;

    // The run (made by fit(); all of it goes into checkpoints).
    private RunState state;
    private RunCheckpoints checkpoints;
    private RunRecorder recorder;

    // Stochastic weight averaging (see swa()); the average and the SWA scheduler's state go into checkpoints.
    private WeightAverage average;
    private float[][] trainedWeights;

    private TrainingLoop(Model model, Optimizer optimizer, Dataset train) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.engine = new LoopEngine(model, optimizer);
    }

    /** A loop for {@code model} with {@code optimizer} (whose groups hold the model's parameters) on {@code train}. */
    public static TrainingLoop of(Model model, Optimizer optimizer, Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        return new TrainingLoop(model, optimizer, train);
    }

    public TrainingLoop validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    public TrainingLoop epochs(int epochs) {
        this.epochs = atLeast(1, epochs, "epochs");
        return this;
    }

    public TrainingLoop batchSize(int batchSize) {
        this.batchSize = atLeast(1, batchSize, "batchSize");
        return this;
    }

    public TrainingLoop seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Gradient accumulation: one optimizer step every {@code batches} batches. */
    public TrainingLoop accumulate(int batches) {
        this.accumulate = atLeast(1, batches, "accumulate");
        return this;
    }

    /** Steps {@code s} at its default interval ({@link Interval#defaultFor}). */
    public TrainingLoop scheduler(Scheduler s) {
        return scheduler(s, Interval.defaultFor(s), 1);
    }

    public TrainingLoop scheduler(Scheduler s, Interval interval, int frequency) {
        driver.add(new Attached(s, interval, frequency), null, optimizer);
        return this;
    }

    /** Builds a scheduler on this loop's optimizer for a run of {@code epochs} epochs (its total_steps/epochs follow). */
    @FunctionalInterface
    public interface ForRunLength {
        Scheduler build(int epochs);
    }

    /**
     * {@code s}, and how to build it for another run length: a resume with other {@link #epochs} rebuilds the saved scheduler
     * for its length, restores it and stretches the rest to the new end ({@link Schedulers#retarget}: the lr does not jump).
     */
    public TrainingLoop scheduler(Scheduler s, Interval interval, int frequency, ForRunLength rebuild) {
        scheduler(s, interval, frequency);
        driver.rebuildLast(rebuild);
        return this;
    }

    /**
     * Stochastic weight averaging (PyTorch's {@code torch.optim.swa_utils} loop): from epoch {@code startEpoch} on
     * (counted from 1, as the logs count), the weights at the end of each epoch are folded into an equal-weight
     * average. {@code swaScheduler} (e.g. {@code SWALR(swa_lr=0.05)} on this loop's optimizer; null: keep the
     * schedulers running) is built when the loop reaches {@code startEpoch}, stops the lr schedulers from that epoch on
     * (schedules of other hyper-parameters, {@code HyperParameterSchedule}, keep running), and is stepped at each epoch
     * end after the average, as PyTorch's loop does (a supplier of a scheduler built earlier reproduces PyTorch's
     * construct-first pattern). The average is validated at each SWA epoch end ({@code swa_val_loss},
     * {@code swa_val_accuracy}); plateau control, early stopping and best.ckpt watch the trained weights. {@link #fit()}
     * ends with the average in the model ({@link #trainedWeights()} keeps the last trained ones) and in {@code swa.ckpt}.
     */
    public TrainingLoop swa(int startEpoch, Supplier<Scheduler> swaScheduler) {
        driver.swa(startEpoch, swaScheduler, optimizer);
        this.average = new WeightAverage(model);
        engine.average(average);
        return this;
    }

    /** The SWA average (empty without {@link #swa}; its count is 0 until the first SWA epoch ends). */
    public java.util.Optional<WeightAverage> weightAverage() {
        return java.util.Optional.ofNullable(average);
    }

    /** The weights the last step left, before {@link #fit()} replaced them with the SWA average (null if it did not). */
    public float[][] trainedWeights() {
        return trainedWeights == null ? null : Arrays.stream(trainedWeights).map(float[]::clone).toArray(float[][]::new);
    }

    /** The metric that plateau control, early stopping and the best checkpoint watch: val_loss (default), val_accuracy or train_loss. */
    public TrainingLoop monitor(String metric, Mode mode) {
        this.monitor = BestEpoch.requireMonitor(metric);
        this.mode = mode;
        return this;
    }

    public TrainingLoop earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    public TrainingLoop checkpoints(Checkpointing checkpointing) {
        this.checkpointing = checkpointing;
        return this;
    }

    /** Writes the metrics log (JSON lines and CSV) into {@code directory}. */
    public TrainingLoop log(Path directory) {
        this.logDirectory = directory;
        return this;
    }

    /** Validate every {@code steps} optimizer steps as well as at every epoch end (0: epoch ends only). */
    public TrainingLoop validateEverySteps(long steps) {
        this.validateEverySteps = atLeast(0, steps, "validateEverySteps");
        return this;
    }

    public TrainingLoop listener(TrainListener listener) {
        this.listener = listener;
        return this;
    }

    /** Continue from a checkpoint written by a run with the same settings. */
    public TrainingLoop resume(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    /**
     * The resumed checkpoint ends a finished run (its last epoch, or early stopping) and this run trains on to
     * {@link #epochs}: with {@code restartSchedule} the schedules start again from their beginning, sized for the
     * epochs added, from the trained weights and optimizer state (a warm restart, SGDR's habit); without it they
     * stay at their final values (the schedule stretched to the new end has nothing left to stretch). Early stopping's
     * verdict is cleared.
     */
    public TrainingLoop extendFinishedRun(boolean restartSchedule) {
        this.extendFinished = true;
        this.restartSchedule = restartSchedule;
        return this;
    }

    /** A new run refuses a checkpoint directory holding another run's checkpoints; with this, they are deleted first. */
    public TrainingLoop overwriteCheckpoints() {
        this.overwriteCheckpoints = true;
        return this;
    }

    /**
     * How the caller built this run (e.g. the command line's options), saved in every checkpoint
     * so that a resume can take them back or refuse different ones; see {@link #runSettings(Path)}.
     */
    public TrainingLoop runSettings(Map<String, String> settings) {
        this.runSettings = settings; // copied, in order, by RunCheckpoints
        return this;
    }

    public int batchesPerEpoch() {
        return (int) ((train.size() + (long) batchSize - 1) / batchSize); // in long: a batch size near 2^31 must not wrap
    }

    /** Optimizer steps in one epoch (the last group of an epoch may hold fewer batches). */
    public int optimizerStepsPerEpoch() {
        return (batchesPerEpoch() + accumulate - 1) / accumulate;
    }

    private static <T extends Number> T atLeast(long min, T value, String name) {
        if (value.longValue() < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    /** Checks the classic mistakes: errors for what would fail, warnings (to the listener) for what is suspicious. */
    List<String> preflight() {
        return Preflight.check(driver, epochs, optimizerStepsPerEpoch(), monitor, validation != null, earlyStopping);
    }

    /** Trains (or continues a resumed run) to the end or to early stopping. */
    public Result fit() {
        for (String w : preflight()) {
            listener.onWarning(w);
        }
        optimizer.nonFiniteGradients(NonFiniteGradients.SKIP);
        state = new RunState(batchesPerEpoch(), accumulate, new BestEpoch(monitor, mode, earlyStopping));
        checkpoints = new RunCheckpoints(checkpointing == null ? null : CheckpointStore.folder(checkpointing.directory()),
                checkpointing == null ? 1 : checkpointing.keepLast(), engine, driver, epochs, Map.of("batch_size", (long) batchSize,
                "accumulate", (long) accumulate, "seed", seed, "train_size", (long) train.size())).runSettings(runSettings);
        if (extendFinished) {
            checkpoints.extendFinishedRun(restartSchedule);
        }
        MetricsLog log = logDirectory == null ? null : new MetricsLog(logDirectory);
        recorder = new RunRecorder(driver, state, HyperParameters.of(optimizer), listener, log)
                .bestCheckpoints(checkpointing != null && checkpointing.best() ? checkpoints : null);
        try {
            // Refuses a folder of another run before anything is read or changed; restores a resume (read-check-commit).
            checkpoints.begin(resumeFrom, overwriteCheckpoints, state, log);
            train(log);
            optimizer.eval(); // the model leaves the loop holding what tests and saved weights should see (x)
            trainedWeights = engine.endWithAverage(); // null without an SWA average: then the best weights, if kept
            if (trainedWeights != null && checkpointing != null) {
                checkpoints.writeSwaAverage(state, log);
            } else if (trainedWeights == null && state.best().keepsWeights() && state.best().bestWeights() != null) {
                engine.loadWeights(state.best().bestWeights());
            }
            BestEpoch best = state.best();
            return new Result(state.epoch(), state.optimizerSteps(), state.skippedSteps(), best.stopped(), best.bestEpoch() + 1,
                    best.bestMetric(), state.history().list());
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }

    /** The epochs left: the batches of each in the order of its shuffle, validation and checkpoints. */
    private void train(MetricsLog log) {
        // A schedule-free optimizer steps from y (a checkpoint written in eval mode holds x); a no-op for the others.
        optimizer.train();
        int[] order = new int[train.size()];
        while (state.epoch() < epochs && !state.best().stopped()) {
            driver.beforeEpoch(state.epoch());
            EpochOrder.shuffle(order, seed + state.epoch());
            while (!state.epochTrained()) {
                boolean applied = step(order);
                boolean midEpoch = !state.epochTrained();
                long steps = state.optimizerSteps();
                if (applied && midEpoch && validateEverySteps > 0 && steps % validateEverySteps == 0) {
                    validate(false);
                }
                if (applied && midEpoch && checkpointing != null && checkpointing.stepDue(steps)) {
                    checkpoints.writeStep(state, log);
                }
            }
            validate(true);
            state.nextEpoch();
            if (checkpointing != null && checkpointing.atEpochEnd()) {
                checkpoints.writeEpoch(state, log);
            }
        }
    }

    /** One optimizer step over the next group of batches (gradient accumulation); whether it was applied. */
    private boolean step(int[] order) {
        int groupEnd = state.groupEnd();
        int inGroup = groupEnd - state.nextBatch();
        optimizer.zeroGrad();
        double loss = 0;
        for (int b = state.nextBatch(); b < groupEnd; b++) {
            int from = b * batchSize;
            loss += model.lossAndGradient(train, order, from, Math.min(train.size(), from + batchSize), 1.0 / inGroup);
        }
        boolean applied = optimizer.step();
        recorder.step(groupEnd, loss / inGroup, applied);
        return applied;
    }

    /** Validation (and at an epoch end, SWA's average); the recorder decides what follows. */
    private void validate(boolean epochEnd) {
        // Validation, the best weights and best.ckpt see a schedule-free optimizer's x. Not switching when
        // nothing reads the weights keeps the run free of the switch's rounding (eval then train is not exact).
        boolean averages = epochEnd && driver.swaPhase(state.epoch());
        if (validation != null || averages || epochEnd && (state.best().keepsWeights() || checkpointing != null && checkpointing.best())) {
            optimizer.eval();
        }
        Model.Evaluation v = validation == null ? new Model.Evaluation(Double.NaN, Double.NaN) : model.evaluate(validation);
        Model.Evaluation swa = null;
        if (averages) {
            average.update(model); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
            swa = validation == null ? null : average.evaluate(model, validation);
        }
        recorder.validation(epochEnd, v, swa, engine::copyWeights);
        optimizer.train();
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<Attached> schedulers() {
        return driver.attached();
    }
}