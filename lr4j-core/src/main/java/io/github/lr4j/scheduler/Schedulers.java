package io.github.lr4j.scheduler;

import static io.github.lr4j.util.Checks.atLeast;
import static io.github.lr4j.util.Checks.finite;
import static io.github.lr4j.util.Checks.inClosed;
import static io.github.lr4j.util.Checks.nonNegative;
import static io.github.lr4j.util.Checks.perGroup;
import static io.github.lr4j.util.Checks.positive;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Entry point: one factory per PyTorch scheduler, named after it. Each attaches to the groups at
 * once and, like PyTorch's constructor, leaves them holding the lr of step 0.
 *
 * <pre>{@code
 * ParamGroups groups = ParamGroups.of(0.1, 0.01);          // or your optimizer's groups
 * LrScheduler s = Schedulers.cosineAnnealingLR(groups, 100, 0.0);
 * for (int epoch = 0; epoch < 100; epoch++) { train(); s.step(); }
 * }</pre>
 *
 * <p>Every argument is checked; an {@link IllegalArgumentException} names the parameter, the
 * allowed range and the value. Per-group arguments take one value (used for every group) or one
 * value per group.
 */
public final class Schedulers {
    private Schedulers() {
    }

    /**
     * PyTorch 2.x's constructor with {@code last_epoch=lastEpoch}, the resume idiom
     * {@code StepLR(optimizer, 30, last_epoch=start - 1)}: {@code build} makes the scheduler (as for a fresh start) on
     * groups that already hold their {@code initial_lr} (a resumed optimizer's state has it); the groups are then put
     * back as they were and the scheduler takes PyTorch's initial step {@code lastEpoch + 1} in its
     * {@code _is_initial} mode: ExponentialLR, MultiplicativeLR, LinearLR, PolynomialLR and CosineAnnealingLR keep
     * the lr the groups hold (PR #149312; 1.13 applied one extra step), the others compute step
     * {@code lastEpoch + 1} as a plain step would. {@code lastEpoch = -1} is a plain build.
     *
     * <p>Only PyTorch's single schedulers can be built this way; composites and plateau control restore a saved state
     * instead. OneCycleLR keeps the groups' initial lr (PyTorch 2.x reads initial_lr, max_lr, min_lr, max_momentum and
     * base_momentum from the resumed groups; lr4j's groups hold only the first, so the others come from the arguments,
     * and an initial lr other than {@code max_lr / div_factor} is refused: the arguments are not the saved run's).
     *
     * @throws IllegalArgumentException if a group has no initial lr (PyTorch's KeyError), {@code lastEpoch < -1},
     *     or the scheduler cannot be built with a last_epoch; the groups are then unchanged
     */
    public static <T extends Scheduler> T resumed(ParamGroups groups, long lastEpoch,
                                                  java.util.function.Function<ParamGroups, T> build) {
        if (lastEpoch == -1) {
            return build.apply(groups);
        }
        if (lastEpoch < -1) {
            throw new IllegalArgumentException("last_epoch must be >= -1, got " + lastEpoch);
        }
        int n = groups.size();
        for (int g = 0; g < n; g++) {
            if (Double.isNaN(groups.initialLr(g))) {
                throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + g
                        + "] when resuming an optimizer (last_epoch=" + lastEpoch + "): load the optimizer's saved state first");
            }
        }
        double[][] held = new double[n][3];
        boolean momentum = groups.momentumKind() != MomentumKind.NONE;
        for (int g = 0; g < n; g++) {
            held[g][0] = groups.lr(g);
            held[g][1] = groups.initialLr(g);
            held[g][2] = momentum ? groups.momentum(g) : Double.NaN;
        }
        T built = build.apply(groups);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, held[g][0]);
            groups.setInitialLr(g, held[g][1]);
            if (momentum) {
                groups.setMomentum(g, held[g][2]);
            }
        }
        if (!(built instanceof BasicScheduler) || built instanceof SWALR || built instanceof CustomScheduler) {
            throw new IllegalArgumentException(built.name() + " cannot be built with last_epoch=" + lastEpoch
                    + " (only PyTorch's single schedulers can); build it with last_epoch=-1"
                    + " and restore a saved state instead");
        }
        ((BasicScheduler) built).resumeAt(lastEpoch);
        return built;
    }

    /** PyTorch's LambdaLR: {@code lr = base * lambda(t)}; one function for all groups or one per group. */
    public static LrScheduler lambdaLR(ParamGroups groups, LrLambda... lrLambda) {
        return new LambdaLR(groups, lambdas(groups, lrLambda), false).attach();
    }

    /**
     * PyTorch's MultiplicativeLR: {@code lr = lr * lambda(t)} for t >= 1. There is no closed form:
     * {@link LrScheduler#lrAt} multiplies the t factors (O(t)).
     */
    public static LrScheduler multiplicativeLR(ParamGroups groups, LrLambda... lrLambda) {
        return new LambdaLR(groups, lambdas(groups, lrLambda), true).attach();
    }

    private static LrLambda[] lambdas(ParamGroups groups, LrLambda[] given) {
        int n = groups.size();
        if (given == null || given.length == 0 || (given.length != 1 && given.length != n)) {
            throw new IllegalArgumentException("lrLambda must have 1 or " + n + " functions (one per param group), got "
                    + (given == null ? 0 : given.length));
        }
        LrLambda[] out = new LrLambda[n];
        for (int g = 0; g < n; g++) {
            out[g] = given.length == 1 ? given[0] : given[g];
            if (out[g] == null) {
                throw new IllegalArgumentException("lrLambda[" + g + "] must not be null");
            }
        }
        return out;
    }

    /**
     * A user's own schedule (a small class or a lambda): absolute values from
     * {@link Schedule#lr(long, int, double)}, with state, random access and composition like the
     * built-in schedulers. Random access costs what the schedule's own function costs.
     */
    public static LrScheduler custom(ParamGroups groups, Schedule schedule) {
        if (schedule == null) {
            throw new IllegalArgumentException("schedule must not be null");
        }
        if (schedule.changesMomentum()) {
            requireMomentum(groups, "this schedule changes momentum", "");
        }
        return new CustomScheduler(groups, schedule).attach();
    }

    /** PyTorch's StepLR: {@code lr = base * gamma^floor(t / stepSize)}. */
    public static LrScheduler stepLR(ParamGroups groups, long stepSize, double gamma) {
        atLeast("step_size", stepSize, 1);
        positive("gamma", gamma);
        return new StepLR(groups, stepSize, gamma).attach();
    }

    /**
     * PyTorch's MultiStepLR: {@code lr = base * gamma^(milestones <= t)}. As in PyTorch, a repeated
     * milestone applies gamma once per repetition, and the order does not matter.
     */
    public static LrScheduler multiStepLR(ParamGroups groups, long[] milestones, double gamma) {
        if (milestones == null) {
            throw new IllegalArgumentException("milestones must be a list of steps >= 0, got null");
        }
        for (int i = 0; i < milestones.length; i++) {
            atLeast("milestones[" + i + "]", milestones[i], 0);
        }
        positive("gamma", gamma);
        return new MultiStepLR(groups, milestones, gamma).attach();
    }

    /**
     * PyTorch's ConstantLR: {@code base * factor} for steps below {@code totalIters}, then {@code base}.
     * {@code factor = 0} is allowed (PyTorch divides by zero at totalIters; lr4j restores the base lr).
     */
    public static LrScheduler constantLR(ParamGroups groups, double factor, long totalIters) {
        inClosed("factor", factor, 0, 1);
        atLeast("total_iters", totalIters, 1);
        return new ConstantLR(groups, factor, totalIters).attach();
    }

    /**
     * PyTorch's LinearLR: {@code base * (startFactor + (endFactor - startFactor) * min(t, totalIters) / totalIters)}.
     * {@code startFactor = 0} (warm-up from zero) is allowed: PyTorch 1.13 divides by zero at step
     * 1, lr4j uses the closed form there.
     */
    public static LrScheduler linearLR(ParamGroups groups, double startFactor, double endFactor, long totalIters) {
        inClosed("start_factor", startFactor, 0, 1);
        inClosed("end_factor", endFactor, 0, 1);
        atLeast("total_iters", totalIters, 1);
        return new LinearLR(groups, startFactor, endFactor, totalIters).attach();
    }

    /** PyTorch's ExponentialLR: {@code lr = base * gamma^t}. */
    public static LrScheduler exponentialLR(ParamGroups groups, double gamma) {
        positive("gamma", gamma);
        return new ExponentialLR(groups, gamma).attach();
    }

    /** PyTorch's PolynomialLR: {@code lr = base * (1 - min(t, totalIters) / totalIters)^power}. */
    public static LrScheduler polynomialLR(ParamGroups groups, long totalIters, double power) {
        atLeast("total_iters", totalIters, 1);
        nonNegative("power", power);
        return new PolynomialLR(groups, totalIters, power).attach();
    }

    /**
     * PyTorch's CosineAnnealingLR: {@code etaMin + (base - etaMin)(1 + cos(pi t / tMax)) / 2}, stepped
     * with PyTorch's recursive form. Periodic like PyTorch's: past {@code tMax} the lr climbs back.
     */
    public static LrScheduler cosineAnnealingLR(ParamGroups groups, long tMax, double etaMin) {
        atLeast("T_max", tMax, 1);
        nonNegative("eta_min", etaMin);
        return new CosineAnnealingLR(groups, tMax, etaMin).attach();
    }

    /**
     * PyTorch's CosineAnnealingWarmRestarts (SGDR): periods {@code t0, t0*tMult, t0*tMult², ...}.
     * {@link LrScheduler#step(double)} accepts fractional epochs. Random access is O(log t).
     */
    public static LrScheduler cosineAnnealingWarmRestarts(ParamGroups groups, long t0, long tMult, double etaMin) {
        atLeast("T_0", t0, 1);
        atLeast("T_mult", tMult, 1);
        nonNegative("eta_min", etaMin);
        return new CosineAnnealingWarmRestarts(groups, t0, tMult, etaMin).attach();
    }

    /**
     * PyTorch's {@code torch.optim.swa_utils.SWALR}: anneals each group from the lr it holds to {@code swaLr} (one
     * value, or one per group) over {@code annealEpochs} steps, then stays there.
     */
    public static LrScheduler swaLR(ParamGroups groups, double[] swaLr, long annealEpochs, AnnealStrategy anneal) {
        double[] swa = perGroup("swa_lr", swaLr, groups.size());
        checkLrs("swa_lr", swa, false);
        atLeast("anneal_epochs", annealEpochs, 0);
        if (anneal == null) {
            throw new IllegalArgumentException("anneal_strategy must be 'cos' or 'linear', got null");
        }
        return new SWALR(groups, swa, annealEpochs, anneal).attach();
    }

    /** PyTorch's CyclicLR; see {@link CyclicBuilder} for the options and their defaults. */
    public static CyclicBuilder cyclicLR(double[] baseLr, double[] maxLr) {
        return new CyclicBuilder(baseLr, maxLr);
    }

    /** PyTorch's OneCycleLR; see {@link OneCycleBuilder} for the options and their defaults. */
    public static OneCycleBuilder oneCycleLR(double... maxLr) {
        return new OneCycleBuilder(maxLr);
    }

    /** PyTorch's ReduceLROnPlateau; see {@link PlateauBuilder} for the options and their defaults. */
    public static PlateauBuilder reduceLROnPlateau() {
        return new PlateauBuilder();
    }

    /**
     * PyTorch's SequentialLR: {@code schedulers[i]} runs from {@code milestones[i-1]}, restarted at
     * its own step 0. The schedulers must be attached to {@code groups} (in PyTorch, built on the
     * same optimizer) and milestones must be strictly increasing and >= 1.
     */
    public static LrScheduler sequentialLR(ParamGroups groups, List<LrScheduler> schedulers, long... milestones) {
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("schedulers must hold at least 1 scheduler, got none");
        }
        if (milestones == null || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("milestones must have " + (schedulers.size() - 1)
                    + " values (one fewer than the " + schedulers.size() + " schedulers), got "
                    + (milestones == null ? 0 : milestones.length));
        }
        for (int i = 0; i < milestones.length; i++) {
            atLeast("milestones[" + i + "]", milestones[i], i == 0 ? 1 : milestones[i - 1] + 1);
        }
        sameGroups(groups, schedulers);
        return new SequentialLR(groups, schedulers, milestones).attachSequential();
    }

    /**
     * Steps {@code s}, then runs {@code check} (e.g. a range check of the values the step produced); if the check
     * throws, {@code s} is put back as it was before the step, groups included, and the exception is rethrown. An
     * {@link LrScheduler} is put back from what it remembers of one step (no copy of its state, no allocation);
     * another scheduler from a copy of its state taken before the step.
     */
    public static void stepChecked(Scheduler s, OptionalDouble metric, Runnable check) {
        if (s instanceof LrScheduler) {
            LrScheduler l = (LrScheduler) s;
            l.mark();
            l.step(metric);
            try {
                check.run();
            } catch (RuntimeException e) {
                l.rollback();
                throw e;
            }
            return;
        }
        SchedulerState before = s.state();
        s.step(metric);
        try {
            check.run();
        } catch (RuntimeException e) {
            s.loadState(before);
            throw e;
        }
    }

    /**
     * {@code scheduler} with a new horizon from its current step on: the steps taken stay, the rest of the schedule
     * (up to {@code oldTotalSteps}) is stretched to end at {@code newTotalSteps}, so the lr does not jump (see
     * {@link Retargeted} for the rule). {@code oldTotalSteps} is the length the schedule was made for (e.g. the
     * run's {@code total_steps}); for a schedule with no end (StepLR, ExponentialLR) use the scheduler as it is.
     * The result is stepped, saved and queried ({@code lrAt}) like any scheduler.
     *
     * @throws IllegalArgumentException if {@code newTotalSteps} is not more than the steps already taken
     */
    public static Scheduler retarget(LrScheduler scheduler, long oldTotalSteps, long newTotalSteps) {
        return new Retargeted(scheduler, oldTotalSteps, newTotalSteps);
    }

    /**
     * Restores a retargeted run: {@code fresh} is the scheduler built as the original run built it (not stepped),
     * {@code saved} the retargeted scheduler's state. Checks everything before it changes anything.
     */
    public static Scheduler restoreRetargeted(LrScheduler fresh, SchedulerState saved) {
        StateReader in = StateReader.of(Retargeted.NAME, saved);
        Object wrapped = in.raw("scheduler");
        if (!(wrapped instanceof Map)) {
            throw in.bad("scheduler", "the wrapped scheduler's state map", wrapped);
        }
        long oldEnd = in.integer("old_end", 1);
        long newEnd = in.integer("new_end", 1);
        @SuppressWarnings("unchecked")
        SchedulerState innerState = SchedulerState.of((Map<String, ?>) wrapped);
        SchedulerState before = fresh.state();
        fresh.loadState(innerState);
        try {
            Scheduler out = new Retargeted(fresh, oldEnd, newEnd);
            out.loadState(saved);
            return out;
        } catch (RuntimeException e) {
            fresh.loadState(before);
            throw e;
        }
    }

    /** PyTorch's ChainedScheduler: steps every scheduler, in order, on their shared groups. */
    public static LrScheduler chainedScheduler(List<LrScheduler> schedulers) {
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("schedulers must hold at least 1 scheduler, got none");
        }
        sameGroups(schedulers.get(0).groups(), schedulers);
        return new ChainedScheduler(schedulers);
    }

    private static void sameGroups(ParamGroups groups, List<LrScheduler> schedulers) {
        for (int i = 0; i < schedulers.size(); i++) {
            LrScheduler s = schedulers.get(i);
            if (s == null) {
                throw new IllegalArgumentException("schedulers[" + i + "] must not be null");
            }
            if (s.groups() != groups) {
                throw new IllegalArgumentException("schedulers[" + i + "] (" + s.name()
                        + ") drives other param groups; every scheduler must be attached to the same groups");
            }
        }
    }

    /**
     * Momentum bounds only need to be finite: PyTorch 1.13 accepts any value (its own tests cycle
     * momentum between 1 and 22); values outside [0, 1] are a {@code check} warning, not an error.
     */
    static void checkMomentum(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            finite(values.length == 1 ? name : name + "[" + i + "]", values[i]);
        }
    }

    static void checkLrs(String name, double[] values, boolean strictlyPositive) {
        for (int i = 0; i < values.length; i++) {
            String label = values.length == 1 ? name : name + "[" + i + "]";
            if (strictlyPositive) {
                positive(label, values[i]);
            } else {
                nonNegative(label, values[i]);
            }
        }
    }

    static void requireMomentum(ParamGroups groups, String what, String hint) {
        if (groups.momentumKind() == MomentumKind.NONE) {
            throw new IllegalArgumentException(what + ", but these param groups have no momentum or beta1 (e.g. Adagrad)" + hint);
        }
    }

}
