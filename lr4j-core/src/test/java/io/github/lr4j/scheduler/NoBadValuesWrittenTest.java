package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * lr4j never writes a non-finite or negative lr, or a non-finite momentum, into param groups (PyTorch
 * does, for each of these): the step that would fails with a message naming the scheduler, group,
 * step and value, and leaves the groups and the scheduler's state bit-identical.
 */
class NoBadValuesWrittenTest {

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05}, new double[] {0.9, 0.8});
    }

    /** Every group's lr, initial lr and momentum as raw bits. */
    private static long[] bits(ParamGroups g) {
        long[] out = new long[3 * g.size()];
        for (int i = 0; i < g.size(); i++) {
            out[3 * i] = Double.doubleToRawLongBits(g.lr(i));
            out[3 * i + 1] = Double.doubleToRawLongBits(g.initialLr(i));
            out[3 * i + 2] = Double.doubleToRawLongBits(g.momentum(i));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "OneCycleLR(max_lr=0.1, total_steps=10, pct_start=1) | 10 | OneCycleLR would set group 0's lr to NaN at step 10",
        "StepLR(step_size=3, gamma=1e308) | 6 | StepLR would set group 0's lr to Infinity at step 6",
        "MultiplicativeLR(lr_lambda=lambda e: -2) | 1 | MultiplicativeLR would set group 0's lr to -0.2 at step 1",
        "LambdaLR(lr_lambda=lambda e: 1 if e < 3 else -1) | 3 | LambdaLR would set group 0's lr to -0.1 at step 3",
        "ExponentialLR(gamma=1e200) | 2 | ExponentialLR would set group 0's lr to Infinity at step 2",
        "CyclicLR(base_lr=0.01, max_lr=0.1, mode='exp_range', gamma=10) | 309 | CyclicLR would set group 0's lr to Infinity at step 309",
        "ChainedScheduler([ConstantLR(factor=0.5, total_iters=3), StepLR(step_size=1, gamma=1e308)]) | 2 | StepLR would set group 0's lr to Infinity at step 2",
        "ChainedScheduler([SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9)], milestones=[2]), StepLR(step_size=1, gamma=1e308)]) | 3 | StepLR would set group 0's lr to Infinity at step 3",
        "SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ChainedScheduler([ExponentialLR(gamma=0.9), MultiplicativeLR(lr_lambda=lambda e: -1)])], milestones=[3]) | 3 | MultiplicativeLR would set group 0's lr to -0.1 at step 0",
    })
    void stepThatWouldWriteABadValue_failsAndChangesNothing(String spec, int failingStep, String message) {
        ParamGroups g = groups();
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, g);
        for (int t = 1; t < failingStep; t++) {
            s.step();
        }
        SchedulerState stateBefore = s.state();
        long[] groupsBefore = bits(g);
        long epochBefore = s.lastEpoch();
        double[] lastLrBefore = s.lastLrs();
        for (int attempt = 0; attempt < 2; attempt++) { // and again: the failed step left nothing half done
            assertThatThrownBy(s::step).isInstanceOf(IllegalStateException.class)
                    .hasMessage(message + "; lr4j never writes a non-finite or negative lr, so the step fails and nothing was changed");
            assertThat(s.state()).isEqualTo(stateBefore);
            assertThat(bits(g)).containsExactly(groupsBefore);
            assertThat(s.lastEpoch()).isEqualTo(epochBefore);
            assertThat(s.lastLrs()).containsExactly(lastLrBefore);
        }
    }

    @Test
    void lambdaReturningMinusOne_failsAtConstruction_withTheStepAndValue() {
        assertThatThrownBy(() -> ScheduleSpec.build("LambdaLR(lr_lambda=lambda e: -1)", groups()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LambdaLR would set group 0's lr to -0.1 at step 0");
    }

    @Test
    void customScheduleGivingNaNMomentum_fails() {
        Schedule nanMomentum = new Schedule() {
            @Override
            public double lr(long step, int group, double baseLr) {
                return baseLr;
            }

            @Override
            public double momentum(long step, int group) {
                return step < 2 ? 0.9 : Double.NaN;
            }

            @Override
            public boolean changesMomentum() {
                return true;
            }
        };
        ParamGroups g = groups();
        LrScheduler s = Schedulers.custom(g, nanMomentum);
        s.step();
        long[] before = bits(g);
        assertThatThrownBy(s::step).isInstanceOf(IllegalStateException.class)
                .hasMessage("CustomScheduler would set group 0's momentum to NaN at step 2; lr4j never writes a non-finite"
                        + " momentum, so the step fails and nothing was changed");
        assertThat(bits(g)).containsExactly(before);
    }
}
