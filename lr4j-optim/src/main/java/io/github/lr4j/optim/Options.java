package io.github.lr4j.optim;

import io.github.lr4j.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The hyper-parameters an optimizer takes: PyTorch's names, defaults and allowed ranges. */
final class Options {
    /**
     * Allowed values. {@code UNIT_INTERVAL}: in (0, 1); {@code COUNT}: an integer >= 0; {@code STATE}: not a
     * hyper-parameter but a running scalar the optimizer keeps in the group (as the schedule-free reference
     * keeps {@code k} and {@code lr_max}): saved and restored with the group, never given by the user.
     */
    enum Kind { REQUIRED_POSITIVE, NON_NEGATIVE, PROBABILITY, OPEN_PROBABILITY, UNIT_INTERVAL, COUNT, FLAG, STATE }

    final String optimizer;
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

    boolean isFlag(int i) {
        return kinds[i] == Kind.FLAG;
    }

    boolean isState(int i) {
        return kinds[i] == Kind.STATE;
    }

    /** The names a user may give (everything but {@link Kind#STATE}). */
    List<String> hyperParameters() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            if (!isState(i)) {
                out.add(names[i]);
            }
        }
        return out;
    }

    int index(String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(optimizer + " has no hyper-parameter " + name
                + io.github.lr4j.util.Suggest.didYouMean(name, hyperParameters()) + "; it has "
                + String.join(", ", hyperParameters()));
    }

    /**
     * A value read back from a checkpoint: a hyper-parameter must be one a user could set; a running
     * scalar ({@link Kind#STATE}), which nobody sets, must at least be finite.
     */
    void checkRestored(int i, double v) {
        if (!isState(i)) {
            check(i, v);
        } else if (!Double.isFinite(v)) {
            throw Checks.invalid(names[i], "finite (it is " + optimizer + "'s running state)", v);
        }
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
            case UNIT_INTERVAL:
                Checks.inOpen(name, v, 0, 1);
                break;
            case COUNT:
                if (!(v >= 0 && v == Math.rint(v) && v <= Integer.MAX_VALUE)) {
                    throw Checks.invalid(name, "a whole number >= 0", v);
                }
                break;
            case STATE:
                throw new IllegalArgumentException(name + " is " + optimizer + "'s own running state, not a hyper-parameter:"
                        + " it cannot be set");
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
            int i = index(key);
            if (isState(i)) {
                check(i, 0); // refuses, naming the key
            }
            out[i] = toDouble(key, v);
        }
        for (int i = 0; i < names.length; i++) {
            if (isState(i)) {
                continue;
            }
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
