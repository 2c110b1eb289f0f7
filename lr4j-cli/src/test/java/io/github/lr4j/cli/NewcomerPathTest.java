package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #24, the newcomer's path: what a first-time user met, and what they expected. */
class NewcomerPathTest extends CliHarness {

    private String printed(String... args) {
        out.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isZero();
        return out.toString();
    }

    // ---- 1. the default schedule follows the optimizer ----

    @Test
    void train_scheduleFreeOptimizerWithoutScheduler_getsNoSchedule() {
        assertThat(printed("train", "--optimizer", "AdamWScheduleFree(lr=2.5e-3, warmup_steps=100)", "--print-config"))
                .contains("\"scheduler\" : \"none\"");
    }

    @Test
    void train_otherOptimizerWithoutScheduler_getsOneCycleAtTheOptimizersLr() {
        assertThat(printed("train", "--optimizer", "AdamW(lr=2.5e-3)", "--print-config"))
                .contains("\"scheduler\" : \"OneCycleLR(max_lr=0.0025, total_steps=total_steps)\"");
        assertThat(printed("train", "--print-config"))
                .contains("\"scheduler\" : \"OneCycleLR(max_lr=0.1, total_steps=total_steps)\"");
        assertThat(printed("train", "--optimizer", "AdamW(lr=2.5e-3)", "--scheduler", "StepLR(step_size=2)", "--print-config"))
                .contains("\"scheduler\" : \"StepLR(step_size=2)\"");
    }

    @Test
    void train_preflightPrintsTheEffectiveScheduleInOneLine(@TempDir Path dir) {
        assertThat(run("train", "--optimizer", "AdamWScheduleFree(lr=2.5e-3, warmup_steps=10)", "--epochs", "1", "--hidden", "8",
                "--no-augment", "--report", dir.resolve("a").toString())).as(err.toString()).isZero();
        assertThat(err.toString()).startsWith("schedule: none, a constant lr of 0.0025 (the default for AdamWScheduleFree)"
                + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("train", "--optimizer", "SGD(lr=0.05)", "--epochs", "1", "--hidden", "8", "--no-augment", "--report",
                dir.resolve("b").toString())).as(err.toString()).isZero();
        assertThat(err.toString()).startsWith("schedule: OneCycleLR(max_lr=0.05, total_steps=40,");
        assertThat(err.toString().lines().findFirst().orElseThrow())
                .endsWith(", stepped per optimizer step (the default for SGD)");
    }
}
