package io.github.lr4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** JSON in and out of the CLI (Jackson). */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(Path file) {
        try {
            return MAPPER.readValue(Files.readString(file), Map.class);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " is not a JSON object: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readObject(String text) {
        try {
            return MAPPER.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the schedule is not a JSON object: " + e.getOriginalMessage()
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
    }

    static java.util.List<?> readList(String text) {
        try {
            return MAPPER.readValue(text, java.util.List.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON list: " + e.getOriginalMessage());
        }
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
