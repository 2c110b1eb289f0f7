package io.github.lr4j.train;

import io.github.lr4j.scheduler.SchedulerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and checks every field of a checkpoint against the run that resumes it, before anything is changed; an
 * error is one IllegalArgumentException naming the file, the field and the value. A checkpoint with a valid checksum
 * may still be crafted or written by a bug: the counters must tell one story, the weights must be finite.
 */
final class ResumeCheck {
    /** A checkpoint's header, read and checked against this run. */
    record Saved(String source, int epoch, int nextBatch, long optimizerSteps, long skippedSteps, double epochLossSum,
                 int epochBatches, double bestMetric, int bestEpoch, int epochsWithoutImprovement, boolean stopped,
                 List<SchedulerState> schedulerStates, List<TrainingLoop.EpochInfo> history, long logStepRows, long logEpochRows,
                 int epochs, long swaAveraged, SchedulerState swaSchedulerState, int scheduleStart,
                 List<RunState.Horizon> horizons) { }

    private final String file;
    private final CheckpointFile.Contents c;
    private final RunCheckpoints run;
    private final RunState state;

    ResumeCheck(String file, CheckpointFile.Contents c, RunCheckpoints run, RunState state) {
        this.file = file;
        this.c = c;
        this.run = run;
        this.state = state;
    }

    Saved saved() {
        HeaderReader h = new HeaderReader(file, c.header());
        if (!RunCheckpoints.FORMAT.equals(c.header().get("format"))) {
            throw new IllegalArgumentException("checkpoint " + file + " is not an lr4j training checkpoint (format "
                    + c.header().get("format") + ")");
        }
        HeaderReader settings = h.map("settings");
        for (Map.Entry<String, Long> e : run.settings().entrySet()) {
            long saved = settings.integer(e.getKey(), Long.MIN_VALUE, Long.MAX_VALUE);
            if (saved != e.getValue()) {
                throw new IllegalArgumentException("checkpoint " + file + " was written with " + e.getKey() + "=" + saved
                        + " but this run has " + e.getKey() + "=" + e.getValue() + "; resume with the same settings");
            }
        }
        List<String> names = run.engine().parameterNames();
        int[] sizes = run.engine().parameterSizes();
        checkShapes("parameters", c.params(), names, sizes);
        if (c.bestParams() != null) {
            checkShapes("best weights", c.bestParams(), names, sizes);
        }
        int batches = state.batchesPerEpoch();
        int epochSaved = (int) h.integer("epoch", 0, Integer.MAX_VALUE);
        int nextBatchSaved = (int) h.integer("next_batch", 0, batches);
        long steps = h.integer("optimizer_steps", 0, Long.MAX_VALUE);
        long skipped = h.integer("skipped_steps", 0, Long.MAX_VALUE);
        double lossSum = h.number("epoch_loss_sum");
        int epochBatchesSaved = (int) h.integer("epoch_batches", 0, batches);
        double best = h.number("best_metric");
        int bestEpochSaved = (int) h.integer("best_epoch", -1, epochSaved);
        int waitSaved = (int) h.integer("wait", 0, Integer.MAX_VALUE);
        boolean stoppedSaved = h.bool("stopped");
        List<Object> states = h.list("schedulers");
        ScheduleDriver driver = run.driver();
        if (states.size() != driver.attached().size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + states.size() + " schedulers, this run has "
                    + driver.attached().size());
        }
        List<SchedulerState> schedulerStates = new ArrayList<>();
        for (int i = 0; i < states.size(); i++) {
            schedulerStates.add(SchedulerState.of(h.element("schedulers", i, states.get(i)).raw()));
        }
        List<Object> hist = h.list("history");
        if (hist.size() != epochSaved) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: history holds " + hist.size()
                    + " epochs but epoch is " + epochSaved);
        }
        // Every optimizer step call, applied or skipped, is one group of batches: the counters must tell the same story.
        long calls = state.callsAt(epochSaved, nextBatchSaved);
        if (steps + skipped != calls || epochBatchesSaved != nextBatchSaved) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: optimizer_steps " + steps + " + skipped_steps "
                    + skipped + " must be " + calls + " at epoch " + epochSaved + ", batch " + nextBatchSaved
                    + " (and epoch_batches " + epochBatchesSaved + " must equal next_batch)");
        }
        checkFinite("parameters", c.params(), names);
        if (c.bestParams() != null) {
            checkFinite("best weights", c.bestParams(), names);
        }
        if (c.swaAverage() != null) {
            checkFinite("SWA average", c.swaAverage(), names);
        }
        List<TrainingLoop.EpochInfo> historySaved = EpochHistory.fromJson(file, hist, run.engine().groups(), epochSaved, steps);
        // One step row per step taken or skipped; one epoch row per validation (at most one per step, plus epoch ends).
        long stepRows = h.integer("log_step_rows", 0, steps + skipped);
        long epochRows = h.integer("log_epoch_rows", 0, steps + epochSaved);
        int epochsSaved = (int) settings.integer("epochs", 1, Integer.MAX_VALUE);
        // SWA: a version 1 checkpoint (no "swa" field) comes from a run without it.
        long swaStartSaved = 0;
        long averaged = 0;
        SchedulerState swaState = null;
        if (c.header().containsKey("swa")) {
            HeaderReader swa = h.map("swa");
            swaStartSaved = swa.integer("start_epoch", 0, Integer.MAX_VALUE);
            averaged = swa.integer("n_averaged", 0, epochSaved);
            if (swa.raw().get("scheduler") != null) {
                swaState = SchedulerState.of(swa.map("scheduler").raw());
            }
        }
        checkSwa(swaStartSaved, averaged, swaState, epochSaved, nextBatchSaved, names, sizes);
        int scheduleStartSaved = c.header().containsKey("schedule_start_epoch")
                ? (int) h.integer("schedule_start_epoch", 1, epochSaved) : 0;
        checkExtension(stoppedSaved, epochSaved, epochsSaved, scheduleStartSaved, driver.swaStart());
        return new Saved(file, epochSaved, nextBatchSaved, steps, skipped, lossSum, epochBatchesSaved, best, bestEpochSaved,
                waitSaved, stoppedSaved, schedulerStates, historySaved, stepRows, epochRows, epochsSaved, averaged, swaState,
                scheduleStartSaved, horizons(h, c.header()));
    }

    /** The "horizons" rows [epochs, from_epoch, how]; without them (an older checkpoint) the one its settings name. */
    static List<RunState.Horizon> horizons(HeaderReader h, Map<String, Object> header) {
        if (!header.containsKey("horizons")) {
            return List.of(new RunState.Horizon((int) h.map("settings").integer("epochs", 1, Integer.MAX_VALUE), 0, ""));
        }
        List<Object> rows = h.list("horizons");
        List<RunState.Horizon> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HeaderReader r = h.row("horizons", i, rows.get(i), 3);
            out.add(new RunState.Horizon((int) r.integerAt(0, 1, Integer.MAX_VALUE), (int) r.integerAt(1, 0, Integer.MAX_VALUE),
                    r.textAt(2)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + h.file() + " is not valid: horizons must not be empty");
        }
        return out;
    }

    private void checkSwa(long swaStartSaved, long averaged, SchedulerState swaState, int epochSaved, int nextBatchSaved,
                          List<String> names, int[] sizes) {
        ScheduleDriver driver = run.driver();
        int swaStart = driver.swaStart();
        if (swaStartSaved != swaStart) {
            throw new IllegalArgumentException("checkpoint " + file + " was written by a run with "
                    + (swaStartSaved == 0 ? "no SWA" : "SWA from epoch " + swaStartSaved) + " but this run has "
                    + (swaStart == 0 ? "no SWA" : "SWA from epoch " + swaStart) + "; resume with the same setting");
        }
        if ((averaged > 0) != (c.swaAverage() != null)) {
            throw new IllegalArgumentException("checkpoint " + file + " is not valid: n_averaged is " + averaged + " but it "
                    + (c.swaAverage() == null ? "holds no" : "holds an") + " SWA average");
        }
        if (c.swaAverage() != null) {
            checkShapes("SWA average", c.swaAverage(), names, sizes);
        }
        if (swaState != null && !driver.hasSwaFactory()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds an SWA scheduler but this run has none");
        }
        boolean inSwaPhase = averaged > 0 || swaStart > 0 && epochSaved + 1 >= swaStart && nextBatchSaved > 0;
        if (swaState == null && driver.hasSwaFactory() && inSwaPhase) {
            throw new IllegalArgumentException("checkpoint " + file + " was written in the SWA phase by a run without an SWA"
                    + " scheduler, but this run has one; resume with the same setting");
        }
        if (Boolean.TRUE.equals(c.header().get("swa_average"))) {
            throw new IllegalArgumentException("checkpoint " + file + " holds the SWA average written at the end of the run,"
                    + " not a state to train on from; resume from an epoch or step checkpoint");
        }
    }

    private void checkExtension(boolean stoppedSaved, int epochSaved, int epochsSaved, int scheduleStartSaved, int swaStart) {
        RunCheckpoints.checkLength(file, new RunCheckpoints.Progress(epochSaved, epochsSaved, stoppedSaved), scheduleStartSaved,
                run.epochs(), run.extendsFinished(), run.restartsSchedule(), swaStart);
    }

    /** Weights that are not finite train to nothing (every step is skipped): refused, naming where. */
    private void checkFinite(String what, float[][] saved, List<String> names) {
        for (int i = 0; i < saved.length; i++) {
            for (int k = 0; k < saved[i].length; k++) {
                if (!Float.isFinite(saved[i][k])) {
                    throw new IllegalArgumentException("checkpoint " + file + " is not valid: its " + what + " hold "
                            + saved[i][k] + " in " + names.get(i) + "[" + k + "]; nothing can be trained from it");
                }
            }
        }
    }

    private void checkShapes(String what, float[][] saved, List<String> names, int[] sizes) {
        if (saved.length != sizes.length) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + saved.length + " " + what + ", the model has "
                    + sizes.length);
        }
        for (int i = 0; i < sizes.length; i++) {
            if (saved[i].length != sizes[i]) {
                throw new IllegalArgumentException("parameter " + names.get(i) + " has " + sizes[i]
                        + " values but the checkpoint's " + what + " have " + saved[i].length);
            }
        }
    }
}
