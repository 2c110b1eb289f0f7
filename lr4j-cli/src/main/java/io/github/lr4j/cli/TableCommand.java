package io.github.lr4j.cli;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j table SPEC}: the lr (and momentum) of every group at every step, without training. */
@Command(name = "table", mixinStandardHelpOptions = true,
        header = "Print every group's lr (and momentum) at every step: csv, json or md.",
        description = {"Steps a schedule with no optimizer behind it and prints every group's lr (and momentum, where",
            "the schedule changes it) after construction (step 0) and after each step.",
            "With --at, prints the same rows only at the given steps, computed without stepping (closed forms:",
            "step 1e9 costs what step 10 does); a metric-driven schedule is stepped through --metrics instead.",
            "SPEC is a PyTorch constructor call ('optimizer' may be left out), a JSON object",
            "{\"type\": \"StepLR\", \"step_size\": 30}, or @FILE holding either (UTF-8 text, at most 1 MiB)."},
        footer = {"", "Examples:",
            "  lr4j table 'StepLR(step_size=3, gamma=0.5)' --steps 10",
            "  lr4j table 'OneCycleLR(max_lr=[0.1, 0.01], total_steps=100)' --groups 0.1,0.01 --steps 100 --every 10 --format md",
            "  lr4j table '{\"type\": \"ExponentialLR\", \"gamma\": 0.9}' --steps 5 --format json",
            "  lr4j table 'CosineAnnealingWarmRestarts(T_0=10, T_mult=2)' --at 0,5,1e9",
            "  lr4j table 'ReduceLROnPlateau(patience=2)' --metrics docs/examples/val_loss.txt --steps 30",
            "  lr4j table @docs/examples/warmup_cosine.txt --steps 30",
            "  lr4j table 'CosineAnnealingLR(T_max=5, eta_min=0.001)' --from-state docs/examples/pytorch_cosine_state.json --steps 9"})
final class TableCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ScheduleInputs inputs;

    @Parameters(paramLabel = "SPEC", description = "the schedule")
    String expression;

    @Option(names = "--steps", defaultValue = "20", description = "steps to take (default: ${DEFAULT-VALUE})")
    long steps;

    @Option(names = "--every", defaultValue = "1", description = "print every K-th step, and the last (default: ${DEFAULT-VALUE})")
    long every;

    @Option(names = "--format", defaultValue = "csv", description = "csv, json or md (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--at", split = ",", paramLabel = "STEP",
            description = "only these steps (e.g. 0,100,1e9), without stepping; replaces --steps and --every")
    List<String> at;

    @Option(names = "--from-state", paramLabel = "FILE",
            description = {"continue from a saved state: the JSON of a PyTorch scheduler.state_dict() (as the README's",
                "snippet dumps it), or lr4j's own; bare or {\"state_dict\": {...}, \"param_groups\": [{\"lr\": ...,",
                "\"initial_lr\": ..., \"momentum\": ...}]}. SPEC must build the same scheduler; rows are numbered from",
                "the saved step (last_epoch), --metrics gives the metrics of the steps after it"})
    Path fromState;

    @Override
    public Integer call() {
        if (!List.of("csv", "json", "md").contains(format)) {
            throw new IllegalArgumentException("--format must be csv, json or md, got " + format);
        }
        if (at != null) {
            CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
            if (parsed.hasMatchedOption("--steps") || parsed.hasMatchedOption("--every")) {
                throw new IllegalArgumentException("--at replaces --steps and --every: give either --at or --steps/--every");
            }
            if (fromState != null) {
                throw new IllegalArgumentException("--at and --from-state cannot be combined: --from-state steps on from the"
                        + " saved step");
            }
            return at();
        }
        Checks.steps(steps);
        if (every < 1) {
            throw new IllegalArgumentException("--every must be >= 1, got " + every);
        }
        if (fromState != null) {
            return fromState();
        }
        Simulation sim = new Simulation(expression, inputs, expression, steps);
        boolean momentum = sim.momentumChanges();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int t = 0; t < sim.points(); t++) {
            if (t % every == 0 || t == sim.points() - 1) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", t);
                double[] lr = new double[sim.groups()];
                double[] m = new double[sim.groups()];
                for (int g = 0; g < lr.length; g++) {
                    lr[g] = sim.report.lr()[g][t];
                    m[g] = sim.report.momentum()[g][t];
                }
                row.put("lr", lr);
                if (momentum) {
                    row.put("momentum", m);
                }
                rows.add(row);
            }
        }
        print(rows, sim.groups(), momentum);
        for (String w : sim.report.warnings()) {
            if (w.startsWith("stepping fails")) {
                spec.commandLine().getErr().println("lr4j: " + w);
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        return 0;
    }

    /** The rows from a saved state on: the state's step, then one row per step taken after it. */
    private Integer fromState() {
        StateFile file = StateFile.read(fromState);
        if (inputs.groups == null) {
            inputs.groups = file.initialLrs();
        }
        Scheduler s = inputs.build(expression);
        long values = (steps + 1) * s.groups().size();
        if (values > Simulation.MAX_VALUES) {
            throw new IllegalArgumentException("--steps " + steps + " over " + s.groups().size() + " groups is " + values
                    + " lrs to compute and keep; the limit is " + Simulation.MAX_VALUES + " (fewer steps or groups)");
        }
        file.restore(s);
        long first = file.step();
        ParamGroups groups = s.groups();
        int n = groups.size();
        boolean hasMomentum = groups.momentumKind() != MomentumKind.NONE;
        double[] metrics = inputs.metrics();
        List<double[]> lrs = new ArrayList<>();
        List<double[]> ms = new ArrayList<>();
        String failure = null;
        for (long t = 0; t <= steps; t++) {
            if (t > 0) {
                try {
                    s.step(OptionalDouble.of(metrics != null && t - 1 < metrics.length ? metrics[(int) (t - 1)] : 1.0));
                } catch (IllegalStateException | IllegalArgumentException e) {
                    failure = "stepping fails at step " + (first + t) + ": " + e.getMessage();
                    break;
                }
            }
            double[] lr = new double[n];
            double[] m = new double[n];
            for (int g = 0; g < n; g++) {
                lr[g] = groups.lr(g);
                m[g] = groups.momentum(g);
            }
            lrs.add(lr);
            ms.add(m);
        }
        boolean momentum = hasMomentum && (s.changesMomentum() || ms.stream().anyMatch(m -> !Arrays.equals(m, ms.get(0))));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int t = 0; t < lrs.size(); t++) {
            if (t % every == 0 || t == lrs.size() - 1) {
                rows.add(row(first + t, lrs.get(t), momentum ? ms.get(t) : null));
            }
        }
        print(rows, n, momentum);
        if (failure != null) {
            spec.commandLine().getErr().println("lr4j: " + failure);
            spec.commandLine().getErr().flush();
            return 2;
        }
        return 0;
    }

    /** The rows at the --at steps: random access, or stepping through --metrics for a metric-driven schedule. */
    private Integer at() {
        long[] points = new long[at.size()];
        for (int i = 0; i < points.length; i++) {
            points[i] = step(at.get(i));
        }
        Scheduler s = inputs.build(expression);
        int n = s.groups().size();
        boolean momentum = s.changesMomentum() && s.groups().momentumKind() != MomentumKind.NONE;
        List<Map<String, Object>> rows = new ArrayList<>();
        if (s.drivenByMetric()) {
            double[] metrics = inputs.metrics();
            long last = Arrays.stream(points).max().orElse(0);
            if (metrics == null || metrics.length < last) {
                throw new IllegalArgumentException(s.name() + " is driven by a metric: its lr at step " + last + " needs "
                        + last + " metric values (--metrics FILE), got " + (metrics == null ? "none" : metrics.length));
            }
            double[][] lrs = new double[(int) last + 1][];
            lrs[0] = s.lastLrs();
            for (int t = 1; t <= last; t++) {
                s.step(OptionalDouble.of(metrics[t - 1]));
                lrs[t] = s.lastLrs();
            }
            for (long t : points) {
                rows.add(row(t, lrs[(int) t], null));
            }
        } else {
            for (long t : points) {
                double[] lr = new double[n];
                double[] m = momentum ? new double[n] : null;
                for (int g = 0; g < n; g++) {
                    lr[g] = s.lrAt(t, g);
                    if (momentum) {
                        m[g] = s.momentumAt(t, g);
                    }
                }
                rows.add(row(t, lr, m));
            }
        }
        print(rows, n, momentum);
        return 0;
    }

    private static Map<String, Object> row(long step, double[] lr, double[] momentum) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("lr", lr);
        if (momentum != null) {
            row.put("momentum", momentum);
        }
        return row;
    }

    /** A step written as 1000000000 or 1e9: a whole number >= 0. */
    static long step(String text) {
        try {
            BigDecimal v = new BigDecimal(text.strip());
            if (v.signum() < 0 || v.stripTrailingZeros().scale() > 0 || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new NumberFormatException();
            }
            return v.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--at steps must be whole numbers in [0, " + Long.MAX_VALUE
                    + "] (e.g. 1000 or 1e9), got " + text);
        }
    }

    /** Six significant digits without trailing zeros, for humans (csv and json keep every digit). */
    static String short6(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
    }

    private void print(List<Map<String, Object>> rows, int n, boolean momentum) {
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
        if (momentum) {
            for (int g = 0; g < n; g++) {
                header.add("momentum" + g);
            }
        }
        boolean csv = format.equals("csv");
        String sep = csv ? "," : " | ";
        String pre = csv ? "" : "| ";
        String post = csv ? "" : " |";
        out.println(pre + String.join(sep, header) + post);
        if (!csv) {
            out.println("|" + "---|".repeat(header.size()));
        }
        for (Map<String, Object> row : rows) {
            List<String> cells = new ArrayList<>();
            cells.add(String.valueOf(row.get("step")));
            for (double v : (double[]) row.get("lr")) {
                cells.add(csv ? Double.toString(v) : short6(v));
            }
            if (row.containsKey("momentum")) {
                for (double v : (double[]) row.get("momentum")) {
                    cells.add(csv ? Double.toString(v) : short6(v));
                }
            }
            out.println(pre + String.join(sep, cells) + post);
        }
        out.flush();
    }
}
