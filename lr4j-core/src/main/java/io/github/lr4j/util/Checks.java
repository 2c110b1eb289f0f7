package io.github.lr4j.util;

/**
 * Argument and state checks whose messages name the parameter, the allowed range and the value,
 * e.g. {@code gamma must be in (0, 1], got 1.5}.
 *
 * <p>{@link IllegalArgumentException} means a bad argument; {@link IllegalStateException} means misuse.
 */
public final class Checks {
    private Checks() {
    }

    /** Formats a number the way a user typed it: integers without ".0". */
    public static String fmt(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    public static IllegalArgumentException invalid(String name, String range, Object value) {
        String shown = value instanceof Double ? fmt((Double) value) : String.valueOf(value);
        return new IllegalArgumentException(name + " must be " + range + ", got " + shown);
    }

    public static double finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw invalid(name, "finite", v);
        }
        return v;
    }

    public static double nonNegative(String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw invalid(name, "finite and >= 0", v);
        }
        return v;
    }

    public static double positive(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(name, "finite and > 0", v);
        }
        return v;
    }

    /** {@code lo <= v <= hi}. */
    public static double inClosed(String name, double v, double lo, double hi) {
        if (!(v >= lo && v <= hi)) {
            throw invalid(name, "in [" + fmt(lo) + ", " + fmt(hi) + "]", v);
        }
        return v;
    }

    /** {@code lo < v < hi}. */
    public static double inOpen(String name, double v, double lo, double hi) {
        if (!(v > lo && v < hi)) {
            throw invalid(name, "in (" + fmt(lo) + ", " + fmt(hi) + ")", v);
        }
        return v;
    }

    public static long atLeast(String name, long v, long min) {
        if (v < min) {
            throw invalid(name, ">= " + min, v);
        }
        return v;
    }

    /**
     * Expands a per-group value: one value is used for every group, otherwise there must be one
     * value per group.
     */
    public static double[] perGroup(String name, double[] values, int groups) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException(name + " must have 1 or " + groups + " values (one per param group), got none");
        }
        if (values.length == 1) {
            double[] out = new double[groups];
            java.util.Arrays.fill(out, values[0]);
            return out;
        }
        if (values.length != groups) {
            String allowed = groups == 1 ? "1 value (there is 1 param group)" : "1 or " + groups + " values (one per param group)";
            throw new IllegalArgumentException(name + " must have " + allowed + ", got " + values.length);
        }
        return values.clone();
    }

}
