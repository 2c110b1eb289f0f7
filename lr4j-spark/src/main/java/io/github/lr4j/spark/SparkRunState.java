package io.github.lr4j.spark;

import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The counters of a {@link ParameterAveraging} run on the driver (where it is in the run, the best epoch, early
 * stopping, the epochs' history) and how they go into a checkpoint's header and come back from it.
 */
final class SparkRunState {
    int epoch;
    int nextStep;
    long globalStep;
    long rounds;
    double epochLossSum;
    long epochSteps;
    int bestEpoch = -1;
    double bestMetric = Double.NaN;
    int wait;
    boolean stopped;
    /** The epoch the schedules were restarted at (a warm restart of a finished run; 0: the run's start). */
    int scheduleStart;
    final List<TrainingLoop.EpochInfo> history = new ArrayList<>();
    /** The run lengths the run has had (lr4j-train's {@code RunState.Horizon}s, as lr4j's checkpoints keep them). */
    final List<RunState.Horizon> horizons = new ArrayList<>();

    /** One local step (of every partition) done, with the mean loss over the global batch. */
    void stepDone(double loss) {
        globalStep++;
        nextStep++;
        epochLossSum += loss;
        epochSteps++;
    }

    /** The mean training loss of the epoch so far (NaN before its first step). */
    double trainLoss() {
        return epochSteps == 0 ? Double.NaN : epochLossSum / epochSteps;
    }

    void nextEpoch() {
        epoch++;
        nextStep = 0;
        epochLossSum = 0;
        epochSteps = 0;
    }

    /**
     * The epoch end's monitored {@code metric}: whether it is the best so far (the first non-NaN one is); after
     * {@code earlyStopping}'s patience without one, the run stops (said to {@code listener}).
     */
    boolean observe(double metric, String monitor, Mode mode, EarlyStopping earlyStopping, TrainListener listener) {
        double minDelta = earlyStopping == null ? 0 : earlyStopping.minDelta();
        boolean improves = !Double.isNaN(metric)
                && (bestEpoch < 0 || (mode == Mode.MIN ? metric < bestMetric - minDelta : metric > bestMetric + minDelta));
        if (improves) {
            bestMetric = metric;
            bestEpoch = epoch;
            wait = 0;
            return true;
        }
        wait++;
        if (earlyStopping != null && wait >= earlyStopping.patience()) {
            stopped = true;
            listener.onWarning("early stopping after epoch " + (epoch + 1) + ": " + monitor + " has not improved for "
                    + wait + " epochs (best " + bestMetric + " at epoch " + (bestEpoch + 1) + ")");
        }
        return false;
    }

    TrainingLoop.Result result() {
        // bestEpoch from 1, as TrainingLoop.Result counts
        return new TrainingLoop.Result(epoch, globalStep, 0, stopped, bestEpoch + 1, bestMetric, List.copyOf(history));
    }

    void putInto(Map<String, Object> h) {
        h.put("epoch", epoch);
        h.put("next_step", nextStep);
        h.put("global_step", globalStep);
        h.put("rounds", rounds);
        h.put("epoch_loss_sum", SchedulerState.jsonNumber(epochLossSum));
        h.put("epoch_steps", epochSteps);
        h.put("best_epoch", bestEpoch);
        h.put("best_metric", SchedulerState.jsonNumber(bestMetric));
        h.put("wait", wait);
        h.put("stopped", stopped);
        if (scheduleStart > 0) {
            h.put("schedule_start_epoch", scheduleStart); // the schedules were restarted there (a warm restart)
        }
        h.put("horizons", horizons.stream().map(z -> (Object) List.of(z.epochs(), z.fromEpoch(), z.how())).toList());
        List<Object> hist = new ArrayList<>();
        for (TrainingLoop.EpochInfo e : history) {
            hist.add(List.of(e.epoch(), e.step(), SchedulerState.jsonNumber(e.trainLoss()), SchedulerState.jsonNumber(e.valLoss()),
                    SchedulerState.jsonNumber(e.valAccuracy()), SchedulerState.jsonNumbers(e.lr()), e.best()));
        }
        h.put("history", hist);
    }

    /**
     * The run lengths {@code h} holds; a checkpoint written before they were kept: one, {@code savedEpochs} from the
     * start.
     */
    @SuppressWarnings("unchecked")
    static List<RunState.Horizon> horizonsIn(Map<String, Object> h, int savedEpochs) {
        if (!(h.get("horizons") instanceof List<?> list) || list.isEmpty()) {
            return List.of(new RunState.Horizon(savedEpochs, 0, ""));
        }
        List<RunState.Horizon> out = new ArrayList<>();
        for (Object o : list) {
            List<Object> z = (List<Object>) o;
            out.add(new RunState.Horizon(((Number) z.get(0)).intValue(), ((Number) z.get(1)).intValue(), (String) z.get(2)));
        }
        return out;
    }

    /** The epoch {@code h}'s schedules were restarted at (0: none was). */
    static int scheduleStartIn(Map<String, Object> h) {
        return h.get("schedule_start_epoch") instanceof Number n ? n.intValue() : 0;
    }

    @SuppressWarnings("unchecked")
    void readFrom(Map<String, Object> h) {
        epoch = ((Number) h.get("epoch")).intValue();
        nextStep = ((Number) h.get("next_step")).intValue();
        globalStep = ((Number) h.get("global_step")).longValue();
        rounds = ((Number) h.get("rounds")).longValue();
        epochLossSum = SchedulerState.fromJson(h.get("epoch_loss_sum"));
        epochSteps = ((Number) h.get("epoch_steps")).longValue();
        bestEpoch = ((Number) h.get("best_epoch")).intValue();
        bestMetric = SchedulerState.fromJson(h.get("best_metric"));
        wait = ((Number) h.get("wait")).intValue();
        stopped = (Boolean) h.get("stopped");
        history.clear();
        for (Object o : (List<Object>) h.get("history")) {
            List<Object> e = (List<Object>) o;
            double[] lr = ((List<Object>) e.get(5)).stream().mapToDouble(SchedulerState::fromJson).toArray();
            history.add(new TrainingLoop.EpochInfo(((Number) e.get(0)).intValue(), ((Number) e.get(1)).longValue(),
                    SchedulerState.fromJson(e.get(2)), SchedulerState.fromJson(e.get(3)), SchedulerState.fromJson(e.get(4)),
                    lr, (Boolean) e.get(6)));
        }
    }
}
