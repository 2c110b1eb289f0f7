package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;

/**
 * A training loop that gets scheduler timing right. Each attached scheduler is stepped at its
 * {@link Interval} (per optimizer step, or per epoch after validation) and frequency; defaults
 * follow the scheduler type's descriptor ({@link Interval#defaultFor}), plateau control is
 * fed the monitored validation metric, and the classic mistakes are refused or warned about before
 * training starts. With gradient accumulation the schedule counts optimizer steps, and a step
 * skipped for a non-finite gradient does not advance it.
 *
 * <p>Data order: epoch {@code e} visits the training set in the order of a Fisher-Yates shuffle
 * with {@code new Random(seed + e)}, so a resumed run sees exactly the batches it would have seen.
 * Checkpoints hold the model, the optimizer, every scheduler, early stopping and the loop counters:
 * {@link #resume(Path)} continues bit-for-bit.
 *
 * <p>Modes ({@link io.github.lr4j.optim.ModeAware}, a no-op for ordinary optimizers): a schedule-free
 * optimizer is put in eval mode (the parameters hold its average {@code x}) for validation, for
 * copying the best weights and for {@code best.ckpt}, and back in train mode ({@code y}) before the
 * next step; step and epoch checkpoints are written in train mode. Each checkpoint records the mode,
 * and a resumed run steps from {@code y}. {@link #fit()} returns in eval mode, ready for testing.
 */
public final class Trainer {
    /** A scheduler and when to step it (shared with lr4j-djl's listener). */
    public record Attached(Scheduler scheduler, Interval interval, int frequency) {
        public Attached {
            if (frequency < 1) {
                throw new IllegalArgumentException("frequency must be >= 1, got " + frequency);
            }
            if (scheduler.drivenByMetric() && interval == Interval.STEP) {
                throw new IllegalArgumentException(scheduler.name() + " is fed a validation metric: use Interval.EPOCH");
            }
        }
    }

    /** What happened at one optimizer step. */
    public record StepInfo(long step, int epoch, int batch, int batchesPerEpoch, double loss, double[] lr, double[] momentum,
                           boolean skipped) { }

    /** One validation. */
    public record EpochInfo(int epoch, long step, double trainLoss, double valLoss, double valAccuracy, double[] lr,
                            boolean best) { }

    /** How a run ended. */
    public record Result(int epochsRun, long optimizerSteps, long skippedSteps, boolean stoppedEarly, int bestEpoch,
                         double bestMetric, List<EpochInfo> history) { }

    private final Model model;
    private final Optimizer optimizer;
    private final Dataset train;
    private Dataset validation;
    private int epochs = 10;
    private int batchSize = 32;
    private long seed = 0;
    private int accumulate = 1;
    private final List<Attached> schedulers = new ArrayList<>();
    private String monitor = "val_loss";
    private Mode mode = Mode.MIN;
    private EarlyStopping earlyStopping;
    private Checkpointing checkpointing;
    private Path logDirectory;
    private long validateEverySteps;
    private TrainListener listener = new TrainListener() { };

    // Loop state (all of it goes into checkpoints).
    private int epoch;
    private int nextBatch;
    private long optimizerSteps;
    private long skippedSteps;
    private double epochLossSum;
    private int epochBatches;
    private double bestMetric = Double.NaN;
    private int bestEpoch = -1;
    private int wait;
    private boolean stopped;
    private float[][] bestWeights;
    private final List<EpochInfo> history = new ArrayList<>();
    private Path resumeFrom;
    private MetricsLog log;

    private Trainer(Model model, Optimizer optimizer, Dataset train) {
        this.model = model;
        this.optimizer = optimizer;
        this.train = train;
    }

    /** A loop for {@code model} with {@code optimizer} (whose groups hold the model's parameters) on {@code train}. */
    public static Trainer of(Model model, Optimizer optimizer, Dataset train) {
        if (train.size() == 0) {
            throw new IllegalArgumentException("the training set is empty");
        }
        return new Trainer(model, optimizer, train);
    }

    public Trainer validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    public Trainer epochs(int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Gradient accumulation: one optimizer step every {@code batches} batches. */
    public Trainer accumulate(int batches) {
        if (batches < 1) {
            throw new IllegalArgumentException("accumulate must be >= 1, got " + batches);
        }
        this.accumulate = batches;
        return this;
    }

    /** Steps {@code s} at its default interval ({@link Interval#defaultFor}). */
    public Trainer scheduler(Scheduler s) {
        return scheduler(s, Interval.defaultFor(s), 1);
    }

    public Trainer scheduler(Scheduler s, Interval interval, int frequency) {
        if (s.groups() != optimizer) {
            throw new IllegalArgumentException(s.name() + " must be attached to this trainer's optimizer");
        }
        schedulers.add(new Attached(s, interval, frequency));
        return this;
    }

    /** The metric that plateau control, early stopping and the best checkpoint watch: val_loss (default), val_accuracy or train_loss. */
    public Trainer monitor(String metric, Mode mode) {
        if (!List.of("val_loss", "val_accuracy", "train_loss").contains(metric)) {
            throw new IllegalArgumentException("monitor must be val_loss, val_accuracy or train_loss, got " + metric);
        }
        this.monitor = metric;
        this.mode = mode;
        return this;
    }

    public Trainer earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    public Trainer checkpoints(Checkpointing checkpointing) {
        this.checkpointing = checkpointing;
        return this;
    }

    /** Writes the metrics log (JSON lines and CSV) into {@code directory}. */
    public Trainer log(Path directory) {
        this.logDirectory = directory;
        return this;
    }

    /** Validate every {@code steps} optimizer steps as well as at every epoch end (0: epoch ends only). */
    public Trainer validateEverySteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("validateEverySteps must be >= 0, got " + steps);
        }
        this.validateEverySteps = steps;
        return this;
    }

    public Trainer listener(TrainListener listener) {
        this.listener = listener;
        return this;
    }

    /** Continue from a checkpoint written by a run with the same settings. */
    public Trainer resume(Path checkpoint) {
        this.resumeFrom = checkpoint;
        return this;
    }

    public int batchesPerEpoch() {
        return (train.size() + batchSize - 1) / batchSize;
    }

    /** Optimizer steps in one epoch (the last group of an epoch may hold fewer batches). */
    public int optimizerStepsPerEpoch() {
        return (batchesPerEpoch() + accumulate - 1) / accumulate;
    }

    /** Checks the classic mistakes: errors for what would fail, warnings (to the listener) for what is suspicious. */
    List<String> preflight() {
        List<String> warnings = new ArrayList<>();
        long stepCalls = (long) optimizerStepsPerEpoch() * epochs;
        for (Attached a : schedulers) {
            String name = a.scheduler().name();
            long calls = (a.interval() == Interval.STEP ? stepCalls : epochs) / a.frequency();
            if (a.scheduler().drivenByMetric()) {
                if (monitor.startsWith("val_") && validation == null) {
                    throw new IllegalArgumentException(name + " monitors " + monitor + " but there is no validation set:"
                            + " give one, or monitor train_loss");
                }
                continue;
            }
            SchedulerType.LintContext lints = SchedulerType.LintContext.forRun(calls, a.interval() == Interval.EPOCH,
                    (a.interval() == Interval.STEP ? "per optimizer step" : "per epoch") + " over " + epochs + " epochs", null);
            SchedulerTypes.lint(a.scheduler().spec(), lints);
            if (!lints.failures().isEmpty()) {
                throw new IllegalArgumentException(lints.failures().get(0));
            }
            warnings.addAll(lints.warnings());
        }
        if (earlyStopping != null && monitor.startsWith("val_") && validation == null) {
            throw new IllegalArgumentException("early stopping monitors " + monitor + " but there is no validation set");
        }
        return warnings;
    }

    /** Trains (or continues a resumed run) to the end or to early stopping. */
    public Result fit() {
        for (String w : preflight()) {
            listener.onWarning(w);
        }
        optimizer.nonFiniteGradients(NonFiniteGradients.SKIP);
        if (logDirectory != null) {
            log = new MetricsLog(logDirectory);
        }
        try {
            if (resumeFrom != null) {
                restore(resumeFrom);
            }
            // A schedule-free optimizer steps from y (a checkpoint written in eval mode holds x); a no-op for the others.
            optimizer.train();
            int[] order = new int[train.size()];
            int batches = batchesPerEpoch();
            while (epoch < epochs && !stopped) {
                shuffle(order, seed + epoch);
                while (nextBatch < batches && !stopped) {
                    int groupEnd = Math.min(batches, (nextBatch / accumulate + 1) * accumulate);
                    int inGroup = groupEnd - nextBatch;
                    optimizer.zeroGrad();
                    double loss = 0;
                    for (int b = nextBatch; b < groupEnd; b++) {
                        int from = b * batchSize;
                        int to = Math.min(train.size(), from + batchSize);
                        loss += model.lossAndGradient(train, order, from, to, 1.0 / inGroup);
                    }
                    loss /= inGroup;
                    nextBatch = groupEnd;
                    epochLossSum += loss * inGroup;
                    epochBatches += inGroup;
                    boolean applied = optimizer.step();
                    if (applied) {
                        optimizerSteps++;
                        stepSchedulers(Interval.STEP, Double.NaN);
                    } else {
                        skippedSteps++;
                        listener.onWarning("step skipped at epoch " + epoch + ", batch " + (groupEnd - 1)
                                + ": a gradient was not finite (the schedule did not advance)");
                    }
                    logStep(loss, !applied, batches);
                    if (applied && validateEverySteps > 0 && optimizerSteps % validateEverySteps == 0 && nextBatch < batches) {
                        validate(false);
                    }
                    if (applied && checkpointing != null && checkpointing.everySteps() > 0
                            && optimizerSteps % checkpointing.everySteps() == 0 && nextBatch < batches) {
                        writeCheckpoint("step-" + String.format("%09d", optimizerSteps) + ".ckpt", true);
                    }
                }
                if (stopped) {
                    break;
                }
                validate(true);
                epoch++;
                nextBatch = 0;
                epochLossSum = 0;
                epochBatches = 0;
                if (checkpointing != null && checkpointing.atEpochEnd()) {
                    writeCheckpoint("epoch-" + String.format("%05d", epoch) + ".ckpt", true);
                }
            }
            optimizer.eval(); // the model leaves the loop holding what tests and saved weights should see (x)
            if (earlyStopping != null && earlyStopping.restoreBestWeights() && bestWeights != null) {
                List<Parameter> ps = model.parameters();
                for (int i = 0; i < ps.size(); i++) {
                    System.arraycopy(bestWeights[i], 0, ps.get(i).data(), 0, bestWeights[i].length);
                }
            }
            return new Result(epoch, optimizerSteps, skippedSteps, stopped, bestEpoch, bestMetric, List.copyOf(history));
        } finally {
            if (log != null) {
                log.close();
            }
        }
    }

    static void shuffle(int[] order, long seed) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private void stepSchedulers(Interval interval, double metric) {
        for (Attached a : schedulers) {
            if (a.interval() != interval) {
                continue;
            }
            long count = interval == Interval.STEP ? optimizerSteps : epoch + 1;
            if (count % a.frequency() != 0) {
                continue;
            }
            a.scheduler().step(interval == Interval.EPOCH ? OptionalDouble.of(metric) : OptionalDouble.empty());
        }
    }

    private void logStep(double loss, boolean skipped, int batches) {
        double[] lr = new double[optimizer.size()];
        double[] m = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = optimizer.lr(g);
            m[g] = optimizer.momentum(g);
        }
        StepInfo info = new StepInfo(optimizerSteps, epoch, nextBatch - 1, batches, loss, lr, m, skipped);
        listener.onStep(info);
        if (log != null) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("step", optimizerSteps);
            row.put("epoch", epoch);
            row.put("batch", nextBatch - 1);
            row.put("loss", loss);
            row.put("skipped", skipped);
            for (int g = 0; g < lr.length; g++) {
                row.put("lr" + g, lr[g]);
            }
            if (optimizer.momentumKind() != MomentumKind.NONE) {
                for (int g = 0; g < m.length; g++) {
                    row.put("momentum" + g, m[g]);
                }
            }
            log.step(row);
        }
    }

    /** Validation; at an epoch end also plateau control, early stopping and the best checkpoint. */
    private void validate(boolean epochEnd) {
        // Validation, the best weights and best.ckpt see a schedule-free optimizer's x. Not switching when
        // nothing reads the weights keeps the run free of the switch's rounding (eval then train is not exact).
        boolean readsWeights = validation != null || epochEnd && (earlyStopping != null && earlyStopping.restoreBestWeights()
                || checkpointing != null && checkpointing.best());
        if (readsWeights) {
            optimizer.eval();
        }
        double trainLoss = epochBatches == 0 ? Double.NaN : epochLossSum / epochBatches;
        Model.Evaluation v = validation == null ? new Model.Evaluation(Double.NaN, Double.NaN) : model.evaluate(validation);
        double metric = monitor.equals("val_loss") ? v.loss() : monitor.equals("val_accuracy") ? v.accuracy() : trainLoss;
        boolean best = false;
        if (epochEnd) {
            stepSchedulers(Interval.EPOCH, metric);
            if (bestEpoch < 0 || mode.improves(metric, bestMetric, earlyStopping == null ? 0 : earlyStopping.minDelta())) {
                bestMetric = metric;
                bestEpoch = epoch;
                wait = 0;
                best = true;
                if (earlyStopping != null && earlyStopping.restoreBestWeights()) {
                    bestWeights = copyWeights();
                }
            } else {
                wait++;
                if (earlyStopping != null && wait >= earlyStopping.patience()) {
                    stopped = true;
                    listener.onWarning("early stopping after epoch " + epoch + ": " + monitor + " has not improved for "
                            + wait + " epochs (best " + bestMetric + " at epoch " + bestEpoch + ")");
                }
            }
        }
        double[] lr = new double[optimizer.size()];
        for (int g = 0; g < lr.length; g++) {
            lr[g] = optimizer.lr(g);
        }
        EpochInfo info = new EpochInfo(epoch, optimizerSteps, trainLoss, v.loss(), v.accuracy(), lr, best);
        if (epochEnd) {
            history.add(info);
        }
        listener.onValidation(info);
        if (log != null) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", epoch);
            row.put("step", optimizerSteps);
            row.put("epoch_end", epochEnd);
            row.put("train_loss", trainLoss);
            row.put("val_loss", v.loss());
            row.put("val_accuracy", v.accuracy());
            for (int g = 0; g < lr.length; g++) {
                row.put("lr" + g, lr[g]);
            }
            row.put("best", best);
            log.epoch(row);
        }
        if (epochEnd && best && checkpointing != null && checkpointing.best()) {
            // Written before the epoch counter moves on: resuming from it re-runs nothing of this epoch.
            epoch++;
            nextBatch = 0;
            double savedSum = epochLossSum;
            int savedBatches = epochBatches;
            epochLossSum = 0;
            epochBatches = 0;
            writeCheckpoint("best.ckpt", false);
            epoch--;
            epochLossSum = savedSum;
            epochBatches = savedBatches;
            nextBatch = batchesPerEpoch();
        }
        optimizer.train();
    }

    private float[][] copyWeights() {
        List<Parameter> ps = model.parameters();
        float[][] out = new float[ps.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = ps.get(i).data().clone();
        }
        return out;
    }

    // --- checkpoints ---

    private Map<String, Object> header() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("format", "lr4j-train-checkpoint");
        h.put("epoch", epoch);
        h.put("next_batch", nextBatch);
        h.put("optimizer_steps", optimizerSteps);
        h.put("skipped_steps", skippedSteps);
        h.put("epoch_loss_sum", epochLossSum);
        h.put("epoch_batches", epochBatches);
        h.put("best_metric", SchedulerState.jsonNumber(bestMetric));
        h.put("best_epoch", bestEpoch);
        h.put("wait", wait);
        h.put("stopped", stopped);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("epochs", epochs);
        settings.put("batch_size", batchSize);
        settings.put("accumulate", accumulate);
        settings.put("seed", seed);
        settings.put("train_size", train.size());
        h.put("settings", settings);
        List<Object> states = new ArrayList<>();
        for (Attached a : schedulers) {
            states.add(a.scheduler().state().toMap());
        }
        h.put("schedulers", states);
        List<Object> hist = new ArrayList<>();
        for (EpochInfo e : history) {
            hist.add(List.of(e.epoch(), e.step(), SchedulerState.jsonNumber(e.trainLoss()), SchedulerState.jsonNumber(e.valLoss()),
                    SchedulerState.jsonNumber(e.valAccuracy()), SchedulerState.jsonNumbers(e.lr()), e.best()));
        }
        h.put("history", hist);
        h.put("log_step_rows", log == null ? 0 : log.stepRows());
        h.put("log_epoch_rows", log == null ? 0 : log.epochRows());
        return h;
    }

    private void writeCheckpoint(String name, boolean rotate) {
        try {
            ByteArrayOutputStream opt = new ByteArrayOutputStream();
            optimizer.save(opt);
            List<float[]> params = new ArrayList<>();
            for (Parameter p : model.parameters()) {
                params.add(p.data());
            }
            Path target = checkpointing.directory().resolve(name);
            CheckpointFile.write(target, header(), params, opt.toByteArray(), bestWeights == null ? null : Arrays.asList(bestWeights));
            if (rotate) {
                rotate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + name, e);
        }
    }

    private void rotate() throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.list(checkpointing.directory())) {
            all = s.filter(p -> {
                String f = p.getFileName().toString();
                return (f.startsWith("step-") || f.startsWith("epoch-")) && f.endsWith(".ckpt");
            }).sorted((a, b) -> Long.compare(modified(a), modified(b))).toList();
        }
        for (int i = 0; i < all.size() - checkpointing.keepLast(); i++) {
            Files.deleteIfExists(all.get(i));
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() * 1_000_000 + p.getFileName().toString().hashCode() % 1000;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The newest step/epoch checkpoint in {@code directory}, by the optimizer steps it holds. */
    public static Path latestCheckpoint(Path directory) throws IOException {
        Path best = null;
        long bestSteps = -1;
        try (Stream<Path> s = Files.list(directory)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String f = p.getFileName().toString();
                if ((f.startsWith("step-") || f.startsWith("epoch-")) && f.endsWith(".ckpt")) {
                    try {
                        long steps = ((Number) CheckpointFile.read(p).header().get("optimizer_steps")).longValue();
                        if (steps > bestSteps) {
                            bestSteps = steps;
                            best = p;
                        }
                    } catch (IllegalArgumentException damaged) {
                        // A damaged file cannot be the newest good checkpoint: skip it.
                    }
                }
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("no checkpoint in " + directory);
        }
        return best;
    }

    @SuppressWarnings("unchecked")
    private void restore(Path file) {
        CheckpointFile.Contents c;
        try {
            c = CheckpointFile.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        Map<String, Object> h = c.header();
        Map<String, Object> settings = (Map<String, Object>) h.get("settings");
        Map<String, Object> mine = (Map<String, Object>) header().get("settings");
        for (String k : List.of("batch_size", "accumulate", "seed", "train_size")) {
            if (((Number) settings.get(k)).longValue() != ((Number) mine.get(k)).longValue()) {
                throw new IllegalArgumentException("checkpoint " + file + " was written with " + k + "=" + settings.get(k)
                        + " but this run has " + k + "=" + mine.get(k) + "; resume with the same settings");
            }
        }
        List<Parameter> ps = model.parameters();
        if (c.params().length != ps.size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + c.params().length + " parameters, the model has "
                    + ps.size());
        }
        for (int i = 0; i < ps.size(); i++) {
            if (c.params()[i].length != ps.get(i).size()) {
                throw new IllegalArgumentException("parameter " + ps.get(i).name() + " has " + ps.get(i).size()
                        + " values but the checkpoint has " + c.params()[i].length);
            }
        }
        List<Object> states = (List<Object>) h.get("schedulers");
        if (states.size() != schedulers.size()) {
            throw new IllegalArgumentException("checkpoint " + file + " holds " + states.size() + " schedulers, this run has "
                    + schedulers.size());
        }
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).scheduler().loadState(SchedulerState.of((Map<String, Object>) states.get(i)));
        }
        // Last: each scheduler wrote its own last lr into the groups; the optimizer's saved lrs and
        // momenta are what the groups really held.
        try {
            optimizer.load(new ByteArrayInputStream(c.optimizer()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(c.params()[i], 0, ps.get(i).data(), 0, c.params()[i].length);
        }
        bestWeights = c.bestParams();
        epoch = ((Number) h.get("epoch")).intValue();
        nextBatch = ((Number) h.get("next_batch")).intValue();
        optimizerSteps = ((Number) h.get("optimizer_steps")).longValue();
        skippedSteps = ((Number) h.get("skipped_steps")).longValue();
        epochLossSum = ((Number) h.get("epoch_loss_sum")).doubleValue();
        epochBatches = ((Number) h.get("epoch_batches")).intValue();
        bestMetric = SchedulerState.fromJson(h.get("best_metric"));
        bestEpoch = ((Number) h.get("best_epoch")).intValue();
        wait = ((Number) h.get("wait")).intValue();
        stopped = (Boolean) h.get("stopped");
        history.clear();
        for (Object o : (List<Object>) h.get("history")) {
            List<Object> e = (List<Object>) o;
            List<Object> lrs = (List<Object>) e.get(5);
            double[] lr = lrs.stream().mapToDouble(SchedulerState::fromJson).toArray();
            history.add(new EpochInfo(((Number) e.get(0)).intValue(), ((Number) e.get(1)).longValue(),
                    SchedulerState.fromJson(e.get(2)), SchedulerState.fromJson(e.get(3)),
                    SchedulerState.fromJson(e.get(4)), lr, (Boolean) e.get(6)));
        }
        if (log != null) {
            log.truncate(((Number) h.get("log_step_rows")).longValue(), ((Number) h.get("log_epoch_rows")).longValue());
        }
    }

    public Model model() {
        return model;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public List<Attached> schedulers() {
        return List.copyOf(schedulers);
    }
}
