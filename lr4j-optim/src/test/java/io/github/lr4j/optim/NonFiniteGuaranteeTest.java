package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A non-finite gradient anywhere (first, middle or last element of the first, middle or last
 * tensor; 1 and 2 threads) leaves every parameter, buffer and step count bit-identical, for every
 * optimizer in every form, at its first step and later.
 */
class NonFiniteGuaranteeTest {
    /** Big enough to be split across two threads (at least {@link Optimizer#PARALLEL_MIN}). */
    private static final int[] SIZES = {500_001, 37, 600_003};
    private static final float[] BAD = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};

    static Stream<Arguments> optimizers() {
        List<Map<String, ?>> sgd = List.of(Map.of("lr", 0.1), Map.of("lr", 0.1, "momentum", 0.9),
                Map.of("lr", 0.1, "momentum", 0.9, "nesterov", true),
                Map.of("lr", 0.1, "momentum", 0.9, "dampening", 0.5, "weight_decay", 0.01, "maximize", true));
        List<Map<String, ?>> adam = List.of(Map.of("lr", 0.01), Map.of("lr", 0.01, "amsgrad", true, "weight_decay", 0.1));
        List<Map<String, ?>> rmsprop = List.of(Map.of("lr", 0.01), Map.of("lr", 0.01, "momentum", 0.9),
                Map.of("lr", 0.01, "centered", true), Map.of("lr", 0.01, "centered", true, "momentum", 0.9, "weight_decay", 0.01));
        List<Arguments> out = new ArrayList<>();
        for (int threads = 1; threads <= 2; threads++) {
            for (Map<String, ?> o : sgd) {
                out.add(Arguments.of("SGD", o, threads));
            }
            for (Map<String, ?> o : adam) {
                out.add(Arguments.of("Adam", o, threads));
                out.add(Arguments.of("AdamW", o, threads));
            }
            for (Map<String, ?> o : rmsprop) {
                out.add(Arguments.of("RMSprop", o, threads));
            }
            out.add(Arguments.of("Adagrad", Map.of("lr", 0.1, "lr_decay", 0.01, "initial_accumulator_value", 0.1), threads));
        }
        return out.stream();
    }

    /** Everything a step may change, copied. */
    private static final class Snapshot {
        final float[][] data;
        final float[][][] buffers;
        final long[] steps;
        final boolean[] initialized;

        Snapshot(Optimizer opt) {
            Parameter[] ps = opt.params();
            ParamState[] states = opt.states();
            data = new float[ps.length][];
            buffers = new float[ps.length][][];
            steps = new long[ps.length];
            initialized = new boolean[ps.length];
            for (int i = 0; i < ps.length; i++) {
                data[i] = ps[i].data().clone();
                buffers[i] = new float[states[i].buffers.length][];
                for (int b = 0; b < buffers[i].length; b++) {
                    buffers[i][b] = states[i].buffers[b] == null ? null : states[i].buffers[b].clone();
                }
                steps[i] = states[i].step;
                initialized[i] = states[i].initialized;
            }
        }

        void assertUnchanged(Optimizer opt, String where) {
            Parameter[] ps = opt.params();
            ParamState[] states = opt.states();
            for (int i = 0; i < ps.length; i++) {
                assertSameBits(ps[i].data(), data[i], where + ": parameter " + i);
                assertThat(states[i].step).as("%s: step count of %d", where, i).isEqualTo(steps[i]);
                assertThat(states[i].initialized).as("%s: state of %d", where, i).isEqualTo(initialized[i]);
                for (int b = 0; b < buffers[i].length; b++) {
                    float[] now = states[i].buffers[b];
                    if (buffers[i][b] == null) {
                        assertThat(now).as("%s: buffer %d of %d created", where, b, i).isNull();
                    } else {
                        assertSameBits(now, buffers[i][b], where + ": buffer " + b + " of " + i);
                    }
                }
            }
        }

        /** Raw bits, so that -0 and +0 (and NaN payloads) count as different. */
        private static void assertSameBits(float[] actual, float[] expected, String what) {
            assertThat(actual.length).as(what).isEqualTo(expected.length);
            for (int i = 0; i < actual.length; i++) {
                if (Float.floatToRawIntBits(actual[i]) != Float.floatToRawIntBits(expected[i])) {
                    throw new AssertionError(what + " changed at " + i + ": " + expected[i] + " -> " + actual[i]);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} threads={2}")
    @MethodSource("optimizers")
    void nonFiniteGradientAnywhere_changesNothing(String name, Map<String, ?> options, int threads) {
        Optimizer opt = Optimizers.create(name, options).threads(threads);
        Random random = new Random(3);
        List<Parameter> params = new ArrayList<>();
        for (int k = 0; k < SIZES.length; k++) {
            float[] data = new float[SIZES[k]];
            for (int i = 0; i < data.length; i++) {
                data[i] = random.nextFloat() - 0.5f;
            }
            params.add(Parameter.of("w" + k, data));
        }
        opt.addParamGroup(params.subList(0, 2));
        opt.addParamGroup(params.subList(2, 3), Map.of("lr", opt.defaultValue("lr") / 2));
        try {
            for (int step = 0; step < 3; step++) {
                if (step > 0) { // first at a fresh optimizer (no buffers yet), then after one and two steps
                    for (Parameter p : params) {
                        for (int i = 0; i < p.size(); i++) {
                            p.grad()[i] = random.nextFloat() - 0.5f;
                        }
                    }
                    assertThat(opt.step()).isTrue();
                }
                Snapshot before = new Snapshot(opt);
                int attempt = 0;
                for (int k = 0; k < SIZES.length; k++) {
                    float[] g = params.get(k).grad();
                    for (int at : new int[] {0, g.length / 2, g.length - 1}) {
                        float bad = BAD[attempt % BAD.length];
                        String where = "after " + step + " steps, " + bad + " at " + at + " of w" + k;
                        float good = g[at];
                        g[at] = bad;
                        if (attempt++ % 2 == 0) {
                            opt.nonFiniteGradients(NonFiniteGradients.FAIL);
                            assertThatThrownBy(opt::step).as(where).isInstanceOf(IllegalArgumentException.class)
                                    .hasMessageStartingWith("gradient of w" + k + " (group " + (k < 2 ? 0 : 1));
                        } else {
                            opt.nonFiniteGradients(NonFiniteGradients.SKIP);
                            assertThat(opt.step()).as(where).isFalse();
                        }
                        before.assertUnchanged(opt, where);
                        g[at] = good;
                    }
                }
                opt.nonFiniteGradients(NonFiniteGradients.FAIL);
            }
        } finally {
            opt.close();
        }
        assertThat(Arrays.stream(opt.states()).mapToLong(s -> s.step).max().getAsLong()).isEqualTo(2);
    }
}
