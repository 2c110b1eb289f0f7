package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.spec.SpecException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PiecewiseConstant replays a recorded lr per step: every group gets exactly the value given, whatever its base lr. */
class PiecewiseConstantTest {

    /** A random recorded lr per step, written as boundaries and values (a new piece wherever the lr changes). */
    private record Recorded(double[] perStep, String expression) { }

    private static Recorded record(Random random, int steps) {
        double[] perStep = new double[steps];
        double lr = 0.05 + random.nextDouble() * 0.2;
        List<Long> boundaries = new ArrayList<>();
        List<Double> values = new ArrayList<>(List.of(lr));
        for (int t = 0; t < steps; t++) {
            if (t > 0 && random.nextInt(4) == 0) {
                lr = random.nextDouble() * 0.3;
                boundaries.add((long) t);
                values.add(lr);
            }
            perStep[t] = lr;
        }
        String expr = "PiecewiseConstant(boundaries=[" + boundaries.stream().map(String::valueOf).collect(Collectors.joining(", "))
                + "], values=[" + values.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "])";
        return new Recorded(perStep, expr);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void stepping_givesTheRecordedValue_atEveryStep_inEveryGroup(long seed) {
        Recorded r = record(new Random(seed), 60);
        ParamGroups g = ParamGroups.of(0.7, 0.01);
        Scheduler s = ScheduleSpec.build(r.expression(), g);
        for (int t = 0; t < r.perStep().length; t++) {
            assertThat(g.lr(0)).as("group 0, step %d", t).isEqualTo(r.perStep()[t]);
            assertThat(g.lr(1)).as("group 1, step %d", t).isEqualTo(r.perStep()[t]);
            assertThat(s.lrAt(t, 0)).isEqualTo(r.perStep()[t]);
            s.step(OptionalDouble.empty());
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9})
    void state_savedMidway_restoresAndContinuesTheSame(long seed) {
        Random random = new Random(seed);
        Recorded r = record(random, 40);
        int k = 1 + random.nextInt(38);
        ParamGroups g = ParamGroups.of(0.3);
        Scheduler s = ScheduleSpec.build(r.expression(), g);
        for (int i = 0; i < k; i++) {
            s.step(OptionalDouble.empty());
        }
        SchedulerState saved = s.state();
        assertThat(saved.toMap()).containsEntry("type", "PiecewiseConstant");
        ParamGroups fresh = ParamGroups.of(0.3);
        Scheduler restored = ScheduleSpec.build(r.expression(), fresh);
        restored.loadState(saved);
        for (int t = k; t < 40; t++) {
            assertThat(fresh.lr(0)).as("step %d", t).isEqualTo(g.lr(0)).isEqualTo(r.perStep()[t]);
            s.step(OptionalDouble.empty());
            restored.step(OptionalDouble.empty());
        }
    }

    @Test
    void printsAsItParses() {
        Scheduler s = ScheduleSpec.build("PiecewiseConstant(boundaries=[3, 9], values=[0.1, 0.05, 0.0])", ParamGroups.of(0.2));
        Scheduler again = ScheduleSpec.build(s.toString(), ParamGroups.of(0.2));
        for (int t = 0; t < 12; t++) {
            assertThat(again.lrAt(t, 0)).isEqualTo(s.lrAt(t, 0));
        }
        assertThat(s.lrAt(2, 0)).isEqualTo(0.1);
        assertThat(s.lrAt(3, 0)).isEqualTo(0.05);
        assertThat(s.lrAt(9, 0)).isEqualTo(0.0);
    }

    @Test
    void badArguments_areRefused_namingTheParameterAndRange() {
        assertThatThrownBy(() -> ScheduleSpec.build("PiecewiseConstant(boundaries=[3], values=[0.1])", ParamGroups.of(0.1)))
                .isInstanceOf(SpecException.class).hasMessageContaining("values must have one more element than boundaries (2), got 1");
        assertThatThrownBy(() -> ScheduleSpec.build("PiecewiseConstant(boundaries=[3, 3], values=[0.1, 0.2, 0.3])", ParamGroups.of(0.1)))
                .hasMessageContaining("boundaries[1] must be >= 4 (increasing, from 1), got 3");
        assertThatThrownBy(() -> ScheduleSpec.build("PiecewiseConstant(boundaries=[3], values=[0.1, -0.2])", ParamGroups.of(0.1)))
                .hasMessageContaining("values[1] must be a finite lr >= 0, got -0.2");
    }
}
