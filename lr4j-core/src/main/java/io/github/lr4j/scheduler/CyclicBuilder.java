package io.github.lr4j.scheduler;

import static io.github.lr4j.util.Checks.perGroup;
import static io.github.lr4j.util.Checks.positive;

import io.github.lr4j.groups.ParamGroups;
import java.util.function.DoubleUnaryOperator;

/**
 * Options of PyTorch's CyclicLR, with PyTorch's defaults: {@code stepSizeUp=2000},
 * {@code stepSizeDown=stepSizeUp}, {@code mode="triangular"}, {@code gamma=1}, no custom scale
 * function ({@code scaleMode="cycle"} when one is given), {@code cycleMomentum=true},
 * {@code baseMomentum=0.8}, {@code maxMomentum=0.9}.
 */
public final class CyclicBuilder {
    private final double[] baseLr;
    private final double[] maxLr;
    private double stepSizeUp = 2000;
    private Double stepSizeDown;
    private String mode = "triangular";
    private double gamma = 1.0;
    private DoubleUnaryOperator scaleFn;
    private String scaleMode = "cycle";
    private boolean cycleMomentum = true;
    private double[] baseMomentum = {0.8};
    private double[] maxMomentum = {0.9};

    CyclicBuilder(double[] baseLr, double[] maxLr) {
        this.baseLr = baseLr;
        this.maxLr = maxLr;
    }

    public CyclicBuilder stepSizeUp(double steps) {
        this.stepSizeUp = steps;
        return this;
    }

    public CyclicBuilder stepSizeDown(double steps) {
        this.stepSizeDown = steps;
        return this;
    }

    /** The amplitude policy; ignored when a scale function is given. */
    public CyclicBuilder mode(CyclicMode mode) {
        this.mode = mode.pytorchName();
        return this;
    }

    public CyclicBuilder gamma(double gamma) {
        this.gamma = gamma;
        return this;
    }

    /** A custom amplitude {@code f(x)} in [0, 1], of the cycle number or of the step (see {@link #scaleMode}). */
    public CyclicBuilder scaleFn(DoubleUnaryOperator scaleFn) {
        this.scaleFn = scaleFn;
        return this;
    }

    /** {@code "cycle"} or {@code "iterations"}: what the custom scale function is given. */
    public CyclicBuilder scaleMode(ScaleMode scaleMode) {
        this.scaleMode = scaleMode.pytorchName();
        return this;
    }

    public CyclicBuilder cycleMomentum(boolean cycleMomentum) {
        this.cycleMomentum = cycleMomentum;
        return this;
    }

    public CyclicBuilder baseMomentum(double... baseMomentum) {
        this.baseMomentum = baseMomentum;
        return this;
    }

    public CyclicBuilder maxMomentum(double... maxMomentum) {
        this.maxMomentum = maxMomentum;
        return this;
    }

    /** Checks every option, attaches to the groups and applies step 0. */
    public LrScheduler attach(ParamGroups groups) {
        int n = groups.size();
        double[] base = perGroup("base_lr", baseLr, n);
        double[] max = perGroup("max_lr", maxLr, n);
        Schedulers.checkLrs("base_lr", base, false);
        Schedulers.checkLrs("max_lr", max, false);
        positive("step_size_up", stepSizeUp);
        double down = stepSizeDown == null ? stepSizeUp : stepSizeDown;
        positive("step_size_down", down);
        positive("gamma", gamma);
        double[] baseM = perGroup("base_momentum", baseMomentum, n);
        double[] maxM = perGroup("max_momentum", maxMomentum, n);
        if (cycleMomentum) {
            Schedulers.requireMomentum(groups, "CyclicLR cycles momentum by default",
                    "; pass cycleMomentum(false) (cycle_momentum=False)");
            Schedulers.checkMomentum("base_momentum", baseM);
            Schedulers.checkMomentum("max_momentum", maxM);
        }
        return new CyclicLR(groups, base, max, stepSizeUp, down, mode, gamma, scaleFn, scaleMode, cycleMomentum, baseM, maxM)
                .attachCyclic();
    }
}
