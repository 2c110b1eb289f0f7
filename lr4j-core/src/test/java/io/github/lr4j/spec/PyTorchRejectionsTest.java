package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The constructions PyTorch 1.13's TestLRScheduler expects to raise ValueError are refused by lr4j
 * too, with a message naming the parameter (the traces of its other scenarios are golden cases in
 * golden/pytorch-tests).
 */
class PyTorchRejectionsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "test_cycle_lr_invalid_mode | CyclicLR(base_lr=0, max_lr=0, mode='CATS') | CyclicLR: mode must be one of 'triangular', 'triangular2', 'exp_range', got 'CATS'",
        "test_onecycle_lr_invalid_anneal_strategy | OneCycleLR(max_lr=1e-3, total_steps=10, anneal_strategy='CATS') | OneCycleLR: anneal_strategy must be 'cos' or 'linear', got 'CATS'",
        "test_onecycle_lr_invalid_pct_start | OneCycleLR(max_lr=1e-3, total_steps=10, pct_start=1.1) | OneCycleLR: pct_start must be in [0, 1], got 1.1",
        "test_onecycle_lr_cannot_calculate_total_steps | OneCycleLR(max_lr=1e-3) | OneCycleLR() missing required argument: total_steps (or epochs and steps_per_epoch)",
    })
    void pytorchRejects_lr4jRejectsToo(String pytorchTest, String expression, String message) {
        ParamGroups groups = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.05, 0.5}, new double[] {0, 0});
        assertThatThrownBy(() -> ScheduleSpec.build(expression, groups)).as(pytorchTest)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }
}
