package io.github.lr4j.scheduler;

import java.util.ArrayList;
import java.util.List;

/** Prints values in the schedule language's (Python's) literal syntax, for {@code toString()}. */
final class Specs {
    private Specs() {
    }

    static String literal(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "True" : "False";
        }
        if (v instanceof String) {
            return "'" + v + "'";
        }
        if (v instanceof Double) {
            return number((Double) v);
        }
        if (v instanceof double[]) {
            double[] a = (double[]) v;
            List<String> parts = new ArrayList<>();
            for (double d : a) {
                parts.add(number(d));
            }
            return a.length == 1 ? parts.get(0) : "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof List) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) v) {
                parts.add(literal(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(v);
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "float('nan')";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "float('inf')" : "float('-inf')";
        }
        return Double.toString(d);
    }
}
