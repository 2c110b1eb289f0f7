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

    /** Loss and accuracy. */
    record Evaluation(double loss, double accuracy) { }
}
