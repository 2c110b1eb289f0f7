package io.github.lr4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test-only hook so that a {@code kill -9} lands at a named moment of a run, not by timing. With the system property
 * {@code lr4j.test.hold=PHASE:N:MARKER}, the N-th time (from 1) the process reaches {@code at(PHASE)} it writes the file
 * MARKER and then waits forever, for the test to kill it. Without the property {@code at} only reads a final null field.
 * Phases used by the engines: {@code step} (after an optimizer update, before its log row), {@code checkpoint-temp}
 * (a checkpoint's temporary file is complete, not yet renamed), {@code checkpoint} (a checkpoint is in place),
 * {@code round} (Spark: partial results collected, not yet averaged). Phases of {@code lr4j tune} (lr4j-tune):
 * {@code search-temp} (search.json's next state complete in {@code search.json.tmp}, not yet renamed; the first write of
 * a new search counts too), {@code search-saved} (that state renamed into place), {@code search} (a trial's finished
 * part recorded in search.json, before the search reports or combines it), {@code exploit} (population based
 * training: an exploit's checkpoint moved into the target member's folder, its logs not yet).
 */
public final class TestHold {
    private static final String[] SPEC = parse(System.getProperty("lr4j.test.hold"));
    private static final AtomicInteger SEEN = new AtomicInteger();

    private TestHold() {
    }

    private static String[] parse(String property) {
        if (property == null || property.isEmpty()) {
            return null;
        }
        String[] parts = property.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("lr4j.test.hold must be PHASE:N:MARKER, got " + property);
        }
        return parts;
    }

    /** Holds the process here if this is the moment the test asked for; otherwise returns at once. */
    public static void at(String phase) {
        String[] spec = SPEC;
        if (spec == null || !spec[0].equals(phase) || SEEN.incrementAndGet() != Integer.parseInt(spec[1])) {
            return;
        }
        try {
            Files.writeString(Path.of(spec[2]), phase + " " + spec[1], StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        while (true) { // until the test's SIGKILL
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
