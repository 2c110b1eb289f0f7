package io.github.lr4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * JSON in and out of the CLI (Jackson). Input is nested at most {@link #MAX_DEPTH} levels (as in the
 * text form of the schedule language), and Jackson's messages are translated into lr4j's: line,
 * column and what was expected.
 */
final class Json {
    static final int MAX_DEPTH = 100;
    /** Nested at most MAX_DEPTH levels; a key given twice in one object is an error (Python's json keeps the last). */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private Json() {
    }

    /** A JSON object from a trace case file. */
    static Map<String, Object> readObject(Path file) {
        return object(parse(InputFiles.read(file, "case file", InputFiles.CASE_LIMIT), file.toString()), file.toString());
    }

    /** A run recipe ({@code train --config FILE}). */
    static Map<String, Object> readConfig(Path file) {
        return object(parse(InputFiles.read(file, "config file", InputFiles.SPEC_LIMIT), file.toString()), file.toString());
    }

    /** A schedule given as JSON. */
    static Map<String, Object> readObject(String text) {
        return object(parse(text, "the schedule"), "the schedule");
    }

    static List<?> readList(String text, String what) {
        Object v = parse(text, what);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(what + " is not a JSON list");
        }
        return (List<?>) v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object v, String what) {
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException(what + " is not a JSON object {...}: it holds " + (v instanceof List ? "a list" : "a single value"));
        }
        return (Map<String, Object>) v;
    }

    /** One JSON value and nothing after it but white space (a second object, a word, a comment or a NUL is refused). */
    private static Object parse(String text, String what) {
        try (com.fasterxml.jackson.core.JsonParser p = MAPPER.createParser(text)) {
            Object v = MAPPER.readValue(p, Object.class);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                throw new IllegalArgumentException(what + " is not valid JSON: line " + at.getLineNr() + ", column "
                        + at.getColumnNr() + ": more follows the end of the JSON value (give one value only)");
            }
            return v;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            throw new IllegalArgumentException(what + " is not valid JSON: " + where + explain(e));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(what + " cannot be read: " + InputFiles.reason(e));
        }
    }

    /** Jackson's message without its internals: no "(code 46)", no source description, no Java types. */
    static String explain(JsonProcessingException e) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Number")) {
                return "a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " characters";
            }
            if (m.startsWith("String") || m.startsWith("Name")) {
                return "a string longer than the limit";
            }
            return m.contains("epth") ? "nested deeper than " + MAX_DEPTH + " levels" : "too large";
        }
        String m = e.getOriginalMessage() == null ? "malformed" : e.getOriginalMessage();
        m = m.replaceAll(" \\(code -?\\d+\\)", "").replaceAll("(?s)\\s*\\R.*", "")
                .replaceAll("\\[Source: [^;]*; line: (\\d+), column: (\\d+)\\]", "line $1, column $2")
                .replace("close marker for Object", "'}' to close the object")
                .replace("close marker for Array", "']' to close the list")
                .replace("start marker at", "opened at")
                .replace("a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                        "a value (a string, number, list, object, true, false or null)")
                .replace("(JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                        "a value (a string, number, list, object, true, false or null)");
        if (m.contains("end-of-input")) {
            return "the text ends too early (" + m.replaceAll("^Unexpected end-of-input:?\\s*", "").replaceAll("\\s*$", "") + ")";
        }
        return m;
    }

    /** Writes JSON; schedule specs may hold lambdas and other objects, which are written as their text. */
    static Object plain(Object v) {
        if (v instanceof Map) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), plain(x)));
            return out;
        }
        if (v instanceof java.util.List) {
            java.util.List<Object> out = new java.util.ArrayList<>();
            ((java.util.List<?>) v).forEach(x -> out.add(plain(x)));
            return out;
        }
        if (v == null || v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof double[]
                || v instanceof float[] || v instanceof long[]) {
            return v instanceof double[] && ((double[]) v).length == 1 ? ((double[]) v)[0] : v;
        }
        return String.valueOf(v);
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(plain(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
