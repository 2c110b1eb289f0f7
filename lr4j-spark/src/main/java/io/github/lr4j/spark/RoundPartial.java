package io.github.lr4j.spark;

import java.io.Serializable;

/**
 * What the partitions send back after a round, summed by {@code treeAggregate}: parameters and
 * optimizer buffers weighted by the number of samples each partition trained on, the loss of each
 * local step, and one partition's optimizer checkpoint as the template for the average (every
 * partition took the same steps, so step counts and layouts agree).
 */
final class RoundPartial implements Serializable {
    private static final long serialVersionUID = 1L;

    long samples;
    double[] params;
    double[] buffers;
    double[] lossSums;
    long[] counts;
    byte[] template;
    int[] layout;

    static RoundPartial empty() {
        return new RoundPartial();
    }

    /** Adds {@code other} into this one (Spark allows the combiner to reuse its first argument). */
    RoundPartial merge(RoundPartial other) {
        if (other.samples == 0) {
            return this;
        }
        if (samples == 0) {
            return other;
        }
        samples += other.samples;
        add(params, other.params);
        add(buffers, other.buffers);
        add(lossSums, other.lossSums);
        for (int k = 0; k < counts.length; k++) {
            counts[k] += other.counts[k];
        }
        return this;
    }

    private static void add(double[] into, double[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }
}
