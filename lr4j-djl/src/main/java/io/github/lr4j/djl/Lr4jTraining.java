package io.github.lr4j.djl;

import ai.djl.Model;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.optim.ModeAware;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * {@code EasyTrain.fit} with early stopping, and schedule checkpoints beside DJL's model files.
 */
public final class Lr4jTraining {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The file a schedule checkpoint is written to, beside the model's parameters. */
    public static final String SCHEDULE_FILE = "lr4j-schedule.json";

    private Lr4jTraining() {
    }

    /** DJL's epoch loop (as {@link EasyTrain#fit}), stopping when {@code listener} says so. Returns the epochs run. */
    public static int fit(Trainer trainer, int epochs, Dataset train, Dataset validation, Lr4jTrainingListener listener)
            throws IOException, TranslateException {
        return fit(trainer, epochs, train, validation, listener, null);
    }

    /**
     * As {@link #fit(Trainer, int, Dataset, Dataset, Lr4jTrainingListener)} with the trainer's optimizer
     * ({@code optimizer}, may be null) switched as schedule-free optimizers need: train mode for the
     * updates, eval mode for validation and the epoch-end listeners, and eval mode at the end (the model
     * then holds what should be tested or saved). A no-op for ordinary optimizers.
     */
    public static int fit(Trainer trainer, int epochs, Dataset train, Dataset validation, Lr4jTrainingListener listener,
                          ModeAware optimizer) throws IOException, TranslateException {
        int run = 0;
        for (int e = 0; e < epochs && !listener.shouldStop(); e++) {
            if (optimizer != null) {
                optimizer.train();
            }
            for (Batch batch : trainer.iterateDataset(train)) {
                EasyTrain.trainBatch(trainer, batch);
                trainer.step();
                batch.close();
            }
            if (optimizer != null) {
                optimizer.eval();
            }
            if (validation != null) {
                EasyTrain.evaluateDataset(trainer, validation);
            }
            trainer.notifyListeners(l -> l.onEpoch(trainer));
            run++;
        }
        return run;
    }

    /** The file the SWA weight average is written to (when the listener has one). */
    public static final String SWA_FILE = "lr4j-swa.bin";

    /** The file the lr4j optimizer's state is written to. */
    public static final String OPTIMIZER_FILE = "lr4j-optimizer.bin";

    /** Saves the model ({@code model.save(dir, name)}) and, atomically, the listener's schedule state beside it. */
    public static void save(Model model, String name, Path dir, Lr4jTrainingListener listener) throws IOException {
        save(model, name, dir, listener, null);
    }

    /** As {@link #save(Model, String, Path, Lr4jTrainingListener)}, plus the optimizer's buffers and counts (if not null). */
    public static void save(Model model, String name, Path dir, Lr4jTrainingListener listener, Lr4jOptimizer optimizer)
            throws IOException {
        Files.createDirectories(dir);
        model.save(dir, name);
        if (optimizer != null) {
            Path tmpOpt = dir.resolve(OPTIMIZER_FILE + ".tmp");
            try (java.io.OutputStream out = Files.newOutputStream(tmpOpt)) {
                optimizer.saveState(out);
            }
            Files.move(tmpOpt, dir.resolve(OPTIMIZER_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        if (listener.weightAverage() != null) {
            Path tmpSwa = dir.resolve(SWA_FILE + ".tmp");
            try (java.io.OutputStream out = Files.newOutputStream(tmpSwa)) {
                listener.weightAverage().save(out);
            }
            Files.move(tmpSwa, dir.resolve(SWA_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        Path tmp = dir.resolve(SCHEDULE_FILE + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(listener.state()), StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(SCHEDULE_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Loads what {@link #save} wrote: the model's parameters and the schedule state. */
    public static void load(Model model, String name, Path dir, Lr4jTrainingListener listener)
            throws IOException, ai.djl.MalformedModelException {
        load(model, name, dir, listener, null);
    }

    /** As {@link #load(Model, String, Path, Lr4jTrainingListener)}, plus the optimizer's state (if not null). */
    @SuppressWarnings("unchecked")
    public static void load(Model model, String name, Path dir, Lr4jTrainingListener listener, Lr4jOptimizer optimizer)
            throws IOException, ai.djl.MalformedModelException {
        model.load(dir, name);
        Map<String, Object> state = JSON.readValue(Files.readString(dir.resolve(SCHEDULE_FILE)), Map.class);
        DjlWeightAverage average = listener.weightAverage();
        if (average == null) {
            listener.loadState(state);
        } else {
            Path file = dir.resolve(SWA_FILE);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(dir + " holds no " + SWA_FILE + ": it was saved by a run without SWA, and"
                        + " this listener has SWA");
            }
            // The listener checks the state against the average's count: load the average first, and put the
            // previous one back if the state is refused.
            java.io.ByteArrayOutputStream previous = new java.io.ByteArrayOutputStream();
            average.save(previous);
            try (java.io.InputStream in = Files.newInputStream(file)) {
                average.load(in);
            }
            try {
                listener.loadState(state);
            } catch (RuntimeException e) {
                average.load(new java.io.ByteArrayInputStream(previous.toByteArray()));
                throw e;
            }
        }
        if (optimizer != null) {
            try (java.io.InputStream in = Files.newInputStream(dir.resolve(OPTIMIZER_FILE))) {
                optimizer.loadState(in, model.getBlock());
            }
        }
    }
}
