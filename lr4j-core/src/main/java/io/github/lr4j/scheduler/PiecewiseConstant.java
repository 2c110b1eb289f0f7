package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.schedule.Curve;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras's / Optax's piecewise constant schedule of absolute values: {@code values[0]} before step {@code boundaries[0]},
 * {@code values[i]} from {@code boundaries[i - 1]} on, {@code values[last]} from the last boundary on, in every group
 * whatever its base lr. Written for replay: a recorded lr per step (e.g. a population-based search's winner) becomes
 * a schedule {@code lr4j train --config} follows exactly. Absolute (not chainable): a value is written as given.
 */
final class PiecewiseConstant extends BasicScheduler {
    private final long[] boundaries;
    private final double[] values;
    private final Curve curve;

    PiecewiseConstant(ParamGroups groups, long[] boundaries, double[] values) {
        super(groups);
        this.boundaries = boundaries.clone();
        this.values = values.clone();
        List<Curve> pieces = new ArrayList<>();
        for (double v : values) {
            pieces.add(Curve.fixed(v));
        }
        this.curve = Curve.join(pieces, boundaries);
    }

    /** Checks (naming the parameter, range and value) and builds. */
    static PiecewiseConstant of(ParamGroups groups, long[] boundaries, double[] values) {
        if (boundaries == null || values == null) {
            throw new IllegalArgumentException("boundaries and values are required");
        }
        if (values.length != boundaries.length + 1) {
            throw new IllegalArgumentException("values must have one more element than boundaries (" + (boundaries.length + 1)
                    + "), got " + values.length);
        }
        for (int i = 0; i < boundaries.length; i++) {
            long min = i == 0 ? 1 : boundaries[i - 1] + 1;
            if (boundaries[i] < min) {
                throw new IllegalArgumentException("boundaries[" + i + "] must be >= " + min + " (increasing, from 1), got "
                        + boundaries[i]);
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i]) || values[i] < 0) {
                throw new IllegalArgumentException("values[" + i + "] must be a finite lr >= 0, got " + values[i]);
            }
        }
        return new PiecewiseConstant(groups, boundaries, values);
    }

    @Override
    Curve curve(int g) {
        return curve;
    }

    @Override
    boolean chainable() {
        return false;
    }

    @Override
    public String name() {
        return "PiecewiseConstant";
    }

    @Override
    void writeHyperParameters(Map<String, Object> out) {
        List<Object> b = new ArrayList<>();
        for (long x : boundaries) {
            b.add(x);
        }
        List<Object> v = new ArrayList<>();
        for (double x : values) {
            v.add(x);
        }
        out.put("boundaries", b);
        out.put("values", v);
    }
}
