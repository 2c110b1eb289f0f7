package io.github.lr4j.spark.ml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.spark.Lr4jSpark;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Lr4jMlpClassifierTest {
    private static final Digits.Split DIGITS = Digits.split();

    private static org.apache.spark.sql.Dataset<Row> frame(Dataset data) {
        SparkSession spark = Lr4jSpark.session("local[2]");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            double[] x = new double[data.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = data.x()[i][j];
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) data.y()[i]));
        }
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    private static double accuracy(org.apache.spark.sql.Dataset<Row> predictions) {
        return predictions.filter("prediction = label").count() / (double) predictions.count();
    }

    private static Lr4jMlpClassifier classifier() {
        return new Lr4jMlpClassifier().setHiddenLayers(new int[] {32}).setOptimizer("AdamW(lr=3e-3)")
                .setScheduler("OneCycleLR(max_lr=0.01, total_steps=total_steps)").setEpochs(3).setBatchSize(64)
                .setLocalSteps(4).setPartitions(2).setValidationFraction(0.1).setSeed(1);
    }

    @Test
    void fit_transform_saveAndLoad_givesTheSamePredictions(@TempDir Path dir) throws Exception {
        Lr4jMlpModel model = classifier().fit(frame(DIGITS.train()));
        org.apache.spark.sql.Dataset<Row> test = frame(DIGITS.test());
        org.apache.spark.sql.Dataset<Row> predicted = model.transform(test);
        assertThat(accuracy(predicted)).isGreaterThan(0.85);
        assertThat(model.layers()).containsExactly(64, 32, 10);

        String path = dir.resolve("model").toString();
        model.write().overwrite().save(path);
        Lr4jMlpModel loaded = Lr4jMlpModel.load(path);
        assertThat(loaded.uid()).isEqualTo(model.uid());
        assertThat(loaded.weights()).containsExactly(model.weights());
        assertThat(loaded.transform(test).select("prediction").collectAsList())
                .isEqualTo(predicted.select("prediction").collectAsList());
    }

    @Test
    void estimatorAndPipeline_saveAndLoadWithSparkMlWriters(@TempDir Path dir) throws Exception {
        Lr4jMlpClassifier c = classifier().setEpochs(1).setPredictionCol("digit");
        String path = dir.resolve("estimator").toString();
        c.write().save(path);
        Lr4jMlpClassifier back = Lr4jMlpClassifier.load(path);
        assertThat(back.getOrDefault(back.optimizer())).isEqualTo("AdamW(lr=3e-3)");
        assertThat(back.getOrDefault(back.hiddenLayers())).containsExactly(32);
        assertThat(back.getOrDefault(back.predictionCol())).isEqualTo("digit");

        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[] {c}).fit(frame(DIGITS.train()));
        String pipelinePath = dir.resolve("pipeline").toString();
        pipeline.write().save(pipelinePath);
        PipelineModel loaded = PipelineModel.load(pipelinePath);
        org.apache.spark.sql.Dataset<Row> test = frame(DIGITS.test());
        assertThat(loaded.transform(test).select("digit").collectAsList())
                .isEqualTo(pipeline.transform(test).select("digit").collectAsList());
    }

    @Test
    void badInput_failsWithTheParameterAndTheValue() {
        assertThatThrownBy(() -> new Lr4jMlpClassifier().setEpochs(0)).hasMessage("epochs must be >= 1, got 0");
        assertThatThrownBy(() -> new Lr4jMlpClassifier().setValidationFraction(1.0))
                .hasMessage("validationFraction must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> new Lr4jMlpClassifier().setLabelCol("digit").fit(frame(DIGITS.test())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("column digit is missing; the columns are features, label");
        assertThatThrownBy(() -> new Lr4jMlpClassifier().setFeaturesCol("label").fit(frame(DIGITS.test())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("column label must hold feature vectors");
    }
}
