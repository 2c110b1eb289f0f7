package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KernelsCheckTest {

    static IntStream seeds() {
        return IntStream.range(0, 200);
    }

    /** Values that stress the check: zeros of both signs, subnormals, the largest floats (whose sums overflow). */
    private static float finiteValue(Random random) {
        switch (random.nextInt(6)) {
            case 0: return random.nextBoolean() ? 0f : -0f;
            case 1: return random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
            case 2: return Float.MIN_VALUE * random.nextInt(1000);
            case 3: return (float) (random.nextGaussian() * 1e30);
            default: return (float) random.nextGaussian();
        }
    }

    private static final float[] NON_FINITE = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xff800001)};

    /** Every form of the scan, whichever this JVM runs: all must give the same answer everywhere. */
    private static void assertEveryFormSays(boolean expected, float[] g, int from, int to) {
        assertThat(Kernels.allFinite(g, from, to)).as("allFinite (%s) of [%d, %d)", GradientScan.FORM, from, to)
                .isEqualTo(expected);
        assertThat(GradientScan.byConversion(g, from, to)).as("byConversion of [%d, %d)", from, to).isEqualTo(expected);
        assertThat(GradientScan.byMultiplication(g, from, to)).as("byMultiplication of [%d, %d)", from, to)
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everyForm_agreesWithAnElementByElementCheck_onAnyRange(int seed) {
        Random random = new Random(seed);
        float[] g = new float[1 + random.nextInt(300)];
        for (int i = 0; i < g.length; i++) {
            g[i] = finiteValue(random);
        }
        int bad = random.nextInt(3);
        for (int k = 0; k < bad; k++) {
            g[random.nextInt(g.length)] = NON_FINITE[random.nextInt(NON_FINITE.length)];
        }
        int from = random.nextInt(g.length);
        int to = from + random.nextInt(g.length - from + 1);

        boolean finite = true;
        for (int i = from; i < to; i++) {
            finite &= Float.isFinite(g[i]);
        }
        assertEveryFormSays(finite, g, from, to);
    }

    @Test
    void everyForm_findsEveryNonFiniteBitPatternAtEveryPositionOfAShortRange() {
        // every NaN payload class and both infinities, at each position of each length up to 70 (vector tails);
        // three sweeps, so that the later ones run the JIT-compiled (vectorized) loops, not the interpreter
        int[] nonFiniteBits = {0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0xffffffff, 0x7fbfffff};
        for (int sweep = 0; sweep < 3; sweep++) {
            sweepEveryPosition(nonFiniteBits);
        }
    }

    private static void sweepEveryPosition(int[] nonFiniteBits) {
        for (int n = 1; n <= 70; n++) {
            float[] g = new float[n + 2];
            Arrays.fill(g, Float.MAX_VALUE);
            g[0] = Float.NaN; // outside [1, n + 1): must not be seen
            g[n + 1] = Float.NaN;
            assertEveryFormSays(true, g, 1, n + 1);
            for (int at = 1; at <= n; at++) {
                for (int bits : nonFiniteBits) {
                    float keep = g[at];
                    g[at] = Float.intBitsToFloat(bits);
                    assertEveryFormSays(false, g, 1, n + 1);
                    g[at] = keep;
                }
            }
        }
    }

    @Test
    void everyForm_findsANonFiniteValueAtEveryPositionOfRangesLongEnoughForTheVectorLoop() {
        // lengths 200-263 from offsets 0-7: every form's four-stream main loop runs 50+ iterations (vectors of up
        // to 16 floats), ending at each alignment; three sweeps, so that the last ones run the JIT-compiled loops
        float[] bad = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0xffc00001)};
        Random random = new Random(11);
        for (int sweep = 0; sweep < 3; sweep++) {
            for (int n = 200; n < 264; n++) {
                for (int from = 0; from < 8; from += 1 + random.nextInt(3)) {
                    float[] g = new float[from + n + 1];
                    for (int i = 0; i < g.length; i++) {
                        g[i] = finiteValue(random);
                    }
                    g[from + n] = Float.NaN; // just past the range: must not be seen
                    assertEveryFormSays(true, g, from, from + n);
                    for (int at = from; at < from + n; at++) {
                        float keep = g[at];
                        g[at] = bad[(at + n) % bad.length];
                        assertEveryFormSays(false, g, from, from + n);
                        g[at] = keep;
                    }
                }
            }
        }
    }

    @Test
    void theFormThisJvmRuns_isTheOneThePropertyAsksFor_orTheDefaultWhenItIsWrong() {
        // lr4j-optim's pom reruns these tests with each form, and once with a wrong value, through this property
        String requested = System.getProperty(GradientScan.PROPERTY);
        int feature = Runtime.version().feature();
        GradientScan.Form expected;
        try {
            expected = GradientScan.chooseForm(requested, feature);
        } catch (IllegalArgumentException wrong) {
            expected = GradientScan.chooseForm(null, feature);
        }
        assertThat(GradientScan.FORM).as("lr4j.gradientScan=%s on Java %d", requested, feature).isEqualTo(expected);
    }

    @Test
    void theFormIsChosenByJavaVersion_andThePropertyOverridesIt() {
        assertThat(GradientScan.chooseForm(null, 25)).isEqualTo(GradientScan.Form.CONVERSION);
        assertThat(GradientScan.chooseForm("auto", 26)).isEqualTo(GradientScan.Form.CONVERSION);
        assertThat(GradientScan.chooseForm(null, 24)).isEqualTo(GradientScan.Form.MULTIPLY);
        assertThat(GradientScan.chooseForm(null, 17)).isEqualTo(GradientScan.Form.MULTIPLY);
        assertThat(GradientScan.chooseForm(" Multiply ", 25)).isEqualTo(GradientScan.Form.MULTIPLY);
        assertThat(GradientScan.chooseForm("conversion", 17)).isEqualTo(GradientScan.Form.CONVERSION);
        assertThatThrownBy(() -> GradientScan.chooseForm("fast", 17))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("lr4j.gradientScan must be auto, conversion or multiply, got 'fast'");
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void allFinite_findsOneNonFiniteValueAtAnyPositionOfALongRange(int seed) {
        Random random = new Random(seed);
        float[] g = new float[4096 + random.nextInt(4096)];
        for (int i = 0; i < g.length; i++) {
            g[i] = random.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
        }
        assertEveryFormSays(true, g, 0, g.length);
        int at = random.nextInt(g.length);
        g[at] = NON_FINITE[random.nextInt(NON_FINITE.length)];
        assertEveryFormSays(false, g, 0, g.length);
        assertEveryFormSays(true, g, 0, at);
        assertEveryFormSays(true, g, at + 1, g.length);
    }
}
