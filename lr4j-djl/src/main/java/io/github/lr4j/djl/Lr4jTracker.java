package io.github.lr4j.djl;

import ai.djl.training.tracker.Tracker;
import io.github.lr4j.scheduler.Scheduler;

/**
 * A DJL {@link Tracker} backed by an lr4j scheduler, for DJL's own optimizers
 * ({@code Optimizer.sgd().setLearningRateTracker(...)}). DJL counts updates from 1, PyTorch (and
 * lr4j) steps from 0: update {@code n} gets the lr of step {@code n - 1}, so a DJL run sees exactly
 * PyTorch's sequence. Time-based schedules are read by random access; a metric-driven one
 * (ReduceLROnPlateau, stepped by {@link Lr4jTrainingListener}) by its groups' current lr.
 */
public final class Lr4jTracker implements Tracker {
    private final Scheduler scheduler;
    private final DjlParamGroups groups;

    public Lr4jTracker(Scheduler scheduler, DjlParamGroups groups) {
        if (scheduler.groups() != groups) {
            throw new IllegalArgumentException(scheduler.name() + " must be attached to these param groups");
        }
        this.scheduler = scheduler;
        this.groups = groups;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return lrFor(0, numUpdate);
    }

    @Override
    public float getNewValue(String parameterId, int numUpdate) {
        return lrFor(groups.groupOfId(parameterId), numUpdate);
    }

    private float lrFor(int group, int numUpdate) {
        if (numUpdate < 1) {
            throw new IllegalArgumentException("numUpdate must be >= 1 (DJL counts updates from 1), got " + numUpdate);
        }
        // A metric-driven schedule has no value ahead of its metrics: the listener steps it, the groups hold it.
        return (float) (scheduler.drivenByMetric() ? groups.lr(group) : scheduler.lrAt(numUpdate - 1L, group));
    }
}
