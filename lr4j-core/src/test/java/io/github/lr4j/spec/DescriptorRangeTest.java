package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The range {@code lr4j list} shows for a parameter is the range the language checks: every type is built with each
 * numeric parameter just beyond each documented bound (refused, naming the parameter, the range and the value) and
 * at each inclusive bound (not refused by the range).
 */
class DescriptorRangeTest {
    private static final Pattern NUMBER = Pattern.compile("([\\[(<>]=?)\\s*(-?[0-9.]+)|,\\s*(-?[0-9.]+)\\s*([\\])])");

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05, 0.01}, new double[] {0.9, 0.8, 0.0});
    }

    /** One row per (type, parameter, bound): the value just beyond it, and the bound itself when it is inclusive. */
    static Stream<Arguments> bounds() {
        List<Arguments> out = new ArrayList<>();
        for (SchedulerType t : SchedulerTypes.all()) {
            String base = t.examples().isEmpty() ? t.name() + "()" : t.examples().get(0).expression();
            for (SchedulerType.Param p : t.params()) {
                if (Ranges.of(p.range()).isEmpty()) {
                    continue;
                }
                boolean integer = p.kind() == SchedulerType.Param.Kind.INTEGER || p.kind() == SchedulerType.Param.Kind.INTEGERS;
                Matcher m = NUMBER.matcher(p.range().replaceFirst("^each\\s+", ""));
                while (m.find()) {
                    String op = m.group(1) != null ? m.group(1) : m.group(4);
                    double bound = Double.parseDouble(m.group(1) != null ? m.group(2) : m.group(3));
                    boolean below = op.startsWith(">") || op.equals("[") || op.equals("(");
                    boolean inclusive = op.endsWith("=") || op.equals("[") || op.equals("]");
                    double step = integer ? 1 : 0.5;
                    double beyond = inclusive ? (below ? bound - step : bound + step) : bound;
                    out.add(Arguments.of(t.name(), base, p.name(), p.kind(), p.range(), beyond, inclusive ? bound : Double.NaN));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyTypeWithNumericParameters_hasBoundsToTest() {
        assertThat(bounds().count()).isGreaterThan(60);
    }

    private static Object value(SchedulerType.Param.Kind kind, double v) {
        Object one = kind == SchedulerType.Param.Kind.INTEGER || kind == SchedulerType.Param.Kind.INTEGERS ? (Object) (long) v : (Object) v;
        return kind == SchedulerType.Param.Kind.INTEGERS ? List.of(one) : one;
    }

    private static Map<String, Object> with(String type, String base, String param, Object value) {
        Map<String, Object> spec = new LinkedHashMap<>(SpecFuzzTest.plain(ScheduleSpec.build(base, groups()).spec()));
        if (!type.equals(spec.get("type"))) { // get_scheduler prints the schedule it builds: write its own call
            spec = new LinkedHashMap<>(Map.of("type", type, "name", "cosine", "num_warmup_steps", 3, "num_training_steps", 25));
        }
        spec.put(param, value);
        return spec;
    }

    @ParameterizedTest(name = "{0}.{2} {4}: {5} refused, {6} not by the range")
    @MethodSource("bounds")
    void beyondEachDocumentedBound_isRefused_atItNotByTheRange(String type, String base, String param,
            SchedulerType.Param.Kind kind, String range, double beyond, double at) {
        String expected = param + " must be " + (range.startsWith("[") || range.startsWith("(") ? "in " : "") + range + ", got ";
        Map<String, Object> bad = with(type, base, param, value(kind, beyond));
        assertThatThrownBy(() -> ScheduleSpec.build(bad, groups())).as(bad.toString()).isInstanceOf(SpecException.class)
                .hasMessageContaining(type + ": " + expected);
        if (!Double.isNaN(at)) {
            Map<String, Object> edge = with(type, base, param, value(kind, at));
            try {
                ScheduleSpec.build(edge, groups());
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).as(edge.toString()).doesNotContain(expected);
            }
        }
    }

    @Test
    void timmStepDecayRateZero_andNegativeMultiStepDecayT_areRefusedAsListSays() {
        assertThatThrownBy(() -> ScheduleSpec.build("StepLRScheduler(decay_t=2, decay_rate=0)", groups()))
                .hasMessage("column 39: StepLRScheduler: decay_rate must be > 0, got 0");
        assertThatThrownBy(() -> ScheduleSpec.build("MultiStepLRScheduler(decay_t=[3, -2])", groups()))
                .hasMessage("column 30: MultiStepLRScheduler: decay_t must be each >= 0, got [3, -2]");
    }
}
