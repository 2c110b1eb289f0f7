package io.github.lr4j.spark;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.ParamGrouping;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;

/**
 * Data-parallel training on Spark by parameter averaging (the scheme of DL4J's and BigDL's Spark
 * trainers), for any model given as a {@link ModelFactory}.
 *
 * <p>The training RDD is cut into equal shards, one per partition ({@link #partitions}). A
 * <em>round</em>: the driver broadcasts the weights and the optimizer's state; every partition
 * runs K ({@link #localSteps}) optimizer steps on its own mini-batches, local step {@code k} with the
 * lr of the <em>global</em> step {@code globalStep + k} (no communication needed); the driver
 * averages weights and optimizer buffers, weighted by the samples each partition trained on and added in
 * partition order (never in the order tasks finish, so a run is repeatable at any partition count), and advances
 * the global step by K. At each epoch end a distributed
 * validation pass feeds plateau schedules, early stopping and the best-weights record.
 *
 * <p>What counts: a <em>step</em> is one local optimizer step, taken by every partition at once on
 * its slice of one global mini-batch of {@link #batchSize} samples (each partition takes
 * {@code ceil(batchSize / partitions)}). An epoch has {@link #stepsPerEpoch()} steps (one pass of
 * each shard), so a schedule's {@code total_steps} is {@code epochs * stepsPerEpoch()}, exactly as
 * on one machine with the same global batch. With K = 1 this is synchronous data-parallel SGD (the
 * average of the partitions' updates is the update of the whole batch); a larger K sends weights
 * over the network K times less often, but the partitions drift apart between averages, so the
 * model learns less per step (and the optimizer's buffers are averages of diverged runs).
 *
 * <p>Faults: a lost task is Spark's to retry (a task depends only on the seed, the round's
 * broadcast and its shard). With {@link #checkpoints} the driver writes its whole state every N
 * rounds through Hadoop's FileSystem; {@link #resume} continues from the newest checkpoint to the
 * same final weights as an uninterrupted run. A non-finite gradient fails the round (and the job);
 * the driver's state is as before the round.
 */
public final class ParameterAveraging<T> {
    final JavaRDD<T> train;
    final ModelFactory<T> factory;
    JavaRDD<T> validation;
    String optimizerExpression = "SGD(lr=0.01)";
    String schedulerExpression;
    Interval interval;
    /** Schedules of other hyper-parameters (weight_decay, ...): name -> expression, stepped like the lr schedule. */
    final Map<String, String> hyperSchedules = new LinkedHashMap<>();
    int epochs = 10;
    int batchSize = 32;
    int localSteps = 1;
    int partitions;
    long seed;
    String monitor = "val_loss";
    Mode mode = Mode.MIN;
    EarlyStopping earlyStopping;
    String checkpointDirectory;
    int checkpointEveryRounds;
    int keep = 3;
    boolean resume;
    TrainListener listener = new TrainListener() { };
    java.nio.file.Path logDirectory;
    long stopAfterRounds = Long.MAX_VALUE;
    int swaStart;
    String swaScheduler;

    // Set up by fit().
    PartitionModel<T> driverModel;
    Optimizer optimizer;
    /** Decides what each step uses and when schedules step: the rules of lr4j's loop (lr4j-train's ScheduleDriver). */
    ScheduleDriver driver;
    Scheduler lrScheduler;
    int stepsPerEpoch;
    int localBatch;
    long rounds;
    long roundsAtStart;
    float[] trainedWeights;
    long swaAveraged;
    boolean overwrite;
    ParamGrouping paramGroups = ParamGrouping.ONE;
    /** A resume of a finished run that trains on to {@link #epochs}: with the schedules restarted or at their final values. */
    boolean extendFinished;
    boolean restartSchedule;
    /** The optimizer's values before any schedule wrote them: where a warm restart starts. */
    io.github.lr4j.train.GroupValues startValues;
    /** The run lengths the run has had (after {@link #fit()}). */
    List<io.github.lr4j.train.RunState.Horizon> horizons = List.of();

    private ParameterAveraging(JavaRDD<T> train, ModelFactory<T> factory) {
        this.train = train;
        this.factory = factory;
        this.partitions = train.context().defaultParallelism();
    }

    /** Trains the model {@code factory} makes on {@code train}; the driver's instance gives the initial weights. */
    public static <T> ParameterAveraging<T> of(JavaRDD<T> train, ModelFactory<T> factory) {
        if (train == null || factory == null) {
            throw new IllegalArgumentException("train and factory must not be null");
        }
        return new ParameterAveraging<>(train, factory);
    }

    /** Validated at every epoch end (mean loss and accuracy, weighted by the samples of each partition). */
    public ParameterAveraging<T> validation(JavaRDD<T> validation) {
        this.validation = validation;
        return this;
    }

    /** An optimizer in PyTorch syntax, e.g. {@code "AdamW(lr=1e-3, weight_decay=0.01)"} (one param group). */
    public ParameterAveraging<T> optimizer(String expression) {
        Optimizers.parse(expression);
        this.optimizerExpression = expression;
        return this;
    }

    /**
     * A schedule in the schedule language; it may use {@code total_steps}, {@code steps_per_epoch} and
     * {@code epochs}. Stepped per step for OneCycleLR and CyclicLR, per epoch for the others.
     */
    public ParameterAveraging<T> scheduler(String expression) {
        return scheduler(expression, null);
    }

    /** A schedule stepped at {@code interval} (null: the scheduler's default). */
    public ParameterAveraging<T> scheduler(String expression, Interval interval) {
        this.schedulerExpression = expression;
        this.interval = interval;
        return this;
    }

    /**
     * Also schedules hyper-parameter {@code name} of the optimizer (weight_decay, beta2, eps, momentum, ...) with
     * {@code expression}, stepped like the lr schedule; every local step of every partition uses the value the driver's
     * schedule gives that step.
     */
    public ParameterAveraging<T> schedule(String name, String expression) {
        hyperSchedules.put(name, expression);
        return this;
    }

    public ParameterAveraging<T> epochs(int epochs) {
        this.epochs = positive("epochs", epochs);
        return this;
    }

    /** The global mini-batch, split evenly over the partitions (rounded up to a multiple of them). */
    public ParameterAveraging<T> batchSize(int batchSize) {
        this.batchSize = positive("batchSize", batchSize);
        return this;
    }

    /** K: local optimizer steps per round, between two averages (default 1). */
    public ParameterAveraging<T> localSteps(int k) {
        this.localSteps = positive("localSteps", k);
        return this;
    }

    /** Shards, one per partition (default: Spark's default parallelism). */
    public ParameterAveraging<T> partitions(int partitions) {
        this.partitions = positive("partitions", partitions);
        return this;
    }

    /** Seed of each shard's per-epoch order. */
    public ParameterAveraging<T> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** {@code val_loss} (MIN, the default) or {@code val_accuracy} (MAX): for plateau schedules, early stopping and the best epoch. */
    public ParameterAveraging<T> monitor(String metric, Mode mode) {
        if (!metric.equals("val_loss") && !metric.equals("val_accuracy")) {
            throw new IllegalArgumentException("monitor must be val_loss or val_accuracy, got " + metric);
        }
        this.monitor = metric;
        this.mode = mode;
        return this;
    }

    public ParameterAveraging<T> earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    /**
     * Checkpoints every {@code everyRounds} rounds (0: after the last round of every epoch) into
     * {@code directory} (any Hadoop path), keeping the newest {@code keep}.
     */
    public ParameterAveraging<T> checkpoints(String directory, int everyRounds, int keep) {
        if (directory == null || directory.isBlank()) {
            throw new IllegalArgumentException("checkpoint directory must not be empty");
        }
        if (everyRounds < 0) {
            throw new IllegalArgumentException("everyRounds must be >= 0, got " + everyRounds);
        }
        this.checkpointDirectory = directory;
        this.checkpointEveryRounds = everyRounds;
        this.keep = positive("keep", keep);
        return this;
    }

    /**
     * The checkpoint {@link #resume} takes ends a finished run (its last epoch, or early stopping), and this run trains
     * on to {@link #epochs}, as lr4j's loop does ({@code TrainingLoop.extendFinishedRun}, the same code decides): with
     * {@code restartSchedule} the schedules start again from the run's first values, sized for the epochs added (a
     * warm restart); without it they hold their final values. Early stopping's verdict is cleared.
     */
    public ParameterAveraging<T> extendFinishedRun(boolean restartSchedule) {
        this.extendFinished = true;
        this.restartSchedule = restartSchedule;
        return this;
    }

    /** The run lengths this run has had, from its checkpoints and this call of {@link #fit()} (for the report's header). */
    public List<io.github.lr4j.train.RunState.Horizon> horizons() {
        requireFitted();
        return horizons;
    }

    /**
     * Where the run whose checkpoints are in {@code directory} stands, from its newest intact checkpoint (read and
     * checked, damaged ones skipped silently: the resume says so), or null when it holds none; {@code where} receives
     * that checkpoint's name. What a resume reads before it decides how to meet a new number of epochs.
     */
    public static io.github.lr4j.train.RunCheckpoints.Progress progress(String directory, org.apache.hadoop.conf.Configuration hadoop,
                                                                        java.util.function.Consumer<String> where) throws IOException {
        DriverCheckpoints.Found c = new DriverCheckpoints(directory, 1, hadoop).newestIntact(skipped -> { });
        if (c == null) {
            return null;
        }
        io.github.lr4j.train.RunCheckpoints.Progress progress = io.github.lr4j.train.RunCheckpoints.progress(c.file.toString(), c.header);
        where.accept(c.file.toString());
        return progress;
    }

    /** Continue from the newest checkpoint in the checkpoint directory, if there is one. */
    public ParameterAveraging<T> resume(boolean resume) {
        this.resume = resume;
        return this;
    }

    public ParameterAveraging<T> listener(TrainListener listener) {
        this.listener = listener;
        return this;
    }

    /** Writes the metrics log (lr4j-train's files and columns) into {@code directory} on the driver. */
    public ParameterAveraging<T> log(java.nio.file.Path directory) {
        this.logDirectory = directory;
        return this;
    }

    /**
     * Stochastic weight averaging, as lr4j's loop does it ({@link TrainingLoop#swa}): from epoch {@code startEpoch}
     * (from 1) on, the driver folds the averaged weights at each epoch end into an equal-weight average (PyTorch's
     * {@code AveragedModel}) and validates it ({@code swa_val_loss}, {@code swa_val_accuracy}); {@code scheduler}
     * (e.g. {@code SWALR(swa_lr=0.01)}; null: the schedule keeps running) takes the lr over from that epoch. The run
     * ends with the driver's parameters holding the average ({@link #trainedWeights()}: the last weights).
     */
    public ParameterAveraging<T> swa(int startEpoch, String scheduler) {
        this.swaStart = positive("swa start epoch", startEpoch);
        this.swaScheduler = scheduler;
        return this;
    }

    /** The weights the last round left, when SWA replaced them with its average at the end of {@link #fit()}; else null. */
    public float[] trainedWeights() {
        return trainedWeights == null ? null : trainedWeights.clone();
    }

    /** The number of epochs the SWA average holds after {@link #fit()} (0: none). */
    public long swaAveraged() {
        return swaAveraged;
    }

    /** Stops (as a killed driver would) once this many rounds are done: for resume tests. */
    ParameterAveraging<T> stopAfterRounds(long rounds) {
        this.stopAfterRounds = rounds;
        return this;
    }

    private static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
        return value;
    }

    /** The driver's parameters: the trained weights after {@link #fit()}. */
    public List<Parameter> parameters() {
        requireFitted();
        return driverModel.parameters();
    }

    /** The driver's optimizer (its state is the average of the partitions' after each round). */
    public Optimizer optimizer() {
        requireFitted();
        return optimizer;
    }

    /** The scheduler driving the driver's optimizer, or null for a constant lr. */
    public Scheduler scheduler() {
        requireFitted();
        return lrScheduler;
    }

    /** Optimizer steps (each partition's) in one epoch. */
    public int stepsPerEpoch() {
        requireFitted();
        return stepsPerEpoch;
    }

    /** Rounds this call of {@link #fit()} ran (a resumed run counts from its checkpoint). */
    public long roundsRun() {
        return rounds - roundsAtStart;
    }

    /** A new run (not a resume) deletes the checkpoints another run left in the checkpoint directory, instead of refusing. */
    public ParameterAveraging<T> overwrite(boolean overwrite) {
        this.overwrite = overwrite;
        return this;
    }

    /** How the model's parameters become the optimizer's param groups, on the driver and in every partition. */
    public ParameterAveraging<T> paramGroups(ParamGrouping grouping) {
        this.paramGroups = java.util.Objects.requireNonNull(grouping, "grouping");
        return this;
    }

    /** Rounds (of up to K steps) done so far. */
    public long rounds() {
        return rounds;
    }

    private void requireFitted() {
        if (driverModel == null) {
            throw new IllegalStateException("call fit() first");
        }
    }

    /** Trains to the end (or early stopping); returns the same summary as lr4j's {@link TrainingLoop}. */
    public TrainingLoop.Result fit() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(train.context());
        long count = train.count();
        if (count < partitions) {
            throw new IllegalArgumentException("the training set has " + count + " samples, fewer than the " + partitions
                    + " partitions");
        }
        JavaRDD<Shards.Shard<T>> shards = Shards.of(train, partitions, count).persist(StorageLevel.MEMORY_ONLY());
        JavaRDD<List<T>> validationChunks = validation == null ? null
                : validation.glom().persist(StorageLevel.MEMORY_ONLY());
        try {
            int shardSize = (int) (count / partitions);
            localBatch = (int) ((batchSize + (long) partitions - 1) / partitions); // in long: no wrap near 2^31
            stepsPerEpoch = (shardSize + localBatch - 1) / localBatch;

            driverModel = factory.create();
            optimizer = Optimizers.parse(optimizerExpression);
            paramGroups.addTo(optimizer, driverModel.parameters());
            startValues = io.github.lr4j.train.GroupValues.of(optimizer); // before a schedule writes the groups
            horizons = List.of(new io.github.lr4j.train.RunState.Horizon(epochs, 0, ""));
            driver = new ScheduleDriver();
            ScheduleDriver.Built built = ScheduleDriver.build(optimizer, schedulerExpression, hyperSchedules, interval,
                    stepsPerEpoch, epochs);
            driver.addAll(built);
            lrScheduler = built.lrScheduler();
            trainedWeights = null;
            swaAveraged = 0;
            if (swaStart > 0) {
                swa(driver);
            }
            return new AveragingRun<>(this, sc, shards, validationChunks).go();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            shards.unpersist(false);
            if (validationChunks != null) {
                validationChunks.unpersist(false);
            }
        }
    }

    /** SWA on the driver's optimizer, checked now rather than when the run reaches its start epoch. */
    private void swa(ScheduleDriver d) {
        if (swaStart > epochs) {
            throw new IllegalArgumentException("swa start epoch must be in [1, " + epochs + "] (the run's epochs), got " + swaStart);
        }
        Map<String, Long> vars = ScheduleDriver.variables(stepsPerEpoch, epochs);
        String expression = swaScheduler;
        if (expression != null) {
            Optimizer probe = Optimizers.parse(optimizerExpression); // building a scheduler writes its groups' lr
            probe.addParamGroup(List.of(Parameter.zeros("probe", 1)));
            ScheduleSpec.build(expression, probe, vars);
        }
        d.swa(swaStart, expression == null ? null : () -> ScheduleSpec.build(expression, optimizer, vars));
    }
}
