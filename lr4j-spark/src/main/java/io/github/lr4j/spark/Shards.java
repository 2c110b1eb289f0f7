package io.github.lr4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * The training data as equal shards, one per partition: sample {@code i} (its position in the
 * RDD) goes to shard {@code i % partitions}, in index order; the last {@code n % partitions}
 * samples are dropped so that every partition takes the same number of equal-sized local steps.
 */
final class Shards {
    private Shards() {
    }

    /** One partition's samples. */
    record Shard<T>(int index, List<T> samples) implements Serializable { }

    /** The shards (one element per partition), not yet cached. */
    static <T> JavaRDD<Shard<T>> of(JavaRDD<T> data, int partitions, long count) {
        long kept = count / partitions * partitions;
        return data.zipWithIndex()
                .filter(t -> t._2() < kept)
                .mapToPair(t -> new Tuple2<>((int) (t._2() % partitions), new Tuple2<>(t._2(), t._1())))
                .partitionBy(new HashPartitioner(partitions))
                .mapPartitionsWithIndex((index, it) -> {
                    List<Tuple2<Long, T>> rows = new ArrayList<>();
                    it.forEachRemaining(kv -> rows.add(kv._2()));
                    rows.sort(Comparator.comparing(Tuple2::_1));
                    List<T> samples = new ArrayList<>(rows.size());
                    rows.forEach(r -> samples.add(r._2()));
                    return List.of(new Shard<>(index, samples)).iterator();
                }, true);
    }

    /** The order in which a shard visits its samples in {@code epoch}: a seeded Fisher-Yates shuffle. */
    static int[] localOrder(int size, long seed, int epoch, int shard) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        Random random = new Random((seed * 1_000_003L + epoch) * 1_000_003L + shard);
        for (int i = size - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
