package io.github.lr4j.spark.ml;

import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.spark.ParameterAveraging;
import io.github.lr4j.spark.Sample;
import io.github.lr4j.spark.MlpPartitionModel;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@link Estimator} that trains lr4j's MLP (ReLU hidden layers, softmax cross-entropy)
 * on a DataFrame of feature vectors and class labels, data-parallel by parameter averaging (see
 * {@link ParameterAveraging}), with any lr4j optimizer and schedule:
 * <pre>{@code
 * Lr4jMlpModel model = new Lr4jMlpClassifier()
 *     .setHiddenLayers(new int[] {256})
 *     .setOptimizer("AdamW(lr=1e-3)")
 *     .setScheduler("OneCycleLR(max_lr=0.01, total_steps=total_steps)")
 *     .setEpochs(20).setBatchSize(64).setLocalSteps(4)
 *     .fit(train);                         // columns "features" (Vector) and "label" (0, 1, 2, ...)
 * model.transform(test);                   // adds "prediction"
 * model.write().overwrite().save(path);    // Lr4jMlpModel.load(path)
 * }</pre>
 * The classes are 0 .. max(label). With a validation fraction, that share of the rows is held out
 * (a seeded random split) and measured at every epoch end: plateau schedules are fed its loss. With
 * a checkpoint directory, the driver checkpoints every {@code checkpointEveryRounds} rounds and a
 * later {@code fit} on the same directory resumes from the newest checkpoint.
 */
public final class Lr4jMlpClassifier extends Estimator<Lr4jMlpModel> implements DefaultParamsWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final IntArrayParam hiddenLayers;
    private final Param<String> optimizer;
    private final Param<String> scheduler;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam localSteps;
    private final IntParam partitions;
    private final LongParam seed;
    private final DoubleParam validationFraction;
    private final Param<String> checkpointDir;
    private final IntParam checkpointEveryRounds;

    public Lr4jMlpClassifier() {
        this(Identifiable$.MODULE$.randomUID("lr4jMlp"));
    }

    public Lr4jMlpClassifier(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column (Vector)");
        labelCol = new Param<>(this, "labelCol", "label column (0, 1, 2, ...)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column");
        hiddenLayers = new IntArrayParam(this, "hiddenLayers", "hidden layer widths (none: softmax regression)");
        optimizer = new Param<>(this, "optimizer", "lr4j optimizer in PyTorch syntax, e.g. AdamW(lr=1e-3)");
        scheduler = new Param<>(this, "scheduler", "lr4j schedule (may use total_steps, steps_per_epoch, epochs); empty: constant lr");
        epochs = new IntParam(this, "epochs", "passes over the training data (>= 1)");
        batchSize = new IntParam(this, "batchSize", "global mini-batch, split over the partitions (>= 1)");
        localSteps = new IntParam(this, "localSteps", "K: local optimizer steps per round between two averages (>= 1)");
        partitions = new IntParam(this, "partitions", "shards trained in parallel (0: Spark's default parallelism)");
        seed = new LongParam(this, "seed", "seed of the initial weights, the split and the data order");
        validationFraction = new DoubleParam(this, "validationFraction", "share of rows held out for validation, in [0, 1)");
        checkpointDir = new Param<>(this, "checkpointDir", "driver checkpoints (any Hadoop path); empty: none");
        checkpointEveryRounds = new IntParam(this, "checkpointEveryRounds", "checkpoint every N rounds (>= 1)");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(hiddenLayers, new int[] {256});
        setDefault(optimizer, "SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)");
        setDefault(scheduler, "OneCycleLR(max_lr=0.1, total_steps=total_steps)");
        setDefault(epochs, 20);
        setDefault(batchSize, 64);
        setDefault(localSteps, 1);
        setDefault(partitions, 0);
        setDefault(seed, 0L);
        setDefault(validationFraction, 0.0);
        setDefault(checkpointDir, "");
        setDefault(checkpointEveryRounds, 50);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> labelCol() { return labelCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public IntArrayParam hiddenLayers() { return hiddenLayers; }
    public Param<String> optimizer() { return optimizer; }
    public Param<String> scheduler() { return scheduler; }
    public IntParam epochs() { return epochs; }
    public IntParam batchSize() { return batchSize; }
    public IntParam localSteps() { return localSteps; }
    public IntParam partitions() { return partitions; }
    public LongParam seed() { return seed; }
    public DoubleParam validationFraction() { return validationFraction; }
    public Param<String> checkpointDir() { return checkpointDir; }
    public IntParam checkpointEveryRounds() { return checkpointEveryRounds; }

    public Lr4jMlpClassifier setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public Lr4jMlpClassifier setLabelCol(String v) { set(labelCol, v); return this; }
    public Lr4jMlpClassifier setPredictionCol(String v) { set(predictionCol, v); return this; }
    public Lr4jMlpClassifier setHiddenLayers(int[] v) { set(hiddenLayers, v.clone()); return this; }

    /** An lr4j optimizer, e.g. {@code "AdamW(lr=1e-3)"}; checked here. */
    public Lr4jMlpClassifier setOptimizer(String v) {
        Optimizers.parse(v);
        set(optimizer, v);
        return this;
    }

    /** An lr4j schedule, e.g. {@code "OneCycleLR(max_lr=0.1, total_steps=total_steps)"}; empty for a constant lr. */
    public Lr4jMlpClassifier setScheduler(String v) { set(scheduler, v == null ? "" : v); return this; }
    public Lr4jMlpClassifier setEpochs(int v) { set(epochs, atLeast("epochs", v, 1)); return this; }
    public Lr4jMlpClassifier setBatchSize(int v) { set(batchSize, atLeast("batchSize", v, 1)); return this; }
    public Lr4jMlpClassifier setLocalSteps(int v) { set(localSteps, atLeast("localSteps", v, 1)); return this; }
    public Lr4jMlpClassifier setPartitions(int v) { set(partitions, atLeast("partitions", v, 0)); return this; }
    public Lr4jMlpClassifier setSeed(long v) { set(seed, v); return this; }
    public Lr4jMlpClassifier setCheckpointDir(String v) { set(checkpointDir, v == null ? "" : v); return this; }
    public Lr4jMlpClassifier setCheckpointEveryRounds(int v) { set(checkpointEveryRounds, atLeast("checkpointEveryRounds", v, 1)); return this; }

    public Lr4jMlpClassifier setValidationFraction(double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + v);
        }
        set(validationFraction, v);
        return this;
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + ", got " + value);
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private <V> V value(Param<?> p) {
        return (V) getOrDefault(p);
    }

    @Override
    public Lr4jMlpModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        String features = value(featuresCol);
        String label = value(labelCol);
        Dataset<Row> rows = dataset.select(functions.col(features), functions.col(label).cast("double"));
        JavaRDD<Sample> samples = rows.javaRDD().map(Lr4jMlpClassifier::sample);
        Row first = rows.first();
        int inputs = ((Vector) first.get(0)).size();
        double maxLabel = rows.agg(functions.max(functions.col(label))).first().getDouble(0);
        int classes = (int) maxLabel + 1;
        if (classes < 2) {
            throw new IllegalArgumentException("the labels must hold at least 2 classes (0 and 1), got max label " + maxLabel);
        }
        int[] hidden = value(hiddenLayers);
        long s = value(seed);
        double fraction = value(validationFraction);
        JavaRDD<Sample> train = samples;
        JavaRDD<Sample> validation = null;
        if (fraction > 0) {
            JavaRDD<Sample>[] split = samples.randomSplit(new double[] {1 - fraction, fraction}, s);
            train = split[0];
            validation = split[1];
        }
        String schedule = value(scheduler);
        ParameterAveraging<Sample> run = ParameterAveraging.of(train, MlpPartitionModel.factory(inputs, hidden, classes, s))
                .optimizer(value(optimizer))
                .scheduler(schedule.isBlank() ? null : schedule)
                .epochs(value(epochs)).batchSize(value(batchSize)).localSteps(value(localSteps)).seed(s);
        int p = value(partitions);
        if (p > 0) {
            run.partitions(p);
        }
        if (validation != null) {
            run.validation(validation);
        }
        String dir = value(checkpointDir);
        if (!dir.isBlank()) {
            run.checkpoints(dir, value(checkpointEveryRounds), 3).resume(true);
        }
        run.fit();
        List<Parameter> trained = run.parameters();
        int n = trained.stream().mapToInt(Parameter::size).sum();
        float[] weights = new float[n];
        int at = 0;
        for (Parameter t : trained) {
            System.arraycopy(t.data(), 0, weights, at, t.size());
            at += t.size();
        }
        Lr4jMlpModel model = new Lr4jMlpModel(uid, inputs, hidden, classes, weights);
        copyValues(model, extractParamMap());
        return model.setParent(this);
    }

    private static Sample sample(Row row) {
        if (row.isNullAt(0) || row.isNullAt(1)) {
            throw new IllegalArgumentException("features and label must not be null, got row " + row);
        }
        double label = row.getDouble(1);
        if (label < 0 || label != Math.rint(label)) {
            throw new IllegalArgumentException("label must be a class index 0, 1, 2, ..., got " + label);
        }
        double[] v = ((Vector) row.get(0)).toArray();
        float[] x = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            x[i] = (float) v[i];
        }
        return new Sample(x, (int) label);
    }

    @Override
    public StructType transformSchema(StructType schema) {
        MlpParams.requireVector(schema, value(featuresCol));
        MlpParams.requireNumeric(schema, value(labelCol));
        return MlpParams.withPrediction(schema, value(predictionCol));
    }

    @Override
    public Lr4jMlpClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    public static MLReader<Lr4jMlpClassifier> read() {
        return new DefaultParamsReader<>();
    }

    public static Lr4jMlpClassifier load(String path) {
        return read().load(path);
    }
}
