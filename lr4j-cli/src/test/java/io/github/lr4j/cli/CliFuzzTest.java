package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile schedules through the command line: every input gives exit 0 with finite, non-negative
 * lrs, or exit 2 with one or two lines and no Java internals; never 70, and each within seconds.
 */
class CliFuzzTest extends CliHarness {
    private static final List<String> VALID = List.of(
            "StepLR(step_size=3, gamma=0.5)",
            "OneCycleLR(max_lr=0.1, total_steps=30)",
            "CosineAnnealingLR(T_max=10, eta_min=0.001)",
            "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=25)], milestones=[5])",
            "CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=4)",
            "{\"type\": \"ExponentialLR\", \"gamma\": 0.9}",
            "{\"type\": \"MultiStepLR\", \"milestones\": [3, 6], \"gamma\": 0.1}");
    private static final List<String> EXTREMES = List.of("0", "-1", "1e308", "-1e308", "1e-320", "nan", "inf", "9999999999999999999",
            "'x'", "[]", "[1, [2]]", "None", "True", "lambda e: -1", "\"\\u0000\"", "{}", "0x10", "1_000", "1 / 0", "1 // 0",
            "2 % 0", "1__0", "10_", "010", "float('0x1p-1')", "float('0.5d')", "'m\\in'", "1+".repeat(30_000) + "1",
            "(lambda e: 1)(2)", "1e-320 / 1e-320");

    static Stream<String> inputs() {
        Random random = new Random(13);
        List<String> out = new ArrayList<>();
        for (String v : VALID) {
            for (int cut = 1; cut < v.length(); cut += 3) {
                out.add(v.substring(0, cut));
            }
            for (int k = 0; k < 25; k++) {
                StringBuilder m = new StringBuilder(v);
                int edits = 1 + random.nextInt(3);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(m.length());
                    switch (random.nextInt(3)) {
                        case 0 -> m.deleteCharAt(at);
                        case 1 -> m.insert(at, "()[]{},=:.'\"-0e9 ".charAt(random.nextInt(17)));
                        default -> m.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
                out.add(m.toString());
            }
        }
        for (String x : EXTREMES) {
            out.add("OneCycleLR(max_lr=" + x + ", total_steps=30)");
            out.add("{\"type\": \"StepLR\", \"step_size\": " + x + "}");
            // Gammas that overflow the lr to infinity: the core's guard fails the step, table exits 2.
            out.add("StepLR(step_size=3, gamma=" + x + ")");
            out.add("{\"type\": \"ExponentialLR\", \"gamma\": " + x + "}");
        }
        out.add("[".repeat(5000));
        out.add("{\"type\": " + "[".repeat(150) + "]".repeat(150) + "}");
        out.add("StepLR(" + "(".repeat(150) + "1" + ")".repeat(150) + ")");
        out.add("StepLR(step_size=3, gamma=0." + "9".repeat(100_000) + ")");
        // Round 3 of issue 22: chained calls, lambdas dividing by zero when stepped, trailing JSON, duplicate keys, timm noise.
        out.add("StepLR(step_size=3)(1)");
        out.add("LambdaLR(lr_lambda=lambda e: 1 / (e - 4) ** 2)");
        out.add("LambdaLR(lr_lambda=lambda e: " + "e+".repeat(30_000) + "1)");
        out.add("{\"type\": \"StepLR\", \"step_size\": 3} {\"type\": \"StepLR\", \"step_size\": 3}");
        out.add("{\"type\": \"StepLR\", \"step_size\": 3, \"step_size\": 2}");
        out.add("{\"type\": \"LambdaLR\", \"lr_lambda\": \"lambda e: " + "1+".repeat(30_000) + "1\"}");
        out.add("CosineLRScheduler(t_initial=10, noise_range_t=1, noise_pct=1e-9)");
        out.add("StepLR(optimizer, optimizer=optimizer, step_size=3)");
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("inputs")
    @Timeout(120)
    void table_hostileSpec_exits0WithFiniteLrsOr2WithOneOrTwoCleanLines(String spec) {
        int code = run("table", spec, "--steps", "30");
        if (code == 0) {
            for (String line : out.toString().lines().skip(1).toList()) {
                for (String cell : line.split(",")) {
                    double v = Double.parseDouble(cell);
                    assertThat(Double.isFinite(v) && v >= 0).as(spec + " printed " + line).isTrue();
                }
            }
            return;
        }
        assertThat(code).as(spec + " -> " + err).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as(spec).hasSizeBetween(1, 2);
        assertThat(lines.get(0)).as(spec).startsWith("lr4j: ").doesNotContain("Exception", "java.", "\tat ", "[D@", "(code ");
    }
}
