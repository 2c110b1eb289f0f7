package io.github.lr4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metrics of a run as JSON lines and CSV: {@code steps.jsonl}/{@code steps.csv} (one row per
 * optimizer step: loss, lr and momentum of every group) and {@code epochs.jsonl}/{@code epochs.csv}
 * (one row per validation). Rows are buffered, and flushed at every epoch row, whenever the row counts are read
 * (a checkpoint records them, so the rows it counts are on disk first) and on close; on resume the files are cut
 * back to the rows the checkpoint had seen. A row of numbers, booleans and plain column names is written by hand,
 * exactly as Jackson writes it (a step row per optimizer step is the loop's most frequent output); other rows go
 * through Jackson.
 */
public final class MetricsLog implements AutoCloseable {
    /** Made on first use only: a run whose rows are all plain never loads Jackson (its start-up is inside a run's time). */
    private static final class Jackson {
        static final ObjectMapper JSON = new ObjectMapper();
    }

    private final Path directory;
    private final Table steps;
    private final Table epochs;

    public MetricsLog(Path directory) {
        this.directory = directory;
        this.steps = new Table(directory, "steps");
        this.epochs = new Table(directory, "epochs");
    }

    public Path directory() {
        return directory;
    }

    public void step(Map<String, Object> row) {
        steps.write(row);
    }

    public void epoch(Map<String, Object> row) {
        epochs.write(row);
        epochs.flush();
        steps.flush(); // the steps up to a validation are on disk with it (someone may be watching the files)
    }

    /** The step rows written (flushed to disk first: a checkpoint that records the count finds them there). */
    public long stepRows() {
        steps.flush();
        return steps.rows;
    }

    /** The epoch rows written (flushed first, as {@link #stepRows()}). */
    public long epochRows() {
        epochs.flush();
        return epochs.rows;
    }

    /** Cuts both tables back to the given row counts (what a checkpoint had seen) and appends from there. */
    public void truncate(long stepRows, long epochRows) {
        steps.truncate(stepRows);
        epochs.truncate(epochRows);
    }

    /**
     * What a step row holds, the same on every engine: the step (counted from 1), the epoch (from 1), the batch, the
     * loss, whether the step was skipped, then each group's lr ({@code lr0}, ...) and momentum or beta1
     * ({@code momentum0}, ...; {@code momentum} null: the optimizer has none) after the step, as the run's schedules
     * left them, then each scheduled hyper-parameter's values ({@code weight_decay0}, ...).
     */
    public static Map<String, Object> stepRow(long step, int epoch, int batch, double loss, boolean skipped, double[] lr,
                                              double[] momentum, Map<String, double[]> hyper) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("epoch", epoch);
        row.put("batch", batch);
        row.put("loss", loss);
        row.put("skipped", skipped);
        putGroups(row, "lr", lr);
        if (momentum != null) {
            putGroups(row, "momentum", momentum);
        }
        hyper.forEach((name, values) -> putGroups(row, name, values));
        return row;
    }

    /**
     * What an epoch row holds (a validation, at an epoch end or every N steps): the epoch (from 1), the step, whether
     * it ends the epoch, the train and validation figures, each group's lr after the epoch's schedule step, and whether
     * it is the best so far; {@link #putGroups} adds engine-specific columns after these.
     */
    public static Map<String, Object> epochRow(int epoch, long step, boolean epochEnd, double trainLoss, double valLoss,
                                               double valAccuracy, double[] lr, boolean best) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch);
        row.put("step", step);
        row.put("epoch_end", epochEnd);
        row.put("train_loss", trainLoss);
        row.put("val_loss", valLoss);
        row.put("val_accuracy", valAccuracy);
        putGroups(row, "lr", lr);
        row.put("best", best);
        return row;
    }

    /** Columns {@code name0}, {@code name1}, ... holding each group's value. */
    public static void putGroups(Map<String, Object> row, String name, double[] values) {
        for (int g = 0; g < values.length; g++) {
            row.put(name + g, values[g]);
        }
    }

    @Override
    public void close() {
        steps.close();
        epochs.close();
    }

    /** One table written both as JSON lines and as CSV (its header from the first row's keys). */
    private static final class Table {
        private final Path jsonl;
        private final Path csv;
        private BufferedWriter json;
        private BufferedWriter comma;
        private List<String> columns;
        private final StringBuilder line = new StringBuilder(256);
        private final List<String> texts = new ArrayList<>();
        private char[] chars = new char[256];
        long rows;

        Table(Path dir, String name) {
            this.jsonl = dir.resolve(name + ".jsonl");
            this.csv = dir.resolve(name + ".csv");
        }

        void write(Map<String, Object> row) {
            try {
                if (json == null) {
                    Files.createDirectories(jsonl.toAbsolutePath().getParent());
                    json = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    boolean fresh = !Files.exists(csv) || Files.size(csv) == 0;
                    columns = new ArrayList<>(row.keySet());
                    if (!fresh) {
                        columns = continuedColumns(columns);
                    }
                    comma = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    if (fresh) {
                        comma.write(String.join(",", columns));
                        comma.newLine();
                    }
                }
                if (!writePlain(row)) {
                    json.write(Jackson.JSON.writeValueAsString(row));
                    json.newLine();
                    List<String> cells = new ArrayList<>();
                    for (String c : columns) {
                        Object v = row.get(c);
                        cells.add(v == null ? "" : String.valueOf(v));
                    }
                    comma.write(String.join(",", cells));
                    comma.newLine();
                }
                rows++;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the metrics log in " + jsonl.getParent(), e);
            }
        }

        /**
         * The columns of rows appended to an existing CSV (a resume): its header's, then any of {@code mine} it lacks. A
         * log written before a column was added (a checkpoint of an older lr4j: epochs.csv before lr_trained0) gets the
         * new columns in its header, so every row has one cell per column or fewer, never more; its rows stay as they
         * are. A header equal to {@code mine}, every other resume's, leaves the file untouched.
         */
        private List<String> continuedColumns(List<String> mine) throws IOException {
            String header;
            try (java.io.BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                header = in.readLine();
            }
            if (header == null || header.equals(String.join(",", mine))) {
                return mine;
            }
            List<String> merged = new ArrayList<>(List.of(header.split(",", -1)));
            for (String c : mine) {
                if (!merged.contains(c)) {
                    merged.add(c);
                }
            }
            if (merged.size() > header.split(",", -1).length) {
                List<String> all = Files.readAllLines(csv, StandardCharsets.UTF_8);
                all.set(0, String.join(",", merged));
                Files.write(csv, all, StandardCharsets.UTF_8);
            }
            return merged;
        }

        /**
         * Writes a row whose keys are plain names and whose values are numbers, booleans or null, as Jackson would
         * (a double with {@link Double#toString}, a non-finite one quoted) and as the CSV cell {@code String.valueOf};
         * false (nothing written) for any other row.
         */
        private boolean writePlain(Map<String, Object> row) throws IOException {
            for (Map.Entry<String, Object> e : row.entrySet()) {
                Object v = e.getValue();
                if (!plainName(e.getKey()) || v != null && !(v instanceof Double || v instanceof Long || v instanceof Integer
                        || v instanceof Boolean || v instanceof Float || v instanceof Short || v instanceof Byte)) {
                    return false;
                }
            }
            line.setLength(0);
            line.append('{');
            texts.clear();
            boolean inColumnOrder = row.size() == columns.size();
            for (Map.Entry<String, Object> e : row.entrySet()) {
                Object v = e.getValue();
                String text = v == null ? null : v.toString(); // as String.valueOf, once for both files
                if (!texts.isEmpty()) {
                    line.append(',');
                }
                inColumnOrder &= e.getKey().equals(columns.get(Math.min(texts.size(), columns.size() - 1)));
                texts.add(text);
                line.append('"').append(e.getKey()).append("\":");
                if (v == null) {
                    line.append("null");
                } else if (v instanceof Double d && !Double.isFinite(d) || v instanceof Float f && !Float.isFinite(f)) {
                    line.append('"').append(text).append('"');
                } else {
                    line.append(text);
                }
            }
            line.append('}');
            write(json, line);
            line.setLength(0);
            for (int c = 0; c < columns.size(); c++) {
                if (c > 0) {
                    line.append(',');
                }
                String text = inColumnOrder ? texts.get(c) : textOf(row.get(columns.get(c)));
                if (text != null) {
                    line.append(text);
                }
            }
            write(comma, line);
            return true;
        }

        private static String textOf(Object v) {
            return v == null ? null : v.toString();
        }

        /** {@code line} and a line end, through a reused char buffer. */
        private void write(BufferedWriter to, StringBuilder text) throws IOException {
            if (chars.length < text.length()) {
                chars = new char[Math.max(text.length(), 2 * chars.length)];
            }
            text.getChars(0, text.length(), chars, 0);
            to.write(chars, 0, text.length());
            to.newLine();
        }

        /** A key Jackson writes as it is (no character that needs escaping). */
        private static boolean plainName(String key) {
            for (int k = 0; k < key.length(); k++) {
                char ch = key.charAt(k);
                if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-'
                        || ch == '.' || ch == ' ')) {
                    return false;
                }
            }
            return true;
        }

        void flush() {
            try {
                if (json != null) {
                    json.flush();
                    comma.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the metrics log in " + jsonl.getParent(), e);
            }
        }

        void truncate(long keep) {
            close();
            try {
                if (keep == 0) { // no row left: the header goes too (the next run's columns may differ)
                    Files.deleteIfExists(jsonl);
                    Files.deleteIfExists(csv);
                    rows = 0;
                    return;
                }
                cut(jsonl, keep);
                cut(csv, keep + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            rows = keep;
        }

        private static void cut(Path file, long lines) throws IOException {
            if (!Files.exists(file)) {
                return;
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (all.size() > lines) {
                Files.write(file, all.subList(0, (int) lines), StandardCharsets.UTF_8);
            }
        }

        void close() {
            try {
                if (json != null) {
                    json.close();
                    comma.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            json = null;
            comma = null;
        }
    }
}
