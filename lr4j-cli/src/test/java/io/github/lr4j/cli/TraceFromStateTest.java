package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code trace CASE.json --from-state FILE}: a run saved by PyTorch 2.x continues with PyTorch's values, also where
 * the steps take explicit epochs or metrics. The expected numbers are the traces real PyTorch code wrote (lr4j-core's
 * golden/pytorch2-extra and golden/pytorch2-tests cases with a resume_state).
 */
class TraceFromStateTest extends CliHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Surefire runs in the module's directory; the cases live once, in lr4j-core. */
    private static final Path GOLDEN = Path.of("../lr4j-core/src/test/resources/golden");

    @TempDir
    Path dir;

    static Stream<Path> resumeCases() throws Exception {
        List<Path> out = new ArrayList<>();
        for (String folder : List.of("pytorch2-extra", "pytorch2-tests")) {
            try (Stream<Path> files = Files.list(GOLDEN.resolve(folder))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) { // TESTS.md lives beside them
                    Map<String, Object> c = read(f);
                    if (c.get("resume_state") != null && c.get("error") == null) {
                        out.add(f);
                    }
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(40);
        return out.stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path f) throws Exception {
        return JSON.readValue(Files.readString(f), Map.class);
    }

    /** The case from its resume point on (steps, metrics and epochs after it) and PyTorch's saved state beside it. */
    @SuppressWarnings("unchecked")
    private List<String> split(Map<String, Object> c) throws Exception {
        int resumeAt = ((Number) c.get("resume_at")).intValue();
        int steps = ((Number) c.get("steps")).intValue();
        Map<String, Object> rest = new LinkedHashMap<>(c);
        rest.remove("resume_at");
        rest.put("steps", steps - resumeAt);
        for (String key : List.of("metrics", "epochs")) {
            if (c.get(key) != null) {
                rest.put(key, ((List<Object>) c.get(key)).subList(resumeAt, steps));
            }
        }
        Path caseFile = dir.resolve("case.json");
        Files.writeString(caseFile, JSON.writeValueAsString(rest));
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("state_dict", c.get("resume_state"));
        wrapped.put("param_groups", c.get("resume_groups"));
        Path state = dir.resolve("state.json");
        Files.writeString(state, JSON.writeValueAsString(wrapped));
        return List.of("trace", caseFile.toString(), "--from-state", state.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resumeCases")
    @SuppressWarnings("unchecked")
    void pytorchSavedState_traceContinuesWithPyTorchsTrace(Path file) throws Exception {
        Map<String, Object> c = read(file);
        int resumeAt = ((Number) c.get("resume_at")).intValue();

        assertThat(run(split(c).toArray(String[]::new))).as(err.toString()).isZero();

        Map<String, Object> result = JSON.readValue(out.toString(), Map.class);
        Map<String, Object> saved = (Map<String, Object>) c.get("resume_state");
        Object lastEpoch = saved.containsKey("last_epoch") ? saved.get("last_epoch")
                : ((Map<String, Object>) ((List<?>) saved.get("_schedulers")).get(0)).get("last_epoch");
        assertThat(((Number) result.get("from_step")).longValue()).isEqualTo(((Number) lastEpoch).longValue());
        List<Map<String, Object>> want = ((List<Map<String, Object>>) c.get("trace")).subList(resumeAt,
                ((List<?>) c.get("trace")).size());
        List<Map<String, Object>> got = (List<Map<String, Object>>) result.get("trace");
        assertThat(got).hasSameSizeAs(want);
        for (String key : List.of("lr", "momentum")) {
            assertSameValues(file.getFileName() + " " + key, want, got, key);
        }
    }

    @Test
    void caseWithResumeAt_isRefusedInOneLine() throws Exception {
        Map<String, Object> c = read(GOLDEN.resolve("pytorch2-extra/p2_resume_step.json"));
        List<String> args = new ArrayList<>(split(c));
        Files.writeString(dir.resolve("case.json"), JSON.writeValueAsString(c)); // resume_at left in

        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip()).contains("resume_at").doesNotContain("\n");
    }

    /** A StepLR state continued by an ExponentialLR: PyTorch's load_state_dict would mix the two; lr4j refuses. */
    @Test
    void stateOfAnotherScheduler_isRefusedInOneLine() throws Exception {
        Map<String, Object> c = new LinkedHashMap<>(read(GOLDEN.resolve("pytorch2-extra/p2_resume_step.json")));
        List<String> args = split(c);
        Map<String, Object> other = new LinkedHashMap<>(read(dir.resolve("case.json")));
        other.put("scheduler", "ExponentialLR(optimizer, gamma=0.3)");
        Files.writeString(dir.resolve("case.json"), JSON.writeValueAsString(other));

        assertThat(run(args.toArray(String[]::new))).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().strip()).contains("step_size").contains("another scheduler").doesNotContain("\n");
    }

    /** The project's tolerance: |a - b| <= 1e-10 * (|b| + 1e-3 * peak), peak = the largest |value| of that key. */
    @SuppressWarnings("unchecked")
    private static void assertSameValues(String name, List<Map<String, Object>> want, List<Map<String, Object>> got, String key) {
        double peak = 0;
        for (Map<String, Object> w : want) {
            for (Object v : (List<Object>) w.get(key)) {
                peak = v == null ? peak : Math.max(peak, Math.abs(((Number) v).doubleValue()));
            }
        }
        for (int i = 0; i < want.size(); i++) {
            List<Object> w = (List<Object>) want.get(i).get(key);
            List<Object> g = (List<Object>) got.get(i).get(key);
            assertThat(g).as(name + " entry " + i).hasSameSizeAs(w);
            for (int j = 0; j < w.size(); j++) {
                if (w.get(j) == null) {
                    assertThat(g.get(j)).as(name + " entry " + i + " group " + j).isNull();
                    continue;
                }
                double b = ((Number) w.get(j)).doubleValue();
                double a = ((Number) g.get(j)).doubleValue();
                assertThat(Math.abs(a - b)).as(name + " entry " + i + " group " + j + ": " + a + " vs PyTorch's " + b)
                        .isLessThanOrEqualTo(1e-10 * (Math.abs(b) + 1e-3 * peak));
            }
        }
    }
}
