package io.github.lr4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.train.MetricsLog;
import io.github.lr4j.train.RunState;
import io.github.lr4j.train.TrainingLoop;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * A run's report folder: one {@code index.html} whose charts (lr, momentum, each scheduled hyper-parameter, loss,
 * accuracy) the browser draws with Apache ECharts from the run's data inlined in the page (hover values, zoom, a
 * log-scale toggle), {@code echarts.min.js} beside it (copied from the ECharts WebJar), and the same charts as PNG
 * and SVG files for papers. Everything is drawn from the metrics logs, so a resumed run is charted whole. One page
 * code serves {@code train} (one run) and {@code compare} (several runs: one colour per run in every chart).
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The file written beside index.html; the page loads it with a relative {@code <script src>}. */
    static final String ECHARTS_FILE = "echarts.min.js";

    /** At most this many points per curve in the page (the PNG/SVG files keep their own limit). */
    static final int PAGE_POINTS = 1500;

    /** One colour per run (compare) or per curve (train), the same in the page and in the PNG/SVG files. */
    static final List<String> PALETTE = List.of("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    /** Step-row columns that are not scheduled values. */
    private static final Set<String> STEP_COLUMNS = Set.of("step", "epoch", "batch", "loss", "skipped");

    /** One run: its name, its logs, and the summary rows shown in the table. */
    record Run(String name, List<Map<String, Object>> steps, List<Map<String, Object>> epochs, Map<String, Object> summary) {
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

        /**
         * This run with the epochs its logs lack taken from the run's history (a checkpoint's, for a run resumed into
         * a new folder): one epoch row per missing epoch end, and before the first logged step one step row per
         * epoch end (its lr and the epoch's mean train loss; values the history does not hold are left empty).
         */
        Run withHistory(List<TrainingLoop.EpochInfo> history) {
            Set<Object> logged = new java.util.HashSet<>();
            epochs.stream().filter(e -> Boolean.TRUE.equals(e.get("epoch_end"))).forEach(e -> logged.add(e.get("epoch")));
            List<Map<String, Object>> epochRows = new ArrayList<>();
            List<Map<String, Object>> stepRows = new ArrayList<>();
            long firstStep = steps.isEmpty() ? Long.MAX_VALUE : ((Number) steps.get(0).get("step")).longValue();
            for (TrainingLoop.EpochInfo e : history) {
                if (!logged.contains(e.epoch() + 1)) {
                    epochRows.add(MetricsLog.epochRow(e.epoch() + 1, e.step(), true, e.trainLoss(), e.valLoss(), e.valAccuracy(),
                            e.lr(), e.best()));
                }
                if (e.step() < firstStep) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    if (!steps.isEmpty()) {
                        steps.get(0).keySet().forEach(k -> row.put(k, null));
                    }
                    row.putAll(MetricsLog.stepRow(e.step(), e.epoch() + 1, -1, e.trainLoss(), false, e.lr(), null, Map.of()));
                    row.put("batch", null);
                    row.put("skipped", null);
                    stepRows.add(row);
                }
            }
            epochRows.addAll(epochs);
            stepRows.addAll(steps);
            return new Run(name, stepRows, epochRows, summary);
        }

        int groups() {
            return groups("lr");
        }

        /** How many groups have a {@code name0}, {@code name1}, ... column in the step rows. */
        int groups(String name) {
            int g = 0;
            while (!steps.isEmpty() && steps.get(0).containsKey(name + g)) {
                g++;
            }
            return g;
        }

        /** The scheduled hyper-parameter column groups of the step rows ({@code weight_decay} for weight_decay0, ...). */
        List<String> hyperParameters() {
            Set<String> out = new LinkedHashSet<>();
            if (!steps.isEmpty()) {
                for (String key : steps.get(0).keySet()) {
                    String base = key.replaceFirst("[0-9]+$", "");
                    if (!base.equals(key) && !base.equals("lr") && !base.equals("momentum") && !STEP_COLUMNS.contains(base)) {
                        out.add(base);
                    }
                }
            }
            return List.copyOf(out);
        }
    }

    /**
     * The run's lengths as the report's header names them: "epochs 4 (steps 0-63), then 6 from epoch 5
     * (--continue-at-final-lr)", the steps of each from the history's epoch ends.
     */
    static String horizons(List<RunState.Horizon> horizons, List<TrainingLoop.EpochInfo> history) {
        StringBuilder sb = new StringBuilder("epochs ");
        long start = 0;
        for (int i = 0; i < horizons.size(); i++) {
            RunState.Horizon h = horizons.get(i);
            if (i > 0) {
                sb.append(", then ").append(h.epochs()).append(" from epoch ").append(h.fromEpoch() + 1).append(" (")
                        .append(switch (h.how()) {
                            case "restart-schedule" -> "--restart-schedule";
                            case "continue-at-final-lr" -> "--continue-at-final-lr";
                            default -> "--resume: the rest of the schedule stretched to the new end";
                        }).append(")");
            } else {
                sb.append(h.epochs());
            }
            int endEpoch = i + 1 < horizons.size() ? horizons.get(i + 1).fromEpoch() : history.size();
            long end = endEpoch > 0 && endEpoch <= history.size() ? history.get(endEpoch - 1).step() : start;
            if (end > start) {
                sb.append(" (steps ").append(start).append("-").append(end).append(")");
            }
            start = end;
        }
        return sb.toString();
    }

    /** One curve: its name, its colour (an index into {@link #PALETTE}), solid or dashed, and its points. */
    record Series(String name, int colour, boolean dashed, double[] x, double[] y) {
        Charts.Line line() {
            return new Charts.Line(name, x, y);
        }
    }

    /**
     * One chart: its file name and element id, titles, whether its y axis starts logarithmic, a percent axis, its
     * curves and whether it has a legend (several curves, or several runs: one curve still names its run).
     */
    record Panel(String id, String title, String xTitle, String yTitle, boolean logY, boolean percent, List<Series> series,
                 boolean legend) {
        Panel(String id, String title, String xTitle, String yTitle, boolean logY, boolean percent, List<Series> series, int runs) {
            this(id, title, xTitle, yTitle, logY, percent, series, series.size() > 1 || runs > 1);
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

    private static boolean moves(double[] values) {
        for (double v : values) {
            if (Double.compare(v, values[0]) != 0) {
                return true;
            }
        }
        return false;
    }

    /** The charts of the runs, in page order: lr, momentum (if any moves), each scheduled hyper-parameter, loss, accuracy. */
    static List<Panel> panels(List<Run> runs) {
        boolean several = runs.size() > 1;
        List<Series> lr = new ArrayList<>();
        List<Series> momentum = new ArrayList<>();
        boolean momentumMoves = false;
        Map<String, List<Series>> hyper = new LinkedHashMap<>();
        List<Series> loss = new ArrayList<>();
        List<Series> accuracy = new ArrayList<>();
        for (int r = 0; r < runs.size(); r++) {
            Run run = runs.get(r);
            if (run.steps().isEmpty() && run.epochs().isEmpty()) {
                continue;
            }
            int colour = r;
            String prefix = several ? run.name() + " " : "";
            double[] steps = column(run.steps(), "step");
            int groups = run.groups();
            for (int g = 0; g < groups; g++) {
                String suffix = groups > 1 ? "group " + g : "";
                // One run: a colour per group; several: a colour per run, groups told apart by dashes.
                int c = several ? colour : g;
                boolean dashed = several && g > 0;
                lr.add(new Series(name(prefix, suffix, "lr"), c, dashed, steps, column(run.steps(), "lr" + g)));
                if (run.steps().get(0).containsKey("momentum" + g)) {
                    // Every run's momentum once one run's moves (a compare report shows the constant ones beside it).
                    double[] m = column(run.steps(), "momentum" + g);
                    momentumMoves |= moves(m);
                    momentum.add(new Series(name(prefix, suffix, "momentum"), c, dashed, steps, m));
                }
            }
            for (String h : run.hyperParameters()) {
                int hg = run.groups(h);
                for (int g = 0; g < hg; g++) {
                    String suffix = hg > 1 ? "group " + g : "";
                    hyper.computeIfAbsent(h, k -> new ArrayList<>()).add(new Series(name(prefix, suffix, h), several ? colour : g,
                            several && g > 0, steps, column(run.steps(), h + g)));
                }
            }
            if (run.steps().stream().anyMatch(row -> row.get("loss") instanceof Number)) {
                Series train = binnedMean(new Series(prefix + "train loss", several ? colour : 0, false, steps,
                        column(run.steps(), "loss")), 1000);
                loss.add(train);
            }
            List<Map<String, Object>> ends = run.epochs().stream().filter(e -> Boolean.TRUE.equals(e.get("epoch_end"))).toList();
            loss.add(new Series(prefix + "validation loss", several ? colour : 1, several, column(ends, "step"), column(ends, "val_loss")));
            double[] acc = column(ends, "val_accuracy");
            for (int i = 0; i < acc.length; i++) {
                acc[i] *= 100;
            }
            accuracy.add(new Series(several ? run.name() : "validation accuracy", colour, false, column(ends, "epoch"), acc));
        }
        List<Panel> panels = new ArrayList<>();
        int n = runs.size();
        panels.add(new Panel("lr", "Learning rate", "step", "lr", false, false, lr, n));
        if (momentumMoves) {
            panels.add(new Panel("momentum", "Momentum (or beta1)", "step", "momentum", false, false, momentum, n));
        }
        hyper.forEach((h, series) -> panels.add(new Panel(h, "Scheduled " + h, "step", h, false, false, series, n)));
        panels.add(new Panel("loss", "Loss", "step", "cross-entropy", true, false, loss, n));
        panels.add(new Panel("accuracy", "Validation accuracy", "epoch", "accuracy (%)", false, true, accuracy, n));
        return panels;
    }

    private static String name(String prefix, String suffix, String alone) {
        String n = (prefix + suffix).strip();
        return n.isEmpty() ? alone : n;
    }

    /** The train loss, one point per optimizer step, as means over bins of steps (at most about {@code max} of them). */
    private static Series binnedMean(Series s, int max) {
        Charts.Line binned = Charts.downsample(s.line(), max);
        String name = binned.x().length == s.x().length ? s.name()
                : s.name() + " (mean over bins of " + Math.round(binned.x().length > 1 ? binned.x()[1] - binned.x()[0] : 1) + " steps)";
        return new Series(name, s.colour(), s.dashed(), binned.x(), binned.y());
    }

    /** Writes the charts (PNG, SVG), echarts.min.js and index.html into {@code dir}; returns the files written. */
    static List<Path> write(Path dir, String title, List<String> notes, List<Run> runs) throws IOException {
        Files.createDirectories(dir);
        List<Panel> panels = panels(runs);
        List<Path> files = new ArrayList<>();
        for (Panel p : panels) {
            XYChart chart = Charts.chart(p.title(), p.xTitle(), p.yTitle(), p.series().stream().map(Series::line).toList(), 900,
                    p.id().equals("lr") || p.id().equals("loss") ? 380 : 320, p.logY(), false);
            if (p.logY()) {
                chart.getStyler().setYAxisDecimalPattern("0.######"); // plain decimals: the loss axis read 1E0, 1E-1
            }
            // A legend whenever a chart has several curves or a compare report has several runs (one curve still names its run).
            chart.getStyler().setLegendVisible(p.legend());
            int i = 0;
            for (XYSeries xs : chart.getSeriesMap().values()) {
                Series s = p.series().get(i++);
                xs.setLineColor(Color.decode(PALETTE.get(s.colour() % PALETTE.size())));
                if (s.dashed()) {
                    xs.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f));
                }
            }
            Path png = dir.resolve(p.id() + ".png");
            try (OutputStream out = Files.newOutputStream(png)) {
                Charts.png(List.of(chart), out);
            }
            Path svg = dir.resolve(p.id() + ".svg");
            Files.writeString(svg, Charts.svg(List.of(chart), chart.getTitle(), p.series().stream().map(Series::name).toList()),
                    StandardCharsets.UTF_8);
            files.add(png);
            files.add(svg);
        }
        Path echarts = dir.resolve(ECHARTS_FILE);
        try (InputStream in = echartsScript()) {
            Files.write(echarts, in.readAllBytes());
        }
        files.add(echarts);
        Files.writeString(dir.resolve("index.html"), html(title, notes, runs, panels), StandardCharsets.UTF_8);
        files.add(dir.resolve("index.html"));
        return files;
    }

    /** {@code dist/echarts.min.js} of the ECharts WebJar on the classpath (its version read from the jar's pom.properties). */
    static InputStream echartsScript() throws IOException {
        ClassLoader loader = Report.class.getClassLoader();
        Properties pom = new Properties();
        try (InputStream in = loader.getResourceAsStream("META-INF/maven/org.webjars.npm/echarts/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the ECharts WebJar (org.webjars.npm:echarts) is not on the classpath");
            }
            pom.load(in);
        }
        String path = "META-INF/resources/webjars/echarts/" + pom.getProperty("version") + "/dist/echarts.min.js";
        InputStream script = loader.getResourceAsStream(path);
        if (script == null) {
            throw new IllegalStateException("the ECharts WebJar has no " + path);
        }
        return script;
    }

    /**
     * At most about {@code max} points of a curve for the page: every k-th point, the last one, and both ends of every
     * jump (a change larger than 1% of the curve's range), so that step schedules keep their exact corners.
     */
    static Series thin(Series s, int max) {
        int n = s.x().length;
        if (n <= max) {
            return s;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : s.y()) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double jump = (hi - lo) / 100;
        int every = (int) Math.ceil((double) n / max);
        boolean[] keep = new boolean[n];
        for (int i = 0; i < n; i++) {
            keep[i] |= i % every == 0 || i == n - 1;
            if (i > 0 && Math.abs(s.y()[i] - s.y()[i - 1]) > jump) {
                keep[i] = true;
                keep[i - 1] = true;
            }
        }
        int k = 0;
        double[] xs = new double[n];
        double[] ys = new double[n];
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                xs[k] = s.x()[i];
                ys[k++] = s.y()[i];
            }
        }
        return new Series(s.name(), s.colour(), s.dashed(), java.util.Arrays.copyOf(xs, k), java.util.Arrays.copyOf(ys, k));
    }

    /** A number as short as six significant digits allow ({@code null} for NaN, which JSON has not). */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = new BigDecimal(v).round(new MathContext(6)).stripTrailingZeros().toString();
        return s.replace("E+", "E");
    }

    /** The charts' data as JSON, inlined into the page: a page opened from disk cannot fetch data files. */
    static String data(List<Panel> panels) {
        StringBuilder sb = new StringBuilder("{\"palette\":[");
        for (int i = 0; i < PALETTE.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(PALETTE.get(i)).append('"');
        }
        sb.append("],\"charts\":[");
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            sb.append(p == 0 ? "" : ",").append("\n{\"id\":").append(str(panel.id())).append(",\"title\":").append(str(panel.title()))
                    .append(",\"x\":").append(str(panel.xTitle())).append(",\"y\":").append(str(panel.yTitle()))
                    .append(",\"log\":").append(panel.logY()).append(",\"percent\":").append(panel.percent())
                    .append(",\"legend\":").append(panel.legend()).append(",\"series\":[");
            for (int s = 0; s < panel.series().size(); s++) {
                Series series = thin(panel.series().get(s), PAGE_POINTS);
                sb.append(s == 0 ? "" : ",").append("\n{\"name\":").append(str(series.name())).append(",\"colour\":")
                        .append(series.colour() % PALETTE.size()).append(",\"dashed\":").append(series.dashed()).append(",\"x\":[");
                for (int i = 0; i < series.x().length; i++) {
                    sb.append(i == 0 ? "" : ",").append(number(series.x()[i]));
                }
                sb.append("],\"y\":[");
                for (int i = 0; i < series.y().length; i++) {
                    sb.append(i == 0 ? "" : ",").append(number(series.y()[i]));
                }
                sb.append("]}");
            }
            sb.append("]}");
        }
        return sb.append("]}").toString();
    }

    private static String str(String s) {
        try {
            // Inside <script>: "</" would end the element early.
            return JSON.writeValueAsString(s).replace("</", "<\\/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String html(String title, List<String> notes, List<Run> runs, List<Panel> panels) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(PlotCommand.escape(title))
          .append("</title>\n<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}")
          .append("table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px;text-align:right}")
          .append("th{background:#f4f4f4}code{background:#f4f4f4;padding:2px 4px}figure{margin:1.5em 0}")
          .append(".chart{width:100%;height:380px}figcaption{font-size:90%;color:#555}</style></head><body>\n<h1>")
          .append(PlotCommand.escape(title)).append("</h1>\n");
        for (String note : notes) {
            sb.append("<p>").append(PlotCommand.escape(note)).append("</p>\n");
        }
        if (!runs.isEmpty()) {
            List<String> keys = new ArrayList<>(runs.get(0).summary().keySet());
            sb.append("<table id=\"summary\">\n<tr><th>run</th>");
            keys.forEach(k -> sb.append("<th>").append(PlotCommand.escape(k)).append("</th>"));
            sb.append("</tr>\n");
            for (Run r : runs) {
                sb.append("<tr><td>").append(PlotCommand.escape(r.name())).append("</td>");
                keys.forEach(k -> sb.append("<td>").append(PlotCommand.escape(String.valueOf(r.summary().get(k)))).append("</td>"));
                sb.append("</tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("<p id=\"no-script\">The charts below are drawn by <code>").append(ECHARTS_FILE)
          .append("</code> beside this page; without it (or without JavaScript), see the PNG and SVG files.</p>\n");
        for (Panel p : panels) {
            String id = PlotCommand.escape(p.id());
            sb.append("<figure><div class=\"chart\" id=\"chart-").append(id).append("\" data-chart=\"").append(id).append("\"></div>")
              .append("<figcaption><label><input type=\"checkbox\" id=\"log-").append(id).append("\"").append(p.logY() ? " checked" : "")
              .append("> log scale</label> &middot; drag or scroll to zoom &middot; <a href=\"").append(id).append(".png\">PNG</a> ")
              .append("<a href=\"").append(id).append(".svg\">SVG</a></figcaption></figure>\n");
        }
        sb.append("<script type=\"application/json\" id=\"lr4j-data\">").append(data(panels)).append("</script>\n")
          .append("<script src=\"").append(ECHARTS_FILE).append("\"></script>\n<script>\n").append(PAGE_SCRIPT).append("</script>\n");
        return sb.append("<p>The metrics logs (<code>steps.jsonl</code>, <code>steps.csv</code>, <code>epochs.jsonl</code>,")
                .append(" <code>epochs.csv</code>) are in the <code>logs</code> folder(s) beside this page. Charts: Apache ECharts.")
                .append(" Made by lr4j.</p>\n</body></html>\n").toString();
    }

    /**
     * The page code, the same for one run and for many: one ECharts line chart per panel with hover values, zoom
     * (mouse wheel, drag, slider) and a log-scale toggle. Once a chart has drawn its points, its element gets
     * {@code data-rendered="true"}, {@code data-points} and {@code data-x-labels} (the x axis's numbers), and the body {@code data-charts-rendered} (how many
     * charts have), which lets a test of the page in a browser see that it rendered.
     */
    private static final String PAGE_SCRIPT = """
            (function () {
              if (typeof echarts === 'undefined') { return; }
              document.getElementById('no-script').style.display = 'none';
              var data = JSON.parse(document.getElementById('lr4j-data').textContent);
              var rendered = 0;
              function fmt(percent) {
                return function (v) {
                  if (v === null || v === undefined || isNaN(v)) { return '-'; }
                  var s = String(Number(Number(v).toPrecision(6)));
                  return percent ? s + '%' : s;
                };
              }
              data.charts.forEach(function (c) {
                var el = document.getElementById('chart-' + c.id);
                var box = document.getElementById('log-' + c.id);
                var chart = echarts.init(el);
                var points = 0;
                function option(log) {
                  var series = c.series.map(function (s) {
                    var pts = [];
                    for (var i = 0; i < s.x.length; i++) {
                      var y = s.y[i];
                      pts.push([s.x[i], y === null || (log && y <= 0) ? null : y]);
                    }
                    return {name: s.name, type: 'line', showSymbol: pts.length < 60, symbolSize: 4, connectNulls: false,
                      data: pts, color: data.palette[s.colour], lineStyle: {width: 1.6, type: s.dashed ? 'dashed' : 'solid'}};
                  });
                  points = series.reduce(function (n, s) { return n + s.data.filter(function (p) { return p[1] !== null; }).length; }, 0);
                  return {
                    animation: false,
                    title: {text: c.title, left: 'center', textStyle: {fontSize: 15}},
                    tooltip: {trigger: 'axis', valueFormatter: fmt(c.percent)},
                    legend: {show: c.legend, type: 'scroll', bottom: 0},
                    grid: {left: 70, right: 30, top: 40, bottom: c.legend ? 85 : 60},
                    toolbox: {feature: {dataZoom: {yAxisIndex: 'none'}, restore: {}, saveAsImage: {}}},
                    dataZoom: [{type: 'inside'}, {type: 'slider', height: 18, bottom: c.legend ? 30 : 8}],
                    xAxis: {type: 'value', name: c.x, nameLocation: 'middle', nameGap: 25, min: 'dataMin', max: 'dataMax',
                      minInterval: 1},
                    yAxis: {type: log ? 'log' : 'value', name: c.y, nameLocation: 'middle', nameGap: 55, scale: true,
                      axisLabel: {formatter: fmt(c.percent)}},
                    series: series
                  };
                }
                chart.on('finished', function () {
                  if (el.getAttribute('data-rendered') !== 'true' && points > 0) {
                    el.setAttribute('data-rendered', 'true');
                    el.setAttribute('data-points', String(points));
                    try { // the x axis's numbers as drawn, for a test of the page (an internal ECharts call: guarded)
                      el.setAttribute('data-x-labels', chart.getModel().getComponent('xAxis', 0).axis.getViewLabels()
                        .map(function (l) { return l.formattedLabel; }).join(' '));
                    } catch (e) { el.setAttribute('data-x-labels', ''); }
                    rendered++;
                    document.body.setAttribute('data-charts-rendered', String(rendered));
                  }
                });
                chart.setOption(option(box.checked));
                box.addEventListener('change', function () { chart.setOption(option(box.checked), {notMerge: true}); });
                window.addEventListener('resize', function () { chart.resize(); });
              });
            })();
            """;

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
