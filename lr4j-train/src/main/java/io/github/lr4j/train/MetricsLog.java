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
 * (one row per validation). Rows are flushed as they are written; on resume the files are cut back
 * to the rows the checkpoint had seen.
 */
public final class MetricsLog implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
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
    }

    public long stepRows() {
        return steps.rows;
    }

    public long epochRows() {
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
                    comma = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    columns = new ArrayList<>(row.keySet());
                    if (fresh) {
                        comma.write(String.join(",", columns));
                        comma.newLine();
                    }
                }
                json.write(JSON.writeValueAsString(row));
                json.newLine();
                List<String> cells = new ArrayList<>();
                for (String c : columns) {
                    Object v = row.get(c);
                    cells.add(v == null ? "" : String.valueOf(v));
                }
                comma.write(String.join(",", cells));
                comma.newLine();
                json.flush();
                comma.flush();
                rows++;
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
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
