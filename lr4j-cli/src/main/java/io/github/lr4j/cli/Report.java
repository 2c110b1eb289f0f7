package io.github.lr4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;

/**
 * A run's report folder: charts of lr, momentum, loss and accuracy (PNG and SVG, drawn from the
 * metrics logs, so a resumed run is charted whole) and one self-contained {@code index.html}.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: its name, its logs, and the summary rows shown in the table. */
    record Run(String name, List<Map<String, Object>> steps, List<Map<String, Object>> epochs, Map<String, Object> summary) {
        @SuppressWarnings("unchecked")
        static Run read(String name, Path logs, Map<String, Object> summary) {
            return new Run(name, lines(logs.resolve("steps.jsonl")), lines(logs.resolve("epochs.jsonl")), summary);
        }

        @SuppressWarnings("unchecked")
        private static List<Map<String, Object>> lines(Path file) {
            List<Map<String, Object>> out = new ArrayList<>();
            try {
                if (Files.exists(file)) {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            out.add(JSON.readValue(line, Map.class));
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            return out;
        }

        int groups() {
            int g = 0;
            while (!steps.isEmpty() && steps.get(0).containsKey("lr" + g)) {
                g++;
            }
            return g;
        }
    }

    private Report() {
    }

    private static double[] column(List<Map<String, Object>> rows, String key) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = rows.get(i).get(key);
            out[i] = v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
        }
        return out;
    }

    /** Writes the charts and index.html into {@code dir}; returns the chart files written. */
    static List<Path> write(Path dir, String title, List<String> notes, List<Run> runs) throws IOException {
        Files.createDirectories(dir);
        boolean several = runs.size() > 1;
        List<Charts.Line> lr = new ArrayList<>();
        List<Charts.Line> momentum = new ArrayList<>();
        List<Charts.Line> loss = new ArrayList<>();
        List<Charts.Line> accuracy = new ArrayList<>();
        for (Run run : runs) {
            String prefix = several ? run.name() + " " : "";
            double[] steps = column(run.steps(), "step");
            for (int g = 0; g < run.groups(); g++) {
                String suffix = run.groups() > 1 ? "group " + g : "";
                lr.add(new Charts.Line((prefix + suffix).isBlank() ? "lr" : (prefix + suffix).strip(), steps,
                        column(run.steps(), "lr" + g)));
                if (run.steps().get(0).containsKey("momentum" + g)) {
                    double[] m = column(run.steps(), "momentum" + g);
                    boolean moves = false;
                    for (double v : m) {
                        moves |= v != m[0];
                    }
                    if (moves) {
                        momentum.add(new Charts.Line((prefix + suffix).isBlank() ? "momentum" : (prefix + suffix).strip(), steps, m));
                    }
                }
            }
            if (run.steps().stream().anyMatch(r -> r.containsKey("loss"))) {
                loss.add(new Charts.Line(prefix + "train loss (mean over bins of steps)", steps, column(run.steps(), "loss")));
            }
            List<Map<String, Object>> ends = run.epochs().stream().filter(e -> Boolean.TRUE.equals(e.get("epoch_end"))).toList();
            loss.add(new Charts.Line(prefix + "validation loss", column(ends, "step"), column(ends, "val_loss")));
            accuracy.add(new Charts.Line(several ? run.name() : "validation accuracy", column(ends, "epoch"), column(ends, "val_accuracy")));
        }
        List<Path> files = new ArrayList<>();
        List<String> svgs = new ArrayList<>();
        chart(dir, "lr", Charts.chart("Learning rate", "step", "lr", lr, 900, 380, false, false), lr, files, svgs);
        if (!momentum.isEmpty()) {
            chart(dir, "momentum", Charts.chart("Momentum (or beta1)", "step", "momentum", momentum, 900, 300, false, false),
                    momentum, files, svgs);
        }
        chart(dir, "loss", Charts.chart("Loss", "step", "cross-entropy", loss, 900, 380, true, false), loss, files, svgs);
        chart(dir, "accuracy", Charts.chart("Validation accuracy", "epoch", "accuracy", accuracy, 900, 320, false, false),
                accuracy, files, svgs);
        Files.writeString(dir.resolve("index.html"), html(title, notes, runs, svgs), StandardCharsets.UTF_8);
        files.add(dir.resolve("index.html"));
        return files;
    }

    private static void chart(Path dir, String name, XYChart chart, List<Charts.Line> lines, List<Path> files, List<String> svgs)
            throws IOException {
        Path png = dir.resolve(name + ".png");
        try (OutputStream out = Files.newOutputStream(png)) {
            Charts.png(List.of(chart), out);
        }
        List<String> names = lines.stream().map(Charts.Line::name).toList();
        String svg = Charts.svg(List.of(chart), chart.getTitle(), names);
        Path svgFile = dir.resolve(name + ".svg");
        Files.writeString(svgFile, svg, StandardCharsets.UTF_8);
        files.add(png);
        files.add(svgFile);
        svgs.add(svg.substring(svg.indexOf("<svg")));
    }

    private static String html(String title, List<String> notes, List<Run> runs, List<String> svgs) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(PlotCommand.escape(title))
          .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}")
          .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
          .append("th{background:#f4f4f4}code{background:#f4f4f4;padding:2px 4px}</style></head><body>\n<h1>")
          .append(PlotCommand.escape(title)).append("</h1>\n");
        for (String note : notes) {
            sb.append("<p>").append(PlotCommand.escape(note)).append("</p>\n");
        }
        if (!runs.isEmpty()) {
            List<String> keys = new ArrayList<>(runs.get(0).summary().keySet());
            sb.append("<table>\n<tr><th>run</th>");
            keys.forEach(k -> sb.append("<th>").append(PlotCommand.escape(k)).append("</th>"));
            sb.append("</tr>\n");
            for (Run r : runs) {
                sb.append("<tr><td>").append(PlotCommand.escape(r.name())).append("</td>");
                keys.forEach(k -> sb.append("<td>").append(PlotCommand.escape(String.valueOf(r.summary().get(k)))).append("</td>"));
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        for (String svg : svgs) {
            sb.append("<figure>").append(svg).append("</figure>\n");
        }
        return sb.append("<p>The metrics logs (<code>steps.jsonl</code>, <code>steps.csv</code>, <code>epochs.jsonl</code>,")
                .append(" <code>epochs.csv</code>) are in the <code>logs</code> folder(s) beside this page. Made by lr4j.</p>\n")
                .append("</body></html>\n").toString();
    }

    /** Writes rows as {@code NAME.jsonl} and {@code NAME.csv} (the header from the first row's keys), as lr4j-train's log does. */
    static void writeLog(Path logs, String name, List<Map<String, Object>> rows) throws IOException {
        Files.createDirectories(logs);
        StringBuilder jsonl = new StringBuilder();
        StringBuilder csv = new StringBuilder();
        if (!rows.isEmpty()) {
            List<String> columns = new ArrayList<>(rows.get(0).keySet());
            csv.append(String.join(",", columns)).append('\n');
            for (Map<String, Object> row : rows) {
                jsonl.append(JSON.writeValueAsString(row)).append('\n');
                csv.append(String.join(",", columns.stream().map(c -> row.get(c) == null ? "" : String.valueOf(row.get(c))).toList()))
                        .append('\n');
            }
        }
        Files.writeString(logs.resolve(name + ".jsonl"), jsonl, StandardCharsets.UTF_8);
        Files.writeString(logs.resolve(name + ".csv"), csv, StandardCharsets.UTF_8);
    }

    static Map<String, Object> summary(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
