package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Restores and setters that used to accept garbage, or to change state when they refused it (issue 22, round 3). */
class HostileRestoreTest {

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.01}, new double[] {0.9, 0.0});
    }

    private static Scheduler stepped(String spec, int steps) {
        Scheduler s = ScheduleSpec.build(spec, groups());
        for (int i = 0; i < steps; i++) {
            s.step(OptionalDouble.of(i < 3 ? 1.0 / (i + 1) : 0.5));
        }
        return s;
    }

    private static long[] bits(ParamGroups g) {
        long[] out = new long[2 * g.size()];
        for (int i = 0; i < g.size(); i++) {
            out[2 * i] = Double.doubleToRawLongBits(g.lr(i));
            out[2 * i + 1] = Double.doubleToRawLongBits(g.momentum(i));
        }
        return out;
    }

    /** Loads {@code state} into {@code s}; it must be refused with a message containing {@code message}, changing nothing. */
    private static void assertRefused(Scheduler s, Map<String, Object> state, String message) {
        SchedulerState before = s.state();
        long[] groupsBefore = bits(s.groups());
        assertThatThrownBy(() -> s.loadState(SchedulerState.of(state))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThat(bits(s.groups())).as("groups after the refusal").containsExactly(groupsBefore);
        assertThat(s.state()).as("state() after the refusal").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=3), ReduceLROnPlateau(patience=1, factor=0.5)],"
                + " milestones=[3])",
        "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=3), PlateauLRScheduler(patience_t=1,"
                + " decay_rate=0.5)], milestones=[3])",
        "PerGroup(schedulers=[SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=3),"
                + " ReduceLROnPlateau(patience=1, factor=0.5)], milestones=[3]), StepLR(step_size=2)])"})
    @SuppressWarnings("unchecked")
    void sequentialToMetric_pastTheMilestone_badPlateauState_isRefusedAndChangesNothing(String spec) {
        Scheduler s = stepped(spec, 9);
        Map<String, Object> state = s.state().toMap();
        Map<String, Object> seq = spec.startsWith("PerGroup")
                ? (Map<String, Object>) ((List<Object>) state.get("_schedulers")).get(0) : state;
        ((Map<String, Object>) seq.get("_metric_driven")).put("best", "not a number");
        assertRefused(s, state, "\"best\" must be a number");
    }

    @Test
    void reduceLROnPlateau_bestNaN_orGarbageModeWorse_isRefused() {
        Scheduler s = stepped("ReduceLROnPlateau(patience=1)", 5);
        Map<String, Object> nan = s.state().toMap();
        nan.put("best", "nan");
        assertRefused(s, nan, "\"best\" must be a number (not NaN; inf before the first metric), got \"nan\"");
        Map<String, Object> worse = s.state().toMap();
        worse.put("mode_worse", 3.5);
        assertRefused(s, worse, "the state was saved with mode_worse=3.5 but this scheduler has mode_worse=Infinity");
    }

    @Test
    void timmPlateau_bestNaN_isRefused() {
        Scheduler s = stepped("PlateauLRScheduler(patience_t=1)", 5);
        Map<String, Object> nan = s.state().toMap();
        nan.put("best", Double.NaN);
        assertRefused(s, nan, "\"best\" must be a number (not NaN)");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lambdaLR_stateOfAnotherLambda_isRefused() {
        Scheduler s = stepped("LambdaLR(lr_lambda=lambda e: 0.9 ** e)", 4);
        Map<String, Object> other = stepped("LambdaLR(lr_lambda=lambda e: 0.5 ** e)", 4).state().toMap();
        assertRefused(s, other, "lr_lambdas[0]: the state was saved from the function 'lambda e: 0.5 ** e' but this"
                + " scheduler has 'lambda e: 0.9 ** e'");
        Map<String, Object> missing = s.state().toMap();
        ((List<Object>) missing.get("lr_lambdas")).set(0, null);
        assertRefused(s, missing, "\"lr_lambdas\" must be a list holding the state of lr_lambdas[0]");
    }

    @Test
    void cyclicLR_otherCustomScaleFn_isRefused() {
        String spec = "CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2, scale_fn=lambda x: 1 / x, scale_mode='cycle')";
        Scheduler s = stepped(spec, 3);
        Map<String, Object> other = s.state().toMap();
        other.put("_scale_fn_custom", "lambda x: 0.5");
        assertRefused(s, other, "saved with scale_fn=lambda x: 0.5 but this scheduler has scale_fn=lambda x: 1 / x");
        Map<String, Object> garbage = s.state().toMap();
        garbage.put("_scale_fn_custom", 7);
        assertRefused(s, garbage, "\"_scale_fn_custom\" must be the text of this CyclicLR's scale_fn, got 7");
        Scheduler plain = stepped("CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2)", 3);
        Map<String, Object> custom = plain.state().toMap();
        custom.put("_scale_fn_custom", "lambda x: 1 / x");
        assertRefused(plain, custom, "\"_scale_fn_custom\" must be null (this CyclicLR has no scale_fn)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"SWALR(swa_lr=-0.0, anneal_epochs=2)", "LambdaLR(lr_lambda=lambda e: -0.0)",
        "LambdaLR(lr_lambda=lambda e: 0.0 * -1)", "MultiplicativeLR(lr_lambda=lambda e: -0.0)"})
    void minusZero_isWrittenAsPlusZero(String spec) {
        Scheduler s = ScheduleSpec.build(spec, groups());
        for (int i = 0; i < 4; i++) {
            s.step(OptionalDouble.empty());
        }
        for (int g = 0; g < 2; g++) {
            assertThat(Double.doubleToRawLongBits(s.groups().lr(g))).as(spec + " group " + g).isEqualTo(0L);
            assertThat(Double.doubleToRawLongBits(s.lastLr(g))).as(spec + " lastLr " + g).isEqualTo(0L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -1e-300})
    void paramGroupSetters_refuseNonFiniteOrNegative_andChangeNothing(double bad) {
        ParamGroups g = groups();
        assertThatThrownBy(() -> g.setLr(0, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("lr of group 0 must be finite and >= 0, got ");
        assertThatThrownBy(() -> g.setInitialLr(0, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("initial lr of group 0 must be finite and >= 0, got ");
        if (!(bad > Double.NEGATIVE_INFINITY && bad < 0)) {
            assertThatThrownBy(() -> g.setMomentum(0, bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("momentum of group 0 must be finite, got ");
        }
        ParamGroups plain = ParamGroups.of(0.1);
        assertThatThrownBy(() -> plain.setLr(0, bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(g.lr(0)).isEqualTo(0.1);
        assertThat(g.initialLr(0)).isNaN();
        assertThat(g.momentum(0)).isEqualTo(0.9);
        assertThat(plain.lr(0)).isEqualTo(0.1);
    }

    @Test
    void paramGroups_setLrMinusZero_storesPlusZero() {
        ParamGroups g = ParamGroups.of(0.1);
        g.setLr(0, -0.0);
        g.setInitialLr(0, -0.0);
        assertThat(Double.doubleToRawLongBits(g.lr(0))).isZero();
        assertThat(Double.doubleToRawLongBits(g.initialLr(0))).isZero();
    }
}
