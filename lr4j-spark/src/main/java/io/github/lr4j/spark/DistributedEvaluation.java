package io.github.lr4j.spark;

import io.github.lr4j.train.Model;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/** Mean loss and accuracy of some weights over a distributed data set, each partition's sums added in partition order. */
final class DistributedEvaluation {
    private DistributedEvaluation() {
    }

    /** {@code chunks}: one list of samples per partition (as {@code glom()} makes). */
    static <T> Model.Evaluation of(JavaSparkContext sc, JavaRDD<List<T>> chunks, ModelFactory<T> factory, float[] weights) {
        Broadcast<float[]> broadcast = sc.broadcast(weights);
        List<double[]> sums;
        try {
            sums = chunks.mapPartitionsWithIndex((index, it) -> {
                PartitionRound.starting(index);
                double[] s = new double[3];
                while (it.hasNext()) {
                    List<T> chunk = it.next();
                    if (chunk.isEmpty()) {
                        continue;
                    }
                    PartitionModel<T> model = factory.create();
                    PartitionRound.copyInto(broadcast.value(), model.parameters());
                    Model.Evaluation e = model.evaluate(chunk);
                    s[0] += e.loss() * chunk.size();
                    s[1] += e.accuracy() * chunk.size();
                    s[2] += chunk.size();
                }
                Iterator<double[]> one = List.of(s).iterator();
                return one;
            }, true).collect();
        } finally {
            broadcast.destroy();
        }
        double loss = 0;
        double accuracy = 0;
        double count = 0;
        for (double[] s : sums) { // partition order: the same sum on every run
            loss += s[0];
            accuracy += s[1];
            count += s[2];
        }
        return count == 0 ? new Model.Evaluation(Double.NaN, Double.NaN) : new Model.Evaluation(loss / count, accuracy / count);
    }
}
