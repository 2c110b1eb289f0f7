package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.MetricScheduler;
import io.github.lr4j.scheduler.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzzing of the schedule language, text and JSON forms, through the public API: every input
 * either builds a scheduler whose every value over a bounded run is finite and >= 0 (momentum
 * finite), or fails with lr4j's own IllegalArgumentException (building) or IllegalStateException
 * (a step lr4j refuses) and a message of its own; nothing else escapes, and each input is answered
 * within a time bound. About 4,800 inputs per run (about 13 s on a busy 2-core machine).
 */
class SpecFuzzTest {
    private static final int STEPS = 60;
    /** A generous watchdog: a hang fails the test, a busy 2-core machine does not. */
    private static final Duration PER_INPUT = Duration.ofSeconds(120);

    static final List<String> VALID = List.of(
            "LambdaLR(lr_lambda=lambda e: 0.97 ** e)",
            "LambdaLR([lambda e: 1 / (e + 1), lambda e: 0.5 if e > 4 else 1.0])",
            "MultiplicativeLR(lr_lambda=lambda e: 0.95)",
            "StepLR(step_size=3, gamma=0.5)",
            "MultiStepLR(milestones=[3, 3, 7, 12], gamma=0.3)",
            "ConstantLR(factor=0.25, total_iters=4)",
            "LinearLR(start_factor=0.1, end_factor=1.0, total_iters=8)",
            "ExponentialLR(gamma=0.9)",
            "PolynomialLR(total_iters=10, power=2.0)",
            "CosineAnnealingLR(T_max=10, eta_min=0.001)",
            "CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.0001)",
            "CyclicLR(base_lr=0.001, max_lr=[0.01, 0.02], step_size_up=4, step_size_down=3, mode='triangular2')",
            "CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=5, mode='exp_range', gamma=0.95)",
            "CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2, scale_fn=lambda x: 1 / x, scale_mode='cycle')",
            "OneCycleLR(max_lr=[0.3, 0.2], total_steps=30)",
            "OneCycleLR(max_lr=0.1, epochs=4, steps_per_epoch=6, anneal_strategy='linear', three_phase=True)",
            "ReduceLROnPlateau(mode='max', factor=0.5, patience=2, cooldown=1, min_lr=[0.01, 0.0])",
            "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=20)], milestones=[5])",
            "ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])",
            "SequentialLR(schedulers=[ChainedScheduler([LinearLR(start_factor=0.2, total_iters=4), ExponentialLR(gamma=0.95)]),"
                    + " StepLR(step_size=2)], milestones=[6])");

    private static final String[] TOKENS = {"(", ")", "[", "]", ",", "=", "'", "\"", ":", "-", "+", "*", "**", "/", ".", " ",
        "0", "1", "-1", "1e308", "-1e308", "1e-320", "inf", "nan", "float('nan')", "float('inf')", "9223372036854775807",
        "99999999999999999999", "lambda e: ", "e", "x", "if", "else", "None", "True", "False", "optimizer", "math.pi",
        "StepLR", "OneCycleLR", "SequentialLR", "ChainedScheduler", "schedulers=", "milestones=", "gamma=", "T_max=",
        "total_steps=", "max_lr=", "base_momentum=", "mode=", "'exp_range'", "step_size=", "lr_lambda=", "\u00e9", "\0",
        "/ 0", "// 0", "% 0", "1__0", "10_", "010", "'m\\in'", "float('0x1p-1')", "float('0.5d')", ")(1)", "(1)", ".x",
        "optimizer=optimizer, ", "noise_range_t=0, noise_pct=1e-9, ", "1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+1+"};

    private static final Object[] EXTREME = {0, -1, 1, 0.0, -0.0, 1e308, -1e308, Double.MAX_VALUE, Double.MIN_VALUE,
        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE,
        9e15, 1e19, 0.5, 2, 1e-320, "nan", "inf", "", "x", "lambda e: -1", "lambda e: 1e308 ** e", "lambda e: e / 0",
        true, false, null, List.of(), List.of(1, "a"), Map.of(), Map.of("type", "StepLR"), List.of(List.of(1))};

    static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.01}, new double[] {0.9, 0.0});
    }

    /** Builds and runs one input; fails the test on anything but lr4j's own errors. */
    static void check(String what, Supplier<Scheduler> build) {
        assertTimeoutPreemptively(PER_INPUT, () -> {
            Scheduler s;
            try {
                s = build.get();
            } catch (IllegalArgumentException e) {
                assertOwnMessage(what, e, IllegalArgumentException.class);
                return;
            }
            Random metrics = new Random(what.hashCode());
            ParamGroups g = s.groups();
            for (int t = 0; t <= STEPS; t++) {
                for (int i = 0; i < g.size(); i++) {
                    assertThat(g.lr(i)).as(what + ": lr of group " + i + " at step " + t).isFinite().isGreaterThanOrEqualTo(0);
                    assertThat(g.momentum(i)).as(what + ": momentum of group " + i + " at step " + t).isFinite();
                }
                try {
                    if (s instanceof MetricScheduler) {
                        ((MetricScheduler) s).step(metrics.nextDouble());
                    } else {
                        ((LrScheduler) s).step();
                    }
                } catch (IllegalStateException e) {
                    assertOwnMessage(what, e, IllegalStateException.class);
                    return;
                }
            }
        }, () -> what + " took longer than " + PER_INPUT);
    }

    private static void assertOwnMessage(String what, RuntimeException e, Class<?> expected) {
        assertThat(e).as(what).isExactlyInstanceOf(e instanceof SpecException ? SpecException.class : expected);
        // A cause marks a failure of lr4j itself (the CLI exits 70 for it): an input error has none.
        assertThat(e.getCause()).as(what + ": " + e).isNull();
        assertThat(e.getMessage()).as(what + ": " + e).isNotBlank()
                .doesNotContain("java.", "Cannot invoke", "For input string", "Index ", "cannot be cast");
    }

    static Stream<Integer> seeds() {
        return IntStream.range(0, 4).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyPrefixOfAValidSpec_buildsOrFailsCleanly(int seed) {
        for (int i = seed; i < VALID.size(); i += 4) {
            String spec = VALID.get(i);
            for (int end = 0; end <= spec.length(); end++) {
                String prefix = spec.substring(0, end);
                check("text " + prefix, () -> ScheduleSpec.build(prefix, groups()));
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void randomMutationsOfValidSpecs_buildOrFailCleanly(int seed) {
        Random random = new Random(1000 + seed);
        for (int n = 0; n < 400; n++) {
            StringBuilder sb = new StringBuilder(VALID.get(random.nextInt(VALID.size())));
            int edits = 1 + random.nextInt(4);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(sb.length() + 1);
                String token = TOKENS[random.nextInt(TOKENS.length)];
                switch (random.nextInt(3)) {
                    case 0: sb.insert(at, token); break;
                    case 1: sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(6))); break;
                    default: sb.replace(at, Math.min(sb.length(), at + token.length()), token); break;
                }
            }
            String text = sb.toString();
            check("text " + text, () -> ScheduleSpec.build(text, groups()));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void extremeNumbersInValidSpecs_buildOrFailCleanly(int seed) {
        Random random = new Random(2000 + seed);
        String[] numbers = {"0", "-1", "1e308", "-1e308", "1e-320", "9223372036854775807", "1e19", "-0.0", "2", "1000000000",
            "float('nan')", "float('inf')", "0.9999999999999999", "1.0000000000000002"};
        for (int n = 0; n < 200; n++) {
            String spec = VALID.get(random.nextInt(VALID.size()));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?<![A-Za-z_])[0-9]+(\\.[0-9]+)?").matcher(spec);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, random.nextInt(3) == 0 ? numbers[random.nextInt(numbers.length)] : m.group());
            }
            m.appendTail(sb);
            String text = sb.toString();
            check("text " + text, () -> ScheduleSpec.build(text, groups()));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void wrongTypesAndExtremeValuesInJson_buildOrFailCleanly(int seed) {
        Random random = new Random(3000 + seed);
        for (int n = 0; n < 250; n++) {
            Map<String, Object> json = plain(ScheduleSpec.build(VALID.get(random.nextInt(VALID.size())), groups()).spec());
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                mutate(json, random);
            }
            String what = "json " + json;
            check(what, () -> ScheduleSpec.build(json, groups()));
        }
    }

    @SuppressWarnings("unchecked")
    private static void mutate(Map<String, Object> json, Random random) {
        Map<String, Object> target = json;
        // Sometimes go into a nested scheduler.
        while (target.get("schedulers") instanceof List && !((List<?>) target.get("schedulers")).isEmpty() && random.nextBoolean()) {
            List<Object> children = (List<Object>) target.get("schedulers");
            Object child = children.get(random.nextInt(children.size()));
            if (!(child instanceof Map)) {
                break;
            }
            target = (Map<String, Object>) child;
        }
        List<String> keys = new ArrayList<>(target.keySet());
        String key = random.nextInt(8) == 0 ? "no_such_argument" : keys.get(random.nextInt(keys.size()));
        Object value = EXTREME[random.nextInt(EXTREME.length)];
        if (random.nextInt(4) == 0 && target.get(key) instanceof List) {
            List<Object> list = new ArrayList<>((List<Object>) target.get(key));
            if (!list.isEmpty()) {
                list.set(random.nextInt(list.size()), value);
            }
            value = list;
        }
        target.put(key, value);
    }

    /** A mutable copy in what a JSON reader gives: maps, lists, numbers, strings (functions as their text). */
    @SuppressWarnings("unchecked")
    static Map<String, Object> plain(Map<String, Object> spec) {
        return (Map<String, Object>) plainValue(spec);
    }

    private static Object plainValue(Object v) {
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plainValue(x)));
            return out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(x -> out.add(plainValue(x)));
            return out;
        }
        if (v instanceof double[]) {
            List<Object> out = new ArrayList<>();
            for (double d : (double[]) v) {
                out.add(d);
            }
            return out;
        }
        return v instanceof Number || v instanceof String || v instanceof Boolean || v == null ? v : String.valueOf(v);
    }

    @ParameterizedTest(name = "depth {0}")
    @MethodSource("depths")
    void deepNesting_failsCleanly(int depth) {
        String open = "SequentialLR(schedulers=[".repeat(depth);
        String close = "], milestones=[])".repeat(depth);
        check("text nested " + depth, () -> ScheduleSpec.build(open + "StepLR(step_size=1)" + close, groups()));
        check("text parens " + depth, () -> ScheduleSpec.build("(".repeat(depth) + "StepLR(step_size=1)" + ")".repeat(depth), groups()));
        check("text lambda " + depth, () -> ScheduleSpec.build("LambdaLR(lr_lambda=lambda e: " + "-(".repeat(depth) + "1"
                + ")".repeat(depth) + ")", groups()));
        Map<String, Object> json = Map.of("type", "StepLR", "step_size", 1);
        for (int i = 0; i < depth; i++) {
            json = Map.of("type", "ChainedScheduler", "schedulers", List.of(json));
        }
        Map<String, Object> nested = json;
        check("json nested " + depth, () -> ScheduleSpec.build(nested, groups()));
        Object list = 1;
        for (int i = 0; i < depth; i++) {
            list = List.of(list);
        }
        Map<String, Object> deepList = Map.of("type", "MultiStepLR", "milestones", list);
        check("json list " + depth, () -> ScheduleSpec.build(deepList, groups()));
    }

    static Stream<Integer> depths() {
        return Stream.of(2, 99, 101, 1_000, 20_000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeInputs")
    void hugeInputs_areAnsweredInTime(String name, Supplier<Scheduler> build) {
        check(name, build);
    }

    static Stream<Object[]> hugeInputs() {
        StringBuilder milestones = new StringBuilder("MultiStepLR(milestones=[");
        for (int i = 0; i < 100_000; i++) {
            milestones.append(i % 1000).append(", ");
        }
        String manyMilestones = milestones.append("1], gamma=0.999)").toString();
        List<Object> jsonMilestones = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            jsonMilestones.add(i);
        }
        Supplier<Scheduler> longText = () -> ScheduleSpec.build("StepLR(step_size=" + "1".repeat(1_000_000) + ")", groups());
        Supplier<Scheduler> longName = () -> ScheduleSpec.build("X".repeat(100_000) + "()", groups());
        Supplier<Scheduler> longString = () -> ScheduleSpec.build("CyclicLR(base_lr=0.1, max_lr=1, mode='" + "a".repeat(1_000_000)
                + "')", groups());
        Supplier<Scheduler> manyMilestonesText = () -> ScheduleSpec.build(manyMilestones, groups());
        Supplier<Scheduler> manyMilestonesJson = () -> ScheduleSpec.build(Map.of("type", "MultiStepLR", "milestones", jsonMilestones),
                groups());
        Supplier<Scheduler> hugeHorizon = () -> ScheduleSpec.build("OneCycleLR(max_lr=0.1, total_steps=9223372036854775807)", groups());
        Supplier<Scheduler> hugePeriods = () -> ScheduleSpec.build(
                "CosineAnnealingWarmRestarts(T_0=9223372036854775807, T_mult=9223372036854775807)", groups());
        String sum = "1+".repeat(30_000) + "1";
        Supplier<Scheduler> flatSum = () -> ScheduleSpec.build("StepLR(step_size=3, gamma=" + sum + ")", groups());
        Supplier<Scheduler> flatLambda = () -> ScheduleSpec.build("LambdaLR(lr_lambda=lambda e: " + sum + ")", groups());
        Supplier<Scheduler> flatJsonLambda = () -> ScheduleSpec.build(Map.of("type", "LambdaLR", "lr_lambda", "lambda e: " + sum),
                groups());
        Supplier<Scheduler> chainedCalls = () -> ScheduleSpec.build("StepLR(step_size=3)" + "(1)".repeat(30_000), groups());
        Supplier<Scheduler> zeroDivision = () -> ScheduleSpec.build("StepLR(step_size=3, gamma=1 / 0)", groups());
        Supplier<Scheduler> lambdaZeroDivision = () -> ScheduleSpec.build("LambdaLR(lr_lambda=lambda e: 1 / (e - 5) ** 2)",
                groups());
        Supplier<Scheduler> tinyNoise = () -> ScheduleSpec.build("CosineLRScheduler(t_initial=10, noise_range_t=2,"
                + " noise_pct=1e-9)", groups());
        Supplier<Scheduler> tinyPlateauNoise = () -> ScheduleSpec.build("PlateauLRScheduler(noise_range_t=2, noise_pct=1e-12)",
                groups());
        return Stream.of(new Object[] {"30k-term sum", flatSum}, new Object[] {"30k-term lambda", flatLambda},
                new Object[] {"30k-term JSON lambda", flatJsonLambda}, new Object[] {"30k chained calls", chainedCalls},
                new Object[] {"1 / 0", zeroDivision}, new Object[] {"lambda dividing by 0 at step 5", lambdaZeroDivision},
                new Object[] {"timm noise_pct=1e-9", tinyNoise}, new Object[] {"timm plateau noise_pct=1e-12", tinyPlateauNoise},
                new Object[] {"1 MB number", longText}, new Object[] {"100 kB name", longName},
                new Object[] {"1 MB string", longString}, new Object[] {"100k milestones (text)", manyMilestonesText},
                new Object[] {"100k milestones (json)", manyMilestonesJson}, new Object[] {"total_steps 2^63-1", hugeHorizon},
                new Object[] {"T_0 and T_mult 2^63-1", hugePeriods});
    }
}
