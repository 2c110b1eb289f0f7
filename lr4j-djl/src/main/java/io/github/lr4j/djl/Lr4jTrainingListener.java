package io.github.lr4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.Trainer;
import ai.djl.training.evaluator.Evaluator;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.TrainingLoop.Attached;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Steps lr4j schedulers inside DJL training, at the right moment: DJL notifies
 * {@code onTrainingBatch} <em>before</em> {@code trainer.step()} applies the update, so this
 * listener advances per-step schedulers for the previous update at the next batch (and at the
 * epoch end): update {@code k} always uses the schedule's lr for step {@code k}, as in PyTorch.
 * Per-epoch schedulers step in {@code onEpoch}, after validation; ReduceLROnPlateau is fed the
 * validation loss (computed from the validation batches with the trainer's loss) or a chosen
 * evaluator's value, which also drives early stopping ({@link #shouldStop()}; {@link Lr4jTraining#fit}
 * honours it). With {@link #swa} it also averages the weights from a given epoch on (stochastic weight averaging).
 */
public final class Lr4jTrainingListener extends TrainingListenerAdapter {
    /** Decides when each scheduler steps, SWA's takeover and what a resume restores (the same rules as lr4j's loop). */
    private final ScheduleDriver driver = new ScheduleDriver();
    private int runEpochs;
    private long updatesPerEpoch;
    private Evaluator monitorEvaluator;
    private Mode mode = Mode.MIN;
    private io.github.lr4j.train.EarlyStopping stopping;
    /** The best epoch and early stopping, judged as on every engine (lr4j-train's BestEpoch). */
    private io.github.lr4j.train.BestEpoch best = new io.github.lr4j.train.BestEpoch("val_loss", Mode.MIN, null);

    private long updates;
    private boolean pending;
    private int epoch;
    private double lossSum;
    private long lossCount;
    private double lastMetric = Double.NaN;
    private double lastValLoss = Double.NaN;
    private double lastValAccuracy = Double.NaN;
    private boolean accumulatorAdded;

    // The logs and progress lines, as lr4j's TrainingLoop writes them (see log()).
    private io.github.lr4j.train.MetricsLog log;
    private io.github.lr4j.optim.HyperParameters hyperParameters;
    private io.github.lr4j.train.TrainListener progress = new io.github.lr4j.train.TrainListener() { };
    private String monitorName = "val_loss";
    private double pendingLoss;
    private int pendingBatch;
    private int batchInEpoch;
    private double epochLossSum;
    private int epochBatches;
    private long valCorrect;

    // Stochastic weight averaging (see swa()).
    private DjlWeightAverage average;

    /** Steps {@code s} at its default interval ({@link Interval#defaultFor}: per update for schedules sized in batches). */
    public Lr4jTrainingListener scheduler(Scheduler s) {
        return scheduler(s, Interval.defaultFor(s), 1);
    }

    public Lr4jTrainingListener scheduler(Scheduler s, Interval interval, int frequency) {
        driver.add(new Attached(s, interval, frequency), null);
        return this;
    }

    /**
     * {@code s}, and how to build it for a run of another number of epochs ({@code rebuild}, on the same groups), so
     * that {@link #loadState} of a state saved by a run of another {@link #runLength} gives it the new horizon: it is
     * rebuilt for the saved length, restored, and the rest of its schedule stretched to the new end (the lr does not
     * jump; see {@link io.github.lr4j.train.RunLength}). A schedule whose spec does not depend on the length is
     * restored as it was.
     */
    public Lr4jTrainingListener scheduler(Scheduler s, Interval interval, int frequency,
                                          io.github.lr4j.train.TrainingLoop.ForRunLength rebuild) {
        driver.add(new Attached(s, interval, frequency), java.util.Objects.requireNonNull(rebuild, "rebuild"));
        return this;
    }

    /**
     * The run's length: {@code epochs} epochs of {@code updatesPerEpoch} updates. Saved in {@link #state()}; a state
     * saved with another number of epochs retargets the schedulers attached with a rebuild function. The number of
     * updates per epoch (the data and batch size) must be the same.
     */
    public Lr4jTrainingListener runLength(int epochs, long updatesPerEpoch) {
        if (epochs < 1 || updatesPerEpoch < 1) {
            throw new IllegalArgumentException("epochs and updatesPerEpoch must be >= 1, got " + epochs + " and " + updatesPerEpoch);
        }
        this.runEpochs = epochs;
        this.updatesPerEpoch = updatesPerEpoch;
        return this;
    }

    /**
     * Stochastic weight averaging, as lr4j-train's {@code TrainingLoop.swa}: from epoch {@code startEpoch} on (counted
     * from 1) the block's weights at each epoch end are folded into {@code average}; {@code swaScheduler} (e.g.
     * {@code SWALR(swa_lr=0.05)} on the same groups; null: the schedulers keep running) is built when that epoch
     * starts, the lr schedulers stop there (schedules of other hyper-parameters keep running), and it is stepped at
     * each epoch end after the average. The average is in {@link #state()} (its count) and saved beside the model by
     * {@link Lr4jTraining#save}; copy it into the model with {@link DjlWeightAverage#copyInto()} at the end.
     */
    public Lr4jTrainingListener swa(int startEpoch, DjlWeightAverage average, java.util.function.Supplier<Scheduler> swaScheduler) {
        driver.swa(startEpoch, swaScheduler);
        this.average = java.util.Objects.requireNonNull(average, "average");
        return this;
    }

    /** The schedules' driver, for {@link DjlRun}, which steps them itself (this listener is then never notified). */
    ScheduleDriver driver() {
        return driver;
    }

    /** The SWA average given to {@link #swa}, or null. */
    public DjlWeightAverage weightAverage() {
        return average;
    }

    /** In the SWA phase: the epoch being trained ({@code epoch} completed so far) is at or after the SWA start. */
    private boolean swaPhase() {
        return driver.swaPhase(epoch);
    }

    /**
     * Writes the run's metrics through {@code log} with the columns lr4j's own loop writes (steps: step, epoch, batch,
     * loss, skipped, lr0.., momentum0.., each scheduled hyper-parameter of {@code optimizer}; epochs: epoch, step,
     * epoch_end, train_loss, val_loss, val_accuracy, lr0.., best, [swa_val_loss, swa_val_accuracy], scheduled values,
     * lr_trained0..), and tells {@code progress} about each step and validation.
     */
    public Lr4jTrainingListener log(io.github.lr4j.train.MetricsLog log, io.github.lr4j.optim.HyperParameters optimizer,
                                    io.github.lr4j.train.TrainListener progress) {
        this.log = log;
        this.hyperParameters = java.util.Objects.requireNonNull(optimizer, "optimizer");
        if (progress != null) {
            this.progress = progress;
        }
        return this;
    }

    /** Monitor {@code val_loss} (the default) or {@code val_accuracy}, computed from the validation batches. */
    public Lr4jTrainingListener monitor(String name) {
        if (!name.equals("val_loss") && !name.equals("val_accuracy")) {
            throw new IllegalArgumentException("monitor must be val_loss or val_accuracy, got " + name);
        }
        this.monitorName = name;
        this.monitorEvaluator = null;
        this.mode = name.equals("val_loss") ? Mode.MIN : Mode.MAX;
        return judge();
    }

    /** Monitor this evaluator's validation value instead of the validation loss. */
    public Lr4jTrainingListener monitor(Evaluator evaluator, Mode mode) {
        this.monitorEvaluator = evaluator;
        this.mode = mode;
        this.monitorName = evaluator.getName();
        return judge();
    }

    /** Stop after {@code patience} epochs without an improvement larger than {@code minDelta}. */
    public Lr4jTrainingListener earlyStopping(int patience, double minDelta) {
        this.stopping = new io.github.lr4j.train.EarlyStopping(patience, minDelta, false);
        return judge();
    }

    private Lr4jTrainingListener judge() {
        best = new io.github.lr4j.train.BestEpoch(monitorName, mode, stopping);
        return this;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, TrainingListener.BatchData batchData) {
        flushPendingStep();
        driver.beforeEpoch(epoch); // the SWA scheduler is built when its phase starts, before its first update
        pending = true; // trainer.step() runs after this call; the schedule moves on before the next update
        // The loss is computed for the logs only (a caller without logs may pass no batch data).
        pendingLoss = hyperParameters == null || batchData == null ? Double.NaN : meanLoss(trainer, batchData);
        pendingBatch = batchInEpoch++;
        epochLossSum += pendingLoss;
        epochBatches++;
    }

    /** The batch's mean loss with the trainer's loss (over every device's part). */
    private static double meanLoss(Trainer trainer, TrainingListener.BatchData batchData) {
        double sum = 0;
        long count = 0;
        for (Map.Entry<ai.djl.Device, NDList> e : batchData.getLabels().entrySet()) {
            NDList predictions = batchData.getPredictions().get(e.getKey());
            try (NDArray loss = trainer.getLoss().evaluate(e.getValue(), predictions)) {
                long n = e.getValue().head().getShape().get(0);
                sum += loss.getFloat() * n;
                count += n;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private double[] groupValues(boolean momentum) {
        io.github.lr4j.groups.ParamGroups groups = hyperParameters.groups();
        double[] v = new double[groups.size()];
        for (int g = 0; g < v.length; g++) {
            v[g] = momentum ? groups.momentum(g) : groups.lr(g);
        }
        return v;
    }

    private void flushPendingStep() {
        if (!pending) {
            return;
        }
        pending = false;
        updates++;
        driver.afterUpdate(updates, epoch);
        if (hyperParameters == null) {
            return;
        }
        io.github.lr4j.train.TestHold.at("step"); // after an update, before its log row (a kill test's moment)
        double[] lr = groupValues(false);
        double[] m = groupValues(true);
        boolean hasMomentum = hyperParameters.groups().momentumKind() != io.github.lr4j.groups.MomentumKind.NONE;
        progress.onStep(new io.github.lr4j.train.TrainingLoop.StepInfo(updates, epoch, pendingBatch, (int) updatesPerEpoch,
                pendingLoss, lr, m, false));
        if (log != null) {
            log.step(io.github.lr4j.train.MetricsLog.stepRow(updates, epoch + 1, pendingBatch, pendingLoss, false, lr,
                    hasMomentum ? m : null, driver.scheduledValues(hyperParameters)));
        }
    }

    @Override
    public void onValidationBatch(Trainer trainer, TrainingListener.BatchData batchData) {
        for (Map.Entry<ai.djl.Device, NDList> e : batchData.getLabels().entrySet()) {
            NDList labels = e.getValue();
            NDList predictions = batchData.getPredictions().get(e.getKey());
            if (monitorEvaluator != null) {
                if (!accumulatorAdded) {
                    monitorEvaluator.addAccumulator("lr4j");
                    accumulatorAdded = true;
                }
                monitorEvaluator.updateAccumulator("lr4j", labels, predictions);
            }
            try (NDArray loss = trainer.getLoss().evaluate(labels, predictions)) {
                long n = labels.head().getShape().get(0);
                lossSum += loss.getFloat() * n;
                lossCount += n;
            }
            try (NDArray predicted = predictions.head().argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
                 NDArray truth = labels.head().toType(ai.djl.ndarray.types.DataType.INT64, false);
                 NDArray hits = predicted.eq(truth).sum()) {
                valCorrect += hits.getLong();
            }
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        flushPendingStep();
        double metric;
        boolean measured = monitorEvaluator != null ? accumulatorAdded : lossCount > 0;
        double valLoss = lossCount == 0 ? Double.NaN : lossSum / lossCount;
        double valAccuracy = lossCount == 0 ? Double.NaN : (double) valCorrect / lossCount;
        if (monitorEvaluator != null) {
            metric = accumulatorAdded ? monitorEvaluator.getAccumulator("lr4j") : Double.NaN;
            if (accumulatorAdded) {
                monitorEvaluator.resetAccumulator("lr4j");
            }
        } else {
            metric = monitorName.equals("val_accuracy") ? valAccuracy : valLoss;
        }
        double trainLoss = epochBatches == 0 ? Double.NaN : epochLossSum / epochBatches;
        lossSum = 0;
        lossCount = 0;
        valCorrect = 0;
        epochLossSum = 0;
        epochBatches = 0;
        batchInEpoch = 0;
        lastMetric = metric;
        lastValLoss = valLoss;
        lastValAccuracy = valAccuracy;
        // The lr before this epoch end's schedule step: for a per-epoch schedule, the lr the epoch trained with.
        double[] lrTrained = hyperParameters == null ? null : groupValues(false);
        if (swaPhase()) {
            average.update(); // PyTorch's loop: swa_model.update_parameters(model), then swa_scheduler.step()
        }
        driver.beforeEpoch(epoch); // an epoch without batches still builds the SWA scheduler before it steps
        driver.afterEpoch(epoch, measured ? OptionalDouble.of(metric) : OptionalDouble.empty());
        epoch++;
        boolean isBest = best.observe(epoch - 1, metric, () -> null);
        if (best.stopped()) {
            progress.onWarning(best.stopMessage(epoch - 1));
        }
        if (hyperParameters == null) {
            return;
        }
        double[] lr = groupValues(false);
        progress.onValidation(new io.github.lr4j.train.TrainingLoop.EpochInfo(epoch - 1, updates, trainLoss, valLoss,
                valAccuracy, lr, isBest));
        if (log != null) {
            Map<String, Object> row = io.github.lr4j.train.MetricsLog.epochRow(epoch, updates, true, trainLoss, valLoss,
                    valAccuracy, lr, isBest);
            if (driver.swaStart() > 0) { // the columns of lr4j's loop; the average is not validated on this engine
                row.put("swa_val_loss", Double.NaN);
                row.put("swa_val_accuracy", Double.NaN);
            }
            driver.scheduledValues(hyperParameters).forEach((name, values) -> io.github.lr4j.train.MetricsLog.putGroups(row, name, values));
            io.github.lr4j.train.MetricsLog.putGroups(row, "lr_trained", lrTrained);
            log.epoch(row);
        }
    }

    /** The last epoch's validation loss and accuracy (NaN before the first validation). */
    public double lastValLoss() {
        return lastValLoss;
    }

    public double lastValAccuracy() {
        return lastValAccuracy;
    }

    /** Early stopping's verdict after the last epoch. */
    public boolean shouldStop() {
        return best.stopped();
    }

    /** Updates seen so far (DJL optimizer steps). */
    public long updates() {
        return updates + (pending ? 1 : 0);
    }

    public int epochs() {
        return epoch;
    }

    /** The monitored metric of the last epoch (validation loss by default). */
    public double lastMetric() {
        return lastMetric;
    }

    /** The best value of the monitored metric so far (NaN before the first epoch). */
    public double bestMetric() {
        return best.bestMetric();
    }

    /** The best epoch, counted from 1 (-1: none yet). */
    public int bestEpoch() {
        return best.bestEpoch() < 0 ? -1 : best.bestEpoch() + 1;
    }

    /** Everything needed to resume: counters, early stopping, and every scheduler's state. */
    public Map<String, Object> state() {
        flushPendingStep();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "lr4j-djl-listener");
        out.put("version", 2);
        out.put("updates", updates);
        out.put("epoch", epoch);
        out.put("best", SchedulerState.jsonNumber(best.bestMetric()));
        out.put("best_epoch", bestEpoch());
        out.put("wait", best.epochsWithoutImprovement());
        out.put("stop", best.stopped());
        List<Object> states = new ArrayList<>();
        for (SchedulerState s : driver.states()) {
            states.add(s.toMap());
        }
        out.put("schedulers", states);
        if (runEpochs > 0) {
            out.put("run", Map.of("epochs", runEpochs, "updates_per_epoch", updatesPerEpoch));
        }
        Map<String, Object> swa = new LinkedHashMap<>();
        swa.put("start_epoch", driver.swaStart());
        swa.put("n_averaged", average == null ? 0 : average.count());
        swa.put("scheduler", driver.swaScheduler() == null ? null : driver.swaScheduler().state().toMap());
        out.put("swa", swa);
        return out;
    }

    /**
     * Restores {@link #state()}: reads and checks every field first (format, version, counters,
     * each scheduler's state); if a scheduler refuses its state, those already restored are rolled back.
     */
    @SuppressWarnings("unchecked")
    public void loadState(Map<String, Object> state) {
        if (state == null) {
            throw new IllegalArgumentException("the lr4j-djl listener state must be an object, got nothing");
        }
        Object format = state.get("format");
        Object version = state.get("version");
        if (!"lr4j-djl-listener".equals(format)) {
            throw new IllegalArgumentException("not an lr4j-djl listener state: format must be \"lr4j-djl-listener\", got "
                    + (format == null ? "nothing" : format));
        }
        if (!(version instanceof Integer) || (Integer) version < 1 || (Integer) version > 2) {
            throw new IllegalArgumentException("Unknown version " + (version == null ? "(none)" : version)
                    + " of the lr4j-djl listener state, this lr4j supports versions 1 and 2");
        }
        long updatesSaved = count(state, "updates", Long.MAX_VALUE);
        int epochSaved = (int) count(state, "epoch", Integer.MAX_VALUE);
        Object b = state.get("best");
        double bestSaved;
        try {
            bestSaved = SchedulerState.fromJson(b);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("listener state: best must be a number, got " + (b == null ? "nothing" : b));
        }
        Object be = state.get("best_epoch");
        if (!(be instanceof Integer) || (Integer) be < -1 || (Integer) be > epochSaved) {
            throw new IllegalArgumentException("listener state: best_epoch must be an integer in [-1, " + epochSaved + "], got "
                    + (be == null ? "nothing" : be));
        }
        int waitSaved = (int) count(state, "wait", Integer.MAX_VALUE);
        if (!(state.get("stop") instanceof Boolean)) {
            throw new IllegalArgumentException("listener state: stop must be true or false, got "
                    + (state.get("stop") == null ? "nothing" : state.get("stop")));
        }
        Object list = state.get("schedulers");
        int attached = driver.attached().size();
        if (!(list instanceof List) || ((List<Object>) list).size() != attached) {
            throw new IllegalArgumentException("the state holds " + (list instanceof List ? ((List<Object>) list).size() : 0)
                    + " schedulers, this listener has " + attached);
        }
        List<Object> states = (List<Object>) list;
        List<SchedulerState> saved = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            if (!(states.get(i) instanceof Map)) {
                throw new IllegalArgumentException("listener state: schedulers[" + i + "] must be an object, got " + states.get(i));
            }
            saved.add(SchedulerState.of((Map<String, Object>) states.get(i)));
        }
        // Version 2 adds "swa" (version 1: no SWA).
        long swaStartSaved = 0;
        long averaged = 0;
        SchedulerState swaState = null;
        if (state.get("swa") != null) {
            if (!(state.get("swa") instanceof Map)) {
                throw new IllegalArgumentException("listener state: swa must be an object, got " + state.get("swa"));
            }
            Map<String, Object> swa = (Map<String, Object>) state.get("swa");
            swaStartSaved = count(swa, "start_epoch", Integer.MAX_VALUE);
            averaged = count(swa, "n_averaged", epochSaved);
            if (swa.get("scheduler") != null) {
                if (!(swa.get("scheduler") instanceof Map)) {
                    throw new IllegalArgumentException("listener state: swa.scheduler must be an object, got " + swa.get("scheduler"));
                }
                swaState = SchedulerState.of((Map<String, Object>) swa.get("scheduler"));
            }
        }
        int swaStart = driver.swaStart();
        if (swaStartSaved != swaStart) {
            throw new IllegalArgumentException("the state was written with " + (swaStartSaved == 0 ? "no SWA" : "SWA from epoch "
                    + swaStartSaved) + " but this listener has " + (swaStart == 0 ? "no SWA" : "SWA from epoch " + swaStart));
        }
        if (average != null && averaged != average.count()) {
            throw new IllegalArgumentException("the state says " + averaged + " epochs were averaged but the weight average"
                    + " holds " + average.count() + " (load the average saved with this state first)");
        }
        if (swaState != null && !driver.hasSwaFactory()) {
            throw new IllegalArgumentException("the state holds an SWA scheduler but this listener has none");
        }
        // The run's length (saved when runLength was given): another number of epochs retargets the schedulers
        // attached with a rebuild function.
        int savedRunEpochs = 0;
        if (state.get("run") != null) {
            if (!(state.get("run") instanceof Map)) {
                throw new IllegalArgumentException("listener state: run must be an object, got " + state.get("run"));
            }
            Map<String, Object> run = (Map<String, Object>) state.get("run");
            savedRunEpochs = (int) count(run, "epochs", Integer.MAX_VALUE);
            long savedPerEpoch = count(run, "updates_per_epoch", Long.MAX_VALUE);
            if (runEpochs > 0 && savedPerEpoch != updatesPerEpoch) {
                throw new IllegalArgumentException("the state was written by a run of " + savedPerEpoch + " updates per epoch,"
                        + " this one has " + updatesPerEpoch + "; resume with the same data and batch size");
            }
        }
        driver.restore("the listener state", saved, swaState, savedRunEpochs, runEpochs, updatesPerEpoch);
        updates = updatesSaved;
        pending = false;
        epoch = epochSaved;
        best.restore(bestSaved, Math.max(-1, (Integer) be - 1), waitSaved, (Boolean) state.get("stop"));
    }

    private static long count(Map<String, Object> state, String key, long max) {
        Object v = state.get(key);
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0 || ((Number) v).longValue() > max) {
            throw new IllegalArgumentException("listener state: " + key + " must be an integer >= 0, got " + (v == null ? "nothing" : v));
        }
        return ((Number) v).longValue();
    }
}
