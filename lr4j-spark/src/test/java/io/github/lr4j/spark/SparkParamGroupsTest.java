package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.ParamGrouping;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Param groups on Spark: the driver and every partition split the model the same way; per-group schedules run. */
class SparkParamGroupsTest {

    @Test
    void noDecay_twoGroups_perGroupMaxLr_andTheBiasesKeepWeightDecayZero() {
        List<double[]> lrs = new ArrayList<>();
        ParameterAveraging<Sample> spark = ParameterAveraging.of(LocalSpark.rdd(Digits.split().train(), 2),
                MlpPartitionModel.factory(Digits.FEATURES, new int[] {16}, Digits.CLASSES, 1))
                .optimizer("SGD(lr=0.1, momentum=0.9, weight_decay=1e-3)").paramGroups(ParamGrouping.NO_DECAY)
                .scheduler("OneCycleLR(max_lr=[0.1, 0.01], total_steps=total_steps)").epochs(1).batchSize(64).localSteps(2)
                .partitions(2).seed(1)
                .listener(new TrainListener() {
                    @Override
                    public void onStep(TrainingLoop.StepInfo step) {
                        lrs.add(step.lr().clone());
                    }
                });
        spark.fit();
        assertThat(spark.optimizer().size()).isEqualTo(2);
        assertThat(HyperParameters.of(spark.optimizer()).get(1, "weight_decay")).isZero();
        assertThat(HyperParameters.of(spark.optimizer()).get(0, "weight_decay")).isEqualTo(1e-3);
        double[] peak = lrs.stream().reduce((a, b) -> a[0] > b[0] ? a : b).orElseThrow();
        assertThat(peak[1] / peak[0]).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-9));
    }
}
