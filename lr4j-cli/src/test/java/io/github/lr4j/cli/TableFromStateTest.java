package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
 * {@code table SPEC --from-state FILE}: a run saved by PyTorch 2.x continues with PyTorch's values. The expected
 * numbers are the traces real PyTorch code wrote (lr4j-core's golden/pytorch2-extra cases with a resume_state).
 */
class TableFromStateTest extends CliHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Surefire runs in the module's directory; the cases live once, in lr4j-core. */
    private static final Path CASES = Path.of("../lr4j-core/src/test/resources/golden/pytorch2-extra");

    @TempDir
    Path dir;

    /** Every PyTorch-saved run stepped with plain step() (not step(epoch), which the table does not take). */
    static Stream<Path> resumeCases() throws Exception {
        assertThat(CASES).as("the golden cases of lr4j-core").isDirectory();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(CASES)) {
            for (Path f : files.sorted().toList()) {
                Map<String, Object> c = read(f);
                if (c.get("resume_state") != null && c.get("epochs") == null) {
                    out.add(f);
                }
            }
        }
        assertThat(out).hasSizeGreaterThanOrEqualTo(20);
        return out.stream();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Path f) throws Exception {
        return JSON.readValue(Files.readString(f), Map.class);
    }

    /** The case's scheduler and optimizer as table arguments, with --from-state FILE. */
    private static List<String> args(Map<String, Object> c, Path state) throws Exception {
        int steps = ((Number) c.get("steps")).intValue() - ((Number) c.get("resume_at")).intValue();
        List<String> args = new ArrayList<>(List.of("table", String.valueOf(c.get("scheduler")), "--from-state", state.toString(),
                "--steps", String.valueOf(steps), "--format", "json", "--optimizer", c.get("optimizer") + "(lr=0.1)"));
        return args;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resumeCases")
    @SuppressWarnings("unchecked")
    void pytorchSavedState_tableContinuesWithPyTorchsTrace(Path file) throws Exception {
        Map<String, Object> c = read(file);
        int resumeAt = ((Number) c.get("resume_at")).intValue();
        Map<String, Object> saved = (Map<String, Object>) c.get("resume_state");
        Path state = dir.resolve("state.json");
        Map<String, Object> wrapped = new LinkedHashMap<>();
        wrapped.put("state_dict", saved);
        wrapped.put("param_groups", c.get("resume_groups"));
        Files.writeString(state, JSON.writeValueAsString(wrapped));
        List<String> args = args(c, state);
        List<Object> metrics = (List<Object>) c.get("metrics");
        if (metrics != null) {
            Path m = dir.resolve("metrics.json");
            Files.writeString(m, JSON.writeValueAsString(metrics.subList(resumeAt, metrics.size())));
            args.addAll(List.of("--metrics", m.toString()));
        }

        assertThat(run(args.toArray(String[]::new))).as(err.toString()).isZero();

        List<Map<String, Object>> rows = JSON.readValue(out.toString(), List.class);
        List<Map<String, Object>> want = ((List<Map<String, Object>>) c.get("trace")).subList(resumeAt,
                ((List<?>) c.get("trace")).size());
        assertThat(rows).hasSameSizeAs(want);
        long first = ((Number) (saved.containsKey("last_epoch") ? saved.get("last_epoch")
                : ((Map<String, Object>) ((List<?>) saved.get("_schedulers")).get(0)).get("last_epoch"))).longValue();
        for (int i = 0; i < rows.size(); i++) {
            assertThat(((Number) rows.get(i).get("step")).longValue()).isEqualTo(first + i);
        }
        assertSameValues(file.getFileName() + " lr", want, rows, "lr");
        boolean momentumMoves = want.stream().map(w -> w.get("momentum")).distinct().count() > 1;
        if (momentumMoves) {
            assertThat(rows.get(0)).as("a momentum column").containsKey("momentum");
        }
        if (rows.get(0).containsKey("momentum")) {
            assertSameValues(file.getFileName() + " momentum", want, rows, "momentum");
        }
    }

    /** The project's tolerance: |a - b| / (|b| + 1e-3 * peak) <= 1e-10, peak = the largest |value| of that key. */
    @SuppressWarnings("unchecked")
    private static void assertSameValues(String name, List<Map<String, Object>> want, List<Map<String, Object>> got, String key) {
        double peak = 0;
        for (Map<String, Object> w : want) {
            for (Object v : (List<Object>) w.get(key)) {
                peak = Math.max(peak, Math.abs(((Number) v).doubleValue()));
            }
        }
        for (int i = 0; i < want.size(); i++) {
            List<Object> w = (List<Object>) want.get(i).get(key);
            Object printed = got.get(i).get(key);
            List<Object> g = printed instanceof List ? (List<Object>) printed : List.of(printed); // one group: a number
            assertThat(g).as(name + " row " + i).hasSameSizeAs(w);
            for (int j = 0; j < w.size(); j++) {
                double b = ((Number) w.get(j)).doubleValue();
                double a = ((Number) g.get(j)).doubleValue();
                assertThat(Math.abs(a - b) / (Math.abs(b) + 1e-3 * peak)).as(name + " row " + i + " group " + j + ": " + a
                        + " vs PyTorch's " + b).isLessThanOrEqualTo(1e-10);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void bareStateDict_takesTheLrsFromTheState() throws Exception {
        Map<String, Object> c = read(CASES.resolve("p2_resume_cosine.json"));
        Path state = dir.resolve("bare.json");
        Files.writeString(state, JSON.writeValueAsString(c.get("resume_state")));

        assertThat(run(args(c, state).toArray(String[]::new))).as(err.toString()).isZero();

        List<Map<String, Object>> rows = JSON.readValue(out.toString(), List.class);
        List<Map<String, Object>> want = ((List<Map<String, Object>>) c.get("trace")).subList(7, 17);
        assertThat(rows.get(0).get("step")).isEqualTo(7);
        assertSameValues("bare p2_resume_cosine lr", want, rows, "lr");
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimizersOwnParamGroups_withBetasAndParams_areRead() throws Exception {
        Map<String, Object> c = read(CASES.resolve("p2_cyclic_adam_triangular2_resume.json"));
        List<Map<String, Object>> groups = new ArrayList<>();
        int i = 0;
        for (Map<String, Object> g : (List<Map<String, Object>>) c.get("resume_groups")) {
            // the shape of optimizer.state_dict()["param_groups"] for Adam: betas, not momentum; params and the rest
            groups.add(Map.of("lr", g.get("lr"), "initial_lr", g.get("initial_lr"), "betas", List.of(g.get("momentum"), 0.999),
                    "eps", 1e-8, "weight_decay", 0, "params", List.of(i++)));
        }
        Path state = dir.resolve("adam.json");
        Files.writeString(state, JSON.writeValueAsString(Map.of("state_dict", c.get("resume_state"), "param_groups", groups)));

        assertThat(run(args(c, state).toArray(String[]::new))).as(err.toString()).isZero();

        List<Map<String, Object>> rows = JSON.readValue(out.toString(), List.class);
        List<Map<String, Object>> want = ((List<Map<String, Object>>) c.get("trace")).subList(9, ((List<?>) c.get("trace")).size());
        assertSameValues("p2_cyclic_adam_triangular2_resume lr", want, rows, "lr");
        assertSameValues("p2_cyclic_adam_triangular2_resume beta1", want, rows, "momentum");
    }

    @Test
    @SuppressWarnings("unchecked")
    void lr4jsOwnState_continuesAsAnUninterruptedRun() throws Exception {
        assertThat(run("table", "StepLR(step_size=3, gamma=0.5)", "--groups", "0.1,0.01", "--steps", "9", "--format", "json"))
                .isZero();
        List<Map<String, Object>> whole = JSON.readValue(out.toString(), List.class);
        io.github.lr4j.groups.ParamGroups groups = io.github.lr4j.groups.ParamGroups.of(0.1, 0.01);
        io.github.lr4j.scheduler.Scheduler s = io.github.lr4j.spec.ScheduleSpec.build("StepLR(step_size=3, gamma=0.5)", groups);
        for (int i = 0; i < 4; i++) {
            s.step(java.util.OptionalDouble.empty());
        }
        Path state = dir.resolve("lr4j.json");
        Files.writeString(state, JSON.writeValueAsString(s.state().toMap()));
        out.getBuffer().setLength(0);

        assertThat(run("table", "StepLR(step_size=3, gamma=0.5)", "--from-state", state.toString(), "--steps", "5",
                "--format", "json")).as(err.toString()).isZero();

        assertThat(JSON.readValue(out.toString(), List.class)).isEqualTo(whole.subList(4, 10));
    }

    private void assertRefused(String expected, String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("lr4j: ").contains(expected).doesNotContain("Exception", "\tat ");
    }

    @Test
    void stateOfAnotherType_exits2NamingTheFile() throws Exception {
        Map<String, Object> c = read(CASES.resolve("p2_resume_cosine.json"));
        Path state = dir.resolve("cosine.json");
        Files.writeString(state, JSON.writeValueAsString(c.get("resume_state")));
        assertRefused("--from-state " + state + ": cannot restore StepLR: the PyTorch state holds \"T_max\", which a StepLR state does not", "table", "StepLR(step_size=3)", "--from-state",
                state.toString());

        Path own = dir.resolve("own.json");
        Files.writeString(own, "{\"type\": \"ExponentialLR\", \"version\": 1, \"gamma\": 0.9, \"last_epoch\": 2,"
                + " \"base_lrs\": [0.1], \"_last_lr\": [0.081], \"_step_count\": 3}");
        assertRefused("cannot restore StepLR from the state of a ExponentialLR", "table", "StepLR(step_size=3)",
                "--from-state", own.toString());
    }

    @Test
    void malformedFiles_exit2WithOneLine() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"last_epoch\": 3,");
        assertRefused("--from-state " + bad + " is not valid JSON", "table", "StepLR(step_size=3)", "--from-state", bad.toString());

        Files.writeString(bad, "[1, 2]");
        assertRefused("--from-state " + bad + " is not a JSON object", "table", "StepLR(step_size=3)", "--from-state",
                bad.toString());

        Files.writeString(bad, "{\"state_dict\": {\"last_epoch\": 3}, \"param_group\": []}");
        assertRefused("unknown key \"param_group\"", "table", "StepLR(step_size=3)", "--from-state", bad.toString());

        Files.writeString(bad, "{\"step_size\": 3, \"gamma\": 0.1, \"base_lrs\": [0.1], \"last_epoch\": 3,"
                + " \"_last_lr\": [\"fast\"]}");
        assertRefused("\"_last_lr\"[0] must be a number, got fast", "table", "StepLR(step_size=3)", "--from-state",
                bad.toString());

        Files.writeString(bad, "{\"state_dict\": {\"step_size\": 3, \"gamma\": 0.1, \"base_lrs\": [0.1, 0.01], \"last_epoch\": 3,"
                + " \"_step_count\": 4, \"_last_lr\": [0.1, 0.01]}, \"param_groups\": [{\"lr\": 0.1}, {\"lr\": 0.01}]}");
        assertRefused("holds 2 param groups, the schedule was built on 1", "table", "StepLR(step_size=3)", "--groups", "0.1",
                "--from-state", bad.toString());

        assertRefused("no such file", "table", "StepLR(step_size=3)", "--from-state", dir.resolve("missing.json").toString());
        assertRefused("is a directory", "table", "StepLR(step_size=3)", "--from-state", dir.toString());
        assertRefused("--at and --from-state cannot be combined", "table", "StepLR(step_size=3)", "--at", "3",
                "--from-state", bad.toString());
    }

    @Test
    void cyclingMomentumWithoutTheOptimizersGroups_exits2SayingWhatToAdd() throws Exception {
        Map<String, Object> c = read(CASES.resolve("p2_resume_onecycle_sgd.json"));
        Path state = dir.resolve("onecycle.json");
        Files.writeString(state, JSON.writeValueAsString(c.get("resume_state")));
        assertRefused("OneCycleLR cycles momentum", "table", "OneCycleLR(max_lr=[0.1, 0.05], total_steps=12)",
                "--optimizer", "SGD(lr=0.1, momentum=0.9)", "--from-state", state.toString());
    }

    @Test
    void fifo_isRefusedAtOnce() throws Exception {
        Path f = dir.resolve("state.fifo");
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(f), "mkfifo failed");
        assertRefused("is not a regular file", "table", "StepLR(step_size=3)", "--from-state", f.toString());
    }
}
