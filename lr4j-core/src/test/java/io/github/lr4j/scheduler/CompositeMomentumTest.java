package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** momentumAt of composites equals the momentum stepping leaves in the groups, before, during and after the cycling piece. */
class CompositeMomentumTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SequentialLR(schedulers=[OneCycleLR(max_lr=0.1, total_steps=30), ConstantLR(factor=0.5, total_iters=3)], milestones=[15])",
        "SequentialLR(schedulers=[ExponentialLR(gamma=0.9), CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=3), StepLR(step_size=2)],"
            + " milestones=[4, 12])",
        "ChainedScheduler([CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=3), ExponentialLR(gamma=0.9)])"})
    void momentumAt_equalsStepping(String spec) {
        ParamGroups g = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05}, new double[] {0.9, 0.5});
        Scheduler s = ScheduleSpec.build(spec, g);
        ParamGroups fresh = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05}, new double[] {0.9, 0.5});
        Scheduler probe = ScheduleSpec.build(spec, fresh);
        assertThat(probe.changesMomentum()).isTrue();
        for (int t = 0; t <= 20; t++) {
            for (int group = 0; group < 2; group++) {
                assertThat(probe.momentumAt(t, group)).as(spec + " momentumAt(" + t + ", " + group + ")").isEqualTo(g.momentum(group));
            }
            s.step(OptionalDouble.empty());
        }
    }
}
