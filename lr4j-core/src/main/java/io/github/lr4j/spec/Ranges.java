package io.github.lr4j.spec;

import io.github.lr4j.scheduler.SchedulerType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoublePredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parameter's documented range ({@link SchedulerType.Param#range()}, what {@code lr4j list} shows) as the check the
 * language makes before a type's factory runs, so the two cannot drift. The numeric parts are read: {@code > 0},
 * {@code >= 1}, {@code < 1}, {@code [0, 1]}, {@code (0, 1)}, {@code (0, 1]}, {@code each >= 0}, each optionally
 * followed by words ({@code >= 0; one per group}, {@code > 0, or None for ...}); a range that names another
 * parameter ({@code < ub}) or is only words is left to the factory.
 */
final class Ranges {
    private static final Pattern COMPARISON = Pattern.compile("(>=|<=|>|<)\\s*(-?[0-9.]+(?:[eE][+-]?[0-9]+)?)");
    private static final Pattern INTERVAL = Pattern.compile("([\\[(])\\s*(-?[0-9.]+)\\s*,\\s*(-?[0-9.]+)\\s*([\\])])");

    private Ranges() {
    }

    /** The numeric checks of {@code range} (empty when it has none a machine can read). */
    static List<DoublePredicate> of(String range) {
        List<DoublePredicate> out = new ArrayList<>();
        String text = range.replaceFirst("^(each|values in)\\s+", "");
        if (range.startsWith("values in")) {
            return out; // a function's values, checked where it is called
        }
        for (String part : text.split("[;,]\\s*(?=[<>]|or\\b)|;")) {
            String p = part.strip();
            Matcher c = COMPARISON.matcher(p);
            Matcher i = INTERVAL.matcher(p);
            if (i.lookingAt()) {
                double lo = Double.parseDouble(i.group(2));
                double hi = Double.parseDouble(i.group(3));
                boolean loIn = i.group(1).equals("[");
                boolean hiIn = i.group(4).equals("]");
                out.add(v -> (loIn ? v >= lo : v > lo) && (hiIn ? v <= hi : v < hi));
            } else if (c.lookingAt()) {
                double bound = Double.parseDouble(c.group(2));
                switch (c.group(1)) {
                    case ">=": out.add(v -> v >= bound); break;
                    case "<=": out.add(v -> v <= bound); break;
                    case ">": out.add(v -> v > bound); break;
                    default: out.add(v -> v < bound); break;
                }
            }
        }
        return out;
    }

    /** Checks the value {@code args} holds for {@code p} (each number of a list) against its documented range. */
    static void check(Args args, SchedulerType.Param p) {
        if (!args.given(p.name()) || p.range().isEmpty()) {
            return;
        }
        List<DoublePredicate> checks = of(p.range());
        if (checks.isEmpty()) {
            return;
        }
        Object v = args.value(p.name());
        List<?> values = v instanceof List ? (List<?>) v : java.util.Collections.singletonList(v);
        for (Object o : values) {
            if (!(o instanceof Number) || o instanceof Boolean) {
                continue; // None (where allowed) and wrong types: the factory's readers say what is expected
            }
            double d = ((Number) o).doubleValue();
            for (DoublePredicate check : checks) {
                if (!check.test(d)) {
                    String range = p.range();
                    throw args.bad(p.name(), range.startsWith("[") || range.startsWith("(") ? "in " + range : range);
                }
            }
        }
    }
}
