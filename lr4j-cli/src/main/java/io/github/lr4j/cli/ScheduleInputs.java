package io.github.lr4j.cli;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options shared by table, plot and check: the param groups a schedule runs on (no optimizer
 * needed), and how a SPEC argument is read (an expression, JSON, or a file holding either).
 */
final class ScheduleInputs {
    @Option(names = "--groups", split = ",", paramLabel = "LR",
            description = "base lr of each param group, comma-separated (default: 0.1, or the --optimizer's lr)")
    double[] groups;

    @Option(names = "--momentum", paramLabel = "M",
            description = "momentum of every group (default 0, SGD's default: OneCycleLR and CyclicLR then cycle it)")
    Double momentum;

    @Option(names = "--optimizer", paramLabel = "EXPR",
            description = "take lr and momentum (or beta1) from an optimizer, e.g. 'SGD(lr=0.1, momentum=0.9)' or 'AdamW(lr=1e-3)'")
    String optimizer;

    @Option(names = "--metrics", paramLabel = "FILE",
            description = "metric values for ReduceLROnPlateau, one per step (one number per line, or a JSON list)")
    Path metricsFile;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    /** Fresh param groups for one run. */
    ParamGroups paramGroups() {
        MomentumKind kind = MomentumKind.MOMENTUM;
        double lr = 0.1;
        double m = momentum == null ? 0 : momentum;
        if (optimizer != null) {
            Optimizer opt = Optimizers.parse(optimizer);
            kind = opt.momentumKind();
            lr = opt.defaultValue("lr");
            if (kind == MomentumKind.MOMENTUM && momentum == null) {
                m = opt.defaultValue("momentum");
            } else if (kind == MomentumKind.BETA1 && momentum == null) {
                m = opt.defaultValue("beta1");
            }
        }
        double[] lrs = groups == null ? new double[] {lr} : groups;
        ParamGroups out;
        if (kind == MomentumKind.NONE) {
            out = ParamGroups.of(lrs);
        } else {
            double[] ms = new double[lrs.length];
            Arrays.fill(ms, m);
            out = ParamGroups.withMomentum(kind, lrs, ms);
        }
        // The lr the groups start with is their initial lr (PyTorch's initial_lr), so that last_epoch=k builds as
        // PyTorch 2.x does on a resumed optimizer; a fresh scheduler would record the same value.
        for (int g = 0; g < lrs.length; g++) {
            out.setInitialLr(g, lrs[g]);
        }
        return out;
    }

    /** Each group's momentum as given, before a scheduler is attached. */
    double[] momentumBeforeAttach() {
        ParamGroups g = paramGroups();
        double[] out = new double[g.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = g.momentum(i);
        }
        return out;
    }

    /**
     * Builds SPEC on fresh groups: an expression, a JSON object, or a file holding either, named as
     * {@code @FILE} or as an existing {@code .json} file (lr4j reads these itself, at most 1 MiB).
     */
    Scheduler build(String spec) {
        return build(spec, java.util.Map.of());
    }

    /** {@link #build(String)}, an expression may use {@code variables} (e.g. total_steps). */
    Scheduler build(String spec, java.util.Map<String, Long> variables) {
        String text = spec.strip();
        if (text.startsWith("@") || (text.endsWith(".json") && Files.exists(Path.of(text)))) {
            Path file = Path.of(text.startsWith("@") ? text.substring(1) : text);
            text = InputFiles.read(file, "SPEC file", InputFiles.SPEC_LIMIT).strip();
        }
        if (text.startsWith("{")) {
            return ScheduleSpec.build(Json.readObject(text), paramGroups());
        }
        return variables.isEmpty() ? ScheduleSpec.build(text, paramGroups()) : ScheduleSpec.build(text, paramGroups(), variables);
    }

    /** The --metrics values, or null. */
    double[] metrics() {
        if (metricsFile == null) {
            return null;
        }
        String text = InputFiles.read(metricsFile, "--metrics file", InputFiles.SPEC_LIMIT).strip();
        List<Double> values = new ArrayList<>();
        if (text.startsWith("[")) {
            for (Object o : Json.readList(text, "--metrics " + metricsFile)) {
                if (!(o instanceof Number)) {
                    throw new IllegalArgumentException("--metrics " + metricsFile + " must be a list of numbers, got " + o);
                }
                values.add(((Number) o).doubleValue());
            }
        } else {
            String[] lines = text.split("\\R");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].isBlank()) {
                    try {
                        values.add(Double.parseDouble(lines[i].strip()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--metrics " + metricsFile + " must hold one number per line;"
                                + " line " + (i + 1) + " is '" + abbreviate(lines[i].strip()) + "'");
                    }
                }
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
