package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A new horizon part way: for schedules whose end is the run's length, resumed at a random step and retargeted to a
 * random longer (or shorter) end. The lr does not jump, the new run ends where the old would have, random access
 * agrees with stepping, and a save/restore part way continues bit for bit.
 */
class RetargetTest {
    private static final long T = 60;

    /** Schedules sized to a {@value #T}-step run, as a run would write them with total_steps. */
    static Stream<Arguments> cases() {
        List<String> specs = List.of(
                "OneCycleLR(max_lr=0.5, total_steps=" + T + ")",
                "CosineAnnealingLR(T_max=" + T + ", eta_min=0.001)",
                "LinearLR(start_factor=1.0, end_factor=0.01, total_iters=" + T + ")",
                "PolynomialLR(total_iters=" + T + ", power=2.0)",
                "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=10), CosineAnnealingLR(T_max=" + (T - 10)
                        + ")], milestones=[10])",
                "get_cosine_schedule_with_warmup(num_warmup_steps=10, num_training_steps=" + T + ")",
                "CosineLRScheduler(t_initial=" + T + ", lr_min=0.001, warmup_t=5, warmup_lr_init=0.01, t_in_epochs=False)");
        Random random = new Random(20261128);
        List<Arguments> out = new ArrayList<>();
        for (String spec : specs) {
            for (int i = 0; i < 4; i++) {
                long from = 1 + random.nextInt((int) T - 1);
                long newEnd = from + 1 + random.nextInt((int) (3 * T - from));
                out.add(Arguments.of(spec, from, newEnd));
            }
        }
        return out.stream();
    }

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.02}, new double[] {0.9, 0.8});
    }

    private static LrScheduler stepped(String spec, ParamGroups groups, long steps) {
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, groups);
        for (long i = 0; i < steps; i++) {
            s.step();
        }
        return s;
    }

    @ParameterizedTest(name = "{0} from {1} to {2}")
    @MethodSource("cases")
    void lrIsContinuous_andEndsWhereTheOldRunWould(String spec, long from, long newEnd) {
        ParamGroups groups = groups();
        LrScheduler original = stepped(spec, groups, from);
        double[] atFrom = original.lastLrs();
        LrScheduler reference = stepped(spec, groups(), 0);
        Scheduler s = Schedulers.retarget(original, T, newEnd);
        assertThat(s.lastLrs()).containsExactly(atFrom);
        for (int g = 0; g < 2; g++) {
            assertThat(groups.lr(g)).isEqualTo(atFrom[g]);
        }
        List<double[]> lrs = new ArrayList<>();
        for (long t = from + 1; t <= newEnd; t++) {
            s.step(OptionalDouble.empty());
            lrs.add(new double[] {groups.lr(0), groups.lr(1)});
        }
        for (int g = 0; g < 2; g++) {
            // no jump: the first new step stays within the old schedule's own first step from here (when stretched)
            double first = lrs.get(0)[g];
            double oldNext = reference.lrAt(Math.min(from + 1, T), g);
            if (newEnd >= T) {
                assertThat(first).as("first step after the retarget, group " + g)
                        .isBetween(Math.min(atFrom[g], oldNext) - 1e-12, Math.max(atFrom[g], oldNext) + 1e-12);
            }
            double end = lrs.get(lrs.size() - 1)[g];
            double oldEnd = reference.lrAt(from >= T ? from : T, g);
            assertThat(Math.abs(end - oldEnd)).as("lr at the new end, group " + g).isLessThanOrEqualTo(1e-12 * Math.abs(oldEnd) + 1e-15);
            for (long t = from + 1; t <= newEnd; t++) {
                assertThat(s.lrAt(t, g)).as("lrAt(" + t + ") vs stepping").isEqualTo(lrs.get((int) (t - from - 1))[g]);
            }
        }
    }

    @ParameterizedTest(name = "{0} from {1} to {2}")
    @MethodSource("cases")
    void savedPartWay_restoresAndContinuesExactly(String spec, long from, long newEnd) {
        ParamGroups groups = groups();
        Scheduler s = Schedulers.retarget(stepped(spec, groups, from), T, newEnd);
        long half = (newEnd - from) / 2;
        for (long i = 0; i < half; i++) {
            s.step(OptionalDouble.empty());
        }
        Map<String, Object> saved = s.state().toMap();
        ParamGroups fresh = groups();
        Scheduler restored = Schedulers.restoreRetargeted(stepped(spec, fresh, 0), SchedulerState.of(saved));
        for (int g = 0; g < 2; g++) {
            assertThat(fresh.lr(g)).isEqualTo(groups.lr(g));
            assertThat(fresh.momentum(g)).isEqualTo(groups.momentum(g));
        }
        for (long i = half; i < newEnd - from; i++) {
            s.step(OptionalDouble.empty());
            restored.step(OptionalDouble.empty());
            for (int g = 0; g < 2; g++) {
                assertThat(fresh.lr(g)).isEqualTo(groups.lr(g));
                assertThat(fresh.momentum(g)).isEqualTo(groups.momentum(g));
            }
        }
    }

    @ParameterizedTest(name = "{0} from {1} to {2}")
    @MethodSource("cases")
    void aNewEndNotAfterTheStepsTaken_isRefused_andChangesNothing(String spec, long from, long newEnd) {
        ParamGroups groups = groups();
        LrScheduler original = stepped(spec, groups, from);
        SchedulerState before = original.state();
        assertThatThrownBy(() -> Schedulers.retarget(original, T, from)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the new total steps must be more than the " + from + " steps already taken, got " + from);
        assertThat(original.state()).isEqualTo(before);
    }
}
