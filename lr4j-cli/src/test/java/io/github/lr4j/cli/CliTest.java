package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Drives the commands through picocli with output captured in StringWriters. */
class CliTest extends CliHarness {

    private static Path resource(String name) throws URISyntaxException {
        return Paths.get(CliTest.class.getResource("/" + name).toURI());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential_warmup_cosine.json", "resume_plateau.json", "cosine_warm_restarts_fractional.json",
        "onecycle_three_phase_adam.json"})
    @SuppressWarnings("unchecked")
    void trace_printsPyTorchsTraceAsOneJsonObject(String name) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> golden = json.readValue(Files.readString(resource(name)), Map.class);

        assertThat(run("trace", resource(name).toString())).isZero();

        assertThat(out.toString().strip().lines()).hasSize(1);
        Map<String, Object> printed = json.readValue(out.toString(), Map.class);
        List<Map<String, List<Object>>> want = (List<Map<String, List<Object>>>) golden.get("trace");
        List<Map<String, List<Object>>> got = (List<Map<String, List<Object>>>) printed.get("trace");
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            for (int g = 0; g < want.get(i).get("lr").size(); g++) {
                double w = ((Number) want.get(i).get("lr").get(g)).doubleValue();
                double v = ((Number) got.get(i).get("lr").get(g)).doubleValue();
                assertThat(Math.abs(v - w)).as(name + " trace[" + i + "].lr[" + g + "]").isLessThanOrEqualTo(1e-12 * Math.abs(w));
            }
        }
        assertThat(((Map<String, Object>) printed.get("state_dict")).get("last_epoch"))
                .isEqualTo(((Map<String, Object>) golden.get("state_dict")).get("last_epoch"));
    }

    @Test
    void trace_malformedExpression_exits2WithOneLineSayingWhereAndWhat(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"optimizer\": \"SGD\", \"param_groups\": [{\"lr\": 0.1}], "
                + "\"scheduler\": \"StepLR(optimizer, step_size=3 gamma=0.5)\", \"steps\": 3}");
        assertThat(run("trace", bad.toString())).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("lr4j: column 31: expected ',' but found 'gamma'" + System.lineSeparator());
    }

    @Test
    void trace_missingFile_exits2() {
        assertThat(run("trace", "/no/such/case.json")).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: no such file: /no/such/case.json");
    }

    @Test
    void trace_verbose_addsTheStackTrace() {
        assertThat(run("trace", "/no/such/case.json", "--verbose")).isEqualTo(2);
        assertThat(err.toString()).contains("at io.github.lr4j.cli");
    }

    @Test
    void table_printsEveryGroupAndMomentum() {
        assertThat(run("table", "OneCycleLR(max_lr=[0.1, 0.01], total_steps=10)", "--steps", "10", "--every", "5",
                "--groups", "0.1,0.01", "--momentum", "0.9")).isZero();
        List<String> lines = out.toString().strip().lines().toList();
        assertThat(lines.get(0)).isEqualTo("step,lr0,lr1,momentum0,momentum1");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).isEqualTo("0,0.0040000000000000036,3.999999999999993E-4,0.95,0.95");
    }

    @Test
    void table_unknownKeyword_suggestsTheNearestName() {
        assertThat(run("table", "CosineAnnealingLR(Tmax=10)")).isEqualTo(2);
        assertThat(err.toString()).contains("did you mean T_max?");
    }

    @Test
    void noCommand_showsTheDemoSchedule() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("| 0 | 0.01 | 0.001 |").contains("| 30 | 0.001 | 0.001 |");
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimTrace_printsTheParametersAfterEveryStep() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> golden = json.readValue(Files.readString(resource("sgd_momentum_onecycle.json")), Map.class);
        assertThat(run("optim-trace", resource("sgd_momentum_onecycle.json").toString())).isZero();
        List<List<List<List<Number>>>> want = (List<List<List<List<Number>>>>) golden.get("trace");
        List<List<List<List<Number>>>> got = (List<List<List<List<Number>>>>) json.readValue(out.toString(), Map.class).get("trace");
        assertThat(got).hasSameSizeAs(want);
        int last = want.size() - 1;
        for (int i = 0; i < want.get(last).get(0).get(0).size(); i++) {
            double w = want.get(last).get(0).get(0).get(i).doubleValue();
            assertThat(got.get(last).get(0).get(0).get(i).doubleValue()).isCloseTo(w, org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(w)));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void optimTrace_scheduleFreeCase_printsTrainAndEvalTraces() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> golden = json.readValue(Files.readString(resource("radam_sf_sgd_phase.json")), Map.class);
        assertThat(run("optim-trace", resource("radam_sf_sgd_phase.json").toString())).isZero();
        Map<String, Object> printed = json.readValue(out.toString(), Map.class);
        assertThat(printed).containsOnlyKeys("trace_train", "trace_eval");
        for (String trace : List.of("trace_train", "trace_eval")) {
            List<List<List<List<Number>>>> want = (List<List<List<List<Number>>>>) golden.get(trace);
            List<List<List<List<Number>>>> got = (List<List<List<List<Number>>>>) printed.get(trace);
            assertThat(got).hasSameSizeAs(want);
            int last = want.size() - 1;
            for (int i = 0; i < want.get(last).get(0).get(0).size(); i++) {
                double w = want.get(last).get(0).get(0).get(i).doubleValue();
                assertThat(got.get(last).get(0).get(0).get(i).doubleValue()).as(trace)
                        .isCloseTo(w, org.assertj.core.data.Offset.offset(1e-6 + 1e-5 * Math.abs(w)));
            }
        }
    }

    @Test
    void check_decayingScheduleOnAScheduleFreeOptimizer_warnsAndExplains() {
        assertThat(run("check", "CosineAnnealingLR(T_max=100)", "--steps", "100", "--optimizer", "AdamWScheduleFree(lr=2.5e-3)"))
                .isEqualTo(1);
        assertThat(out.toString()).contains("warning: AdamWScheduleFree is schedule-free but this schedule decays its lr (from"
                + " 0.0025 at step 0 to 0 at step 100): the optimizer's evaluation weights are a running average of its iterates");
    }

    @Test
    void check_warmUpOnlyOnAScheduleFreeOptimizer_isClean_andCosineOnAdamWIsToo() {
        assertThat(run("check", "LinearLR(start_factor=0.1, total_iters=10)", "--steps", "100", "--optimizer",
                "SGDScheduleFree(lr=0.5)")).isZero();
        assertThat(run("check", "CosineAnnealingLR(T_max=100)", "--steps", "100", "--optimizer", "AdamW(lr=2.5e-3)")).isZero();
        assertThat(out.toString()).doesNotContain("schedule-free");
    }

    @Test
    void check_verbose_warnsThatPyTorch27RemovedIt() {
        assertThat(run("check", "StepLR(step_size=3, gamma=0.5, verbose=True)", "--steps", "10")).isEqualTo(1);
        assertThat(out.toString()).contains("warning: column 32: StepLR(verbose=...) was removed in PyTorch 2.7 (a TypeError"
                + " there; deprecated since 2.2): lr4j accepts and ignores it");
        assertThat(run("check", "StepLR(step_size=3, gamma=0.5)", "--steps", "10")).isZero();
    }

    @Test
    void check_lastEpochOnResumedGroups_buildsAsPyTorch2() {
        // the language's groups start at their lr, which is also their initial lr: StepLR resumed after epoch 4
        assertThat(run("check", "StepLR(step_size=3, gamma=0.5, last_epoch=4)", "--steps", "3")).isZero();
    }
}
