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
import io.github.lr4j.train.Trainer.Attached;
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
 * honours it).
 */
public final class Lr4jTrainingListener extends TrainingListenerAdapter {
    private final List<Attached> schedulers = new ArrayList<>();
    private Evaluator monitorEvaluator;
    private Mode mode = Mode.MIN;
    private int patience;
    private double minDelta;

    private long updates;
    private boolean pending;
    private int epoch;
    private double lossSum;
    private long lossCount;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int wait;
    private boolean stop;
    private double lastMetric = Double.NaN;
    private boolean accumulatorAdded;

    /** Steps {@code s} at its default interval ({@link Interval#defaultFor}: per update for schedules sized in batches). */
    public Lr4jTrainingListener scheduler(Scheduler s) {
        return scheduler(s, Interval.defaultFor(s), 1);
    }

    public Lr4jTrainingListener scheduler(Scheduler s, Interval interval, int frequency) {
        schedulers.add(new Attached(s, interval, frequency));
        return this;
    }

    /** Monitor this evaluator's validation value instead of the validation loss. */
    public Lr4jTrainingListener monitor(Evaluator evaluator, Mode mode) {
        this.monitorEvaluator = evaluator;
        this.mode = mode;
        return this;
    }

    /** Stop after {@code patience} epochs without an improvement larger than {@code minDelta}. */
    public Lr4jTrainingListener earlyStopping(int patience, double minDelta) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1, got " + patience);
        }
        this.patience = patience;
        this.minDelta = minDelta;
        return this;
    }

    @Override
    public void onTrainingBatch(Trainer trainer, TrainingListener.BatchData batchData) {
        flushPendingStep();
        pending = true; // trainer.step() runs after this call; the schedule moves on before the next update
    }

    private void flushPendingStep() {
        if (!pending) {
            return;
        }
        pending = false;
        updates++;
        for (Attached a : schedulers) {
            if (a.interval() == Interval.STEP && updates % a.frequency() == 0) {
                a.scheduler().step(OptionalDouble.empty());
            }
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
            } else {
                try (NDArray loss = trainer.getLoss().evaluate(labels, predictions)) {
                    long n = labels.head().getShape().get(0);
                    lossSum += loss.getFloat() * n;
                    lossCount += n;
                }
            }
        }
    }

    @Override
    public void onEpoch(Trainer trainer) {
        flushPendingStep();
        double metric;
        if (monitorEvaluator != null) {
            metric = accumulatorAdded ? monitorEvaluator.getAccumulator("lr4j") : Double.NaN;
            if (accumulatorAdded) {
                monitorEvaluator.resetAccumulator("lr4j");
            }
        } else {
            metric = lossCount == 0 ? Double.NaN : lossSum / lossCount;
        }
        lossSum = 0;
        lossCount = 0;
        lastMetric = metric;
        epoch++;
        for (Attached a : schedulers) {
            if (a.interval() != Interval.EPOCH || epoch % a.frequency() != 0) {
                continue;
            }
            if (a.scheduler().drivenByMetric() && Double.isNaN(metric)) {
                throw new IllegalStateException(a.scheduler().name() + " needs a validation metric, but no validation"
                        + " batches were seen in epoch " + epoch + " (give EasyTrain.fit a validation set)");
            }
            a.scheduler().step(OptionalDouble.of(metric));
        }
        if (bestEpoch < 0 || improves(metric)) {
            best = metric;
            bestEpoch = epoch;
            wait = 0;
        } else if (patience > 0 && ++wait >= patience) {
            stop = true;
        }
    }

    private boolean improves(double metric) {
        if (Double.isNaN(metric)) {
            return false;
        }
        return mode == Mode.MIN ? metric < best - minDelta : metric > best + minDelta;
    }

    /** Early stopping's verdict after the last epoch. */
    public boolean shouldStop() {
        return stop;
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

    public int bestEpoch() {
        return bestEpoch;
    }

    /** Everything needed to resume: counters, early stopping, and every scheduler's state. */
    public Map<String, Object> state() {
        flushPendingStep();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("format", "lr4j-djl-listener");
        out.put("version", 1);
        out.put("updates", updates);
        out.put("epoch", epoch);
        out.put("best", Double.isFinite(best) ? (Object) best : String.valueOf(best));
        out.put("best_epoch", bestEpoch);
        out.put("wait", wait);
        out.put("stop", stop);
        List<Object> states = new ArrayList<>();
        for (Attached a : schedulers) {
            states.add(a.scheduler().state().toMap());
        }
        out.put("schedulers", states);
        return out;
    }

    /** Restores {@link #state()} (checked: version, scheduler count and each scheduler's own checks). */
    @SuppressWarnings("unchecked")
    public void loadState(Map<String, Object> state) {
        if (!"lr4j-djl-listener".equals(state.get("format")) || !(state.get("version") instanceof Number)
                || ((Number) state.get("version")).intValue() != 1) {
            throw new IllegalArgumentException("not an lr4j-djl listener state of version 1: " + state.get("format") + " "
                    + state.get("version"));
        }
        List<Object> states = (List<Object>) state.get("schedulers");
        if (states == null || states.size() != schedulers.size()) {
            throw new IllegalArgumentException("the state holds " + (states == null ? 0 : states.size())
                    + " schedulers, this listener has " + schedulers.size());
        }
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).scheduler().loadState(SchedulerState.of((Map<String, Object>) states.get(i)));
        }
        updates = ((Number) state.get("updates")).longValue();
        pending = false;
        epoch = ((Number) state.get("epoch")).intValue();
        Object b = state.get("best");
        best = b instanceof Number ? ((Number) b).doubleValue() : Double.parseDouble(String.valueOf(b));
        bestEpoch = ((Number) state.get("best_epoch")).intValue();
        wait = ((Number) state.get("wait")).intValue();
        stop = (Boolean) state.get("stop");
    }
}
