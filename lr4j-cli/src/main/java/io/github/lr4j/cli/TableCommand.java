package io.github.lr4j.cli;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j table SPEC}: the lr (and momentum) of every group at every step, without training. */
@Command(name = "table", mixinStandardHelpOptions = true,
        description = {"Steps a schedule with no optimizer behind it and prints every group's lr (and momentum, where",
            "the schedule changes it) after construction (step 0) and after each step."},
        footer = {"", "Examples:",
            "  lr4j table 'StepLR(step_size=3, gamma=0.5)' --steps 10",
            "  lr4j table 'OneCycleLR(max_lr=[0.1, 0.01], total_steps=100)' --steps 100 --every 10 --momentum 0.9 --format md"})
final class TableCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SPEC", description = "a PyTorch scheduler expression; 'optimizer' may be left out")
    String expression;

    @Option(names = "--steps", defaultValue = "20", description = "steps to take (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--every", defaultValue = "1", description = "print every K-th step (default: ${DEFAULT-VALUE})")
    long every;

    @Option(names = "--groups", split = ",", defaultValue = "0.1",
            description = "base lr of each param group, comma-separated (default: ${DEFAULT-VALUE})")
    double[] groups;

    @Option(names = "--momentum", description = "give the groups this momentum (needed by OneCycleLR and CyclicLR cycling)")
    Double momentum;

    @Option(names = "--format", defaultValue = "csv", description = "csv, json or md (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--verbose", description = "print a stack trace on errors")
    boolean verbose;

    @Override
    public Integer call() {
        if (steps < 0) {
            throw new IllegalArgumentException("--steps must be >= 0, got " + steps);
        }
        if (every < 1) {
            throw new IllegalArgumentException("--every must be >= 1, got " + every);
        }
        if (!List.of("csv", "json", "md").contains(format)) {
            throw new IllegalArgumentException("--format must be csv, json or md, got " + format);
        }
        ParamGroups pg = momentum == null ? ParamGroups.of(groups)
                : ParamGroups.withMomentum(MomentumKind.MOMENTUM, groups, new double[] {momentum});
        Scheduler s = ScheduleSpec.build(expression, pg);
        if (!(s instanceof LrScheduler)) {
            throw new IllegalArgumentException(s.name() + " is driven by a metric; table needs a time-based schedule");
        }
        LrScheduler scheduler = (LrScheduler) s;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (long t = 0; t <= steps; t++) {
            if (t > 0) {
                scheduler.step();
            }
            if (t % every == 0 || t == steps) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", t);
                row.put("lr", scheduler.lastLrs());
                if (momentum != null) {
                    double[] m = new double[pg.size()];
                    for (int g = 0; g < m.length; g++) {
                        m[g] = pg.momentum(g);
                    }
                    row.put("momentum", m);
                }
                rows.add(row);
            }
        }
        print(rows, pg.size());
        return 0;
    }

    private void print(List<Map<String, Object>> rows, int n) {
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            out.println(Json.write(rows));
            out.flush();
            return;
        }
        List<String> header = new ArrayList<>();
        header.add("step");
        for (int g = 0; g < n; g++) {
            header.add("lr" + g);
        }
        if (momentum != null) {
            for (int g = 0; g < n; g++) {
                header.add("momentum" + g);
            }
        }
        String sep = format.equals("csv") ? "," : " | ";
        String pre = format.equals("csv") ? "" : "| ";
        String post = format.equals("csv") ? "" : " |";
        out.println(pre + String.join(sep, header) + post);
        if (format.equals("md")) {
            out.println("|" + "---|".repeat(header.size()));
        }
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(String.valueOf(row.get("step")));
            for (double v : (double[]) row.get("lr")) {
                cells.add(String.format(Locale.ROOT, "%.8g", v));
            }
            if (row.containsKey("momentum")) {
                for (double v : (double[]) row.get("momentum")) {
                    cells.add(String.format(Locale.ROOT, "%.6g", v));
                }
            }
            out.println(pre + String.join(sep, cells) + post);
        }
        out.flush();
    }
}
