package io.github.lr4j.train;

import io.github.lr4j.optim.Parameter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A multi-layer perceptron with ReLU between layers and softmax cross-entropy at the end; with no
 * hidden layer it is softmax (multinomial logistic) regression. Gradients are analytic (checked
 * against finite differences in the tests). Weights start as PyTorch's {@code nn.Linear} does:
 * uniform in ±1/sqrt(fan_in), from a seeded {@link Random}.
 */
public final class Mlp implements Model {
    private final int[] widths;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final List<Parameter> parameters;

    /** {@code Mlp(64, new int[] {128}, 10, seed)}: 64 inputs, one hidden layer of 128, 10 classes. */
    public Mlp(int inputs, int[] hidden, int classes, long seed) {
        widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = classes;
        for (int w : widths) {
            if (w < 1) {
                throw new IllegalArgumentException("layer widths must be >= 1, got " + java.util.Arrays.toString(widths));
            }
        }
        Random random = new Random(seed);
        int layers = widths.length - 1;
        weights = new Parameter[layers];
        biases = new Parameter[layers];
        List<Parameter> ps = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            float bound = (float) (1 / Math.sqrt(in));
            float[] w = new float[in * out];
            for (int i = 0; i < w.length; i++) {
                w[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            float[] b = new float[out];
            for (int i = 0; i < b.length; i++) {
                b[i] = (random.nextFloat() * 2 - 1) * bound;
            }
            weights[l] = Parameter.of("layer" + l + ".weight", w, out, in);
            biases[l] = Parameter.of("layer" + l + ".bias", b, out);
            ps.add(weights[l]);
            ps.add(biases[l]);
        }
        parameters = Collections.unmodifiableList(ps);
    }

    /** Softmax regression: no hidden layer. */
    public static Mlp softmaxRegression(int inputs, int classes, long seed) {
        return new Mlp(inputs, new int[0], classes, seed);
    }

    @Override
    public List<Parameter> parameters() {
        return parameters;
    }

    public int[] widths() {
        return widths.clone();
    }

    /** Activations of every layer for one sample: a[0] = input, a[L] = logits. */
    private float[][] forward(float[] x) {
        int layers = weights.length;
        float[][] a = new float[layers + 1][];
        a[0] = x;
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            float[] w = weights[l].data();
            float[] b = biases[l].data();
            float[] z = new float[out];
            for (int o = 0; o < out; o++) {
                float s = b[o];
                int row = o * in;
                for (int i = 0; i < in; i++) {
                    s += w[row + i] * a[l][i];
                }
                z[o] = l < layers - 1 ? Math.max(0f, s) : s;
            }
            a[l + 1] = z;
        }
        return a;
    }

    /** Softmax probabilities (in place) and the loss -log p[label]. */
    private static double softmaxLoss(float[] logits, int label) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) Math.exp(logits[i] - max);
            sum += logits[i];
        }
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (logits[i] / sum);
        }
        return -Math.log(Math.max(logits[label], 1e-30));
    }

    @Override
    public double lossAndGradient(Dataset data, int[] order, int from, int to, double scale) {
        int n = to - from;
        double total = 0;
        int layers = weights.length;
        float factor = (float) (scale / n);
        for (int k = from; k < to; k++) {
            int sample = order[k];
            float[][] a = forward(data.x()[sample]);
            float[] delta = a[layers];
            total += softmaxLoss(delta, data.y()[sample]);
            delta[data.y()[sample]] -= 1f; // dLoss/dlogits = p - onehot
            for (int l = layers - 1; l >= 0; l--) {
                int in = widths[l];
                int out = widths[l + 1];
                float[] w = weights[l].data();
                float[] gw = weights[l].grad();
                float[] gb = biases[l].grad();
                float[] prev = a[l];
                float[] back = l > 0 ? new float[in] : null;
                for (int o = 0; o < out; o++) {
                    float d = delta[o] * factor;
                    gb[o] += d;
                    int row = o * in;
                    for (int i = 0; i < in; i++) {
                        gw[row + i] += d * prev[i];
                    }
                    if (back != null) {
                        float dRaw = delta[o];
                        for (int i = 0; i < in; i++) {
                            back[i] += dRaw * w[row + i];
                        }
                    }
                }
                if (back != null) {
                    for (int i = 0; i < in; i++) {
                        if (prev[i] <= 0f) {
                            back[i] = 0f; // ReLU
                        }
                    }
                    delta = back;
                }
            }
        }
        return total / n;
    }

    @Override
    public Evaluation evaluate(Dataset data) {
        double loss = 0;
        int correct = 0;
        for (int s = 0; s < data.size(); s++) {
            float[] logits = forward(data.x()[s])[weights.length];
            int best = 0;
            for (int c = 1; c < logits.length; c++) {
                if (logits[c] > logits[best]) {
                    best = c;
                }
            }
            correct += best == data.y()[s] ? 1 : 0;
            loss += softmaxLoss(logits, data.y()[s]);
        }
        return new Evaluation(loss / data.size(), (double) correct / data.size());
    }

    /** The predicted class of one sample. */
    public int predict(float[] x) {
        float[] logits = forward(x)[weights.length];
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
                best = c;
            }
        }
        return best;
    }
}
