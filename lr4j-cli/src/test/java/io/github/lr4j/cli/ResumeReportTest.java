package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report of a resumed run shows the whole run and names each run length; {@code --resume latest} with nothing to resume. */
class ResumeReportTest extends CliHarness {

    private static JsonNode chart(Path report, String id) throws Exception {
        String html = Files.readString(report.resolve("index.html"));
        int from = html.indexOf('>', html.indexOf("id=\"lr4j-data\"")) + 1;
        JsonNode data = new ObjectMapper().readTree(html.substring(from, html.indexOf("</script>", from)));
        for (JsonNode c : data.get("charts")) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no chart " + id);
    }

    private static List<Double> xs(JsonNode chart, int series) {
        List<Double> out = new ArrayList<>();
        chart.get("series").get(series).get("x").forEach(x -> out.add(x.asDouble()));
        return out;
    }

    @Test
    void aRunResumedIntoANewFolder_isChartedFromItsFirstEpoch_andTheHeaderNamesEachRunLength(@TempDir Path dir) throws Exception {
        assertThat(run(resumable(dir, "a", "--epochs", "2"))).as(err.toString()).isZero();
        List<Double> lrStepsWhole = xs(chart(dir.resolve("a"), "lr"), 0);
        long stepsPerEpoch = Math.round(lrStepsWhole.get(lrStepsWhole.size() - 1)) / 2;
        assertThat(run(resumable(dir, "b", "--resume", "latest", "--epochs", "3", "--continue-at-final-lr"))).as(err.toString()).isZero();

        // Epochs 1 and 2 come from the checkpoint's history: the accuracy chart holds all three epochs.
        assertThat(xs(chart(dir.resolve("b"), "accuracy"), 0)).containsExactly(1.0, 2.0, 3.0);
        // The lr chart starts within the first epoch (its end, from the history), not at the resume step.
        List<Double> lrSteps = xs(chart(dir.resolve("b"), "lr"), 0);
        assertThat(lrSteps.get(0)).isLessThanOrEqualTo(stepsPerEpoch);
        assertThat(lrSteps.get(lrSteps.size() - 1)).isEqualTo(3.0 * stepsPerEpoch);
        String html = Files.readString(dir.resolve("b/index.html"));
        assertThat(html).contains("run length: epochs 2 (steps 0-" + 2 * stepsPerEpoch + "), then 3 from epoch 3"
                + " (--continue-at-final-lr) (steps " + 2 * stepsPerEpoch + "-" + 3 * stepsPerEpoch + ")");
        // A run that was never resumed names its one length.
        assertThat(Files.readString(dir.resolve("a/index.html"))).contains("run length: epochs 2 (steps 0-" + 2 * stepsPerEpoch + ")");
    }

    @Test
    void resumeLatest_withNoCheckpointYet_startsAfresh_withCleanLogs(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ckpt"));
        Path logs = Files.createDirectories(dir.resolve("a/logs"));
        // What a run killed before its first checkpoint left behind.
        Files.writeString(logs.resolve("steps.csv"), "step,epoch\n1,1\n2,1\n");
        Files.writeString(logs.resolve("steps.jsonl"), "{\"step\":1,\"epoch\":1}\n{\"step\":2,\"epoch\":1}\n");
        assertThat(run(resumable(dir, "a", "--resume", "latest", "--epochs", "1"))).as(err.toString()).isZero();
        assertThat(err.toString()).contains("no checkpoint in " + dir.resolve("ckpt") + " yet: starting afresh");
        List<String> rows = Files.readAllLines(logs.resolve("steps.csv"));
        assertThat(rows.get(0)).startsWith("step,epoch,batch,loss");
        assertThat(rows.get(1)).startsWith("1,1,0,");
        assertThat(rows.stream().filter(r -> r.startsWith("1,")).count()).isEqualTo(1);
    }

    @Test
    void resumeLatest_withEveryCheckpointDamaged_exits2_namingThem(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("ckpt"));
        Files.writeString(dir.resolve("ckpt/epoch-00001.ckpt"), "not a checkpoint");
        Files.writeString(dir.resolve("ckpt/step-000000007.ckpt"), "LR4JCKPT truncated");
        assertThat(run(resumable(dir, "a", "--resume", "latest", "--epochs", "1"))).isEqualTo(2);
        assertThat(err.toString()).contains("every checkpoint in " + dir.resolve("ckpt") + " is damaged")
                .contains("epoch-00001.ckpt").contains("step-000000007.ckpt");
        assertThat(dir.resolve("a")).doesNotExist();
    }
}
