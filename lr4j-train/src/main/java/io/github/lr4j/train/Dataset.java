package io.github.lr4j.train;

/** Labelled samples: features {@code x[i]} (all the same length) and class labels {@code y[i]} in [0, classes). */
public record Dataset(float[][] x, int[] y, int classes) {
    public Dataset {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " samples but y has " + y.length);
        }
        for (int label : y) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("labels must be in [0, " + classes + "), got " + label);
            }
        }
    }

    public int size() {
        return y.length;
    }

    public int features() {
        return x.length == 0 ? 0 : x[0].length;
    }

    /** The samples at {@code indices}, in that order. */
    public Dataset subset(int[] indices) {
        float[][] xs = new float[indices.length][];
        int[] ys = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            xs[i] = x[indices[i]];
            ys[i] = y[indices[i]];
        }
        return new Dataset(xs, ys, classes);
    }
}
