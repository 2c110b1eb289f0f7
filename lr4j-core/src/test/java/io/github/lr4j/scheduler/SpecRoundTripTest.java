package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every printed spec is valid input again: for every contract configuration, the metric-driven types and the
 * composites holding one, build, print, build the print, and get the same print and the same spec.
 */
class SpecRoundTripTest {
    /** The contract configurations plus every metric-driven type (they have no examples) and composites ending in one. */
    static Stream<String> configurations() {
        List<String> out = new ArrayList<>();
        SchedulerContractTest.schedulers().forEach(a -> out.add((String) a.get()[0]));
        for (SchedulerType t : SchedulerTypes.all()) {
            if (t.examples().isEmpty()) {
                out.add(t.name() + "()");
            }
        }
        out.add("SequentialLR(optimizer, schedulers=[LinearLR(start_factor=0.01, total_iters=5), ReduceLROnPlateau(patience=1,"
                + " factor=0.5)], milestones=[5])");
        out.add("SequentialLR(schedulers=[ConstantLR(factor=0.1, total_iters=2), LinearLR(start_factor=0.5, total_iters=3),"
                + " ReduceLROnPlateau(mode='max', factor=0.5, patience=1, cooldown=1)], milestones=[2, 5])");
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void toString_buildsAgain_toTheSameSpec(String expression) {
        Scheduler original = ScheduleSpec.build(expression, SchedulerContractTest.groups());
        String printed = original.toString();
        assertThat(printed).doesNotContain("[J@").doesNotContain("[I@").doesNotContain("[D@");
        Scheduler rebuilt = ScheduleSpec.build(printed, SchedulerContractTest.groups());
        assertThat(rebuilt.toString()).isEqualTo(printed);
        assertThat(Specs.print(rebuilt.spec())).isEqualTo(Specs.print(original.spec()));
    }
}
