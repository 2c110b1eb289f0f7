package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Schedules of other hyper-parameters: ranges checked before anything is written, state, conflicts, clear errors. */
class HyperParameterScheduleTest {

    private static Optimizer adamW() {
        Optimizer opt = Optimizers.parse("AdamW(lr=1e-3, betas=(0.9, 0.9))");
        opt.addParamGroup(List.of(Parameter.zeros("w", 3)));
        opt.addParamGroup(List.of(Parameter.zeros("b", 2)), Map.of("betas", List.of(0.9, 0.4)));
        return opt;
    }

    @Test
    void aValueOutsideTheRange_failsTheStep_andChangesNothing() {
        Optimizer opt = adamW();
        HyperParameterSchedule beta2 = HyperParameterSchedule.of(opt, "beta2", "LambdaLR(lr_lambda=lambda e: 1 + e)", Map.of());
        SchedulerState before = beta2.state();
        assertThatThrownBy(() -> beta2.step(OptionalDouble.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("would set group 0's beta2 to 1.8 at step 1").hasMessageContaining("in [0, 1)")
                .hasMessageEndingWith("nothing was changed");
        assertThat(beta2.state()).isEqualTo(before);
        assertThat(opt.group(0).get("beta2")).isEqualTo(0.9);
        assertThat(opt.group(1).get("beta2")).isEqualTo(0.4);
    }

    @Test
    void aRetargetedSchedule_failingItsRangeCheck_alsoChangesNothing() {
        Optimizer opt = adamW();
        // Not an LrScheduler inside (Retargeted): the step is undone from a copy of its state.
        HyperParameterSchedule beta2 = HyperParameterSchedule.of(opt, "beta2", "LambdaLR(lr_lambda=lambda e: 1 + e)", Map.of())
                .retarget(10, 20);
        SchedulerState before = null;
        double[] values = null;
        IllegalStateException failure = null;
        for (int k = 0; k < 20 && failure == null; k++) {
            before = beta2.state();
            values = new double[] {opt.group(0).get("beta2"), opt.group(1).get("beta2")};
            try {
                beta2.step(OptionalDouble.empty());
            } catch (IllegalStateException e) {
                failure = e;
            }
        }
        assertThat(failure).isNotNull().hasMessageContaining("would set group 0's beta2").hasMessageEndingWith("nothing was changed");
        assertThat(beta2.state()).isEqualTo(before);
        assertThat(new double[] {opt.group(0).get("beta2"), opt.group(1).get("beta2")}).isEqualTo(values);
    }

    @Test
    void savedAndRestored_continuesExactly() {
        Optimizer a = adamW();
        HyperParameterSchedule wd = HyperParameterSchedule.of(a, "weight_decay", "CosineAnnealingLR(T_max=10, eta_min=0.001)", Map.of());
        for (int i = 0; i < 4; i++) {
            wd.step(OptionalDouble.empty());
        }
        Optimizer b = adamW();
        HyperParameterSchedule restored = HyperParameterSchedule.of(b, "weight_decay", "CosineAnnealingLR(T_max=10, eta_min=0.001)",
                Map.of());
        restored.loadState(SchedulerState.of(wd.state().toMap()));
        for (int i = 0; i < 6; i++) {
            assertThat(b.group(0).get("weight_decay")).isEqualTo(a.group(0).get("weight_decay"));
            assertThat(b.group(1).get("weight_decay")).isEqualTo(a.group(1).get("weight_decay"));
            wd.step(OptionalDouble.empty());
            restored.step(OptionalDouble.empty());
        }
        assertThat(a.lr(0)).isEqualTo(1e-3); // the lr is not touched
    }

    @Test
    void momentumCycledByOneCycle_isAConflict_andUnknownNamesListTheSchedulableOnes() {
        Optimizer opt = adamW();
        HyperParameterSchedule beta1 = HyperParameterSchedule.of(opt, "beta1", "ConstantLR(factor=0.9, total_iters=3)", Map.of());
        assertThat(beta1.conflictWith(ScheduleSpec.build("OneCycleLR(max_lr=0.01, total_steps=10)", opt)))
                .isEqualTo("a beta1 schedule cannot drive AdamW's beta1: OneCycleLR already cycles it (give it"
                        + " cycle_momentum=False, or drop the beta1 schedule)");
        assertThat(beta1.conflictWith(ScheduleSpec.build("StepLR(step_size=2)", opt))).isNull();
        assertThatThrownBy(() -> HyperParameterSchedule.of(opt, "momentum", "StepLR(step_size=2)", Map.of()))
                .hasMessageStartingWith("AdamW has no hyper-parameter momentum; it has lr, beta1, beta2, eps, weight_decay");
        assertThatThrownBy(() -> HyperParameterSchedule.of(opt, "amsgrad", "StepLR(step_size=2)", Map.of()))
                .hasMessageContaining("amsgrad cannot be scheduled: it is a True/False option; schedulable: beta1, beta2, eps,"
                        + " weight_decay");
    }
}
