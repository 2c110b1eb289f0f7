package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 22, round 3, through the command line: no hang, no exit 70, one clean line. */
class HostileInputRound3Test extends CliHarness {
    private static final Duration WATCHDOG = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    /** Exit 2 with one line "lr4j: ..." that contains {@code expected} and no Java. */
    private void assertRefused(int code, String expected) {
        assertThat(code).as(err.toString()).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as(err.toString()).hasSizeBetween(1, 2);
        assertThat(lines.get(0)).startsWith("lr4j: ").contains(expected)
                .doesNotContain("Exception", "java.", "\tat ", "$$Lambda", "'null'", "Infinityx");
    }

    private Path fifo(String name) throws Exception {
        Path f = dir.resolve(name);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", f.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here");
            return null;
        }
        assumeTrue(p.waitFor() == 0 && Files.exists(f), "mkfifo failed");
        return f;
    }

    @Test
    void fifoAsSpecFile_jsonSpec_orMetrics_isRefusedAtOnce() throws Exception {
        Path at = fifo("spec");
        Path json = fifo("spec.json");
        Path metrics = fifo("metrics");
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", "@" + at), "is not a regular file"));
        err.getBuffer().setLength(0);
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("check", json.toString(), "--steps", "5"),
                "is not a regular file"));
        err.getBuffer().setLength(0);
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", "ReduceLROnPlateau(patience=1)", "--steps", "5",
                "--metrics", metrics.toString()), "--metrics file " + metrics + " is not a regular file"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "{\"type\": \"StepLR\", \"step_size\": 3} {\"type\": \"StepLR\", \"step_size\": 4}",
        "{\"type\": \"StepLR\", \"step_size\": 3} trailing",
        "{\"type\": \"StepLR\", \"step_size\": 3} /* a comment */",
        "{\"type\": \"StepLR\", \"step_size\": 3}\u0000",
        "{\"type\": \"StepLR\", \"step_size\": 3}]",
        "{\"type\": \"StepLR\", \"step_size\": 3, \"step_size\": 4}",
        "{\"type\": \"SequentialLR\", \"schedulers\": [{\"type\": \"StepLR\", \"step_size\": 3, \"gamma\": 0.5, \"gamma\": 2}],"
                + " \"milestones\": []}"})
    void jsonSpec_withTrailingContentOrDuplicateKeys_isRefused(String spec) {
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", spec, "--steps", "5"), "is not valid JSON"));
    }

    @Test
    void jsonSpecFile_withASecondObject_isRefused() throws Exception {
        Path f = dir.resolve("two.json");
        Files.writeString(f, "{\"type\": \"StepLR\", \"step_size\": 3}\n{\"type\": \"StepLR\", \"step_size\": 4}\n");
        assertRefused(run("table", f.toString(), "--steps", "5"), "line 2, column 1: more follows the end of the JSON value");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"StepLR(step_size=3, gamma=1 / 0)", "StepLR(step_size=3, gamma=2 % 0)",
        "LambdaLR(lr_lambda=lambda e: 1 / (e - 3) ** 2)", "StepLR(step_size=3)(1)",
        "CosineLRScheduler(t_initial=10, noise_range_t=2, noise_pct=1e-9)",
        "{\"type\": \"LambdaLR\", \"lr_lambda\": \"lambda e: 1 / (e - 3) ** 2\"}", "StepLR(step_size=1__0)",
        "StepLR(step_size=3, gamma=float('0x1p-1'))", "ReduceLROnPlateau(mode='m\\in')"})
    void userErrors_exit2_notInternalErrors(String spec) {
        for (String command : new String[] {"table", "check"}) {
            err.getBuffer().setLength(0);
            int code = assertTimeoutPreemptively(WATCHDOG, () -> run(command, spec, "--steps", "10"));
            if (command.equals("check") && code != 2) {
                assertThat(code).as(spec + ": " + err + out).isIn(0, 1); // check may report a failing step as its finding
                assertThat(out.toString() + err).doesNotContain("internal error", "Exception", "$$Lambda");
                continue;
            }
            assertRefused(code, "");
        }
    }

    @Test
    void longFlatSum_inASpec_inAFile_orAJsonLambda_exits2WithTheColumn() throws Exception {
        String sum = "1+".repeat(30_000) + "1";
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", "StepLR(step_size=3, gamma=" + sum + ")"),
                "column 222: expression too deep"));
        err.getBuffer().setLength(0);
        Path f = dir.resolve("sum.txt");
        Files.writeString(f, "LambdaLR(lr_lambda=lambda e: " + sum + ")");
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", "@" + f), "expression too deep"));
        err.getBuffer().setLength(0);
        assertTimeoutPreemptively(WATCHDOG, () -> assertRefused(run("table", "{\"type\": \"LambdaLR\", \"lr_lambda\":"
                + " \"lambda e: " + sum + "\"}"), "expression too deep"));
    }

    @Test
    void scheduleGivenTwiceForOneHyperParameter_isRefused() {
        assertRefused(run("train", "--schedule", "weight_decay=ConstantLR(factor=0.5)", "--schedule",
                "weight_decay=ExponentialLR(gamma=0.9)", "--epochs", "1"), "--schedule weight_decay is given twice");
        err.getBuffer().setLength(0);
        assertRefused(run("train", "--schedule=eps=ConstantLR(factor=0.5)", "--schedule=eps=ConstantLR(factor=0.9)",
                "--epochs", "1"), "--schedule eps is given twice");
    }
}
