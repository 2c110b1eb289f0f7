package io.github.lr4j.spark;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Measures what "K = 1 equals single-machine training" holds to (the README's figures): one Spark run with K = 1
 * against plain lr4j training on the union of the partitions' batches (ParameterAveragingTest's reference), the
 * same per-step cosine schedule over the whole run; after epochs 1, 3 and the last: the largest weight difference
 * and both models' test accuracy. Args: epochs (default 20), partitions (2), batch size (32).
 */
public final class KOneVersusSingleMachine {
    public static void main(String[] args) {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int partitions = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        long seed = 2;
        int[] hidden = {32};
        String optimizer = "SGD(lr=0.05, momentum=0.9, weight_decay=1e-3)";
        String schedule = "CosineAnnealingLR(T_max=total_steps, eta_min=0.001)";
        Digits.Split split = Digits.split();
        Dataset train = split.train();
        List<Integer> checkpoints = List.of(1, 3, epochs);
        Map<Integer, float[]> sparkWeights = new HashMap<>();
        ParameterAveraging<Sample> spark = ParameterAveraging.of(LocalSpark.rdd(train, 3),
                MlpPartitionModel.factory(Digits.FEATURES, hidden, Digits.CLASSES, seed));
        spark.optimizer(optimizer).scheduler(schedule, Interval.STEP).epochs(epochs).batchSize(batchSize).localSteps(1)
                .partitions(partitions).seed(seed).listener(new TrainListener() {
                    @Override
                    public void onValidation(TrainingLoop.EpochInfo e) {
                        if (checkpoints.contains(e.epoch() + 1)) {
                            sparkWeights.put(e.epoch() + 1, PartitionRound.flatten(spark.parameters()));
                        }
                    }
                });
        spark.fit();

        Mlp single = new Mlp(Digits.FEATURES, hidden, Digits.CLASSES, seed);
        Optimizer opt = Optimizers.parse(optimizer);
        opt.addParamGroup(single.parameters());
        int shardSize = train.size() / partitions;
        int localBatch = (batchSize + partitions - 1) / partitions;
        int steps = (shardSize + localBatch - 1) / localBatch;
        Scheduler cosine = ScheduleSpec.build(schedule, opt, Map.of("total_steps", (long) steps * epochs));
        System.out.printf(Locale.ROOT, "K=1 vs single machine: %s, %s, %d partitions, global batch %d, %d steps an epoch%n",
                optimizer, schedule, partitions, batchSize, steps);
        for (int epoch = 0; epoch < epochs; epoch++) {
            int[][] orders = new int[partitions][];
            for (int p = 0; p < partitions; p++) {
                orders[p] = Shards.localOrder(shardSize, seed, epoch, p);
            }
            for (int s = 0; s < steps; s++) {
                List<Integer> union = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    for (int i = s * localBatch; i < Math.min(shardSize, (s + 1) * localBatch); i++) {
                        union.add(orders[p][i] * partitions + p);
                    }
                }
                opt.zeroGrad();
                single.lossAndGradient(train, union.stream().mapToInt(Integer::intValue).toArray(), 0, union.size(), 1.0);
                opt.step();
                cosine.step(OptionalDouble.empty());
            }
            if (checkpoints.contains(epoch + 1)) {
                float[] a = sparkWeights.get(epoch + 1);
                float[] b = PartitionRound.flatten(single.parameters());
                double worst = 0;
                double worstRelative = 0;
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]));
                    worstRelative = Math.max(worstRelative, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
                }
                Mlp sparkModel = new Mlp(Digits.FEATURES, hidden, Digits.CLASSES, seed);
                PartitionRound.copyInto(a, sparkModel.parameters());
                System.out.printf(Locale.ROOT, "after epoch %d: max |weight diff| %.3g (relative %.3g); test accuracy spark %.2f%%,"
                        + " single machine %.2f%%%n", epoch + 1, worst, worstRelative,
                        100 * sparkModel.evaluate(split.test()).accuracy(), 100 * single.evaluate(split.test()).accuracy());
            }
        }
        LocalSpark.session().stop();
    }
}
