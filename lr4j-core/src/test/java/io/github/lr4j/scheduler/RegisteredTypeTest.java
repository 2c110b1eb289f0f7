package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.SchedulerType.Param;
import io.github.lr4j.spec.ScheduleCheck;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.spec.SpecException;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A type registered by a user works like a built-in one: language, JSON, printing, state, lints, default interval. */
class RegisteredTypeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** lr = base / sqrt(max(t, warmup)), with a lint when warm-up outlasts the run. */
    static SchedulerType inverseSqrt(String name) {
        return SchedulerType.builder(name, "lr = base / sqrt(max(t, warmup))")
                .param(Param.optional("warmup", Param.Kind.INTEGER, 1L, ">= 1", "steps before the decay starts"))
                .param(Param.optional("scale", Param.Kind.NUMBER, 1.0, "> 0", "factor on every lr"))
                .schedule(args -> {
                    long warmup = args.integer("warmup");
                    if (warmup < 1) {
                        throw new IllegalArgumentException("warmup must be >= 1, got " + warmup);
                    }
                    double scale = args.num("scale");
                    return (step, group, base) -> scale * base / Math.sqrt(Math.max(step, warmup));
                })
                .lint((spec, c) -> {
                    if (((Number) spec.get("warmup")).longValue() > c.steps()) {
                        c.warn(name + c.inside() + " warms up longer than the run");
                    }
                })
                .perBatch()
                .build();
    }

    @BeforeAll
    static void register() {
        SchedulerTypes.register(inverseSqrt("InvSqrtTestLR"));
    }

    @AfterAll
    static void unregister() {
        SchedulerTypes.unregister("InvSqrtTestLR");
    }

    @Test
    void registeredType_buildsFromTheLanguage_withDefaultsAndChecks() {
        ParamGroups g = ParamGroups.of(0.4);
        Scheduler s = ScheduleSpec.build("InvSqrtTestLR(warmup=4)", g);
        assertThat(s.name()).isEqualTo("InvSqrtTestLR");
        assertThat(g.lr(0)).isEqualTo(0.2); // 0.4 / sqrt(4)
        for (int i = 0; i < 16; i++) {
            s.step(OptionalDouble.empty());
        }
        assertThat(g.lr(0)).isEqualTo(0.1); // 0.4 / sqrt(16)
        assertThat(s.lrAt(100, 0)).isEqualTo(0.04);
        assertThat(s.toString()).isEqualTo("InvSqrtTestLR(warmup=4, scale=1.0)");
        assertThatThrownBy(() -> ScheduleSpec.build("InvSqrtTestLR(warmup=0)", ParamGroups.of(0.1)))
                .isInstanceOf(SpecException.class).hasMessage("column 22: InvSqrtTestLR: warmup must be >= 1, got 0");
        assertThatThrownBy(() -> ScheduleSpec.build("InvSqrtTestLR(warmpu=3)", ParamGroups.of(0.1)))
                .hasMessage("column 15: InvSqrtTestLR() got an unexpected keyword argument 'warmpu' (did you mean warmup?); it takes"
                        + " warmup, scale, last_epoch, verbose");
        assertThatThrownBy(() -> SchedulerTypes.register(inverseSqrt("InvSqrtTestLR")))
                .hasMessage("a scheduler type named InvSqrtTestLR is registered already");
        assertThatThrownBy(() -> SchedulerTypes.unregister("StepLR")).hasMessage("StepLR is built in and cannot be removed");
    }

    @Test
    @SuppressWarnings("unchecked")
    void registeredType_roundTripsThroughJsonAndText_andInsideComposites() throws Exception {
        Scheduler s = ScheduleSpec.build("SequentialLR(schedulers=[LinearLR(start_factor=0.5, total_iters=3),"
                + " InvSqrtTestLR(warmup=2, scale=2.0)], milestones=[3])", ParamGroups.of(0.1, 0.2));
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(s.spec()), Map.class);
        ParamGroups fromJson = ParamGroups.of(0.1, 0.2);
        Scheduler rebuilt = ScheduleSpec.build(json, fromJson);
        ParamGroups fromText = ParamGroups.of(0.1, 0.2);
        Scheduler reparsed = ScheduleSpec.build(s.toString(), fromText);
        for (int t = 1; t <= 12; t++) {
            s.step(OptionalDouble.empty());
            rebuilt.step(OptionalDouble.empty());
            reparsed.step(OptionalDouble.empty());
            assertThat(rebuilt.lastLrs()).containsExactly(s.lastLrs());
            assertThat(reparsed.lastLrs()).containsExactly(s.lastLrs());
            assertThat(s.lrAt(t, 1)).isEqualTo(s.lastLr(1));
        }
        assertThat(Interval.perBatch(s)).as("a composite holding a per-batch type is per batch").isTrue();
    }

    @Test
    void registeredType_savesAndRestores_andRefusesOtherArguments() {
        ParamGroups g = ParamGroups.of(0.3);
        Scheduler s = ScheduleSpec.build("InvSqrtTestLR(warmup=3)", g);
        for (int i = 0; i < 7; i++) {
            s.step(OptionalDouble.empty());
        }
        SchedulerState saved = s.state();
        assertThat(saved.toMap()).containsEntry("type", "InvSqrtTestLR").containsEntry("warmup", 3L);
        ParamGroups fresh = ParamGroups.of(0.3);
        Scheduler restored = ScheduleSpec.build("InvSqrtTestLR(warmup=3)", fresh);
        restored.loadState(saved);
        assertThat(fresh.lr(0)).isEqualTo(g.lr(0));
        s.step(OptionalDouble.empty());
        restored.step(OptionalDouble.empty());
        assertThat(fresh.lr(0)).isEqualTo(g.lr(0));

        Scheduler other = ScheduleSpec.build("InvSqrtTestLR(warmup=5)", ParamGroups.of(0.3));
        assertThatThrownBy(() -> other.loadState(saved)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("saved with warmup=3 but this scheduler has warmup=5");
        assertThatThrownBy(() -> ScheduleSpec.build("StepLR(step_size=2)", ParamGroups.of(0.3)).loadState(saved))
                .hasMessage("cannot restore StepLR from the state of a InvSqrtTestLR");
    }

    @Test
    void registeredType_isLintedByCheck_evenInsideAComposite() {
        Scheduler s = ScheduleSpec.build("ChainedScheduler([InvSqrtTestLR(warmup=50), ExponentialLR(gamma=0.99)])",
                ParamGroups.of(0.1));
        ScheduleCheck.Report r = ScheduleCheck.check(s, 20, null);
        assertThat(r.warnings()).containsExactly("InvSqrtTestLR (in ChainedScheduler) warms up longer than the run");
    }

    /** What lr4j-train's Interval.defaultFor reads (lr4j-core cannot see lr4j-train). */
    private static final class Interval {
        static boolean perBatch(Scheduler s) {
            return SchedulerTypes.perBatch(s.spec());
        }
    }
}
