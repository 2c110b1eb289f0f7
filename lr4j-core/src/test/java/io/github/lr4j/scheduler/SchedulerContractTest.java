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
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
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

    /** name, expression, steps to run. */
    static Stream<Arguments> schedulers() {
        return Stream.of(
            Arguments.of("LambdaLR(lr_lambda=lambda e: 0.97 ** e)", 40),
            Arguments.of("LambdaLR([lambda e: 1 / (e + 1), lambda e: 0.5 if e > 4 else 1.0, lambda e: 1.0])", 30),
            Arguments.of("MultiplicativeLR(lr_lambda=lambda e: 0.95)", 30),
            Arguments.of("StepLR(step_size=3, gamma=0.5)", 30),
            Arguments.of("MultiStepLR(milestones=[3, 3, 7, 12], gamma=0.3)", 30),
            Arguments.of("ConstantLR(factor=0.25, total_iters=4)", 20),
            Arguments.of("ConstantLR(factor=0.0, total_iters=4)", 20),
            Arguments.of("LinearLR(start_factor=0.1, end_factor=1.0, total_iters=8)", 20),
            Arguments.of("LinearLR(start_factor=0.0, end_factor=1.0, total_iters=5)", 20),
            Arguments.of("LinearLR(start_factor=1.0, end_factor=0.05, total_iters=10)", 20),
            Arguments.of("ExponentialLR(gamma=0.9)", 40),
            Arguments.of("PolynomialLR(total_iters=10, power=2.0)", 20),
            Arguments.of("CosineAnnealingLR(T_max=10, eta_min=0.001)", 45),
            Arguments.of("CosineAnnealingLR(T_max=7)", 45),
            Arguments.of("CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.0001)", 60),
            Arguments.of("CosineAnnealingWarmRestarts(T_0=5)", 40),
            Arguments.of("CyclicLR(base_lr=0.001, max_lr=[0.01, 0.02, 0.03], step_size_up=4, step_size_down=3, mode='triangular2')", 40),
            Arguments.of("CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=5, mode='exp_range', gamma=0.95)", 40),
            Arguments.of("CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2, scale_fn=lambda x: 1 / x, scale_mode='cycle')", 30),
            Arguments.of("OneCycleLR(max_lr=[0.3, 0.2, 0.1], total_steps=30)", 30),
            Arguments.of("OneCycleLR(max_lr=0.1, epochs=4, steps_per_epoch=6, anneal_strategy='linear', three_phase=True)", 23),
            Arguments.of("SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=20)], milestones=[5])", 40),
            Arguments.of("SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9), StepLR(step_size=2)], milestones=[3, 9])", 30),
            Arguments.of("SequentialLR(schedulers=[StepLR(step_size=2, gamma=0.5), MultiplicativeLR(lr_lambda=lambda e: 0.9)], milestones=[5])", 20),
            Arguments.of("ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])", 30),
            Arguments.of("ChainedScheduler([CosineAnnealingLR(T_max=6, eta_min=0.001), ExponentialLR(gamma=0.95)])", 30),
            Arguments.of("ChainedScheduler([OneCycleLR(max_lr=0.1, total_steps=30), ExponentialLR(gamma=0.95)])", 29));
    }

    static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05, 0.01}, new double[] {0.9, 0.8, 0.0});
    }

    static LrScheduler build(String spec, ParamGroups groups) {
        return (LrScheduler) ScheduleSpec.build(spec, groups);
    }

    /** lr and momentum of every group after construction and after each of {@code steps} steps. */
    static List<double[]> run(String spec, int steps) {
        ParamGroups g = groups();
        LrScheduler s = build(spec, g);
        List<double[]> out = new ArrayList<>();
        out.add(snapshot(g));
        for (int i = 0; i < steps; i++) {
            s.step();
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
            LrScheduler s = build(spec, g);
            for (int i = 0; i < k; i++) {
                s.step();
            }
            SchedulerState saved = throughJson(s.state());
            ParamGroups fresh = groups();
            LrScheduler restored = build(spec, fresh);
            restored.loadState(saved);
            assertThat(snapshot(fresh)).as("after restoring at step " + k).containsExactly(expected.get(k));
            for (int i = k; i < steps; i++) {
                restored.step();
                assertThat(snapshot(fresh)).as("step " + (i + 1) + " after restoring at " + k).containsExactly(expected.get(i + 1));
            }
            assertThat(restored.state()).isEqualTo(stateAfter(spec, steps));
        }
    }

    private static SchedulerState stateAfter(String spec, int steps) {
        LrScheduler s = build(spec, groups());
        for (int i = 0; i < steps; i++) {
            s.step();
        }
        return s.state();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void randomAccess_equalsStepping(String spec, int steps) {
        List<double[]> stepped = run(spec, steps);
        LrScheduler s = build(spec, groups());
        int n = s.groups().size();
        for (int t = 0; t <= steps; t++) {
            for (int g = 0; g < n; g++) {
                double want = stepped.get(t)[g];
                double got = s.lrAt(t, g);
                assertThat(Math.abs(got - want)).as(spec + " lrAt(" + t + ", " + g + ") = " + got + ", stepping gave " + want)
                        .isLessThanOrEqualTo(1e-12 * Math.abs(want) + 1e-16);
            }
        }
        assertThat(s.lastEpoch()).as("lrAt must not step").isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    void randomAccess_isFiniteAndNonNegativeFarOut(String spec, int steps) {
        LrScheduler s = build(spec, groups());
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
                            .hasMessageContaining("OneCycleLR cannot go to step " + step);
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
        LrScheduler original = build(spec, groups());
        String printed = original.toString();
        assertThat(run(printed, steps)).as(printed).usingRecursiveComparison().isEqualTo(run(spec, steps));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schedulers")
    @SuppressWarnings("unchecked")
    void jsonSpec_roundTripsThroughJson_toTheSameSchedule(String spec, int steps) throws Exception {
        LrScheduler original = build(spec, groups());
        String json = JSON.writeValueAsString(plain(original.spec()));
        Map<String, Object> parsed = JSON.readValue(json, Map.class);
        ParamGroups g = groups();
        LrScheduler rebuilt = (LrScheduler) ScheduleSpec.build(parsed, g);
        List<double[]> got = new ArrayList<>();
        got.add(snapshot(g));
        for (int i = 0; i < steps; i++) {
            rebuilt.step();
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
        LrScheduler s = build(spec, g);
        for (int i = 0; i < steps / 2; i++) {
            s.step();
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
