package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.MetricScheduler;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingOnSparkTest {
    private static final Digits.Split DIGITS = Digits.split();

    private static Mlp withWeights(int[] hidden, long seed, List<Parameter> trained) {
        Mlp mlp = new Mlp(Digits.FEATURES, hidden, Digits.CLASSES, seed);
        for (int i = 0; i < trained.size(); i++) {
            System.arraycopy(trained.get(i).data(), 0, mlp.parameters().get(i).data(), 0, trained.get(i).size());
        }
        return mlp;
    }

    /** The CLI's recipe with rounds of K = 8 local steps over global batches of 64: 130 rounds in all. */
    @Test
    void oneCycle_onShiftedDigits_reaches97PercentTestAccuracy() {
        int[] hidden = {256};
        ParameterAveraging<Sample> run = ParameterAveraging.of(LocalSpark.rdd(Digits.withShifts(DIGITS.train()), 2),
                MlpPartitionModel.factory(Digits.FEATURES, hidden, Digits.CLASSES, 0))
                .optimizer("SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)")
                .scheduler("OneCycleLR(max_lr=0.1, total_steps=total_steps)")
                .epochs(10).batchSize(64).localSteps(8).partitions(2).seed(0);
        run.fit();

        Model.Evaluation test = withWeights(hidden, 0, run.parameters()).evaluate(DIGITS.test());
        assertThat(test.accuracy()).isGreaterThanOrEqualTo(0.97);
    }

    /** The plateau schedule is fed the distributed validation loss at every epoch end, and cuts where lr4j's own ReduceLROnPlateau does. */
    @Test
    void plateau_cutsTheLrAtTheEpochsTheValidationLossDictates() {
        int[] hidden = {16};
        String plateau = "ReduceLROnPlateau(factor=0.5, patience=0, threshold=0.05)";
        List<TrainingLoop.StepInfo> steps = new ArrayList<>();
        ParameterAveraging<Sample> run = ParameterAveraging.of(LocalSpark.rdd(DIGITS.train(), 2),
                MlpPartitionModel.factory(Digits.FEATURES, hidden, Digits.CLASSES, 3))
                .validation(LocalSpark.rdd(DIGITS.validation(), 3))
                .optimizer("SGD(lr=0.5)").scheduler(plateau)
                .epochs(6).batchSize(64).localSteps(5).partitions(2).seed(3)
                .listener(new TrainListener() {
                    @Override
                    public void onStep(TrainingLoop.StepInfo s) {
                        steps.add(s);
                    }
                });
        TrainingLoop.Result result = run.fit();

        Optimizer reference = Optimizers.parse("SGD(lr=0.5)");
        reference.addParamGroup(List.of(Parameter.zeros("w", 1)));
        MetricScheduler expected = (MetricScheduler) ScheduleSpec.build(plateau, reference);
        List<Double> lrAfterEpoch = new ArrayList<>();
        for (TrainingLoop.EpochInfo e : result.history()) {
            expected.step(e.valLoss());
            assertThat(e.lr()[0]).as("lr after epoch %d", e.epoch()).isEqualTo(reference.lr(0));
            lrAfterEpoch.add(reference.lr(0));
        }
        assertThat(lrAfterEpoch.stream().distinct().count()).as("the schedule cut the lr at least once").isGreaterThan(1);
        for (TrainingLoop.StepInfo s : steps) {
            double expectedLr = s.epoch() == 0 ? 0.5 : lrAfterEpoch.get(s.epoch() - 1);
            assertThat(s.lr()[0]).as("lr of step %d in epoch %d", s.step(), s.epoch()).isEqualTo(expectedLr);
        }
        // The distributed pass measures what one machine measures with the same weights.
        TrainingLoop.EpochInfo last = result.history().get(result.history().size() - 1);
        Model.Evaluation local = withWeights(hidden, 3, run.parameters()).evaluate(DIGITS.validation());
        assertThat(last.valLoss()).isCloseTo(local.loss(), org.assertj.core.api.Assertions.within(1e-9));
        assertThat(last.valAccuracy()).isCloseTo(local.accuracy(), org.assertj.core.api.Assertions.within(1e-12));
    }

    private static ParameterAveraging<Sample> resumable(Dataset data) {
        return ParameterAveraging.of(LocalSpark.rdd(data, 2), MlpPartitionModel.factory(Digits.FEATURES, new int[] {16}, Digits.CLASSES, 5))
                .validation(LocalSpark.rdd(DIGITS.validation(), 2))
                .optimizer("AdamW(lr=3e-3, weight_decay=0.01)")
                .scheduler("OneCycleLR(max_lr=0.01, total_steps=total_steps)")
                .epochs(2).batchSize(64).localSteps(3).partitions(2).seed(5);
    }

    /** A simulated kill: the driver stops after round 5 of 8; the newest checkpoint is from round 4 (the end of epoch 0, before its validation). */
    @Test
    void killedAfterACheckpoint_resumesToIdenticalFinalWeights(@TempDir Path dir) throws Exception {
        Dataset data = DIGITS.train().subset(java.util.stream.IntStream.range(0, 600).toArray());
        ParameterAveraging<Sample> uninterrupted = resumable(data);
        TrainingLoop.Result full = uninterrupted.fit();

        ParameterAveraging<Sample> killed = resumable(data).checkpoints(dir.toString(), 2, 2).stopAfterRounds(5);
        killed.fit();
        assertThat(killed.rounds()).isEqualTo(5);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ckpt")).sorted())
                    .containsExactly("round-000000002.ckpt", "round-000000004.ckpt");
        }
        ParameterAveraging<Sample> resumed = resumable(data).checkpoints(dir.toString(), 2, 2).resume(true);
        TrainingLoop.Result after = resumed.fit();

        assertThat(uninterrupted.rounds()).isEqualTo(8);
        assertThat(after.optimizerSteps()).isEqualTo(full.optimizerSteps());
        assertThat(after.history()).hasSameSizeAs(full.history());
        for (int i = 0; i < full.history().size(); i++) {
            assertThat(after.history().get(i).valLoss()).isEqualTo(full.history().get(i).valLoss());
        }
        for (int t = 0; t < uninterrupted.parameters().size(); t++) {
            assertThat(Arrays.equals(resumed.parameters().get(t).data(), uninterrupted.parameters().get(t).data()))
                    .as("tensor %d bit-identical", t).isTrue();
        }
        assertThat(Arrays.equals(save(resumed.optimizer()), save(uninterrupted.optimizer()))).as("optimizer state").isTrue();
    }

    @Test
    void resume_withAnotherConfiguration_failsNamingTheSetting(@TempDir Path dir) {
        Dataset data = DIGITS.train().subset(java.util.stream.IntStream.range(0, 300).toArray());
        resumable(data).checkpoints(dir.toString(), 1, 1).stopAfterRounds(1).fit();
        assertThatThrownBy(() -> resumable(data).localSteps(2).checkpoints(dir.toString(), 1, 1).resume(true).fit())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("it was written with local_steps = 3, this run has 2");
    }

    private static byte[] save(Optimizer opt) throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        opt.save(out);
        return out.toByteArray();
    }
}
