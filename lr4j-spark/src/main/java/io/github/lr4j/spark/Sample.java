package io.github.lr4j.spark;

import java.io.Serializable;

/** One labelled sample for the lr4j MLP: features and a class label in [0, classes). */
public record Sample(float[] features, int label) implements Serializable { }
