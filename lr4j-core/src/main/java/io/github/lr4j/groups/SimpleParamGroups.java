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

    /** NaN, infinite or negative values are refused and nothing changes; -0.0 is stored as 0.0. */
    @Override
    public void setLr(int group, double value) {
        checkGroup(group);
        lr[group] = Checks.nonNegative("lr of group " + group, value) + 0.0;
    }

    private void checkGroup(int group) {
        if (group < 0 || group >= lr.length) {
            throw new IndexOutOfBoundsException("group must be in [0, " + (lr.length - 1) + "], got " + group);
        }
    }

    @Override
    public double initialLr(int group) {
        return initialLr[group];
    }

    /** NaN (that stands for "no scheduler attached yet" and is never set), infinite or negative values are refused. */
    @Override
    public void setInitialLr(int group, double value) {
        checkGroup(group);
        initialLr[group] = Checks.nonNegative("initial lr of group " + group, value) + 0.0;
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
        checkGroup(group);
        // Schedulers may cycle momentum above 1 (OneCycleLR's max_momentum is not bounded): finite is what is required.
        momentum[group] = Checks.finite("momentum of group " + group, value);
    }

    @Override
    public String toString() {
        return "ParamGroups(lr=" + Arrays.toString(lr) + (kind == MomentumKind.NONE ? "" : ", " + kind.name().toLowerCase()
                + "=" + Arrays.toString(momentum)) + ")";
    }
}
