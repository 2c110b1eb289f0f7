package io.github.lr4j.train;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Parameter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** lr4j's own engine for {@link RunCheckpoints}: an lr4j {@link Model}, its {@link Optimizer} and the SWA average. */
final class LoopEngine implements RunCheckpoints.Engine {
    private final Model model;
    private final Optimizer optimizer;
    /** The optimizer's values when the loop was made (before schedules are attached): where a warm restart starts. */
    private final GroupValues startValues;
    private WeightAverage average;

    LoopEngine(Model model, Optimizer optimizer) {
        this.model = model;
        this.optimizer = optimizer;
        this.startValues = GroupValues.of(optimizer);
    }

    void average(WeightAverage average) {
        this.average = average;
    }

    /** At the end of the run: the SWA average into the model; returns the trained weights it replaced (null: no average). */
    float[][] endWithAverage() {
        if (average == null || average.count() == 0) {
            return null;
        }
        float[][] trained = copyWeights();
        average.copyInto(model);
        return trained;
    }

    @Override
    public List<String> parameterNames() {
        return model.parameters().stream().map(Parameter::name).toList();
    }

    @Override
    public int groups() {
        return optimizer.size();
    }

    @Override
    public int[] parameterSizes() {
        return model.parameters().stream().mapToInt(Parameter::size).toArray();
    }

    @Override
    public float[][] weights() {
        return model.parameters().stream().map(Parameter::data).toArray(float[][]::new);
    }

    /** A copy of the weights now. */
    float[][] copyWeights() {
        return model.parameters().stream().map(p -> p.data().clone()).toArray(float[][]::new);
    }

    @Override
    public byte[] optimizerState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            optimizer.save(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void loadOptimizerState(byte[] state) throws IOException {
        optimizer.load(new ByteArrayInputStream(state));
    }

    @Override
    public void loadWeights(float[][] weights) {
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) {
            System.arraycopy(weights[i], 0, ps.get(i).data(), 0, weights[i].length);
        }
    }

    @Override
    public float[][] swaAverage() {
        return average == null ? null : average.raw();
    }

    @Override
    public long swaCount() {
        return average == null ? 0 : average.count();
    }

    @Override
    public void loadSwaAverage(float[][] saved, long count) {
        if (average != null) {
            average.restore(saved, count);
        }
    }

    @Override
    public void resetScheduledValues() {
        // The schedules start again from the values the run started with (each group's initial lr where the optimizer
        // knows it), keeping the trained weights and the optimizer's buffers.
        startValues.restartInto(optimizer);
    }
}
