package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's SequentialLR: runs {@code schedulers[i]} between {@code milestones[i-1]} and
 * {@code milestones[i]}. At a milestone the next scheduler restarts from its own step 0 (PyTorch
 * calls {@code step(0)}), so each piece sees {@code step - milestone}.
 *
 * <p>Attaching reproduces PyTorch's construction: the groups' lrs are reset to their initial lrs
 * and only the first scheduler's step 0 is applied. Its schedule is the {@link Curve#join} of the
 * pieces' schedules at the milestones: random access looks up the piece (O(log n)), and is O(t)
 * only inside a MultiplicativeLR piece (which continues from the lr the previous piece reached).
 */
final class SequentialLR extends LrScheduler {
    private final List<LrScheduler> schedulers;
    private final long[] milestones;
    private long lastEpoch;

    SequentialLR(ParamGroups groups, List<LrScheduler> schedulers, long[] milestones) {
        super(groups);
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
    }

    /**
     * PyTorch's construction, as observed: the groups' lrs go back to their initial lrs and only the
     * first scheduler's step 0 is applied (the later ones start at their milestones).
     */
    SequentialLR attachSequential() {
        stepAt(0);
        return this;
    }

    @Override
    public String name() {
        return "SequentialLR";
    }

    @Override
    public void step() {
        stepAt(lastEpoch + 1);
    }

    /** Each scheduler is stepped with its own step, {@code t - milestone}; at its milestone it restarts. */
    @Override
    void stepAt(long t) {
        if (t == 0) {
            // The reset to the initial lrs is undone if the first scheduler's step 0 fails.
            mark();
            try {
                for (int g = 0; g < n; g++) {
                    groups.setLr(g, groups.initialLr(g));
                }
                schedulers.get(0).stepAt(0);
            } catch (RuntimeException e) {
                rollback();
                throw e;
            }
        } else {
            int idx = piece(t);
            long local = local(idx, t);
            if (local == 0) {
                schedulers.get(idx).restart();
            } else {
                schedulers.get(idx).stepAt(local);
            }
        }
        lastEpoch = t;
        captureLastLr();
    }

    /** A SequentialLR inside another composite restarts its first scheduler (PyTorch's step(0) on it). */
    @Override
    void restart() {
        lastEpoch = 0;
        schedulers.get(0).restart();
        captureLastLr();
    }

    private int piece(long t) {
        return MultiStepLR.bisectRight(milestones, t);
    }

    private long local(int piece, long t) {
        return piece == 0 ? t : t - milestones[piece - 1];
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
        int idx = piece(t);
        long local = local(idx, t);
        try {
            schedulers.get(idx).checkReachable(local);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SequentialLR cannot go to step " + t + ": it is step " + local + " of schedulers["
                    + idx + "], and " + e.getMessage(), e);
        }
    }

    /** The join of the pieces' schedules at the milestones. */
    @Override
    public Curve schedule(int group) {
        checkGroup(group, n);
        List<Curve> pieces = new ArrayList<>();
        // Step 0 starts from the initial lrs (a later OneCycleLR or CyclicLR may have rewritten them).
        pieces.add(schedulers.get(0).scheduleFrom(group, groups.initialLr(group)));
        for (int i = 1; i < schedulers.size(); i++) {
            pieces.add(schedulers.get(i).scheduleAfterRestart(group));
        }
        return Curve.join(pieces, milestones);
    }

    /** Step 0 resets the groups to their initial lrs, whatever they held. */
    @Override
    Curve scheduleFrom(int g, double lr) {
        return schedule(g);
    }

    @Override
    double ownValueAt(int g, long t) {
        return schedule(g).at(t);
    }

    @Override
    double stepFrom(int g, long t, double lr) {
        if (t == 0) {
            return schedulers.get(0).stepFrom(g, 0, groups.initialLr(g));
        }
        int idx = piece(t);
        long local = local(idx, t);
        return local == 0 ? schedulers.get(idx).restartFrom(g, lr) : schedulers.get(idx).stepFrom(g, local, lr);
    }

    @Override
    double restartFrom(int g, double lr) {
        return schedulers.get(0).restartFrom(g, lr);
    }

    @Override
    double attachLr(int g) {
        return groups.initialLr(g);
    }

    /** Writes at step 0 and at each milestone whose scheduler's restart writes; inside a piece, whatever it writes. */
    @Override
    long lastWrite(long t) {
        int current = piece(t);
        for (int idx = current; idx >= 0; idx--) {
            long start = idx == 0 ? 0 : milestones[idx - 1];
            long end = idx == current ? t : milestones[idx] - 1;
            long within = schedulers.get(idx).lastWrite(end - start);
            if (within >= 0) {
                return start + within;
            }
            if (idx == 0 || restartWrites(schedulers.get(idx))) {
                return start;
            }
        }
        throw new AssertionError("step 0 always writes");
    }

    /** Whether PyTorch's step(0) at a milestone sets an lr of the scheduler's own (all but MultiplicativeLR). */
    private static boolean restartWrites(LrScheduler s) {
        return !(s instanceof LambdaLR) || !((LambdaLR) s).chainable();
    }

    @Override
    boolean productBetween(long a, long b) {
        for (int idx = piece(a + 1); idx <= piece(b); idx++) {
            long start = idx == 0 ? 0 : milestones[idx - 1];
            long end = idx + 1 < schedulers.size() ? Math.min(b, milestones[idx] - 1) : b;
            if (!schedulers.get(idx).productBetween(Math.max(a, start) - start, end - start)) {
                return false;
            }
        }
        return true;
    }

    @Override
    double growth(int g, long a, long b) {
        if (a == b) {
            return 1;
        }
        Curve c = schedule(g);
        return c.at(b) / c.at(a);
    }

    @Override
    public boolean changesMomentum() {
        return schedulers.stream().anyMatch(LrScheduler::changesMomentum);
    }

    /**
     * The active piece's momentum where it cycles momentum; otherwise what the groups held when the
     * piece took over (at step 0, what the last cycling piece wrote when it was built, as in PyTorch).
     */
    @Override
    public double momentumAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        if (!changesMomentum()) {
            return super.momentumAt(step, group);
        }
        int idx = MultiStepLR.bisectRight(milestones, step);
        LrScheduler s = schedulers.get(idx);
        if (s.changesMomentum()) {
            return s.momentumAt(idx == 0 ? step : step - milestones[idx - 1], group);
        }
        if (idx > 0) {
            return momentumAt(milestones[idx - 1] - 1, group);
        }
        LrScheduler lastBuilt = null;
        for (LrScheduler c : schedulers) {
            if (c.changesMomentum()) {
                lastBuilt = c;
            }
        }
        return lastBuilt.momentumAt(0, group);
    }

    @Override
    void writeGroups() {
        for (LrScheduler s : schedulers) {
            s.writeGroups();
        }
        super.writeGroups();
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
    void writeState(Map<String, Object> out) {
        List<Object> ms = new ArrayList<>();
        for (long m : milestones) {
            ms.add(m);
        }
        out.put("_milestones", ms);
        out.put("last_epoch", lastEpoch);
        out.put("_last_lr", SchedulerState.numbers(lastLr));
        List<Object> children = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            children.add(s.state().asMap());
        }
        out.put("_schedulers", children);
    }

    @Override
    Runnable readState(StateReader in) {
        List<?> ms = in.list("_milestones", milestones.length);
        for (int i = 0; i < milestones.length; i++) {
            if (!(ms.get(i) instanceof Number) || ((Number) ms.get(i)).longValue() != milestones[i]) {
                in.expectSame("_milestones", java.util.Arrays.toString(milestones));
            }
        }
        long epoch = in.integer("last_epoch", -1);
        double[] last = in.numbers("_last_lr", n, true);
        Runnable children = readChildren(in, schedulers);
        return () -> {
            children.run();
            lastEpoch = epoch;
            System.arraycopy(last, 0, lastLr, 0, n);
        };
    }

    /** Reads every child's state first; the action commits them all. Shared with ChainedScheduler. */
    static Runnable readChildren(StateReader in, List<LrScheduler> schedulers) {
        List<?> states = in.list("_schedulers", schedulers.size());
        List<Runnable> commits = new ArrayList<>();
        for (int i = 0; i < schedulers.size(); i++) {
            LrScheduler s = schedulers.get(i);
            commits.add(s.readState(StateReader.nested(s.name(), states.get(i), "_schedulers[" + i + "]")));
        }
        return () -> commits.forEach(Runnable::run);
    }

    @Override
    public Map<String, Object> spec() {
        List<Object> children = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            children.add(s.spec());
        }
        List<Object> ms = new ArrayList<>();
        for (long m : milestones) {
            ms.add(m);
        }
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("type", name());
        out.put("schedulers", children);
        out.put("milestones", ms);
        return out;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }
}
