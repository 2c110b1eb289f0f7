package io.github.lr4j.train;

import io.github.lr4j.scheduler.SchedulerState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Typed, range-checked reads of a checkpoint header (JSON). A missing field, a wrong type or a value
 * out of range is one IllegalArgumentException naming the file, the field, what was expected and
 * what was found: a checkpoint with a valid checksum may still be crafted, or written by a bug.
 */
final class HeaderReader {
    private final String file;
    private final String prefix;
    private final Map<String, Object> fields;
    private final List<Object> row;

    HeaderReader(Path file, Map<String, Object> fields) {
        this(file.toString(), "", fields, null);
    }

    /** {@code file} names the checkpoint in messages. */
    HeaderReader(String file, Map<String, Object> fields) {
        this(file, "", fields, null);
    }

    private HeaderReader(String file, String prefix, Map<String, Object> fields, List<Object> row) {
        this.file = file;
        this.prefix = prefix;
        this.fields = fields;
        this.row = row;
    }

    Map<String, Object> raw() {
        return fields;
    }

    private IllegalArgumentException invalid(String field, String expected, Object value) {
        String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        if (shown.length() > 60) {
            shown = shown.substring(0, 60) + "...";
        }
        return new IllegalArgumentException("checkpoint " + file + " is not valid: " + field + " must be " + expected + ", got "
                + (value == null ? "nothing" : shown));
    }

    private Object get(String key) {
        return fields.get(key);
    }

    long integer(String key, long min, long max) {
        return integerOf(prefix + key, get(key), min, max);
    }

    long integerOf(String field, Object v, long min, long max) {
        String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "an integer >= " + min
                : "an integer in [" + min + ", " + max + "]";
        if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < min || ((Number) v).longValue() > max) {
            throw invalid(field, range, v);
        }
        return ((Number) v).longValue();
    }

    double number(String key) {
        return numberOf(prefix + key, get(key));
    }

    double numberOf(String field, Object v) {
        try {
            return SchedulerState.fromJson(v);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "a number (or \"inf\", \"-inf\", \"nan\")", v);
        }
    }

    boolean bool(String key) {
        Object v = get(key);
        if (!(v instanceof Boolean)) {
            throw invalid(prefix + key, "true or false", v);
        }
        return (Boolean) v;
    }

    @SuppressWarnings("unchecked")
    HeaderReader map(String key) {
        Object v = get(key);
        if (!(v instanceof Map)) {
            throw invalid(prefix + key, "an object", v);
        }
        return new HeaderReader(file, prefix + key + ".", (Map<String, Object>) v, null);
    }

    @SuppressWarnings("unchecked")
    List<Object> list(String key) {
        Object v = get(key);
        if (!(v instanceof List)) {
            throw invalid(prefix + key, "a list", v);
        }
        return (List<Object>) v;
    }

    @SuppressWarnings("unchecked")
    HeaderReader element(String key, int i, Object v) {
        if (!(v instanceof Map)) {
            throw invalid(prefix + key + "[" + i + "]", "an object", v);
        }
        return new HeaderReader(file, prefix + key + "[" + i + "].", (Map<String, Object>) v, null);
    }

    /** A list element that is itself a list of exactly {@code size} values. */
    @SuppressWarnings("unchecked")
    HeaderReader row(String key, int i, Object v, int size) {
        if (!(v instanceof List) || ((List<Object>) v).size() != size) {
            throw invalid(prefix + key + "[" + i + "]", "a list of " + size + " values", v);
        }
        return new HeaderReader(file, prefix + key + "[" + i + "]", Map.of(), (List<Object>) v);
    }

    long integerAt(int i, long min, long max) {
        return integerOf(prefix + "[" + i + "]", row.get(i), min, max);
    }

    double numberAt(int i) {
        return numberOf(prefix + "[" + i + "]", row.get(i));
    }

    boolean boolAt(int i) {
        if (!(row.get(i) instanceof Boolean)) {
            throw invalid(prefix + "[" + i + "]", "true or false", row.get(i));
        }
        return (Boolean) row.get(i);
    }

    String textAt(int i) {
        if (!(row.get(i) instanceof String)) {
            throw invalid(prefix + "[" + i + "]", "text", row.get(i));
        }
        return (String) row.get(i);
    }

    String file() {
        return file;
    }

    @SuppressWarnings("unchecked")
    List<Object> listAt(int i) {
        if (!(row.get(i) instanceof List)) {
            throw invalid(prefix + "[" + i + "]", "a list", row.get(i));
        }
        return (List<Object>) row.get(i);
    }
}
