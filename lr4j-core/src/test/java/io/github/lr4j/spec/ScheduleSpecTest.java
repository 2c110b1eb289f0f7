package io.github.lr4j.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Scheduler;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleSpecTest {

    private static ParamGroups sgd() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.01}, new double[] {0.9});
    }

    @Test
    void optimizerArgument_mayBeOmittedOrGivenByKeyword() {
        for (String spec : new String[] {"StepLR(optimizer, 3, 0.5)", "StepLR(3, gamma=0.5)", "StepLR(optimizer=optimizer, step_size=3, gamma=0.5)"}) {
            LrScheduler s = (LrScheduler) ScheduleSpec.build(spec, sgd());
            assertThat(s.lrAt(3, 0)).as(spec).isEqualTo(0.05);
        }
    }

    static Stream<Arguments> badExpressions() {
        return Stream.of(
            Arguments.of("StepLR(step_size=3,, gamma=0.5)", "column 20: expected an argument or ')' but found ','"),
            Arguments.of("StepLR(step_size=3", "column 19: expected ',' but found the end of the expression"),
            Arguments.of("CosineAnnealingLR(optimizer, Tmax=10)", "column 30: CosineAnnealingLR() got an unexpected keyword"
                    + " argument 'Tmax' (did you mean T_max?); it takes T_max, eta_min, last_epoch, verbose"),
            Arguments.of("CosineAnealingLR(T_max=10)", "column 1: unknown scheduler 'CosineAnealingLR' (did you mean CosineAnnealingLR?)"),
            Arguments.of("StepLR(gamma=0.5)", "column 1: StepLR() missing required argument: step_size"),
            Arguments.of("StepLR(step_size=2.5)", "column 18: StepLR: step_size must be an integer, got 2.5"),
            Arguments.of("StepLR(step_size=0)", "column 1: StepLR: step_size must be >= 1, got 0"),
            Arguments.of("StepLR(step_size=3, step_size=4)", "column 21: keyword argument step_size is given twice"),
            Arguments.of("StepLR(step_size=3, gamma=0.5, last_epoch=-2)", "column 43: StepLR: last_epoch must be >= -1, got -2"),
            Arguments.of("StepLR(step_size=3) + 1", "column 21: expected a scheduler such as StepLR(step_size=30) but found"),
            Arguments.of("OneCycleLR(max_lr=0.1, epochs=3)", "column 1: OneCycleLR: give total_steps, or both epochs and steps_per_epoch"),
            Arguments.of("StepLR(step_size='3')", "column 18: StepLR: step_size must be an integer, got '3'"),
            Arguments.of("StepLR(step_size=3 @", "column 20: unexpected character '@'"),
            Arguments.of("", "column 1: expected a schedule expression"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badExpressions")
    void badExpression_failsWithColumnAndWhatWasExpected(String expression, String message) {
        assertThatThrownBy(() -> ScheduleSpec.build(expression, sgd())).isInstanceOf(SpecException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void deepNesting_failsCleanly_withoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertThatThrownBy(() -> ScheduleSpec.build("StepLR(step_size=" + deep + ")", sgd()))
                .isInstanceOf(SpecException.class).hasMessageContaining("nested more than 100 levels deep");
        String unary = "LambdaLR(lambda e: " + "-".repeat(50_000) + "1)";
        assertThatThrownBy(() -> ScheduleSpec.build(unary, sgd())).isInstanceOf(SpecException.class);
    }

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void randomGarbage_failsOnlyWithSpecOrArgumentErrors(int seed) {
        Random random = new Random(seed);
        String alphabet = "StepLR()[],=.'\"0123456789e-+*/lambda :_ ConstantLR CosineAnnealingLR";
        StringBuilder sb = new StringBuilder(random.nextBoolean() ? "StepLR(" : "");
        int length = random.nextInt(60);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        try {
            ScheduleSpec.build(sb.toString(), sgd());
        } catch (IllegalArgumentException | ArithmeticException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Test
    void lambdas_usePythonArithmetic() {
        LrScheduler s = (LrScheduler) ScheduleSpec.build(
                "LambdaLR(lambda e: (e // 3) % 2 + 0.5 ** e if e < 4 else max(0.1, math.cos(math.pi * e / 16)))", sgd());
        assertThat(s.lrAt(0, 0)).isEqualTo(0.1 * 1.0);
        assertThat(s.lrAt(3, 0)).isEqualTo(0.1 * (1 + 0.125));
        assertThat(s.lrAt(4, 0)).isEqualTo(0.1 * Math.cos(Math.PI * 4 / 16));
        assertThat(s.lrAt(16, 0)).isEqualTo(0.1 * 0.1);
        assertThat(s.toString()).isEqualTo("LambdaLR(lr_lambda=lambda e: (e // 3) % 2 + 0.5 ** e if e < 4 else"
                + " max(0.1, math.cos(math.pi * e / 16)))");
    }

    @Test
    void plateauBeforeAnotherPhaseOfSequential_isRejectedWithReason() {
        assertThatThrownBy(() -> ScheduleSpec.build("SequentialLR(schedulers=[ReduceLROnPlateau(), StepLR(2)], milestones=[3])", sgd()))
                .hasMessageContaining("schedulers[0] (ReduceLROnPlateau) is driven by a metric: only the last phase of"
                        + " SequentialLR may be");
        assertThatThrownBy(() -> ScheduleSpec.build("ChainedScheduler([ReduceLROnPlateau(), StepLR(2)])", sgd()))
                .hasMessageContaining("cannot hold ReduceLROnPlateau, which is driven by a metric rather than by steps");
    }

    /** The warm-up ignores metrics; the plateau takes them from the step after the milestone; lrAt stops there. */
    @Test
    void plateauAfterAWarmUp_takesTheMetricOnlyAfterTheMilestone() {
        ParamGroups g = sgd();
        Scheduler s = ScheduleSpec.build("SequentialLR(schedulers=[LinearLR(start_factor=0.5, total_iters=2),"
                + " ReduceLROnPlateau(patience=0, factor=0.1)], milestones=[2])", g);
        assertThat(s.drivenByMetric()).isTrue();
        double base = g.initialLr(0);
        s.step(java.util.OptionalDouble.empty()); // warm-up: no metric needed, none used
        s.step(java.util.OptionalDouble.of(9.0));
        assertThat(g.lr(0)).isEqualTo(s.lrAt(2, 0)).isEqualTo(base);
        assertThatThrownBy(() -> s.step(java.util.OptionalDouble.empty())).isInstanceOf(IllegalStateException.class);
        s.step(java.util.OptionalDouble.of(1.0)); // the plateau's first metric: its best
        s.step(java.util.OptionalDouble.of(2.0)); // worse, patience 0: cut
        assertThat(g.lr(0)).isEqualTo(base * 0.1);
        assertThatThrownBy(() -> s.lrAt(3, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("metrics");
    }
}
