package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Optimizer;
import java.util.List;

/**
 * A snapshot of every group's lr, momentum and schedulable hyper-parameters, to write back later: what a run starts
 * from (a warm restart of its schedules), or the driver's scheduled values after loading a Spark partition's state.
 */
public final class GroupValues {
    private final double[] lr;
    private final double[] momentum;
    private final List<String> names;
    private final double[][] hyper;

    private GroupValues(double[] lr, double[] momentum, List<String> names, double[][] hyper) {
        this.lr = lr;
        this.momentum = momentum;
        this.names = names;
        this.hyper = hyper;
    }

    public static GroupValues of(Optimizer opt) {
        HyperParameters hp = HyperParameters.of(opt);
        List<String> names = hp.schedulable();
        double[] lr = new double[opt.size()];
        double[] momentum = new double[opt.size()];
        double[][] hyper = new double[names.size()][opt.size()];
        for (int g = 0; g < opt.size(); g++) {
            lr[g] = opt.lr(g);
            momentum[g] = opt.momentum(g);
            for (int h = 0; h < names.size(); h++) {
                hyper[h][g] = hp.get(g, names.get(h));
            }
        }
        return new GroupValues(lr, momentum, names, hyper);
    }

    public double[] lr() {
        return lr.clone();
    }

    public double[] momentum() {
        return momentum.clone();
    }

    /** The values of hyper-parameter {@code name} (one the optimizer can schedule). */
    public double[] hyper(String name) {
        return hyper[names.indexOf(name)].clone();
    }

    public void writeInto(Optimizer opt) {
        HyperParameters hp = HyperParameters.of(opt);
        for (int g = 0; g < lr.length; g++) {
            opt.setLr(g, lr[g]);
            if (opt.momentumKind() != MomentumKind.NONE) {
                opt.setMomentum(g, momentum[g]);
            }
            for (int h = 0; h < names.size(); h++) {
                hp.set(g, names.get(h), hyper[h][g]);
            }
        }
    }

    /**
     * A warm restart: these values (what the run started from) back into {@code opt}, each group's lr its initial lr
     * where the optimizer knows it; the weights and the optimizer's buffers are kept. Every engine restarts this way.
     */
    public void restartInto(Optimizer opt) {
        writeInto(opt);
        for (int g = 0; g < opt.size(); g++) {
            if (!Double.isNaN(opt.initialLr(g))) {
                opt.setLr(g, opt.initialLr(g));
            }
        }
    }
}
