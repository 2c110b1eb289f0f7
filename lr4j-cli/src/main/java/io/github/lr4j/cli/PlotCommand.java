package io.github.lr4j.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j plot SPEC... -o FILE}: one line per schedule and group; a momentum panel where momentum moves. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        header = "Draw one or more schedules (lr and momentum) to PNG, SVG or HTML.",
        description = {"Draws the lr of every param group over --steps steps, for one or several schedules overlaid (with a",
            "legend), and a momentum panel below when a schedule changes momentum. The output format follows the file",
            "name: .png, .svg, or .html (a self-contained page with the SVG and the schedules' descriptions)."},
        footer = {"", "Examples:",
            "  lr4j plot 'OneCycleLR(max_lr=0.1, total_steps=1000)' --steps 1000 --momentum 0.9 -o onecycle.png",
            "  lr4j plot 'CosineAnnealingLR(T_max=100)' 'StepLR(step_size=30)' --steps 100 --log -o compare.svg",
            "  lr4j plot 'ReduceLROnPlateau(patience=3)' --metrics docs/examples/val_loss.txt --steps 40 -o plateau.html"})
final class PlotCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ScheduleInputs inputs;

    @Parameters(paramLabel = "SPEC", arity = "1..*", description = "one or more schedules (expression, JSON, or @FILE)")
    List<String> specs;

    @Option(names = "--steps", required = true, description = "steps to draw")
    long steps;

    @Option(names = {"-o", "--output"}, required = true, description = "the file to write: .png, .svg or .html")
    Path output;

    @Option(names = "--log", description = "logarithmic lr axis")
    boolean log;

    @Option(names = "--width", defaultValue = "900", description = "width in pixels (default: ${DEFAULT-VALUE})")
    int width;

    @Option(names = "--height", defaultValue = "450", description = "height of the lr panel in pixels (default: ${DEFAULT-VALUE})")
    int height;

    static final int MAX_SIDE = 5000;

    @Override
    public Integer call() throws IOException {
        Checks.steps(steps);
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        String format = name.endsWith(".png") ? "png" : name.endsWith(".svg") ? "svg" : name.endsWith(".html") ? "html" : null;
        if (format == null) {
            throw new IllegalArgumentException("-o must end in .png, .svg or .html, got " + output);
        }
        // The upper limits keep a PNG's pixel buffers around 100 MB (a 30000 x 30000 chart needs gigabytes and minutes).
        if (width < 200 || width > MAX_SIDE) {
            throw new IllegalArgumentException("--width must be in [200, " + MAX_SIDE + "] pixels, got " + width);
        }
        if (height < 150 || height > MAX_SIDE) {
            throw new IllegalArgumentException("--height must be in [150, " + MAX_SIDE + "] pixels, got " + height);
        }
        List<Simulation> sims = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            String label = specs.size() == 1 ? "" : (i + 1) + ": ";
            sims.add(new Simulation(label, inputs, specs.get(i), steps));
        }
        List<Charts.Line> lrs = new ArrayList<>();
        List<Charts.Line> momenta = new ArrayList<>();
        for (Simulation sim : sims) {
            double[] x = new double[sim.points()];
            for (int t = 0; t < x.length; t++) {
                x[t] = t;
            }
            for (int g = 0; g < sim.groups(); g++) {
                String series = sim.label + sim.scheduler.name() + (sim.groups() > 1 ? " group " + g : "");
                lrs.add(new Charts.Line(series, x, sim.report.lr()[g]));
                if (sim.momentumChanges()) {
                    momenta.add(new Charts.Line(series, x, sim.report.momentum()[g]));
                }
            }
        }
        List<XYChart> charts = new ArrayList<>();
        charts.add(Charts.chart("Learning rate", "lr", lrs, width, height, log));
        if (!momenta.isEmpty()) {
            charts.add(Charts.chart("Momentum (or beta1)", "momentum", momenta, width, height * 2 / 3, false));
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            List<String> names = new ArrayList<>();
            lrs.forEach(l -> names.add("lr: " + l.name()));
            momenta.forEach(l -> names.add("momentum: " + l.name()));
            String title = "lr4j: " + String.join(", ", specs);
            switch (format) {
                case "png":
                    try (OutputStream out = Files.newOutputStream(output)) {
                        Charts.png(charts, out);
                    }
                    break;
                case "svg":
                    Files.writeString(output, Charts.svg(charts, title, names), StandardCharsets.UTF_8);
                    break;
                default:
                    Files.writeString(output, html(sims, Charts.svg(charts, title, names)), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write " + output + ": " + InputFiles.reason(e));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output + " (" + sims.size() + " schedule" + (sims.size() > 1 ? "s" : "") + ", " + lrs.size()
                + " line" + (lrs.size() > 1 ? "s" : "") + (momenta.isEmpty() ? "" : ", momentum panel") + ")");
        for (Simulation sim : sims) {
            for (String w : sim.report.warnings()) {
                out.println("warning: " + sim.label + w);
            }
        }
        out.flush();
        return 0;
    }

    private static String html(List<Simulation> sims, String svg) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lr4j schedule</title>\n")
          .append("<style>body{font-family:sans-serif;max-width:960px;margin:2em auto;color:#222}")
          .append("code{background:#f4f4f4;padding:2px 4px}li.warn{color:#a40}</style></head><body>\n")
          .append("<h1>Learning-rate schedule</h1>\n");
        String body = svg.substring(svg.indexOf("<svg"));
        sb.append("<figure>").append(body).append("</figure>\n");
        for (Simulation sim : sims) {
            sb.append("<h2>").append(escape(sim.label + sim.scheduler.name())).append("</h2>\n<p><code>")
              .append(escape(sim.scheduler.toString())).append("</code></p>\n<ul>\n");
            for (String d : sim.report.description()) {
                sb.append("<li>").append(escape(d)).append("</li>\n");
            }
            for (String w : sim.report.warnings()) {
                sb.append("<li class=\"warn\">warning: ").append(escape(w)).append("</li>\n");
            }
            sb.append("</ul>\n");
        }
        return sb.append("<p>Made by <code>lr4j plot</code>.</p>\n</body></html>\n").toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
