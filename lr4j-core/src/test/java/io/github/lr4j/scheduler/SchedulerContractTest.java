package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One contract, run over every time-based scheduler (PyTorch's parametrized state-dict tests, in
 * the style of Caffeine's cache specs): state round trips at random points continue exactly, random
 * access equals stepping, values stay finite and non-negative far out, printing parses back.
 */
class SchedulerContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every example configuration of every registered scheduler type: expression, steps to run. */
    static Stream<Arguments> schedulers() {
        return SchedulerTypes.all().stream().flatMap(t -> t.examples().stream())
                .map(e -> Arguments.of(e.expression(), e.steps()));
    }

    @Test
    void everyTypeWithoutExamples_isMetricDriven() {
        for (SchedulerType t : SchedulerTypes.all()) {
            if (t.examples().isEmpty()) {
                assertThat(ScheduleSpec.build(t.name() + "()", groups()).drivenByMetric()).as(t.name()).isTrue();
            }
        }
        assertThat(schedulers().count()).isGreaterThanOrEqualTo(27);
    }

    static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05, 0.01}, new double[] {0.9, 0.8, 0.0});
    }

    /** Every time-based type, composites and PerGroup included: through the one stepping verb. */
    static Scheduler build(String spec, ParamGroups groups) {
        return ScheduleSpec.build(spec, groups);
    }

    /** lr and momentum of every group after construction and after each of {@code steps} steps. */
    static List<double[]> run(String spec, int steps) {
        ParamGroups g = groups();
        Scheduler s = build(spec, g);
        List<double[]> out = new ArrayList<>();
        out.add(snapshot(g));
        for (int i = 0; i < steps; i++) {
            s.step(OptionalDouble.empty());
            out.add(snapshot(g));
        }
        return out;
    }

    static double[] snapshot(ParamGroups g) {
        double[] v = new double[2 * g.size()];
        for (int i = 0; i < g.size(); i++) {
            v[i] = g.lr(i);
            v[g.size() + i] = g.momentum(i);
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    static SchedulerState throughJson(SchedulerState state) throws Exception {
        return SchedulerState.of(JSON.readValue(JSON.writeValueAsString(state.asMap()), Map.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void restoredAtRandomPoints_continuesExactly(String spec, int steps) throws Exception {
        List<double[]> expected = run(spec, steps);
        Random random = new Random(spec.hashCode());
        for (int trial = 0; trial < 4; trial++) {
            int k = random.nextInt(steps);
            ParamGroups g = groups();
            Scheduler s = build(spec, g);
            for (int i = 0; i < k; i++) {
                s.step(OptionalDouble.empty());
            }
            SchedulerState saved = throughJson(s.state());
            ParamGroups fresh = groups();
            Scheduler restored = build(spec, fresh);
            restored.loadState(saved);
            assertThat(snapshot(fresh)).as("after restoring at step " + k).containsExactly(expected.get(k));
            for (int i = k; i < steps; i++) {
                restored.step(OptionalDouble.empty());
                assertThat(snapshot(fresh)).as("step " + (i + 1) + " after restoring at " + k).containsExactly(expected.get(i + 1));
            }
            assertThat(restored.state()).isEqualTo(stateAfter(spec, steps));
        }
    }

    private static SchedulerState stateAfter(String spec, int steps) {
        Scheduler s = build(spec, groups());
        for (int i = 0; i < steps; i++) {
            s.step(OptionalDouble.empty());
        }
        return s.state();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void randomAccess_equalsStepping(String spec, int steps) {
        List<double[]> stepped = run(spec, steps);
        Scheduler s = build(spec, groups());
        SchedulerState before = s.state();
        int n = s.groups().size();
        for (int t = 0; t <= steps; t++) {
            for (int g = 0; g < n; g++) {
                double want = stepped.get(t)[g];
                double got = s.lrAt(t, g);
                assertThat(Math.abs(got - want)).as(spec + " lrAt(" + t + ", " + g + ") = " + got + ", stepping gave " + want)
                        .isLessThanOrEqualTo(1e-12 * Math.abs(want) + 1e-16);
                if (s.changesMomentum()) {
                    double wantMomentum = stepped.get(t)[n + g];
                    assertThat(s.momentumAt(t, g)).as(spec + " momentumAt(" + t + ", " + g + ")").isEqualTo(wantMomentum);
                }
            }
        }
        assertThat(s.state()).as("lrAt must not step").isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void randomAccess_isFiniteAndNonNegativeFarOut(String spec, int steps) {
        Scheduler s = build(spec, groups());
        Random random = new Random(42);
        // Random access replays these (documented O(t): no closed form exists), so they are probed less far.
        boolean replays = spec.contains("Multiplicative") || spec.startsWith("ChainedScheduler([Cosine");
        long[] probes = replays ? new long[] {0, 1, 999, 100_000, random.nextInt(100_000)}
                : new long[] {0, 1, 999, 1_000_000, 123_456_789, 1_000_000_000L, random.nextInt(1_000_000_000)};
        for (long t : probes) {
            for (int g = 0; g < s.groups().size(); g++) {
                if (spec.contains("OneCycleLR") && t > steps + 1) {
                    long step = t;
                    int group = g;
                    assertThatThrownBy(() -> s.lrAt(step, group)).isInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining("cannot go to step " + step).hasMessageContaining("OneCycleLR cannot go to step");
                    continue;
                }
                double v = s.lrAt(t, g);
                assertThat(v).as(spec + " lrAt(" + t + ")").isFinite().isGreaterThanOrEqualTo(0);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void toString_parsesBackToTheSameSchedule(String spec, int steps) {
        Scheduler original = build(spec, groups());
        String printed = original.toString();
        assertThat(run(printed, steps)).as(printed).usingRecursiveComparison().isEqualTo(run(spec, steps));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    @SuppressWarnings("unchecked")
    void jsonSpec_roundTripsThroughJson_toTheSameSchedule(String spec, int steps) throws Exception {
        Scheduler original = build(spec, groups());
        String json = JSON.writeValueAsString(plain(original.spec()));
        Map<String, Object> parsed = JSON.readValue(json, Map.class);
        ParamGroups g = groups();
        Scheduler rebuilt = ScheduleSpec.build(parsed, g);
        List<double[]> got = new ArrayList<>();
        got.add(snapshot(g));
        for (int i = 0; i < steps; i++) {
            rebuilt.step(OptionalDouble.empty());
            got.add(snapshot(g));
        }
        assertThat(got).as(json).usingRecursiveComparison().isEqualTo(run(spec, steps));
        assertThat(rebuilt.toString()).isEqualTo(original.toString());
    }

    /** What a JSON writer sees: functions as their source text. */
    private static Object plain(Object v) {
        if (v instanceof Map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(x -> out.add(plain(x)));
            return out;
        }
        return v instanceof LrLambda || v instanceof java.util.function.DoubleUnaryOperator ? String.valueOf(v) : v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void badStates_areRejected_andChangeNothing(String spec, int steps) throws Exception {
        ParamGroups g = groups();
        Scheduler s = build(spec, g);
        for (int i = 0; i < steps / 2; i++) {
            s.step(OptionalDouble.empty());
        }
        SchedulerState before = s.state();
        double[] groupsBefore = snapshot(g);
        Map<String, Object> good = before.toMap();

        Map<String, Object> otherType = new HashMap<>(good);
        otherType.put("type", "NoSuchLR");
        Map<String, Object> future = new HashMap<>(good);
        future.put("version", 99);
        Map<String, Object> malformed = new HashMap<>(good);
        malformed.put("_last_lr", "oops");
        Map<String, Object> deepMalformed = new HashMap<>(good);
        deepMalformed.put("last_epoch", 1.5);

        assertThatThrownBy(() -> s.loadState(SchedulerState.of(otherType))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot restore " + s.name() + " from the state of a NoSuchLR");
        assertThatThrownBy(() -> s.loadState(SchedulerState.of(future))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown version 99 of " + s.name() + " state, this lr4j supports versions 1 to 1");
        assertThatThrownBy(() -> s.loadState(SchedulerState.of(malformed))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"_last_lr\" must be");
        if (!s.name().equals("ChainedScheduler")) {
            assertThatThrownBy(() -> s.loadState(SchedulerState.of(deepMalformed))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("\"last_epoch\" must be an integer");
        }
        assertThat(s.state()).isEqualTo(before);
        assertThat(snapshot(g)).containsExactly(groupsBefore);
    }
}
