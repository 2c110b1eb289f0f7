package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.spec.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SWA in the loop on the digits: exact resume in and before the SWA phase, the saved average, refused settings. */
class SwaLoopTest {
    private static final Digits.Split SPLIT = Digits.split();

    /** Softmax regression, SGD, OneCycleLR per step, SWA from epoch 3 of 5 with SWALR; checkpoints every 7 steps and each epoch. */
    private static TrainingLoop run(Path checkpoints, int swaStart, List<Map<String, Object>> epochRows) {
        Mlp model = Mlp.softmaxRegression(64, 10, 5);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, SPLIT.train()).validation(SPLIT.validation()).epochs(5).batchSize(128).seed(2);
        t.scheduler(ScheduleSpec.build("OneCycleLR(max_lr=0.5, total_steps=" + 5 * t.optimizerStepsPerEpoch() + ")", opt),
                Interval.STEP, 1);
        if (swaStart > 0) {
            t.swa(swaStart, () -> ScheduleSpec.build("SWALR(swa_lr=0.05, anneal_epochs=2)", opt));
        }
        if (checkpoints != null) {
            t.checkpoints(new Checkpointing(checkpoints, 7, true, true, 100));
        }
        t.listener(new TrainListener() {
            @Override
            public void onValidation(TrainingLoop.EpochInfo e) {
                epochRows.add(Map.of("epoch", e.epoch(), "lr", e.lr()[0]));
            }
        });
        return t;
    }

    private static float[][] weights(TrainingLoop t) {
        return t.model().parameters().stream().map(p -> p.data().clone()).toArray(float[][]::new);
    }

    @ParameterizedTest
    @ValueSource(strings = {"step-000000007.ckpt", "epoch-00002.ckpt", "epoch-00003.ckpt", "step-000000035.ckpt", "epoch-00004.ckpt"})
    void aRunResumedBeforeOrInTheSwaPhase_endsBitForBitWhereTheUninterruptedOneDoes(String from, @TempDir Path dir) {
        TrainingLoop straight = run(dir.resolve("a"), 3, new ArrayList<>());
        straight.fit();
        assertThat(straight.weightAverage().orElseThrow().count()).isEqualTo(3);
        Path file = dir.resolve("a").resolve(from);
        assertThat(file).exists();
        TrainingLoop resumed = run(dir.resolve("b"), 3, new ArrayList<>()).resume(file);
        resumed.fit();
        assertThat(weights(resumed)).isDeepEqualTo(weights(straight));
        assertThat(resumed.trainedWeights()).isDeepEqualTo(straight.trainedWeights());
        assertThat(resumed.weightAverage().orElseThrow().count()).isEqualTo(3);
        assertThat(resumed.optimizer().lr(0)).isEqualTo(straight.optimizer().lr(0));
    }

    @Test
    void theAverageIsTheMeanOfTheEpochEndWeights_andIsSavedAsSwaCkpt(@TempDir Path dir) throws Exception {
        TrainingLoop t = run(dir, 3, new ArrayList<>());
        List<float[][]> ends = new ArrayList<>();
        t.listener(new TrainListener() {
            @Override
            public void onValidation(TrainingLoop.EpochInfo e) {
                if (e.epoch() >= 2) {
                    ends.add(t.model().parameters().stream().map(p -> p.data().clone()).toArray(float[][]::new));
                }
            }
        });
        t.log(dir.resolve("logs")).fit();
        assertThat(ends).hasSize(3);
        float[][] avg = weights(t);
        for (int i = 0; i < avg.length; i++) {
            for (int j = 0; j < avg[i].length; j++) {
                double mean = (ends.get(0)[i][j] + (double) ends.get(1)[i][j] + ends.get(2)[i][j]) / 3;
                assertThat((double) avg[i][j]).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-6 + 1e-6 * Math.abs(mean)));
            }
        }
        assertThat(t.trainedWeights()).isDeepEqualTo(ends.get(2));
        CheckpointFile.Contents swa = CheckpointFile.read(dir.resolve("swa.ckpt"));
        assertThat(swa.params()).isDeepEqualTo(avg);
        assertThat(RunCheckpoints.latest(dir, skipped -> { }).orElseThrow().getFileName().toString()).isNotEqualTo("swa.ckpt");
        // The SWA epochs are logged with the average's validation metrics.
        List<String> epochLog = Files.readAllLines(dir.resolve("logs").resolve("epochs.jsonl"));
        assertThat(epochLog.get(1)).contains("\"swa_val_accuracy\":\"NaN\"");
        assertThat(epochLog.get(2)).contains("\"swa_val_accuracy\":0.");
    }

    @Test
    void theOtherSchedulersStopWhenTheSwaSchedulerTakesOver(@TempDir Path dir) {
        List<Map<String, Object>> rows = new ArrayList<>();
        run(null, 3, rows).fit();
        // SWALR anneals from the OneCycleLR's lr at the end of epoch 2 towards 0.05 over two epoch ends, then stays.
        assertThat((double) rows.get(2).get("lr")).isStrictlyBetween(0.05, (double) rows.get(1).get("lr"));
        assertThat((double) rows.get(3).get("lr")).isEqualTo(0.05, org.assertj.core.api.Assertions.offset(1e-15));
        assertThat((double) rows.get(4).get("lr")).isEqualTo(0.05, org.assertj.core.api.Assertions.offset(1e-15));
        List<Map<String, Object>> plain = new ArrayList<>();
        run(null, 0, plain).fit();
        assertThat(rows.subList(0, 2)).isEqualTo(plain.subList(0, 2));
    }

    @Test
    void aWeightDecayScheduleKeepsRunningInTheSwaPhase_theLrScheduleStops() {
        Mlp model = Mlp.softmaxRegression(64, 10, 5);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.01));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, SPLIT.train()).epochs(4).batchSize(256).seed(2).monitor("train_loss", Mode.MIN);
        t.scheduler(ScheduleSpec.build("LinearLR(start_factor=1.0, end_factor=0.5, total_iters=100)", opt), Interval.STEP, 1);
        t.scheduler(io.github.lr4j.optim.HyperParameterSchedule.of(opt, "weight_decay",
                "LinearLR(start_factor=1.0, end_factor=0.1, total_iters=100)", Map.of()), Interval.STEP, 1);
        t.swa(3, () -> ScheduleSpec.build("SWALR(swa_lr=0.05, anneal_epochs=0)", opt));
        List<double[]> lrAndDecay = new ArrayList<>();
        t.listener(new TrainListener() {
            @Override
            public void onStep(TrainingLoop.StepInfo s) {
                lrAndDecay.add(new double[] {opt.lr(0), opt.group(0).get("weight_decay")});
            }
        });
        t.fit();
        int perEpoch = t.optimizerStepsPerEpoch();
        // Epoch 3 (the first SWA epoch): the lr no longer moves within the epoch, the weight decay still falls.
        double[] first = lrAndDecay.get(2 * perEpoch);
        double[] last = lrAndDecay.get(3 * perEpoch - 1);
        assertThat(last[0]).isEqualTo(first[0]);
        assertThat(last[1]).isLessThan(first[1]);
        assertThat(lrAndDecay.get(2 * perEpoch - 1)[0]).as("the lr schedule ran before SWA").isLessThan(lrAndDecay.get(0)[0]);
        assertThat(first[0]).as("SWALR(anneal_epochs=0) built at epoch 3").isEqualTo(0.05);
    }

    @Test
    void theEpochCsvHasTheSwaColumnsFromItsFirstRow_alsoAcrossAResume(@TempDir Path dir) throws Exception {
        run(dir.resolve("a"), 3, new ArrayList<>()).log(dir.resolve("logs")).fit();
        List<String> csv = Files.readAllLines(dir.resolve("logs").resolve("epochs.csv"));
        assertThat(csv.get(0)).contains("swa_val_loss", "swa_val_accuracy");
        run(dir.resolve("b"), 3, new ArrayList<>()).log(dir.resolve("logs2")).resume(dir.resolve("a").resolve("epoch-00004.ckpt")).fit();
        int columns = Files.readAllLines(dir.resolve("logs2").resolve("epochs.csv")).get(0).split(",").length;
        for (String line : Files.readAllLines(dir.resolve("logs2").resolve("epochs.csv"))) {
            assertThat(line.split(",", -1)).hasSize(columns);
        }
    }

    @Test
    void swaCkpt_holdsTheAverage_andIsRefusedAsAResumePoint(@TempDir Path dir) {
        run(dir.resolve("a"), 3, new ArrayList<>()).fit();
        TrainingLoop again = run(dir.resolve("b"), 3, new ArrayList<>()).resume(dir.resolve("a").resolve("swa.ckpt"));
        assertThatThrownBy(again::fit).hasMessageContaining("holds the SWA average written at the end of the run")
                .hasMessageContaining("resume from an epoch or step checkpoint");
    }

    @Test
    void aFailedRestore_putsBackAnSwaSchedulerBuiltBeforeTheRun(@TempDir Path dir) throws Exception {
        run(dir.resolve("a"), 3, new ArrayList<>()).fit();
        Mlp model = Mlp.softmaxRegression(64, 10, 5);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, SPLIT.train()).validation(SPLIT.validation()).epochs(5).batchSize(128).seed(2);
        // Not the scheduler the checkpoint's run had: its state is refused after the SWA scheduler took its own.
        t.scheduler(ScheduleSpec.build("StepLR(step_size=3)", opt), Interval.STEP, 1);
        io.github.lr4j.scheduler.Scheduler prebuilt = ScheduleSpec.build("SWALR(swa_lr=0.05, anneal_epochs=2)", opt);
        io.github.lr4j.scheduler.SchedulerState before = prebuilt.state();
        t.swa(3, () -> prebuilt).resume(dir.resolve("a").resolve("epoch-00004.ckpt"));
        assertThatThrownBy(t::fit).hasMessageContaining("nothing was changed");
        assertThat(prebuilt.state().toMap()).isEqualTo(before.toMap());
    }

    @Test
    void aCheckpointFromTheSwaPhaseWithoutAnSwaScheduler_isRefusedByARunWithOne(@TempDir Path dir) {
        Mlp model = Mlp.softmaxRegression(64, 10, 5);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1));
        opt.addParamGroup(model.parameters());
        TrainingLoop averagingOnly = TrainingLoop.of(model, opt, SPLIT.train()).epochs(4).batchSize(256).seed(2)
                .monitor("train_loss", Mode.MIN).checkpoints(new Checkpointing(dir.resolve("a"), 0, true, false, 100)).swa(2, null);
        averagingOnly.fit();
        Mlp model2 = Mlp.softmaxRegression(64, 10, 5);
        Optimizer opt2 = Optimizers.create("SGD", Map.of("lr", 0.1));
        opt2.addParamGroup(model2.parameters());
        TrainingLoop t = TrainingLoop.of(model2, opt2, SPLIT.train()).epochs(4).batchSize(256).seed(2).monitor("train_loss", Mode.MIN)
                .swa(2, () -> ScheduleSpec.build("SWALR(swa_lr=0.05)", opt2)).resume(dir.resolve("a").resolve("epoch-00003.ckpt"));
        assertThatThrownBy(t::fit).hasMessageContaining("written in the SWA phase by a run without an SWA scheduler");
    }

    @Test
    void refusals_nameTheSetting(@TempDir Path dir) {
        TrainingLoop tooLate = run(null, 6, new ArrayList<>());
        assertThatThrownBy(tooLate::fit).hasMessageContaining("swa start epoch must be in [1, 5]").hasMessageContaining("got 6");
        assertThatThrownBy(() -> run(null, 0, new ArrayList<>()).swa(0, null)).hasMessageContaining("got 0");
        run(dir.resolve("a"), 3, new ArrayList<>()).fit();
        Path ckpt = dir.resolve("a").resolve("epoch-00004.ckpt");
        TrainingLoop other = run(dir.resolve("b"), 2, new ArrayList<>()).resume(ckpt);
        float[][] before = weights(other);
        assertThatThrownBy(other::fit).hasMessageContaining("SWA from epoch 3").hasMessageContaining("SWA from epoch 2");
        assertThat(weights(other)).isDeepEqualTo(before);
        assertThatThrownBy(run(dir.resolve("c"), 0, new ArrayList<>()).resume(ckpt)::fit).hasMessageContaining("no SWA");
        Mlp model = Mlp.softmaxRegression(64, 10, 5);
        Optimizer mine = Optimizers.create("SGD", Map.of("lr", 0.1));
        mine.addParamGroup(model.parameters());
        Optimizer another = Optimizers.create("SGD", Map.of("lr", 0.1));
        another.addParamGroup(List.of(Parameter.zeros("w", 3)));
        TrainingLoop wrong = TrainingLoop.of(model, mine, SPLIT.train()).epochs(2).batchSize(512)
                .swa(1, () -> ScheduleSpec.build("SWALR(swa_lr=0.05)", another));
        assertThatThrownBy(wrong::fit).hasMessageContaining("must be attached to this trainer's optimizer");
    }
}
