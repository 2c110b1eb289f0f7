package io.github.lr4j.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the schedule values (their fidelity to PyTorch is proven by the golden traces,
 * through the schedulers built on them).
 */
class CurveTest {

    /** One of every shape and combinator, twice built from equal arguments. */
    static Stream<List<Curve>> equalPairs() {
        return Stream.<Maker>of(
            () -> Curve.fixed(0.5),
            () -> Curve.constant(0.25),
            () -> Curve.linear(0.1, 1, 10),
            () -> Curve.cosine(100, 1e-4),
            () -> Curve.exponential(0.9),
            () -> Curve.step(3, 0.5),
            () -> Curve.multiStep(new long[] {7, 3, 3}, 0.1),
            () -> Curve.polynomial(10, 2, 0),
            () -> Curve.inverseSqrt(1000),
            () -> Curve.tanh(50, 0, -7, 3),
            () -> Curve.cyclic(0.001, 0.01, 4, 3, Amplitude.halvedEachCycle()),
            () -> Curve.cyclic(0.9, 0.8, 5, 5, Amplitude.exponential(0.99)),
            () -> Curve.phases(new double[] {8, 29}, new double[] {0.004, 0.1, 4e-7}, Curve.Anneal.COS),
            () -> Curve.warmup(5, 0.01, Curve.cosine(95, 0)),
            () -> Curve.cosine(10, 0).repeated(10, 2, 0.5),
            () -> Curve.exponential(0.9).times(Curve.step(2, 0.5)).scaled(2).clamped(0, 1).withBase(0.3))
            .map(make -> List.of(make.get(), make.get()));
    }

    private interface Maker {
        Curve get();
    }

    static Stream<Curve> curves() {
        return equalPairs().map(pair -> pair.get(0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("equalPairs")
    void builtFromEqualArguments_isEqual_withEqualHashCodeAndText(List<Curve> pair) {
        assertThat(pair.get(0)).isEqualTo(pair.get(1)).hasSameHashCodeAs(pair.get(1));
        assertThat(pair.get(0).toString()).isEqualTo(pair.get(1).toString()).doesNotContain("@");
    }

    @Test
    void differentArguments_areNotEqual() {
        assertThat(Curve.cosine(100, 0)).isNotEqualTo(Curve.cosine(101, 0));
        assertThat(Curve.multiStep(new long[] {3}, 0.1)).isNotEqualTo(Curve.multiStep(new long[] {4}, 0.1));
        assertThat(Curve.warmup(5, 0.1, Curve.constant(1))).isNotEqualTo(Curve.warmup(6, 0.1, Curve.constant(1)));
        assertThat(Curve.multiStep(new long[] {7, 3}, 0.1)).as("milestones are a set of steps")
                .isEqualTo(Curve.multiStep(new long[] {3, 7}, 0.1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void isPure_sameStepSameValue_inAnyOrder(Curve curve) {
        Random random = new Random(curve.toString().hashCode());
        double[] steps = random.doubles(200, 0, 1000).map(Math::floor).toArray();
        double[] first = IntStream.range(0, steps.length).mapToDouble(i -> curve.at(steps[i], 0.1)).toArray();
        for (int i = steps.length - 1; i >= 0; i--) {
            assertThat(curve.at(steps[i], 0.1)).isEqualTo(first[i]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("curves")
    void isFiniteAndNonNegative_farOut(Curve curve) {
        for (double t : new double[] {0, 1, 999, 1e6, 123_456_789, 1e9}) {
            assertThat(curve.at(t, 0.1)).as(curve + " at " + t).isFinite().isGreaterThanOrEqualTo(0);
        }
    }

    @ParameterizedTest(name = "base {0}")
    @MethodSource("bases")
    void relativeShapes_scaleWithTheBase(double base) {
        Random random = new Random(7);
        for (Curve c : List.of(Curve.constant(0.3), Curve.linear(0.1, 1, 10), Curve.exponential(0.9),
                Curve.step(3, 0.5), Curve.multiStep(new long[] {2, 5}, 0.1), Curve.polynomial(10, 2, 0),
                Curve.cosine(20, 0), Curve.inverseSqrt(100), Curve.tanh(30, 0, -7, 3))) {
            double t = random.nextInt(40);
            assertThat(c.at(t, base)).as(c + " at " + t).isCloseTo(base * c.at(t), within(1e-15 * base));
        }
    }

    static Stream<Double> bases() {
        return new Random(3).doubles(5, 1e-6, 10).boxed();
    }

    @Test
    void absoluteShapes_ignoreTheBase() {
        Curve cyclic = Curve.cyclic(0.001, 0.01, 4, 3, Amplitude.constant());
        Curve phases = Curve.phases(new double[] {8, 29}, new double[] {0.004, 0.1, 4e-7}, Curve.Anneal.LINEAR);
        for (int t = 0; t < 30; t++) {
            assertThat(cyclic.at(t, 0.5)).isEqualTo(cyclic.at(t, 7));
            assertThat(phases.at(t, 0.5)).isEqualTo(phases.at(t, 7));
            assertThat(Curve.exponential(0.9).withBase(0.3).at(t, 99)).isEqualTo(Curve.exponential(0.9).at(t, 0.3));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void join_givesEachPieceItsOwnStepFromItsBoundary(long seed) {
        Random random = new Random(seed);
        long b1 = 1 + random.nextInt(20);
        long b2 = b1 + 1 + random.nextInt(20);
        Curve a = Curve.linear(0.1, 1, b1);
        Curve b = Curve.exponential(0.5 + random.nextDouble() / 2);
        Curve c = Curve.cosine(1 + random.nextInt(30), 0);
        Curve joined = Curve.join(List.of(a, b, c), b1, b2);
        for (double t = 0; t < b2 + 40; t += 0.5) {
            double want = t < b1 ? a.at(t, 2) : t < b2 ? b.at(t - b1, 2) : c.at(t - b2, 2);
            assertThat(joined.at(t, 2)).as("t = " + t).isEqualTo(want);
        }
    }

    static Stream<Long> seeds() {
        return new Random(11).longs(8).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void warmup_reachesTheBaseAtItsEnd_andIsContinuousWithADecayThatStartsAtTheBase(long seed) {
        Random random = new Random(seed);
        long steps = 1 + random.nextInt(50);
        double base = 1e-4 + random.nextDouble();
        for (Curve decay : List.of(Curve.cosine(100, 0), Curve.linear(1, 0, 80), Curve.polynomial(70, 2, 0),
                Curve.inverseSqrt(40), Curve.constant(1))) {
            Curve c = Curve.warmup(steps, random.nextDouble(), decay);
            assertThat(c.at(steps - 1e-9, base)).as(c.toString()).isCloseTo(base, within(1e-9 * base / steps + 1e-15));
            assertThat(c.at(steps, base)).as(c.toString()).isEqualTo(base);
            double previous = 0;
            for (long t = 0; t <= steps; t++) {
                assertThat(c.at(t, base)).as("warm-up rises").isGreaterThanOrEqualTo(previous);
                previous = c.at(t, base);
            }
        }
    }

    @Test
    void join_withRunningPiece_continuesFromWhereThePreviousPieceEnded() {
        Curve joined = Curve.join(List.of(Curve.step(2, 0.5), Curve.running(t -> 0.9, "0.9")), 5);
        double reached = Curve.step(2, 0.5).at(4, 1);
        assertThat(joined.at(5, 1)).isEqualTo(reached);
        assertThat(joined.at(7, 1)).isEqualTo(reached * 0.9 * 0.9);
    }

    @Test
    void join_rejectsBoundariesThatDoNotMatchThePieces() {
        List<Curve> two = List.of(Curve.constant(1), Curve.constant(0.5));
        assertThatThrownBy(() -> Curve.join(two)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boundaries must have 1 values (one fewer than the 2 pieces), got 0");
        assertThatThrownBy(() -> Curve.join(two, 3, 4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boundaries must have 1 values (one fewer than the 2 pieces), got 2");
        assertThatThrownBy(() -> Curve.join(two, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boundaries[0] must be >= 1, got 0");
        assertThatThrownBy(() -> Curve.join(List.of(Curve.constant(1), Curve.constant(1), Curve.constant(1)), 5, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("boundaries[1] must be >= 6, got 5");
    }

    @Test
    void badArguments_nameTheParameterTheRangeAndTheValue() {
        assertThatThrownBy(() -> Curve.cosine(0, 0)).hasMessage("horizon must be finite and > 0, got 0");
        assertThatThrownBy(() -> Curve.exponential(-1)).hasMessage("gamma must be finite and > 0, got -1");
        assertThatThrownBy(() -> Curve.constant(1).clamped(1, 0)).hasMessage("min must be <= max, got min = 1.0, max = 0.0");
        assertThatThrownBy(() -> Curve.constant(1).repeated(10, 0.5, 1))
                .hasMessage("periodMult must be finite and >= 1, got 0.5");
        assertThatThrownBy(() -> Curve.phases(new double[] {1, 2}, new double[] {1, 2}, Curve.Anneal.COS))
                .hasMessage("values must have 3 values (one more than the 2 phase ends), got 2");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void repeated_restartsAtEachCycleWithLongerCycles_andDecays(long seed) {
        Random random = new Random(seed);
        long period = 1 + random.nextInt(10);
        long mult = 1 + random.nextInt(3);
        double decay = 0.5 + random.nextDouble() / 2;
        Curve shape = Curve.cosine(period, 0);
        Curve sgdr = shape.repeated(period, mult, decay);
        long start = 0;
        long length = period;
        for (int cycle = 0; cycle < 6; cycle++) {
            Curve stretched = shape.withHorizon(length);
            double scale = Math.pow(decay, cycle);
            assertThat(sgdr.at(start, 1)).as("cycle " + cycle + " restarts").isCloseTo(scale, within(1e-15));
            double half = start + length / 2.0;
            assertThat(sgdr.at(half, 1)).isCloseTo(scale * stretched.at(length / 2.0, 1), within(1e-15));
            start += length;
            length *= mult;
        }
    }

    @Test
    void withHorizon_stretchesTheShape_andRetargetsTheLastPieceOfAJoin() {
        Curve cosine = Curve.cosine(100, 0);
        assertThat(cosine.withHorizon(200).at(100, 1)).isEqualTo(cosine.at(50, 1));
        assertThat(cosine.withHorizon(200).horizon()).isEqualTo(200);
        assertThat(Curve.exponential(0.9).withHorizon(5)).isEqualTo(Curve.exponential(0.9));
        Curve warm = Curve.warmup(10, 0.1, Curve.linear(1, 0, 90));
        assertThat(warm.horizon()).isEqualTo(100);
        Curve longer = warm.withHorizon(1000);
        assertThat(longer.horizon()).isEqualTo(1000);
        assertThat(longer.at(5, 1)).isEqualTo(warm.at(5, 1));
        assertThat(longer.at(1000, 1)).isZero();
        assertThat(longer.at(505, 1)).isCloseTo(0.5, within(1e-15));
        assertThatThrownBy(() -> warm.withHorizon(10)).hasMessage("horizon must be > the last boundary 10, got 10.0");
    }

    @Test
    void fractionalSteps_areAnsweredBetweenWholeSteps() {
        Curve sgdr = Curve.cosine(4, 0).repeated(4, 2, 1);
        for (double t = 0; t < 28; t += 0.25) {
            double v = sgdr.at(t, 1);
            assertThat(v).isBetween(0.0, 1.0);
        }
        assertThat(sgdr.at(4, 1)).as("the second cycle starts at 4").isEqualTo(1);
        assertThat(sgdr.at(12, 1)).as("the third at 4 + 8").isEqualTo(1);
        assertThat(sgdr.at(3.999, 1)).isLessThan(1e-5);
    }

    @Test
    void combinators_clampScaleAndMultiply() {
        Curve e = Curve.exponential(0.5);
        assertThat(e.scaled(3).at(2, 1)).isEqualTo(0.75);
        assertThat(e.clamped(0.2, 0.6).at(0, 1)).isEqualTo(0.6);
        assertThat(e.clamped(0.2, 0.6).at(5, 1)).isEqualTo(0.2);
        assertThat(Curve.constant(1).times(e).at(3, 4)).isEqualTo(0.5);
        assertThat(e.times(Curve.fixed(2)).at(1, 1)).isEqualTo(1);
    }

    @Test
    void multiStep_repeatedMilestonesCountTwice_andSteps_betweenMilestonesKeepTheirValue() {
        Curve m = Curve.multiStep(new long[] {5, 2, 2}, 0.5);
        assertThat(m.at(1.9, 1)).isEqualTo(1);
        assertThat(m.at(2, 1)).isEqualTo(0.25);
        assertThat(m.at(4.5, 1)).isEqualTo(0.25);
        assertThat(m.at(5, 1)).isEqualTo(0.125);
    }
}
