package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.optim.Parameter;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Analytic gradients against central finite differences, on random data (seeded). */
class MlpTest {

    static Stream<Arguments> models() {
        return Stream.of(Arguments.of("softmax regression", new int[0]), Arguments.of("one hidden layer", new int[] {7}),
                Arguments.of("two hidden layers", new int[] {6, 5}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void gradients_matchFiniteDifferences(String name, int[] hidden) {
        Random random = new Random(3);
        float[][] x = new float[6][5];
        int[] y = new int[6];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < 5; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i] = random.nextInt(4);
        }
        Dataset data = new Dataset(x, y, 4);
        int[] order = {0, 1, 2, 3, 4, 5};
        Mlp model = new Mlp(5, hidden, 4, 11);
        model.parameters().forEach(Parameter::zeroGrad);
        model.lossAndGradient(data, order, 0, 6, 1.0);
        int checked = 0;
        for (Parameter p : model.parameters()) {
            for (int i = 0; i < p.size(); i++) {
                float saved = p.data()[i];
                double h = 1e-3;
                p.data()[i] = (float) (saved + h);
                double up = model.evaluate(data).loss();
                p.data()[i] = (float) (saved - h);
                double down = model.evaluate(data).loss();
                p.data()[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertThat(p.grad()[i]).as("%s %s[%d]", name, p.name(), i)
                        .isCloseTo((float) numeric, org.assertj.core.data.Offset.offset((float) (2e-3 + 5e-2 * Math.abs(numeric))));
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(20);
    }
}
