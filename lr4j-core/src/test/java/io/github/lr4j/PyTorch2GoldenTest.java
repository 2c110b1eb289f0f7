package io.github.lr4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.spec.TraceRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The golden cases produced by PyTorch 2.x's own scheduler code (pytorch/pytorch@008f727, run on torch 1.13):
 * golden/pytorch2 (the 14 shared cases) and golden/pytorch2-extra (tools/golden/generate_pytorch2.py). Values must
 * agree to |a - b| / (|b| + 1e-3 * peak) <= 1e-10, where PyTorch raised lr4j must refuse, and where PyTorch saved
 * its state mid-run (resume_state) lr4j must continue from that state with PyTorch's numbers. The deliberate
 * differences (README, "Fidelity") are checked to be what lr4j documents instead.
 */
class PyTorch2GoldenTest {
    static final double TOLERANCE = 1e-10;

    /** Cases where lr4j deliberately differs from PyTorch, and why (README, "Fidelity"). */
    static final Map<String, String> DELIBERATE = Map.of(
            "t1_linear_start_factor_zero", "LinearLR start_factor=0: 2.x refuses it, lr4j gives values (a warm-up from 0)",
            "p2_linear_start_factor_zero_warmup", "LinearLR start_factor=0: 2.x refuses it, lr4j gives values (a warm-up from 0)",
            "t1_step_verbose_true", "verbose= was removed in PyTorch 2.7; lr4j accepts and ignores it (check warns)",
            "p2_exponential_verbose_false", "verbose= was removed in PyTorch 2.7; lr4j accepts and ignores it (check warns)",
            "t1_seq_nested_sequential", "PyTorch's open bug #196243: a nested composite is advanced one step at construction",
            "t1_ctrl_onecycle_three_phase_adamw", "OneCycleLR's linear anneal at total_steps extrapolates to a negative lr;"
                    + " lr4j refuses to write it",
            "p2t_linearlr_start_factor_limits1", "LinearLR start_factor=0: 2.x refuses it, lr4j gives values (a warm-up from 0)",
            "p2_onecycle_last_epoch_other_max_lr", "OneCycleLR(last_epoch=k) whose max_lr is not the resumed groups': 2.x"
                    + " takes the groups' values, lr4j (whose groups hold only initial_lr) refuses");

    /**
     * Cases where PyTorch raised at the first step and lr4j refuses earlier, when the scheduler is built: a lambda
     * that takes no argument (PyTorch calls it with the epoch at step 0; the schedule language checks its arity).
     */
    static final Map<String, String> REFUSED_AT_CONSTRUCTION = Map.of(
            "p2t_constant_initial_lr_MultiplicativeLR", "lr_lambda=lambda: 0.95 takes no argument",
            "p2t_lr_scheduler_state_dict_load_MultiplicativeLR", "lr_lambda=lambda: 0.95 takes no argument");

    static Stream<Path> cases() {
        return Stream.of("pytorch2", "pytorch2-extra", "pytorch2-tests").flatMap(folder -> GoldenCases.files(folder).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch2(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        String name = String.valueOf(c.get("name"));
        if (DELIBERATE.containsKey(name)) {
            return; // see deliberateDifferences
        }
        if (c.get("state_edit") != null) {
            return; // PyTorch's state was edited by hand before it was loaded: only its continuation can be replayed
        }
        if (REFUSED_AT_CONSTRUCTION.containsKey(name)) {
            assertThat(c.get("error_at")).as(name + ": PyTorch raised at its first step").isEqualTo(0);
            assertThatThrownBy(() -> TraceRunner.run(c)).as(name + ": " + REFUSED_AT_CONSTRUCTION.get(name))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lambda");
            return;
        }
        if (c.get("error") != null) {
            assertRefused(c);
            return;
        }
        Map<String, Object> result = TraceRunner.run(c);
        assertSameTrace(name, (List<?>) c.get("trace"), (List<?>) result.get("trace"));
    }

    /** lr4j's state has every key PyTorch 2.x's state_dict() has, with the same value (GoldenTraceTest.NOT_COMPARED aside). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void stateDict_hasPyTorch2sKeysAndValues(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        String name = String.valueOf(c.get("name"));
        if (DELIBERATE.containsKey(name) || c.get("error") != null || c.get("state_edit") != null) {
            return;
        }
        Map<String, Object> actual = (Map<String, Object>) TraceRunner.run(c).get("state_dict");
        List<String> differences = new ArrayList<>();
        GoldenTraceTest.compareState(name, (Map<String, Object>) c.get("state_dict"), actual, differences);
        assertThat(differences).as("state_dict differences from PyTorch 2.x").isEmpty();
        assertThat(actual).as(name + ": PyTorch 2.7 removed verbose").doesNotContainKey("verbose");
    }

    /** lr4j gives values where PyTorch 2.x refuses start_factor=0 and verbose=; PyTorch's values before the deliberate end. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deliberateDifferences(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        String name = String.valueOf(c.get("name"));
        if (!DELIBERATE.containsKey(name)) {
            return;
        }
        if ("construct".equals(c.get("error_at"))) {
            Map<String, Object> result = TraceRunner.run(c); // accepted: values, no error
            assertThat((List<?>) result.get("trace")).as(name).hasSize(((Number) c.get("steps")).intValue() + 1);
            return;
        }
        if (name.equals("p2_onecycle_last_epoch_other_max_lr")) {
            assertThatThrownBy(() -> TraceRunner.run(c)).as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("initial_lr=").hasMessageContaining("max_lr / div_factor");
            return;
        }
        List<?> trace = (List<?>) c.get("trace");
        if (name.equals("t1_ctrl_onecycle_three_phase_adamw")) {
            // PyTorch's values up to the step before total_steps; where its linear anneal extrapolates to a negative lr
            // at total_steps, lr4j writes 0
            List<?> mine = (List<?>) TraceRunner.run(c).get("trace");
            assertSameTrace(name, trace.subList(0, trace.size() - 1), mine.subList(0, mine.size() - 1));
            List<?> theirs = (List<?>) ((Map<?, ?>) trace.get(trace.size() - 1)).get("lr");
            List<?> ours = (List<?>) ((Map<?, ?>) mine.get(mine.size() - 1)).get("lr");
            for (int g = 0; g < theirs.size(); g++) {
                double want = GoldenCases.toDouble(theirs.get(g));
                assertThat(GoldenCases.toDouble(ours.get(g))).as(name + " last lr[" + g + "], PyTorch " + want)
                        .isEqualTo(want < 0 ? 0.0 : want);
            }
        }
    }

    /** Every ported case names its PyTorch test, and the generated index (TESTS.md) maps that test to the case. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("portedTests")
    void portedCase_isInTheTestIndex(Path file) throws java.io.IOException {
        Map<String, Object> c = GoldenCases.read(file);
        String index = java.nio.file.Files.readString(file.resolveSibling("TESTS.md"));
        String test = String.valueOf(c.get("pytorch_test"));
        assertThat(test).startsWith("test_");
        String row = index.lines().filter(l -> l.startsWith("| `" + test + "` |")).findFirst().orElse("");
        assertThat(row).as(test + " in TESTS.md").contains("`" + c.get("name") + "`");
    }

    static Stream<Path> portedTests() {
        return GoldenCases.files("pytorch2-tests").stream();
    }

    static Stream<Path> savedByPyTorch() {
        return cases().filter(f -> GoldenCases.read(f).get("resume_state") != null
                && !REFUSED_AT_CONSTRUCTION.containsKey(String.valueOf(GoldenCases.read(f).get("name"))));
    }

    /**
     * A run saved by PyTorch continues in lr4j: the groups get the optimizer's saved lr, initial lr and momentum
     * (resume_groups), a freshly built scheduler loads PyTorch's own state_dict (resume_state) through
     * {@link SchedulerState#fromPyTorch}, and every later step gives PyTorch's values.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("savedByPyTorch")
    @SuppressWarnings("unchecked")
    void pytorchSavedState_continuesWithPyTorchsValues(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        String name = String.valueOf(c.get("name"));
        int resumeAt = ((Number) c.get("resume_at")).intValue();
        List<Object> trace = (List<Object>) c.get("trace");
        List<Object> metrics = (List<Object>) c.get("metrics");
        List<Object> epochs = (List<Object>) c.get("epochs");
        ParamGroups groups = TraceRunner.groups(String.valueOf(c.get("optimizer")), (List<?>) c.get("param_groups"));
        Scheduler scheduler = ScheduleSpec.build(String.valueOf(c.get("scheduler")), groups);
        List<Map<String, Object>> saved = (List<Map<String, Object>>) c.get("resume_groups");
        for (int g = 0; g < groups.size(); g++) {
            groups.setLr(g, GoldenCases.toDouble(saved.get(g).get("lr")));
            double initial = GoldenCases.toDouble(saved.get(g).get("initial_lr"));
            if (!Double.isNaN(initial)) { // PyTorch's group had no initial_lr (plateau): the groups keep "unset"
                groups.setInitialLr(g, initial);
            }
            if (groups.momentumKind() != MomentumKind.NONE) {
                groups.setMomentum(g, GoldenCases.toDouble(saved.get(g).get("momentum")));
            }
        }
        scheduler.loadState(SchedulerState.fromPyTorch((Map<String, Object>) c.get("resume_state")));
        List<Object> actual = new ArrayList<>();
        actual.add(snapshot(groups));
        for (int i = resumeAt; i < ((Number) c.get("steps")).intValue(); i++) {
            if (metrics != null) {
                scheduler.step(OptionalDouble.of(GoldenCases.toDouble(metrics.get(i))));
            } else if (epochs != null && epochs.get(i) != null) {
                ((LrScheduler) scheduler).step(GoldenCases.toDouble(epochs.get(i)));
            } else {
                scheduler.step(OptionalDouble.empty());
            }
            actual.add(snapshot(groups));
        }
        assertSameTrace(name + " (continued from PyTorch's state at step " + resumeAt + ")",
                trace.subList(resumeAt, trace.size()), actual);
    }

    private static Map<String, Object> snapshot(ParamGroups groups) {
        List<Object> lr = new ArrayList<>();
        List<Object> momentum = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            lr.add(groups.lr(g));
            momentum.add(groups.momentumKind() == MomentumKind.NONE ? null : (Object) groups.momentum(g));
        }
        return Map.of("lr", lr, "momentum", momentum);
    }

    /** Where PyTorch raised at construction (or at call N), lr4j refuses there too, and not earlier. */
    private static void assertRefused(Map<String, Object> c) {
        Object at = c.get("error_at");
        if ("construct".equals(at)) {
            Map<String, Object> zero = new HashMap<>(c);
            zero.put("steps", 0);
            zero.put("resume_at", null);
            assertThatThrownBy(() -> TraceRunner.run(zero)).as(c.get("name") + ": PyTorch " + c.get("error"))
                    .isInstanceOf(IllegalArgumentException.class);
            return;
        }
        int n = ((Number) at).intValue();
        Map<String, Object> before = new HashMap<>(c);
        before.put("steps", n);
        assertSameTrace(String.valueOf(c.get("name")), (List<?>) c.get("trace"), (List<?>) TraceRunner.run(before).get("trace"));
        Map<String, Object> upTo = new HashMap<>(c);
        upTo.put("steps", n + 1);
        assertThatThrownBy(() -> TraceRunner.run(upTo)).as(c.get("name") + ": PyTorch " + c.get("error"))
                .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
    }

    /** The project's tolerance: |a - b| / (|b| + 1e-3 * peak) <= 1e-10, peak = the largest |value| of that key in the trace. */
    @SuppressWarnings("unchecked")
    static void assertSameTrace(String name, List<?> expected, List<?> actual) {
        assertThat(actual).as(name + ": number of trace entries").hasSameSizeAs(expected);
        for (String key : List.of("lr", "momentum")) {
            double peak = 0;
            for (Object e : expected) {
                for (Object v : (List<Object>) ((Map<String, Object>) e).get(key)) {
                    if (v != null) {
                        peak = Math.max(peak, Math.abs(GoldenCases.toDouble(v)));
                    }
                }
            }
            for (int i = 0; i < expected.size(); i++) {
                List<Object> ev = (List<Object>) ((Map<String, Object>) expected.get(i)).get(key);
                List<Object> av = (List<Object>) ((Map<String, Object>) actual.get(i)).get(key);
                assertThat(av).as(name + " trace[" + i + "]." + key + " size").hasSameSizeAs(ev);
                for (int g = 0; g < ev.size(); g++) {
                    String where = name + " trace[" + i + "]." + key + "[" + g + "]";
                    if (ev.get(g) == null) {
                        assertThat(av.get(g)).as(where).isNull();
                        continue;
                    }
                    double want = GoldenCases.toDouble(ev.get(g));
                    double got = GoldenCases.toDouble(av.get(g));
                    // |a - b| <= 1e-10 * (|b| + 1e-3 * peak), multiplied out so that a series of zeros compares too
                    assertThat(Math.abs(got - want)).as(where + ": got " + got + ", PyTorch " + want)
                            .isLessThanOrEqualTo(TOLERANCE * (Math.abs(want) + 1e-3 * peak));
                }
            }
        }
    }

    static List<String> names(Stream<Path> files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(String.valueOf(GoldenCases.read(f).get("name"))));
        return out;
    }
}
