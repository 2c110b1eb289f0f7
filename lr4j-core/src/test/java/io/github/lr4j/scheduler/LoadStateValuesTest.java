package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code loadState} checks the values, not only their types: a saved lr that is not finite and
 * >= 0, a momentum that is not finite or that the saved hyper-parameters cannot produce, a
 * {@code last_epoch} the scheduler cannot reach, each give one clear IllegalArgumentException and
 * change nothing.
 */
class LoadStateValuesTest {

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1}, new double[] {0.9});
    }

    private static long[] bits(ParamGroups g) {
        return new long[] {Double.doubleToRawLongBits(g.lr(0)), Double.doubleToRawLongBits(g.initialLr(0)),
            Double.doubleToRawLongBits(g.momentum(0))};
    }

    @ParameterizedTest(name = "{0}: {1}={2}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=3, gamma=0.5) | _last_lr | nan | cannot restore StepLR: \"_last_lr\" must be a list of finite learning rates >= 0, got [nan]",
        "StepLR(step_size=3, gamma=0.5) | _last_lr | inf | cannot restore StepLR: \"_last_lr\" must be a list of finite learning rates >= 0, got [inf]",
        "StepLR(step_size=3, gamma=0.5) | _last_lr | -1 | cannot restore StepLR: \"_last_lr\" must be a list of finite learning rates >= 0, got [-1.0]",
        "SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9)], milestones=[3]) | _last_lr | nan | cannot restore SequentialLR: \"_last_lr\" must be a list of finite learning rates >= 0, got [nan]",
        "ChainedScheduler([ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9)]) | _last_lr | -1 | cannot restore ChainedScheduler: \"_last_lr\" must be a list of finite learning rates >= 0, got [-1.0]",
        "OneCycleLR(max_lr=0.1, total_steps=10) | _last_momentum | nan | cannot restore OneCycleLR: \"_last_momentum\" must be a list of 1 finite numbers, got [nan]",
        "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=4) | _last_momentum | inf | cannot restore CyclicLR: \"_last_momentum\" must be a list of 1 finite numbers, got [inf]",
        "OneCycleLR(max_lr=0.1, total_steps=10) | _last_momentum | 5 | cannot restore OneCycleLR: \"_last_momentum\" must be what the saved hyper-parameters give at last_epoch=4 ([0.8688255099070633]), got [5.0]",
        "OneCycleLR(max_lr=0.1, total_steps=10) | last_epoch | 11 | cannot restore OneCycleLR: \"last_epoch\" must be an integer from -1 to 10 (the last step OneCycleLR can take), got 11",
    })
    void badValue_isRefused_andChangesNothing(String spec, String key, String value, String message) {
        ParamGroups g = groups();
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, g);
        for (int i = 0; i < 4; i++) {
            s.step();
        }
        Map<String, Object> state = s.state().toMap();
        Object bad = value.matches("-?[0-9.]+") ? (Object) Double.parseDouble(value) : value;
        state.put(key, key.equals("last_epoch") ? (Object) Long.parseLong(value) : List.of(bad));
        SchedulerState before = s.state();
        long[] groupsBefore = bits(g);

        assertThatThrownBy(() -> s.loadState(SchedulerState.of(state))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
        assertThat(s.state()).isEqualTo(before);
        assertThat(bits(g)).containsExactly(groupsBefore);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "OneCycleLR(max_lr=0.1, total_steps=10) | 10",
        "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=4, mode='exp_range', gamma=0.9) | 7",
        "OneCycleLR(max_lr=25, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear') | 6",
    })
    void momentumTheScheduleGives_isAccepted(String spec, int steps) {
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, groups());
        for (int i = 0; i < steps; i++) {
            s.step();
        }
        ParamGroups fresh = groups();
        LrScheduler restored = (LrScheduler) ScheduleSpec.build(spec, fresh);
        restored.loadState(s.state());
        assertThat(restored.state()).isEqualTo(s.state());
        assertThat(fresh.momentum(0)).isEqualTo(s.groups().momentum(0));
    }
}
