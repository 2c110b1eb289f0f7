package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code table --at}: the rows {@code table} prints, at the given steps, computed without stepping. */
class TableAtTest extends CliHarness {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The contract suite's configurations: every registered type's examples. */
    static Stream<Arguments> examples() {
        return SchedulerTypes.all().stream().flatMap(t -> t.examples().stream()).map(e -> Arguments.of(e.expression(), e.steps()));
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> json(String... args) throws Exception {
        out.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isZero();
        return JSON.readValue(out.toString(), List.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    @SuppressWarnings("unchecked")
    void valueAtStepK_equalsTheKthSteppedValue(String spec, int steps) throws Exception {
        List<Map<String, Object>> stepped = json("table", spec, "--steps", String.valueOf(steps), "--groups", "0.1,0.05,0.01",
                "--momentum", "0.9", "--format", "json");
        String all = LongStream.rangeClosed(0, steps).mapToObj(Long::toString).collect(Collectors.joining(","));
        List<Map<String, Object>> at = json("table", spec, "--at", all, "--groups", "0.1,0.05,0.01", "--momentum", "0.9",
                "--format", "json");
        assertThat(at).hasSameSizeAs(stepped);
        for (int k = 0; k <= steps; k++) {
            assertThat(at.get(k).keySet()).as("columns").isEqualTo(stepped.get(k).keySet());
            assertThat(((Number) at.get(k).get("step")).longValue()).isEqualTo(k);
            for (String column : List.of("lr", "momentum")) {
                if (!stepped.get(k).containsKey(column)) {
                    continue;
                }
                List<Number> want = (List<Number>) stepped.get(k).get(column);
                List<Number> got = (List<Number>) at.get(k).get(column);
                for (int g = 0; g < want.size(); g++) {
                    double w = want.get(g).doubleValue();
                    assertThat(Math.abs(got.get(g).doubleValue() - w)).as(spec + " " + column + g + " at step " + k)
                            .isLessThanOrEqualTo(1e-12 * Math.abs(w) + 1e-16);
                }
            }
        }
    }

    @Test
    void at_acceptsExponentNotation_andPrintsTheSameColumnsInEveryFormat() {
        assertThat(run("table", "CosineAnnealingWarmRestarts(T_0=10, T_mult=2)", "--at", "0,5,1e9,1000000000")).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(lines.get(0)).isEqualTo("step,lr0");
        assertThat(lines.get(1)).isEqualTo("0,0.1");
        assertThat(lines.get(3)).startsWith("1000000000,").isEqualTo(lines.get(4));
        out.getBuffer().setLength(0);
        assertThat(run("table", "OneCycleLR(max_lr=0.1, total_steps=100)", "--at", "0,50", "--momentum", "0.9", "--format", "md"))
                .isZero();
        assertThat(out.toString()).startsWith("| step | lr0 | momentum0 |\n|---|---|---|\n| 0 | 0.004 | 0.95 |\n| 50 |");
    }

    @Test
    void at_withStepsOrEvery_orABadStep_exits2WithOneLine() {
        assertThat(run("table", "StepLR(step_size=2)", "--at", "3", "--steps", "10")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: --at replaces --steps and --every: give either --at or --steps/--every\n");
        err.getBuffer().setLength(0);
        assertThat(run("table", "StepLR(step_size=2)", "--at", "3", "--every", "2")).isEqualTo(2);
        err.getBuffer().setLength(0);
        assertThat(run("table", "StepLR(step_size=2)", "--at", "1.5")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: --at steps must be whole numbers in [0, 9223372036854775807]"
                + " (e.g. 1000 or 1e9), got 1.5\n");
        err.getBuffer().setLength(0);
        assertThat(run("table", "StepLR(step_size=2)", "--at", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("got -1");
    }

    @Test
    void at_metricDriven_needsMetrics_andThenEqualsStepping(@TempDir Path dir) throws Exception {
        assertThat(run("table", "ReduceLROnPlateau(patience=1, factor=0.5)", "--at", "4")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: ReduceLROnPlateau is driven by a metric: its lr at step 4 needs 4 metric"
                + " values (--metrics FILE), got none\n");
        Path metrics = dir.resolve("loss.txt");
        Files.writeString(metrics, "1.0\n0.9\n0.9\n0.9\n0.9\n0.9\n");
        List<Map<String, Object>> stepped = json("table", "ReduceLROnPlateau(patience=1, factor=0.5)", "--metrics",
                metrics.toString(), "--steps", "6", "--format", "json");
        List<Map<String, Object>> at = json("table", "ReduceLROnPlateau(patience=1, factor=0.5)", "--metrics",
                metrics.toString(), "--at", "6,0,3", "--format", "json");
        assertThat(at).containsExactly(stepped.get(6), stepped.get(0), stepped.get(3));
        assertThat(run("table", "ReduceLROnPlateau(patience=1, factor=0.5)", "--metrics", metrics.toString(), "--at", "7"))
                .isEqualTo(2);
    }
}
