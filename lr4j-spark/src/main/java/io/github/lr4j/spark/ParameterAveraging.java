package io.github.lr4j.spark;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.GroupValues;
import io.github.lr4j.train.ParamGrouping;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.MetricsLog;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import io.github.lr4j.train.WeightAverage;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.OptionalDouble;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
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
    private final JavaRDD<T> train;
    private final ModelFactory<T> factory;
    private JavaRDD<T> validation;
    private String optimizerExpression = "SGD(lr=0.01)";
    private String schedulerExpression;
    private Interval interval;
    /** Schedules of other hyper-parameters (weight_decay, ...): name -> expression, stepped like the lr schedule. */
    private final Map<String, String> hyperSchedules = new LinkedHashMap<>();
    private int epochs = 10;
    private int batchSize = 32;
    private int localSteps = 1;
    private int partitions;
    private long seed;
    private String monitor = "val_loss";
    private Mode mode = Mode.MIN;
    private EarlyStopping earlyStopping;
    private String checkpointDirectory;
    private int checkpointEveryRounds;
    private int keep = 3;
    private boolean resume;
    private TrainListener listener = new TrainListener() { };
    private java.nio.file.Path logDirectory;
    private long stopAfterRounds = Long.MAX_VALUE;
    private int swaStart;
    private String swaScheduler;

    // Set up by fit().
    private PartitionModel<T> driverModel;
    private Optimizer optimizer;
    /** Decides what each step uses and when schedules step: the rules of lr4j's loop (lr4j-train's ScheduleDriver). */
    private ScheduleDriver driver;
    private Scheduler lrScheduler;
    private int stepsPerEpoch;
    private int localBatch;
    private long rounds;
    private long roundsAtStart;
    private float[] trainedWeights;
    private long swaAveraged;
    private boolean overwrite;
    private ParamGrouping paramGroups = ParamGrouping.ONE;

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
            return new Run(sc, shards, validationChunks).go();
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

    /** The driver's side of a run: the loop, the rounds' averages, validation, SWA and checkpoints. */
    private final class Run {
        private final JavaSparkContext sc;
        private final JavaRDD<Shards.Shard<T>> shards;
        private final JavaRDD<List<T>> validationChunks;
        private final PartitionRound.Setup<T> setup;
        private final List<Parameter> params = driverModel.parameters();
        private final MetricsLog log = logDirectory == null ? null : new MetricsLog(logDirectory);
        private final SparkRunState state = new SparkRunState();
        private final WeightAverage average = swaStart > 0 ? new WeightAverage(params) : null;
        private DriverCheckpoints checkpoints;
        private float[] bestWeights;

        Run(JavaSparkContext sc, JavaRDD<Shards.Shard<T>> shards, JavaRDD<List<T>> validationChunks) {
            this.sc = sc;
            this.shards = shards;
            this.validationChunks = validationChunks;
            this.setup = new PartitionRound.Setup<>(factory, optimizerExpression, paramGroups, localBatch, seed);
        }

        TrainingLoop.Result go() throws IOException {
            try {
                return train();
            } finally {
                if (log != null) {
                    log.close();
                }
            }
        }

        /**
         * Resume from the newest intact checkpoint, or, with none, start afresh with clean logs; a new run refuses a
         * folder holding another run's checkpoints unless told to overwrite them. Everything is checked before any
         * file is deleted or cut.
         */
        private void start() throws IOException {
            checkpoints = new DriverCheckpoints(checkpointDirectory, keep, sc.hadoopConfiguration());
            if (!resume) {
                checkpoints.clearForNewRun(overwrite);
                return;
            }
            DriverCheckpoints.Contents newest = checkpoints.newestIntact(listener::onWarning);
            if (newest != null) {
                restore(newest);
                return;
            }
            listener.onWarning("no checkpoint in " + checkpointDirectory + " yet: starting afresh");
            if (log != null) {
                log.truncate(0, 0); // the rows of a run killed before its first checkpoint are not this run's
            }
        }

        private TrainingLoop.Result train() throws IOException {
            if (checkpointDirectory != null) {
                start();
            }
            if (log != null && (!resume || checkpointDirectory == null)) {
                log.truncate(0, 0); // a new run's logs start empty (only once nothing refused it)
            }
            roundsAtStart = state.rounds;
            while (state.epoch < epochs && !state.stopped) {
                driver.beforeEpoch(state.epoch); // builds the SWA scheduler when its phase starts
                while (state.nextStep < stepsPerEpoch) {
                    round(Math.min(localSteps, stepsPerEpoch - state.nextStep));
                    boolean due = checkpointEveryRounds > 0 ? state.rounds % checkpointEveryRounds == 0
                            : state.nextStep == stepsPerEpoch;
                    if (checkpoints != null && due) {
                        checkpoints.write(state.rounds, header(), flatten(), PartitionRound.save(optimizer), bestWeights,
                                average == null || average.count() == 0 ? null : averageWeights());
                    }
                    if (state.rounds >= stopAfterRounds) {
                        rounds = state.rounds;
                        return state.result();
                    }
                }
                validate();
                state.nextEpoch();
            }
            if (average != null && average.count() > 0) {
                // As lr4j's loop: the model ends holding the average (no batch-norm pass: the parameters are the model).
                trainedWeights = flatten();
                average.copyInto(params);
                swaAveraged = average.count();
            } else if (earlyStopping != null && earlyStopping.restoreBestWeights() && bestWeights != null) {
                unflatten(bestWeights);
            }
            rounds = state.rounds;
            return state.result();
        }

        /** One round: broadcast, K local steps in every partition, average. */
        private void round(int steps) {
            byte[] before = PartitionRound.save(optimizer);
            ScheduleDriver.Plan plan = driver.plan(optimizer, state.globalStep, state.epoch, steps);
            double[][] lrs = plan.lrs();
            double[][] momenta = plan.momenta();
            Broadcast<PartitionRound.Input> input = sc.broadcast(new PartitionRound.Input(flatten(), before, lrs, momenta,
                    new ArrayList<>(plan.hyperNames()), plan.hyper(), state.epoch, state.nextStep));
            PartitionRound.Setup<T> task = setup;
            RoundPartial total;
            try {
                // collect() returns the partials in partition order: summed in that order, not as tasks finish, a run
                // and its resumption add the same numbers in the same order at any partition count.
                total = RoundPartial.sumInPartitionOrder(shards.map(shard -> PartitionRound.run(task, input.value(), shard)).collect());
            } finally {
                input.destroy();
            }
            // The partitions' checkpoint holds the values of their last step; the driver's groups keep the schedules'.
            GroupValues scheduled = GroupValues.of(optimizer);
            PartitionRound.load(optimizer, OptimizerStates.withBuffers(total.template, total.layout, total.averagedBuffers()));
            scheduled.writeInto(optimizer);
            unflatten(total.averagedParams());
            // Rows and listeners see, for each step, the values its schedules left after it (lr4j's loop logs the
            // same): the next step's planned values, and after the round's last step what the driver's groups hold now.
            GroupValues after = GroupValues.of(optimizer);
            List<String> logged = driver.scheduledHyperParameters();
            for (int k = 0; k < steps; k++) {
                double loss = total.lossSums[k] / total.counts[k];
                state.stepDone(loss);
                boolean last = k == steps - 1;
                double[] lr = last ? after.lr() : lrs[k + 1];
                double[] m = momenta == null ? null : last ? after.momentum() : momenta[k + 1];
                Map<String, double[]> hyper = new LinkedHashMap<>();
                for (String name : logged) {
                    hyper.put(name, last ? after.hyper(name) : plan.hyperAt(k + 1, name));
                }
                listener.onStep(new TrainingLoop.StepInfo(state.globalStep, state.epoch, state.nextStep - 1, stepsPerEpoch, loss,
                        lr, m == null ? new double[lr.length] : m, false));
                if (log != null) {
                    log.step(MetricsLog.stepRow(state.globalStep, state.epoch + 1, state.nextStep - 1, loss, false, lr, m, hyper));
                }
            }
            state.rounds++;
        }

        /**
         * At an epoch end, as lr4j's loop: the distributed validation pass; in the SWA phase the weights folded into
         * the average and the average validated; the driver's epoch-end schedules; the best epoch and early stopping.
         */
        private void validate() {
            double[] lrTrained = lrs(); // before the epoch-end schedule step: the lr this epoch trained with
            Model.Evaluation v = evaluate(flatten());
            double metric = monitor.equals("val_loss") ? v.loss() : v.accuracy();
            Model.Evaluation swa = null;
            if (average != null && driver.swaPhase(state.epoch)) {
                average.update(params); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
                swa = evaluate(averageWeights());
            }
            driver.afterEpoch(state.epoch, OptionalDouble.of(metric));
            boolean best = state.observe(metric, monitor, mode, earlyStopping, listener);
            if (best && earlyStopping != null && earlyStopping.restoreBestWeights()) {
                bestWeights = flatten();
            }
            double[] lr = lrs();
            TrainingLoop.EpochInfo info = new TrainingLoop.EpochInfo(state.epoch, state.globalStep, state.trainLoss(), v.loss(),
                    v.accuracy(), lr, best);
            state.history.add(info);
            listener.onValidation(info);
            if (log != null) {
                Map<String, Object> row = MetricsLog.epochRow(state.epoch + 1, state.globalStep, true, state.trainLoss(), v.loss(),
                        v.accuracy(), lr, best);
                if (average != null) { // every row, so that the CSV has the columns from its first row on (NaN: not averaging)
                    row.put("swa_val_loss", swa == null ? Double.NaN : swa.loss());
                    row.put("swa_val_accuracy", swa == null ? Double.NaN : swa.accuracy());
                }
                driver.scheduledValues(HyperParameters.of(optimizer)).forEach((name, values) -> MetricsLog.putGroups(row, name, values));
                MetricsLog.putGroups(row, "lr_trained", lrTrained);
                log.epoch(row);
            }
        }

        private double[] lrs() {
            double[] lr = new double[optimizer.size()];
            for (int g = 0; g < lr.length; g++) {
                lr[g] = optimizer.lr(g);
            }
            return lr;
        }

        /** Mean validation loss and accuracy over all partitions, weighted by their sizes. */
        private Model.Evaluation evaluate(float[] weights) {
            return validationChunks == null ? new Model.Evaluation(Double.NaN, Double.NaN)
                    : DistributedEvaluation.of(sc, validationChunks, factory, weights);
        }

        private float[] flatten() {
            return PartitionRound.flatten(params);
        }

        private void unflatten(float[] values) {
            PartitionRound.copyInto(values, params);
        }

        private float[] averageWeights() {
            float[] out = new float[flatten().length];
            int at = 0;
            for (int i = 0; i < params.size(); i++) {
                float[] w = average.weights(i);
                System.arraycopy(w, 0, out, at, w.length);
                at += w.length;
            }
            return out;
        }

        private Map<String, Object> header() {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("config", config());
            state.putInto(h);
            List<Object> states = new ArrayList<>();
            for (SchedulerState s : driver.states()) {
                states.add(s.toMap());
            }
            h.put("schedulers", states);
            if (average != null) {
                Map<String, Object> swa = new LinkedHashMap<>();
                swa.put("n_averaged", average.count());
                swa.put("scheduler", driver.swaScheduler() == null ? null : driver.swaScheduler().state().toMap());
                h.put("swa", swa);
            }
            h.put("log_step_rows", log == null ? 0 : log.stepRows());
            h.put("log_epoch_rows", log == null ? 0 : log.epochRows());
            return h;
        }

        /** What must not change between a run and its resumption. */
        private Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("optimizer", optimizerExpression);
            c.put("scheduler", schedulerExpression == null ? "none" : schedulerExpression);
            c.put("schedules", hyperSchedules.toString());
            c.put("epochs", epochs);
            c.put("batch_size", batchSize);
            c.put("local_steps", localSteps);
            c.put("partitions", partitions);
            c.put("seed", seed);
            c.put("steps_per_epoch", stepsPerEpoch);
            c.put("swa", swaStart == 0 ? "none" : "from epoch " + swaStart + ", " + (swaScheduler == null ? "no scheduler" : swaScheduler));
            return c;
        }

        @SuppressWarnings("unchecked")
        private void restore(DriverCheckpoints.Contents c) {
            DriverCheckpoints.requireSameConfig(c, config());
            int size = flatten().length;
            if (c.params().length != size || c.average() != null && (average == null || c.average().length != size)) {
                throw new IllegalArgumentException("cannot resume from " + c.file() + ": it holds " + c.params().length
                        + " parameter values" + (c.average() == null ? "" : " and an SWA average of " + c.average().length)
                        + ", the model has " + size);
            }
            Map<String, Object> swa = c.header().get("swa") instanceof Map ? (Map<String, Object>) c.header().get("swa") : null;
            long averaged = swa == null ? 0 : ((Number) swa.get("n_averaged")).longValue();
            if ((averaged > 0) != (c.average() != null)) {
                throw new IllegalArgumentException("cannot resume from " + c.file() + ": n_averaged is " + averaged
                        + " but it holds " + (c.average() == null ? "no" : "an") + " SWA average");
            }
            SchedulerState swaState = swa != null && swa.get("scheduler") instanceof Map
                    ? SchedulerState.of((Map<String, Object>) swa.get("scheduler")) : null;
            // The schedulers check everything before they change (and are put back if the optimizer refuses its
            // state); the counters below cannot fail.
            ScheduleDriver.Restore token = driver.restore("checkpoint " + c.file(), DriverCheckpoints.schedulerStates(c), swaState,
                    epochs, epochs, stepsPerEpoch);
            try {
                PartitionRound.load(optimizer, c.optimizer());
            } catch (RuntimeException e) {
                driver.rollback(token);
                throw e;
            }
            unflatten(c.params());
            bestWeights = c.best();
            if (average != null) {
                average.restore(c.average() == null ? null : split(c.average()), averaged);
            }
            state.readFrom(c.header());
            if (log != null) {
                log.truncate(((Number) c.header().get("log_step_rows")).longValue(),
                        ((Number) c.header().get("log_epoch_rows")).longValue());
            }
        }

        /** Flat values cut into the parameters' shapes. */
        private float[][] split(float[] flat) {
            float[][] out = new float[params.size()][];
            int at = 0;
            for (int i = 0; i < out.length; i++) {
                out[i] = java.util.Arrays.copyOfRange(flat, at, at + params.get(i).size());
                at += params.get(i).size();
            }
            return out;
        }
    }
}
