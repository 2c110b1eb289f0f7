package io.github.lr4j.train;

import io.github.lr4j.scheduler.SchedulerState;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's per-epoch history (one {@link TrainingLoop.EpochInfo} per epoch end) and its form in checkpoints: a list
 * of rows {@code [epoch, step, train_loss, val_loss, val_accuracy, [lr per group], best]} (numbers that are not
 * finite as "inf", "-inf", "nan"). Every engine keeps it the same way, so a resumed run's report and result hold
 * the whole run.
 */
public final class EpochHistory {
    private final List<TrainingLoop.EpochInfo> epochs = new ArrayList<>();

    public void add(TrainingLoop.EpochInfo epoch) {
        epochs.add(epoch);
    }

    public int size() {
        return epochs.size();
    }

    public List<TrainingLoop.EpochInfo> list() {
        return List.copyOf(epochs);
    }

    void replaceWith(List<TrainingLoop.EpochInfo> saved) {
        epochs.clear();
        epochs.addAll(saved);
    }

    /** The rows as a checkpoint holds them. */
    public List<Object> toJson() {
        List<Object> rows = new ArrayList<>();
        for (TrainingLoop.EpochInfo e : epochs) {
            rows.add(List.of(e.epoch(), e.step(), SchedulerState.jsonNumber(e.trainLoss()), SchedulerState.jsonNumber(e.valLoss()),
                    SchedulerState.jsonNumber(e.valAccuracy()), SchedulerState.jsonNumbers(e.lr()), e.best()));
        }
        return rows;
    }

    /**
     * Reads and checks the rows of checkpoint {@code source}: each row's shape, an epoch in [0, {@code epochs}], a
     * step in [0, {@code steps}] and {@code groups} lrs; an error names the checkpoint, the row and the value.
     */
    public static List<TrainingLoop.EpochInfo> fromJson(String source, List<Object> rows, int groups, int epochs, long steps) {
        HeaderReader h = new HeaderReader(source, java.util.Map.of());
        List<TrainingLoop.EpochInfo> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HeaderReader e = h.row("history", i, rows.get(i), 7);
            List<Object> lrs = e.listAt(5);
            if (lrs.size() != groups) {
                throw new IllegalArgumentException("checkpoint " + source + " is not valid: history[" + i + "] has " + lrs.size()
                        + " lrs, the optimizer has " + groups + " groups");
            }
            double[] lr = new double[lrs.size()];
            for (int g = 0; g < lr.length; g++) {
                lr[g] = e.numberOf("history[" + i + "].lr[" + g + "]", lrs.get(g));
            }
            out.add(new TrainingLoop.EpochInfo((int) e.integerAt(0, 0, epochs), e.integerAt(1, 0, steps), e.numberAt(2),
                    e.numberAt(3), e.numberAt(4), lr, e.boolAt(6)));
        }
        return out;
    }
}
