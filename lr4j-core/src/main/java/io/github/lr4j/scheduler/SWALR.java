package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.Map;

/**
 * PyTorch 1.13's {@code torch.optim.swa_utils.SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos')}:
 * after {@code k} steps {@code lr = swa_lr a + lr0 (1 - a)}, {@code a = anneal(clamp(k / max(1, anneal_epochs), 0, 1))},
 * {@code anneal(t) = (1 - cos(pi t)) / 2} ('cos') or {@code t} ('linear'), {@code lr0} the lr the group held when
 * SWALR started, {@code swa_lr} one per group.
 *
 * <p>Stepped, it follows PyTorch's recursion, quirks included: each step backs the starting lr out of the group's
 * current lr with the previous step's {@code a}, so it anneals from whatever lr the group holds (another scheduler's
 * last value); the step index is PyTorch's {@code _step_count - 1}, not {@code last_epoch} (so {@code step(epoch)}
 * and a restart inside SequentialLR advance the anneal by one); with {@code anneal_epochs=0} the lr is
 * {@code swa_lr} from construction on.
 */
final class SWALR extends BasicScheduler {
    private final double[] swaLrs;
    private final long annealEpochs;
    private final AnnealStrategy anneal;

    SWALR(ParamGroups groups, double[] swaLrs, long annealEpochs, AnnealStrategy anneal) {
        super(groups);
        this.swaLrs = swaLrs;
        this.annealEpochs = annealEpochs;
        this.anneal = anneal;
    }

    @Override
    public String name() {
        return "SWALR";
    }

    private double alpha(long step) {
        double t = Math.max(0, Math.min(1, (double) step / Math.max(1, annealEpochs)));
        return anneal == AnnealStrategy.COS ? (1 - Math.cos(Math.PI * t)) / 2 : t;
    }

    /** The anneal step PyTorch's {@code get_lr()} uses for the step being taken. */
    private long annealStep(long k) {
        return annealEpochs == 0 ? Math.max(1, k) : k;
    }

    @Override
    Curve curve(int g) {
        return annealFrom(g, 0);
    }

    /** The anneal from the lr it starts from, taking anneal step {@code t + offset} at step {@code t}. */
    private Curve annealFrom(int g, long offset) {
        double swa = swaLrs[g];
        return Curve.continuing((t, lr0) -> {
            double a = alpha(annealStep((long) Math.floor(t) + offset));
            return swa * a + lr0 * (1 - a);
        }, toString());
    }

    /**
     * At a SequentialLR milestone SWALR keeps PyTorch 1.13's {@code step(0)}, which counts the step its anneal is
     * timed by (golden/swa; swa_utils.py was not re-checked against 2.x).
     */
    @Override
    void restart() {
        step(0L);
    }

    /** Restarted as a later phase of SequentialLR it starts from the lr the previous phase left, one anneal step in. */
    @Override
    Curve scheduleAfterRestart(int g) {
        return annealFrom(g, 1);
    }

    /** The closed form starts from the lr the group held when SWALR started, as PyTorch's recursion does. */
    @Override
    double curveBase(int g) {
        return restoredStart != null ? restoredStart[g] : attachLrs[g];
    }

    /** The start lr backed out of a restored state ({@code swa_lr} where the anneal had finished: it no longer matters). */
    private double[] restoredStart;

    @Override
    Runnable readExtraState(StateReader in) {
        double[] last = in.numbers("_last_lr", n, true);
        long taken = in.integer("_step_count", 0);
        double[] start = new double[n];
        double a = alpha(annealStep(taken - 1));
        for (int g = 0; g < n; g++) {
            start[g] = a == 1 ? swaLrs[g] : (last[g] - a * swaLrs[g]) / (1 - a);
        }
        return () -> restoredStart = start;
    }

    /**
     * A plain step to {@code t}: PyTorch counts {@code _step_count}, which runs ahead of {@code last_epoch} by the
     * restarts and {@code step(epoch)} calls taken so far (a restart inside SequentialLR: by one).
     */
    @Override
    double next(int g, long t, double lr) {
        return lrAtAnnealStep(g, t + stepCount - 1 - lastEpoch, lr);
    }

    /** PyTorch's {@code get_lr()} at anneal step {@code k} for a group holding {@code lr}. */
    private double lrAtAnnealStep(int g, long k, double lr) {
        long step = annealStep(k);
        double previous = alpha(step - 1);
        double start = previous == 1 ? swaLrs[g] : (lr - previous * swaLrs[g]) / (1 - previous);
        double a = alpha(step);
        return swaLrs[g] * a + start * (1 - a);
    }

    /**
     * PyTorch's {@code step(epoch)} (and SequentialLR's restart, {@code step(0)}) calls the same {@code get_lr()}, which
     * counts {@code _step_count}, not the epoch: SWALR has no closed form there.
     */
    @Override
    double jump(int g, long t, double lr) {
        return lrAtAnnealStep(g, stepCount, lr);
    }

    /** Once the previous step's anneal had finished, a step writes {@code swa_lr} whatever the group held. */
    @Override
    long lastWrite(long t) {
        return annealEpochs == 0 || t > annealEpochs ? t : -1;
    }

    /** The recursion is affine, not a product of factors (except the first step when it leaves the lr alone). */
    @Override
    boolean productUpTo(long t) {
        return t <= 0 && annealEpochs > 0;
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        out.put("swa_lr", SchedulerState.numbers(swaLrs));
        out.put("anneal_epochs", annealEpochs);
        out.put("anneal_strategy", anneal.pytorchName());
    }
}
