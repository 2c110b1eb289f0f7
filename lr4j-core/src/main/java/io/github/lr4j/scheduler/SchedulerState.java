package io.github.lr4j.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scheduler's saved state: an explicit, versioned record made only of maps, lists, numbers,
 * strings, booleans and nulls, so it can be written as JSON by any library.
 *
 * <p>Layout (version 1): {@code "type"} (the PyTorch class name, e.g. {@code "StepLR"}),
 * {@code "version"} (1), then the same keys PyTorch's {@code state_dict()} uses for that class
 * ({@code last_epoch}, {@code base_lrs}, {@code _last_lr}, {@code _step_count}, the hyper-parameters,
 * {@code _schedulers} for composites, {@code best}/{@code num_bad_epochs}/... for plateau control),
 * plus {@code _last_momentum} where the scheduler cycles momentum. Non-finite numbers are written
 * as the strings {@code "inf"}, {@code "-inf"} and {@code "nan"}, as in PyTorch's golden traces.
 * A user function that cannot be saved is listed under {@code "not_saved"}.
 *
 * <p>Restoring checks the type, the version, every value and that the hyper-parameters equal the
 * scheduler's own; on any error nothing is changed.
 */
public final class SchedulerState {
    /** The newest state layout this version of lr4j writes and reads. */
    public static final int VERSION = 1;

    private final Map<String, Object> map;

    private SchedulerState(Map<String, Object> map) {
        this.map = map;
    }

    /** Wraps a state read back from JSON (or built by hand); the map is copied. */
    public static SchedulerState of(Map<String, ?> map) {
        if (map == null) {
            throw new IllegalArgumentException("state must be a map, got null");
        }
        return new SchedulerState(freeze(map));
    }

    /** The key {@link #fromPyTorch} adds to mark a state PyTorch wrote. */
    static final String PYTORCH_FORMAT_KEY = "format";
    static final String PYTORCH_FORMAT = "pytorch";

    /**
     * A state written by PyTorch itself (1.13 or 2.x): {@code scheduler.state_dict()} dumped to JSON as the
     * README shows (callables left out, {@code inf}/{@code nan} as strings or JSON's non-standard numbers), read
     * back as a map. Restore it into the same lr4j scheduler, built with the same arguments on groups that hold
     * the optimizer's saved lr, initial lr and momentum (PyTorch keeps those in the optimizer's state, not the
     * scheduler's); stepping then continues with PyTorch's next values.
     *
     * <p>Such a state has no lr4j {@code "type"}/{@code "version"}: the scheduler it is restored into supplies
     * the type, and keys PyTorch keeps elsewhere (OneCycleLR's max/min lrs and momenta live in the optimizer's
     * groups; the momentum a cycling scheduler wrote) are taken from the scheduler and the groups. PyTorch-only
     * keys ({@code verbose}, {@code _is_initial}, {@code _get_lr_called_within_step}, ...) are ignored.
     */
    public static SchedulerState fromPyTorch(Map<String, ?> stateDict) {
        if (stateDict == null) {
            throw new IllegalArgumentException("stateDict must be a map, got null");
        }
        return new SchedulerState(freeze(markPyTorch(stateDict)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> markPyTorch(Map<String, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) {
            Object v = e.getValue();
            if (String.valueOf(e.getKey()).equals("_schedulers") && v instanceof List) {
                List<Object> children = new ArrayList<>();
                for (Object child : (List<?>) v) {
                    children.add(child instanceof Map ? markPyTorch((Map<String, ?>) child) : child);
                }
                v = children;
            }
            out.put(String.valueOf(e.getKey()), v);
        }
        out.put(PYTORCH_FORMAT_KEY, PYTORCH_FORMAT);
        return out;
    }

    /** Keys of PyTorch's state_dict() that say nothing of the scheduler's type (bookkeeping lr4j does not keep). */
    private static final java.util.Set<String> PYTORCH_BOOKKEEPING = java.util.Set.of("verbose", "_get_lr_called_within_step",
            "_is_initial", PYTORCH_FORMAT_KEY);

    /**
     * The one check of a PyTorch state's type: PyTorch's {@code load_state_dict} is {@code __dict__.update(state)}, so it
     * takes any keys, also another scheduler's (a StepLR state into an ExponentialLR gives an object of neither kind).
     * A PyTorch state carries no type, so lr4j takes the keys as telling it: a state may leave keys out (they keep the
     * scheduler's own values, as in PyTorch), but a key the scheduler's own state does not have means it was saved by
     * another scheduler, and it is refused. Composites are checked member by member.
     *
     * @throws IllegalArgumentException naming the scheduler and the foreign key
     */
    static void requireOwnKeys(String scheduler, SchedulerState saved, SchedulerState own) {
        if (saved.writtenByPyTorch()) {
            requireOwnKeys(scheduler, "", saved.map, own.map);
        }
    }

    private static void requireOwnKeys(String scheduler, String where, Map<?, ?> saved, Map<?, ?> own) {
        for (Object key : saved.keySet()) {
            String k = String.valueOf(key);
            if (PYTORCH_BOOKKEEPING.contains(k)) {
                continue;
            }
            if (!own.containsKey(k)) {
                throw new IllegalArgumentException("cannot restore " + scheduler + ": the PyTorch state holds \"" + where + k
                        + "\", which a " + scheduler + " state does not have: it was saved by another scheduler (build"
                        + " the scheduler that saved it, with the same arguments)");
            }
            if (k.equals("_schedulers") && saved.get(key) instanceof List && own.get(k) instanceof List
                    && ((List<?>) saved.get(key)).size() == ((List<?>) own.get(k)).size()) {
                List<?> a = (List<?>) saved.get(key);
                List<?> b = (List<?>) own.get(k);
                for (int i = 0; i < a.size(); i++) {
                    if (a.get(i) instanceof Map && b.get(i) instanceof Map) {
                        requireOwnKeys(scheduler, where + "_schedulers[" + i + "].", (Map<?, ?>) a.get(i), (Map<?, ?>) b.get(i));
                    }
                }
            }
        }
    }

    /** Whether {@link #fromPyTorch} made this state. */
    public boolean writtenByPyTorch() {
        return PYTORCH_FORMAT.equals(map.get(PYTORCH_FORMAT_KEY)) && !map.containsKey("type");
    }

    /** The PyTorch class name of the scheduler that wrote this state, or null if missing. */
    public String type() {
        Object t = map.get("type");
        return t instanceof String ? (String) t : null;
    }

    /** The layout version, or -1 if missing. */
    public int version() {
        Object v = map.get("version");
        return v instanceof Number ? ((Number) v).intValue() : -1;
    }

    /** An unmodifiable view of the record. */
    public Map<String, Object> asMap() {
        return map;
    }

    /** A deep, mutable copy of the record (for JSON writers that want one). */
    public Map<String, Object> toMap() {
        return thaw(map);
    }

    /** What could not be saved (plain Java lambdas), empty when everything was saved. */
    @SuppressWarnings("unchecked")
    public List<String> notSaved() {
        Object v = map.get("not_saved");
        return v instanceof List ? (List<String>) v : List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SchedulerState && ((SchedulerState) o).map.equals(map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }

    /** A double as a JSON-friendly value: non-finite values become the strings "inf", "-inf", "nan". */
    public static Object jsonNumber(double v) {
        return number(v);
    }

    /** {@link #jsonNumber} for every value. */
    public static List<Object> jsonNumbers(double[] values) {
        return numbers(values);
    }

    /**
     * Reads back what {@link #jsonNumber} wrote (any JSON number, or "inf"/"-inf"/"nan", in any case).
     *
     * @throws IllegalArgumentException for anything else
     */
    public static double fromJson(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            switch (((String) v).strip().toLowerCase(java.util.Locale.ROOT)) {
                case "inf": case "+inf": case "infinity": return Double.POSITIVE_INFINITY;
                case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
                case "nan": return Double.NaN;
                default: break;
            }
        }
        throw new IllegalArgumentException("expected a number (or \"inf\", \"-inf\", \"nan\"), got " + v);
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
        List<Object> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(number(v));
        }
        return out;
    }

    private static Map<String, Object> freeze(Map<String, ?> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : in.entrySet()) {
            out.put(String.valueOf(e.getKey()), freezeValue(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    @SuppressWarnings("unchecked")
    private static Object freezeValue(Object v) {
        if (v instanceof Map) {
            return freeze((Map<String, ?>) v);
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(freezeValue(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof double[]) {
            return Collections.unmodifiableList(numbers((double[]) v));
        }
        if (v instanceof Double || v instanceof Float) {
            return number(((Number) v).doubleValue());
        }
        return v;
    }

    private static Map<String, Object> thaw(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : in.entrySet()) {
            out.put(e.getKey(), thawValue(e.getValue()));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object thawValue(Object v) {
        if (v instanceof Map) {
            return thaw((Map<String, Object>) v);
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                out.add(thawValue(o));
            }
            return out;
        }
        return v;
    }
}
