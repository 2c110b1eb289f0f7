package io.github.lr4j.spark;

import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.Model;
import java.util.List;

/** lr4j's {@link Mlp} over {@link Sample}s, as a {@link PartitionModel}. */
public final class MlpPartitionModel implements PartitionModel<Sample> {
    private final Mlp mlp;
    private final int classes;

    MlpPartitionModel(int inputs, int[] hidden, int classes, long seed) {
        this.mlp = new Mlp(inputs, hidden, classes, seed);
        this.classes = classes;
    }

    /** The MLP {@code inputs - hidden... - classes}, weights seeded as {@link Mlp}'s; only the shape and the seed are serialized. */
    public static ModelFactory<Sample> factory(int inputs, int[] hidden, int classes, long seed) {
        int[] h = hidden.clone();
        return () -> new MlpPartitionModel(inputs, h, classes, seed);
    }

    /** The model itself (its parameters are this object's). */
    public Mlp mlp() {
        return mlp;
    }

    @Override
    public List<Parameter> parameters() {
        return mlp.parameters();
    }

    @Override
    public double lossAndGradient(List<Sample> batch) {
        return mlp.lossAndGradient(dataset(batch), identity(batch.size()), 0, batch.size(), 1.0);
    }

    @Override
    public Model.Evaluation evaluate(List<Sample> samples) {
        return samples.isEmpty() ? new Model.Evaluation(Double.NaN, Double.NaN) : mlp.evaluate(dataset(samples));
    }

    private Dataset dataset(List<Sample> samples) {
        float[][] x = new float[samples.size()][];
        int[] y = new int[samples.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = samples.get(i).features();
            y[i] = samples.get(i).label();
        }
        return new Dataset(x, y, classes);
    }

    private static int[] identity(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        return order;
    }
}
