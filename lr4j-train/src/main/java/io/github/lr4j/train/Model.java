package io.github.lr4j.train;

import io.github.lr4j.optim.Parameter;
import java.util.List;

/**
 * What the training loop needs from a model: its parameter tensors (whose gradients it fills) and
 * the loss on a batch. Any model can be trained; {@link Mlp} is the one lr4j ships.
 */
public interface Model {

    List<Parameter> parameters();

    /**
     * Forward and backward on samples {@code order[from..to)} of {@code data}: returns the mean loss
     * and adds {@code scale} times its gradient to every parameter's gradient.
     */
    double lossAndGradient(Dataset data, int[] order, int from, int to, double scale);

    /** Mean loss and accuracy on a whole data set (no gradients). */
    Evaluation evaluate(Dataset data);

    /** Evaluates {@code model} on {@code data} with {@code weights} (one array per parameter), then puts its own weights back. */
    static Evaluation evaluateWith(Model model, float[][] weights, Dataset data) {
        List<Parameter> ps = model.parameters();
        float[][] own = new float[ps.size()][];
        for (int i = 0; i < own.length; i++) {
            own[i] = ps.get(i).data().clone();
            System.arraycopy(weights[i], 0, ps.get(i).data(), 0, own[i].length);
        }
        try {
            return model.evaluate(data);
        } finally {
            for (int i = 0; i < own.length; i++) {
                System.arraycopy(own[i], 0, ps.get(i).data(), 0, own[i].length);
            }
        }
    }

    /** Loss and accuracy. */
    record Evaluation(double loss, double accuracy) { }
}
