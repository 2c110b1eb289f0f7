package io.github.lr4j.train;

import java.util.ArrayList;
import java.util.List;

/** Non-finite doubles as the strings "inf", "-inf", "nan" (as in scheduler states), and back. */
final class SchedulerStateJson {
    private SchedulerStateJson() {
    }

    static Object number(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return v;
    }

    static List<Object> numbers(double[] values) {
        List<Object> out = new ArrayList<>();
        for (double v : values) {
            out.add(number(v));
        }
        return out;
    }

    static double toDouble(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        switch (String.valueOf(v)) {
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.NaN;
        }
    }
}
