package io.github.lr4j.spark;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunState;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.GroupValues;
import io.github.lr4j.train.ParamGrouping;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.MetricsLog;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TestHold;
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

/** The p.driver's side of a run: the loop, the p.rounds' averages, validation, SWA and checkpoints. */
final class AveragingRun<T> {
    private final ParameterAveraging<T> p;
    private final JavaSparkContext sc;
    private final JavaRDD<Shards.Shard<T>> shards;
    private final JavaRDD<List<T>> validationChunks;
    private final PartitionRound.Setup<T> setup;
    private final List<Parameter> params;
    private final MetricsLog log;
    private final SparkRunState state = new SparkRunState();
    private final WeightAverage average;
    private DriverCheckpoints checkpoints;
    private float[] bestWeights;

    AveragingRun(ParameterAveraging<T> p, JavaSparkContext sc, JavaRDD<Shards.Shard<T>> shards, JavaRDD<List<T>> validationChunks) {
        this.p = p;
        this.params = p.driverModel.parameters();
        this.log = p.logDirectory == null ? null : new MetricsLog(p.logDirectory);
        this.average = p.swaStart > 0 ? new WeightAverage(params) : null;
        this.sc = sc;
        this.shards = shards;
        this.validationChunks = validationChunks;
        this.setup = new PartitionRound.Setup<>(p.factory, p.optimizerExpression, p.paramGroups, p.localBatch, p.seed);
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
     * folder holding another run's checkpoints unless told to p.overwrite them. Everything is checked before any
     * file is deleted or cut.
     */
    private void start() throws IOException {
        checkpoints = new DriverCheckpoints(p.checkpointDirectory, p.keep, sc.hadoopConfiguration());
        if (!p.resume) {
            checkpoints.clearForNewRun(p.overwrite);
            return;
        }
        DriverCheckpoints.Contents newest = checkpoints.newestIntact(p.listener::onWarning);
        if (newest != null) {
            restore(newest);
            return;
        }
        p.listener.onWarning("no checkpoint in " + p.checkpointDirectory + " yet: starting afresh");
        if (log != null) {
            log.truncate(0, 0); // the rows of a run killed before its first checkpoint are not this run's
        }
    }

    private TrainingLoop.Result train() throws IOException {
        if (p.checkpointDirectory != null) {
            start();
        }
        if (log != null && (!p.resume || p.checkpointDirectory == null)) {
            log.truncate(0, 0); // a new run's logs start empty (only once nothing refused it)
        }
        p.roundsAtStart = state.rounds;
        int epochAtStart = state.epoch;
        if (state.horizons.isEmpty()) {
            state.horizons.add(new RunState.Horizon(p.epochs, 0, "")); // a new run (a resume restored its own)
        }
        while (state.epoch < p.epochs && !state.stopped) {
            p.driver.beforeEpoch(state.epoch); // builds the SWA scheduler when its phase starts
            while (state.nextStep < p.stepsPerEpoch) {
                round(Math.min(p.localSteps, p.stepsPerEpoch - state.nextStep));
                boolean due = p.checkpointEveryRounds > 0 ? state.rounds % p.checkpointEveryRounds == 0
                        : state.nextStep == p.stepsPerEpoch;
                if (checkpoints != null && due) {
                    checkpoints.write(state.rounds, header(), flatten(), PartitionRound.save(p.optimizer), bestWeights,
                            average == null || average.count() == 0 ? null : averageWeights());
                }
                if (state.rounds >= p.stopAfterRounds) {
                    p.rounds = state.rounds;
                    p.horizons = List.copyOf(state.horizons);
                    return state.result();
                }
            }
            validate();
            state.nextEpoch();
        }
        if (checkpoints != null && state.epoch > epochAtStart) {
            // The run's end, validated (as lr4j's epoch checkpoints are): what --resume reads to tell that the run
            // finished, and trains on from with more epochs. Its rounds' file, written before the validation, is replaced.
            checkpoints.write(state.rounds, header(), flatten(), PartitionRound.save(p.optimizer), bestWeights,
                    average == null || average.count() == 0 ? null : averageWeights());
        }
        if (average != null && average.count() > 0) {
            // As lr4j's loop: the model ends holding the average (no batch-norm pass: the parameters are the model).
            p.trainedWeights = flatten();
            average.copyInto(params);
            p.swaAveraged = average.count();
        } else if (p.earlyStopping != null && p.earlyStopping.restoreBestWeights() && bestWeights != null) {
            unflatten(bestWeights);
        }
        p.rounds = state.rounds;
        p.horizons = List.copyOf(state.horizons);
        return state.result();
    }

    /** One round: broadcast, K local steps in every partition, average. */
    private void round(int steps) {
        byte[] before = PartitionRound.save(p.optimizer);
        ScheduleDriver.Plan plan = p.driver.plan(p.optimizer, state.globalStep, state.epoch, steps);
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
        TestHold.at("round"); // partial results collected, not yet averaged
        // The p.partitions' checkpoint holds the values of their last step; the p.driver's groups p.keep the schedules'.
        GroupValues scheduled = GroupValues.of(p.optimizer);
        PartitionRound.load(p.optimizer, OptimizerStates.withBuffers(total.template, total.layout, total.averagedBuffers()));
        scheduled.writeInto(p.optimizer);
        unflatten(total.averagedParams());
        // Rows and listeners see, for each step, the values its schedules left after it (lr4j's loop logs the
        // same): the next step's planned values, and after the round's last step what the p.driver's groups hold now.
        GroupValues after = GroupValues.of(p.optimizer);
        List<String> logged = p.driver.scheduledHyperParameters();
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
            p.listener.onStep(new TrainingLoop.StepInfo(state.globalStep, state.epoch, state.nextStep - 1, p.stepsPerEpoch, loss,
                    lr, m == null ? new double[lr.length] : m, false));
            TestHold.at("step"); // a kill here: some of the round's rows logged, its state not saved
            if (log != null) {
                log.step(MetricsLog.stepRow(state.globalStep, state.epoch + 1, state.nextStep - 1, loss, false, lr, m, hyper));
            }
        }
        state.rounds++;
    }

    /**
     * At an epoch end, as lr4j's loop: the distributed validation pass; in the SWA phase the weights folded into
     * the average and the average validated; the p.driver's epoch-end schedules; the best epoch and early stopping.
     */
    private void validate() {
        double[] lrTrained = lrs(); // before the epoch-end schedule step: the lr this epoch trained with
        Model.Evaluation v = evaluate(flatten());
        double metric = p.monitor.equals("val_loss") ? v.loss() : v.accuracy();
        Model.Evaluation swa = null;
        if (average != null && p.driver.swaPhase(state.epoch)) {
            average.update(params); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
            swa = evaluate(averageWeights());
        }
        p.driver.afterEpoch(state.epoch, OptionalDouble.of(metric));
        boolean best = state.observe(metric, p.monitor, p.mode, p.earlyStopping, p.listener);
        if (best && p.earlyStopping != null && p.earlyStopping.restoreBestWeights()) {
            bestWeights = flatten();
        }
        double[] lr = lrs();
        TrainingLoop.EpochInfo info = new TrainingLoop.EpochInfo(state.epoch, state.globalStep, state.trainLoss(), v.loss(),
                v.accuracy(), lr, best);
        state.history.add(info);
        p.listener.onValidation(info);
        if (log != null) {
            Map<String, Object> row = MetricsLog.epochRow(state.epoch + 1, state.globalStep, true, state.trainLoss(), v.loss(),
                    v.accuracy(), lr, best);
            if (average != null) { // every row, so that the CSV has the columns from its first row on (NaN: not averaging)
                row.put("swa_val_loss", swa == null ? Double.NaN : swa.loss());
                row.put("swa_val_accuracy", swa == null ? Double.NaN : swa.accuracy());
            }
            p.driver.scheduledValues(HyperParameters.of(p.optimizer)).forEach((name, values) -> MetricsLog.putGroups(row, name, values));
            MetricsLog.putGroups(row, "lr_trained", lrTrained);
            log.epoch(row);
        }
    }

    private double[] lrs() {
        double[] lr = new double[p.optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = p.optimizer.lr(g);
        }
        return lr;
    }

    /** Mean validation loss and accuracy over all p.partitions, weighted by their sizes. */
    private Model.Evaluation evaluate(float[] weights) {
        return validationChunks == null ? new Model.Evaluation(Double.NaN, Double.NaN)
                : DistributedEvaluation.of(sc, validationChunks, p.factory, weights);
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
        for (SchedulerState s : p.driver.states()) {
            states.add(s.toMap());
        }
        h.put("schedulers", states);
        if (average != null) {
            Map<String, Object> swa = new LinkedHashMap<>();
            swa.put("n_averaged", average.count());
            swa.put("scheduler", p.driver.swaScheduler() == null ? null : p.driver.swaScheduler().state().toMap());
            h.put("swa", swa);
        }
        h.put("log_step_rows", log == null ? 0 : log.stepRows());
        h.put("log_epoch_rows", log == null ? 0 : log.epochRows());
        return h;
    }

    /** What must not change between a run and its resumption. */
    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("optimizer", p.optimizerExpression);
        c.put("scheduler", p.schedulerExpression == null ? "none" : p.schedulerExpression);
        c.put("schedules", p.hyperSchedules.toString());
        c.put("epochs", p.epochs);
        c.put("batch_size", p.batchSize);
        c.put("local_steps", p.localSteps);
        c.put("partitions", p.partitions);
        c.put("seed", p.seed);
        c.put("steps_per_epoch", p.stepsPerEpoch);
        c.put("swa", p.swaStart == 0 ? "none" : "from epoch " + p.swaStart + ", " + (p.swaScheduler == null ? "no scheduler" : p.swaScheduler));
        return c;
    }

    /**
     * Restores a checkpoint, read and checked first: the configuration (but the run length, which a resume may change
     * as on lr4j's loop), the shapes; then lr4j-train's {@link RunCheckpoints} decides what the schedules do with the
     * length (stretched, restarted or held at their final values) and restores them and the optimizer, all or nothing;
     * the rest cannot fail.
     */
    @SuppressWarnings("unchecked")
    private void restore(DriverCheckpoints.Contents c) {
        Map<String, Object> identity = config();
        identity.remove("epochs"); // the run length may change: the schedules are stretched, restarted or held
        DriverCheckpoints.requireSameConfig(c, identity);
        Map<String, Object> savedConfig = (Map<String, Object>) c.header().get("config");
        if (!(savedConfig.get("epochs") instanceof Number savedEpochsValue) || savedEpochsValue.intValue() < 1
                || !(c.header().get("epoch") instanceof Number epochValue) || !(c.header().get("stopped") instanceof Boolean stoppedValue)) {
            throw new IllegalArgumentException("cannot resume from " + c.file() + ": its epochs, epoch and stopped must be"
                    + " numbers >= 1, >= 0 and true/false, got " + savedConfig.get("epochs") + ", " + c.header().get("epoch")
                    + ", " + c.header().get("stopped"));
        }
        int savedEpochs = savedEpochsValue.intValue();
        int savedEpoch = epochValue.intValue();
        int scheduleStart = SparkRunState.scheduleStartIn(c.header());
        List<RunState.Horizon> savedHorizons;
        try {
            savedHorizons = SparkRunState.horizonsIn(c.header(), savedEpochs);
        } catch (ClassCastException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("cannot resume from " + c.file() + ": horizons must hold [epochs, from epoch, how]"
                    + " lists, got " + c.header().get("horizons"), e);
        }
        RunCheckpoints.checkLength(c.file().toString(), new RunCheckpoints.Progress(savedEpoch, savedEpochs, stoppedValue),
                scheduleStart, p.epochs, p.extendFinished, p.restartSchedule, p.swaStart);
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
        // lr4j-train's code, as on lr4j's loop: the schedulers check everything before they change, and are put back
        // with the optimizer if the optimizer refuses its state; the counters below cannot fail.
        boolean restart = p.extendFinished && p.restartSchedule;
        int start = RunCheckpoints.restoreSchedules(c.file().toString(), new DriverEngine(), p.driver, c.optimizer(),
                DriverCheckpoints.schedulerStates(c), swaState, savedEpochs, savedEpoch, scheduleStart, p.epochs,
                p.stepsPerEpoch, restart);
        unflatten(c.params());
        bestWeights = c.best();
        if (average != null) {
            average.restore(c.average() == null ? null : split(c.average()), averaged);
        }
        state.readFrom(c.header());
        state.scheduleStart = start;
        if (p.extendFinished) {
            state.stopped = false; // early stopping judges the added epochs afresh
            state.wait = 0;
        }
        state.horizons.clear();
        // A checkpoint after an epoch's last round, before its validation, has trained that epoch (lr4j's is written
        // after the validation): the new length counts from the next one, as there.
        int trained = savedEpoch + (state.nextStep == p.stepsPerEpoch ? 1 : 0);
        state.horizons.addAll(RunCheckpoints.horizonsAfter(savedHorizons, trained, p.epochs,
                RunCheckpoints.how(p.extendFinished, p.restartSchedule)));
        if (log != null) {
            log.truncate(((Number) c.header().get("log_step_rows")).longValue(),
                    ((Number) c.header().get("log_epoch_rows")).longValue());
        }
    }

    /**
     * The driver's model and optimizer as lr4j-train's {@link RunCheckpoints.Engine}: what its schedule restore
     * saves, loads and restarts (the weights go through this class's own checkpoint format).
     */
    private final class DriverEngine implements RunCheckpoints.Engine {
        @Override
        public List<String> parameterNames() {
            return params.stream().map(Parameter::name).toList();
        }

        @Override
        public int groups() {
            return p.optimizer.size();
        }

        @Override
        public int[] parameterSizes() {
            return params.stream().mapToInt(Parameter::size).toArray();
        }

        @Override
        public float[][] weights() {
            return split(flatten());
        }

        @Override
        public byte[] optimizerState() {
            return PartitionRound.save(p.optimizer);
        }

        @Override
        public void loadOptimizerState(byte[] bytes) {
            PartitionRound.load(p.optimizer, bytes);
        }

        @Override
        public void loadWeights(float[][] weights) {
            for (int i = 0; i < params.size(); i++) {
                System.arraycopy(weights[i], 0, params.get(i).data(), 0, weights[i].length);
            }
        }

        @Override
        public void resetScheduledValues() {
            p.startValues.restartInto(p.optimizer);
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
