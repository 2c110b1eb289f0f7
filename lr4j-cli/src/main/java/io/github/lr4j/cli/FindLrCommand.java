package io.github.lr4j.cli;

import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.LrFinder;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lr4j find-lr}: the learning-rate range test on the digits model. */
@Command(name = "find-lr", mixinStandardHelpOptions = true,
        header = "Learning-rate range test on the digits model; prints the suggested lr and draws the curve.",
        description = {"Runs the learning-rate range test: trains the digits MLP for up to --steps batches while the lr",
            "sweeps from --min-lr to --max-lr, stops when the smoothed loss diverges, prints the suggestions (steepest",
            "descent, valley, minimum/10) and draws loss against lr. The model and optimizer are left as they were."},
        footer = {"", "Examples:", "  lr4j find-lr", "  lr4j find-lr --optimizer 'AdamW(lr=1e-3)' --min-lr 1e-6 --max-lr 1 -o adamw-lr.png"})
final class FindLrCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    TrainOptions options;

    @Option(names = "--min-lr", defaultValue = "1e-6", description = "start of the sweep (default: ${DEFAULT-VALUE})")
    double minLr;

    @Option(names = "--max-lr", defaultValue = "10", description = "end of the sweep (default: ${DEFAULT-VALUE})")
    double maxLr;

    @Option(names = "--steps", defaultValue = "200", description = "batches in the sweep (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--linear", description = "sweep linearly instead of exponentially")
    boolean linear;

    @Option(names = {"-o", "--output"}, defaultValue = "lr-finder.png", description = "chart: .png or .svg (default: ${DEFAULT-VALUE})")
    Path output;

    @Override
    public Integer call() throws Exception {
        DigitsRecipe.Run run = options.recipe(null).build();
        LrFinder.Result r = new LrFinder().range(minLr, maxLr).steps(steps).exponential(!linear).batchSize(options.batchSize)
                .seed(options.seed).run(run.model(), run.optimizer(), run.train());
        PrintWriter out = spec.commandLine().getOut();
        out.println(String.format(Locale.ROOT, "suggested lr %.3g (steepest descent); valley %.3g; minimum/10 %.3g", r.steepest(),
                r.valley(), r.minimumOverTen()));
        out.println(String.format(Locale.ROOT, "swept %d steps from %.3g to %.3g%s", r.lrs().length, r.lrs()[0],
                r.lrs()[r.lrs().length - 1], r.diverged() ? " (stopped: the loss diverged)" : ""));
        List<Charts.Line> lines = List.of(new Charts.Line("loss", r.lrs(), r.losses()), new Charts.Line("smoothed loss", r.lrs(),
                r.smoothed()));
        var chart = Charts.chart(String.format(Locale.ROOT, "lr range test: suggested %.3g", r.steepest()), "lr", "loss", lines,
                900, 450, false, !linear);
        String name = output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (output.toAbsolutePath().getParent() != null) {
            Files.createDirectories(output.toAbsolutePath().getParent());
        }
        if (name.endsWith(".svg")) {
            Files.writeString(output, Charts.svg(List.of(chart), "lr range test", List.of("loss", "smoothed loss")), StandardCharsets.UTF_8);
        } else if (name.endsWith(".png")) {
            try (OutputStream o = Files.newOutputStream(output)) {
                Charts.png(List.of(chart), o);
            }
        } else {
            throw new IllegalArgumentException("-o must end in .png or .svg, got " + output);
        }
        out.println("chart: " + output);
        out.flush();
        return 0;
    }
}
