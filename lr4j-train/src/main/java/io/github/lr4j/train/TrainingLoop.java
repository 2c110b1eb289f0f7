package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.scheduler.Schedulers;
import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

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

    // Loop state (all of it goes into checkpoints).
    private int epoch;
    private int nextBatch;
    private long optimizerSteps;
    private long skippedSteps;
    private double epochLossSum;
    private int epochBatches;
    private double bestMetric = Double.NaN;
    private int bestEpoch = -1;
    private int wait;
    private boolean stopped;
    private float[][] bestWeights;
    private final List<EpochInfo> history = new ArrayList<>();
    private Path resumeFrom;
    private boolean overwriteCheckpoints;
    /** A resume of a finished run that trains on: false (not one), or with the schedule restarted or at its final lr. */
    private boolean extendFinished;
    private boolean restartSchedule;
    /** The epoch (0: the run's start) from which the schedules run, sized for the epochs left then (a warm restart). */
    private int scheduleStart;
    /** The optimizer's values when the loop was made (before schedules are attached): where a warm restart starts. */
    private final GroupValues startValues;
    /** The optimizer's hyper-parameters by name, made once: the logs read the scheduled ones at every step. */
    private final HyperParameters hyperParameters;
    private Map<String, String> runSettings = Map.of();
    private MetricsLog log;

    // Stochastic weight averaging (see swa()); the average and the SWA scheduler's state go into checkpoints.
    private WeightAverage average;
    private Model.Evaluation swaValidation;
    private float[][] trainedWeights;
    private boolean writingSwaAverage;

    private TrainingLoop(Model model, Optimizer optimizer, Dataset train) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
        this.startValues = GroupValues.of(optimizer);
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

    /** In the SWA phase: the current epoch (0-based) is at or after the SWA start (1-based). */
    private boolean swaPhase() {
        return driver.swaPhase(epoch);
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
        HeaderReader h = new HeaderReader(checkpoint, CheckpointFile.read(checkpoint).header());
        return new Progress((int) h.integer("epoch", 0, Integer.MAX_VALUE),
                (int) h.map("settings").integer("epochs", 1, Integer.MAX_VALUE), h.bool("stopped"));
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
        Object run = CheckpointFile.read(checkpoint).header().get("run");
        if (run == null) {
            return Map.of();
        }
        if (!(run instanceof Map)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is not valid: run must be an object, got " + run);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) run).entrySet()) {
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " is not valid: run." + e.getKey()
                        + " must be text, got " + e.getValue());
            }
            out.put(String.valueOf(e.getKey()), (String) e.getValue());
        }
        return out;
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
        List<String> warnings = new ArrayList<>();
        long stepCalls = (long) optimizerStepsPerEpoch() * epochs;
        List<Attached> schedulers = driver.attached();
        int swaStart = driver.swaStart();
        for (Attached a : schedulers) {
            String name = a.scheduler().name();
            long calls = (a.interval() == Interval.STEP ? stepCalls : epochs) / a.frequency();
            if (a.scheduler().drivenByMetric()) {
                if (monitor.startsWith("val_") && validation == null) {
                    throw new IllegalArgumentException(name + " monitors " + monitor + " but there is no validation set:"
                            + " give one, or monitor train_loss");
                }
                continue;
            }
            SchedulerType.LintContext lints = SchedulerType.LintContext.forRun(calls, a.interval() == Interval.EPOCH,
                    (a.interval() == Interval.STEP ? "per optimizer step" : "per epoch") + " over " + epochs + " epochs", null);
            SchedulerTypes.lint(a.scheduler().spec(), lints);
            if (!lints.failures().isEmpty()) {
                throw new IllegalArgumentException(lints.failures().get(0));
            }
            warnings.addAll(lints.warnings());
        }
        for (Attached plateau : schedulers) {
            if (!plateau.scheduler().drivenByMetric()) {
                continue;
            }
            for (Attached a : schedulers) {
                String name = a.scheduler().name();
                if (SchedulerTypes.find(name).map(SchedulerType::overwritesLr).orElse(false)) {
                    warnings.add(plateau.scheduler().name() + " is stacked on " + name + ", which sets the lr from its own"
                            + " schedule at every step: every cut of " + plateau.scheduler().name() + " is overwritten");
                }
            }
        }
        if (earlyStopping != null && monitor.startsWith("val_") && validation == null) {
            throw new IllegalArgumentException("early stopping monitors " + monitor + " but there is no validation set");
        }
        if (swaStart > epochs) {
            throw new IllegalArgumentException("swa start epoch must be in [1, " + epochs + "] (the run's epochs), got " + swaStart
                    + ": no weights would be averaged");
        }
        if (swaStart > 0 && earlyStopping != null && earlyStopping.restoreBestWeights()) {
            warnings.add("with SWA the model ends holding the average of epochs " + swaStart + " to the end, not the best"
                    + " weights early stopping would restore (unless it stops before epoch " + swaStart + ")");
        }
        return warnings;
    }

    /** Trains (or continues a resumed run) to the end or to early stopping. */
    public Result fit() {
        for (String w : preflight()) {
            listener.onWarning(w);
        }
        // A folder holding another run's checkpoints is refused before anything is read or changed; with overwrite,
        // they are deleted only once the resume (if any) was read, checked and restored.
        List<Path> foreign = checkpointing == null ? List.of() : foreignCheckpoints();
        optimizer.nonFiniteGradients(NonFiniteGradients.SKIP);
        if (logDirectory != null) {
            log = new MetricsLog(logDirectory);
            if (resumeFrom == null) {
                log.truncate(0, 0); // a new run's logs start empty, once nothing refused it
            }
        }
        try {
            if (resumeFrom != null) {
                restore(resumeFrom);
            }
            deleteAll(foreign);
            // A schedule-free optimizer steps from y (a checkpoint written in eval mode holds x); a no-op for the others.
            optimizer.train();
            if (checkpointing != null) {
                // Before training (and after a restore, which writes nothing): a directory that cannot be
                // made fails now, not after the first epoch.
                try {
                    Files.createDirectories(checkpointing.directory());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the checkpoint directory " + checkpointing.directory(), e);
                }
            }
            int[] order = new int[train.size()];
            int batches = batchesPerEpoch();
            while (epoch < epochs && !stopped) {
                driver.beforeEpoch(epoch);
                shuffle(order, seed + epoch);
                while (nextBatch < batches && !stopped) {
                    int groupEnd = Math.min(batches, (nextBatch / accumulate + 1) * accumulate);
                    int inGroup = groupEnd - nextBatch;
                    optimizer.zeroGrad();
                    double loss = 0;
                    for (int b = nextBatch; b < groupEnd; b++) {
                        int from = b * batchSize;
                        int to = Math.min(train.size(), from + batchSize);
                        loss += model.lossAndGradient(train, order, from, to, 1.0 / inGroup);
                    }
                    loss /= inGroup;
                    nextBatch = groupEnd;
                    epochLossSum += loss * inGroup;
                    epochBatches += inGroup;
                    boolean applied = optimizer.step();
                    if (applied) {
                        optimizerSteps++;
                        driver.afterUpdate(optimizerSteps, epoch);
                    } else {
                        skippedSteps++;
                        listener.onWarning("step skipped at epoch " + (epoch + 1) + ", batch " + (groupEnd - 1)
                                + ": a gradient was not finite (the schedule did not advance)");
                    }
                    TestHold.at("step");
                    logStep(loss, !applied, batches);
                    if (applied && validateEverySteps > 0 && optimizerSteps % validateEverySteps == 0 && nextBatch < batches) {
                        validate(false);
                    }
                    if (applied && checkpointing != null && checkpointing.everySteps() > 0
                            && optimizerSteps % checkpointing.everySteps() == 0 && nextBatch < batches) {
                        writeCheckpoint("step-" + String.format("%09d", optimizerSteps) + ".ckpt", true);
                    }
                }
                if (stopped) {
                    break;
                }
                validate(true);
                epoch++;
                nextBatch = 0;
                epochLossSum = 0;
                epochBatches = 0;
                if (checkpointing != null && checkpointing.atEpochEnd()) {
                    writeCheckpoint("epoch-" + String.format("%05d", epoch) + ".ckpt", true);
                }
            }
            optimizer.eval(); // the model leaves the loop holding what tests and saved weights should see (x)
            if (average != null && average.count() > 0) {
                trainedWeights = copyWeights();
                average.copyInto(model);
                if (checkpointing != null) {
                    writingSwaAverage = true; // the header marks it: "swa_average": true
                    try {
                        writeCheckpoint("swa.ckpt", false);
                    } finally {
                        writingSwaAverage = false;
                    }
                }
            } else if (earlyStopping != null && earlyStopping.restoreBestWeights() && bestWeights != null) {
                List<Parameter> ps = model.parameters();
                for (int i = 0; i < ps.size(); i++) {
                    System.arraycopy(bestWeights[i], 0, ps.get(i).data(), 0, bestWeights[i].length);
                }
            }
            return new Result(epoch, optimizerSteps, skippedSteps, stopped, bestEpoch + 1, bestMetric, List.copyOf(history));
        } finally {
            if (log != null) {
                log.close();
            }
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

    private void logStep(double loss, boolean skipped, int batches) {
        double[] lr = new double[optimizer.size()];
        double[] m = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = optimizer.lr(g);
            m[g] = optimizer.momentum(g);
        }
        StepInfo info = new StepInfo(optimizerSteps, epoch, nextBatch - 1, batches, loss, lr, m, skipped);
        listener.onStep(info);
        if (log != null) {
            log.step(MetricsLog.stepRow(optimizerSteps, epoch + 1, nextBatch - 1, loss, skipped, lr,
                    optimizer.momentumKind() != MomentumKind.NONE ? m : null, driver.scheduledValues(hyperParameters)));
        }
    }

    /** Validation; at an epoch end also plateau control, early stopping and the best checkpoint. */
    private void validate(boolean epochEnd) {
        // Validation, the best weights and best.ckpt see a schedule-free optimizer's x. Not switching when
        // nothing reads the weights keeps the run free of the switch's rounding (eval then train is not exact).
        boolean averages = epochEnd && swaPhase();
        boolean readsWeights = validation != null || averages || epochEnd && (earlyStopping != null && earlyStopping.restoreBestWeights()
                || checkpointing != null && checkpointing.best());
        if (readsWeights) {
            optimizer.eval();
        }
        // The lr before this validation's epoch-end schedule step: for a per-epoch schedule, the lr the epoch trained with
        // (the row's lr0.. is the value after the step, the next epoch's). A per-step schedule moved it every step: steps.csv.
        double[] lrTrained = new double[optimizer.size()];
        for (int g = 0; g < lrTrained.length; g++) {
            lrTrained[g] = optimizer.lr(g);
        }
        double trainLoss = epochBatches == 0 ? Double.NaN : epochLossSum / epochBatches;
        Model.Evaluation v = validation == null ? new Model.Evaluation(Double.NaN, Double.NaN) : model.evaluate(validation);
        double metric = monitor.equals("val_loss") ? v.loss() : monitor.equals("val_accuracy") ? v.accuracy() : trainLoss;
        boolean best = false;
        swaValidation = null;
        if (averages) {
            average.update(model); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
            if (validation != null) {
                swaValidation = average.evaluate(model, validation);
            }
        }
        if (epochEnd) {
            driver.afterEpoch(epoch, OptionalDouble.of(metric));
            if (bestEpoch < 0 || mode.improves(metric, bestMetric, earlyStopping == null ? 0 : earlyStopping.minDelta())) {
                bestMetric = metric;
                bestEpoch = epoch;
                wait = 0;
                best = true;
                if (earlyStopping != null && earlyStopping.restoreBestWeights()) {
                    bestWeights = copyWeights();
                }
            } else {
                wait++;
                if (earlyStopping != null && wait >= earlyStopping.patience()) {
                    stopped = true;
                    listener.onWarning("early stopping after epoch " + (epoch + 1) + ": " + monitor + " has not improved for "
                            + wait + " epochs (best " + bestMetric + " at epoch " + (bestEpoch + 1) + ")");
                }
            }
        }
        double[] lr = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = optimizer.lr(g);
        }
        EpochInfo info = new EpochInfo(epoch, optimizerSteps, trainLoss, v.loss(), v.accuracy(), lr, best);
        if (epochEnd) {
            history.add(info);
        }
        listener.onValidation(info);
        if (log != null) {
            Map<String, Object> row = MetricsLog.epochRow(epoch + 1, optimizerSteps, epochEnd, trainLoss, v.loss(), v.accuracy(),
                    lr, best);
            if (driver.swaStart() > 0) { // every row, so that the CSV has the columns from its first row on (NaN: not averaging)
                row.put("swa_val_loss", swaValidation == null ? Double.NaN : swaValidation.loss());
                row.put("swa_val_accuracy", swaValidation == null ? Double.NaN : swaValidation.accuracy());
            }
            driver.scheduledValues(hyperParameters).forEach((name, values) -> MetricsLog.putGroups(row, name, values));
            MetricsLog.putGroups(row, "lr_trained", lrTrained);
            log.epoch(row);
        }
        if (epochEnd && best && checkpointing != null && checkpointing.best()) {
            // Written before the epoch counter moves on: resuming from it re-runs nothing of this epoch.
            epoch++;
            nextBatch = 0;
            double savedSum = epochLossSum;
            int savedBatches = epochBatches;
            epochLossSum = 0;
            epochBatches = 0;
            writeCheckpoint("best.ckpt", false);
            epoch--;
            epochLossSum = savedSum;
            epochBatches = savedBatches;
            nextBatch = batchesPerEpoch();
        }
        optimizer.train();
    }

    private float[][] copyWeights() {
        List<Parameter> ps = model.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ps.get(i).data().clone();
        }
        return out;
    }

    // --- checkpoints ---

    private Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "lr4j-train-checkpoint");
        h.put("epoch", epoch);
        h.put("next_batch", nextBatch);
        h.put("optimizer_steps", optimizerSteps);
        h.put("skipped_steps", skippedSteps);
        h.put("epoch_loss_sum", epochLossSum);
        h.put("epoch_batches", epochBatches);
        h.put("best_metric", SchedulerState.jsonNumber(bestMetric));
        h.put("best_epoch", bestEpoch);
        h.put("wait", wait);
        h.put("stopped", stopped);
        if (scheduleStart > 0) {
            h.put("schedule_start_epoch", scheduleStart); // the schedules were restarted there (extendFinishedRun)
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", epochs);
        settings.put("batch_size", batchSize);
        settings.put("accumulate", accumulate);
        settings.put("seed", seed);
        settings.put("train_size", train.size());
        h.put("settings", settings);
        h.put("run", runSettings);
        List<Object> states = new ArrayList<>();
        for (SchedulerState state : driver.states()) {
            states.add(state.toMap());
        }
        h.put("schedulers", states);
        Map<String, Object> swa = new LinkedHashMap<>();
        swa.put("start_epoch", driver.swaStart());
        swa.put("n_averaged", average == null ? 0 : average.count());
        swa.put("scheduler", driver.swaScheduler() == null ? null : driver.swaScheduler().state().toMap());
        h.put("swa", swa);
        if (writingSwaAverage) {
            h.put("swa_average", true); // swa.ckpt: the parameters are the average, not weights to train on from
        }
        List<Object> hist = new ArrayList<>();
        for (EpochInfo e : history) {
            hist.add(List.of(e.epoch(), e.step(), SchedulerState.jsonNumber(e.trainLoss()), SchedulerState.jsonNumber(e.valLoss()),
                    SchedulerState.jsonNumber(e.valAccuracy()), SchedulerState.jsonNumbers(e.lr()), e.best()));
        }
        h.put("history", hist);
        h.put("log_step_rows", log == null ? 0 : log.stepRows());
        h.put("log_epoch_rows", log == null ? 0 : log.epochRows());
        return h;
    }

    private void writeCheckpoint(String name, boolean rotate) {
        try {
            ByteArrayOutputStream opt = new ByteArrayOutputStream();
            optimizer.save(opt);
            List<float[]> params = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                params.add(p.data());
            }
            Path target = checkpointing.directory().resolve(name);
            CheckpointFile.write(target, header(), params, opt.toByteArray(), bestWeights == null ? null : Arrays.asList(bestWeights),
                    average == null || average.count() == 0 ? null : Arrays.asList(average.raw()));
            if (rotate) {
                rotate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name, e);
        }
    }

    private void rotate() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(checkpointing.directory())) {
            all = s.filter(p -> {
                String f = p.getFileName().toString();
                return (f.startsWith("step-") || f.startsWith("epoch-")) && f.endsWith(".ckpt");
            }).sorted((a, b) -> Long.compare(modified(a), modified(b))).toList();
        }
        for (int i = 0; i < all.size() - checkpointing.keepLast(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() * 1_000_000 + p.getFileName().toString().hashCode() % 1000;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isCheckpoint(String fileName) {
        return (fileName.startsWith("step-") || fileName.startsWith("epoch-") || fileName.equals("best.ckpt")
                || fileName.equals("swa.ckpt")) && fileName.endsWith(".ckpt");
    }

    private boolean inCheckpointDirectory(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent != null && parent.equals(checkpointing.directory().toAbsolutePath().normalize());
    }

    /** What makes two checkpoints parts of one run: the settings (but the length) and the caller's run settings. */
    private static Object runIdentity(Path checkpoint) {
        try {
            Map<String, Object> h = CheckpointFile.read(checkpoint).header();
            Map<String, Object> settings = h.get("settings") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                    : new LinkedHashMap<>();
            settings.remove("epochs");
            return List.of(settings, String.valueOf(h.get("run")));
        } catch (IOException | IllegalArgumentException unreadable) {
            return checkpoint; // an unreadable file belongs to no run we can tell: unlike any other
        }
    }

    /**
     * The checkpoints in the checkpoint directory that belong to another run: all of them for a new run; for a resume
     * from a file outside the directory, those written with other settings. Refused unless
     * {@link #overwriteCheckpoints()}, in which case the caller deletes them once the resume is restored.
     */
    @SuppressWarnings("unchecked")
    private List<Path> foreignCheckpoints() {
        Path dir = checkpointing.directory();
        if (!Files.isDirectory(dir) || resumeFrom != null && inCheckpointDirectory(resumeFrom)) {
            return List.of();
        }
        List<Path> found;
        try (Stream<Path> s = Files.list(dir)) {
            found = s.filter(p -> isCheckpoint(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint directory " + dir, e);
        }
        if (resumeFrom != null) {
            Object mine = runIdentity(resumeFrom);
            found = found.stream().filter(p -> !runIdentity(p).equals(mine)).toList();
        }
        if (found.isEmpty()) {
            return List.of();
        }
        if (!overwriteCheckpoints) {
            throw new IllegalArgumentException("checkpoint directory " + dir + " holds " + found.size() + " checkpoint"
                    + (found.size() == 1 ? "" : "s") + " of another run (" + found.get(0).getFileName()
                    + (found.size() > 1 ? ", ..." : "") + "): resume that run, or start over and delete them"
                    + " (--overwrite; TrainingLoop.overwriteCheckpoints())");
        }
        return found;
    }

    private void deleteAll(List<Path> checkpoints) {
        try {
            for (Path p : checkpoints) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old checkpoints in " + checkpointing.directory(), e);
        }
    }

    /** The newest step/epoch checkpoint in {@code directory}, by the optimizer steps it holds. */
    public static Path latestCheckpoint(Path directory) throws IOException {
        return latestCheckpoint(directory, skipped -> { });
    }

    /**
     * The newest readable step/epoch checkpoint in {@code directory}; each damaged one is skipped and
     * reported to {@code onSkipped} as one line naming the file and the reason.
     */
    public static Path latestCheckpoint(Path directory, java.util.function.Consumer<String> onSkipped) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("checkpoint directory " + directory + " does not exist");
        }
        Path best = null;
        long bestSteps = -1;
        List<Path> candidates;
        try (Stream<Path> s = Files.list(directory)) {
            candidates = s.filter(p -> {
                String f = p.getFileName().toString();
                return isCheckpoint(f) && !f.equals("best.ckpt") && !f.equals("swa.ckpt");
            }).sorted().toList();
        }
        for (Path p : candidates) {
            try {
                Object steps = CheckpointFile.read(p).header().get("optimizer_steps");
                if (!(steps instanceof Number) || ((Number) steps).longValue() < 0) {
                    throw new IllegalArgumentException("checkpoint " + p + " is not valid: optimizer_steps must be a"
                            + " number >= 0, got " + steps);
                }
                if (((Number) steps).longValue() > bestSteps) {
                    bestSteps = ((Number) steps).longValue();
                    best = p;
                }
            } catch (IllegalArgumentException damaged) {
                onSkipped.accept("skipped " + p.getFileName() + ": " + damaged.getMessage());
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no readable checkpoint in " + directory);
        }
        return best;
    }


    /** A checkpoint's header, read and checked against this run before anything is changed. */
    private record Saved(int epoch, int nextBatch, long optimizerSteps, long skippedSteps, double epochLossSum,
                         int epochBatches, double bestMetric, int bestEpoch, int epochsWithoutImprovement, boolean stopped,
                         List<SchedulerState> schedulerStates, List<EpochInfo> history, long logStepRows, long logEpochRows,
                         int epochs, long swaAveraged, SchedulerState swaSchedulerState, int scheduleStart) { }

    /** Reads and checks every field; throws an IllegalArgumentException naming the file, the field and the value. */
    private Saved check(Path file, CheckpointFile.Contents c) {
        HeaderReader h = new HeaderReader(file, c.header());
        if (!"lr4j-train-checkpoint".equals(c.header().get("format"))) {
            throw new IllegalArgumentException("checkpoint " + file + " is not an lr4j training checkpoint (format "
                    + c.header().get("format") + ")");
        }
        HeaderReader settings = h.map("settings");
        Map<String, Object> mine = new LinkedHashMap<>();
        mine.put("batch_size", (long) batchSize);
        mine.put("accumulate", (long) accumulate);
        mine.put("seed", seed);
        mine.put("train_size", (long) train.size());
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            long saved = settings.integer(e.getKey(), Long.MIN_VALUE, Long.MAX_VALUE);
            if (saved != (Long) e.getValue()) {
                throw new IllegalArgumentException("checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; resume with the same settings");
            }
        }
        List<Parameter> ps = model.parameters();
        checkShapes(file, "parameters", c.params(), ps);
        if (c.bestParams() != null) {
            checkShapes(file, "best weights", c.bestParams(), ps);
        }
        int batches = batchesPerEpoch();
        int epochSaved = (int) h.integer("epoch", 0, Integer.MAX_VALUE);
        int nextBatchSaved = (int) h.integer("next_batch", 0, batches);
        long steps = h.integer("optimizer_steps", 0, Long.MAX_VALUE);
        long skipped = h.integer("skipped_steps", 0, Long.MAX_VALUE);
        double lossSum = h.number("epoch_loss_sum");
        int epochBatchesSaved = (int) h.integer("epoch_batches", 0, batches);
        double best = h.number("best_metric");
        int bestEpochSaved = (int) h.integer("best_epoch", -1, epochSaved);
        int waitSaved = (int) h.integer("wait", 0, Integer.MAX_VALUE);
        boolean stoppedSaved = h.bool("stopped");
        List<Object> states = h.list("schedulers");
        if (states.size() != driver.attached().size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + states.size() + " schedulers, this run has "
                    + driver.attached().size());
        }
        List<SchedulerState> schedulerStates = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            schedulerStates.add(SchedulerState.of(h.element("schedulers", i, states.get(i)).raw()));
        }
        List<Object> hist = h.list("history");
        if (hist.size() != epochSaved) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: history holds " + hist.size()
                    + " epochs but epoch is " + epochSaved);
        }
        // Every optimizer step call, applied or skipped, is one group of batches: the counters must tell the same story.
        long calls = (long) epochSaved * optimizerStepsPerEpoch() + (nextBatchSaved + accumulate - 1) / accumulate;
        if (steps + skipped != calls || epochBatchesSaved != nextBatchSaved) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: optimizer_steps " + steps + " + skipped_steps "
                    + skipped + " must be " + calls + " at epoch " + epochSaved + ", batch " + nextBatchSaved
                    + " (and epoch_batches " + epochBatchesSaved + " must equal next_batch)");
        }
        checkFinite(file, "parameters", c.params(), model.parameters());
        if (c.bestParams() != null) {
            checkFinite(file, "best weights", c.bestParams(), model.parameters());
        }
        if (c.swaAverage() != null) {
            checkFinite(file, "SWA average", c.swaAverage(), model.parameters());
        }
        List<EpochInfo> historySaved = new ArrayList<>();
        for (int i = 0; i < hist.size(); i++) {
            HeaderReader e = h.row("history", i, hist.get(i), 7);
            List<Object> lrs = e.listAt(5);
            if (lrs.size() != optimizer.size()) {
                throw new IllegalArgumentException("checkpoint " + file + " is not valid: history[" + i + "] has " + lrs.size()
                        + " lrs, the optimizer has " + optimizer.size() + " groups");
            }
            double[] lr = new double[lrs.size()];
            for (int g = 0; g < lr.length; g++) {
                lr[g] = e.numberOf("history[" + i + "].lr[" + g + "]", lrs.get(g));
            }
            historySaved.add(new EpochInfo((int) e.integerAt(0, 0, epochSaved), e.integerAt(1, 0, steps), e.numberAt(2),
                    e.numberAt(3), e.numberAt(4), lr, e.boolAt(6)));
        }
        // One step row per step taken or skipped; one epoch row per validation (at most one per step, plus epoch ends).
        long stepRows = h.integer("log_step_rows", 0, steps + skipped);
        long epochRows = h.integer("log_epoch_rows", 0, steps + epochSaved);
        int epochsSaved = (int) settings.integer("epochs", 1, Integer.MAX_VALUE);
        // SWA: a version 1 checkpoint (no "swa" field) comes from a run without it.
        long swaStartSaved = 0;
        long averaged = 0;
        SchedulerState swaState = null;
        if (c.header().containsKey("swa")) {
            HeaderReader swa = h.map("swa");
            swaStartSaved = swa.integer("start_epoch", 0, Integer.MAX_VALUE);
            averaged = swa.integer("n_averaged", 0, epochSaved);
            if (swa.raw().get("scheduler") != null) {
                swaState = SchedulerState.of(swa.map("scheduler").raw());
            }
        }
        int swaStart = driver.swaStart();
        if (swaStartSaved != swaStart) {
            throw new IllegalArgumentException("checkpoint " + file + " was written by a run with "
                    + (swaStartSaved == 0 ? "no SWA" : "SWA from epoch " + swaStartSaved) + " but this run has "
                    + (swaStart == 0 ? "no SWA" : "SWA from epoch " + swaStart) + "; resume with the same setting");
        }
        if ((averaged > 0) != (c.swaAverage() != null)) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: n_averaged is " + averaged + " but it "
                    + (c.swaAverage() == null ? "holds no" : "holds an") + " SWA average");
        }
        if (c.swaAverage() != null) {
            checkShapes(file, "SWA average", c.swaAverage(), ps);
        }
        if (swaState != null && !driver.hasSwaFactory()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds an SWA scheduler but this run has none");
        }
        boolean inSwaPhase = averaged > 0 || swaStart > 0 && epochSaved + 1 >= swaStart && nextBatchSaved > 0;
        if (swaState == null && driver.hasSwaFactory() && inSwaPhase) {
            throw new IllegalArgumentException("checkpoint " + file + " was written in the SWA phase by a run without an SWA"
                    + " scheduler, but this run has one; resume with the same setting");
        }
        if (Boolean.TRUE.equals(c.header().get("swa_average"))) {
            throw new IllegalArgumentException("checkpoint " + file + " holds the SWA average written at the end of the run,"
                    + " not a state to train on from; resume from an epoch or step checkpoint");
        }
        int scheduleStartSaved = c.header().containsKey("schedule_start_epoch")
                ? (int) h.integer("schedule_start_epoch", 1, epochSaved) : 0;
        if (extendFinished) {
            if (!(stoppedSaved || epochSaved >= epochsSaved)) {
                throw new IllegalArgumentException("checkpoint " + file + " is from a run that has not finished (epoch "
                        + epochSaved + " of " + epochsSaved + "): resume it as it is");
            }
            if (epochs <= epochSaved) {
                throw new IllegalArgumentException("to train on from checkpoint " + file + ", epochs must be more than the "
                        + epochSaved + " it trained, got " + epochs);
            }
            if (restartSchedule && swaStart > 0) {
                throw new IllegalArgumentException("a schedule restart does not combine with SWA; extend the run without SWA");
            }
        }
        if (scheduleStartSaved > 0 && epochs <= scheduleStartSaved) {
            throw new IllegalArgumentException("checkpoint " + file + " restarted its schedules at epoch " + scheduleStartSaved
                    + ": epochs must be more than that, got " + epochs);
        }
        return new Saved(epochSaved, nextBatchSaved, steps, skipped, lossSum, epochBatchesSaved, best, bestEpochSaved, waitSaved,
                stoppedSaved, schedulerStates, historySaved, stepRows, epochRows, epochsSaved, averaged, swaState,
                scheduleStartSaved);
    }

    /** Weights that are not finite train to nothing (every step is skipped): refused, naming where. */
    private static void checkFinite(Path file, String what, float[][] saved, List<Parameter> ps) {
        for (int i = 0; i < saved.length; i++) {
            for (int k = 0; k < saved[i].length; k++) {
                if (!Float.isFinite(saved[i][k])) {
                    throw new IllegalArgumentException("checkpoint " + file + " is not valid: its " + what + " hold "
                            + saved[i][k] + " in " + ps.get(i).name() + "[" + k + "]; nothing can be trained from it");
                }
            }
        }
    }

    private static void checkShapes(Path file, String what, float[][] saved, List<Parameter> ps) {
        if (saved.length != ps.size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + saved.length + " " + what + ", the model has "
                    + ps.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            if (saved[i].length != ps.get(i).size()) {
                throw new IllegalArgumentException("parameter " + ps.get(i).name() + " has " + ps.get(i).size()
                        + " values but the checkpoint's " + what + " have " + saved[i].length);
            }
        }
    }

    /**
     * Restores a checkpoint: reads and checks all of it first; then restores the schedulers and the
     * optimizer (rolled back to their previous state if either refuses), then the rest, which cannot fail.
     */
    private void restore(Path file) {
        CheckpointFile.Contents c;
        try {
            c = CheckpointFile.read(file, model.parameters().stream().mapToInt(Parameter::size).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        Saved saved = check(file, c);
        byte[] optimizerBefore = optimizerBytes();
        ScheduleDriver.Restore token;
        boolean restart = extendFinished && restartSchedule;
        int start = restart ? saved.epoch() : saved.scheduleStart();
        try {
            if (restart) {
                driver.requireRebuildable(); // the schedules are built afresh once the optimizer's state is back
            }
            // Restarted schedules were sized for the epochs left at their start: restore them on that footing.
            token = restart ? driver.restore("checkpoint " + file, driver.states(), null, 0, 0, 0)
                    : driver.restore("checkpoint " + file, saved.schedulerStates(), saved.swaSchedulerState(),
                    saved.epochs() - start, epochs - start, optimizerStepsPerEpoch(), start > 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot restore checkpoint " + file + ": " + e.getMessage()
                    + "; nothing was changed", e);
        }
        try {
            // Last: each scheduler wrote its own last lr into the groups; the optimizer's saved lrs and
            // momenta are what the groups really held.
            optimizer.load(new ByteArrayInputStream(c.optimizer()));
            if (restart) {
                // The schedules start again from the values the run started with (each group's initial lr where the
                // optimizer knows it), keeping the trained weights and the optimizer's buffers.
                startValues.writeInto(optimizer);
                for (int g = 0; g < optimizer.size(); g++) {
                    if (!Double.isNaN(optimizer.initialLr(g))) {
                        optimizer.setLr(g, optimizer.initialLr(g));
                    }
                }
                driver.rebuildAll(epochs - start); // each writes its step-0 values into the groups
            }
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            driver.rollback(token);
            try {
                optimizer.load(new ByteArrayInputStream(optimizerBefore));
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
            throw new IllegalArgumentException("cannot restore checkpoint " + file + ": " + e.getMessage()
                    + "; nothing was changed", e);
        }
        if (average != null) {
            average.restore(c.swaAverage(), saved.swaAveraged());
        }
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(c.params()[i], 0, ps.get(i).data(), 0, c.params()[i].length);
        }
        bestWeights = c.bestParams();
        epoch = saved.epoch();
        nextBatch = saved.nextBatch();
        optimizerSteps = saved.optimizerSteps();
        skippedSteps = saved.skippedSteps();
        epochLossSum = saved.epochLossSum();
        epochBatches = saved.epochBatches();
        bestMetric = saved.bestMetric();
        bestEpoch = saved.bestEpoch();
        wait = saved.epochsWithoutImprovement();
        stopped = saved.stopped() && !extendFinished;
        if (extendFinished) {
            wait = 0; // early stopping judges the added epochs afresh
        }
        scheduleStart = start;
        history.clear();
        history.addAll(saved.history());
        if (log != null) {
            log.truncate(saved.logStepRows(), saved.logEpochRows());
        }
    }

    private byte[] optimizerBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            optimizer.save(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
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
