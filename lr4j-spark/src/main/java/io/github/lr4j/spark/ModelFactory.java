package io.github.lr4j.spark;

import java.io.Serializable;

/**
 * Makes a {@link PartitionModel} on the driver and in every task. It is serialized into the
 * tasks, so it should hold only the model's shape (and seed): the weights travel separately.
 * The driver's instance supplies the initial weights.
 */
@FunctionalInterface
public interface ModelFactory<T> extends Serializable {
    PartitionModel<T> create();
}
