package io.github.lr4j.optim;

import io.github.lr4j.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The hyper-parameters an optimizer takes: PyTorch's names, defaults and allowed ranges. */
final class Options {
    enum Kind { REQUIRED_POSITIVE, NON_NEGATIVE, PROBABILITY, OPEN_PROBABILITY, FLAG }

    private final String optimizer;
    private final String[] names;
    private final double[] defaults;
    private final Kind[] kinds;

    private Options(String optimizer, String[] names, double[] defaults, Kind[] kinds) {
        this.optimizer = optimizer;
        this.names = names;
        this.defaults = defaults;
        this.kinds = kinds;
    }

    /** Builds from {@code name, default, kind} triples; a NaN default means "required". */
    static Options of(String optimizer, Object... triples) {
        int n = triples.length / 3;
        String[] names = new String[n];
        double[] defaults = new double[n];
        Kind[] kinds = new Kind[n];
        for (int i = 0; i < n; i++) {
            names[i] = (String) triples[3 * i];
            defaults[i] = ((Number) triples[3 * i + 1]).doubleValue();
            kinds[i] = (Kind) triples[3 * i + 2];
        }
        return new Options(optimizer, names, defaults, kinds);
    }

    List<String> names() {
        return List.of(names);
    }

    int index(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(optimizer + " has no hyper-parameter " + name + "; it has " + String.join(", ", names));
    }

    void check(int i, double v) {
        String name = names[i];
        switch (kinds[i]) {
            case REQUIRED_POSITIVE:
            case NON_NEGATIVE:
                Checks.nonNegative(name, v);
                break;
            case PROBABILITY:
                Checks.inClosed(name, v, 0, 1);
                break;
            case OPEN_PROBABILITY:
                if (!(v >= 0 && v < 1)) {
                    throw Checks.invalid(name, "in [0, 1)", v);
                }
                break;
            default:
                if (v != 0 && v != 1) {
                    throw Checks.invalid(name, "true or false (1 or 0)", v);
                }
        }
    }

    /**
     * Values for a new group: {@code base} (the optimizer's defaults) overridden by {@code given}.
     * {@code betas} may be given as a list or array of two numbers; booleans are accepted.
     */
    double[] resolve(double[] base, Map<String, ?> given) {
        double[] out = base.clone();
        for (Map.Entry<String, ?> e : given.entrySet()) {
            String key = e.getKey();
            Object v = e.getValue();
            if (key.equals("params")) {
                continue;
            }
            if (key.equals("betas")) {
                double[] betas = pair(v);
                out[index("beta1")] = betas[0];
                out[index("beta2")] = betas[1];
                continue;
            }
            out[index(key)] = toDouble(key, v);
        }
        for (int i = 0; i < names.length; i++) {
            if (Double.isNaN(out[i])) {
                throw new IllegalArgumentException(optimizer + " needs " + names[i] + " (it has no default)");
            }
            check(i, out[i]);
        }
        return out;
    }

    /** A value as PyTorch would print it: flags as True/False, numbers as typed. */
    String format(int i, double v) {
        if (kinds[i] == Kind.FLAG) {
            return v != 0 ? "True" : "False";
        }
        return Checks.fmt(v);
    }

    double[] defaults() {
        return defaults.clone();
    }

    private double[] pair(Object v) {
        if (v instanceof double[] && ((double[]) v).length == 2) {
            return (double[]) v;
        }
        if (v instanceof List && ((List<?>) v).size() == 2) {
            List<?> l = (List<?>) v;
            return new double[] {toDouble("betas[0]", l.get(0)), toDouble("betas[1]", l.get(1))};
        }
        throw new IllegalArgumentException("betas must be a pair of numbers in [0, 1), got "
                + (v instanceof double[] ? Arrays.toString((double[]) v) : String.valueOf(v)));
    }

    private static double toDouble(String name, Object v) {
        if (v instanceof Boolean) {
            return (Boolean) v ? 1 : 0;
        }
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw new IllegalArgumentException(name + " must be a number or a boolean, got " + v);
    }

    String optimizer() {
        return optimizer;
    }

}
