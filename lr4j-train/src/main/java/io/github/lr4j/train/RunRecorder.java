package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.optim.HyperParameters;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * What a run records, the same way on every engine: after each optimizer step, the schedules' clock, the listener and
 * a row of {@code steps.csv}; after each validation, plateau control, the best epoch and early stopping
 * ({@link BestEpoch}), the history, the listener, a row of {@code epochs.csv} and {@code best.ckpt}. The engine trains
 * and measures; this decides what follows from it.
 */
public final class RunRecorder {
    private final ScheduleDriver driver;
    private final RunState state;
    private final HyperParameters hyper;
    private final TrainListener listener;
    private final MetricsLog log;
    private RunCheckpoints bestCheckpoints;

    /** Records into {@code state}, {@code listener} and {@code log} (null: none); {@code hyper} are the optimizer's groups. */
    public RunRecorder(ScheduleDriver driver, RunState state, HyperParameters hyper, TrainListener listener, MetricsLog log) {
        this.driver = driver;
        this.state = state;
        this.hyper = hyper;
        this.listener = listener;
        this.log = log;
    }

    /** Writes best.ckpt through {@code checkpoints} at the end of each best epoch. */
    public RunRecorder bestCheckpoints(RunCheckpoints checkpoints) {
        this.bestCheckpoints = checkpoints;
        return this;
    }

    /** The optimizer step over the batches up to {@code groupEnd} ended, with mean loss {@code loss}: applied, or skipped. */
    public void step(int groupEnd, double loss, boolean applied) {
        state.stepped(groupEnd, loss, applied);
        if (applied) {
            driver.afterUpdate(state.optimizerSteps(), state.epoch());
        } else {
            listener.onWarning("step skipped at epoch " + (state.epoch() + 1) + ", batch " + (groupEnd - 1)
                    + ": a gradient was not finite (the schedule did not advance)");
        }
        TestHold.at("step"); // a kill test's moment: the update is done, its log row not yet written
        ParamGroups groups = hyper.groups();
        double[] lr = lrs();
        double[] m = new double[groups.size()];
        for (int g = 0; g < m.length; g++) {
            m[g] = groups.momentum(g);
        }
        int batch = state.nextBatch() - 1;
        listener.onStep(new TrainingLoop.StepInfo(state.optimizerSteps(), state.epoch(), batch, state.batchesPerEpoch(), loss,
                lr, m, !applied));
        if (log != null) {
            log.step(MetricsLog.stepRow(state.optimizerSteps(), state.epoch() + 1, batch, loss, !applied, lr,
                    groups.momentumKind() != MomentumKind.NONE ? m : null, driver.scheduledValues(hyper)));
        }
    }

    /** The metric the best epoch, early stopping and plateau control watch, from a validation and the epoch's training loss. */
    public double monitored(Model.Evaluation validation, double trainLoss) {
        return switch (state.best().monitor()) {
            case "val_loss" -> validation.loss();
            case "val_accuracy" -> validation.accuracy();
            default -> trainLoss;
        };
    }

    /**
     * A validation measured {@code v} (NaNs without a validation set) and, in the SWA phase, {@code swa} for the
     * average (or null). At an epoch end ({@code epochEnd}) the epoch-driven schedules step, the best epoch and early
     * stopping judge it ({@code weights} copies the weights when the best ones are kept), and best.ckpt is written.
     */
    public TrainingLoop.EpochInfo validation(boolean epochEnd, Model.Evaluation v, Model.Evaluation swa,
                                             Supplier<float[][]> weights) {
        int epoch = state.epoch();
        // The lr before this validation's epoch-end schedule step: for a per-epoch schedule, the lr the epoch trained with
        // (the row's lr0.. is the value after the step, the next epoch's). A per-step schedule moved it every step: steps.csv.
        double[] lrTrained = lrs();
        double trainLoss = state.trainLoss();
        boolean best = false;
        if (epochEnd) {
            double metric = monitored(v, trainLoss);
            driver.afterEpoch(epoch, OptionalDouble.of(metric));
            best = state.best().observe(epoch, metric, weights);
            if (state.best().stopped()) {
                listener.onWarning(state.best().stopMessage(epoch));
            }
        }
        TrainingLoop.EpochInfo info = new TrainingLoop.EpochInfo(epoch, state.optimizerSteps(), trainLoss, v.loss(), v.accuracy(),
                lrs(), best);
        if (epochEnd) {
            state.history().add(info);
        }
        listener.onValidation(info);
        if (log != null) {
            Map<String, Object> row = MetricsLog.epochRow(epoch + 1, state.optimizerSteps(), epochEnd, trainLoss, v.loss(),
                    v.accuracy(), info.lr(), best);
            if (driver.swaStart() > 0) { // every row, so that the CSV has the columns from its first row on (NaN: not averaging)
                row.put("swa_val_loss", swa == null ? Double.NaN : swa.loss());
                row.put("swa_val_accuracy", swa == null ? Double.NaN : swa.accuracy());
            }
            driver.scheduledValues(hyper).forEach((name, values) -> MetricsLog.putGroups(row, name, values));
            MetricsLog.putGroups(row, "lr_trained", lrTrained);
            log.epoch(row);
        }
        if (best && bestCheckpoints != null) {
            bestCheckpoints.writeBest(state, log);
        }
        return info;
    }

    private double[] lrs() {
        ParamGroups groups = hyper.groups();
        double[] lr = new double[groups.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = groups.lr(g);
        }
        return lr;
    }
}
