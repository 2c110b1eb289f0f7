package io.github.lr4j.cli;

import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts with XChart, stacked into one PNG or SVG (e.g. an lr panel above a momentum panel). */
final class Charts {
    private Charts() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One named curve. */
    record Line(String name, double[] x, double[] y) { }

    static XYChart chart(String title, String yTitle, List<Line> lines, int width, int height, boolean logY) {
        return chart(title, "step", yTitle, lines, width, height, logY, false);
    }

    static XYChart chart(String title, String xTitle, String yTitle, List<Line> lines, int width, int height, boolean logY,
                         boolean logX) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        org.knowm.xchart.style.XYStyler s = chart.getStyler();
        // Below the plot: a legend inside it covers data somewhere (a momentum cycle's end, the last epochs' accuracy).
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(230, 230, 230));
        s.setLegendVisible(lines.size() > 1);
        chart.getStyler().setYAxisLogarithmic(logY);
        s.setYAxisDecimalPattern(logY ? "0.#E0" : "0.####");
        s.setXAxisLogarithmic(logX);
        double span = 0;
        for (Line l : lines) {
            span = Math.max(span, l.x().length == 0 ? 0 : l.x()[l.x().length - 1]);
        }
        if (!logX && span > 50) {
            // XChart puts a label on every data point of a long axis; keep only round steps (about ten of them).
            double lastX = 1;
            for (Line l : lines) {
                lastX = Math.max(lastX, l.x().length == 0 ? 1 : l.x()[l.x().length - 1]);
            }
            double every = niceStep(lastX / 10);
            s.setxAxisTickLabelsFormattingFunction(x -> Math.abs(x / every - Math.rint(x / every)) < 1e-9
                    ? String.valueOf(Math.round(x)) : " ");
        }
        for (Line original : lines) {
            Line line = downsample(original, 1000);
            double[] x = line.x();
            double[] y = line.y();
            if (logY) {
                // A log axis cannot show 0: leave those points out.
                int k = 0;
                double[] xs = new double[x.length];
                double[] ys = new double[y.length];
                for (int i = 0; i < x.length; i++) {
                    if (y[i] > 0) {
                        xs[k] = x[i];
                        ys[k++] = y[i];
                    }
                }
                x = java.util.Arrays.copyOf(xs, Math.max(k, 1));
                y = java.util.Arrays.copyOf(ys, Math.max(k, 1));
                if (k == 0) {
                    y[0] = 1e-12;
                }
            }
            XYSeries series = chart.addSeries(line.name(), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        return chart;
    }

    /**
     * About {@code max} points at most: x is cut into bins 1, 2, 5, 10, 20, ... wide and each bin's
     * points are replaced by their mean at the bin's start. Keeps charts and SVGs light.
     */
    static Line downsample(Line line, int max) {
        int n = line.x().length;
        if (n <= max) {
            return line;
        }
        double span = line.x()[n - 1] - line.x()[0];
        double k = niceStep(Math.max(1, span / max));
        List<Double> xs = new java.util.ArrayList<>();
        List<Double> ys = new java.util.ArrayList<>();
        int i = 0;
        while (i < n) {
            double bin = Math.floor(line.x()[i] / k);
            double sum = 0;
            int count = 0;
            while (i < n && Math.floor(line.x()[i] / k) == bin) {
                sum += line.y()[i++];
                count++;
            }
            xs.add(bin * k); // aligned bins: round x values (0, 500, 1000, ...) stay on the axis
            ys.add(sum / count);
        }
        return new Line(line.name(), xs.stream().mapToDouble(Double::doubleValue).toArray(),
                ys.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return Math.max(1, m * p);
            }
        }
        return Math.max(1, 10 * p);
    }

    /** Writes the charts stacked vertically as a PNG. */
    static void png(List<XYChart> charts, OutputStream out) throws IOException {
        int width = charts.get(0).getWidth();
        int height = charts.stream().mapToInt(XYChart::getHeight).sum();
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int y = 0;
        for (XYChart c : charts) {
            Graphics2D sub = (Graphics2D) g.create(0, y, width, c.getHeight());
            c.paint(sub, width, c.getHeight());
            sub.dispose();
            y += c.getHeight();
        }
        g.dispose();
        ImageIO.write(image, "png", out);
    }

    /**
     * The charts stacked vertically as an SVG document, with a {@code <title>} and a {@code <desc>}
     * naming every series (XChart draws text as outlines, so these keep the figure readable to tools).
     */
    static String svg(List<XYChart> charts, String title, List<String> series) throws IOException {
        int width = charts.get(0).getWidth();
        int height = charts.stream().mapToInt(XYChart::getHeight).sum();
        VectorGraphics2D g = new VectorGraphics2D();
        int y = 0;
        for (XYChart c : charts) {
            Graphics2D sub = (Graphics2D) g.create();
            sub.translate(0, y);
            sub.clipRect(0, 0, width, c.getHeight());
            c.paint(sub, width, c.getHeight());
            sub.dispose();
            y += c.getHeight();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new SVGProcessor().getDocument(g.getCommands(), new PageSize(0, 0, width, height)).writeTo(bytes);
        String svg = bytes.toString(StandardCharsets.UTF_8);
        int open = svg.indexOf('>', svg.indexOf("<svg")) + 1;
        String meta = "\n  <title>" + PlotCommand.escape(title) + "</title>\n  <desc>"
                + PlotCommand.escape(String.join("; ", series)) + "</desc>";
        return svg.substring(0, open) + meta + svg.substring(open);
    }
}
