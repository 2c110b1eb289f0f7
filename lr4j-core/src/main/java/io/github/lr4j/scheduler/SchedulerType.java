package io.github.lr4j.scheduler;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.Args;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Everything lr4j knows about one scheduler type, in one place: its name in the schedule language,
 * its parameters (type, default, allowed range, one-line doc), the factory that builds it from
 * parsed arguments, whether it is stepped per batch by default, its lints, and examples that the
 * contract tests run. State is saved and restored by the scheduler itself
 * ({@link Scheduler#state()}/{@link Scheduler#loadState}), under the type's name.
 *
 * <p>{@link SchedulerTypes} holds every known type; register your own there and it works in the
 * schedule language (text and JSON), saved state, {@code plot}, {@code table}, {@code check} and
 * {@code train --scheduler}:
 *
 * <pre>{@code
 * SchedulerTypes.register(SchedulerType.builder("InverseSqrtLR", "lr = base / sqrt(max(t, warmup))")
 *         .param(Param.optional("warmup", Param.Kind.INTEGER, 1L, ">= 1", "steps before the decay starts"))
 *         .schedule(args -> {
 *             long warmup = args.integer("warmup");
 *             return (step, group, base) -> base / Math.sqrt(Math.max(step, warmup));
 *         })
 *         .build());
 * }</pre>
 */
public final class SchedulerType {

    /** One constructor parameter (after PyTorch's {@code optimizer}). */
    public record Param(String name, Kind kind, boolean required, Object defaultValue, String range, String doc) {
        /** What a parameter holds; {@link Args} has a reader for each. */
        public enum Kind {
            NUMBER, INTEGER, BOOLEAN, STRING,
            /** One number, or one per param group. */
            NUMBERS,
            INTEGERS,
            /** One lambda of the step, or one per param group. */
            LAMBDAS,
            FUNCTION,
            SCHEDULERS,
            /** A dict of keyword arguments passed on to another scheduler (Hugging Face's scheduler_specific_kwargs). */
            KWARGS,
            /** Schedulers the type builds itself, on groups it chooses ({@link Args#deferred}): e.g. one per group. */
            DEFERRED_SCHEDULERS
        }

        public Param {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            range = range == null ? "" : range;
            doc = doc == null ? "" : doc;
        }

        public static Param required(String name, Kind kind, String range, String doc) {
            return new Param(name, kind, true, null, range, doc);
        }

        /** {@code defaultValue} as the language writes it: a Long, Double, Boolean, String, or null for None. */
        public static Param optional(String name, Kind kind, Object defaultValue, String range, String doc) {
            return new Param(name, kind, false, defaultValue, range, doc);
        }
    }

    /** Builds a scheduler from its checked arguments on {@code groups}. */
    @FunctionalInterface
    public interface Factory {
        Scheduler build(Args args, ParamGroups groups);
    }

    /** Looks at a spec (the JSON form, see {@link Scheduler#spec()}) before any training and reports through the context. */
    @FunctionalInterface
    public interface Lint {
        void check(Map<String, Object> spec, LintContext context);
    }

    /**
     * Where a lint reports, and what it knows about the run: how many times this scheduler (or
     * this part of a composite) is stepped, whether those steps are epochs, and, in {@code check},
     * the simulated lrs.
     */
    public static final class LintContext {
        private final long steps;
        private final long offset;
        private final boolean perEpoch;
        private final String runWords;
        private final String inside;
        private final double[][] lr;
        private final List<String> failures;
        private final List<String> warnings;
        private final List<String> description;
        private final List<String> zeroStartOwners;

        private LintContext(long steps, long offset, boolean perEpoch, String runWords, String inside, double[][] lr,
                            List<String> failures, List<String> warnings, List<String> description, List<String> zeroStartOwners) {
            this.steps = steps;
            this.offset = offset;
            this.perEpoch = perEpoch;
            this.runWords = runWords;
            this.inside = inside;
            this.lr = lr;
            this.failures = failures;
            this.warnings = warnings;
            this.description = description;
            this.zeroStartOwners = zeroStartOwners;
        }

        /**
         * A context for a whole run of {@code steps} steps; {@code runWords} says how the run steps
         * the scheduler (e.g. "per epoch over 3 epochs"), {@code lr} is null unless values were simulated.
         */
        public static LintContext forRun(long steps, boolean perEpoch, String runWords, double[][] lr) {
            return new LintContext(steps, 0, perEpoch, runWords, "", lr, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>());
        }

        /** How many times this scheduler is stepped. */
        public long steps() {
            return steps;
        }

        /** The run's step at which this scheduler's own step 0 lies (a SequentialLR restarts its children). */
        public long offset() {
            return offset;
        }

        /** Whether each of those steps is an epoch (so a schedule sized in batches is misused). */
        public boolean perEpoch() {
            return perEpoch;
        }

        /** How the run steps the scheduler, in words, e.g. "per optimizer step over 3 epochs" (may be empty). */
        public String runWords() {
            return runWords;
        }

        /** {@link #runWords()}, or at least "per epoch" or "per step" when the run gave none. */
        public String interval() {
            return !runWords.isEmpty() ? runWords : perEpoch ? "per epoch" : "per step";
        }

        /** " (in SequentialLR)" for a nested scheduler, else empty: append it to the type's name in messages. */
        public String inside() {
            return inside;
        }

        /** The simulated lr of each group at each step of the whole run, or null. */
        public double[][] lr() {
            return lr;
        }

        /** The run would fail (the training loop refuses to start; {@code check} warns). */
        public void fail(String message) {
            failures.add(message);
        }

        public void warn(String message) {
            warnings.add(message);
        }

        /** A line of {@code check}'s explanation. */
        public void describe(String line) {
            description.add(line);
        }

        /** Lints a nested scheduler stepped {@code childSteps} times from run step {@code childOffset}. */
        public void child(Map<String, Object> childSpec, long childSteps, long childOffset, String parent) {
            LintContext c = new LintContext(childSteps, childOffset, perEpoch, runWords, " (in " + parent + ")", lr, failures,
                    warnings, description, zeroStartOwners);
            SchedulerTypes.lint(childSpec, c);
        }

        /**
         * Says that an lr of 0 at the run's step 0 is this type's documented behaviour (transformers' and timm's
         * warm-ups start from 0), e.g. {@code "get_linear_schedule_with_warmup warms up from 0, as transformers does"}:
         * {@code check} then prints it as a note instead of warning. Only a scheduler that acts at the run's step 0 counts.
         */
        public void startsAtZeroByDesign(String why) {
            if (offset == 0) {
                zeroStartOwners.add(why);
            }
        }

        /** What {@link #startsAtZeroByDesign} was told, empty if nothing. */
        public List<String> zeroStartByDesign() {
            return Collections.unmodifiableList(zeroStartOwners);
        }

        public List<String> failures() {
            return Collections.unmodifiableList(failures);
        }

        public List<String> warnings() {
            return Collections.unmodifiableList(warnings);
        }

        public List<String> description() {
            return Collections.unmodifiableList(description);
        }

        /** Six significant digits without trailing zeros. */
        public static String fmt(double v) {
            return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+(e|$)", "$1");
        }
    }

    /** A configuration the contract tests run, and {@code lr4j list} shows: an expression and how many steps it takes. */
    public record Example(String expression, int steps) { }

    private final String name;
    private final String doc;
    private final boolean takesOptimizer;
    private final int optimizerPosition;
    private final List<Param> params;
    private final Factory factory;
    private final Predicate<Map<String, Object>> perBatch;
    private final boolean overwritesLr;
    private final Lint lint;
    private final List<Example> examples;

    private SchedulerType(Builder b) {
        this.name = b.name;
        this.doc = b.doc;
        this.takesOptimizer = b.takesOptimizer;
        this.optimizerPosition = b.optimizerPosition;
        this.params = List.copyOf(b.params);
        this.factory = b.factory;
        this.perBatch = b.perBatch;
        this.overwritesLr = b.overwritesLr;
        this.lint = b.lint;
        this.examples = List.copyOf(b.examples);
    }

    /** Starts a descriptor for the type {@code name} (a Python identifier), described in one line. */
    public static Builder builder(String name, String doc) {
        return new Builder(name, doc);
    }

    public String name() {
        return name;
    }

    public String doc() {
        return doc;
    }

    /** Whether the constructor takes PyTorch's {@code optimizer} first (ChainedScheduler does not). */
    public boolean takesOptimizer() {
        return takesOptimizer;
    }

    /** Where the positional {@code optimizer} goes: 0 (first, PyTorch's classes) or after that many parameters. */
    public int optimizerPosition() {
        return optimizerPosition;
    }

    /** The parameters in PyTorch's order. */
    public List<Param> params() {
        return params;
    }

    public Factory factory() {
        return factory;
    }

    /**
     * Whether this type sets the lr afresh from the base lr at every step (PyTorch's non-chainable
     * schedulers: LambdaLR, CyclicLR, OneCycleLR), so that a metric-driven cut stacked on it is
     * overwritten at the next step.
     */
    public boolean overwritesLr() {
        return overwritesLr;
    }

    /**
     * Whether a scheduler with this spec is meant to be stepped per batch (optimizer step) rather
     * than per epoch; a composite follows its children.
     */
    public boolean perBatch(Map<String, Object> spec) {
        return perBatch.test(spec);
    }

    /** Runs this type's lints on {@code spec}. */
    public void lint(Map<String, Object> spec, LintContext context) {
        lint.check(spec, context);
    }

    public List<Example> examples() {
        return examples;
    }

    /** The signature as the language writes it, e.g. {@code StepLR(step_size, gamma=0.1)}. */
    public String signature() {
        List<String> parts = new ArrayList<>();
        for (Param p : params) {
            parts.add(p.required() ? p.name() : p.name() + "=" + Specs.literal(p.defaultValue()));
        }
        return name + "(" + String.join(", ", parts) + ")";
    }

    @Override
    public String toString() {
        return signature();
    }

    /** Collects a descriptor; {@link #build()} checks it. */
    public static final class Builder {
        private final String name;
        private final String doc;
        private boolean takesOptimizer = true;
        private int optimizerPosition;
        private final List<Param> params = new ArrayList<>();
        private Factory factory;
        private Predicate<Map<String, Object>> perBatch = spec -> false;
        private boolean overwritesLr;
        private Lint lint = (spec, context) -> { };
        private final List<Example> examples = new ArrayList<>();

        private Builder(String name, String doc) {
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("name must be an identifier such as MyLR, got " + name);
            }
            this.name = name;
            this.doc = doc == null ? "" : doc;
        }

        public Builder param(Param p) {
            for (Param q : params) {
                if (q.name().equals(p.name())) {
                    throw new IllegalArgumentException(name + " declares parameter " + p.name() + " twice");
                }
            }
            params.add(p);
            return this;
        }

        /** For ChainedScheduler, whose constructor has no {@code optimizer} first. */
        /** The optimizer comes after the first {@code n} parameters, e.g. transformers' get_scheduler(name, optimizer, ...). */
        public Builder optimizerAfter(int n) {
            this.optimizerPosition = n;
            return this;
        }

        public Builder noOptimizer() {
            this.takesOptimizer = false;
            return this;
        }

        public Builder factory(Factory factory) {
            this.factory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * The factory for a user's type: a {@link Schedule} made from the arguments, bound to the
         * groups like {@link Schedulers#custom}, that prints, saves and restores under this type's
         * name with the arguments it was given.
         */
        public Builder schedule(Function<Args, Schedule> schedule) {
            Objects.requireNonNull(schedule, "schedule");
            String type = name;
            this.factory = (args, groups) -> {
                Schedule s = schedule.apply(args);
                if (s == null) {
                    throw new IllegalStateException(type + "'s factory returned no schedule");
                }
                if (s.changesMomentum()) {
                    Schedulers.requireMomentum(groups, type + " changes momentum", "");
                }
                Map<String, Object> given = new LinkedHashMap<>();
                for (Param p : params) {
                    given.put(p.name(), args.value(p.name()));
                }
                return new CustomScheduler(groups, s, type, given).attach();
            };
            return this;
        }

        /** Stepped per batch by default, whatever the spec. */
        public Builder perBatch() {
            return perBatch(spec -> true);
        }

        public Builder perBatch(Predicate<Map<String, Object>> rule) {
            this.perBatch = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /** Sets the lr from the base lr at every step: a plateau cut stacked on it does not last. */
        public Builder overwritesLr() {
            this.overwritesLr = true;
            return this;
        }

        public Builder lint(Lint lint) {
            this.lint = Objects.requireNonNull(lint, "lint");
            return this;
        }

        public Builder example(String expression, int steps) {
            examples.add(new Example(expression, steps));
            return this;
        }

        public SchedulerType build() {
            if (factory == null) {
                throw new IllegalStateException(name + " needs a factory (factory(...) or schedule(...))");
            }
            return new SchedulerType(this);
        }
    }
}
