package io.github.lr4j.train;

import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.scheduler.Schedulers;
import java.util.Map;

/**
 * A scheduler saved by a run of one length, continued by a run of another ("train longer"): the rule
 * {@link TrainingLoop} applies on a resume with another number of epochs, and lr4j-djl's listener too. The scheduler
 * is rebuilt for the length it was saved with, restored, and the rest of its schedule stretched to the new end
 * ({@link Schedulers#retarget}); a schedule whose spec does not depend on the run length is restored as it was; a
 * state already given a new length is restored only into a run of that length.
 */
public final class RunLength {
    static final String RETARGETED = "Retargeted";
    static final String HYPER = "HyperParameterSchedule";

    private RunLength() {
    }

    /** Whether {@code state} was written by a scheduler already given a new length (directly or inside a hyper-parameter schedule). */
    public static boolean retargeted(SchedulerState state) {
        Object inner = state.asMap().get("schedule");
        return RETARGETED.equals(state.type())
                || HYPER.equals(state.type()) && inner instanceof Map && RETARGETED.equals(((Map<?, ?>) inner).get("type"));
    }

    /**
     * The scheduler that continues {@code state} in a run of {@code epochs} epochs.
     *
     * @param source       what the state comes from, for messages ("checkpoint ckpt/epoch-00002.ckpt")
     * @param current      the scheduler this run built (its spec tells whether the run length matters)
     * @param build        builds the scheduler for a run of a given number of epochs, on the same groups
     * @param savedEpochs  the length of the run that saved {@code state}
     * @param callsPerEpoch how many times the scheduler is stepped per epoch (optimizer steps per epoch for a per-step
     *                     scheduler, 1 for a per-epoch one), before dividing by {@code frequency}
     */
    public static Scheduler resume(String source, Scheduler current, SchedulerState state, TrainingLoop.ForRunLength build,
                                   int savedEpochs, int epochs, long callsPerEpoch, int frequency) {
        long newTotal = epochs * callsPerEpoch / frequency;
        // A hyper-parameter schedule holds its (possibly retargeted) schedule's state inside its own.
        Map<String, Object> horizon = state.asMap();
        if (HYPER.equals(state.type()) && horizon.get("schedule") instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> inner = (Map<String, Object>) horizon.get("schedule");
            horizon = inner;
        }
        if (RETARGETED.equals(horizon.get("type"))) {
            Object oldEnd = horizon.get("old_end");
            Object newEnd = horizon.get("new_end");
            if (!(oldEnd instanceof Number) || !(newEnd instanceof Number)) {
                throw new IllegalArgumentException(source + " holds a retargeted " + current.name()
                        + " state without its old_end/new_end");
            }
            if (((Number) newEnd).longValue() != newTotal) {
                throw new IllegalArgumentException(source + " comes from a run already given a new length ("
                        + ((Number) newEnd).longValue() * frequency / callsPerEpoch + " epochs); resume it with that --epochs");
            }
            Scheduler fresh = build.build((int) (((Number) oldEnd).longValue() * frequency / callsPerEpoch));
            return fresh.restoreRetargeted(state);
        }
        Scheduler old = build.build(savedEpochs);
        old.loadState(state);
        if (old.toString().equals(current.toString())) {
            return old; // a schedule whose spec does not mention the run length keeps its numbers
        }
        long oldTotal = savedEpochs * callsPerEpoch / frequency;
        if (old.drivenByMetric()) {
            throw new IllegalArgumentException(old.name() + " is driven by a metric: it cannot take a new length (resume"
                    + " with --epochs " + savedEpochs + ")");
        }
        return old.retarget(oldTotal, newTotal);
    }
}
