package io.github.lr4j.spark;

import io.github.lr4j.train.Dataset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** The one local[2] session every test class shares (starting Spark takes seconds). */
final class LocalSpark {
    private LocalSpark() {
    }

    static SparkSession session() {
        return Lr4jSpark.session("local[2]");
    }

    static JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session().sparkContext());
    }

    static List<Sample> samples(Dataset data) {
        List<Sample> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(new Sample(data.x()[i], data.y()[i]));
        }
        return out;
    }

    static JavaRDD<Sample> rdd(Dataset data, int slices) {
        return context().parallelize(samples(data), slices);
    }
}
