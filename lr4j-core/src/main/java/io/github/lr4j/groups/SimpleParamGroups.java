package io.github.lr4j.groups;

import io.github.lr4j.util.Checks;
import java.util.Arrays;

/** Param groups held in arrays, with no optimizer behind them. */
final class SimpleParamGroups implements ParamGroups {
    private final double[] lr;
    private final double[] initialLr;
    private final double[] momentum;
    private final MomentumKind kind;

    SimpleParamGroups(double[] lrs, double[] momentum, MomentumKind kind) {
        if (lrs == null || lrs.length == 0) {
            throw new IllegalArgumentException("lrs must have at least 1 value (one per param group), got none");
        }
        for (int i = 0; i < lrs.length; i++) {
            Checks.nonNegative("lr[" + i + "]", lrs[i]);
        }
        this.lr = lrs.clone();
        this.initialLr = new double[lrs.length];
        Arrays.fill(initialLr, Double.NaN);
        this.kind = kind;
        this.momentum = new double[lrs.length];
        if (kind == MomentumKind.NONE) {
            Arrays.fill(this.momentum, Double.NaN);
        } else {
            double[] m = Checks.perGroup("momentum", momentum, lrs.length);
            for (int i = 0; i < m.length; i++) {
                Checks.inClosed("momentum[" + i + "]", m[i], 0, 1);
            }
            System.arraycopy(m, 0, this.momentum, 0, m.length);
        }
    }

    @Override
    public int size() {
        return lr.length;
    }

    @Override
    public double lr(int group) {
        return lr[group];
    }

    @Override
    public void setLr(int group, double value) {
        lr[group] = value;
    }

    @Override
    public double initialLr(int group) {
        return initialLr[group];
    }

    @Override
    public void setInitialLr(int group, double value) {
        initialLr[group] = value;
    }

    @Override
    public MomentumKind momentumKind() {
        return kind;
    }

    @Override
    public double momentum(int group) {
        return momentum[group];
    }

    @Override
    public void setMomentum(int group, double value) {
        if (kind == MomentumKind.NONE) {
            throw new IllegalStateException("these param groups have no momentum or beta1 to set");
        }
        momentum[group] = value;
    }

    @Override
    public String toString() {
        return "ParamGroups(lr=" + Arrays.toString(lr) + (kind == MomentumKind.NONE ? "" : ", " + kind.name().toLowerCase()
                + "=" + Arrays.toString(momentum)) + ")";
    }
}
