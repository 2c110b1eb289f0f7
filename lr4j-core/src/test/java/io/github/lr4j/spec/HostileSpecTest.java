package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Inputs of the schedule language that used to overflow the stack, escape as Java errors or be read as Python would not. */
class HostileSpecTest {

    private static ParamGroups groups() {
        return ParamGroups.of(0.1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"StepLR(step_size=3, gamma=%s)", "LambdaLR(lr_lambda=lambda e: %s)",
        "LambdaLR(lr_lambda=lambda e: 0.5 if %s else 1)", "StepLR(step_size=3, gamma=min(%s))"})
    void longFlatChains_failAsInputErrors_notStackOverflows(String template) {
        for (String chain : new String[] {"1+".repeat(30_000) + "1", "1*".repeat(30_000) + "1", "e or ".repeat(30_000) + "e",
            "1 < ".repeat(30_000) + "2", "1 and ".repeat(30_000) + "1", "math.pi" + ".x".repeat(30_000), "f" + "(1)".repeat(30_000)}) {
            String spec = String.format(template, chain);
            assertThatThrownBy(() -> ScheduleSpec.build(spec, groups())).as(spec.substring(0, 60))
                    .isInstanceOf(SpecException.class).hasMessageStartingWith("column ")
                    .hasMessageContaining("more than " + Parser.MAX_DEPTH + " levels");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lambda e: ", "lambda epoch: 0.9 ** epoch + "})
    void longFlatChain_inAJsonLambda_failsAsAnInputError(String prefix) {
        Map<String, Object> json = Map.of("type", "LambdaLR", "lr_lambda", prefix + "1+".repeat(30_000) + "1");
        assertThatThrownBy(() -> ScheduleSpec.build(json, groups())).isInstanceOf(SpecException.class)
                .hasMessageStartingWith("$.lr_lambda: column ").hasMessageContaining("levels");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {50, 90})
    void chainsWithinTheLimit_stillWork(int terms) {
        String spec = "StepLR(step_size=3, gamma=" + "0.01 + ".repeat(terms - 1) + "0.01)";
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, groups());
        assertThat(s.lrAt(3, 0)).isCloseTo(0.1 * 0.01 * terms, org.assertj.core.data.Offset.offset(1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=3, gamma=1 / 0)|column 29: StepLR: gamma: division by zero",
        "StepLR(step_size=3, gamma=1 // 0)|column 29: integer division or modulo by zero",
        "StepLR(step_size=3, gamma=1 % 0.0)|column 29: modulo by zero",
        "StepLR(step_size=3, gamma=(2 - 2) and 1 / (2 - 2) or 0.5 / (1 - 1))|column 58: division by zero",
    })
    void constantDivisionByZero_isAnInputErrorWithTheColumn(String spec, String message) {
        assertThatThrownBy(() -> ScheduleSpec.build(spec, groups())).isInstanceOf(SpecException.class)
                .hasMessageContaining(message.replace("StepLR: gamma: ", "")).hasMessageContaining("ZeroDivisionError")
                .hasMessageNotContaining("lambda");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"LambdaLR(lr_lambda=lambda e: 1 / (e - 2) ** 2)", "LambdaLR(lr_lambda=lambda e: 1 % (e - 2) + 1)"})
    void lambdaDividingByZeroWhenStepped_failsTheStepAsAUserError(String spec) {
        LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, groups());
        s.step();
        double before = s.groups().lr(0);
        assertThatThrownBy(s::step).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fails at e=2: ").hasMessageContaining("by zero").hasNoCause();
        assertThat(s.groups().lr(0)).isEqualTo(before);
        assertThat(s.lastEpoch()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=3)(1)|column 1: only a scheduler's name (such as StepLR) or a function can be called, but this"
                + " calls the result of StepLR(...) (a scheduler or a number is not a function)",
        "(1)(2)|column 2: only a scheduler's name (such as StepLR) or a function can be called, but this calls a constant",
        "StepLR(optimizer, optimizer=optimizer, step_size=3)|column 19: StepLR() got multiple values for argument 'optimizer'",
        "StepLR(step_size=3, gamma=float('0x1p-1'))|column 33: float() cannot read '0x1p-1' (Python's ValueError: could"
                + " not convert string to float)",
        "StepLR(step_size=3, gamma=float('0.5d'))|column 33: float() cannot read '0.5d'",
        "StepLR(step_size=3, gamma=float('1f'))|column 33: float() cannot read '1f'",
        "StepLR(step_size=1__0)|column 18: malformed number '1__0' (Python refuses it too",
        "StepLR(step_size=10_)|column 18: malformed number '10_'",
        "StepLR(step_size=010)|column 18: malformed number '010'",
        "ReduceLROnPlateau(mode='m\\in')|column 26: unknown escape '\\i' in a string (Python keeps it as it is, with a"
                + " SyntaxWarning; lr4j refuses it): write '\\\\i' for a backslash followed by 'i'",
        "ReduceLROnPlateau(mode='\\x4')|column 25: escape '\\x' needs 2 hexadecimal digits after it",
        "get_scheduler('cosine', num_warmup_steps=3, num_training_steps=20, scheduler_specific_kwargs={'num_warmup_steps': 5})"
                + "|scheduler_specific_kwargs gives num_warmup_steps, which get_scheduler already passes (num_warmup_steps=3);"
                + " give it once (transformers raises TypeError: got multiple values for keyword argument 'num_warmup_steps')",
    })
    void pythonRefusesIt_soDoesLr4j(String spec, String message) {
        assertThatThrownBy(() -> ScheduleSpec.build(spec, groups())).isInstanceOf(SpecException.class)
                .hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "StepLR(step_size=1_0, gamma=0.5)|10|0.5",
        "StepLR(step_size=3, gamma=float(' 0.2_5 '))|3|0.25",
        "StepLR(step_size=3, gamma=float('+1E-1'))|3|0.1",
        "StepLR(step_size=00 + 3, gamma=007.5e-1)|3|0.75",
    })
    void pythonLiterals_stillRead(String spec, long stepSize, double gamma) {
        Map<String, Object> built = ScheduleSpec.build(spec, groups()).spec();
        assertThat(((Number) built.get("step_size")).longValue()).isEqualTo(stepSize);
        assertThat(((Number) built.get("gamma")).doubleValue()).isEqualTo(gamma);
    }

    @org.junit.jupiter.api.Test
    void pythonEscapes_areRead() {
        assertThat(((Expr.Str) Parser.parse("'a\\'b'")).value()).isEqualTo("a'b");
        assertThat(((Expr.Str) Parser.parse("'\\x41\\u00e9\\n'")).value()).isEqualTo("A\u00e9\n");
        assertThat(((Expr.Str) Parser.parse("'\\101'")).value()).isEqualTo("A");
        assertThat(((Expr.Str) Parser.parse("\"\\\\i\"")).value()).isEqualTo("\\i");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"CosineLRScheduler(t_initial=10, noise_range_t=2, noise_pct=1e-9)",
        "PlateauLRScheduler(noise_range_t=2, noise_pct=1e-12)"})
    void timmNormalNoise_tooSmallAPct_failsTheStepInsteadOfSpinning(String spec) {
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(120), () -> {
            io.github.lr4j.scheduler.Scheduler s = ScheduleSpec.build(spec, groups());
            s.step(java.util.OptionalDouble.of(1.0));
            double before = s.groups().lr(0);
            assertThatThrownBy(() -> s.step(java.util.OptionalDouble.of(1.0))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is too small for timm's normal noise, which redraws torch.randn until"
                            + " |noise| < noise_pct: none of the first 4194304 draws at t=2 was").hasNoCause();
            assertThat(s.groups().lr(0)).isEqualTo(before);
        });
    }
}
