package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's page without a browser: its size, its data, one colour per run; and epochs.csv's lr_trained columns. */
class ReportTest extends CliHarness {

    /** A run shaped like the default {@code ./lr4j train}: 20 epochs of 197 steps, lr and momentum cycled, a noisy loss. */
    private static Report.Run run(String name, long seed, boolean weightDecay) {
        Random random = new Random(seed);
        List<Map<String, Object>> steps = new ArrayList<>();
        List<Map<String, Object>> epochs = new ArrayList<>();
        int total = 3940;
        for (int s = 1; s <= total; s++) {
            Map<String, Object> row = new LinkedHashMap<>();
            double t = (double) s / total;
            row.put("step", (long) s);
            row.put("epoch", (s - 1) / 197 + 1);
            row.put("batch", (s - 1) % 197);
            row.put("loss", 2.3 * Math.exp(-5 * t) * (0.5 + random.nextDouble()));
            row.put("skipped", false);
            row.put("lr0", 0.1 * Math.sin(Math.PI * t) + 1e-6 * random.nextDouble());
            row.put("momentum0", 0.95 - 0.1 * Math.sin(Math.PI * t));
            if (weightDecay) {
                row.put("weight_decay0", 5e-4 * Math.cos(Math.PI * t / 2));
            }
            steps.add(row);
        }
        for (int e = 1; e <= 20; e++) {
            epochs.add(Map.of("epoch", e, "step", (long) e * 197, "epoch_end", true, "val_loss", 1.0 / e + random.nextDouble() / 100,
                    "val_accuracy", 1 - 0.2 / e, "lr0", 0.05));
        }
        return new Report.Run(name, steps, epochs, Report.summary("test accuracy", "98.89%"));
    }

    @Test
    void defaultRunsPage_withItsDataInlined_isWithinTheSizeTarget(@TempDir Path dir) throws Exception {
        Report.write(dir, "lr4j train: MLP on digits", List.of("note"), List.of(run("digits", 1, false)));
        assertThat(Files.size(dir.resolve("index.html"))).isLessThanOrEqualTo(ReportBrowserTest.PAGE_BYTES);
        assertThat(dir.resolve(Report.ECHARTS_FILE)).isNotEmptyFile();
        String page = Files.readString(dir.resolve("index.html"));
        assertThat(page).contains("<script src=\"echarts.min.js\">").contains("id=\"lr4j-data\"").doesNotContain("<svg")
                .doesNotContain("src=\"http");
        for (String f : List.of("lr", "momentum", "loss", "accuracy")) {
            assertThat(dir.resolve(f + ".png")).isNotEmptyFile();
            assertThat(dir.resolve(f + ".svg")).isNotEmptyFile();
        }
    }

    @Test
    void panels_ofSeveralRuns_oneColourPerRunInEveryChart_aChartPerScheduledHyperParameter_accuracyInPercent() {
        List<Report.Panel> panels = Report.panels(List.of(run("1: a", 1, true), run("2: b", 2, true), run("3: c", 3, true)));
        assertThat(panels).extracting(Report.Panel::id).containsExactly("lr", "momentum", "weight_decay", "loss", "accuracy");
        for (Report.Panel p : panels) {
            for (Report.Series s : p.series()) {
                int run = Integer.parseInt(s.name().substring(0, 1)) - 1;
                assertThat(s.colour()).as(p.id() + ": " + s.name()).isEqualTo(run);
            }
        }
        assertThat(panels).allMatch(Report.Panel::legend);
        Report.Panel loss = panels.get(3);
        assertThat(loss.series()).extracting(Report.Series::dashed).containsExactly(false, true, false, true, false, true);
        Report.Panel accuracy = panels.get(4);
        assertThat(accuracy.percent()).isTrue();
        assertThat(accuracy.series().get(0).y()[19]).isEqualTo(99.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void thin_keepsAStepSchedulesCornersExactly_andAboutMaxPoints() {
        int n = 10_000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
            y[i] = 0.1 * Math.pow(0.5, i / 777); // drops at 777, 1554, ... : not on any stride
        }
        Report.Series thin = Report.thin(new Report.Series("lr", 0, false, x, y), 1000);
        assertThat(thin.x().length).isBetween(1000, 1030);
        List<Double> xs = Arrays.stream(thin.x()).boxed().toList();
        assertThat(xs).contains(777.0, 778.0, 1554.0, 1555.0, (double) n);
    }

    @Test
    void number_isShortAndPlain() {
        assertThat(Report.number(0.00400016982864157)).isEqualTo("0.00400017");
        assertThat(Report.number(197)).isEqualTo("197");
        assertThat(Report.number(Double.NaN)).isEqualTo("null");
        assertThat(Report.number(2.5e-7)).isEqualTo("2.5E-7");
    }

    @Test
    void epochsCsv_lrTrained_isTheLrTheEpochTrainedWith_theRowsLrTheNextOnes(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--epochs", "3", "--hidden", "16", "--no-augment", "--quiet", "--optimizer", "SGD(lr=0.1)",
                "--scheduler", "StepLR(step_size=1, gamma=0.5)", "--interval", "epoch", "--report", dir.toString()))
                .as(err.toString()).isZero();
        List<String> csv = Files.readAllLines(dir.resolve("logs/epochs.csv"));
        assertThat(csv.get(0)).startsWith("epoch,step,epoch_end,train_loss,val_loss,val_accuracy,lr0,best").endsWith(",lr_trained0");
        List<String> header = List.of(csv.get(0).split(","));
        double[] trained = new double[3];
        double[] after = new double[3];
        for (int e = 0; e < 3; e++) {
            String[] cells = csv.get(e + 1).split(",");
            trained[e] = Double.parseDouble(cells[header.indexOf("lr_trained0")]);
            after[e] = Double.parseDouble(cells[header.indexOf("lr0")]);
        }
        assertThat(trained).containsExactly(0.1, 0.05, 0.025);
        assertThat(after).containsExactly(0.05, 0.025, 0.0125);
    }
}
