package io.github.lr4j.scheduler;

import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's ChainedScheduler: every step, steps each scheduler in order on the same groups, so
 * chainable schedulers multiply (ConstantLR + ExponentialLR gives {@code factor * gamma^t}).
 *
 * <p>Random access is O(number of schedulers) (O(log n) for milestones of nested SequentialLRs):
 * the latest absolute write (an absolute scheduler such as LambdaLR, CyclicLR, OneCycleLR,
 * CosineAnnealingWarmRestarts, or a SequentialLR's restart) times the growth every member applied
 * since. A cosine with {@code etaMin > 0} (or past its {@code tMax}) inside a chain is not a
 * product (its recursion has an offset): there {@link #lrAt} replays the chain, O(t); so does a
 * chain with a MultiplicativeLR, whose own random access is O(t).
 */
final class ChainedScheduler extends LrScheduler {
    private final List<LrScheduler> schedulers;
    private long lastEpoch;

    ChainedScheduler(List<LrScheduler> schedulers) {
        super(schedulers.get(0).groups());
        this.schedulers = List.copyOf(schedulers);
        captureLastLr();
    }

    @Override
    public String name() {
        return "ChainedScheduler";
    }

    @Override
    public void step() {
        stepAll(Move.STEP, 0);
        lastEpoch++;
        captureLastLr();
    }

    /** How the members move: PyTorch's plain step, the step taken as step t, or SequentialLR's restart. */
    private enum Move { STEP, STEP_AT, RESTART }

    /**
     * Moves every member in order; if one fails, the members before it are rolled back, so the
     * failed step changes nothing.
     */
    private void stepAll(Move move, long t) {
        for (int i = 0; i < schedulers.size(); i++) { // indexed: no iterator on the hot path
            schedulers.get(i).mark();
        }
        try {
            for (int i = 0; i < schedulers.size(); i++) {
                LrScheduler s = schedulers.get(i);
                switch (move) {
                    case STEP -> s.step();
                    case STEP_AT -> s.stepAt(t);
                    case RESTART -> s.restart();
                }
            }
        } catch (RuntimeException e) {
            for (int i = schedulers.size() - 1; i >= 0; i--) {
                schedulers.get(i).rollback();
            }
            throw e;
        }
    }

    private final CompositeMark marked = new CompositeMark(n);

    @Override
    void mark() {
        marked.mark(lastEpoch, lastLr, schedulers);
    }

    @Override
    void rollback() {
        lastEpoch = marked.rollback(lastLr, schedulers);
    }

    @Override
    public boolean changesMomentum() {
        return schedulers.stream().anyMatch(LrScheduler::changesMomentum);
    }

    /** The momentum of the last scheduler in the chain that writes momentum: it writes last. */
    @Override
    public double momentumAt(long step, int group) {
        for (int i = schedulers.size() - 1; i >= 0; i--) {
            if (schedulers.get(i).changesMomentum()) {
                return schedulers.get(i).momentumAt(step, group);
            }
        }
        return super.momentumAt(step, group);
    }

    @Override
    public long lastEpoch() {
        return lastEpoch;
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        checkReachable(step);
        return ownValueAt(group, step);
    }

    @Override
    void checkReachable(long t) {
        for (LrScheduler s : schedulers) {
            s.checkReachable(t);
        }
    }

    /** A function of the step (there is no closed form in general, see the class comment). */
    @Override
    public Curve schedule(int group) {
        checkGroup(group, n);
        return Curve.of((t, base) -> ownValueAt(group, (long) Math.floor(t)), toString());
    }

    /** From another lr than the first member's attach lr: a replay (see {@link LrScheduler#scheduleFrom}). */
    @Override
    Curve scheduleFrom(int g, double lr) {
        return lr == attachLr(g) ? schedule(g) : super.scheduleFrom(g, lr);
    }

    /** The members, with nested ChainedSchedulers spliced in (a chain of chains steps the same way). */
    private List<LrScheduler> members() {
        List<LrScheduler> out = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            if (s instanceof ChainedScheduler) {
                out.addAll(((ChainedScheduler) s).members());
            } else {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * The last write at or before {@code t} (by the last member that writes then) is the start;
     * every member's steps after it only multiply, each by its own growth.
     */
    @Override
    double ownValueAt(int g, long t) {
        List<LrScheduler> members = members();
        long reset = -1;
        int writer = -1;
        for (int i = 0; i < members.size(); i++) {
            long w = members.get(i).lastWrite(t);
            if (w >= 0 && w >= reset) {
                reset = w;
                writer = i;
            }
        }
        double v = writer < 0 ? members.get(0).attachLr(g) : members.get(writer).ownValueAt(g, t);
        for (int i = 0; i < members.size(); i++) {
            if (i == writer) {
                if (!members.get(i).productBetween(reset, t)) {
                    return replay(members, g, t);
                }
                continue;
            }
            // Members before the writer were overwritten at the reset step; members after it still acted then.
            long from = writer < 0 ? -1 : i < writer ? reset : reset - 1;
            LrScheduler m = members.get(i);
            double f = m.productBetween(from, t) ? m.growth(g, from, t) : Double.NaN;
            if (!Double.isFinite(f)) {
                return replay(members, g, t);
            }
            v *= f;
        }
        return v;
    }

    /** O(t): only for chains whose members are not products (e.g. a cosine with eta_min > 0). */
    private static double replay(List<LrScheduler> members, int g, long step) {
        double v = members.get(0).attachLr(g);
        for (long t = 0; t <= step; t++) {
            for (LrScheduler m : members) {
                v = m.stepFrom(g, t, v);
            }
        }
        return v;
    }

    /**
     * Taken as step {@code t}; step 0 only as a SequentialLR's first phase at its construction, where PyTorch calls this
     * chain's {@code _initial_step()}: the chain gets a {@code _step_count} of 0 and its members take a plain step
     * (counted on top of their own construction's).
     */
    @Override
    void stepAt(long t) {
        long[] counts = t == 0 ? memberStepCounts() : null;
        stepAll(Move.STEP_AT, t);
        if (counts != null) {
            initialStepTaken = true;
            for (int i = 0; i < counts.length; i++) {
                if (schedulers.get(i) instanceof BasicScheduler) {
                    ((BasicScheduler) schedulers.get(i)).stepCount = counts[i] + 1;
                }
            }
        }
        lastEpoch = t;
        captureLastLr();
    }

    /** Whether a parent SequentialLR took PyTorch's initial step on this chain (it then has PyTorch's _step_count). */
    private boolean initialStepTaken;

    private long[] memberStepCounts() {
        long[] out = new long[schedulers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = schedulers.get(i) instanceof BasicScheduler ? ((BasicScheduler) schedulers.get(i)).stepCount : 0;
        }
        return out;
    }

    @Override
    void restart() {
        stepAll(Move.RESTART, 0);
        lastEpoch = 0;
        captureLastLr();
    }

    @Override
    double stepFrom(int g, long t, double lr) {
        double v = lr;
        for (LrScheduler s : schedulers) {
            v = s.stepFrom(g, t, v);
        }
        return v;
    }

    @Override
    double restartFrom(int g, double lr) {
        double v = lr;
        for (LrScheduler s : schedulers) {
            v = s.restartFrom(g, v);
        }
        return v;
    }

    @Override
    double attachLr(int g) {
        return schedulers.get(0).attachLr(g);
    }

    @Override
    long lastWrite(long t) {
        long last = -1;
        for (LrScheduler s : schedulers) {
            last = Math.max(last, s.lastWrite(t));
        }
        return last;
    }

    @Override
    boolean productBetween(long a, long b) {
        for (LrScheduler s : schedulers) {
            if (!s.productBetween(a, b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    double growth(int g, long a, long b) {
        double f = 1;
        for (LrScheduler s : schedulers) {
            f *= s.growth(g, a, b);
        }
        return f;
    }

    @Override
    void writeGroups() {
        for (LrScheduler s : schedulers) {
            s.writeGroups();
        }
        super.writeGroups();
    }

    @Override
    void writeState(Map<String, Object> out) {
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        List<Object> children = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            children.add(s.state().asMap());
        }
        out.put("_schedulers", children);
        out.put("last_epoch", lastEpoch);
        if (initialStepTaken) { // PyTorch's LRScheduler._initial_step() set these on the chain
            out.put("_step_count", 0L);
            out.put("_is_initial", false);
        }
    }

    @Override
    Runnable readState(StateReader in) {
        double[] last = in.numbers("_last_lr", n, true);
        // PyTorch's ChainedScheduler has no last_epoch: its steps are its first member's
        long epoch = in.missingFromPyTorch("last_epoch") ? firstMemberEpoch(in) : in.integer("last_epoch", 0);
        Runnable children = SequentialLR.readChildren(in, schedulers);
        return () -> {
            children.run();
            lastEpoch = epoch;
            System.arraycopy(last, 0, lastLr, 0, n);
        };
    }

    private long firstMemberEpoch(StateReader in) {
        Object first = in.list("_schedulers", schedulers.size()).get(0);
        Object epoch = first instanceof Map ? ((Map<?, ?>) first).get("last_epoch") : null;
        if (!(epoch instanceof Number) || ((Number) epoch).longValue() < 0) {
            throw in.bad("_schedulers[0].last_epoch", "an integer >= 0", epoch);
        }
        return ((Number) epoch).longValue();
    }

    @Override
    public Map<String, Object> spec() {
        List<Object> children = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            children.add(s.spec());
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("type", name());
        out.put("schedulers", children);
        return out;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
