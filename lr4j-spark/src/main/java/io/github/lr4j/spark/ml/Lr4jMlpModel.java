package io.github.lr4j.spark.ml;

import io.github.lr4j.train.Mlp;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained lr4j MLP: {@link #transform} adds the predicted class (as a double, Spark ML's
 * convention) for every feature vector. Saved with Spark ML's writers: {@code model.write().save(path)}
 * writes Spark's metadata and the weights ({@code data/weights.bin}: shape and float32 values,
 * CRC32-checked); {@link #load} reads them back.
 */
public final class Lr4jMlpModel extends Model<Lr4jMlpModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final int VERSION = 1;

    private final String uid;
    private final Predictor predictor;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;

    Lr4jMlpModel(String uid, int inputs, int[] hidden, int classes, float[] weights) {
        this.uid = uid;
        this.predictor = new Predictor(inputs, hidden.clone(), classes, weights);
        featuresCol = new Param<>(this, "featuresCol", "features column (Vector)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        predictor.mlp(); // checks that the weights fit the shape
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() { return featuresCol; }
    public Param<String> predictionCol() { return predictionCol; }
    public Lr4jMlpModel setFeaturesCol(String v) { set(featuresCol, v); return this; }
    public Lr4jMlpModel setPredictionCol(String v) { set(predictionCol, v); return this; }

    /** Layer widths, input to output. */
    public int[] layers() {
        int[] out = new int[predictor.hidden.length + 2];
        out[0] = predictor.inputs;
        System.arraycopy(predictor.hidden, 0, out, 1, predictor.hidden.length);
        out[out.length - 1] = predictor.classes;
        return out;
    }

    /** All weights, tensor after tensor in {@link Mlp#parameters()} order (a copy). */
    public float[] weights() {
        return predictor.weights.clone();
    }

    /** The predicted class of one feature vector. */
    public int predict(Vector features) {
        return predictor.predict(features);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Predictor p = predictor;
        UserDefinedFunction predict = functions.udf((UDF1<Vector, Double>) v -> (double) p.predict(v), DataTypes.DoubleType);
        String features = getOrDefault(featuresCol);
        return dataset.withColumn(getOrDefault(predictionCol), predict.apply(functions.col(features)));
    }

    @Override
    public StructType transformSchema(StructType schema) {
        MlpParams.requireVector(schema, getOrDefault(featuresCol));
        return MlpParams.withPrediction(schema, getOrDefault(predictionCol));
    }

    @Override
    public Lr4jMlpModel copy(ParamMap extra) {
        Lr4jMlpModel copy = new Lr4jMlpModel(uid, predictor.inputs, predictor.hidden, predictor.classes, predictor.weights);
        return copyValues(copy, extra).setParent(parent());
    }

    /** The shape and weights, shipped to the tasks; each task builds its Mlp once. */
    private static final class Predictor implements Serializable {
        private static final long serialVersionUID = 1L;
        final int inputs;
        final int[] hidden;
        final int classes;
        final float[] weights;
        private transient Mlp mlp;

        Predictor(int inputs, int[] hidden, int classes, float[] weights) {
            this.inputs = inputs;
            this.hidden = hidden;
            this.classes = classes;
            this.weights = weights;
        }

        synchronized Mlp mlp() {
            if (mlp == null) {
                Mlp m = new Mlp(inputs, hidden, classes, 0);
                int expected = m.parameters().stream().mapToInt(io.github.lr4j.optim.Parameter::size).sum();
                if (expected != weights.length) {
                    throw new IllegalArgumentException("an MLP " + inputs + "-" + java.util.Arrays.toString(hidden) + "-" + classes
                            + " has " + expected + " weights, got " + weights.length);
                }
                int at = 0;
                for (io.github.lr4j.optim.Parameter p : m.parameters()) {
                    System.arraycopy(weights, at, p.data(), 0, p.size());
                    at += p.size();
                }
                mlp = m;
            }
            return mlp;
        }

        int predict(Vector v) {
            if (v.size() != inputs) {
                throw new IllegalArgumentException("features must have " + inputs + " values, got " + v.size());
            }
            double[] d = v.toArray();
            float[] x = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                x[i] = (float) d[i];
            }
            return mlp().predict(x); // Mlp.predict only reads the weights: tasks' threads share it
        }
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    public static MLReader<Lr4jMlpModel> read() {
        return new Reader();
    }

    public static Lr4jMlpModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final Lr4jMlpModel model;

        Writer(Lr4jMlpModel model) {
            this.model = model;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(model, path, sparkSession());
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                out.writeInt(VERSION);
                int[] layers = model.layers();
                out.writeInt(layers.length);
                for (int w : layers) {
                    out.writeInt(w);
                }
                out.writeInt(model.predictor.weights.length);
                for (float w : model.predictor.weights) {
                    out.writeFloat(w);
                }
                out.flush();
                CRC32 crc = new CRC32();
                crc.update(bytes.toByteArray());
                out.writeLong(crc.getValue());
                Path file = new Path(new Path(path, "data"), "weights.bin");
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (FSDataOutputStream o = fs.create(file, true)) {
                    bytes.writeTo(o);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save the model to " + path, e);
            }
        }
    }

    private static final class Reader extends MLReader<Lr4jMlpModel> {
        @Override
        public Lr4jMlpModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(),
                    Lr4jMlpModel.class.getName());
            Path file = new Path(new Path(path, "data"), "weights.bin");
            byte[] all;
            try {
                FileSystem fs = file.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (var in = fs.open(file)) {
                    all = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            CRC32 crc = new CRC32();
            crc.update(all, 0, Math.max(0, all.length - Long.BYTES));
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(all));
                int version = in.readInt();
                if (version != VERSION) {
                    throw new IllegalArgumentException(file + ": unknown version " + version + ", this class reads version " + VERSION);
                }
                int[] layers = new int[in.readInt()];
                if (layers.length < 2) {
                    throw new IllegalArgumentException(file + " is damaged (" + layers.length + " layers)");
                }
                for (int i = 0; i < layers.length; i++) {
                    layers[i] = in.readInt();
                }
                float[] weights = new float[in.readInt()];
                for (int i = 0; i < weights.length; i++) {
                    weights[i] = in.readFloat();
                }
                if (in.readLong() != crc.getValue()) {
                    throw new IllegalArgumentException(file + " is damaged (checksum mismatch)");
                }
                Lr4jMlpModel model = new Lr4jMlpModel(metadata.uid(), layers[0],
                        java.util.Arrays.copyOfRange(layers, 1, layers.length - 1), layers[layers.length - 1], weights);
                metadata.getAndSetParams(model, Option.empty());
                return model;
            } catch (EOFException e) {
                throw new IllegalArgumentException(file + " is truncated", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
