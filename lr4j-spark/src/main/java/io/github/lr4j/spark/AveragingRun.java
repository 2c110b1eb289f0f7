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
                    return state.result();
                }
            }
            validate();
            state.nextEpoch();
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

    @SuppressWarnings("unchecked")
    private void restore(DriverCheckpoints.Contents c) {
        DriverCheckpoints.requireSameConfig(c, config());
        int size = flatten().length;
        if (c.params().length != size || c.average() != null && (average == null || c.average().length != size)) {
            throw new IllegalArgumentException("cannot p.resume from " + c.file() + ": it holds " + c.params().length
                    + " parameter values" + (c.average() == null ? "" : " and an SWA average of " + c.average().length)
                    + ", the model has " + size);
        }
        Map<String, Object> swa = c.header().get("swa") instanceof Map ? (Map<String, Object>) c.header().get("swa") : null;
        long averaged = swa == null ? 0 : ((Number) swa.get("n_averaged")).longValue();
        if ((averaged > 0) != (c.average() != null)) {
            throw new IllegalArgumentException("cannot p.resume from " + c.file() + ": n_averaged is " + averaged
                    + " but it holds " + (c.average() == null ? "no" : "an") + " SWA average");
        }
        SchedulerState swaState = swa != null && swa.get("scheduler") instanceof Map
                ? SchedulerState.of((Map<String, Object>) swa.get("scheduler")) : null;
        // The schedulers check everything before they change (and are put back if the p.optimizer refuses its
        // state); the counters below cannot fail.
        ScheduleDriver.Restore token = p.driver.restore("checkpoint " + c.file(), DriverCheckpoints.schedulerStates(c), swaState,
                p.epochs, p.epochs, p.stepsPerEpoch);
        try {
            PartitionRound.load(p.optimizer, c.optimizer());
        } catch (RuntimeException e) {
            p.driver.rollback(token);
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
