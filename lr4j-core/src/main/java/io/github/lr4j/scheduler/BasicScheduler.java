package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch's {@code _LRScheduler} mechanics, reproduced for their numbers: base lrs come from the
 * groups' initial lr; attaching performs step 0; {@link #step()} applies PyTorch's {@code get_lr()}
 * (the recursive, "chainable" form where PyTorch has one, which scales whatever lr the group holds)
 * and {@link #step(long)} its closed form.
 */
abstract class BasicScheduler extends LrScheduler {
    final double[] baseLrs;
    /** The lr each group held just before this scheduler's first step (the start of a chain). */
    final double[] attachLrs;
    long lastEpoch = -1;
    long stepCount;
    /** Scratch for the values of the step being taken (no allocation per step). */
    private final double[] pendingLr;
    private final double[] pendingMomentum;
    private long markedEpoch;
    private long markedCount;
    private final double[] markedLastLr;
    private final double[] markedGroupLr;
    private final double[] markedMomentum;

    BasicScheduler(ParamGroups groups) {
        super(groups);
        this.baseLrs = new double[n];
        this.attachLrs = new double[n];
        this.pendingLr = new double[n];
        this.pendingMomentum = new double[n];
        this.markedLastLr = new double[n];
        this.markedGroupLr = new double[n];
        this.markedMomentum = new double[n];
    }

    /** PyTorch's {@code group.setdefault('initial_lr', group['lr'])}; then base lrs are the initial lrs. */
    final void captureBaseLrs() {
        for (int g = 0; g < n; g++) {
            if (Double.isNaN(groups.initialLr(g))) {
                groups.setInitialLr(g, groups.lr(g));
            }
            baseLrs[g] = groups.initialLr(g);
            attachLrs[g] = groups.lr(g);
        }
    }

    /** Captures base lrs and performs PyTorch's initial step; every factory calls this once. */
    final <T extends BasicScheduler> T attach() {
        captureBaseLrs();
        stepAt(0);
        @SuppressWarnings("unchecked")
        T self = (T) this;
        return self;
    }

    /**
     * PyTorch 2.x's constructor with {@code last_epoch=k} (the resume idiom {@code StepLR(opt, 30, last_epoch=start - 1)}):
     * every group must already hold its {@code initial_lr} (a resumed optimizer's state has it), the base lrs are
     * those, and the initial step is step {@code k + 1} taken in PyTorch's {@code _is_initial} mode
     * ({@link #initialNext}). The groups must hold what they held before this scheduler was built.
     */
    void resumeAt(long k) {
        requireResumable(k);
        checkCanStep(k + 1);
        for (int g = 0; g < n; g++) {
            baseLrs[g] = groups.initialLr(g);
            attachLrs[g] = groups.lr(g);
        }
        lastEpoch = k;
        stepCount = 0;
        for (int g = 0; g < n; g++) {
            pendingLr[g] = initialNext(g, k + 1, groups.lr(g));
        }
        double[] momenta = null;
        if (cyclesMomentum()) {
            momenta = pendingMomentum;
            for (int g = 0; g < n; g++) {
                momenta[g] = momentumAt(g, k + 1);
            }
        }
        commit(k + 1, momenta);
    }

    /** PyTorch 2.x's checks for {@code last_epoch=k}: k >= 0 and every group holds its {@code initial_lr}. */
    final void requireResumable(long k) {
        if (k < 0) {
            throw new IllegalArgumentException("last_epoch must be >= -1, got " + k);
        }
        for (int g = 0; g < n; g++) {
            if (Double.isNaN(groups.initialLr(g))) {
                throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + g
                        + "] when resuming an optimizer (last_epoch=" + k + "): load the optimizer's saved state first");
            }
        }
    }

    /**
     * PyTorch 2.x's {@code get_lr()} inside the initial step of a scheduler built with {@code last_epoch=k}
     * ({@code _is_initial}, PR #149312): by default a plain step; ExponentialLR, MultiplicativeLR, LinearLR,
     * PolynomialLR and CosineAnnealingLR keep the lr the group holds.
     */
    double initialNext(int g, long t, double lr) {
        return next(g, t, lr);
    }

    /** The schedule value for group {@code g}, from the base {@link #curveBase(int)}. */
    abstract Curve curve(int g);

    /** The base the curve starts from: the group's base lr (MultiplicativeLR: the lr it held when attached). */
    double curveBase(int g) {
        return baseLrs[g];
    }

    /** The closed form: the value of the schedule at step {@code t}. */
    final double valueAt(int g, long t) {
        return curve(g).at(t, curveBase(g));
    }

    /**
     * PyTorch's {@code get_lr()} for one group at step {@code t}, given the lr the group holds; by
     * default the closed form (absolute schedulers). Chainable schedulers override it with PyTorch's
     * recursion, which rescales whatever lr the group holds.
     */
    double next(int g, long t, double lr) {
        return valueAt(g, t);
    }

    /** PyTorch's {@code _get_closed_form_lr()} where the class has one, else its {@code get_lr()}. */
    double jump(int g, long t, double lr) {
        return valueAt(g, t);
    }

    /** Throws (changing nothing) if stepping to {@code t} is not allowed. */
    void checkCanStep(long t) {
    }

    /** The momentum schedule (absolute) of group {@code g}, or null when this scheduler leaves momentum alone. */
    Curve momentumCurve(int g) {
        return null;
    }

    final boolean cyclesMomentum() {
        return momentumCurve(0) != null;
    }

    @Override
    public boolean changesMomentum() {
        return cyclesMomentum();
    }

    /**
     * Whether {@link #next} rescales the lr the group holds (PyTorch's "chainable" schedulers) rather
     * than setting an absolute value (LambdaLR, CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts).
     */
    boolean chainable() {
        return true;
    }

    /** Whether PyTorch's recursion up to step {@code t} only multiplies the lr by factors of the step. */
    boolean productUpTo(long t) {
        return true;
    }

    @Override
    final double ownValueAt(int g, long t) {
        return valueAt(g, t);
    }

    @Override
    long lastWrite(long t) {
        return chainable() ? -1 : t;
    }

    @Override
    final boolean productBetween(long a, long b) {
        return !chainable() || productUpTo(b);
    }

    @Override
    final double growth(int g, long a, long b) {
        if (a == b) {
            return 1;
        }
        double base = curveBase(g);
        double from = a < 0 ? 1 : valueAt(g, a) / base;
        return valueAt(g, b) / base / from;
    }

    @Override
    double stepFrom(int g, long t, double lr) {
        return next(g, t, lr);
    }

    @Override
    double restartFrom(int g, double lr) {
        return jump(g, 0, lr);
    }

    @Override
    final double attachLr(int g) {
        return attachLrs[g];
    }

    @Override
    public Curve schedule(int group) {
        checkGroup(group, n);
        return curve(group).withBase(curveBase(group));
    }

    /**
     * An absolute scheduler ignores the lr it is given; a chainable one rescales it, so its curve
     * starts from {@code lr} where its recursion is a product (elsewhere it is replayed).
     */
    @Override
    final Curve scheduleFrom(int g, double lr) {
        if (!chainable() || lr == curveBase(g)) {
            return schedule(g);
        }
        Curve fromLr = curve(g).withBase(lr);
        Curve replayed = super.scheduleFrom(g, lr);
        return Curve.of((t, base) -> productUpTo((long) Math.floor(t)) ? fromLr.at(t) : replayed.at(t), toString());
    }

    @Override
    final void checkReachable(long t) {
        checkLrAt(t);
    }

    @Override
    public void step() {
        stepAt(lastEpoch + 1);
    }

    @Override
    public void step(long epoch) {
        checkStep(epoch);
        checkCanStep(epoch);
        for (int g = 0; g < n; g++) {
            pendingLr[g] = jump(g, epoch, groups.lr(g));
        }
        double[] momenta = null;
        if (cyclesMomentum()) {
            momenta = pendingMomentum;
            for (int g = 0; g < n; g++) {
                momenta[g] = momentumAt(g, epoch);
            }
        }
        commit(epoch, momenta);
    }

    /**
     * PyTorch's {@code get_lr()} for every group at step {@code t} into {@code lrs}, and the cycled
     * momenta into {@code momenta} unless it is null; changes nothing. By default group by group
     * ({@link #next}, {@link #momentumAt(int, long)}). A scheduler whose groups all sit at the same
     * point of one shape and differ only in their bounds overrides it to evaluate that point once
     * per step, keeping PyTorch's operations per group so that the values are the same bits.
     */
    void valuesAt(long t, double[] lrs, double[] momenta) {
        for (int g = 0; g < n; g++) {
            lrs[g] = next(g, t, groups.lr(g));
        }
        if (momenta != null) {
            for (int g = 0; g < n; g++) {
                momenta[g] = momentumAt(g, t);
            }
        }
    }

    /**
     * Writes the values computed for step {@code t} ({@code momenta} null: momentum is left alone).
     * Everything that can fail (a user function, a step past the end) ran before, so a failed step
     * changes nothing.
     */
    private void commit(long t, double[] momenta) {
        checkWritable(t, pendingLr, momenta);
        stepCount++;
        lastEpoch = t;
        for (int g = 0; g < n; g++) {
            groups.setLr(g, pendingLr[g]);
            if (momenta != null) {
                groups.setMomentum(g, momenta[g]);
            }
        }
        captureLastLr();
    }

    @Override
    void mark() {
        markedEpoch = lastEpoch;
        markedCount = stepCount;
        System.arraycopy(lastLr, 0, markedLastLr, 0, n);
        for (int g = 0; g < n; g++) {
            markedGroupLr[g] = groups.lr(g);
            if (cyclesMomentum()) {
                markedMomentum[g] = groups.momentum(g);
            }
        }
    }

    @Override
    void rollback() {
        lastEpoch = markedEpoch;
        stepCount = markedCount;
        System.arraycopy(markedLastLr, 0, lastLr, 0, n);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, markedGroupLr[g]);
            if (cyclesMomentum()) {
                groups.setMomentum(g, markedMomentum[g]);
            }
        }
    }

    @Override
    public final long lastEpoch() {
        return lastEpoch;
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        checkLrAt(step);
        return valueAt(group, step);
    }

    /** Throws if {@link #lrAt} may not answer for {@code step}; by default where stepping may not go. */
    void checkLrAt(long step) {
        checkCanStep(step);
    }

    @Override
    public double momentumAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        if (!cyclesMomentum()) {
            throw new IllegalStateException(name() + " does not change momentum");
        }
        checkLrAt(step);
        return momentumAt(group, step);
    }

    final double momentumAt(int g, long t) {
        return momentumCurve(g).at(t);
    }

    /** PyTorch's plain {@code step()} taken as step {@code t}; step 0 is PyTorch's {@code _initial_step()}. */
    @Override
    void stepAt(long t) {
        if (t == 0) {
            stepCount = 0;
        }
        checkCanStep(t);
        double[] momenta = cyclesMomentum() ? pendingMomentum : null;
        valuesAt(t, pendingLr, momenta);
        commit(t, momenta);
    }

    /** PyTorch 2.x's {@code _update_lr(0)} (PR #149392): the closed form at 0, not counted in {@code _step_count}. */
    @Override
    void restart() {
        long count = stepCount;
        step(0L);
        stepCount = count;
    }

    // --- state: PyTorch's keys ---

    /** The hyper-parameters, in PyTorch's names and order. */
    abstract void writeHyperParameters(Map<String, Object> out);

    /** Checks that the saved hyper-parameters equal this scheduler's. */
    void checkHyperParameters(StateReader in) {
        Map<String, Object> mine = new LinkedHashMap<>();
        writeHyperParameters(mine);
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            in.expectSame(e.getKey(), e.getValue());
        }
    }

    /** Extra progress fields (CosineAnnealingWarmRestarts' T_cur, ...). */
    void writeExtraState(Map<String, Object> out) {
    }

    /** Reads the extra progress fields; the returned action commits them. */
    Runnable readExtraState(StateReader in) {
        return () -> { };
    }

    @Override
    final void writeState(Map<String, Object> out) {
        writeHyperParameters(out);
        writeExtraState(out);
        out.put("base_lrs", SchedulerState.numbers(baseLrs));
        out.put("last_epoch", lastEpoch);
        out.put("_step_count", stepCount);
        out.put("_is_initial", false); // PyTorch 2.x's flag, true only inside the constructor's initial step
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        if (cyclesMomentum()) {
            double[] m = new double[n];
            for (int g = 0; g < n; g++) {
                m[g] = groups.momentum(g);
            }
            out.put("_last_momentum", SchedulerState.numbers(m));
        }
    }

    @Override
    final Runnable readState(StateReader in) {
        checkHyperParameters(in);
        Runnable extra = readExtraState(in);
        double[] base = in.numbers("base_lrs", n, true);
        long epoch = in.integer("last_epoch", -1);
        if (epoch > lastReachableEpoch()) {
            throw in.bad("last_epoch", "an integer from -1 to " + lastReachableEpoch() + " (the last step " + name()
                    + " can take)", epoch);
        }
        long count = in.integer("_step_count", 0);
        double[] last = in.numbers("_last_lr", n, true);
        // PyTorch keeps the momentum it wrote in the optimizer's groups: restored with them, left as they are here
        double[] momentum = cyclesMomentum() && !in.missingFromPyTorch("_last_momentum") ? readMomentum(in, epoch) : null;
        return () -> {
            extra.run();
            System.arraycopy(base, 0, baseLrs, 0, n);
            lastEpoch = epoch;
            stepCount = count;
            System.arraycopy(last, 0, lastLr, 0, n);
            savedMomentum = momentum;
        };
    }

    private double[] savedMomentum;

    /** The largest {@code last_epoch} this scheduler can reach (OneCycleLR: total_steps). */
    long lastReachableEpoch() {
        return Long.MAX_VALUE;
    }

    /**
     * The saved momenta: finite, and for a scheduler restored on its own, what its hyper-parameters
     * give at {@code last_epoch} (to rounding). Inside a composite another member may have written
     * the groups' momentum last, so there only finiteness is checked.
     */
    private double[] readMomentum(StateReader in, long epoch) {
        double[] saved = in.numbers("_last_momentum", n, false);
        for (int g = 0; g < n; g++) {
            if (!Double.isFinite(saved[g])) {
                throw in.bad("_last_momentum", "a list of " + n + " finite numbers", in.raw("_last_momentum"));
            }
        }
        if (!in.nested() && epoch >= 0) {
            double[] expected = new double[n];
            for (int g = 0; g < n; g++) {
                expected[g] = momentumAt(g, epoch);
                if (Math.abs(saved[g] - expected[g]) > 1e-9 * Math.max(1, Math.abs(expected[g]))) {
                    throw in.bad("_last_momentum", "what the saved hyper-parameters give at last_epoch=" + epoch + " ("
                            + java.util.Arrays.toString(expected) + ")", in.raw("_last_momentum"));
                }
            }
        }
        return saved;
    }

    @Override
    void writeGroups() {
        super.writeGroups();
        if (savedMomentum != null) {
            for (int g = 0; g < n; g++) {
                groups.setMomentum(g, savedMomentum[g]);
            }
            savedMomentum = null;
        }
    }

    /** The constructor arguments, in PyTorch's names, for {@link #toString()}; by default the hyper-parameters. */
    void describe(Map<String, Object> args) {
        writeHyperParameters(args);
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", name());
        describe(out);
        return out;
    }

    /** The PyTorch constructor expression that builds this scheduler (the optimizer argument left out). */
    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
