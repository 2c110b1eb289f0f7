package io.github.lr4j.scheduler;

import static io.github.lr4j.util.Checks.atLeast;
import static io.github.lr4j.util.Checks.inClosed;
import static io.github.lr4j.util.Checks.perGroup;
import static io.github.lr4j.util.Checks.positive;

import io.github.lr4j.groups.ParamGroups;

/**
 * Options of PyTorch's OneCycleLR, with PyTorch's defaults: {@code pctStart=0.3},
 * {@code annealStrategy="cos"}, {@code cycleMomentum=true}, {@code baseMomentum=0.85},
 * {@code maxMomentum=0.95}, {@code divFactor=25}, {@code finalDivFactor=1e4},
 * {@code threePhase=false}. The length is {@link #totalSteps} or {@link #epochs} x steps per epoch.
 */
public final class OneCycleBuilder {
    private final double[] maxLr;
    private Long totalSteps;
    private Long epochs;
    private Long stepsPerEpoch;
    private double pctStart = 0.3;
    private String annealStrategy = "cos";
    private boolean cycleMomentum = true;
    private double[] baseMomentum = {0.85};
    private double[] maxMomentum = {0.95};
    private double divFactor = 25.;
    private double finalDivFactor = 1e4;
    private boolean threePhase;

    OneCycleBuilder(double[] maxLr) {
        this.maxLr = maxLr;
    }

    public OneCycleBuilder totalSteps(long totalSteps) {
        this.totalSteps = totalSteps;
        return this;
    }

    public OneCycleBuilder epochs(long epochs, long stepsPerEpoch) {
        this.epochs = epochs;
        this.stepsPerEpoch = stepsPerEpoch;
        return this;
    }

    public OneCycleBuilder pctStart(double pctStart) {
        this.pctStart = pctStart;
        return this;
    }

    /** {@code "cos"} or {@code "linear"}. */
    public OneCycleBuilder annealStrategy(AnnealStrategy annealStrategy) {
        this.annealStrategy = annealStrategy.pytorchName();
        return this;
    }

    public OneCycleBuilder cycleMomentum(boolean cycleMomentum) {
        this.cycleMomentum = cycleMomentum;
        return this;
    }

    public OneCycleBuilder baseMomentum(double... baseMomentum) {
        this.baseMomentum = baseMomentum;
        return this;
    }

    public OneCycleBuilder maxMomentum(double... maxMomentum) {
        this.maxMomentum = maxMomentum;
        return this;
    }

    public OneCycleBuilder divFactor(double divFactor) {
        this.divFactor = divFactor;
        return this;
    }

    public OneCycleBuilder finalDivFactor(double finalDivFactor) {
        this.finalDivFactor = finalDivFactor;
        return this;
    }

    public OneCycleBuilder threePhase(boolean threePhase) {
        this.threePhase = threePhase;
        return this;
    }

    /** Checks every option, attaches to the groups (overwriting their initial lr, as PyTorch does) and applies step 0. */
    public LrScheduler attach(ParamGroups groups) {
        int n = groups.size();
        long total;
        if (totalSteps != null) {
            total = atLeast("total_steps", totalSteps, 1);
        } else if (epochs != null && stepsPerEpoch != null) {
            atLeast("epochs", epochs, 1);
            atLeast("steps_per_epoch", stepsPerEpoch, 1);
            total = Math.multiplyExact(epochs, stepsPerEpoch);
        } else {
            throw new IllegalArgumentException("OneCycleLR needs total_steps, or epochs and steps_per_epoch; got neither");
        }
        double[] max = perGroup("max_lr", maxLr, n);
        Schedulers.checkLrs("max_lr", max, true);
        inClosed("pct_start", pctStart, 0, 1);
        positive("div_factor", divFactor);
        positive("final_div_factor", finalDivFactor);
        double[] baseM = perGroup("base_momentum", baseMomentum, n);
        double[] maxM = perGroup("max_momentum", maxMomentum, n);
        if (cycleMomentum) {
            Schedulers.requireMomentum(groups, "OneCycleLR cycles momentum by default",
                    "; pass cycleMomentum(false) (cycle_momentum=False)");
            Schedulers.checkMomentum("base_momentum", baseM);
            Schedulers.checkMomentum("max_momentum", maxM);
        }
        return new OneCycleLR(groups, max, total, pctStart, annealStrategy.equals("cos"), cycleMomentum, baseM, maxM,
                divFactor, finalDivFactor, threePhase).attachOneCycle();
    }
}
