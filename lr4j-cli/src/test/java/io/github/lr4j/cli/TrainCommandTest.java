package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train, find-lr and compare through picocli, on short runs. */
class TrainCommandTest extends CliHarness {

    @Test
    void train_writesTheReport_andResumesFromTheLatestCheckpoint(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Path ckpt = dir.resolve("ckpt");
        assertThat(run("train", "--epochs", "3", "--hidden", "32", "--no-augment", "--report", report.toString(),
                "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "20", "--keep", "10")).isZero();
        assertThat(out.toString()).contains("test accuracy ").contains("| 3 epochs, 120 steps, 0 skipped |");
        for (String f : List.of("index.html", "lr.png", "lr.svg", "momentum.png", "loss.svg", "accuracy.png", "logs/steps.csv",
                "logs/epochs.jsonl")) {
            assertThat(report.resolve(f)).exists();
        }
        BufferedImage lr = ImageIO.read(report.resolve("lr.png").toFile());
        assertThat(lr.getWidth()).isEqualTo(900);
        assertThat(Files.readAllLines(report.resolve("logs/steps.csv"))).hasSize(121);
        assertThat(err.toString()).contains("epoch 3/3");

        String firstSummary = out.toString().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();

        // Resuming from a mid-run checkpoint with the same settings ends exactly where the first run ended.
        out.getBuffer().setLength(0);
        assertThat(run("train", "--epochs", "3", "--hidden", "32", "--no-augment", "--report", dir.resolve("report2").toString(),
                "--checkpoint-dir", dir.resolve("ckpt2").toString(), "--resume", ckpt.resolve("step-000000060.ckpt").toString()))
                .isZero();
        String resumedSummary = out.toString().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertThat(resumedSummary.substring(0, resumedSummary.indexOf(" skipped"))).isEqualTo(firstSummary.substring(0,
                firstSummary.indexOf(" skipped")));

        // Other settings are refused with a clear message.
        assertThat(run("train", "--epochs", "5", "--hidden", "32", "--no-augment", "--report", report.toString(),
                "--checkpoint-dir", ckpt.toString(), "--resume", "latest", "--scheduler", "none")).isEqualTo(2);
        assertThat(err.toString()).contains("it was written by a run with other settings")
                .contains("  --scheduler: the checkpoint's run had 'OneCycleLR(max_lr=0.1, total_steps=total_steps)', this one has 'none'");
    }

    @Test
    void train_withPlateauAndEarlyStopping(@TempDir Path dir) {
        assertThat(run("train", "--epochs", "40", "--hidden", "16", "--no-augment", "--optimizer", "SGD(lr=0.3)",
                "--scheduler", "ReduceLROnPlateau(factor=0.5, patience=1)", "--early-stopping", "3", "--quiet",
                "--report", dir.toString())).isZero();
        assertThat(out.toString()).contains("(early stop)");
    }

    @Test
    void train_oneCycleSizedWrong_exits2BeforeTraining(@TempDir Path dir) {
        assertThat(run("train", "--epochs", "3", "--scheduler", "OneCycleLR(max_lr=0.1, total_steps=10)", "--report", dir.toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("OneCycleLR has total_steps=10 but this run steps it");
    }

    @Test
    void findLr_printsASuggestionAndDrawsTheCurve(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("finder.png");
        assertThat(run("find-lr", "--hidden", "32", "--steps", "120", "-o", png.toString())).isZero();
        assertThat(out.toString()).containsPattern("suggested lr [0-9.e-]+ \\(steepest descent\\); valley [0-9.e-]+; minimum/10");
        assertThat(ImageIO.read(png.toFile()).getHeight()).isEqualTo(450);
    }

    @Test
    void compare_tablesTheRuns_andOverlaysThem(@TempDir Path dir) throws Exception {
        assertThat(run("compare", "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "StepLR(step_size=1, gamma=0.5)", "none",
                "--epochs", "2", "--hidden", "16", "--no-augment", "--report", dir.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).startsWith("run  test acc");
        assertThat(lines.get(1)).startsWith("1 ").endsWith("OneCycleLR(max_lr=0.1, total_steps=total_steps)");
        assertThat(lines.get(3)).startsWith("3 ").endsWith("none");
        // Which run is training is said as each starts (issue 24, item 8).
        assertThat(err.toString()).contains("compare: run 1/3: OneCycleLR(max_lr=0.1, total_steps=total_steps) ...")
                .contains("compare: run 3/3: none ...");
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("1: OneCycleLR").contains("2: StepLR").contains("3: constant");
        assertThat(Files.readString(dir.resolve("lr.svg"))).contains("<desc>1: OneCycleLR; 2: StepLR; 3: constant</desc>");
    }

    @Test
    void compare_withAnOptimizerPerRun_putsScheduleFreeBesideAScheduledOne(@TempDir Path dir) throws Exception {
        assertThat(run("compare", "none", "CosineAnnealingLR(T_max=epochs)", "--run-optimizer", "AdamWScheduleFree(lr=2.5e-3)",
                "--run-optimizer", "AdamW(lr=2.5e-3)", "--epochs", "2", "--hidden", "16", "--no-augment", "--report",
                dir.toString())).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(0)).endsWith("optimizer | schedule");
        assertThat(lines.get(1)).startsWith("1 ").endsWith("AdamWScheduleFree(lr=2.5e-3) | none");
        assertThat(lines.get(2)).startsWith("2 ").endsWith("AdamW(lr=2.5e-3) | CosineAnnealingLR(T_max=epochs)");
        assertThat(Files.readString(dir.resolve("index.html"))).contains("1: AdamWScheduleFree + constant")
                .contains("2: AdamW + CosineAnnealingLR");
    }

    @Test
    void compare_withRunOptimizersNotOnePerSpec_failsWithOneLine(@TempDir Path dir) {
        assertThat(run("compare", "none", "none", "--run-optimizer", "AdamW(lr=1e-3)", "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--run-optimizer must be given once per SPEC (2 times), got 1");
    }

    @Test
    void train_onTheDjlEngine_writesTheSameReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        assertThat(run("train", "--engine", "djl", "--epochs", "3", "--hidden", "64", "--quiet", "--report", report.toString()))
                .isZero();
        assertThat(out.toString()).startsWith("engine djl (PyTorch 2.7.1, CPU) | test accuracy ").contains("| 3 epochs, 591 steps |")
                .containsPattern("test accuracy \\d+\\.\\d\\d% \\(loss \\d\\.\\d{4}\\) \\|");
        for (String f : List.of("index.html", "lr.png", "lr.svg", "momentum.png", "loss.svg", "accuracy.png", "logs/steps.csv",
                "logs/epochs.jsonl")) {
            assertThat(report.resolve(f)).exists();
        }
        assertThat(Files.readAllLines(report.resolve("logs/steps.csv"))).hasSize(592);
        assertThat(Files.readAllLines(report.resolve("logs/epochs.csv"))).hasSize(4);
    }

    /** Without a provider, SLF4J (DJL's logging) prints three warnings to stderr on every DJL run. */
    @Test
    void djlLogging_hasAnSlf4jProvider() {
        assertThat(java.util.ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class).findFirst()).isPresent();
    }
}
