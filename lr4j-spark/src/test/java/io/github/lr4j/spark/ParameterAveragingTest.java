package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParameterAveragingTest {
    private static final Dataset TRAIN = Digits.split().train();
    private static final int[] HIDDEN = {32};

    /**
     * K = 1 and an optimizer whose update is linear in the gradient (SGD, with or without momentum
     * and weight decay): averaging the partitions' updates, weighted by their sizes, is the update of
     * the whole global batch, so one epoch on Spark equals one epoch of plain lr4j training on the
     * union of the partitions' batches, with a per-step cosine schedule read at the global step.
     */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "SGD(lr=0.1); 2; 32; 1",
        "SGD(lr=0.05, momentum=0.9, weight_decay=1e-3); 2; 32; 2",
        "SGD(lr=0.1, momentum=0.5, nesterov=True); 4; 40; 3"})
    void oneLocalStep_linearOptimizer_equalsSingleMachineTrainingOnTheUnionOfTheBatches(String optimizer, int partitions,
            int batchSize, long seed) {
        String schedule = "CosineAnnealingLR(T_max=total_steps, eta_min=0.001)";
        ParameterAveraging<Sample> spark = ParameterAveraging.of(LocalSpark.rdd(TRAIN, 3),
                MlpPartitionModel.factory(Digits.FEATURES, HIDDEN, Digits.CLASSES, seed))
                .optimizer(optimizer).scheduler(schedule, Interval.STEP).epochs(1).batchSize(batchSize).localSteps(1)
                .partitions(partitions).seed(seed);
        TrainingLoop.Result result = spark.fit();

        Mlp single = new Mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, seed);
        Optimizer opt = Optimizers.parse(optimizer);
        opt.addParamGroup(single.parameters());
        int shardSize = TRAIN.size() / partitions;
        int localBatch = (batchSize + partitions - 1) / partitions;
        int steps = (shardSize + localBatch - 1) / localBatch;
        LrScheduler cosine = (LrScheduler) ScheduleSpec.build(schedule, opt, Map.of("total_steps", (long) steps));
        int[][] orders = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            orders[p] = Shards.localOrder(shardSize, seed, 0, p);
        }
        for (int s = 0; s < steps; s++) {
            List<Integer> union = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                for (int i = s * localBatch; i < Math.min(shardSize, (s + 1) * localBatch); i++) {
                    union.add(orders[p][i] * partitions + p); // shard p holds samples p, p + P, p + 2P, ...
                }
            }
            opt.zeroGrad();
            single.lossAndGradient(TRAIN, union.stream().mapToInt(Integer::intValue).toArray(), 0, union.size(), 1.0);
            opt.step();
            cosine.step();
        }

        assertThat(result.optimizerSteps()).isEqualTo(steps);
        assertThat(spark.rounds()).isEqualTo(steps);
        List<Parameter> a = spark.parameters();
        List<Parameter> b = single.parameters();
        double worst = 0;
        for (int t = 0; t < a.size(); t++) {
            float[] x = a.get(t).data();
            float[] y = b.get(t).data();
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1, Math.abs(y[i])));
            }
        }
        assertThat(worst).isLessThanOrEqualTo(1e-6);
        assertThat(Arrays.equals(a.get(0).data(), new Mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, seed).parameters().get(0).data()))
                .as("training moved the weights").isFalse();
    }
}
