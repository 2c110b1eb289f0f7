package io.github.lr4j.spark;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.BestEpoch;
import io.github.lr4j.train.GroupValues;
import io.github.lr4j.train.MetricsLog;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunRecorder;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.TestHold;
import io.github.lr4j.train.TrainingLoop;
import io.github.lr4j.train.WeightAverage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The driver's side of a run: the loop, the rounds' averages, validation, SWA and checkpoints. Where the run stands
 * is lr4j-train's {@link RunState} (a step is one batch and one optimizer step of lr4j's loop), the epoch ends are
 * recorded by its {@link RunRecorder} (plateau control, the best epoch, early stopping, the history, the logs), and
 * the checkpoints hold the header and format its {@link RunCheckpoints} writes and restores; the driver adds the
 * rounds and Hadoop's file system.
 */
final class AveragingRun<T> {
    private final ParameterAveraging<T> p;
    private final JavaSparkContext sc;
    private final JavaRDD<Shards.Shard<T>> shards;
    private final JavaRDD<List<T>> validationChunks;
    private final PartitionRound.Setup<T> setup;
    private final List<Parameter> params;
    private final MetricsLog log;
    private final RunState state;
    private final RunRecorder recorder;
    private final RunCheckpoints runCheckpoints;
    private final WeightAverage average;
    private DriverCheckpoints checkpoints;
    /** Rounds (of up to K steps) done: each epoch has the same ones, so a restored state tells them. */
    private long rounds;

    AveragingRun(ParameterAveraging<T> p, JavaSparkContext sc, JavaRDD<Shards.Shard<T>> shards, JavaRDD<List<T>> validationChunks) {
        this.p = p;
        this.params = p.driverModel.parameters();
        this.log = p.logDirectory == null ? null : new MetricsLog(p.logDirectory);
        this.average = p.swaStart > 0 ? new WeightAverage(params) : null;
        this.sc = sc;
        this.shards = shards;
        this.validationChunks = validationChunks;
        this.setup = new PartitionRound.Setup<>(p.factory, p.optimizerExpression, p.paramGroups, p.localBatch, p.seed);
        this.state = new RunState(p.stepsPerEpoch, 1, new BestEpoch(p.monitor, p.mode, p.earlyStopping));
        this.recorder = new RunRecorder(p.driver, state, HyperParameters.of(p.optimizer), p.listener, log);
        this.runCheckpoints = new RunCheckpoints(null, p.keep, new DriverEngine(), p.driver, p.epochs, settings())
                .runSettings(runSettings());
        if (p.extendFinished) {
            runCheckpoints.extendFinishedRun(p.restartSchedule);
        }
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
        checkpoints = new DriverCheckpoints(p.checkpointDirectory, p.keep, sc.hadoopConfiguration());
        if (!p.resume) {
            checkpoints.clearForNewRun(p.overwrite);
            return;
        }
        DriverCheckpoints.Found newest = checkpoints.newestIntact(p.listener::onWarning);
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
        p.roundsAtStart = rounds;
        int epochAtStart = state.epoch();
        while (state.epoch() < p.epochs && !state.best().stopped()) {
            p.driver.beforeEpoch(state.epoch()); // builds the SWA scheduler when its phase starts
            while (!state.epochTrained()) {
                round(Math.min(p.localSteps, p.stepsPerEpoch - state.nextBatch()));
                boolean due = p.checkpointEveryRounds > 0 ? rounds % p.checkpointEveryRounds == 0 : state.epochTrained();
                if (checkpoints != null && due) {
                    checkpoints.write(rounds, runCheckpoints.encode(state, log));
                }
                if (rounds >= p.stopAfterRounds) {
                    return result();
                }
            }
            validate();
            state.nextEpoch();
        }
        if (checkpoints != null && state.epoch() > epochAtStart) {
            // The run's end, validated (as lr4j's epoch checkpoints are): what --resume reads to tell that the run
            // finished, and trains on from with more epochs. Its rounds' file, written before the validation, is replaced.
            checkpoints.write(rounds, runCheckpoints.encode(state, log));
        }
        if (average != null && average.count() > 0) {
            // As lr4j's loop: the model ends holding the average (no batch-norm pass: the parameters are the model).
            p.trainedWeights = flatten();
            average.copyInto(params);
            p.swaAveraged = average.count();
        } else if (state.best().keepsWeights() && state.best().bestWeights() != null) {
            new DriverEngine().loadWeights(state.best().bestWeights());
        }
        return result();
    }

    private TrainingLoop.Result result() {
        p.rounds = rounds;
        p.horizons = state.horizons().isEmpty() ? List.of(new RunState.Horizon(p.epochs, 0, "")) : state.horizons();
        BestEpoch best = state.best();
        // bestEpoch from 1, as TrainingLoop.Result counts
        return new TrainingLoop.Result(state.epoch(), state.optimizerSteps(), state.skippedSteps(), best.stopped(),
                best.bestEpoch() + 1, best.bestMetric(), state.history().list());
    }

    /** One round: broadcast, K local steps in every partition, average. */
    private void round(int steps) {
        byte[] before = PartitionRound.save(p.optimizer);
        ScheduleDriver.Plan plan = p.driver.plan(p.optimizer, state.optimizerSteps(), state.epoch(), steps);
        double[][] lrs = plan.lrs();
        double[][] momenta = plan.momenta();
        Broadcast<PartitionRound.Input> input = sc.broadcast(new PartitionRound.Input(flatten(), before, lrs, momenta,
                new ArrayList<>(plan.hyperNames()), plan.hyper(), state.epoch(), state.nextBatch()));
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
        // The partitions' checkpoint holds the values of their last step; the driver's groups keep the schedules'.
        GroupValues scheduled = GroupValues.of(p.optimizer);
        PartitionRound.load(p.optimizer, OptimizerStates.withBuffers(total.template, total.layout, total.averagedBuffers()));
        scheduled.writeInto(p.optimizer);
        unflatten(total.averagedParams());
        // Rows and listeners see, for each step, the values its schedules left after it (lr4j's loop logs the
        // same): the next step's planned values, and after the round's last step what the driver's groups hold now.
        GroupValues after = GroupValues.of(p.optimizer);
        List<String> logged = p.driver.scheduledHyperParameters();
        for (int k = 0; k < steps; k++) {
            double loss = total.lossSums[k] / total.counts[k];
            state.stepped(state.nextBatch() + 1, loss, true); // the schedules were stepped by the plan
            boolean last = k == steps - 1;
            double[] lr = last ? after.lr() : lrs[k + 1];
            double[] m = momenta == null ? null : last ? after.momentum() : momenta[k + 1];
            Map<String, double[]> hyper = new LinkedHashMap<>();
            for (String name : logged) {
                hyper.put(name, last ? after.hyper(name) : plan.hyperAt(k + 1, name));
            }
            int batch = state.nextBatch() - 1;
            p.listener.onStep(new TrainingLoop.StepInfo(state.optimizerSteps(), state.epoch(), batch, p.stepsPerEpoch, loss,
                    lr, m == null ? new double[lr.length] : m, false));
            TestHold.at("step"); // a kill here: some of the round's rows logged, its state not saved
            if (log != null) {
                log.step(MetricsLog.stepRow(state.optimizerSteps(), state.epoch() + 1, batch, loss, false, lr, m, hyper));
            }
        }
        rounds++;
    }

    /**
     * At an epoch end, as lr4j's loop: the distributed validation pass; in the SWA phase the weights folded into
     * the average and the average validated; then lr4j-train's {@link RunRecorder} records it (the epoch-end
     * schedules, the best epoch and early stopping, the history, the listener and the log).
     */
    private void validate() {
        Model.Evaluation v = evaluate(flatten());
        Model.Evaluation swa = null;
        if (average != null && p.driver.swaPhase(state.epoch())) {
            average.update(params); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
            swa = evaluate(averageWeights());
        }
        recorder.validation(true, v, swa, () -> split(flatten()));
    }

    /** Mean validation loss and accuracy over all partitions, weighted by their sizes. */
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

    /** What must be equal between a run and its resumption, as numbers (lr4j-train's checkpoint "settings"). */
    private Map<String, Long> settings() {
        Map<String, Long> s = new TreeMap<>();
        s.put("batch_size", (long) p.batchSize);
        s.put("local_steps", (long) p.localSteps);
        s.put("partitions", (long) p.partitions);
        s.put("seed", p.seed);
        s.put("steps_per_epoch", (long) p.stepsPerEpoch);
        return s;
    }

    /** What must be equal between a run and its resumption, as text (lr4j-train's checkpoint "run"). */
    private Map<String, String> runSettings() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("optimizer", p.optimizerExpression);
        r.put("scheduler", p.schedulerExpression == null ? "none" : p.schedulerExpression);
        r.put("schedules", p.hyperSchedules.toString());
        r.put("swa", p.swaStart == 0 ? "none" : "from epoch " + p.swaStart + ", " + (p.swaScheduler == null ? "no scheduler" : p.swaScheduler));
        return r;
    }

    /**
     * Restores a checkpoint: the driver's configuration first (but the run length, which a resume may change as on
     * lr4j's loop; in the order and words the driver always said it), then lr4j-train's {@link RunCheckpoints} reads
     * and checks all of it, decides what the schedules do with the length (stretched, restarted or held at their final
     * values) and restores the schedules and the optimizer (all or nothing), then the weights, the SWA average, the run
     * state and the logs.
     */
    private void restore(DriverCheckpoints.Found c) throws IOException {
        Map<String, Object> identity = new LinkedHashMap<>();
        Map<String, String> run = runSettings();
        Map<String, Long> numbers = settings();
        identity.put("optimizer", run.get("optimizer"));
        identity.put("scheduler", run.get("scheduler"));
        identity.put("schedules", run.get("schedules"));
        for (String key : List.of("batch_size", "local_steps", "partitions", "seed", "steps_per_epoch")) {
            identity.put(key, numbers.get(key));
        }
        identity.put("swa", run.get("swa"));
        DriverCheckpoints.requireSameConfig(c, identity);
        runCheckpoints.restore(c.file.toString(), c.bytes(new DriverEngine().parameterSizes()), state, log);
        int roundsPerEpoch = (p.stepsPerEpoch + p.localSteps - 1) / p.localSteps;
        rounds = (long) state.epoch() * roundsPerEpoch + (state.nextBatch() + p.localSteps - 1) / p.localSteps;
    }

    /**
     * The driver's model, optimizer and SWA average as lr4j-train's {@link RunCheckpoints.Engine}: what its
     * checkpoints save, load and restart.
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
        public float[][] swaAverage() {
            return average == null || average.count() == 0 ? null : split(averageWeights());
        }

        @Override
        public long swaCount() {
            return average == null ? 0 : average.count();
        }

        @Override
        public void loadSwaAverage(float[][] saved, long count) {
            if (average != null) {
                average.restore(saved, count);
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
