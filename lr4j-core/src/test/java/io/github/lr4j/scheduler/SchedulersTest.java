package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulersTest {

    @Test
    void stepLR_zeroStepSize_failsNamingParameterRangeAndValue() {
        assertThatThrownBy(() -> Schedulers.stepLR(ParamGroups.of(0.1), 0, 0.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("step_size must be >= 1, got 0");
    }

    @Test
    void constantLR_factorAboveOne_fails() {
        assertThatThrownBy(() -> Schedulers.constantLR(ParamGroups.of(0.1), 1.5, 3))
                .hasMessage("factor must be in [0, 1], got 1.5");
    }

    @Test
    void exponentialLR_nanGamma_fails() {
        assertThatThrownBy(() -> Schedulers.exponentialLR(ParamGroups.of(0.1), Double.NaN))
                .hasMessage("gamma must be finite and > 0, got NaN");
    }

    @Test
    void oneCycle_wrongNumberOfMaxLrs_failsWithBothLengths() {
        assertThatThrownBy(() -> Schedulers.oneCycleLR(0.1, 0.2, 0.3).totalSteps(10).attach(ParamGroups.of(0.1, 0.2)))
                .hasMessage("max_lr must have 1 or 2 values (one per param group), got 3");
    }

    @Test
    void oneCycle_withoutLength_fails() {
        assertThatThrownBy(() -> Schedulers.oneCycleLR(0.1).attach(ParamGroups.of(0.1)))
                .hasMessage("OneCycleLR needs total_steps, or epochs and steps_per_epoch; got neither");
    }

    @Test
    void oneCycle_onAdagradLikeGroups_requiresCycleMomentumOff() {
        assertThatThrownBy(() -> Schedulers.oneCycleLR(0.1).totalSteps(10).attach(ParamGroups.of(0.1)))
                .hasMessageContaining("pass cycleMomentum(false)");
        LrScheduler s = Schedulers.oneCycleLR(0.1).totalSteps(10).cycleMomentum(false).attach(ParamGroups.of(0.1));
        assertThat(s.lastLr(0)).isCloseTo(0.004, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void oneCycle_steppedPastTotalSteps_failsWithStepCount_andChangesNothing() {
        ParamGroups g = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1}, new double[] {0.9});
        LrScheduler s = Schedulers.oneCycleLR(0.1).totalSteps(10).attach(g);
        for (int i = 0; i < 10; i++) {
            s.step(); // step 10 (== totalSteps) is allowed, as in PyTorch
        }
        SchedulerState before = s.state();
        double lr = g.lr(0);
        double momentum = g.momentum(0);
        assertThatThrownBy(s::step).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("OneCycleLR cannot go to step 11: total_steps is 10 and step 10 is the last one allowed"
                        + " (PyTorch raises \"Tried to step 12 times\")");
        assertThat(s.state()).isEqualTo(before);
        assertThat(g.lr(0)).isEqualTo(lr);
        assertThat(g.momentum(0)).isEqualTo(momentum);
    }

    @Test
    void oneCycleLinear_atTotalSteps_isClampedAtZero() {
        LrScheduler s = Schedulers.oneCycleLR(1.0).totalSteps(10).annealStrategy(AnnealStrategy.LINEAR).cycleMomentum(false)
                .attach(ParamGroups.of(0.1));
        assertThat(s.lrAt(10, 0)).isZero();
        assertThat(s.lrAt(9, 0)).isCloseTo(4e-6, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void constantLR_factorZero_restoresBaseLrWherePyTorchDividesByZero() {
        ParamGroups g = ParamGroups.of(0.1);
        LrScheduler s = Schedulers.constantLR(g, 0.0, 2);
        assertThat(g.lr(0)).isZero();
        s.step();
        assertThat(g.lr(0)).isZero();
        s.step();
        assertThat(g.lr(0)).isEqualTo(0.1);
    }

    @Test
    void linearLR_fromZero_warmsUpLinearly() {
        ParamGroups g = ParamGroups.of(1.0);
        LrScheduler s = Schedulers.linearLR(g, 0.0, 1.0, 4);
        double[] seen = new double[6];
        for (int i = 0; i < 6; i++) {
            seen[i] = g.lr(0);
            s.step();
        }
        assertThat(seen).containsExactly(0.0, 0.25, 0.5, 0.75, 1.0, 1.0);
    }

    @Test
    void cosineWarmRestarts_takesFractionalEpochs_andRejectsThemElsewhere() {
        ParamGroups g = ParamGroups.of(1.0);
        LrScheduler s = Schedulers.cosineAnnealingWarmRestarts(g, 2, 1, 0.0);
        s.step(0.5);
        assertThat(g.lr(0)).isEqualTo((1 + Math.cos(Math.PI * 0.25)) / 2);
        LrScheduler step = Schedulers.stepLR(ParamGroups.of(1.0), 2, 0.5);
        assertThatThrownBy(() -> step.step(1.5)).hasMessage("epoch must be a whole number for StepLR (only"
                + " CosineAnnealingWarmRestarts takes fractional epochs), got 1.5");
    }

    @Test
    void sequential_needsOneMilestoneFewerThanSchedulers() {
        ParamGroups g = ParamGroups.of(0.1);
        List<LrScheduler> parts = List.of(Schedulers.linearLR(g, 0.1, 1, 3), Schedulers.exponentialLR(g, 0.9));
        assertThatThrownBy(() -> Schedulers.sequentialLR(g, parts))
                .hasMessage("milestones must have 1 values (one fewer than the 2 schedulers), got 0");
        assertThatThrownBy(() -> Schedulers.sequentialLR(g, parts, 0))
                .hasMessage("milestones[0] must be >= 1, got 0");
    }

    @Test
    void sequential_ofSchedulersOnOtherGroups_fails() {
        ParamGroups g = ParamGroups.of(0.1);
        List<LrScheduler> parts = List.of(Schedulers.linearLR(g, 0.1, 1, 3), Schedulers.exponentialLR(ParamGroups.of(0.1), 0.9));
        assertThatThrownBy(() -> Schedulers.sequentialLR(g, parts, 3))
                .hasMessage("schedulers[1] (ExponentialLR) drives other param groups; every scheduler must be attached to the same groups");
    }

    @Test
    void plainJavaLambda_isReportedAsNotSaved() {
        LrScheduler s = Schedulers.lambdaLR(ParamGroups.of(0.1, 0.2), e -> 0.9);
        assertThat(s.state().notSaved()).hasSize(2).allMatch(m -> m.contains("has no state; rebuild the scheduler"));
    }

    @Test
    void lambdaWithState_isSavedAndRestored() {
        final class Scaled implements LrLambda {
            double scale = 1;

            @Override
            public double apply(long epoch) {
                return scale * epoch;
            }

            @Override
            public Map<String, Object> state() {
                return Map.of("scale", scale);
            }

            @Override
            public void loadState(Map<String, Object> state) {
                scale = ((Number) state.get("scale")).doubleValue();
            }
        }
        Scaled saving = new Scaled();
        saving.scale = 3;
        LrScheduler s = Schedulers.lambdaLR(ParamGroups.of(0.1), saving);
        s.step();
        Scaled loading = new Scaled();
        LrScheduler restored = Schedulers.lambdaLR(ParamGroups.of(0.1), loading);
        restored.loadState(s.state());
        assertThat(loading.scale).isEqualTo(3);
        assertThat(restored.state().notSaved()).isEmpty();
    }

    @Test
    void restoringWithOtherHyperParameters_failsAndSaysWhich() {
        LrScheduler a = Schedulers.stepLR(ParamGroups.of(0.1), 3, 0.5);
        LrScheduler b = Schedulers.stepLR(ParamGroups.of(0.1), 4, 0.5);
        assertThatThrownBy(() -> b.loadState(a.state())).hasMessage("cannot restore StepLR: the state was saved with"
                + " step_size=3 but this scheduler has step_size=4 (build the scheduler with the same arguments before restoring)");
    }

    @Test
    void plateau_reducesAfterPatience_andHonoursCooldownAndMinLr() {
        ParamGroups g = ParamGroups.of(1.0, 0.1);
        MetricScheduler s = Schedulers.reduceLROnPlateau().patience(1).cooldown(1).factor(0.5).minLr(0.3, 0.0).attach(g);
        double[] lrs = new double[8];
        for (int i = 0; i < 8; i++) {
            s.step(1.0);
            lrs[i] = g.lr(0);
        }
        // best=1 at call 1; bad epochs 1, 2 -> cut at call 3; cooldown swallows call 4; bad 1, 2 -> cut at 6 (to the floor 0.3).
        assertThat(lrs).containsExactly(1.0, 1.0, 0.5, 0.5, 0.5, 0.3, 0.3, 0.3);
        assertThat(g.lr(1)).isEqualTo(0.025);
    }

    @Test
    void plateau_badOptions_fail() {
        assertThatThrownBy(() -> Schedulers.reduceLROnPlateau().factor(1.0).attach(ParamGroups.of(0.1)))
                .hasMessage("factor must be in [0, 1), got 1");
        assertThatThrownBy(() -> ScheduleSpec.build("ReduceLROnPlateau(mode='maximum')", ParamGroups.of(0.1)))
                .hasMessage("column 24: ReduceLROnPlateau: mode must be 'min' or 'max', got 'maximum'");
        assertThatThrownBy(() -> ScheduleSpec.build("CyclicLR(base_lr=0.1, max_lr=1, mode='triangle')", ParamGroups.of(0.1)))
                .hasMessage("column 38: CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got 'triangle'");
    }

    @Test
    void paramGroups_needAtLeastOneGroup() {
        assertThatThrownBy(ParamGroups::of).hasMessage("lrs must have at least 1 value (one per param group), got none");
        assertThatThrownBy(() -> ParamGroups.of(-1)).hasMessage("lr[0] must be finite and >= 0, got -1");
    }

    @Test
    void lrAt_negativeStep_fails() {
        LrScheduler s = Schedulers.exponentialLR(ParamGroups.of(0.1), 0.9);
        assertThatThrownBy(() -> s.lrAt(-1, 0)).hasMessage("step must be >= 0, got -1");
    }

    @Test
    void customSchedule_smallClass_stepsSavesAndComposes() {
        final class WarmupInverseSqrt implements Schedule {
            @Override
            public double lr(long step, int group, double baseLr) {
                return step < 4 ? baseLr * (step + 1) / 4 : baseLr * Math.sqrt(4.0 / (step + 1));
            }

            @Override
            public String toString() {
                return "WarmupInverseSqrt";
            }
        }
        ParamGroups g = ParamGroups.of(0.1, 0.2);
        LrScheduler s = Schedulers.custom(g, new WarmupInverseSqrt());
        assertThat(g.lr(0)).isEqualTo(0.025);
        for (int i = 0; i < 8; i++) {
            s.step();
        }
        assertThat(g.lr(1)).isEqualTo(0.2 * Math.sqrt(4.0 / 9));
        assertThat(s.lrAt(8, 1)).isEqualTo(g.lr(1));

        ParamGroups fresh = ParamGroups.of(0.1, 0.2);
        LrScheduler restored = Schedulers.custom(fresh, new WarmupInverseSqrt());
        restored.loadState(s.state());
        restored.step();
        s.step();
        assertThat(fresh.lr(0)).isEqualTo(g.lr(0));

        ParamGroups chained = ParamGroups.of(1.0);
        LrScheduler chain = Schedulers.chainedScheduler(List.of(Schedulers.custom(chained, new WarmupInverseSqrt()),
                Schedulers.exponentialLR(chained, 0.5)));
        chain.step();
        assertThat(chained.lr(0)).isEqualTo(0.5 * 0.5);
        assertThat(chain.lrAt(1, 0)).isEqualTo(0.25);
    }

    @Test
    void customSchedule_negativeLr_failsAtTheStepThatProducedIt() {
        ParamGroups g = ParamGroups.of(0.1);
        LrScheduler s = Schedulers.custom(g, (step, group, base) -> base - 0.06 * step);
        s.step();
        SchedulerState before = s.state();
        assertThatThrownBy(s::step).isInstanceOf(IllegalStateException.class).hasMessageContaining("at step 2 (it must be finite and >= 0)");
        assertThat(s.state()).isEqualTo(before);
        assertThat(s.lastEpoch()).isEqualTo(1);
        assertThat(g.lr(0)).isEqualTo(0.1 - 0.06);
    }
}
