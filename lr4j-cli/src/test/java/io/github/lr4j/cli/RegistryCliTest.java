package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A type registered through a SchedulerTypeProvider on the class path works in list, table, check, plot and train. */
class RegistryCliTest extends CliHarness {

    @Test
    void list_showsBuiltInAndRegisteredTypes() {
        assertThat(run("list")).isZero();
        assertThat(out.toString()).contains("StepLR(step_size, gamma=0.1)\n    lr = base * gamma^floor(t / step_size)\n")
                .contains("WarmupInvSqrtLR(warmup)\n").contains("    warmup (integer, >= 1): warm-up steps\n");
        out.getBuffer().setLength(0);
        assertThat(run("list", "OneCycleLR")).isZero();
        assertThat(out.toString()).startsWith("OneCycleLR(max_lr, total_steps=None,").contains("    e.g. OneCycleLR(");
        assertThat(run("list", "NoSuchLR")).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: unknown scheduler type 'NoSuchLR'; known: LambdaLR, ");
    }

    @Test
    void help_namesEveryRegisteredType() {
        assertThat(run("--help")).isZero();
        String help = out.toString().replaceAll("\\s+", " "); // the footer wraps at the terminal width
        assertThat(help).contains("Scheduler types (details: lr4j list): LambdaLR, MultiplicativeLR, StepLR,")
                .contains("SequentialLR, PerGroup, ChainedScheduler, get_constant_schedule,")
                .contains("get_scheduler, CosineLRScheduler,").contains("PlateauLRScheduler, ").contains(", WarmupInvSqrtLR");
    }

    @Test
    void table_stepsAndRandomAccess_ofARegisteredType() {
        assertThat(run("table", "WarmupInvSqrtLR(warmup=4)", "--steps", "16", "--every", "4", "--groups", "0.4")).isZero();
        assertThat(out.toString()).isEqualTo("step,lr0\n0,0.1\n4,0.4\n8,0.28284271247461906\n12,0.2309401076758503\n16,0.2\n");
        out.getBuffer().setLength(0);
        assertThat(run("table", "{\"type\": \"WarmupInvSqrtLR\", \"warmup\": 4}", "--at", "16,4e8", "--groups", "0.4")).isZero();
        assertThat(out.toString()).isEqualTo("step,lr0\n16,0.2\n400000000,4.0E-5\n");
    }

    @Test
    void check_runsTheRegisteredLints_insideAComposite() {
        assertThat(run("check", "SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), WarmupInvSqrtLR(warmup=50)],"
                + " milestones=[2])", "--steps", "20")).isEqualTo(1);
        assertThat(out.toString()).contains("steps 2-19: WarmupInvSqrtLR (restarted: counts from 0 at step 2)")
                .contains("warning: WarmupInvSqrtLR (in SequentialLR) warms up longer than the run (18 steps)");
    }

    @Test
    void plot_drawsARegisteredType(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("w.svg");
        assertThat(run("plot", "WarmupInvSqrtLR(warmup=10)", "--steps", "100", "-o", svg.toString())).isZero();
        assertThat(Files.readString(svg)).contains("<desc>lr: WarmupInvSqrtLR</desc>");
    }

    @Test
    void train_withARegisteredType_stepsItPerBatch_andResumes(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report");
        Path ckpt = dir.resolve("ckpt");
        assertThat(run("train", "--epochs", "2", "--hidden", "16", "--no-augment", "--quiet", "--optimizer", "SGD(lr=0.2)",
                "--scheduler", "WarmupInvSqrtLR(warmup=steps_per_epoch)", "--report", report.toString(),
                "--checkpoint-dir", ckpt.toString(), "--checkpoint-every", "30")).isZero();
        List<String> steps = Files.readAllLines(report.resolve("logs/steps.csv"));
        int lr = List.of(steps.get(0).split(",")).indexOf("lr0");
        // 40 optimizer steps per epoch: the lr the loop logs after step k is the schedule's value at k.
        assertThat(Double.parseDouble(steps.get(20).split(",")[lr])).isEqualTo(0.2 * 21 / 40);
        assertThat(Double.parseDouble(steps.get(80).split(",")[lr])).isEqualTo(0.2 * Math.sqrt(40.0 / 80));
        out.getBuffer().setLength(0);
        assertThat(run("train", "--epochs", "2", "--hidden", "16", "--no-augment", "--quiet", "--optimizer", "SGD(lr=0.2)",
                "--scheduler", "WarmupInvSqrtLR(warmup=steps_per_epoch)", "--report", dir.resolve("r2").toString(),
                "--checkpoint-dir", dir.resolve("ckpt2").toString(), "--resume", ckpt.resolve("step-000000060.ckpt").toString()))
                .isZero();
        assertThat(Files.readAllLines(dir.resolve("r2/logs/steps.csv")).get(20)).isEqualTo(steps.get(80));
    }
}
