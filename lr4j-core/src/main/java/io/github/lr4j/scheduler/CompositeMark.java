package io.github.lr4j.scheduler;

import java.util.List;

/**
 * What a composite (SequentialLR, ChainedScheduler) saves before a step so that a member's failure
 * can be undone: its own counter and last lrs, and each member's mark. Allocation-free after
 * construction.
 */
final class CompositeMark {
    private long epoch;
    private final double[] lastLr;

    CompositeMark(int groups) {
        this.lastLr = new double[groups];
    }

    void mark(long lastEpoch, double[] currentLastLr, List<LrScheduler> members) {
        epoch = lastEpoch;
        System.arraycopy(currentLastLr, 0, lastLr, 0, lastLr.length);
        for (int i = 0; i < members.size(); i++) { // indexed: no iterator on the hot path
            members.get(i).mark();
        }
    }

    /** Rolls every member back (last first), restores {@code currentLastLr} and returns the saved counter. */
    long rollback(double[] currentLastLr, List<LrScheduler> members) {
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).rollback();
        }
        System.arraycopy(lastLr, 0, currentLastLr, 0, lastLr.length);
        return epoch;
    }
}
