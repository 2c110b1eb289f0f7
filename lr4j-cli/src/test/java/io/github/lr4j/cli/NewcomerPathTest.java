package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
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

    // ---- 7. help wrapped once, examples whole; one version ----

    /** The example lines of a command's help: each must be whole on its line, and paste and run as printed. */
    private List<String> examples(String... helpArgs) {
        out.getBuffer().setLength(0);
        assertThat(run(helpArgs)).isZero();
        return out.toString().lines().filter(l -> l.startsWith("  lr4j ")).toList();
    }

    @Test
    void help_descriptionsAreWrappedOnce_noLineBreaksMidSentenceOrTooLong() {
        for (String command : List.of("train", "check", "table", "plot", "compare", "find-lr", "list")) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            List<String> lines = out.toString().lines().toList();
            for (int i = 0; i + 1 < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("  lr4j ")) {
                    continue;
                }
                assertThat(line.length()).as(command + ": " + line).isLessThanOrEqualTo(80);
                String next = lines.get(i + 1).strip();
                // wrapped once: a line is only broken where the next word would not have fitted
                boolean continues = !next.isEmpty() && !next.startsWith("-") && !next.startsWith("lr4j ")
                        && Character.isLowerCase(next.charAt(0)) && !line.isBlank() && !line.strip().startsWith("-")
                        && line.startsWith(" ") == lines.get(i + 1).startsWith(" ") && !line.startsWith(" ");
                if (continues) {
                    String firstWord = next.split(" ")[0];
                    assertThat(line.length() + 1 + firstWord.length()).as(command + ": '" + line + "' then '" + next + "'")
                            .isGreaterThan(79); // picocli fills lines to 79 columns of its 80
                }
            }
        }
    }

    @Test
    void help_examplesPasteAndRunAsPrinted() {
        List<String> train = examples("train", "--help");
        assertThat(train).contains("  lr4j train --optimizer 'AdamW(lr=1e-3, weight_decay=0.01)' --scheduler"
                + " 'CosineAnnealingLR(T_max=total_steps)' --interval step");
        for (String example : train) {
            List<String> args = new java.util.ArrayList<>(shellWords(example));
            args.add("--print-config"); // parses and resolves every option, trains nothing
            out.getBuffer().setLength(0);
            err.getBuffer().setLength(0);
            assertThat(run(args.subList(1, args.size()).toArray(new String[0]))).as(example + "\n" + err).isZero();
        }
        List<String> check = examples("check", "--help");
        assertThat(check).hasSizeGreaterThanOrEqualTo(5);
        for (String example : check) {
            List<String> args = shellWords(example);
            err.getBuffer().setLength(0);
            assertThat(run(args.subList(1, args.size()).toArray(new String[0]))).as(example + "\n" + err).isIn(0, 1);
        }
    }

    /** A command line split as a POSIX shell does, for the quoting the examples use ('...' and a # comment). */
    static List<String> shellWords(String line) {
        List<String> words = new java.util.ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char ch : line.strip().toCharArray()) {
            if (ch == '\'' ) {
                quoted = !quoted;
                inWord = true;
            } else if (ch == '#' && !quoted && !inWord) {
                break;
            } else if (ch == ' ' && !quoted) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(ch);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        return words;
    }

    @Test
    void version_isTheBuildsVersion() throws Exception {
        String pom = java.nio.file.Files.readString(Path.of("pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<parent>.*?<version>([^<]+)</version>", java.util.regex.Pattern.DOTALL)
                .matcher(pom);
        assertThat(m.find()).isTrue();
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString().strip()).isEqualTo("lr4j " + m.group(1));
    }
}
