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

    // ---- 4. timm: check takes --interval and the run's length ----

    @Test
    void check_timmPerEpoch_isCleanByDefault_andWithIntervalEpoch() {
        assertThat(run("check", "CosineLRScheduler(t_initial=10)", "--steps", "10")).as(out + "" + err).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("check", "CosineLRScheduler(t_initial=10)", "--interval", "epoch", "--epochs", "10"))
                .as(out + "" + err).isZero();
        assertThat(out.toString()).contains("no warnings");
    }

    @Test
    void check_timmSteppedTheOtherWay_namesTheInterval() {
        assertThat(run("check", "CosineLRScheduler(t_initial=10)", "--interval", "step", "--epochs", "2", "--steps-per-epoch",
                "5")).isEqualTo(1);
        assertThat(out.toString()).contains("but is stepped per optimizer step over 2 epochs: step it per epoch")
                .doesNotContain("stepped :");
    }

    @Test
    void check_epochsAndStepsPerEpoch_sizeTheRun_andFeedTheVariables() {
        assertThat(run("check", "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "--epochs", "5", "--steps-per-epoch", "40",
                "--momentum", "0.9"))
                .as(out + "" + err).isZero();
        assertThat(out.toString()).contains("OneCycleLR for 200 steps");
        assertThat(run("check", "OneCycleLR(max_lr=0.1, total_steps=100)", "--epochs", "5")).isEqualTo(2);
        assertThat(err.toString()).contains("--steps-per-epoch");
    }

    // ---- 5. Hugging Face ----

    @Test
    void check_hf_takesTheLengthFromNumTrainingSteps_andItsWarmupFromZeroIsANote() {
        assertThat(run("check", "get_linear_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)"))
                .as(out + "" + err).isZero();
        assertThat(out.toString()).contains("for 100 steps")
                .contains("note: lr 0 at step 0: get_linear_schedule_with_warmup warms up from 0, as transformers does")
                .contains("no warnings");
    }

    @Test
    void check_timmWarmupFromZero_isANote() {
        assertThat(run("check", "CosineLRScheduler(t_initial=10, warmup_t=2)", "--epochs", "10")).as(out + "" + err).isZero();
        assertThat(out.toString()).contains("note: lr 0 at step 0: CosineLRScheduler warms up from warmup_lr_init=0");
    }

    @Test
    void check_pytorchWarmupFromZero_stillWarns() {
        assertThat(run("check", "LambdaLR(lr_lambda=lambda s: min(1.0, s / 10))", "--steps", "20")).isEqualTo(1);
        assertThat(out.toString()).contains("warm-up starting at zero");
    }

    @Test
    void check_withoutAnyLength_saysWhatToGive() {
        assertThat(run("check", "CosineAnnealingLR(T_max=10)")).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: give the length of the run: --steps N");
    }

    @Test
    void getScheduler_acceptsTransformersEnumSpelling() {
        assertThat(run("check", "hf.get_scheduler(SchedulerType.LINEAR, optimizer, num_warmup_steps=10, num_training_steps=100)"))
                .as(out + "" + err).isZero();
        assertThat(out.toString()).contains("for 100 steps");
        out.getBuffer().setLength(0);
        assertThat(run("check", "get_scheduler(transformers.SchedulerType.COSINE_WITH_RESTARTS, optimizer, num_warmup_steps=1,"
                + " num_training_steps=10)")).as(out + "" + err).isZero();
        assertThat(run("check", "get_scheduler(SchedulerType.LINEARR, optimizer, num_warmup_steps=1, num_training_steps=10)"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("SchedulerType.LINEARR").contains("did you mean SchedulerType.LINEAR?");
    }

    // ---- 6. typos get "did you mean", messages use PyTorch's names ----

    @Test
    void misspeltOptimizer_getsDidYouMean() {
        assertThat(run("check", "StepLR(step_size=2)", "--steps", "5", "--optimizer", "SDG(lr=0.1)")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown optimizer 'SDG' (did you mean SGD?)");
    }

    @Test
    void misspeltOptimizerArgument_getsDidYouMean() {
        assertThat(run("check", "StepLR(step_size=2)", "--steps", "5", "--optimizer", "SGD(lr=0.1, momentun=0.9)")).isEqualTo(2);
        assertThat(err.toString()).contains("SGD has no hyper-parameter momentun (did you mean momentum?)");
    }

    @Test
    void misspeltOption_getsDidYouMean_andTheCommandsHelp() {
        assertThat(run("train", "--schedular", "StepLR(step_size=2)")).isEqualTo(2);
        assertThat(err.toString()).contains("'--schedular'").contains("(did you mean --scheduler?)")
                .contains("(see 'lr4j train --help')");
    }

    @Test
    void misspeltCommand_getsDidYouMean_andLr4jHelpOnce() {
        assertThat(run("trian")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: unknown command 'trian' (did you mean train?); the commands are "
                + String.join(", ", Main.commandLine().getSubcommands().keySet()) + System.lineSeparator()
                + "(see 'lr4j --help')" + System.lineSeparator());
    }

    @Test
    void negativeMaxLr_isNamedAsInPyTorch() {
        assertThat(run("check", "OneCycleLR(max_lr=-0.1, total_steps=10)", "--steps", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("max_lr").doesNotContain("maxLr");
        assertThat(run("check", "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=0)", "--steps", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("step_size_up").doesNotContain("stepSizeUp");
    }
}
