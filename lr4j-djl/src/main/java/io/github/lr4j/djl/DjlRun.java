package io.github.lr4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.dataset.Batch;
import ai.djl.util.Pair;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.train.BestEpoch;
import io.github.lr4j.train.CheckpointStore;
import io.github.lr4j.train.Checkpointing;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.EpochOrder;
import io.github.lr4j.train.MetricsLog;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.RunRecorder;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.TrainListener;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A {@link DjlDigits} run driven by lr4j-train's engine-neutral driver, as lr4j's own {@code TrainingLoop} is: the
 * {@link RunState}, the {@link RunRecorder} (logs, plateau control, the best epoch, early stopping), the
 * {@link ScheduleDriver} and {@link RunCheckpoints} (the same checkpoint files, {@code --resume latest}, read-check-commit
 * restore). This class only trains and measures: epoch {@code e} visits the training set in the order
 * {@link EpochOrder#shuffle} gives for {@code seed + e}, one optimizer step per batch, so a run resumed at any checkpoint
 * sees the batches an uninterrupted run sees (single-threaded, byte for byte). As {@link RunCheckpoints.Engine} it
 * brings the DJL block's parameters (as float arrays) and {@link Lr4jOptimizer}'s state with the groups' values.
 *
 * <p>With {@link Lr4jTrainingListener#swa} on the run's listener, SWA runs as in lr4j's loop: the driver's SWA scheduler
 * takes the lr over from the SWA start, the weights are folded into the {@link DjlWeightAverage} at each SWA epoch end
 * and the average validated ({@code swa_val_loss}), checkpoints hold the average and its count (lr4j-train's fields),
 * and {@link #fit} ends with the average in the block and in {@code swa.ckpt}.
 */
public final class DjlRun implements RunCheckpoints.Engine {
    private static final byte[] MAGIC = "LR4JDJLR".getBytes(StandardCharsets.US_ASCII);

    private final DjlDigits run;
    private final NDArray trainX;
    private final NDArray trainY;
    private final int batchSize;
    private final long seed;
    private final int epochs;
    private final ScheduleDriver driver;
    /** The groups' values when the run was built: where a warm restart of the schedules starts. */
    private final double[][] startValues;
    private String monitor = "val_loss";
    private EarlyStopping earlyStopping;
    private Checkpointing checkpointing;
    private Map<String, String> runSettings = Map.of();
    private boolean overwrite;
    private Boolean extendRestarting;
    private RunState state;
    /** The weights the last step left, before the SWA average replaced them at the end (null: it did not). */
    private float[][] trainedWeights;

    /** A run of {@code epochs} epochs of {@code run}'s data in batches of {@code batchSize}, shuffled from {@code seed}. */
    public DjlRun(DjlDigits run, int epochs, int batchSize, long seed) {
        this.run = run;
        this.trainX = run.trainX;
        this.trainY = run.trainY;
        this.batchSize = batchSize;
        this.seed = seed;
        this.epochs = epochs;
        this.driver = run.listener.driver();
        this.startValues = snapshot();
    }

    /** The metric the best epoch, early stopping and plateau control watch: val_loss or val_accuracy. */
    public DjlRun monitor(String metric) {
        this.monitor = BestEpoch.requireMonitor(metric);
        return this;
    }

    public DjlRun earlyStopping(EarlyStopping earlyStopping) {
        this.earlyStopping = earlyStopping;
        return this;
    }

    public DjlRun checkpoints(Checkpointing checkpointing) {
        this.checkpointing = checkpointing;
        return this;
    }

    /** The caller's settings, saved in every checkpoint (see {@link RunCheckpoints#runSettings(Map)}). */
    public DjlRun runSettings(Map<String, String> settings) {
        this.runSettings = settings;
        return this;
    }

    /** A new run deletes another run's checkpoints in the folder instead of refusing it. */
    public DjlRun overwriteCheckpoints() {
        this.overwrite = true;
        return this;
    }

    /** The resumed checkpoint ends a finished run that trains on (see {@code TrainingLoop.extendFinishedRun}). */
    public DjlRun extendFinishedRun(boolean restartSchedule) {
        this.extendRestarting = restartSchedule;
        return this;
    }

    public int batchesPerEpoch() {
        return (int) ((trainX.getShape().get(0) + batchSize - 1) / batchSize);
    }

    /** Trains (or continues the run in {@code resumeFrom}, null: none) to the end or early stopping; the run's state. */
    public RunState fit(Path resumeFrom, MetricsLog log, TrainListener listener) {
        Lr4jOptimizer optimizer = run.optimizer;
        state = new RunState(batchesPerEpoch(), 1, new BestEpoch(monitor, monitor.equals("val_accuracy") ? Mode.MAX : Mode.MIN,
                earlyStopping));
        RunCheckpoints checkpoints = new RunCheckpoints(checkpointing == null ? null : CheckpointStore.folder(checkpointing.directory()),
                checkpointing == null ? 1 : checkpointing.keepLast(), this, driver, epochs, Map.of("batch_size", (long) batchSize,
                "accumulate", 1L, "seed", seed, "train_size", trainX.getShape().get(0))).runSettings(runSettings);
        if (extendRestarting != null) {
            checkpoints.extendFinishedRun(extendRestarting);
        }
        RunRecorder recorder = new RunRecorder(driver, state, optimizer, listener, log)
                .bestCheckpoints(checkpointing != null && checkpointing.best() ? checkpoints : null);
        checkpoints.begin(resumeFrom, overwrite, state, log);
        optimizer.train();
        int[] order = new int[(int) trainX.getShape().get(0)];
        while (state.epoch() < epochs && !state.best().stopped()) {
            driver.beforeEpoch(state.epoch());
            EpochOrder.shuffle(order, seed + state.epoch());
            while (!state.epochTrained()) {
                int b = state.nextBatch();
                double loss = step(order, b);
                recorder.step(b + 1, loss, true);
                if (!state.epochTrained() && checkpointing != null && checkpointing.stepDue(state.optimizerSteps())) {
                    checkpoints.writeStep(state, log);
                }
            }
            optimizer.eval(); // validation sees a schedule-free optimizer's x; a no-op for the others
            Model.Evaluation v = validate();
            recorder.validation(true, v, driver.swaPhase(state.epoch()) ? averageAndValidate() : null, this::weights);
            optimizer.train();
            state.nextEpoch();
            if (checkpointing != null && checkpointing.atEpochEnd()) {
                checkpoints.writeEpoch(state, log);
            }
        }
        optimizer.eval(); // the model ends holding what tests and saved weights should see
        DjlWeightAverage average = run.listener.weightAverage();
        if (average != null && average.count() > 0) {
            // As lr4j's loop: the model ends holding the SWA average, written as swa.ckpt; the trained weights are kept.
            trainedWeights = weights();
            average.copyInto();
            if (checkpointing != null) {
                checkpoints.writeSwaAverage(state, log);
            }
        } else if (state.best().keepsWeights() && state.best().bestWeights() != null) {
            loadWeights(state.best().bestWeights());
        }
        return state;
    }

    /** The weights the last step left, before {@link #fit} replaced them with the SWA average (null if it did not). */
    public float[][] trainedWeights() {
        return trainedWeights;
    }

    /**
     * An SWA epoch's end (PyTorch's loop: {@code swa_model.update_parameters(model)}, then the SWA scheduler steps, in
     * the recorder): folds the weights into the average and validates the average, the trained weights put back after.
     */
    private Model.Evaluation averageAndValidate() {
        DjlWeightAverage average = run.listener.weightAverage();
        average.update();
        float[][] trained = weights();
        average.copyInto();
        Model.Evaluation swa = validate();
        loadWeights(trained);
        return swa;
    }

    /** One optimizer step on batch {@code b} of the epoch's order; its mean loss. */
    private double step(int[] order, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        long[] rows = new long[to - from];
        for (int i = from; i < to; i++) {
            rows[i - from] = order[i];
        }
        double loss;
        try (NDManager batch = trainX.getManager().newSubManager()) {
            NDArray index = batch.create(rows);
            NDArray x = trainX.get(index);
            NDArray y = trainY.get(index);
            x.attach(batch);
            y.attach(batch);
            try (GradientCollector collector = run.trainer.newGradientCollector()) {
                NDList predictions = run.trainer.forward(new NDList(x));
                NDArray l = run.trainer.getLoss().evaluate(new NDList(y), predictions);
                collector.backward(l);
                loss = l.getFloat();
                predictions.attach(batch);
                l.attach(batch);
            }
            run.trainer.step();
        }
        return loss;
    }

    /** The validation set's mean loss and accuracy with the weights now. */
    private Model.Evaluation validate() {
        try {
            return measure();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.translate.TranslateException e) {
            throw new IllegalStateException(e);
        }
    }

    private Model.Evaluation measure() throws IOException, ai.djl.translate.TranslateException {
        return run.evaluate(run.validation);
    }

    // --- RunCheckpoints.Engine ---

    private List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : run.model.getBlock().getParameters()) {
            out.add(p.getValue());
        }
        return out;
    }

    @Override
    public List<String> parameterNames() {
        return run.model.getBlock().getParameters().keys();
    }

    @Override
    public int groups() {
        return run.groups.size();
    }

    @Override
    public int[] parameterSizes() {
        return parameters().stream().mapToInt(p -> Math.toIntExact(p.getArray().size())).toArray();
    }

    @Override
    public float[][] weights() {
        return parameters().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
    }

    @Override
    public float[][] swaAverage() {
        DjlWeightAverage average = run.listener.weightAverage();
        return average == null ? null : average.weights();
    }

    @Override
    public long swaCount() {
        DjlWeightAverage average = run.listener.weightAverage();
        return average == null ? 0 : average.count();
    }

    @Override
    public void loadSwaAverage(float[][] average, long count) {
        if (run.listener.weightAverage() != null) {
            run.listener.weightAverage().restore(average, count);
        }
    }

    @Override
    public void loadWeights(float[][] weights) {
        List<Parameter> ps = parameters();
        for (int i = 0; i < ps.size(); i++) {
            NDArray weight = ps.get(i).getArray();
            try (NDArray saved = weight.getManager().create(weights[i], weight.getShape())) {
                // weight * 0 + saved is saved exactly, in place (as DjlWeightAverage.copyInto; a NaN weight is copied over).
                boolean finite;
                try (NDArray nan = weight.isNaN(); NDArray inf = weight.isInfinite(); NDArray a = nan.any(); NDArray b = inf.any()) {
                    finite = !a.getBoolean() && !b.getBoolean();
                }
                if (finite) {
                    weight.muli(0f).addi(saved);
                } else {
                    saved.copyTo(weight);
                }
            }
        }
    }

    /**
     * The optimizer's state: each group's lr and momentum and each schedulable value (what the groups really hold;
     * {@link Lr4jOptimizer#saveState} keeps the buffers only), then {@link Lr4jOptimizer#saveState}'s bytes.
     */
    @Override
    public byte[] optimizerState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(1);
            double[][] values = snapshot();
            List<String> names = run.optimizer.schedulable();
            out.writeInt(run.groups.size());
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
            for (double[] v : values) {
                for (double d : v) {
                    out.writeDouble(d);
                }
            }
            ByteArrayOutputStream buffers = new ByteArrayOutputStream();
            run.optimizer.saveState(buffers);
            out.writeInt(buffers.size());
            buffers.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void loadOptimizerState(byte[] state) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(state));
        double[][] values;
        byte[] buffers;
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("not an lr4j-djl run's optimizer state (a checkpoint of another engine?)");
            }
            int version = in.readByte();
            if (version != 1) {
                throw new IllegalArgumentException("Unknown version " + version + " of the lr4j-djl run's optimizer state, this"
                        + " lr4j supports version 1");
            }
            int groups = in.readInt();
            int n = in.readInt();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < Math.max(0, Math.min(n, 64)); i++) {
                names.add(in.readUTF());
            }
            if (groups != run.groups.size() || !names.equals(run.optimizer.schedulable())) {
                throw new IllegalArgumentException("the optimizer state holds " + groups + " groups with " + names
                        + ", this optimizer has " + run.groups.size() + " with " + run.optimizer.schedulable());
            }
            values = new double[groups][2 + n];
            for (double[] v : values) {
                for (int k = 0; k < v.length; k++) {
                    v[k] = in.readDouble();
                }
            }
            int length = in.readInt();
            if (length < 0 || length != in.available()) {
                throw new IllegalArgumentException("the optimizer state says " + length + " bytes follow, " + in.available() + " do");
            }
            buffers = in.readNBytes(length);
        } catch (EOFException e) {
            throw new IllegalArgumentException("the lr4j-djl run's optimizer state is truncated");
        }
        check(values);
        run.optimizer.loadState(new ByteArrayInputStream(buffers), run.model.getBlock()); // checked; refused: nothing changed
        write(values);
    }

    @Override
    public void resetScheduledValues() {
        write(startValues);
        ParamGroups groups = run.groups;
        for (int g = 0; g < groups.size(); g++) {
            if (!Double.isNaN(groups.initialLr(g))) {
                groups.setLr(g, groups.initialLr(g));
            }
        }
    }

    /** Per group: lr, momentum, then each schedulable value. */
    private double[][] snapshot() {
        ParamGroups groups = run.groups;
        List<String> names = run.optimizer.schedulable();
        double[][] v = new double[groups.size()][2 + names.size()];
        for (int g = 0; g < groups.size(); g++) {
            v[g][0] = groups.lr(g);
            v[g][1] = groups.momentum(g);
            for (int k = 0; k < names.size(); k++) {
                v[g][2 + k] = run.optimizer.get(g, names.get(k));
            }
        }
        return v;
    }

    private void check(double[][] values) {
        List<String> names = run.optimizer.schedulable();
        for (int g = 0; g < values.length; g++) {
            if (!(values[g][0] >= 0) || !Double.isFinite(values[g][0])) {
                throw new IllegalArgumentException("the optimizer state's lr of group " + g + " must be a finite number >= 0, got "
                        + values[g][0]);
            }
            for (int k = 0; k < names.size(); k++) {
                run.optimizer.check(names.get(k), values[g][2 + k]);
            }
        }
    }

    private void write(double[][] values) {
        ParamGroups groups = run.groups;
        List<String> names = run.optimizer.schedulable();
        for (int g = 0; g < values.length; g++) {
            groups.setLr(g, values[g][0]);
            if (groups.momentumKind() != MomentumKind.NONE) {
                groups.setMomentum(g, values[g][1]);
            }
            for (int k = 0; k < names.size(); k++) {
                run.optimizer.set(g, names.get(k), values[g][2 + k]);
            }
        }
    }
}
