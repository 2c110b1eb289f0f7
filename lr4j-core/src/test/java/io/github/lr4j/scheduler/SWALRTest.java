package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.GoldenCases;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import org.junit.jupiter.api.Test;

/**
 * SWALR's own checks; its numbers are the golden cases in golden/swa (real PyTorch 1.13, replayed by GoldenTraceTest
 * through the language at 1e-12, state_dict included).
 */
class SWALRTest {

    @Test
    void everyGoldenCase_isThere() {
        assertThat(GoldenCases.files("swa")).hasSize(14);
    }

    @Test
    void restoredIntoAFreshOptimizer_lrAtStillAnnealsFromTheLrItStartedFrom() {
        ParamGroups groups = ParamGroups.of(0.1);
        groups.setLr(0, 0.04); // another scheduler left the group here before SWALR took over
        LrScheduler swa = Schedulers.swaLR(groups, new double[] {0.01}, 6, AnnealStrategy.COS);
        swa.step();
        swa.step();
        SchedulerState saved = swa.state();

        LrScheduler restored = Schedulers.swaLR(ParamGroups.of(0.1), new double[] {0.01}, 6, AnnealStrategy.COS);
        restored.loadState(saved);

        for (long t = 0; t <= 8; t++) {
            assertThat(restored.lrAt(t, 0)).as("lrAt(%d)", t).isCloseTo(swa.lrAt(t, 0), org.assertj.core.data.Offset.offset(1e-15));
        }
        assertThat(restored.lrAt(1, 0)).isLessThan(0.04);
    }

    @Test
    void badArguments_failNamingTheParameter() {
        ParamGroups two = ParamGroups.of(0.1, 0.2);
        assertThatThrownBy(() -> ScheduleSpec.build("SWALR(swa_lr=-0.1)", two)).hasMessageContaining("swa_lr")
                .hasMessageContaining(">= 0").hasMessageContaining("-0.1");
        assertThatThrownBy(() -> Schedulers.swaLR(two, new double[] {0.1, 0.2, 0.3}, 10, AnnealStrategy.COS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("swa_lr must have 1 or 2 values (one per param group), got 3");
        assertThatThrownBy(() -> Schedulers.swaLR(two, new double[] {0.1}, -1, AnnealStrategy.COS))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("anneal_epochs must be >= 0, got -1");
        assertThatThrownBy(() -> ScheduleSpec.build("SWALR(swa_lr=0.1, anneal_strategy='exp')", two))
                .hasMessageContaining("anneal_strategy").hasMessageContaining("'cos'").hasMessageContaining("exp");
    }

    @Test
    void restoringAnotherSwaLr_failsNamingIt() {
        LrScheduler a = Schedulers.swaLR(ParamGroups.of(0.1), new double[] {0.01}, 6, AnnealStrategy.COS);
        LrScheduler b = Schedulers.swaLR(ParamGroups.of(0.1), new double[] {0.02}, 6, AnnealStrategy.COS);
        assertThatThrownBy(() -> b.loadState(a.state())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("swa_lr=[0.01]");
    }
}
