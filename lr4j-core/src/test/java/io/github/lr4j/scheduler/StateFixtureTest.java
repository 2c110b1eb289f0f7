package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.GoldenCases;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * States saved by earlier lr4j code ({@code state-fixtures/v1}, written by {@link StateFixtures}
 * from the first landing's code) still load into a freshly built scheduler, which then continues
 * with exactly the lrs and momenta recorded in the fixture when it was written.
 */
class StateFixtureTest {

    static List<Path> fixtureFiles() throws IOException, URISyntaxException {
        Path dir = Paths.get(StateFixtureTest.class.getResource("/state-fixtures/v1").toURI());
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
    }

    @SuppressWarnings("unchecked")
    private static StateFixtures.Fixture fixture(Map<String, Object> m) {
        return new StateFixtures.Fixture((String) m.get("name"), (String) m.get("optimizer"),
                (List<Map<String, Object>>) m.get("param_groups"), (String) m.get("scheduler"), (String) m.get("custom"),
                ((Number) m.get("steps")).intValue(), ((Number) m.get("saved_at")).intValue(),
                doubles((List<Object>) m.get("metrics")), doubles((List<Object>) m.get("epochs")));
    }

    private static List<Double> doubles(List<Object> values) {
        return values == null ? null : values.stream().map(v -> ((Number) v).doubleValue()).collect(Collectors.toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureFiles")
    @SuppressWarnings("unchecked")
    void savedState_loadsIntoAFreshScheduler_andContinuesExactly(Path file) {
        Map<String, Object> m = GoldenCases.read(file);
        StateFixtures.Fixture f = fixture(m);
        ParamGroups groups = StateFixtures.groups(f);
        Scheduler s = StateFixtures.build(f, groups);
        List<Map<String, Object>> optimizerGroups = (List<Map<String, Object>>) m.get("optimizer_groups");
        for (int g = 0; g < groups.size(); g++) { // what the optimizer's own checkpoint restores first
            Map<String, Object> saved = optimizerGroups.get(g);
            groups.setLr(g, SchedulerState.fromJson(saved.get("lr")));
            double initial = SchedulerState.fromJson(saved.get("initial_lr"));
            if (!Double.isNaN(initial)) { // NaN: no scheduler set one (fresh groups hold NaN; the setter refuses it)
                groups.setInitialLr(g, initial);
            }
            if (groups.momentumKind() != MomentumKind.NONE) {
                groups.setMomentum(g, SchedulerState.fromJson(saved.get("momentum")));
            }
        }
        s.loadState(SchedulerState.of((Map<String, Object>) m.get("state")));

        List<Object> continuation = (List<Object>) m.get("continuation");
        assertThat(continuation).as("recorded continuation").hasSize(f.steps() - f.savedAt() + 1);
        assertThat(StateFixtures.snapshot(groups)).as(f.name() + " right after loadState").isEqualTo(continuation.get(0));
        for (int i = f.savedAt(); i < f.steps(); i++) {
            StateFixtures.step(s, f.metrics(), f.epochs(), i);
            assertThat(StateFixtures.snapshot(groups)).as(f.name() + " after step " + (i + 1))
                    .isEqualTo(continuation.get(i - f.savedAt() + 1));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void fixtures_coverEverySchedulerType_andNestedComposites() throws Exception {
        Set<String> types = new TreeSet<>();
        int nested = 0;
        for (Path file : fixtureFiles()) {
            Map<String, Object> state = (Map<String, Object>) GoldenCases.read(file).get("state");
            collectTypes(state, types);
            for (Object child : (List<Object>) state.getOrDefault("_schedulers", List.of())) {
                nested += ((Map<String, Object>) child).containsKey("_schedulers") ? 1 : 0;
            }
        }
        assertThat(types).containsAll(List.of("LambdaLR", "MultiplicativeLR", "StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
                "ExponentialLR", "PolynomialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR", "OneCycleLR",
                "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "CustomScheduler"));
        assertThat(nested).as("composites nested in composites").isGreaterThanOrEqualTo(3);
    }

    @SuppressWarnings("unchecked")
    private static void collectTypes(Map<String, Object> state, Set<String> into) {
        into.add((String) state.get("type"));
        for (Object child : (List<Object>) state.getOrDefault("_schedulers", List.of())) {
            collectTypes((Map<String, Object>) child, into);
        }
    }
}
