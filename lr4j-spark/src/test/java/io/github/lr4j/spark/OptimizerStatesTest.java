package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerStatesTest {

    private static Optimizer stepped(String expression, long seed, int steps) {
        Random random = new Random(seed);
        Parameter w = Parameter.zeros("w", 3, 4);
        Parameter b = Parameter.zeros("b", 4);
        Optimizer opt = Optimizers.parse(expression);
        opt.addParamGroup(List.of(w, b));
        for (int s = 0; s < steps; s++) {
            for (Parameter p : List.of(w, b)) {
                for (int i = 0; i < p.size(); i++) {
                    p.grad()[i] = (float) random.nextGaussian();
                }
            }
            opt.step();
        }
        return opt;
    }

    private static byte[] save(Optimizer opt) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        opt.save(out);
        return out.toByteArray();
    }

    /** The average of two optimizers' buffers, written into one's checkpoint, loads and holds the mean of each value. */
    @ParameterizedTest
    @ValueSource(strings = {"SGD(lr=0.1, momentum=0.9)", "Adam(lr=1e-3)", "AdamW(lr=1e-3, amsgrad=True)", "RMSprop(lr=0.01, momentum=0.5, centered=True)", "Adagrad(lr=0.1)"})
    void averagedBuffers_loadIntoTheOptimizer_andHoldTheWeightedMean(String expression) throws Exception {
        byte[] a = save(stepped(expression, 1, 3));
        byte[] b = save(stepped(expression, 2, 3));
        int[] layout = OptimizerStates.layout(a);
        assertThat(layout).isEqualTo(OptimizerStates.layout(b));
        double[] sums = new double[OptimizerStates.size(layout)];
        OptimizerStates.addWeighted(a, layout, 3, sums);
        OptimizerStates.addWeighted(b, layout, 1, sums);
        float[] mean = new float[sums.length];
        for (int i = 0; i < mean.length; i++) {
            mean[i] = (float) (sums[i] / 4);
        }
        byte[] averaged = OptimizerStates.withBuffers(a, layout, mean);

        Optimizer target = stepped(expression, 3, 0);
        target.load(new ByteArrayInputStream(averaged)); // checks magic, version and CRC
        byte[] back = save(target);
        double[] check = new double[sums.length];
        OptimizerStates.addWeighted(back, OptimizerStates.layout(back), 1, check);
        double[] ofA = new double[sums.length];
        double[] ofB = new double[sums.length];
        OptimizerStates.addWeighted(a, layout, 1, ofA);
        OptimizerStates.addWeighted(b, layout, 1, ofB);
        assertThat(sums.length).isGreaterThan(0);
        for (int i = 0; i < check.length; i++) {
            assertThat(check[i]).isEqualTo((double) (float) ((3 * ofA[i] + ofB[i]) / 4));
        }
        assertThat(OptimizerStates.withBuffers(a, layout, toFloats(ofA))).isEqualTo(a);
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 7})
    void notAnOptimizerCheckpoint_failsClearly(int corruptAt) throws Exception {
        byte[] state = save(stepped("Adam(lr=1e-3)", 1, 1));
        state[corruptAt] = 99;
        assertThatThrownBy(() -> OptimizerStates.layout(state)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(corruptAt == 0 ? "not an lr4j optimizer checkpoint (bad magic)"
                        : "unknown optimizer checkpoint version 99, lr4j-spark averages version 1");
    }
}
