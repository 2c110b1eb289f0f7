package io.github.lr4j.scheduler;

import java.util.ArrayList;
import java.util.List;

/** Prints values in the schedule language's (Python's) literal syntax, for {@code toString()}. */
final class Specs {
    private Specs() {
    }

    /** Prints a spec map ({@code "type"} plus arguments) as a constructor call. */
    static String print(java.util.Map<String, Object> spec) {
        List<String> parts = new ArrayList<>();
        for (java.util.Map.Entry<String, Object> e : spec.entrySet()) {
            if (!e.getKey().equals("type")) {
                parts.add(e.getKey() + "=" + literal(e.getValue()));
            }
        }
        return spec.get("type") + "(" + String.join(", ", parts) + ")";
    }

    @SuppressWarnings("unchecked")
    static String literal(Object v) {
        if (v instanceof java.util.Map && ((java.util.Map<String, Object>) v).containsKey("type")) {
            return print((java.util.Map<String, Object>) v);
        }
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
        if (v instanceof long[] || v instanceof int[]) {
            long[] a = v instanceof int[] ? java.util.Arrays.stream((int[]) v).asLongStream().toArray() : (long[]) v;
            List<String> parts = new ArrayList<>();
            for (long x : a) {
                parts.add(Long.toString(x));
            }
            return "[" + String.join(", ", parts) + "]";
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
