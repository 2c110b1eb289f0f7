package io.github.lr4j.peers;

import static io.github.lr4j.util.Checks.invalid;

import io.github.lr4j.util.Checks;

/**
 * PyTorch's {@code torch.optim.swa_utils.SWALR(optimizer, swa_lr, anneal_epochs=10, anneal_strategy='cos')}
 * (PyTorch 1.13) for one param group, as a pure function of the step. After {@code k} calls of {@code step()}
 * (k = 0 right after construction) the lr is
 * {@code swa_lr a + lr0 (1 - a)} with {@code a = anneal(clamp(k' / max(1, anneal_epochs), 0, 1))},
 * {@code k' = max(1, k)} when {@code anneal_epochs == 0} (then the lr is {@code swa_lr} from construction on) and
 * {@code k' = k} otherwise; {@code anneal(t) = (1 - cos(pi t)) / 2} for 'cos', {@code t} for 'linear'; and
 * {@code lr0} the group's lr when SWALR was constructed.
 *
 * <p>PyTorch gets there recursively: each step backs the "initial" lr out of the group's current lr with the
 * previous step's {@code a} and mixes again, so its values can differ from this closed form in the last bits;
 * and if something else changes the group's lr between steps, PyTorch anneals from that lr instead. Per-group
 * {@code swa_lr} is one {@code SwaLr} per group.
 */
public final class SwaLr {
    /** SWALR's {@code anneal_strategy}. */
    public enum Anneal { COS, LINEAR }

    private final double swaLr;
    private final long annealEpochs;
    private final Anneal anneal;

    private SwaLr(double swaLr, long annealEpochs, Anneal anneal) {
        this.swaLr = Checks.nonNegative("swa_lr", swaLr);
        this.annealEpochs = Checks.atLeast("anneal_epochs", annealEpochs, 0);
        if (anneal == null) {
            throw invalid("anneal_strategy", "'cos' or 'linear'", null);
        }
        this.anneal = anneal;
    }

    /** {@code SWALR(optimizer, swa_lr, anneal_epochs, anneal_strategy)} for one group. */
    public static SwaLr of(double swaLr, long annealEpochs, Anneal anneal) {
        return new SwaLr(swaLr, annealEpochs, anneal);
    }

    /** {@code SWALR(optimizer, swa_lr)} with PyTorch's defaults: 10 anneal epochs, cosine. */
    public static SwaLr of(double swaLr) {
        return new SwaLr(swaLr, 10, Anneal.COS);
    }

    /**
     * The lr after {@code step} calls of {@code step()}.
     *
     * @param initialLr the group's lr when SWALR was constructed (finite, >= 0)
     */
    public double lr(long step, double initialLr) {
        if (step < 0) {
            throw invalid("step", ">= 0", step);
        }
        Checks.nonNegative("initial lr", initialLr);
        long k = annealEpochs == 0 ? Math.max(1, step) : step;
        double t = Math.max(0, Math.min(1, (double) k / Math.max(1, annealEpochs)));
        double alpha = anneal == Anneal.COS ? (1 - Math.cos(Math.PI * t)) / 2 : t;
        return swaLr * alpha + initialLr * (1 - alpha);
    }
}
