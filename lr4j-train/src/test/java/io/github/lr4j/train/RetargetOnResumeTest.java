package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A run resumed with more epochs than it was started with: the schedule's horizon follows, the lr does not jump. */
class RetargetOnResumeTest {
    private final Digits.Split split = Digits.split();

    /**
     * Softmax regression on the digits with SGD ({@code sgd}'s options), {@code epochs} epochs, a checkpoint each epoch,
     * and the scheduler {@code schedule} builds (from the optimizer and total_steps/epochs/steps_per_epoch) stepped per
     * optimizer step; {@code onStep} sees the optimizer after every step.
     */
    private TrainingLoop loop(int epochs, Path checkpoints, Map<String, Object> sgd,
                              BiFunction<Optimizer, Map<String, Long>, Scheduler> schedule, Consumer<Optimizer> onStep) {
        Mlp model = Mlp.softmaxRegression(64, 10, 3);
        Optimizer opt = Optimizers.create("SGD", sgd);
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(epochs).batchSize(128)
                .seed(1);
        long perEpoch = t.optimizerStepsPerEpoch();
        TrainingLoop.ForRunLength build = e -> schedule.apply(opt,
                Map.of("total_steps", perEpoch * e, "epochs", (long) e, "steps_per_epoch", perEpoch));
        t.scheduler(build.build(epochs), Interval.STEP, 1, build);
        t.checkpoints(new Checkpointing(checkpoints, 0, true, false, 100));
        t.listener(new TrainListener() {
            @Override
            public void onStep(TrainingLoop.StepInfo step) {
                onStep.accept(opt);
            }
        });
        return t;
    }

    /** A run with the lr schedule {@code spec}, recording the lr after every step. */
    private TrainingLoop run(String spec, int epochs, Path checkpoints, List<double[]> lrs) {
        return loop(epochs, checkpoints, Map.of("lr", 0.1, "momentum", 0.9), (opt, vars) -> ScheduleSpec.build(spec, opt, vars),
                opt -> lrs.add(new double[] {opt.lr(0)}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"CosineAnnealingLR(T_max=total_steps, eta_min=0.001)", "OneCycleLR(max_lr=0.5, total_steps=total_steps)",
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=total_steps)],"
                + " milestones=[5])"})
    void resumedWithMoreEpochs_continuesWithoutAJump_andEndsWhereTheOldRunWould(String spec, @TempDir Path dir) {
        List<double[]> original = new ArrayList<>();
        run(spec, 4, dir.resolve("a"), original).fit();
        long perEpoch = original.size() / 4;
        List<double[]> extended = new ArrayList<>();
        TrainingLoop resumed = run(spec, 8, dir.resolve("b"), extended).resume(dir.resolve("a").resolve("epoch-00002.ckpt"));
        resumed.fit();
        assertThat(extended).hasSize((int) (6 * perEpoch));
        // The steps taken are kept: the first lr set after the resume lies between the old run's lrs around it ...
        int at = (int) (2 * perEpoch);
        assertThat(extended.get(0)[0]).isBetween(Math.min(original.get(at - 1)[0], original.get(at)[0]),
                Math.max(original.get(at - 1)[0], original.get(at)[0]));
        // ... and each later step moves by no more than the old schedule's own largest step (no jump) ...
        double largestOldStep = 0;
        for (int i = 1; i < original.size(); i++) {
            largestOldStep = Math.max(largestOldStep, Math.abs(original.get(i)[0] - original.get(i - 1)[0]));
        }
        for (int i = 1; i < extended.size(); i++) {
            assertThat(Math.abs(extended.get(i)[0] - extended.get(i - 1)[0])).as("step " + i).isLessThanOrEqualTo(largestOldStep);
        }
        // ... to the end value the 4-epoch run had (the last step trains at the lr one step before the end).
        double oldLast = original.get(original.size() - 1)[0];
        double newLast = extended.get(extended.size() - 1)[0];
        assertThat(Math.abs(newLast - oldLast)).isLessThanOrEqualTo(Math.abs(original.get(original.size() - 2)[0] - oldLast));
    }

    @Test
    void aScheduleThatDoesNotMentionTheRunLength_resumesUnchanged(@TempDir Path dir) {
        String spec = "StepLR(step_size=20, gamma=0.5)";
        List<double[]> straight = new ArrayList<>();
        run(spec, 8, dir.resolve("s"), straight).fit();
        List<double[]> original = new ArrayList<>();
        run(spec, 4, dir.resolve("a"), original).fit();
        List<double[]> extended = new ArrayList<>();
        run(spec, 8, dir.resolve("b"), extended).resume(dir.resolve("a").resolve("epoch-00002.ckpt")).fit();
        long perEpoch = straight.size() / 8;
        for (int i = 0; i < extended.size(); i++) {
            assertThat(extended.get(i)[0]).isEqualTo(straight.get((int) (2 * perEpoch) + i)[0]);
        }
    }

    @Test
    void aRetargetedRun_resumesAgainExactly_andRefusesAThirdLength(@TempDir Path dir) {
        String spec = "CosineAnnealingLR(T_max=total_steps)";
        run(spec, 4, dir.resolve("a"), new ArrayList<>()).fit();
        List<double[]> extended = new ArrayList<>();
        run(spec, 8, dir.resolve("b"), extended).resume(dir.resolve("a").resolve("epoch-00002.ckpt")).fit();
        List<double[]> again = new ArrayList<>();
        run(spec, 8, dir.resolve("c"), again).resume(dir.resolve("b").resolve("epoch-00005.ckpt")).fit();
        long perEpoch = extended.size() / 6;
        for (int i = 0; i < again.size(); i++) {
            assertThat(again.get(i)[0]).isEqualTo(extended.get((int) (3 * perEpoch) + i)[0]);
        }
        TrainingLoop third = run(spec, 12, dir.resolve("d"), new ArrayList<>()).resume(dir.resolve("b").resolve("epoch-00005.ckpt"));
        assertThatThrownBy(third::fit).hasMessageContaining("comes from a run already given a new length (8 epochs); resume it"
                + " with that --epochs");
    }

    /** A run with a constant lr and the weight-decay schedule {@code spec}, recording the weight decay after every step. */
    private TrainingLoop weightDecayRun(String spec, int epochs, Path checkpoints, List<Double> decay) {
        return loop(epochs, checkpoints, Map.of("lr", 0.1, "momentum", 0.9, "weight_decay", 0.01),
                (opt, vars) -> io.github.lr4j.optim.HyperParameterSchedule.of(opt, "weight_decay", spec, vars),
                opt -> decay.add(opt.group(0).get("weight_decay")));
    }

    @Test
    void aWeightDecaySchedule_takesTheNewLengthToo_withoutAJump_andResumesAgainExactly(@TempDir Path dir) {
        String spec = "CosineAnnealingLR(T_max=total_steps, eta_min=0.001)";
        List<Double> original = new ArrayList<>();
        weightDecayRun(spec, 4, dir.resolve("a"), original).fit();
        int perEpoch = original.size() / 4;
        List<Double> extended = new ArrayList<>();
        weightDecayRun(spec, 8, dir.resolve("b"), extended).resume(dir.resolve("a").resolve("epoch-00002.ckpt")).fit();
        assertThat(extended).hasSize(6 * perEpoch);
        double largestOldStep = 0;
        for (int i = 1; i < original.size(); i++) {
            largestOldStep = Math.max(largestOldStep, Math.abs(original.get(i) - original.get(i - 1)));
        }
        assertThat(Math.abs(extended.get(0) - original.get(2 * perEpoch - 1))).isLessThanOrEqualTo(largestOldStep);
        for (int i = 1; i < extended.size(); i++) {
            assertThat(Math.abs(extended.get(i) - extended.get(i - 1))).as("step " + i).isLessThanOrEqualTo(largestOldStep);
        }
        // Stretched, not cut: twice as many steps from the resume point to the same end value (eta_min).
        assertThat(extended.get(extended.size() - 1)).isCloseTo(original.get(original.size() - 1),
                org.assertj.core.api.Assertions.within(largestOldStep));
        assertThat(extended.get(2 * perEpoch)).isGreaterThan(original.get(3 * perEpoch));
        List<Double> again = new ArrayList<>();
        weightDecayRun(spec, 8, dir.resolve("c"), again).resume(dir.resolve("b").resolve("epoch-00005.ckpt")).fit();
        assertThat(again).isEqualTo(extended.subList(3 * perEpoch, extended.size()));
    }
}
