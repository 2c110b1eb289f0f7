package io.github.lr4j.train;

import io.github.lr4j.scheduler.SchedulerState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The run state in checkpoints, the same for every engine: what a checkpoint's header holds ({@link RunState}, the
 * schedulers of the {@link ScheduleDriver}, SWA, the history, the log positions, the run's settings), the invariants
 * a resume checks, read-check-commit restore (nothing changes unless all of it was read and checked, and the
 * schedulers and the optimizer are put back if either refuses), file names and rotation, which checkpoint
 * {@code --resume latest} takes, and the refusal of a folder holding another run. An engine brings its model and
 * optimizer through {@link Engine}; the files are {@link CheckpointFile}s in a {@link CheckpointStore}.
 *
 * <p>A run starts with {@link #begin}; the engine writes with {@link #writeStep}, {@link #writeEpoch},
 * {@link #writeBest} and {@link #writeSwaAverage}.
 */
public final class RunCheckpoints {
    /** The header's "format": an lr4j training checkpoint (an engine translating an older format of its own writes it). */
    public static final String FORMAT = "lr4j-train-checkpoint";

    /** What an engine saves and restores: its model's weights and its optimizer's state. */
    public interface Engine {
        /** The model's parameter names, in a fixed order (for messages). */
        List<String> parameterNames();

        /** The optimizer's parameter groups (each history row holds one lr per group). */
        int groups();

        /** Each parameter's number of values (a checkpoint's counts are checked against them before allocating). */
        int[] parameterSizes();

        /** The weights now, one array per parameter (written at once: may be the live arrays). */
        float[][] weights();

        /** The optimizer's state as bytes this engine reads back. */
        byte[] optimizerState();

        /** Loads an optimizer state; refusing it (an exception) changes nothing. */
        void loadOptimizerState(byte[] state) throws IOException;

        /** Copies checked weights (shapes as {@link #parameterSizes}) into the model. */
        void loadWeights(float[][] weights);

        /** The SWA average (null: none, or nothing averaged yet). */
        default float[][] swaAverage() {
            return null;
        }

        /** The epochs folded into the SWA average. */
        default long swaCount() {
            return 0;
        }

        /** Restores the SWA average ({@code average} null when {@code count} is 0). */
        default void loadSwaAverage(float[][] average, long count) {
        }

        /** A warm restart: puts each group's values back to where the run started, before fresh schedules are built. */
        default void resetScheduledValues() {
            throw new IllegalArgumentException("this engine cannot restart its schedules");
        }
    }

    /** How far the run a checkpoint belongs to got. */
    public record Progress(int epochsDone, int epochs, boolean stopped) {
        /** Whether the run ended: all its epochs trained, or early stopping. */
        public boolean finished() {
            return stopped || epochsDone >= epochs;
        }
    }

    private final CheckpointStore store;
    private final int keepLast;
    private final Engine engine;
    private final ScheduleDriver driver;
    private final int epochs;
    private final Map<String, Long> settings;
    private Map<String, String> runSettings = Map.of();
    private boolean extendFinished;
    private boolean restartSchedule;

    /**
     * Checkpoints of a run of {@code epochs} epochs in {@code store} (null: none are written; a resume still reads
     * one), keeping the {@code keepLast} newest step/epoch checkpoints. {@code settings} (name to value, e.g.
     * batch_size, accumulate, seed, train_size) must be equal for a checkpoint to resume; the run length may change.
     */
    public RunCheckpoints(CheckpointStore store, int keepLast, Engine engine, ScheduleDriver driver, int epochs,
                          Map<String, Long> settings) {
        if (keepLast < 1) {
            throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        }
        this.store = store;
        this.keepLast = keepLast;
        this.engine = engine;
        this.driver = driver;
        this.epochs = epochs;
        // Sorted: a checkpoint's bytes never depend on the caller's map order (Map.of's differs from one JVM to the next).
        this.settings = new TreeMap<>(settings);
    }

    /** How the caller built the run (e.g. the command line's options), saved in every checkpoint as "run". */
    public RunCheckpoints runSettings(Map<String, String> settings) {
        this.runSettings = new TreeMap<>(settings);
        return this;
    }

    /** The resumed checkpoint ends a finished run that trains on (see {@code TrainingLoop.extendFinishedRun}). */
    public RunCheckpoints extendFinishedRun(boolean restartSchedule) {
        this.extendFinished = true;
        this.restartSchedule = restartSchedule;
        return this;
    }

    // --- reading what a checkpoint says, before a run is built ---

    /** Where the run that wrote {@code checkpoint} stood (read and checked, nothing restored). */
    public static Progress progress(Path checkpoint) throws IOException {
        HeaderReader h = new HeaderReader(checkpoint, CheckpointFile.read(checkpoint).header());
        return new Progress((int) h.integer("epoch", 0, Integer.MAX_VALUE),
                (int) h.map("settings").integer("epochs", 1, Integer.MAX_VALUE), h.bool("stopped"));
    }

    /** The caller's settings a checkpoint holds ({@link #runSettings(Map)}; empty if none were given). */
    public static Map<String, String> runSettings(Path checkpoint) throws IOException {
        Object run = CheckpointFile.read(checkpoint).header().get("run");
        if (run == null) {
            return Map.of();
        }
        if (!(run instanceof Map)) {
            throw new IllegalArgumentException("checkpoint " + checkpoint + " is not valid: run must be an object, got " + run);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) run).entrySet()) {
            if (e.getValue() != null && !(e.getValue() instanceof String)) {
                throw new IllegalArgumentException("checkpoint " + checkpoint + " is not valid: run." + e.getKey()
                        + " must be text, got " + e.getValue());
            }
            out.put(String.valueOf(e.getKey()), (String) e.getValue());
        }
        return out;
    }

    /**
     * The checkpoint {@code --resume latest} takes: the newest intact step/epoch checkpoint in {@code directory}, by
     * the optimizer steps it holds. Each damaged one is skipped and said to {@code onSkipped} (one line naming the
     * file and why). Empty when the folder holds none (a run killed before its first checkpoint: start afresh); when
     * every one is damaged, an IllegalArgumentException names them.
     */
    public static Optional<Path> latest(Path directory, Consumer<String> onSkipped) throws IOException {
        return latest(CheckpointStore.folder(directory), onSkipped).map(directory::resolve);
    }

    /** {@link #latest(Path, Consumer)} in any store: the name of the newest intact checkpoint. */
    public static Optional<String> latest(CheckpointStore store, Consumer<String> onSkipped) throws IOException {
        String best = null;
        long bestSteps = -1;
        List<String> damaged = new ArrayList<>();
        for (String f : store.files()) {
            if (!isCheckpoint(f) || f.equals("best.ckpt") || f.equals("swa.ckpt")) {
                continue;
            }
            try {
                Object steps = CheckpointFile.decode(store.nameOf(f), store.read(f), null).header().get("optimizer_steps");
                if (!(steps instanceof Number) || ((Number) steps).longValue() < 0) {
                    throw new IllegalArgumentException("checkpoint " + store.nameOf(f) + " is not valid: optimizer_steps must be"
                            + " a number >= 0, got " + steps);
                }
                if (((Number) steps).longValue() > bestSteps) {
                    bestSteps = ((Number) steps).longValue();
                    best = f;
                }
            } catch (IllegalArgumentException e) {
                damaged.add(f + " (" + e.getMessage() + ")");
                onSkipped.accept("skipped " + f + ": " + e.getMessage());
            }
        }
        if (best == null && !damaged.isEmpty()) {
            throw new IllegalArgumentException("every checkpoint in " + store + " is damaged: " + String.join("; ", damaged));
        }
        return Optional.ofNullable(best);
    }

    static boolean isCheckpoint(String fileName) {
        return (fileName.startsWith("step-") || fileName.startsWith("epoch-") || fileName.equals("best.ckpt")
                || fileName.equals("swa.ckpt")) && fileName.endsWith(".ckpt");
    }

    // --- starting a run ---

    /**
     * Starts a run in {@code state}: refuses a store holding another run's checkpoints unless {@code overwrite}
     * (before anything is read or changed), empties a new run's logs, restores {@code resumeFrom} (or null: a new
     * run), then deletes the other run's checkpoints and makes the store.
     */
    public void begin(Path resumeFrom, boolean overwrite, RunState state, MetricsLog log) {
        List<String> foreign = foreignCheckpoints(resumeFrom, overwrite);
        if (log != null && resumeFrom == null) {
            log.truncate(0, 0); // a new run's logs start empty, once nothing refused it
        }
        if (resumeFrom != null) {
            restore(resumeFrom, state, log);
        }
        try {
            for (String f : foreign) {
                store.delete(f);
            }
            if (store != null) {
                store.create();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the old checkpoints in " + store, e);
        }
    }

    /** What makes two checkpoints parts of one run: the settings (but the length) and the caller's run settings. */
    @SuppressWarnings("unchecked")
    private static Object runIdentity(Map<String, Object> header) {
        Map<String, Object> s = header.get("settings") instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
                : new LinkedHashMap<>();
        s.remove("epochs");
        return List.of(s, String.valueOf(header.get("run")));
    }

    /**
     * The checkpoints in the store that belong to another run: all of them for a new run; for a resume from a file
     * outside the store, those written with other settings. Refused unless {@code overwrite}.
     */
    private List<String> foreignCheckpoints(Path resumeFrom, boolean overwrite) {
        if (store == null || resumeFrom != null && store.holds(resumeFrom)) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try {
            Object mine = resumeFrom == null ? null : identityOf(() -> CheckpointFile.read(resumeFrom).header(), resumeFrom);
            for (String f : store.files()) {
                if (isCheckpoint(f) && (mine == null || !identityOf(() -> CheckpointFile.decode(f, store.read(f), null).header(), f)
                        .equals(mine))) {
                    found.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoint directory " + store, e);
        }
        if (!found.isEmpty() && !overwrite) {
            throw new IllegalArgumentException("checkpoint directory " + store + " holds " + found.size() + " checkpoint"
                    + (found.size() == 1 ? "" : "s") + " of another run (" + found.get(0) + (found.size() > 1 ? ", ..." : "")
                    + "): resume that run, or start over and delete them (--overwrite; TrainingLoop.overwriteCheckpoints())");
        }
        return found;
    }

    private interface HeaderSource {
        Map<String, Object> header() throws IOException;
    }

    private static Object identityOf(HeaderSource source, Object name) {
        try {
            return runIdentity(source.header());
        } catch (IOException | IllegalArgumentException unreadable) {
            return name; // an unreadable file belongs to no run we can tell: unlike any other
        }
    }

    // --- writing ---

    /** A checkpoint every {@code everySteps} optimizer steps (named after them), kept among the newest. */
    public void writeStep(RunState state, MetricsLog log) {
        write(String.format("step-%09d.ckpt", state.optimizerSteps()), state, log, false, true);
    }

    /** A checkpoint at an epoch end (after {@link RunState#nextEpoch}: named after the epochs done), kept among the newest. */
    public void writeEpoch(RunState state, MetricsLog log) {
        write(String.format("epoch-%05d.ckpt", state.epoch()), state, log, false, true);
    }

    /** best.ckpt, at the end of the best epoch before it moves on: resuming from it re-runs nothing of that epoch. */
    public void writeBest(RunState state, MetricsLog log) {
        write("best.ckpt", state.afterEpoch(), log, false, false);
    }

    /** swa.ckpt at the end of the run, the model holding the SWA average: marked, so that no run resumes from it. */
    public void writeSwaAverage(RunState state, MetricsLog log) {
        write("swa.ckpt", state, log, true, false);
    }

    private void write(String name, RunState state, MetricsLog log, boolean swaAverage, boolean rotate) {
        try {
            store.write(name, encode(state, log, swaAverage));
            if (rotate) {
                rotate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name, e);
        }
    }

    private void rotate() throws IOException {
        List<String> all = new ArrayList<>();
        for (String f : store.files()) {
            if ((f.startsWith("step-") || f.startsWith("epoch-")) && f.endsWith(".ckpt")) {
                all.add(f);
            }
        }
        all.sort((a, b) -> Long.compare(modified(a), modified(b)));
        for (int i = 0; i < all.size() - keepLast; i++) {
            store.delete(all.get(i));
        }
    }

    private long modified(String f) {
        try {
            return store.modified(f) * 1_000_000 + f.hashCode() % 1000;
        } catch (IOException e) {
            return 0;
        }
    }

    private Map<String, Object> header(RunState s, MetricsLog log, boolean swaAverage) {
        BestEpoch best = s.best();
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", FORMAT);
        h.put("epoch", s.epoch);
        h.put("next_batch", s.nextBatch);
        h.put("optimizer_steps", s.optimizerSteps);
        h.put("skipped_steps", s.skippedSteps);
        h.put("epoch_loss_sum", s.epochLossSum);
        h.put("epoch_batches", s.epochBatches);
        h.put("best_metric", SchedulerState.jsonNumber(best.bestMetric));
        h.put("best_epoch", best.bestEpoch);
        h.put("wait", best.wait);
        h.put("stopped", best.stopped);
        if (s.scheduleStart > 0) {
            h.put("schedule_start_epoch", s.scheduleStart); // the schedules were restarted there (a warm restart)
        }
        Map<String, Object> runShape = new LinkedHashMap<>();
        runShape.put("epochs", epochs);
        runShape.putAll(settings);
        h.put("settings", runShape);
        h.put("run", runSettings);
        h.put("schedulers", driver.states().stream().map(st -> (Object) st.toMap()).toList());
        Map<String, Object> swa = new LinkedHashMap<>();
        swa.put("start_epoch", driver.swaStart());
        swa.put("n_averaged", engine.swaCount());
        swa.put("scheduler", driver.swaScheduler() == null ? null : driver.swaScheduler().state().toMap());
        h.put("swa", swa);
        if (swaAverage) {
            h.put("swa_average", true); // swa.ckpt: the parameters are the average, not weights to train on from
        }
        h.put("history", s.history().toJson());
        h.put("horizons", horizons(s.horizons).stream()
                .map(z -> (Object) List.of(z.epochs(), z.fromEpoch(), z.how())).toList());
        h.put("log_step_rows", log == null ? 0 : log.stepRows());
        h.put("log_epoch_rows", log == null ? 0 : log.epochRows());
        return h;
    }

    private List<RunState.Horizon> horizons(List<RunState.Horizon> known) {
        return known.isEmpty() ? List.of(new RunState.Horizon(epochs, 0, "")) : known;
    }

    /**
     * The run lengths a run resumed from a checkpoint has had: the checkpoint's ({@code saved}), and {@code epochs} from
     * the checkpoint's epoch on when that differs from its last. {@code how} names the way the schedule met the change.
     */
    public static List<RunState.Horizon> horizonsAfter(List<RunState.Horizon> saved, int epochDone, int epochs, String how) {
        List<RunState.Horizon> out = new ArrayList<>(saved);
        if (out.get(out.size() - 1).epochs() != epochs) {
            out.add(new RunState.Horizon(epochs, epochDone, how));
        }
        return out;
    }

    /** The run lengths the run that wrote {@code checkpoint} had (one for a checkpoint written before they were kept). */
    public static List<RunState.Horizon> horizons(Path checkpoint) throws IOException {
        Map<String, Object> header = CheckpointFile.read(checkpoint).header();
        return ResumeCheck.horizons(new HeaderReader(checkpoint, header), header);
    }

    // --- for an engine that keeps the files itself (Spark's driver, through Hadoop's FileSystem) ---

    /**
     * The bytes of a checkpoint of {@code state}: the file {@link #writeStep} writes (the same header, the same
     * format), for an engine that stores them itself.
     */
    public byte[] encode(RunState state, MetricsLog log) throws IOException {
        return encode(state, log, false);
    }

    private byte[] encode(RunState state, MetricsLog log, boolean swaAverage) throws IOException {
        float[][] average = engine.swaCount() == 0 ? null : engine.swaAverage();
        return encode(header(state, log, swaAverage), engine.weights(), engine.optimizerState(), state.best().bestWeights(), average);
    }

    /**
     * The bytes of a checkpoint holding {@code header} and the arrays given ({@code best} and {@code swaAverage} may be
     * null): for an engine that translates a file of an older format of its own, so that {@link #restore(String,
     * byte[], RunState, MetricsLog)} checks and restores it as any other.
     */
    public static byte[] encode(Map<String, Object> header, float[][] params, byte[] optimizer, float[][] best,
                                float[][] swaAverage) throws IOException {
        return CheckpointFile.encode(header, Arrays.asList(params), optimizer, best == null ? null : Arrays.asList(best),
                swaAverage == null ? null : Arrays.asList(swaAverage));
    }

    /** The header of checkpoint {@code bytes} ({@code source} names it), the file checked (format, version, checksum). */
    public static Map<String, Object> header(String source, byte[] bytes) throws IOException {
        return CheckpointFile.decode(source, bytes, null).header();
    }

    /** Where the run that wrote a checkpoint with {@code header} stood (read and checked, nothing restored). */
    public static Progress progress(String source, Map<String, Object> header) {
        HeaderReader h = new HeaderReader(source, header);
        return new Progress((int) h.integer("epoch", 0, Integer.MAX_VALUE),
                (int) h.map("settings").integer("epochs", 1, Integer.MAX_VALUE), h.bool("stopped"));
    }

    /** {@link #restore(Path, RunState, MetricsLog)} from checkpoint {@code bytes} that {@code source} names. */
    public void restore(String source, byte[] bytes, RunState state, MetricsLog log) {
        CheckpointFile.Contents c;
        try {
            c = CheckpointFile.decode(source, bytes, engine.parameterSizes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + source, e);
        }
        commit(new ResumeCheck(source, c, this, state).saved(), c, state, log);
    }

    // --- restoring ---

    /**
     * Restores {@code file} into {@code state}, the engine, the driver and {@code log}: reads and checks all of it
     * first; then restores the schedulers and the optimizer (put back if either refuses), then the rest, which
     * cannot fail. An error is one IllegalArgumentException naming the file and what is wrong.
     */
    public void restore(Path file, RunState state, MetricsLog log) {
        CheckpointFile.Contents c;
        try {
            c = CheckpointFile.read(file, engine.parameterSizes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        commit(new ResumeCheck(file.toString(), c, this, state).saved(), c, state, log);
    }

    private void commit(ResumeCheck.Saved saved, CheckpointFile.Contents c, RunState state, MetricsLog log) {
        boolean restart = extendFinished && restartSchedule;
        int start = restoreSchedules(saved.source(), engine, driver, c.optimizer(), saved.schedulerStates(),
                saved.swaSchedulerState(), saved.epochs(), saved.epoch(), saved.scheduleStart(), epochs, state.stepsPerEpoch(),
                restart);
        engine.loadSwaAverage(c.swaAverage(), saved.swaAveraged());
        engine.loadWeights(c.params());
        state.epoch = saved.epoch();
        state.nextBatch = saved.nextBatch();
        state.optimizerSteps = saved.optimizerSteps();
        state.skippedSteps = saved.skippedSteps();
        state.epochLossSum = saved.epochLossSum();
        state.epochBatches = saved.epochBatches();
        state.scheduleStart = start;
        BestEpoch best = state.best();
        best.bestWeights = c.bestParams();
        best.bestMetric = saved.bestMetric();
        best.bestEpoch = saved.bestEpoch();
        best.wait = saved.epochsWithoutImprovement();
        best.stopped = saved.stopped();
        if (extendFinished) {
            best.trainOn(); // early stopping judges the added epochs afresh
        }
        state.history().replaceWith(saved.history());
        state.horizons.clear();
        // A checkpoint written after an epoch's last batch, before its validation, has trained that epoch: a new length
        // counts from the next one.
        int trained = saved.epoch() + (saved.nextBatch() == state.batchesPerEpoch() ? 1 : 0);
        state.horizons.addAll(horizonsAfter(saved.horizons(), trained, epochs,
                how(extendFinished, restartSchedule)));
        if (log != null) {
            log.truncate(saved.logStepRows(), saved.logEpochRows());
        }
    }

    /**
     * The schedules and the optimizer of a resume, the same for every engine (lr4j's loop, Spark's driver): restores
     * the saved scheduler states into a run of {@code epochs} epochs, stretched when the length changed (schedules
     * restarted at {@code savedScheduleStart} on that footing), then the optimizer's state; with
     * {@code restartSchedule} (a finished run trained on) the schedules start again from the run's first values
     * ({@link Engine#resetScheduledValues}), sized for the epochs added. All or nothing: if any part refuses, the
     * schedulers and the optimizer are put back and an IllegalArgumentException names {@code file}.
     *
     * @return the epoch the schedules started at from now on (0: the run's start)
     */
    public static int restoreSchedules(String file, Engine engine, ScheduleDriver driver, byte[] optimizerState,
                                       List<SchedulerState> states, SchedulerState swaState, int savedEpochs, int savedEpoch,
                                       int savedScheduleStart, int epochs, long stepsPerEpoch, boolean restartSchedule) {
        byte[] optimizerBefore = engine.optimizerState();
        ScheduleDriver.Restore token;
        int start = restartSchedule ? savedEpoch : savedScheduleStart;
        try {
            if (restartSchedule) {
                driver.requireRebuildable(); // the schedules are built afresh once the optimizer's state is back
            }
            // Restarted schedules were sized for the epochs left at their start: restore them on that footing.
            token = restartSchedule ? driver.restore("checkpoint " + file, driver.states(), null, 0, 0, 0)
                    : driver.restore("checkpoint " + file, states, swaState, savedEpochs - start, epochs - start, stepsPerEpoch,
                    start > 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot restore checkpoint " + file + ": " + e.getMessage() + "; nothing was changed", e);
        }
        try {
            // Last: each scheduler wrote its own last lr into the groups; the optimizer's saved lrs and
            // momenta are what the groups really held.
            engine.loadOptimizerState(optimizerState);
            if (restartSchedule) {
                engine.resetScheduledValues(); // the schedules start again from the run's first values
                driver.rebuildAll(epochs - start); // each writes its step-0 values into the groups
            }
        } catch (IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
            driver.rollback(token);
            try {
                engine.loadOptimizerState(optimizerBefore);
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
            throw new IllegalArgumentException("cannot restore checkpoint " + file + ": " + e.getMessage() + "; nothing was changed", e);
        }
        return start;
    }

    /**
     * What a resume may do with the run's length, the same for every engine: extending ({@code extendFinished}) needs
     * a finished run and more epochs than it trained; a schedule restart does not combine with SWA; a run whose
     * schedules were restarted at an epoch needs more epochs than that. An IllegalArgumentException names {@code file}.
     */
    public static void checkLength(String file, Progress saved, int savedScheduleStart, int epochs, boolean extendFinished,
                                   boolean restartSchedule, int swaStart) {
        if (extendFinished) {
            if (!saved.finished()) {
                throw new IllegalArgumentException("checkpoint " + file + " is from a run that has not finished (epoch "
                        + saved.epochsDone() + " of " + saved.epochs() + "): resume it as it is");
            }
            if (epochs <= saved.epochsDone()) {
                throw new IllegalArgumentException("to train on from checkpoint " + file + ", epochs must be more than the "
                        + saved.epochsDone() + " it trained, got " + epochs);
            }
            if (restartSchedule && swaStart > 0) {
                throw new IllegalArgumentException("a schedule restart does not combine with SWA; extend the run without SWA");
            }
        }
        if (savedScheduleStart > 0 && epochs <= savedScheduleStart) {
            throw new IllegalArgumentException("checkpoint " + file + " restarted its schedules at epoch " + savedScheduleStart
                    + ": epochs must be more than that, got " + epochs);
        }
    }

    /** How a resume met the run's length, as {@link RunState.Horizon#how} names it. */
    public static String how(boolean extendFinished, boolean restartSchedule) {
        return extendFinished && restartSchedule ? "restart-schedule" : extendFinished ? "continue-at-final-lr" : "stretched";
    }

    // For ResumeCheck.
    Engine engine() {
        return engine;
    }

    ScheduleDriver driver() {
        return driver;
    }

    int epochs() {
        return epochs;
    }

    Map<String, Long> settings() {
        return settings;
    }

    boolean extendsFinished() {
        return extendFinished;
    }

    boolean restartsSchedule() {
        return restartSchedule;
    }
}
