package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A PyTorch state loaded into a scheduler of another type: PyTorch's load_state_dict (__dict__.update) takes any keys;
 * lr4j takes a subset of the scheduler's own keys (the rest keep their values, as in PyTorch) and refuses a key the
 * scheduler does not have, naming it, and changes nothing. The saved states are lr4j's own written in PyTorch's key
 * names, less lr4j's type markers, which is what PyTorch 2.x's state_dict() holds (PyTorch2GoldenTest compares them).
 */
class PyTorchStateTypeTest {

    private static Map<String, Object> pytorchState(String spec, int steps) {
        Scheduler s = ScheduleSpec.build(spec, ParamGroups.of(0.1, 0.01));
        for (int i = 0; i < steps; i++) {
            s.step(java.util.OptionalDouble.of(1.0));
        }
        Map<String, Object> out = new LinkedHashMap<>(s.state().toMap());
        out.remove("type");
        out.remove("version");
        return out;
    }

    @ParameterizedTest(name = "{0} into {1}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=3, gamma=0.5)           | ExponentialLR(gamma=0.5)              | step_size",
        "ExponentialLR(gamma=0.5)                 | PolynomialLR(total_iters=5)           | gamma",
        "CosineAnnealingLR(T_max=5)               | CosineAnnealingWarmRestarts(T_0=5)    | T_max",
        "ConstantLR(factor=0.5, total_iters=4)    | LinearLR(total_iters=4)               | factor",
        "ReduceLROnPlateau(patience=1)            | StepLR(step_size=3)                   | mode",
        "StepLR(step_size=3)                      | ReduceLROnPlateau(patience=1)         | step_size",
        "ChainedScheduler([StepLR(step_size=2), ExponentialLR(gamma=0.9)]) | ChainedScheduler([StepLR(step_size=2), ConstantLR(factor=0.5)]) | _schedulers[1].gamma"})
    void anotherSchedulersState_isRefusedNamingTheKey_andChangesNothing(String saver, String loader, String key) {
        Map<String, Object> saved = pytorchState(saver, 4);
        ParamGroups groups = ParamGroups.of(0.1, 0.01);
        Scheduler target = ScheduleSpec.build(loader, groups);
        Map<String, Object> before = target.state().toMap();
        double lr0 = groups.lr(0);

        assertThatThrownBy(() -> target.loadState(SchedulerState.fromPyTorch(saved)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"" + key + "\"").hasMessageContaining("another scheduler");

        assertThat(target.state().toMap()).isEqualTo(before);
        assertThat(groups.lr(0)).isEqualTo(lr0);
    }

    /** PyTorch loads a subset of keys: what is there is restored, the rest keep the scheduler's values. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=3, gamma=0.5)",
        "CosineAnnealingLR(T_max=8, eta_min=0.001)",
        "ExponentialLR(gamma=0.9)"})
    void subsetOfOwnKeys_loadsAndContinues(String spec) {
        Map<String, Object> full = pytorchState(spec, 5);
        Map<String, Object> subset = new LinkedHashMap<>();
        for (String k : List.of("last_epoch", "_step_count", "_last_lr", "base_lrs")) {
            subset.put(k, full.get(k));
        }
        ParamGroups reference = ParamGroups.of(0.1, 0.01);
        Scheduler continued = ScheduleSpec.build(spec, reference);
        for (int i = 0; i < 5; i++) {
            continued.step(java.util.OptionalDouble.empty());
        }
        ParamGroups groups = ParamGroups.of(0.1, 0.01);
        Scheduler loaded = ScheduleSpec.build(spec, groups);

        loaded.loadState(SchedulerState.fromPyTorch(subset));

        for (int i = 0; i < 6; i++) {
            assertThat(groups.lr(0)).as("step " + (5 + i)).isEqualTo(reference.lr(0));
            assertThat(groups.lr(1)).as("step " + (5 + i)).isEqualTo(reference.lr(1));
            continued.step(java.util.OptionalDouble.empty());
            loaded.step(java.util.OptionalDouble.empty());
        }
    }
}
