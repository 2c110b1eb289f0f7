package io.github.lr4j.spark;

import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.Model;
import java.util.List;

/**
 * A user's model as one Spark task sees it: its parameter tensors and a gradient function over
 * samples of a partition. {@link ParameterAveraging} overwrites the parameters' values with the
 * round's broadcast weights before it calls anything, so a fresh instance per task is fine.
 *
 * @param <T> the type of one sample in the training RDD
 */
public interface PartitionModel<T> {

    /** The tensors the optimizer updates, always in the same order and with the same sizes. */
    List<Parameter> parameters();

    /**
     * Forward and backward on {@code batch}: returns the mean loss over the batch and adds its
     * gradient to every parameter's {@link Parameter#grad()} (zeroed before each call).
     */
    double lossAndGradient(List<T> batch);

    /** Mean loss and accuracy over {@code samples} (no gradients); accuracy may be NaN if it means nothing. */
    Model.Evaluation evaluate(List<T> samples);
}
