package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's SequentialLR: runs {@code schedulers[i]} between {@code milestones[i-1]} and
 * {@code milestones[i]}. At a milestone the next scheduler restarts from its own step 0 (PyTorch
 * calls {@code step(0)}), so each piece sees {@code step - milestone}.
 *
 * <p>Attaching reproduces PyTorch's construction: the groups' lrs are reset to their initial lrs
 * and only the first scheduler's step 0 is applied. Random access looks up the piece (O(log n)).
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

    SequentialLR attachSequential() {
        lastEpoch = 0;
        for (int g = 0; g < n; g++) {
            groups.setLr(g, groups.initialLr(g));
        }
        for (LrScheduler s : schedulers) {
            s.undoInitialStep();
        }
        schedulers.get(0).initialStep();
        captureLastLr();
        return this;
    }

    @Override
    public String name() {
        return "SequentialLR";
    }

    @Override
    public void step() {
        long t = lastEpoch + 1;
        int idx = MultiStepLR.bisectRight(milestones, t);
        LrScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == t) {
            s.restartAtZero();
        } else {
            s.step();
        }
        lastEpoch = t;
        captureLastLr();
    }

    @Override
    public long lastEpoch() {
        return lastEpoch;
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        int idx = MultiStepLR.bisectRight(milestones, step);
        LrScheduler s = schedulers.get(idx);
        if (idx == 0) {
            return s.lrAt(step, group);
        }
        long local = step - milestones[idx - 1];
        if (s.continuesFromCurrentLr()) {
            return s.lrAtFrom(local, group, lrAt(milestones[idx - 1] - 1, group));
        }
        return s.lrAt(local, group);
    }

    @Override
    void writeGroups() {
        for (LrScheduler s : schedulers) {
            s.writeGroups();
        }
        super.writeGroups();
    }

    @Override
    void undoInitialStep() {
        lastEpoch -= 1;
    }

    @Override
    void initialStep() {
        step();
    }

    @Override
    void restartAtZero() {
        lastEpoch = 0;
        schedulers.get(0).restartAtZero();
        captureLastLr();
    }

    private long markedEpoch;
    private final double[] markedLastLr = new double[n];

    @Override
    void mark() {
        markedEpoch = lastEpoch;
        System.arraycopy(lastLr, 0, markedLastLr, 0, n);
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).mark();
        }
    }

    @Override
    void rollback() {
        for (int i = schedulers.size() - 1; i >= 0; i--) {
            schedulers.get(i).rollback();
        }
        lastEpoch = markedEpoch;
        System.arraycopy(markedLastLr, 0, lastLr, 0, n);
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
