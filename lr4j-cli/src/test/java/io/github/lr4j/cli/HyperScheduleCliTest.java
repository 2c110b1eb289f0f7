package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code train --schedule NAME=SPEC}: other hyper-parameters scheduled like the lr; clear one-line refusals. */
class HyperScheduleCliTest extends CliHarness {

    @Test
    void weightDecaySchedule_trains() {
        assertThat(run("train", "--quiet", "--epochs", "1", "--report", System.getProperty("java.io.tmpdir") + "/lr4j-hyper-cli",
                "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)")).isZero();
    }

    @Test
    void aResumeWithMoreEpochs_keepsTheScheduleFromTheCheckpoint(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String ckpt = dir.resolve("ckpt").toString();
        assertThat(run("train", "--quiet", "--epochs", "2", "--hidden", "0", "--report", dir.resolve("r").toString(),
                "--checkpoint-dir", ckpt, "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)")).isZero();
        // No --schedule typed: taken from the checkpoint, and stretched to the 4-epoch run.
        assertThat(run("train", "--quiet", "--epochs", "4", "--resume", dir.resolve("ckpt").resolve("epoch-00001.ckpt").toString(),
                "--report", dir.resolve("r2").toString(), "--checkpoint-dir", dir.resolve("ckpt2").toString())).isZero();
        // The same two schedules typed in another order are the same run.
        assertThat(run("train", "--quiet", "--epochs", "2", "--hidden", "0", "--report", dir.resolve("r4").toString(),
                "--checkpoint-dir", dir.resolve("ckpt4").toString(), "--schedule", "weight_decay=ConstantLR()", "--schedule",
                "momentum=ConstantLR()", "--scheduler", "none")).isZero();
        assertThat(run("train", "--quiet", "--epochs", "2", "--resume", dir.resolve("ckpt4").resolve("epoch-00001.ckpt").toString(),
                "--report", dir.resolve("r5").toString(), "--checkpoint-dir", dir.resolve("ckpt5").toString(),
                "--schedule", "momentum=ConstantLR()", "--schedule", "weight_decay=ConstantLR( )")).isZero();
        // Another schedule is another run.
        assertThat(run("train", "--epochs", "4", "--resume", dir.resolve("ckpt").resolve("epoch-00001.ckpt").toString(),
                "--checkpoint-dir", dir.resolve("ckpt3").toString(), "--schedule", "weight_decay=ConstantLR()")).isEqualTo(2);
        assertThat(err.toString()).contains("--schedule: the checkpoint's run had");
    }

    @Test
    void onTheDjlEngine_aWeightDecayScheduleTrains_andANameItLacksIsRefused() {
        assertThat(run("train", "--engine", "djl", "--quiet", "--epochs", "1", "--hidden", "16", "--report",
                System.getProperty("java.io.tmpdir") + "/lr4j-hyper-cli-djl", "--optimizer", "AdamW(lr=1e-3)",
                "--scheduler", "CosineAnnealingLR(T_max=total_steps)",
                "--schedule", "weight_decay=LinearLR(start_factor=1.0, end_factor=0.1, total_iters=total_steps)",
                "--schedule", "beta2=ConstantLR(factor=0.999, total_iters=10)")).isZero();
        assertThat(out.toString()).contains("engine djl");
        assertThat(run("train", "--engine", "djl", "--epochs", "1", "--optimizer", "AdamW(lr=1e-3)", "--schedule",
                "momentum=ConstantLR()")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: AdamW has no hyper-parameter momentum a schedule can drive; schedulable:"
                + " weight_decay, beta2, eps, beta1" + System.lineSeparator());
    }

    @Test
    void aMomentumScheduleUnderOneCycle_isRefused() {
        assertThat(run("train", "--epochs", "1", "--schedule", "momentum=LinearLR(start_factor=0.5, total_iters=10)")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: a momentum schedule cannot drive SGD's momentum: OneCycleLR already cycles it"
                + " (give it cycle_momentum=False, or drop the momentum schedule)" + System.lineSeparator());
    }

    @Test
    void aNameTheOptimizerLacks_isRefusedListingItsOwn() {
        assertThat(run("train", "--epochs", "1", "--schedule", "beta2=ConstantLR()")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: SGD has no hyper-parameter beta2; it has lr, momentum, dampening, weight_decay,"
                + " nesterov, maximize" + System.lineSeparator());
    }
}
