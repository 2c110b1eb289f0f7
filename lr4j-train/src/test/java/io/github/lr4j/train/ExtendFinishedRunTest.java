package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.spec.ScheduleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training on after a run finished: a warm restart of the schedule, or the final lr; and what is refused. */
class ExtendFinishedRunTest {
    private static final String SPEC = "CosineAnnealingLR(T_max=total_steps, eta_min=0.001)";
    private final Digits.Split split = Digits.split();

    private TrainingLoop loop(int epochs, Path checkpoints, List<Double> lrs) {
        Mlp model = Mlp.softmaxRegression(64, 10, 3);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(epochs).batchSize(128)
                .seed(1);
        long perEpoch = t.optimizerStepsPerEpoch();
        TrainingLoop.ForRunLength build = e -> ScheduleSpec.build(SPEC, opt, ScheduleDriver.variables(perEpoch, e));
        t.scheduler(build.build(epochs), Interval.STEP, 1, build);
        t.checkpoints(new Checkpointing(checkpoints, 0, true, false, 100));
        t.listener(new TrainListener() {
            @Override
            public void onStep(TrainingLoop.StepInfo step) {
                lrs.add(step.lr()[0]);
            }
        });
        return t;
    }

    @Test
    void restartSchedule_runsTheScheduleAgainSizedForTheAddedEpochs(@TempDir Path dir) {
        List<Double> first = new ArrayList<>();
        loop(2, dir.resolve("a"), first).fit();
        List<Double> fresh = new ArrayList<>();
        loop(3, dir.resolve("fresh"), fresh).fit(); // a 3-epoch schedule from step 0: what the restart must replay
        List<Double> extended = new ArrayList<>();
        TrainingLoop.Result r = loop(5, dir.resolve("a"), extended).resume(dir.resolve("a/epoch-00002.ckpt"))
                .extendFinishedRun(true).fit();
        assertThat(r.epochsRun()).isEqualTo(5);
        assertThat(extended).containsExactlyElementsOf(fresh);
        assertThat(extended.get(0)).isGreaterThan(first.get(first.size() - 1) * 10); // the lr went back up
    }

    @Test
    void aRestartedRunKilledPartWay_resumesToTheSameEnd(@TempDir Path dir) {
        loop(2, dir.resolve("a"), new ArrayList<>()).fit();
        List<Double> whole = new ArrayList<>();
        loop(5, dir.resolve("a"), whole).resume(dir.resolve("a/epoch-00002.ckpt")).extendFinishedRun(true).fit();
        List<Double> after = new ArrayList<>();
        // epoch-00004.ckpt was written by the restarted run: its resume sizes the schedules from the restart on.
        loop(5, dir.resolve("a"), after).resume(dir.resolve("a/epoch-00004.ckpt")).fit();
        assertThat(after).containsExactlyElementsOf(whole.subList(whole.size() - after.size(), whole.size()));
    }

    @Test
    void continueAtFinalLr_keepsTheScheduleAtItsLastValue(@TempDir Path dir) {
        List<Double> first = new ArrayList<>();
        loop(2, dir.resolve("a"), first).fit();
        List<Double> extended = new ArrayList<>();
        loop(3, dir.resolve("a"), extended).resume(dir.resolve("a/epoch-00002.ckpt")).extendFinishedRun(false).fit();
        assertThat(extended).isNotEmpty().allSatisfy(lr -> assertThat(lr).isEqualTo(first.get(first.size() - 1)));
    }

    @Test
    void progress_saysWhetherTheRunFinished_andAnUnfinishedRunIsNotExtended(@TempDir Path dir) throws Exception {
        loop(2, dir.resolve("a"), new ArrayList<>()).fit();
        assertThat(RunCheckpoints.progress(dir.resolve("a/epoch-00002.ckpt")).finished()).isTrue();
        assertThat(RunCheckpoints.progress(dir.resolve("a/epoch-00001.ckpt")).finished()).isFalse();
        assertThatThrownBy(() -> loop(4, dir.resolve("a"), new ArrayList<>()).resume(dir.resolve("a/epoch-00001.ckpt"))
                .extendFinishedRun(true).fit()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has not finished");
    }
}
