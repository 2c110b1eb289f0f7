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
 *
 * <p>A batch runs as matrix products over preallocated rows ({@link MlpKernels}), with bias and ReLU applied
 * as each output row is made and the softmax cross-entropy gradient written in place; a call allocates
 * nothing once the buffers fit the batch. An instance is therefore not safe for concurrent use.
 */
public final class Mlp implements Model {
    /** Samples per forward pass in {@link #evaluate} (or the training batch, when that is larger). */
    private static final int EVALUATION_CHUNK = 64;

    private final int[] widths;
    private final Parameter[] weights;
    private final Parameter[] biases;
    private final List<Parameter> parameters;
    // Scratch space, reused by every call (an Mlp is not safe for concurrent use): the weights in the kernels'
    // layouts, the batch's activations and deltas (one row per sample), and the batch's gradient sums.
    private final boolean[] widens;
    private final float[][][] weightsT;
    private final float[][][] weightRows;
    private final float[][][] gradientSums;
    private final float[][] biasSums;
    private int capacity;
    private float[][][] activations;
    private float[][][] deltas;
    // A narrowing layer's inputs transposed (in x batch) and two sums per sample (MlpKernels.dotColumns).
    private float[][][] transposedInputs;
    private float[] sums0;
    private float[] sums1;

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
        widens = new boolean[layers];
        weightsT = new float[layers][][];
        weightRows = new float[layers][][];
        gradientSums = new float[layers][][];
        biasSums = new float[layers][];
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            // A layer that widens runs its forward along its (longer) output rows; one that narrows as dot products.
            widens[l] = out > in;
            if (widens[l]) {
                weightsT[l] = new float[in][out];
            }
            // A widening layer's gradient sums are held transposed (in x out), so the kernel's inner loop runs along
            // the longer side.
            gradientSums[l] = widens[l] ? new float[in][out] : new float[out][in];
            if (!widens[l] || l > 0) {
                weightRows[l] = new float[out][in];
            }
            biasSums[l] = new float[out];
        }
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

    /**
     * Copies the weights into the layouts the kernels read: transposed ({@code in x out}) for a layer that widens,
     * as rows ({@code out x in}) for a layer that narrows and for every layer a gradient flows back through.
     */
    private void prepareWeights() {
        for (int l = 0; l < weights.length; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            if (widens[l]) {
                MlpKernels.toTransposedRows(weights[l].data(), weightsT[l], out, in);
            }
            if (weightRows[l] != null) {
                MlpKernels.toRows(weights[l].data(), weightRows[l], out, in);
            }
        }
    }

    /** Batch buffers for at least {@code n} samples (allocated on the first call and when a batch is larger). */
    private void ensureCapacity(int n) {
        if (n <= capacity) {
            return;
        }
        int layers = weights.length;
        activations = new float[layers + 1][][];
        deltas = new float[layers + 1][][];
        activations[0] = new float[n][];
        transposedInputs = new float[layers][][];
        for (int l = 0; l < layers; l++) {
            if (!widens[l]) {
                transposedInputs[l] = new float[widths[l]][n];
            }
        }
        sums0 = new float[n];
        sums1 = new float[n];
        for (int l = 1; l <= layers; l++) {
            activations[l] = new float[n][widths[l]];
            deltas[l] = l < layers ? new float[n][widths[l]] : activations[l]; // the output's delta overwrites the softmax
        }
        capacity = n;
    }

    /** Forward for samples {@code activations[0][0..n)}: bias and ReLU applied as each output row is made. */
    private void forward(int n) {
        int layers = weights.length;
        for (int l = 0; l < layers; l++) {
            int in = widths[l];
            int out = widths[l + 1];
            float[] b = biases[l].data();
            float[][] a = activations[l];
            float[][] z = activations[l + 1];
            boolean hidden = l < layers - 1;
            if (widens[l]) {
                for (int s = 0; s < n; s++) {
                    System.arraycopy(b, 0, z[s], 0, out);
                    MlpKernels.addRowTimesRows(z[s], a[s], weightsT[l], in, out);
                }
            } else {
                MlpKernels.transpose(a, transposedInputs[l], n, in);
                MlpKernels.dotColumns(z, transposedInputs[l], weightRows[l], b, sums0, sums1, n, out, in);
            }
            if (hidden) {
                for (int s = 0; s < n; s++) {
                    MlpKernels.relu(z[s], out);
                }
            }
        }
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
        int layers = weights.length;
        float factor = (float) (scale / n);
        prepareWeights();
        ensureCapacity(n);
        float[][] input = activations[0];
        for (int s = 0; s < n; s++) {
            input[s] = data.x()[order[from + s]];
        }
        forward(n);
        double total = 0;
        float[][] out = activations[layers];
        for (int s = 0; s < n; s++) {
            int label = data.y()[order[from + s]];
            total += softmaxLoss(out[s], label);
            out[s][label] -= 1f; // dLoss/dlogits = p - onehot, in place (deltas[layers] is activations[layers])
        }
        for (int l = layers - 1; l >= 0; l--) {
            int in = widths[l];
            int width = widths[l + 1];
            float[][] d = deltas[l + 1];
            float[][] a = activations[l];
            float[] gb = biasSums[l];
            for (int s = 0; s < n; s++) {
                float[] ds = d[s];
                for (int o = 0; o < width; o++) {
                    gb[o] += ds[o];
                }
            }
            if (widens[l]) {
                MlpKernels.addOuterProducts(gradientSums[l], a, d, n, in, width);
            } else {
                MlpKernels.addOuterProducts(gradientSums[l], d, a, n, width, in);
            }
            if (l > 0) {
                float[][] back = deltas[l];
                for (int s = 0; s < n; s++) {
                    java.util.Arrays.fill(back[s], 0, in, 0f);
                    MlpKernels.addRowTimesRows(back[s], d[s], weightRows[l], width, in);
                    MlpKernels.reluMask(back[s], a[s], in);
                }
            }
            // The batch's sums, scaled once, into the parameters' gradients (and the sums cleared for the next call).
            if (widens[l]) {
                MlpKernels.addTransposedRowsScaled(weights[l].grad(), gradientSums[l], factor, width, in);
            } else {
                MlpKernels.addRowsScaled(weights[l].grad(), gradientSums[l], factor, width, in);
            }
            float[] gBias = biases[l].grad();
            for (int o = 0; o < width; o++) {
                gBias[o] += factor * gb[o];
                gb[o] = 0f;
            }
        }
        java.util.Arrays.fill(input, 0, n, null); // holds no reference to the data between calls
        return total / n;
    }

    @Override
    public Evaluation evaluate(Dataset data) {
        prepareWeights();
        int chunk = Math.max(capacity, EVALUATION_CHUNK);
        ensureCapacity(Math.min(chunk, Math.max(1, data.size())));
        chunk = capacity;
        int layers = weights.length;
        float[][] input = activations[0];
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < data.size(); from += chunk) {
            int n = Math.min(chunk, data.size() - from);
            for (int s = 0; s < n; s++) {
                input[s] = data.x()[from + s];
            }
            forward(n);
            for (int s = 0; s < n; s++) {
                float[] logits = activations[layers][s];
                int label = data.y()[from + s];
                correct += argmax(logits) == label ? 1 : 0;
                loss += softmaxLoss(logits, label);
            }
            java.util.Arrays.fill(input, 0, n, null);
        }
        return new Evaluation(loss / data.size(), (double) correct / data.size());
    }

    private static int argmax(float[] logits) {
        int best = 0;
        for (int c = 1; c < logits.length; c++) {
            if (logits[c] > logits[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The predicted class of one sample. */
    public int predict(float[] x) {
        prepareWeights();
        ensureCapacity(1);
        activations[0][0] = x;
        forward(1);
        activations[0][0] = null;
        return argmax(activations[weights.length][0]);
    }
}
