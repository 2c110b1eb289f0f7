package io.github.lr4j.train;

import io.github.lr4j.optim.Parameter;
import java.util.List;

/**
 * PyTorch 1.13's {@code torch.optim.swa_utils.AveragedModel} with its default {@code avg_fn}: the equal-weight
 * running mean of a model's parameters, {@code avg += (p - avg) / (n_averaged + 1)} in float32 as PyTorch computes
 * it (the first update copies), and {@code n_averaged} the number of updates.
 *
 * <p>No {@code update_bn} pass: lr4j's {@link Model} has parameters only, no buffers such as batch norm's running
 * statistics, so the averaged parameters are the whole model. A model that keeps such statistics outside its
 * parameters would need them recomputed with the averaged weights (PyTorch's {@code update_bn}) before evaluation;
 * this class does not do that.
 */
public final class WeightAverage {
    private final float[][] average;
    private long count;

    /** An empty average ({@code n_averaged = 0}) shaped like {@code model}'s parameters. */
    public WeightAverage(Model model) {
        this(model.parameters());
    }

    /** An empty average shaped like {@code parameters} (an engine's model that is not a {@link Model}, e.g. Spark's). */
    public WeightAverage(List<Parameter> parameters) {
        List<Parameter> ps = parameters;
        average = new float[ps.size()][];
        for (int i = 0; i < average.length; i++) {
            average[i] = new float[ps.get(i).size()];
        }
    }

    /** PyTorch's {@code update_parameters(model)}: folds the model's current parameters into the mean. */
    public void update(Model model) {
        update(model.parameters());
    }

    /** {@link #update(Model)} from the parameters themselves. */
    public void update(List<Parameter> parameters) {
        List<Parameter> ps = parameters;
        checkShape(ps);
        float divisor = count + 1;
        for (int i = 0; i < average.length; i++) {
            float[] p = ps.get(i).data();
            float[] a = average[i];
            if (count == 0) {
                System.arraycopy(p, 0, a, 0, a.length);
            } else {
                for (int j = 0; j < a.length; j++) {
                    a[j] = a[j] + (p[j] - a[j]) / divisor;
                }
            }
        }
        count++;
    }

    /** PyTorch's {@code n_averaged}: how many times {@link #update} was called. */
    public long count() {
        return count;
    }

    /** The averaged value of parameter {@code i} (a copy). */
    public float[] weights(int i) {
        return average[i].clone();
    }

    /** Writes the average into {@code model}'s parameters (nothing to do for buffers: see the class comment). */
    public void copyInto(Model model) {
        copyInto(model.parameters());
    }

    /** {@link #copyInto(Model)} into the parameters themselves. */
    public void copyInto(List<Parameter> parameters) {
        if (count == 0) {
            throw new IllegalStateException("the average holds no weights yet (n_averaged = 0)");
        }
        List<Parameter> ps = parameters;
        checkShape(ps);
        for (int i = 0; i < average.length; i++) {
            System.arraycopy(average[i], 0, ps.get(i).data(), 0, average[i].length);
        }
    }

    /** Evaluates the averaged weights on {@code data}, leaving {@code model}'s own weights as they were. */
    public Model.Evaluation evaluate(Model model, Dataset data) {
        if (count == 0) {
            throw new IllegalStateException("the average holds no weights yet (n_averaged = 0)");
        }
        checkShape(model.parameters());
        return Model.evaluateWith(model, average, data);
    }

    float[][] raw() {
        return average;
    }

    /** Replaces the whole state (a checked checkpoint's; {@code saved} may be null when {@code savedCount} is 0). */
    public void restore(float[][] saved, long savedCount) {
        for (int i = 0; i < average.length; i++) {
            if (saved == null) {
                java.util.Arrays.fill(average[i], 0f);
            } else {
                System.arraycopy(saved[i], 0, average[i], 0, average[i].length);
            }
        }
        count = savedCount;
    }

    private void checkShape(List<Parameter> ps) {
        if (ps.size() != average.length) {
            throw new IllegalArgumentException("the model has " + ps.size() + " parameters, the average " + average.length);
        }
        for (int i = 0; i < average.length; i++) {
            if (ps.get(i).size() != average[i].length) {
                throw new IllegalArgumentException("parameter " + ps.get(i).name() + " has " + ps.get(i).size()
                        + " values, the average " + average[i].length);
            }
        }
    }
}
