package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.lr4j.optim.Parameter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The batched kernels against a plain per-sample reference in double precision (the loop {@link Mlp} had before
 * the kernels), over shapes that take every path: layers that widen and narrow, widths and batches that are not
 * multiples of the kernels' blocks, a batch larger than the buffers, accumulation into existing gradients.
 */
class MlpBatchTest {

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(9, new int[0], 3), Arguments.of(9, new int[] {21}, 3), Arguments.of(20, new int[] {7, 5}, 3),
                Arguments.of(6, new int[] {13, 17}, 4), Arguments.of(64, new int[] {256}, 10));
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("shapes")
    void lossAndGradient_anyBatch_matchesPerSampleReference(int inputs, int[] hidden, int classes) {
        Random random = new Random(5);
        Dataset data = randomData(random, 70, inputs, classes);
        int[] order = permutation(random, data.size());
        Mlp model = new Mlp(inputs, hidden, classes, 7);
        int[][] batches = {{0, 1}, {1, 6}, {6, 38}, {38, 70}, {3, 8}}; // 1, 5, 32, 32 (the buffers grow), 5 again
        for (int[] b : batches) {
            model.parameters().forEach(Parameter::zeroGrad);
            for (Parameter p : model.parameters()) {
                p.grad()[0] = 0.25f; // gradients are added to, not overwritten
            }
            double loss = model.lossAndGradient(data, order, b[0], b[1], 0.5);
            double[][] expected = new double[model.parameters().size()][];
            double expectedLoss = reference(model, data, order, b[0], b[1], 0.5, expected);
            assertThat(loss).isCloseTo(expectedLoss, within(1e-5 * (1 + expectedLoss)));
            List<Parameter> ps = model.parameters();
            for (int i = 0; i < ps.size(); i++) {
                for (int j = 0; j < ps.get(i).size(); j++) {
                    double want = expected[i][j] + (j == 0 ? 0.25 : 0);
                    assertThat((double) ps.get(i).grad()[j]).as("batch %d..%d %s[%d]", b[0], b[1], ps.get(i).name(), j)
                            .isCloseTo(want, within(1e-5 + 1e-4 * Math.abs(want)));
                }
            }
        }
        Model.Evaluation e = model.evaluate(data);
        int[] identity = permutation(null, data.size());
        double[][] ignored = new double[model.parameters().size()][];
        assertThat(e.loss()).isCloseTo(reference(model, data, identity, 0, data.size(), 1, ignored), within(1e-5));
        int correct = 0;
        for (int s = 0; s < data.size(); s++) {
            correct += model.predict(data.x()[s]) == data.y()[s] ? 1 : 0;
        }
        assertThat(e.accuracy()).isEqualTo((double) correct / data.size());
    }

    @Test
    void lossAndGradient_sameSeedSameBatches_bitForBitEqual() {
        Random random = new Random(9);
        Dataset data = randomData(random, 100, 64, 10);
        int[] order = permutation(random, data.size());
        Mlp a = new Mlp(64, new int[] {256}, 10, 3);
        Mlp b = new Mlp(64, new int[] {256}, 10, 3);
        for (int from = 0; from < 96; from += 32) {
            a.parameters().forEach(Parameter::zeroGrad);
            b.parameters().forEach(Parameter::zeroGrad);
            assertThat(a.lossAndGradient(data, order, from, from + 32, 1)).isEqualTo(b.lossAndGradient(data, order, from, from + 32, 1));
            for (int i = 0; i < a.parameters().size(); i++) {
                assertThat(a.parameters().get(i).grad()).isEqualTo(b.parameters().get(i).grad());
            }
        }
    }

    @Test
    void lossAndGradient_afterTheFirstBatch_allocatesNothing() {
        Random random = new Random(4);
        Dataset data = randomData(random, 64, 64, 10);
        int[] order = permutation(random, data.size());
        Mlp model = new Mlp(64, new int[] {256}, 10, 1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        for (int i = 0; i < 200; i++) {
            model.lossAndGradient(data, order, 0, 32, 1);
            model.evaluate(data);
        }
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 200; i++) {
            model.lossAndGradient(data, order, 32, 64, 1);
        }
        long after = threads.getThreadAllocatedBytes(thread);
        // evaluate() allocates only its result record; 200 steps allocating a float[] each would be > 20 kB.
        assertThat(after - before).isLessThan(2_000);
    }

    /** Per sample, in double: the loss and (in {@code grads}) scale times the gradient of the batch's mean loss. */
    private static double reference(Mlp model, Dataset data, int[] order, int from, int to, double scale, double[][] grads) {
        List<Parameter> ps = model.parameters();
        int[] w = model.widths();
        int layers = w.length - 1;
        for (int i = 0; i < ps.size(); i++) {
            grads[i] = new double[ps.get(i).size()];
        }
        double total = 0;
        int n = to - from;
        for (int k = from; k < to; k++) {
            int sample = order[k];
            double[][] a = new double[layers + 1][];
            a[0] = new double[w[0]];
            for (int i = 0; i < w[0]; i++) {
                a[0][i] = data.x()[sample][i];
            }
            for (int l = 0; l < layers; l++) {
                float[] weight = ps.get(2 * l).data();
                float[] bias = ps.get(2 * l + 1).data();
                a[l + 1] = new double[w[l + 1]];
                for (int o = 0; o < w[l + 1]; o++) {
                    double s = bias[o];
                    for (int i = 0; i < w[l]; i++) {
                        s += weight[o * w[l] + i] * a[l][i];
                    }
                    a[l + 1][o] = l < layers - 1 ? Math.max(0, s) : s;
                }
            }
            double[] z = a[layers];
            double max = Double.NEGATIVE_INFINITY;
            for (double v : z) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (double v : z) {
                sum += Math.exp(v - max);
            }
            int label = data.y()[sample];
            total += -(z[label] - max - Math.log(sum));
            double[] delta = new double[z.length];
            for (int c = 0; c < z.length; c++) {
                delta[c] = Math.exp(z[c] - max) / sum - (c == label ? 1 : 0);
            }
            for (int l = layers - 1; l >= 0; l--) {
                float[] weight = ps.get(2 * l).data();
                double[] back = new double[w[l]];
                for (int o = 0; o < w[l + 1]; o++) {
                    grads[2 * l + 1][o] += scale / n * delta[o];
                    for (int i = 0; i < w[l]; i++) {
                        grads[2 * l][o * w[l] + i] += scale / n * delta[o] * a[l][i];
                        back[i] += delta[o] * weight[o * w[l] + i];
                    }
                }
                for (int i = 0; i < w[l]; i++) {
                    back[i] = a[l][i] > 0 ? back[i] : 0;
                }
                delta = back;
            }
        }
        return total / n;
    }

    private static Dataset randomData(Random random, int samples, int features, int classes) {
        float[][] x = new float[samples][features];
        int[] y = new int[samples];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < features; i++) {
                x[s][i] = (float) random.nextGaussian();
            }
            y[s] = random.nextInt(classes);
        }
        return new Dataset(x, y, classes);
    }

    private static int[] permutation(Random random, int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (random != null) {
            EpochOrder.shuffle(order, random.nextLong());
        }
        return order;
    }
}
