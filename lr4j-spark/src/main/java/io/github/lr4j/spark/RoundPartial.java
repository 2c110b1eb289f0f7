package io.github.lr4j.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What the partitions send back after a round, summed on the driver in partition order: parameters and
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

    /**
     * The sum of {@code partials}, added in the order given (partition order): floating-point addition is not
     * associative, so summing as tasks finish would make the averages, and the logged losses, depend on timing.
     */
    static RoundPartial sumInPartitionOrder(List<RoundPartial> partials) {
        RoundPartial total = empty();
        for (RoundPartial p : partials) {
            total = total.merge(p);
        }
        return total;
    }

    /** The parameters averaged over the partitions, weighted by their samples. */
    float[] averagedParams() {
        return divided(params);
    }

    /** The optimizer buffers averaged over the partitions, weighted by their samples (in layout order). */
    float[] averagedBuffers() {
        return divided(buffers);
    }

    private float[] divided(double[] sums) {
        float[] out = new float[sums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (sums[i] / samples);
        }
        return out;
    }

    /** Adds {@code other} into this one (reusing this one's arrays). */
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
