package io.github.lr4j.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The metrics log on the driver, in lr4j-train's layout ({@code steps.jsonl/.csv},
 * {@code epochs.jsonl/.csv}, the same columns), so the CLI's report reads a Spark run as any other.
 */
final class MetricsFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;
    long stepRows;
    long epochRows;

    MetricsFiles(Path directory) {
        this.directory = directory;
    }

    void step(Map<String, Object> row) {
        append("steps", row);
        stepRows++;
    }

    void epoch(Map<String, Object> row) {
        append("epochs", row);
        epochRows++;
    }

    /** Cuts both tables back to what a checkpoint had seen. */
    void truncate(long steps, long epochs) {
        cut("steps", steps);
        cut("epochs", epochs);
        stepRows = steps;
        epochRows = epochs;
    }

    private void append(String table, Map<String, Object> row) {
        try {
            Files.createDirectories(directory);
            Path csv = directory.resolve(table + ".csv");
            List<String> lines = new ArrayList<>();
            if (!Files.exists(csv) || Files.size(csv) == 0) {
                lines.add(String.join(",", row.keySet()));
            }
            List<String> cells = new ArrayList<>();
            row.values().forEach(v -> cells.add(v == null ? "" : String.valueOf(v)));
            lines.add(String.join(",", cells));
            Files.write(csv, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Files.write(directory.resolve(table + ".jsonl"), List.of(JSON.writeValueAsString(row)), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics log in " + directory, e);
        }
    }

    private void cut(String table, long rows) {
        try {
            cutFile(directory.resolve(table + ".jsonl"), rows);
            cutFile(directory.resolve(table + ".csv"), rows + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate the metrics log in " + directory, e);
        }
    }

    private static void cutFile(Path file, long lines) throws IOException {
        if (Files.exists(file)) {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (all.size() > lines) {
                Files.write(file, all.subList(0, (int) lines), StandardCharsets.UTF_8);
            }
        }
    }
}
