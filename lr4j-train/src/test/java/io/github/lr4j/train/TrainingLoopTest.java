package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.MetricScheduler;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.Schedulers;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingLoopTest {
    private final Digits.Split split = Digits.split();

    private TrainingLoop small(Optimizer opt, Mlp model, int epochs, int batch) {
        return TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(epochs).batchSize(batch).seed(1);
    }

    private static Optimizer sgd(Mlp model, double lr) {
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", lr, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        return opt;
    }

    @Test
    void perStepScheduler_countsOptimizerSteps_notBatches_withAccumulation() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        TrainingLoop t = small(opt, model, 3, 64).accumulate(3);
        assertThat(t.batchesPerEpoch()).isEqualTo(20);
        assertThat(t.optimizerStepsPerEpoch()).isEqualTo(7);
        LrScheduler oneCycle = Schedulers.oneCycleLR(0.1).totalSteps(21).attach(opt);
        LrScheduler perEpochCosine = Schedulers.cosineAnnealingLR(opt, 3, 0);
        t.scheduler(oneCycle).scheduler(perEpochCosine, Interval.EPOCH, 1);
        TrainingLoop.Result r = t.fit();
        assertThat(r.optimizerSteps()).isEqualTo(21);
        assertThat(oneCycle.lastEpoch()).isEqualTo(21);
        assertThat(perEpochCosine.lastEpoch()).isEqualTo(3);
    }

    @Test
    void frequency_stepsEveryKthTime() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        TrainingLoop t = small(opt, model, 4, 128);
        LrScheduler step = Schedulers.stepLR(opt, 1, 0.5);
        t.scheduler(step, Interval.EPOCH, 2);
        t.fit();
        assertThat(step.lastEpoch()).isEqualTo(2);
    }

    @Test
    void oneCycleSizedShorterThanTheRun_isRefusedBeforeTraining() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        TrainingLoop t = small(opt, model, 3, 64);
        t.scheduler(Schedulers.oneCycleLR(0.1).totalSteps(50).attach(opt));
        assertThatThrownBy(t::fit).hasMessage("OneCycleLR has total_steps=50 but this run steps it 60 times (per optimizer step over 3"
                + " epochs): it would fail mid-run; size it with total_steps=60");
        assertThat(model.parameters().get(0).grad()).containsOnly(0f);
    }

    @Test
    void oneCycleSizedInBatchesButSteppedPerEpoch_warns() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        List<String> warnings = new ArrayList<>();
        TrainingLoop t = small(opt, model, 2, 64).listener(new TrainListener() {
            @Override
            public void onWarning(String message) {
                warnings.add(message);
            }
        });
        t.scheduler(Schedulers.oneCycleLR(0.1).totalSteps(40).attach(opt), Interval.EPOCH, 1);
        t.fit();
        assertThat(warnings).contains("OneCycleLR is sized for 40 steps but is stepped per epoch, only 2 times: it looks sized"
                + " in batches (use Interval.STEP)");
    }

    @Test
    void compositeHoldingAPerBatchSchedule_defaultsToPerStep_andIsCheckedWhereverItSits() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        Scheduler warmupThenCycle = ScheduleSpec.build("SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5),"
                + " OneCycleLR(max_lr=0.1, total_steps=50)], milestones=[5])", opt);
        assertThat(Interval.defaultFor(warmupThenCycle)).isEqualTo(Interval.STEP);
        assertThat(Interval.defaultFor(ScheduleSpec.build("ChainedScheduler([ExponentialLR(gamma=0.9),"
                + " CyclicLR(base_lr=0.01, max_lr=0.1)])", sgd(model, 0.1)))).isEqualTo(Interval.STEP);
        assertThat(Interval.defaultFor(ScheduleSpec.build("SequentialLR(schedulers=[LinearLR(total_iters=2),"
                + " StepLR(step_size=3)], milestones=[2])", sgd(model, 0.1)))).isEqualTo(Interval.EPOCH);

        // 3 epochs of 20 steps: the nested OneCycleLR runs 55 steps but is sized for 50.
        TrainingLoop t = small(opt, model, 3, 64);
        t.scheduler(warmupThenCycle);
        assertThatThrownBy(t::fit).hasMessage("OneCycleLR (in SequentialLR) has total_steps=50 but this run steps it 55 times"
                + " (per optimizer step over 3 epochs): it would fail mid-run; size it with total_steps=55");

        Optimizer cyclic = sgd(model, 0.1);
        List<String> warnings = new ArrayList<>();
        TrainingLoop perEpoch = small(cyclic, model, 2, 64).listener(new TrainListener() {
            @Override
            public void onWarning(String message) {
                warnings.add(message);
            }
        });
        perEpoch.scheduler(ScheduleSpec.build("ChainedScheduler([ExponentialLR(gamma=0.9), CyclicLR(base_lr=0.01, max_lr=0.1,"
                + " step_size_up=1)])", cyclic), Interval.EPOCH, 1);
        perEpoch.fit();
        assertThat(warnings).contains("CyclicLR (in ChainedScheduler) is meant to be stepped per batch, but is stepped per epoch");
    }

    @Test
    void plateauWithoutValidation_isRefused() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.1);
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).epochs(2);
        t.scheduler(Schedulers.reduceLROnPlateau().attach(opt));
        assertThatThrownBy(t::fit).hasMessage("ReduceLROnPlateau monitors val_loss but there is no validation set: give one,"
                + " or monitor train_loss");
    }

    @Test
    void plateau_isFedTheValidationLoss_andCutsAfterPatience() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 0.0); // lr 0: the validation loss never moves after the first epoch
        TrainingLoop t = small(opt, model, 6, 256);
        MetricScheduler plateau = Schedulers.reduceLROnPlateau().patience(1).factor(0.5).attach(opt);
        t.scheduler(plateau);
        TrainingLoop.Result r = t.fit();
        // One metric per epoch, and it is the validation loss the loop recorded for that epoch.
        assertThat(plateau.lastEpoch()).isEqualTo(6);
        assertThat(plateau.state().asMap().get("best")).isEqualTo(r.history().get(0).valLoss());
        assertThat(plateau.state().asMap().get("num_bad_epochs")).isEqualTo(1L); // cuts after epochs 3 and 5 reset it; epoch 6 is bad again
    }

    @Test
    void plateau_cutsTheLr_atTheExpectedEpochs() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        // A tiny lr: the validation loss keeps falling but by less than the 1% threshold after the first epochs.
        Optimizer opt = sgd(model, 1e-7);
        TrainingLoop t = small(opt, model, 7, 256);
        t.scheduler(Schedulers.reduceLROnPlateau().patience(1).factor(0.5).threshold(0.01).attach(opt));
        TrainingLoop.Result r = t.fit();
        double[] lrs = r.history().stream().mapToDouble(e -> e.lr()[0]).toArray();
        // epoch 0 sets best; epochs 1, 2 are bad (2 > patience 1) -> cut after epoch 2; again after epoch 4 and 6.
        assertThat(lrs).containsExactly(1e-7, 1e-7, 5e-8, 5e-8, 2.5e-8, 2.5e-8, 1.25e-8);
    }

    @Test
    void earlyStopping_stopsAfterPatience_andRestoresTheBestWeights() {
        Mlp model = Mlp.softmaxRegression(64, 10, 1);
        Optimizer opt = sgd(model, 3.0); // far too large: validation loss gets worse after the first epoch
        TrainingLoop t = small(opt, model, 20, 32).earlyStopping(new EarlyStopping(2, 0, true));
        List<float[]> afterFirst = new ArrayList<>();
        t.listener(new TrainListener() {
            @Override
            public void onValidation(TrainingLoop.EpochInfo e) {
                if (e.best()) {
                    afterFirst.clear();
                    model.parameters().forEach(p -> afterFirst.add(p.data().clone()));
                }
            }
        });
        TrainingLoop.Result r = t.fit();
        assertThat(r.stoppedEarly()).isTrue();
        assertThat(r.epochsRun()).isEqualTo(r.bestEpoch() + 2); // bestEpoch counts from 1
        for (int i = 0; i < afterFirst.size(); i++) {
            assertThat(model.parameters().get(i).data()).containsExactly(afterFirst.get(i));
        }
    }

    @Test
    void skippedStep_doesNotAdvanceTheSchedule() {
        Mlp inner = Mlp.softmaxRegression(64, 10, 1);
        int[] calls = {0};
        Model poisoned = new Model() {
            @Override
            public List<Parameter> parameters() {
                return inner.parameters();
            }

            @Override
            public double lossAndGradient(Dataset data, int[] order, int from, int to, double scale) {
                double loss = inner.lossAndGradient(data, order, from, to, scale);
                if (++calls[0] == 3) {
                    inner.parameters().get(0).grad()[0] = Float.NaN;
                }
                return loss;
            }

            @Override
            public Evaluation evaluate(Dataset data) {
                return inner.evaluate(data);
            }
        };
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1));
        opt.addParamGroup(inner.parameters());
        TrainingLoop t = TrainingLoop.of(poisoned, opt, split.train()).epochs(1).batchSize(128);
        LrScheduler s = Schedulers.oneCycleLR(0.1).totalSteps(10).cycleMomentum(false).attach(opt);
        t.scheduler(s);
        TrainingLoop.Result r = t.fit();
        assertThat(r.skippedSteps()).isEqualTo(1);
        assertThat(r.optimizerSteps()).isEqualTo(9);
        assertThat(s.lastEpoch()).isEqualTo(9);
        for (Parameter p : inner.parameters()) {
            for (float v : p.data()) {
                assertThat(v).isFinite();
            }
        }
    }

    @Test
    void resumeFromAMidRunCheckpoint_continuesBitForBit_logsIncluded(@TempDir Path dir) throws Exception {
        TrainingLoop reference = KillableRun.trainer(dir.resolve("ref-ckpt"), dir.resolve("ref-logs"), 0);
        reference.fit();
        List<float[]> expected = KillableRun.weights(reference);

        Path ckpts = dir.resolve("ckpt");
        KillableRun.trainer(ckpts, dir.resolve("logs"), 0).fit();
        Path mid = ckpts.resolve("step-000000015.ckpt");
        assertThat(mid).exists();
        TrainingLoop resumed = KillableRun.trainer(dir.resolve("ckpt2"), dir.resolve("logs"), 0).resume(mid);
        resumed.fit();
        assertSameWeights(KillableRun.weights(resumed), expected);
        for (String f : List.of("steps.jsonl", "steps.csv", "epochs.jsonl", "epochs.csv")) {
            assertThat(dir.resolve("logs").resolve(f)).hasSameTextualContentAs(dir.resolve("ref-logs").resolve(f));
        }
    }

    @Test
    void killedWithSigkillMidRun_resumesToIdenticalFinalWeights(@TempDir Path dir) throws Exception {
        TrainingLoop reference = KillableRun.trainer(dir.resolve("ref-ckpt"), dir.resolve("ref-logs"), 0);
        reference.fit();
        List<float[]> expected = KillableRun.weights(reference);

        Path ckpts = dir.resolve("ckpt");
        Path logs = dir.resolve("logs");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), KillableRun.class.getName(),
                ckpts.toString(), logs.toString(), "40").redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "child.log"))
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (countCheckpoints(ckpts) < 3 && System.nanoTime() < deadline && child.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child must still be training when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
        child.waitFor(10, TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);

        Path latest = RunCheckpoints.latest(ckpts, skipped -> { }).orElseThrow();
        TrainingLoop resumed = KillableRun.trainer(ckpts, logs, 0).resume(latest);
        resumed.fit();
        assertSameWeights(KillableRun.weights(resumed), expected);
        assertThat(logs.resolve("steps.jsonl")).hasSameTextualContentAs(dir.resolve("ref-logs").resolve("steps.jsonl"));
    }

    private static void assertSameWeights(List<float[]> got, List<float[]> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(java.util.Arrays.equals(got.get(i), expected.get(i))).as("parameter %d identical, bit for bit", i).isTrue();
        }
    }

    private static long countCheckpoints(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("step-") && p.toString().endsWith(".ckpt")).count();
        }
    }

    @Test
    void damagedCheckpoint_isRejected_andSkippedWhenLookingForTheLatest(@TempDir Path dir) throws Exception {
        Path ckpts = dir.resolve("ckpt");
        KillableRun.trainer(ckpts, dir.resolve("logs"), 0).fit();
        Path newest = RunCheckpoints.latest(ckpts, skipped -> { }).orElseThrow();
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(newest, bytes);
        assertThatThrownBy(() -> KillableRun.trainer(dir.resolve("x"), dir.resolve("l2"), 0).resume(newest).fit())
                .hasMessageContaining("is damaged (checksum mismatch)");
        assertThat(RunCheckpoints.latest(ckpts, skipped -> { }).orElseThrow()).isNotEqualTo(newest);
    }

    @Test
    void metricsLog_hasARowPerOptimizerStep_withEveryGroupsLrAndMomentum(@TempDir Path dir) throws Exception {
        TrainingLoop t = KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0);
        TrainingLoop.Result r = t.fit();
        List<String> csv = Files.readAllLines(dir.resolve("logs").resolve("steps.csv"));
        assertThat(csv.get(0)).isEqualTo("step,epoch,batch,loss,skipped,lr0,lr1,momentum0,momentum1");
        assertThat(csv).hasSize((int) (r.optimizerSteps() + r.skippedSteps()) + 1);
        assertThat(Files.readAllLines(dir.resolve("logs").resolve("epochs.jsonl"))).hasSize(r.epochsRun());
    }

    @Test
    void defaultRecipe_reaches97PercentOnTheTestSet() {
        DigitsRecipe.Run run = new DigitsRecipe().build();
        run.trainer().fit();
        double accuracy = run.model().evaluate(run.data().test()).accuracy();
        assertThat(accuracy).isGreaterThanOrEqualTo(0.97);
    }
}
