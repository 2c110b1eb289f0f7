package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DJL listener resumed by a run of another length: the schedule's horizon follows, the lr does not jump. */
class DjlRetargetTest {
    static final int PER_EPOCH = 10;

    record Run(DjlParamGroups groups, Lr4jTrainingListener listener) {
        /** A listener for {@code epochs} epochs with {@code spec} (may use total_steps) stepped per update. */
        static Run of(String spec, int epochs) {
            DjlParamGroups groups = DjlParamGroups.single(0.1, MomentumKind.MOMENTUM, 0.9);
            TrainingLoop.ForRunLength build = e -> ScheduleSpec.build(spec, groups, Map.of("total_steps", (long) PER_EPOCH * e));
            Lr4jTrainingListener listener = new Lr4jTrainingListener().runLength(epochs, PER_EPOCH)
                    .scheduler(build.build(epochs), Interval.STEP, 1, build);
            return new Run(groups, listener);
        }

        /** The lr each update of {@code epochs} epochs uses (DJL's callback order: batch, update, ..., epoch end). */
        List<Double> train(int epochs) {
            List<Double> lrs = new ArrayList<>();
            for (int e = 0; e < epochs; e++) {
                for (int b = 0; b < PER_EPOCH; b++) {
                    listener.onTrainingBatch(null, null);
                    lrs.add(groups.lr(0));
                }
                listener.onEpoch(null);
            }
            return lrs;
        }
    }

    @Test
    void aStateSavedByAShorterRun_isStretchedToTheNewEnd_withoutAJump_andResumesAgainExactly() {
        String spec = "OneCycleLR(max_lr=0.5, total_steps=total_steps)";
        Run short4 = Run.of(spec, 4);
        List<Double> original = new ArrayList<>(short4.train(2));
        Map<String, Object> atEpoch2 = short4.listener().state();
        original.addAll(short4.train(2));

        Run long8 = Run.of(spec, 8);
        long8.listener().loadState(atEpoch2);
        List<Double> extended = new ArrayList<>(long8.train(3));
        Map<String, Object> atEpoch5 = long8.listener().state();
        extended.addAll(long8.train(3));
        assertThat(extended).hasSize(6 * PER_EPOCH);
        double largestOldStep = 0;
        for (int i = 1; i < original.size(); i++) {
            largestOldStep = Math.max(largestOldStep, Math.abs(original.get(i) - original.get(i - 1)));
        }
        assertThat(Math.abs(extended.get(0) - original.get(2 * PER_EPOCH - 1))).isLessThanOrEqualTo(largestOldStep);
        for (int i = 1; i < extended.size(); i++) {
            assertThat(Math.abs(extended.get(i) - extended.get(i - 1))).as("update " + i).isLessThanOrEqualTo(largestOldStep);
        }
        assertThat(extended.get(extended.size() - 1)).isCloseTo(original.get(original.size() - 1), within(largestOldStep));

        // The retargeted run saved and resumed again (same length): exactly the same lrs.
        Run again = Run.of(spec, 8);
        again.listener().loadState(atEpoch5);
        assertThat(again.train(3)).isEqualTo(extended.subList(3 * PER_EPOCH, extended.size()));
        // A third length, and another batch size, are refused; nothing changes.
        Run third = Run.of(spec, 12);
        double lrBefore = third.groups().lr(0);
        assertThatThrownBy(() -> third.listener().loadState(atEpoch5)).hasMessageContaining("already given a new length (8 epochs)");
        assertThat(third.groups().lr(0)).isEqualTo(lrBefore);
        Lr4jTrainingListener otherBatch = Run.of(spec, 8).listener().runLength(8, PER_EPOCH + 1);
        assertThatThrownBy(() -> otherBatch.loadState(atEpoch2)).hasMessage("the state was written by a run of 10 updates per"
                + " epoch, this one has 11; resume with the same data and batch size");
    }

    @Test
    void aScheduleThatDoesNotDependOnTheLength_resumesUnchanged() {
        String spec = "StepLR(step_size=7, gamma=0.5)";
        Run straight = Run.of(spec, 6);
        List<Double> all = straight.train(6);
        Run first = Run.of(spec, 3);
        first.train(2);
        Run resumed = Run.of(spec, 6);
        resumed.listener().loadState(first.listener().state());
        assertThat(resumed.train(4)).isEqualTo(all.subList(2 * PER_EPOCH, all.size()));
    }
}
