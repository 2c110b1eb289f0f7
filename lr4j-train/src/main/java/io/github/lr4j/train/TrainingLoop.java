package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A training loop that gets scheduler timing right. Each attached scheduler is stepped at its
 * {@link Interval} (per optimizer step, or per epoch after validation) and frequency; defaults
 * follow the scheduler type's descriptor ({@link Interval#defaultFor}), plateau control is
 * fed the monitored validation metric, and the classic mistakes are refused or warned about before
 * training starts. With gradient accumulation the schedule counts optimizer steps, and a step
 * skipped for a non-finite gradient does not advance it.
 *
 * <p>Data order: epoch {@code e} visits the training set in the order of a Fisher-Yates shuffle
 * with {@code new Random(seed + e)}, so a resumed run sees exactly the batches it would have seen.
 * Checkpoints hold the model, the optimizer, every scheduler, early stopping and the loop counters:
 * {@link #resume(Path)} continues bit-for-bit.
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

    /**
     * How a run ended. {@code bestEpoch} counts from 1, as the logs and the command line do (0: no epoch was
     * measured).
     */
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
    /** The optimizer's hyper-parameters by name, made once: the logs read the scheduled ones at every step. */
    private final HyperParameters hyperParameters;

    // The run (made by fit(); all of it goes into checkpoints).
    private RunState state;
    private RunCheckpoints checkpoints;
    private MetricsLog log;

    // Stochastic weight averaging (see swa()); the average and the SWA scheduler's state go into checkpoints.
    private WeightAverage average;
    private float[][] trainedWeights;

    private TrainingLoop(Model model, Optimizer optimizer, Dataset train) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.engine = new LoopEngine(model, optimizer);
        this.hyperParameters = HyperParameters.of(optimizer);
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
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    public TrainingLoop batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public TrainingLoop seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Gradient accumulation: one optimizer step every {@code batches} batches. */
    public TrainingLoop accumulate(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("accumulate must be >= 1, got " + batches);
        }
        this.accumulate = batches;
        return this;
    }

    /** Steps {@code s} at its default interval ({@link Interval#defaultFor}). */
    public TrainingLoop scheduler(Scheduler s) {
        return scheduler(s, Interval.defaultFor(s), 1);
    }

    public TrainingLoop scheduler(Scheduler s, Interval interval, int frequency) {
        if (s.groups() != optimizer) {
            throw new IllegalArgumentException(s.name() + " must be attached to this trainer's optimizer");
        }
        driver.add(new Attached(s, interval, frequency), null);
        return this;
    }

    /** Builds a scheduler on this loop's optimizer for a run of {@code epochs} epochs (its total_steps/epochs follow). */
    @FunctionalInterface
    public interface ForRunLength {
        Scheduler build(int epochs);
    }

    /**
     * {@code s}, and how to build it for another run length ({@code rebuild}), so that a resume with more (or fewer)
     * {@link #epochs} gives it the new horizon: the checkpoint's scheduler is rebuilt for the length it was written with, restored,
     * and the rest of its schedule stretched to the new end ({@link Schedulers#retarget}: the lr does not jump). A
     * schedule whose spec does not depend on the run length is restored as it was.
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
     * end after the average, as PyTorch's loop does. A supplier that returns a
     * scheduler built earlier reproduces PyTorch's construct-first pattern exactly.
     *
     * <p>Each epoch end in the SWA phase also evaluates the average on the validation set (logged as
     * {@code swa_val_loss} and {@code swa_val_accuracy}); plateau control, early stopping and the best checkpoint
     * keep watching the weights being trained. Checkpoints hold the average, its count and the SWA scheduler, so a
     * resume continues exactly. {@link #fit()} ends with the average written into the model (it replaces the best
     * weights of early stopping; {@link #trainedWeights()} keeps the last trained ones) and, with checkpoints, saves
     * it as {@code swa.ckpt}. No batch-norm update pass: an lr4j {@link Model} has parameters only.
     */
    public TrainingLoop swa(int startEpoch, Supplier<Scheduler> swaScheduler) {
        driver.swa(startEpoch, swaScheduler == null ? null : () -> {
            Scheduler s = swaScheduler.get();
            if (s != null && s.groups() != optimizer) {
                throw new IllegalArgumentException("the SWA scheduler " + s.name() + " must be attached to this trainer's optimizer");
            }
            return s;
        });
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
        if (!List.of("val_loss", "val_accuracy", "train_loss").contains(metric)) {
            throw new IllegalArgumentException("monitor must be val_loss, val_accuracy or train_loss, got " + metric);
        }
        this.monitor = metric;
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
        if (steps < 0) {
            throw new IllegalArgumentException("validateEverySteps must be >= 0, got " + steps);
        }
        this.validateEverySteps = steps;
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


    /** How far the run a checkpoint belongs to got. */
    public record Progress(int epochsDone, int epochs, boolean stopped) {
        /** Whether the run ended: all its epochs trained, or early stopping. */
        public boolean finished() {
            return stopped || epochsDone >= epochs;
        }
    }

    /** Where the run that wrote {@code checkpoint} stood (read and checked, nothing restored). */
    public static Progress progress(Path checkpoint) throws IOException {
        RunCheckpoints.Progress p = RunCheckpoints.progress(checkpoint);
        return new Progress(p.epochsDone(), p.epochs(), p.stopped());
    }


    /**
     * A run that does not resume refuses a checkpoint directory holding another run's checkpoints
     * (it would replace best.ckpt and prune them); with this, they are deleted before training.
     */
    public TrainingLoop overwriteCheckpoints() {
        this.overwriteCheckpoints = true;
        return this;
    }

    /**
     * How the caller built this run (e.g. the command line's options), saved in every checkpoint
     * so that a resume can take them back or refuse different ones; see {@link #runSettings(Path)}.
     */
    public TrainingLoop runSettings(Map<String, String> settings) {
        this.runSettings = new LinkedHashMap<>(settings);
        return this;
    }

    /** The settings {@link #runSettings(Map)} saved in a checkpoint (empty if none were given). */
    public static Map<String, String> runSettings(Path checkpoint) throws IOException {
        return RunCheckpoints.runSettings(checkpoint);
    }

    /** The newest step/epoch checkpoint in {@code directory}, by the optimizer steps it holds. */
    public static Path latestCheckpoint(Path directory) throws IOException {
        return latestCheckpoint(directory, skipped -> { });
    }

    /**
     * The newest readable step/epoch checkpoint in {@code directory}; each damaged one is skipped and reported to
     * {@code onSkipped}; none is an error ({@link RunCheckpoints#latest(Path, Consumer)} says so with an empty result).
     */
    public static Path latestCheckpoint(Path directory, Consumer<String> onSkipped) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("checkpoint directory " + directory + " does not exist");
        }
        return RunCheckpoints.latest(directory, onSkipped)
                .orElseThrow(() -> new IllegalArgumentException("no readable checkpoint in " + directory));
    }

    public int batchesPerEpoch() {
        return (int) ((train.size() + (long) batchSize - 1) / batchSize); // in long: a batch size near 2^31 must not wrap
    }

    /** Optimizer steps in one epoch (the last group of an epoch may hold fewer batches). */
    public int optimizerStepsPerEpoch() {
        return (batchesPerEpoch() + accumulate - 1) / accumulate;
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
        log = logDirectory == null ? null : new MetricsLog(logDirectory);
        try {
            // Refuses a folder of another run before anything is read or changed; restores a resume (read-check-commit).
            checkpoints.begin(resumeFrom, overwriteCheckpoints, state, log);
            // A schedule-free optimizer steps from y (a checkpoint written in eval mode holds x); a no-op for the others.
            optimizer.train();
            int[] order = new int[train.size()];
            while (state.epoch() < epochs && !state.best().stopped()) {
                driver.beforeEpoch(state.epoch());
                shuffle(order, seed + state.epoch());
                while (!state.epochTrained()) {
                    step(order);
                }
                validate(true);
                state.nextEpoch();
                if (checkpointing != null && checkpointing.atEpochEnd()) {
                    checkpoints.writeEpoch(state, log);
                }
            }
            optimizer.eval(); // the model leaves the loop holding what tests and saved weights should see (x)
            if (average != null && average.count() > 0) {
                trainedWeights = engine.copyWeights();
                average.copyInto(model);
                if (checkpointing != null) {
                    checkpoints.writeSwaAverage(state, log);
                }
            } else if (state.best().keepsWeights() && state.best().bestWeights() != null) {
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

    /** One optimizer step over the next group of batches (gradient accumulation), then its log row and checkpoint. */
    private void step(int[] order) {
        int groupEnd = state.groupEnd();
        int inGroup = groupEnd - state.nextBatch();
        optimizer.zeroGrad();
        double loss = 0;
        for (int b = state.nextBatch(); b < groupEnd; b++) {
            int from = b * batchSize;
            loss += model.lossAndGradient(train, order, from, Math.min(train.size(), from + batchSize), 1.0 / inGroup);
        }
        loss /= inGroup;
        boolean applied = optimizer.step();
        state.stepped(groupEnd, loss, applied);
        if (applied) {
            driver.afterUpdate(state.optimizerSteps(), state.epoch());
        } else {
            listener.onWarning("step skipped at epoch " + (state.epoch() + 1) + ", batch " + (groupEnd - 1)
                    + ": a gradient was not finite (the schedule did not advance)");
        }
        TestHold.at("step");
        logStep(loss, !applied);
        long steps = state.optimizerSteps();
        if (applied && validateEverySteps > 0 && steps % validateEverySteps == 0 && !state.epochTrained()) {
            validate(false);
        }
        if (applied && checkpointing != null && checkpointing.everySteps() > 0 && steps % checkpointing.everySteps() == 0
                && !state.epochTrained()) {
            checkpoints.writeStep(state, log);
        }
    }

    static void shuffle(int[] order, long seed) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private void logStep(double loss, boolean skipped) {
        double[] lr = groupLrs();
        double[] m = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            m[g] = optimizer.momentum(g);
        }
        int epoch = state.epoch();
        long steps = state.optimizerSteps();
        listener.onStep(new StepInfo(steps, epoch, state.nextBatch() - 1, batchesPerEpoch(), loss, lr, m, skipped));
        if (log != null) {
            log.step(MetricsLog.stepRow(steps, epoch + 1, state.nextBatch() - 1, loss, skipped, lr,
                    optimizer.momentumKind() != MomentumKind.NONE ? m : null, driver.scheduledValues(hyperParameters)));
        }
    }

    private double[] groupLrs() {
        double[] lr = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = optimizer.lr(g);
        }
        return lr;
    }


    /** Validation; at an epoch end also plateau control, SWA's average, early stopping and the best checkpoint. */
    private void validate(boolean epochEnd) {
        int epoch = state.epoch();
        BestEpoch tracker = state.best();
        // Validation, the best weights and best.ckpt see a schedule-free optimizer's x. Not switching when
        // nothing reads the weights keeps the run free of the switch's rounding (eval then train is not exact).
        boolean averages = epochEnd && driver.swaPhase(epoch);
        boolean readsWeights = validation != null || averages || epochEnd && (tracker.keepsWeights()
                || checkpointing != null && checkpointing.best());
        if (readsWeights) {
            optimizer.eval();
        }
        // The lr before this validation's epoch-end schedule step: for a per-epoch schedule, the lr the epoch trained with
        // (the row's lr0.. is the value after the step, the next epoch's). A per-step schedule moved it every step: steps.csv.
        double[] lrTrained = groupLrs();
        double trainLoss = state.trainLoss();
        Model.Evaluation v = validation == null ? new Model.Evaluation(Double.NaN, Double.NaN) : model.evaluate(validation);
        double metric = monitor.equals("val_loss") ? v.loss() : monitor.equals("val_accuracy") ? v.accuracy() : trainLoss;
        Model.Evaluation swaValidation = null;
        if (averages) {
            average.update(model); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
            if (validation != null) {
                swaValidation = average.evaluate(model, validation);
            }
        }
        boolean best = false;
        if (epochEnd) {
            driver.afterEpoch(epoch, OptionalDouble.of(metric));
            best = tracker.observe(epoch, metric, engine::copyWeights);
            if (tracker.stopped()) {
                listener.onWarning(tracker.stopMessage(epoch));
            }
        }
        EpochInfo info = new EpochInfo(epoch, state.optimizerSteps(), trainLoss, v.loss(), v.accuracy(), groupLrs(), best);
        if (epochEnd) {
            state.history().add(info);
        }
        listener.onValidation(info);
        if (log != null) {
            Map<String, Object> row = MetricsLog.epochRow(epoch + 1, state.optimizerSteps(), epochEnd, trainLoss, v.loss(),
                    v.accuracy(), info.lr(), best);
            if (driver.swaStart() > 0) { // every row, so that the CSV has the columns from its first row on (NaN: not averaging)
                row.put("swa_val_loss", swaValidation == null ? Double.NaN : swaValidation.loss());
                row.put("swa_val_accuracy", swaValidation == null ? Double.NaN : swaValidation.accuracy());
            }
            driver.scheduledValues(hyperParameters).forEach((name, values) -> MetricsLog.putGroups(row, name, values));
            MetricsLog.putGroups(row, "lr_trained", lrTrained);
            log.epoch(row);
        }
        if (best && checkpointing != null && checkpointing.best()) {
            checkpoints.writeBest(state, log);
        }
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