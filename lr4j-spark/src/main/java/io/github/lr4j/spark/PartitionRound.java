package io.github.lr4j.spark;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.ParamGrouping;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * What a Spark task does in one round of {@link ParameterAveraging}: K local optimizer steps from the broadcast
 * weights and optimizer state, each with the lr, momentum and hyper-parameters the driver planned for that step.
 * Runs on the executors: everything it reads is in {@link Setup} and {@link Input}.
 */
final class PartitionRound {
    /** Test-only: called with the partition index as each round's or validation's task starts (tasks then finish in a chosen order). */
    static volatile IntConsumer taskStarting;

    private PartitionRound() {
    }

    /** What every task needs besides the round's broadcast. */
    record Setup<T>(ModelFactory<T> factory, String optimizer, ParamGrouping grouping, int localBatch, long seed)
            implements Serializable { }

    /** The round's broadcast: weights, optimizer state, and the lr, momentum and hyper-parameters of each local step. */
    record Input(float[] params, byte[] optimizer, double[][] lrs, double[][] momenta, List<String> hyperNames,
                 double[][][] hyper, int epoch, int firstStep) implements Serializable { }

    static void starting(int partition) {
        IntConsumer hook = taskStarting;
        if (hook != null) {
            hook.accept(partition);
        }
    }

    /** One partition's part of a round: K local steps from the broadcast weights, weighted for the average. */
    static <T> RoundPartial run(Setup<T> setup, Input in, Shards.Shard<T> shard) {
        starting(shard.index());
        PartitionModel<T> model = setup.factory().create();
        List<Parameter> params = model.parameters();
        copyInto(in.params(), params);
        Optimizer opt = Optimizers.parse(setup.optimizer());
        setup.grouping().addTo(opt, params); // the driver's groups, so the states line up
        load(opt, in.optimizer());
        List<T> samples = shard.samples();
        int[] order = Shards.localOrder(samples.size(), setup.seed(), in.epoch(), shard.index());
        int steps = in.lrs().length;
        HyperParameters hyper = HyperParameters.of(opt);
        RoundPartial out = new RoundPartial();
        out.lossSums = new double[steps];
        out.counts = new long[steps];
        for (int k = 0; k < steps; k++) {
            int from = (in.firstStep() + k) * setup.localBatch();
            int to = Math.min(samples.size(), from + setup.localBatch());
            List<T> batch = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                batch.add(samples.get(order[i]));
            }
            for (int g = 0; g < opt.size(); g++) {
                opt.setLr(g, in.lrs()[k][g]);
                if (in.momenta() != null) {
                    opt.setMomentum(g, in.momenta()[k][g]);
                }
                for (int h = 0; h < in.hyperNames().size(); h++) {
                    hyper.set(g, in.hyperNames().get(h), in.hyper()[k][h][g]);
                }
            }
            opt.zeroGrad();
            double loss = model.lossAndGradient(batch);
            opt.step();
            out.lossSums[k] = loss * batch.size();
            out.counts[k] = batch.size();
            out.samples += batch.size();
        }
        double weight = out.samples;
        out.params = new double[in.params().length];
        int at = 0;
        for (Parameter p : params) {
            float[] d = p.data();
            for (int i = 0; i < d.length; i++) {
                out.params[at++] = weight * d[i];
            }
        }
        out.template = save(opt);
        out.layout = OptimizerStates.layout(out.template);
        out.buffers = new double[OptimizerStates.size(out.layout)];
        OptimizerStates.addWeighted(out.template, out.layout, weight, out.buffers);
        return out;
    }

    static void copyInto(float[] values, List<Parameter> params) {
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(values, at, p.data(), 0, p.size());
            at += p.size();
        }
    }

    static float[] flatten(List<Parameter> params) {
        int n = 0;
        for (Parameter p : params) {
            n += p.size();
        }
        float[] out = new float[n];
        int at = 0;
        for (Parameter p : params) {
            System.arraycopy(p.data(), 0, out, at, p.size());
            at += p.size();
        }
        return out;
    }

    static byte[] save(Optimizer opt) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            opt.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void load(Optimizer opt, byte[] state) {
        try {
            opt.load(new ByteArrayInputStream(state));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
