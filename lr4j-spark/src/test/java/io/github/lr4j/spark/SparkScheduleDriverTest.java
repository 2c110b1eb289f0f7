package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Spark runs every schedule the lr4j engine runs, decided by the same driver: warm-up + plateau (once a
 * ClassCastException), a schedule of another hyper-parameter (once ignored), at K = 1 and K > 1. The lr each step used
 * on Spark equals what lr4j-train's driver gives when it is stepped after every update and fed the same validation
 * metrics. (What a step reports is the lr its schedules left after it, on every engine.)
 */
class SparkScheduleDriverTest {
    private static final Dataset TRAIN = Digits.split().train();
    private static final int[] HIDDEN = {16};

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=1), ReduceLROnPlateau(patience=0, factor=0.5)],"
                + " milestones=[1]); ; 1",
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=1), ReduceLROnPlateau(patience=0, factor=0.5)],"
                + " milestones=[1]); ; 3",
        "CosineAnnealingLR(T_max=total_steps); LinearLR(start_factor=1.0, end_factor=0.1, total_iters=total_steps); 3"})
    void everyStepUsesWhatTheDriverGives(String lr, String weightDecay, int localSteps) {
        String optimizer = "SGD(lr=0.1, momentum=0.9, weight_decay=1e-3)";
        List<double[]> used = new ArrayList<>();
        List<Double> metrics = new ArrayList<>();
        ParameterAveraging<Sample> spark = ParameterAveraging.of(LocalSpark.rdd(TRAIN, 2),
                MlpPartitionModel.factory(Digits.FEATURES, HIDDEN, Digits.CLASSES, 1))
                .validation(LocalSpark.rdd(Digits.split().validation(), 2))
                .optimizer(optimizer).scheduler(lr).epochs(3).batchSize(64).localSteps(localSteps).partitions(2).seed(1)
                .listener(new TrainListener() {
                    @Override
                    public void onStep(TrainingLoop.StepInfo step) {
                        used.add(step.lr().clone());
                    }

                    @Override
                    public void onValidation(TrainingLoop.EpochInfo epoch) {
                        metrics.add(epoch.valLoss());
                    }
                });
        Map<String, String> hyper = weightDecay == null ? Map.of() : Map.of("weight_decay", weightDecay);
        hyper.forEach(spark::schedule);
        spark.fit();

        // The lr4j engine's rule: step after every update, feed each epoch's metric at its end.
        Optimizer opt = Optimizers.parse(optimizer);
        opt.addParamGroup(new Mlp(Digits.FEATURES, HIDDEN, Digits.CLASSES, 1).parameters());
        int steps = spark.stepsPerEpoch();
        ScheduleDriver driver = new ScheduleDriver();
        driver.addAll(ScheduleDriver.build(opt, lr, hyper, null, steps, 3));
        long updates = 0;
        List<Double> weightDecays = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            for (int s = 0; s < steps; s++) {
                weightDecays.add(HyperParameters.of(opt).get(0, "weight_decay"));
                driver.afterUpdate(++updates, epoch);
                // Each step reports (and logs) the lr its schedules left after it, as lr4j's loop does.
                assertThat(used.get((int) updates - 1)).as("step %d", updates).containsExactly(opt.lr(0));
            }
            driver.afterEpoch(epoch, OptionalDouble.of(metrics.get(epoch)));
        }
        assertThat(used).hasSize((int) updates);
        if (weightDecay != null) {
            // The driver's groups, which the partitions' steps follow, end at the schedule's last value.
            assertThat(HyperParameters.of(spark.optimizer()).get(0, "weight_decay"))
                    .isEqualTo(HyperParameters.of(opt).get(0, "weight_decay"));
            assertThat(weightDecays.get(weightDecays.size() - 1)).isLessThan(weightDecays.get(0));
        } else {
            assertThat(spark.scheduler().name()).isEqualTo("SequentialLR");
        }
        assertThat(Interval.defaultFor(spark.scheduler())).isNotNull();
    }
}
