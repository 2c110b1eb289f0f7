package io.github.lr4j.tune;

import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.spec.ScheduleSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a search samples, written in the schedule language with distributions in place of numbers: one or more
 * schedule spaces (a trial draws one of them, so a search can go across schedule types), e.g.
 * {@code OneCycleLR(max_lr=loguniform(0.01, 1), pct_start=uniform(0.1, 0.5), total_steps=total_steps)}, and an
 * optimizer space, e.g. {@code SGD(lr=loguniform(0.01, 0.5), momentum=uniform(0.8, 0.99), weight_decay=5e-4)}.
 *
 * <p>Distributions: {@code uniform(a, b)}, {@code loguniform(a, b)} (a > 0), {@code int(a, b)} (both ends included)
 * and {@code choice([x, y, ...])} (any text per element: numbers, quoted strings, whole expressions). A sampled number
 * is written with 4 significant digits, so that the recipe a trial becomes reads as what it is. A schedule space may
 * use {@code lr}, the optimizer's sampled lr (e.g. {@code OneCycleLR(max_lr=lr, ...)}); {@code none} is the constant
 * lr. Spaces and distributions are checked when the space is made: every sample of a valid space parses.
 */
public record SearchSpace(List<String> schedules, String optimizer) {
    /** The optimizer space of {@link #defaults()}: SGD with momentum around the main job's. */
    public static final String DEFAULT_OPTIMIZER = "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95),"
            + " weight_decay=loguniform(1e-4, 1e-3))";
    /**
     * The schedule spaces of {@link #defaults()}, one of each family a user would try: a one-cycle up to the
     * optimizer's lr; Hugging Face's warm-up + cosine and warm-up + linear decay (warm-ups of 0 to 3 epochs of the main
     * job); timm's cosine with a warm-up in epochs ({@code t_in_epochs}: stepped per epoch); and a linear warm-up into
     * {@code ReduceLROnPlateau} on the validation loss (stepped per epoch, fed the metric).
     */
    public static final List<String> DEFAULT_SCHEDULES = List.of(
            "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
            "get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 600), num_training_steps=total_steps)",
            "get_linear_schedule_with_warmup(num_warmup_steps=int(0, 600), num_training_steps=total_steps)",
            "CosineLRScheduler(t_initial=epochs, lr_min=loguniform(1e-5, 1e-3), warmup_t=int(0, 3), warmup_lr_init=1e-3)",
            "SequentialLR(schedulers=[LinearLR(start_factor=uniform(0.05, 0.5), total_iters=2),"
                    + " ReduceLROnPlateau(factor=uniform(0.2, 0.7), patience=int(0, 3))], milestones=[2])");

    private static final Pattern DISTRIBUTION = Pattern.compile("(?<![\\w.])(uniform|loguniform|int|choice)\\s*\\(");
    private static final Pattern LR_VARIABLE = Pattern.compile("(?<![\\w.])lr(?![\\w.])(?!\\s*=)");

    public SearchSpace {
        if (schedules == null || schedules.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one schedule space (--space)");
        }
        schedules = List.copyOf(schedules);
        if (optimizer == null || optimizer.isBlank()) {
            throw new IllegalArgumentException("a search space needs an optimizer space (--space-optimizer)");
        }
        // Checked now: a mistake shows before any trial trains (the extreme values of each distribution are sampled too).
        Random probe = new Random(0);
        for (int i = 0; i < 8; i++) {
            sampleWith(schedules, optimizer, probe, i); // fields are not set yet in a compact constructor
        }
    }

    /** The default space: {@link #DEFAULT_SCHEDULES} with {@link #DEFAULT_OPTIMIZER}. */
    public static SearchSpace defaults() {
        return new SearchSpace(DEFAULT_SCHEDULES, DEFAULT_OPTIMIZER);
    }

    /** One draw: the optimizer and schedule expressions, and what each distribution gave (in text order). */
    public record Sample(String optimizer, String scheduler, int scheduleSpace, Map<String, String> values) { }

    /** Draws a sample with {@code random} (the optimizer first, then the schedule space, then its values). */
    public Sample sample(Random random) {
        return sampleWith(schedules, optimizer, random, -1, -1);
    }

    /**
     * The {@code index}-th draw of a search: its schedule space is {@code index} modulo the number of spaces (every
     * family in turn, so that each is tried: drawn at random, 18 trials of five families once left one out), its
     * values drawn with {@code random} (the optimizer first, then the schedule's).
     */
    public Sample sample(Random random, int index) {
        if (index < 0) {
            throw new IllegalArgumentException("a sample's index must be >= 0, got " + index);
        }
        return sampleWith(schedules, optimizer, random, -1, index % schedules.size());
    }

    private static Sample sampleWith(List<String> schedules, String optimizer, Random random, int probe) {
        return sampleWith(schedules, optimizer, random, probe, -1);
    }

    private static Sample sampleWith(List<String> schedules, String optimizer, Random random, int probe, int chosen) {
        Map<String, String> values = new LinkedHashMap<>();
        String opt = substitute(optimizer, "optimizer", random, values, probe);
        double lr;
        io.github.lr4j.optim.Optimizer probeOptimizer;
        try {
            probeOptimizer = Optimizers.parse(opt);
            lr = probeOptimizer.defaultValue("lr");
            probeOptimizer.addParamGroup(List.of(io.github.lr4j.optim.Parameter.zeros("probe", 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the optimizer space '" + optimizer + "' gave '" + opt + "', which is not an"
                    + " optimizer: " + e.getMessage(), e);
        }
        int space = chosen >= 0 ? chosen : probe >= 0 ? probe % schedules.size()
                : schedules.size() == 1 ? 0 : random.nextInt(schedules.size());
        String text = schedules.get(space);
        String label = schedules.size() == 1 ? "schedule" : "schedule" + (space + 1);
        if (schedules.size() > 1) {
            values.put("space", String.valueOf(space + 1));
        }
        String sched = substitute(text, label, random, values, probe);
        sched = LR_VARIABLE.matcher(sched).replaceAll(Matcher.quoteReplacement(String.valueOf(lr)));
        if (!sched.equalsIgnoreCase("none")) {
            try {
                Map<String, Long> vars = Map.of("total_steps", 1000L, "steps_per_epoch", 50L, "epochs", 20L);
                ScheduleSpec.build(sched, probeOptimizer, vars);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the schedule space '" + text + "' gave '" + sched + "', which is not a"
                        + " schedule: " + e.getMessage(), e);
            }
        }
        return new Sample(opt, sched.equalsIgnoreCase("none") ? "none" : sched, space, values);
    }

    /**
     * A distribution of the optimizer space: the hyper-parameter it samples (its key in a trial's values is
     * {@code optimizer.NAME}; {@code valueN} where it is not the value of a keyword) and its kind, with its bounds for
     * {@code uniform} and {@code loguniform} (NaN for {@code int} and {@code choice}).
     */
    public record Dimension(String name, String kind, double low, double high) {
        /** Whether it is a continuous range ({@code uniform} or {@code loguniform}). */
        public boolean continuous() {
            return kind.equals("uniform") || kind.equals("loguniform");
        }

        /** A new draw from a continuous range with {@code random} (one {@code nextDouble}), every digit kept. */
        public double draw(Random random) {
            double u = random.nextDouble();
            double v = kind.equals("uniform") ? low + (high - low) * u
                    : Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * u);
            return clamp(v);
        }

        /** {@code v} kept in [low, high]. */
        public double clamp(double v) {
            return Math.min(high, Math.max(low, v));
        }
    }

    /** The optimizer space's distributions, in text order. */
    public List<Dimension> optimizerDimensions() {
        List<Dimension> out = new ArrayList<>();
        int at = 0;
        Matcher m = DISTRIBUTION.matcher(optimizer);
        while (m.find(at)) {
            int open = m.end() - 1;
            int close = closing(optimizer, open);
            String kind = m.group(1);
            String name = parameterName(optimizer, m.start(), out.size());
            double lo = Double.NaN;
            double hi = Double.NaN;
            if (kind.equals("uniform") || kind.equals("loguniform")) {
                List<String> bounds = topLevel(optimizer.substring(open + 1, close));
                lo = Double.parseDouble(bounds.get(0).strip()); // checked when the space was made
                hi = Double.parseDouble(bounds.get(1).strip());
            }
            out.add(new Dimension(name, kind, lo, hi));
            at = close + 1;
        }
        return out;
    }

    /**
     * {@code text} with each distribution replaced by a draw (recorded in {@code values} under
     * {@code label.parameter}); {@code probe >= 0} draws alternately the lower and upper ends instead, for checking.
     */
    static String substitute(String text, String label, Random random, Map<String, String> values, int probe) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        Matcher m = DISTRIBUTION.matcher(text);
        while (m.find(at)) {
            int open = m.end() - 1;
            int close = closing(text, open);
            String kind = m.group(1);
            String args = text.substring(open + 1, close);
            String value = draw(kind, args, text, random, probe);
            out.append(text, at, m.start()).append(value);
            values.put(label + "." + parameterName(text, m.start(), values.size()), value);
            at = close + 1;
        }
        out.append(text.substring(at));
        return out.toString();
    }

    /** The keyword a distribution is the value of ({@code max_lr} in {@code max_lr=uniform(...)}), else its position. */
    private static String parameterName(String text, int start, int index) {
        Matcher m = Pattern.compile("([A-Za-z_][\\w]*)\\s*=\\s*$").matcher(text.substring(0, start));
        return m.find() ? m.group(1) : "value" + index;
    }

    /** Where the bracket or quote at {@code open} closes (brackets nest; nothing inside quotes counts). */
    private static int closing(String text, int open) {
        char first = text.charAt(open);
        if (first == '\'' || first == '"') {
            int end = text.indexOf(first, open + 1);
            if (end < 0) {
                throw new IllegalArgumentException("an unclosed quote in the search space '" + text + "' from column " + (open + 1));
            }
            return end;
        }
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = closing(text, i);
            } else if (c == '(' || c == '[') {
                depth++;
            } else if ((c == ')' || c == ']') && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced brackets in the search space '" + text + "' from column " + (open + 1));
    }

    /** Splits at the commas outside brackets and quotes. */
    static List<String> topLevel(String args) {
        List<String> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (c == '\'' || c == '"' || c == '(' || c == '[') {
                i = closing(args, i);
            } else if (c == ',') {
                parts.add(args.substring(from, i).strip());
                from = i + 1;
            }
        }
        if (!args.substring(from).isBlank()) {
            parts.add(args.substring(from).strip());
        }
        return parts;
    }

    private static String draw(String kind, String args, String space, Random random, int probe) {
        List<String> parts = topLevel(args);
        String call = kind + "(" + args + ")";
        if (kind.equals("choice")) {
            String inner = parts.size() == 1 && parts.get(0).startsWith("[") && parts.get(0).endsWith("]")
                    ? parts.get(0).substring(1, parts.get(0).length() - 1) : args;
            List<String> options = topLevel(inner);
            if (options.isEmpty()) {
                throw new IllegalArgumentException(call + " in '" + space + "' has no options: give choice([a, b, ...])");
            }
            return options.get(probe >= 0 ? probe % options.size() : random.nextInt(options.size()));
        }
        if (parts.size() != 2) {
            throw new IllegalArgumentException(call + " in '" + space + "' must have two bounds: " + kind + "(low, high)");
        }
        double lo = number(parts.get(0), call, space);
        double hi = number(parts.get(1), call, space);
        if (!(lo < hi)) {
            throw new IllegalArgumentException(call + " in '" + space + "': low must be less than high, got " + parts.get(0)
                    + " and " + parts.get(1));
        }
        switch (kind) {
            case "int": {
                if (lo != Math.rint(lo) || hi != Math.rint(hi) || Math.abs(hi - lo) > Integer.MAX_VALUE - 1) {
                    throw new IllegalArgumentException(call + " in '" + space + "': the bounds must be whole numbers");
                }
                long v = probe >= 0 ? (probe % 2 == 0 ? (long) lo : (long) hi) : (long) lo + random.nextInt((int) (hi - lo) + 1);
                return Long.toString(v);
            }
            case "uniform": {
                double v = probe >= 0 ? (probe % 2 == 0 ? lo : hi) : lo + (hi - lo) * random.nextDouble();
                return shortNumber(v, lo, hi);
            }
            default: { // loguniform
                if (lo <= 0) {
                    throw new IllegalArgumentException(call + " in '" + space + "': low must be > 0, got " + parts.get(0));
                }
                double v = probe >= 0 ? (probe % 2 == 0 ? lo : hi)
                        : Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * random.nextDouble());
                return shortNumber(v, lo, hi);
            }
        }
    }

    private static double number(String text, String call, String space) {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(call + " in '" + space + "': the bounds must be finite numbers, got '" + text + "'");
    }

    /** {@code v} with 4 significant digits, kept in [lo, hi], as a number literal of the schedule language. */
    static String shortNumber(double v, double lo, double hi) {
        double rounded = new BigDecimal(v).round(new MathContext(4)).doubleValue();
        if (rounded < lo || rounded > hi) {
            rounded = v; // rounding left the range: keep every digit
        }
        String s = BigDecimal.valueOf(rounded).stripTrailingZeros().toString(); // the shortest digits that read back
        s = s.toLowerCase(Locale.ROOT).replace("e+", "e");
        return s.contains(".") || s.contains("e") ? s : s + ".0";
    }
}
