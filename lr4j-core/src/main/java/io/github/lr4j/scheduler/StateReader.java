package io.github.lr4j.scheduler;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a {@link SchedulerState} with checks: every accessor throws an
 * {@link IllegalArgumentException} that names the scheduler, the key, what was expected and what
 * was found. Readers never change the scheduler; callers commit only after everything was read.
 */
final class StateReader {
    private final String scheduler;
    private final Map<String, Object> map;
    private final boolean nested;
    private final boolean pytorch;

    private StateReader(String scheduler, Map<String, Object> map, boolean nested, boolean pytorch) {
        this.scheduler = scheduler;
        this.map = map;
        this.nested = nested;
        this.pytorch = pytorch;
    }

    static StateReader of(String expectedType, SchedulerState state) {
        if (state == null) {
            throw new IllegalArgumentException("cannot restore " + expectedType + ": state is null");
        }
        if (state.writtenByPyTorch()) {
            return new StateReader(expectedType, state.asMap(), false, true);
        }
        String type = state.type();
        if (type == null) {
            throw new IllegalArgumentException("cannot restore " + expectedType + ": the state has no \"type\" (is it an lr4j scheduler state?)");
        }
        if (!type.equals(expectedType)) {
            throw new IllegalArgumentException("cannot restore " + expectedType + " from the state of a " + type);
        }
        Object v = state.asMap().get("version");
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
            throw new IllegalArgumentException("cannot restore " + expectedType + ": \"version\" must be an integer, got " + v);
        }
        int version = ((Number) v).intValue();
        if (version < 1 || version > SchedulerState.VERSION) {
            throw new IllegalArgumentException("Unknown version " + version + " of " + expectedType
                    + " state, this lr4j supports versions 1 to " + SchedulerState.VERSION);
        }
        return new StateReader(expectedType, state.asMap(), false, false);
    }

    static StateReader nested(String expectedType, Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("cannot restore " + where + ": expected a state map, got " + value);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) value;
        StateReader top = of(expectedType, SchedulerState.of(m));
        return new StateReader(top.scheduler, top.map, true, top.pytorch);
    }

    /** Whether PyTorch wrote this state ({@link SchedulerState#fromPyTorch}): lr4j-only keys may be missing. */
    boolean pytorch() {
        return pytorch;
    }

    /** Whether {@code key}, which lr4j writes but PyTorch keeps elsewhere or not at all, is absent from a PyTorch state. */
    boolean missingFromPyTorch(String key) {
        return pytorch && !map.containsKey(key);
    }

    /** Whether this is a member's state inside a SequentialLR or ChainedScheduler. */
    boolean nested() {
        return nested;
    }

    IllegalArgumentException bad(String key, String expected, Object got) {
        return new IllegalArgumentException("cannot restore " + scheduler + ": \"" + key + "\" must be " + expected
                + ", got " + (got instanceof String ? "\"" + got + "\"" : String.valueOf(got)));
    }

    Object raw(String key) {
        if (!map.containsKey(key)) {
            throw new IllegalArgumentException("cannot restore " + scheduler + ": the state has no \"" + key + "\"");
        }
        return map.get(key);
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    static double toDouble(Object v) {
        try {
            return SchedulerState.fromJson(v);
        } catch (IllegalArgumentException e) {
            throw new NumberFormatException(e.getMessage());
        }
    }

    double number(String key) {
        Object v = raw(key);
        try {
            return toDouble(v);
        } catch (NumberFormatException e) {
            throw bad(key, "a number", v);
        }
    }

    double finite(String key) {
        double d = number(key);
        if (!Double.isFinite(d)) {
            throw bad(key, "a finite number", raw(key));
        }
        return d;
    }

    long integer(String key, long min) {
        Object v = raw(key);
        if (!(v instanceof Number)) {
            throw bad(key, "an integer >= " + min, v);
        }
        double d = ((Number) v).doubleValue();
        if (d != Math.rint(d) || d < min || Double.isInfinite(d)) {
            throw bad(key, "an integer >= " + min, v);
        }
        return ((Number) v).longValue();
    }

    boolean bool(String key) {
        Object v = raw(key);
        if (!(v instanceof Boolean)) {
            throw bad(key, "true or false", v);
        }
        return (Boolean) v;
    }

    String string(String key) {
        Object v = raw(key);
        if (!(v instanceof String)) {
            throw bad(key, "a string", v);
        }
        return (String) v;
    }

    /** A list of exactly {@code n} numbers, each finite and >= 0 when {@code lrs} is true. */
    double[] numbers(String key, int n, boolean lrs) {
        Object v = raw(key);
        if (!(v instanceof List) || ((List<?>) v).size() != n) {
            throw bad(key, "a list of " + n + " numbers (one per param group)", v);
        }
        double[] out = new double[n];
        List<?> list = (List<?>) v;
        for (int i = 0; i < n; i++) {
            try {
                out[i] = toDouble(list.get(i));
            } catch (NumberFormatException e) {
                throw bad(key, "a list of " + n + " numbers (one per param group)", v);
            }
            if (lrs && !(Double.isFinite(out[i]) && out[i] >= 0)) {
                throw bad(key, "a list of finite learning rates >= 0", v);
            }
            if (lrs) {
                out[i] += 0.0; // -0.0 is restored as 0.0: lr4j never writes -0.0
            }
        }
        return out;
    }

    List<?> list(String key, int n) {
        Object v = raw(key);
        if (!(v instanceof List) || (n >= 0 && ((List<?>) v).size() != n)) {
            throw bad(key, n >= 0 ? "a list of " + n + " entries" : "a list", v);
        }
        return (List<?>) v;
    }

    /** Deep equality where numbers compare by value (JSON readers give Integer, Long or Double). */
    static boolean sameValue(Object saved, Object mine) {
        if (saved instanceof Map && (mine instanceof long[] || mine instanceof List)) {
            // MultiStepLR's milestones as PyTorch saves them: a Counter, {"5": 2, ...}
            Map<String, Object> counts = new java.util.TreeMap<>();
            List<?> values = mine instanceof long[] ? java.util.Arrays.stream((long[]) mine).boxed().toList() : (List<?>) mine;
            for (Object m : values) {
                if (!(m instanceof Number)) {
                    return false;
                }
                counts.merge(String.valueOf(((Number) m).longValue()), 1L, (a, b) -> (Long) a + (Long) b);
            }
            mine = counts;
        }
        if (mine instanceof Number || mine instanceof String && saved instanceof Number) {
            try {
                return Double.compare(toDouble(saved), toDouble(mine)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        if (mine instanceof double[]) {
            mine = SchedulerState.numbers((double[]) mine);
        }
        if (mine instanceof List && saved instanceof List) {
            List<?> a = (List<?>) saved;
            List<?> b = (List<?>) mine;
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (mine instanceof Map && saved instanceof Map) {
            Map<?, ?> a = (Map<?, ?>) saved;
            Map<?, ?> b = (Map<?, ?>) mine;
            if (!a.keySet().equals(b.keySet())) {
                return false;
            }
            for (Object k : b.keySet()) {
                if (!sameValue(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(saved, mine);
    }

    /** The hyper-parameter stored under {@code key} must equal the scheduler's own. */
    void expectSame(String key, Object mine) {
        if (missingFromPyTorch(key)) {
            return; // e.g. OneCycleLR's max_lrs: PyTorch keeps them in the optimizer's groups
        }
        Object saved = raw(key);
        if (sameValue(saved, mine)) {
            return;
        }
        String shown = mine instanceof double[] ? java.util.Arrays.toString((double[]) mine) : String.valueOf(mine);
        throw new IllegalArgumentException("cannot restore " + scheduler + ": the state was saved with " + key + "="
                + saved + " but this scheduler has " + key + "=" + shown
                + " (build the scheduler with the same arguments before restoring)");
    }

    void expectSameList(String key, double[] mine) {
        if (missingFromPyTorch(key)) {
            return;
        }
        double[] saved = numbers(key, mine.length, false);
        for (int i = 0; i < mine.length; i++) {
            if (Double.compare(saved[i], mine[i]) != 0) {
                throw new IllegalArgumentException("cannot restore " + scheduler + ": the state was saved with " + key + "="
                        + java.util.Arrays.toString(saved) + " but this scheduler has " + key + "="
                        + java.util.Arrays.toString(mine) + " (build the scheduler with the same arguments before restoring)");
            }
        }
    }
}
