package io.github.lr4j.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizers;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SearchSpaceTest {
    private static final SearchSpace SPACE = new SearchSpace(List.of(
            "OneCycleLR(max_lr=loguniform(0.01, 1), pct_start=uniform(0.1, 0.5), total_steps=total_steps,"
                    + " anneal_strategy=choice(['cos', 'linear']))",
            "StepLR(step_size=int(2, 4), gamma=0.5)"),
            "SGD(lr=0.1, momentum=uniform(0.8, 0.99))");

    private static double arg(String text, String name) {
        Matcher m = Pattern.compile(name + "=([-0-9.e]+)").matcher(text);
        assertThat(m.find()).as(name + " in " + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyDrawIsInItsRangeAndParses(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 50; i++) {
            SearchSpace.Sample s = SPACE.sample(random);
            assertThat(arg(s.optimizer(), "momentum")).isBetween(0.8, 0.99);
            Optimizers.parse(s.optimizer());
            if (s.scheduleSpace() == 0) {
                assertThat(arg(s.scheduler(), "max_lr")).isBetween(0.01, 1.0);
                assertThat(arg(s.scheduler(), "pct_start")).isBetween(0.1, 0.5);
                assertThat(s.scheduler()).containsAnyOf("anneal_strategy='cos'", "anneal_strategy='linear'");
                assertThat(s.values()).containsKeys("schedule1.max_lr", "schedule1.pct_start", "schedule1.anneal_strategy");
            } else {
                assertThat(arg(s.scheduler(), "step_size")).isIn(2.0, 3.0, 4.0);
                assertThat(s.scheduler()).doesNotContain("int(");
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameTrialsAndEveryValueOfADiscreteRangeComesUp() {
        List<SearchSpace.Sample> a = new java.util.ArrayList<>();
        List<SearchSpace.Sample> b = new java.util.ArrayList<>();
        Random ra = new Random(42);
        Random rb = new Random(42);
        java.util.Set<String> steps = new java.util.TreeSet<>();
        for (int i = 0; i < 200; i++) {
            a.add(SPACE.sample(ra));
            b.add(SPACE.sample(rb));
            if (a.get(i).scheduleSpace() == 1) {
                steps.add(a.get(i).values().get("schedule2.step_size"));
            }
        }
        assertThat(a).isEqualTo(b);
        assertThat(steps).containsExactly("2", "3", "4");
        assertThat(a.stream().map(SearchSpace.Sample::scheduleSpace).distinct()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void aScheduleSpaceMayUseTheSampledLr() {
        SearchSpace space = new SearchSpace(List.of("OneCycleLR(max_lr=lr, total_steps=total_steps)"),
                "SGD(lr=loguniform(0.01, 0.5), momentum=0.9)");
        SearchSpace.Sample s = space.sample(new Random(3));
        assertThat(arg(s.scheduler(), "max_lr")).isEqualTo(Optimizers.parse(s.optimizer()).defaultValue("lr"));
    }

    @Test
    void theDefaultSpaceSamplesEachOfItsScheduleTypes() {
        SearchSpace d = SearchSpace.defaults();
        Random r = new Random(0);
        java.util.Set<Integer> spaces = new java.util.HashSet<>();
        for (int i = 0; i < 30; i++) {
            spaces.add(d.sample(r).scheduleSpace());
        }
        assertThat(spaces).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
    }

    @Test
    void aSearchsTrialsTakeTheDefaultSpacesFamiliesInTurn_soEveryFamilyIsTried() {
        List<Trial> trials = SuccessiveHalving.defaults().sample(SearchSpace.defaults(), Trial.mainJob());
        assertThat(trials).hasSize(18);
        for (Trial t : trials) {
            String family = SearchSpace.DEFAULT_SCHEDULES.get(t.index() % SearchSpace.DEFAULT_SCHEDULES.size());
            assertThat(t.recipe().scheduler()).as("trial %d", t.index()).startsWith(family.substring(0, family.indexOf('(')));
            assertThat(t.values()).containsEntry("space", String.valueOf(t.index() % SearchSpace.DEFAULT_SCHEDULES.size() + 1));
        }
        assertThatThrownBy(() -> SearchSpace.defaults().sample(new Random(0), -1)).hasMessageContaining("index must be >= 0, got -1");
    }

    @Test
    void argumentsSplitOnlyAtTopLevelCommas_outsideBracketsAndQuotes() {
        assertThat(SearchSpace.topLevel("[1, 2], 'a,b', f(x, [y, z]), \"c)\"")).containsExactly("[1, 2]", "'a,b'", "f(x, [y, z])", "\"c)\"");
        assertThat(SearchSpace.topLevel("0.1")).containsExactly("0.1");
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_size=int(2, 5"), "SGD(lr=0.1)"))
                .hasMessageContaining("unbalanced brackets").hasMessageContaining("column");
        assertThatThrownBy(() -> new SearchSpace(List.of("OneCycleLR(max_lr=0.1, anneal_strategy=choice(['cos, 'linear']), total_steps=9)"),
                "SGD(lr=0.1)")).hasMessageContaining("search space");
    }

    @Test
    void badDistributionsAreRefusedWhenTheSpaceIsMadeNamingThem() {
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_size=int(5, 2))"), "SGD(lr=0.1)"))
                .hasMessageContaining("int(5, 2)").hasMessageContaining("low must be less than high");
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_size=3)"), "SGD(lr=loguniform(0, 1))"))
                .hasMessageContaining("loguniform(0, 1)").hasMessageContaining("> 0");
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_sise=uniform(1, 3))"), "SGD(lr=0.1)"))
                .hasMessageContaining("StepLR(step_sise=uniform(1, 3))").hasMessageContaining("not a schedule");
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_size=3)"), "SGD(lr=uniform(0.1))"))
                .hasMessageContaining("two bounds");
        assertThatThrownBy(() -> new SearchSpace(List.of("StepLR(step_size=3)"), "SGD(lr=choice([]))"))
                .hasMessageContaining("no options");
    }

    @Test
    void sampledNumbersHaveFourSignificantDigits() {
        assertThat(SearchSpace.shortNumber(0.123456789, 0.1, 0.2)).isEqualTo("0.1235");
        assertThat(SearchSpace.shortNumber(3.0e-5, 1e-6, 1e-4)).isEqualTo("0.00003");
        assertThat(SearchSpace.shortNumber(12.0, 1, 100)).isEqualTo("12.0");
        assertThat(Map.of()).isEmpty();
    }
}
