package io.github.lr4j.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch's ChainedScheduler: every step, steps each scheduler in order on the same groups, so
 * chainable schedulers multiply (ConstantLR + ExponentialLR gives {@code factor * gamma^t}).
 *
 * <p>Random access is O(number of schedulers) when the chain is a product of factors or ends in
 * an absolute scheduler (LambdaLR, CyclicLR, OneCycleLR, CosineAnnealingWarmRestarts) followed by
 * chainable ones. A cosine with {@code etaMin > 0} (or past its {@code tMax}) inside a chain is not
 * a product: there {@link #lrAt} replays the chain, O(t).
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
        stepAll(false);
        lastEpoch++;
        captureLastLr();
    }

    /**
     * Steps (or restarts) every member in order; if one fails, the members before it are rolled
     * back, so the failed step changes nothing.
     */
    private void stepAll(boolean restart) {
        for (int i = 0; i < schedulers.size(); i++) { // indexed: no iterator on the hot path
            schedulers.get(i).mark();
        }
        try {
            for (int i = 0; i < schedulers.size(); i++) {
                if (restart) {
                    schedulers.get(i).restartAtZero();
                } else {
                    schedulers.get(i).step();
                }
            }
        } catch (RuntimeException e) {
            for (int i = schedulers.size() - 1; i >= 0; i--) {
                schedulers.get(i).rollback();
            }
            throw e;
        }
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
    public long lastEpoch() {
        return lastEpoch;
    }

    @Override
    public double lrAt(long step, int group) {
        checkStep(step);
        checkGroup(group, n);
        List<BasicScheduler> basics = new ArrayList<>();
        for (LrScheduler s : schedulers) {
            if (!(s instanceof BasicScheduler)) {
                throw new UnsupportedOperationException("lrAt of a ChainedScheduler that holds a " + s.name()
                        + " is not supported; step a copy instead");
            }
            basics.add((BasicScheduler) s);
        }
        int last = -1;
        for (int i = 0; i < basics.size(); i++) {
            if (!basics.get(i).chainable()) {
                last = i;
            }
        }
        if (last >= 0) {
            // An absolute scheduler overwrites whatever came before it on every step.
            double v = basics.get(last).lrAt(step, group);
            for (int i = last + 1; i < basics.size(); i++) {
                v = basics.get(i).next(group, step, v);
            }
            return v;
        }
        double product = basics.get(0).attachLrs[group];
        for (BasicScheduler b : basics) {
            double f = b.multiplicative() ? b.cumulativeFactor(group, step) : Double.NaN;
            if (Double.isNaN(f)) {
                return replay(basics, step, group);
            }
            product *= f;
        }
        return product;
    }

    private static double replay(List<BasicScheduler> basics, long step, int group) {
        double v = basics.get(0).attachLrs[group];
        for (long t = 0; t <= step; t++) {
            for (BasicScheduler b : basics) {
                v = b.next(group, t, v);
            }
        }
        return v;
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
        for (LrScheduler s : schedulers) {
            s.undoInitialStep();
        }
    }

    @Override
    void initialStep() {
        for (LrScheduler s : schedulers) {
            s.initialStep();
        }
        captureLastLr();
    }

    @Override
    void restartAtZero() {
        stepAll(true);
        lastEpoch = 0;
        captureLastLr();
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
    }

    @Override
    Runnable readState(StateReader in) {
        double[] last = in.numbers("_last_lr", n, true);
        long epoch = in.integer("last_epoch", 0);
        Runnable children = SequentialLR.readChildren(in, schedulers);
        return () -> {
            children.run();
            lastEpoch = epoch;
            System.arraycopy(last, 0, lastLr, 0, n);
        };
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
