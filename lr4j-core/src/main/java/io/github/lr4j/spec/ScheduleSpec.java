package io.github.lr4j.spec;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import io.github.lr4j.util.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds schedulers from the schedule language: a PyTorch constructor expression such as
 * {@code OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)} or
 * {@code SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1, total_iters=5),
 * CosineAnnealingLR(optimizer, T_max=95)], milestones=[5])}. PyTorch's parameter names, positions
 * and defaults apply; the {@code optimizer} argument may be left out. Nested schedulers are built
 * in the order they are written, as in Python.
 *
 * <p>Errors are {@link SpecException}s with the column and what was expected; an unknown scheduler
 * or keyword suggests the nearest name.
 */
public final class ScheduleSpec {
    /** transformers' {@code SchedulerType} enum: member -> the name get_scheduler takes. */
    private static final Map<String, String> TRANSFORMERS_SCHEDULER_TYPES = transformersSchedulerTypes();

    private static Map<String, String> transformersSchedulerTypes() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : List.of("linear", "cosine", "cosine_with_restarts", "polynomial", "constant", "constant_with_warmup",
                "inverse_sqrt", "cosine_with_min_lr", "cosine_warmup_with_min_lr", "warmup_stable_decay")) {
            m.put(name.toUpperCase(java.util.Locale.ROOT), name);
        }
        m.put("REDUCE_ON_PLATEAU", "reduce_lr_on_plateau");
        return m;
    }

    private ScheduleSpec() {
    }

    /** Stands for a deferred parameter's value until {@link ScheduleSpecEvaluator#deferredOr} makes it. */
    private static final Object DEFERRED = new Object();

    /** Marks the {@code optimizer} argument. */
    private static final Object OPTIMIZER = new Object() {
        @Override
        public String toString() {
            return "optimizer";
        }
    };

    /** One constructor as the language sees it: the type's parameters plus PyTorch's last_epoch and verbose. */
    private record Signature(SchedulerType type, List<String> params, Map<String, Object> defaults) {
        static Signature of(SchedulerType type) {
            List<String> names = new ArrayList<>();
            Map<String, Object> defaults = new LinkedHashMap<>();
            for (SchedulerType.Param p : type.params()) {
                names.add(p.name());
                if (!p.required()) {
                    defaults.put(p.name(), p.defaultValue());
                }
            }
            names.add("last_epoch");
            defaults.put("last_epoch", -1L);
            names.add("verbose");
            defaults.put("verbose", Boolean.FALSE);
            return new Signature(type, names, defaults);
        }
    }

    /** The scheduler names the language knows: PyTorch's class names and any registered in {@link SchedulerTypes}. */
    public static List<String> schedulerNames() {
        return SchedulerTypes.names();
    }

    /**
     * The variables {@code expression} uses (names it does not define, such as {@code total_steps}),
     * e.g. to tell that a schedule is sized in optimizer steps.
     */
    public static Set<String> variablesIn(String expression) {
        Set<String> out = new java.util.LinkedHashSet<>();
        collectNames(Parser.parse(expression), out);
        return out;
    }

    private static void collectNames(Expr e, Set<String> out) {
        if (e instanceof Expr.Name) {
            String name = ((Expr.Name) e).name();
            if (!name.equals("optimizer") && !name.equals("opt") && !name.equals("True")
                    && !name.equals("False") && !name.equals("None")) {
                out.add(name);
            }
        } else if (e instanceof Expr.Call) {
            Expr.Call c = (Expr.Call) e;
            if (!(c.callee() instanceof Expr.Name)) {
                collectNames(c.callee(), out);
            }
            c.args().forEach(a -> collectNames(a, out));
            c.keywords().forEach(k -> collectNames(k.value(), out));
        } else if (e instanceof Expr.ListLit) {
            ((Expr.ListLit) e).items().forEach(i -> collectNames(i, out));
        } else if (e instanceof Expr.DictLit) {
            ((Expr.DictLit) e).entries().forEach(k -> collectNames(k.value(), out));
        } else if (e instanceof Expr.Binary) {
            collectNames(((Expr.Binary) e).left(), out);
            collectNames(((Expr.Binary) e).right(), out);
        } else if (e instanceof Expr.Unary) {
            collectNames(((Expr.Unary) e).operand(), out);
        }
    }

    /**
     * Arguments lr4j accepts that today's PyTorch refuses, one warning each: {@code verbose=}, deprecated in
     * PyTorch 2.2 and removed in 2.7 (PR #147301; a TypeError there). lr4j accepts and ignores it.
     * Empty when {@code expression} is not the expression form (e.g. JSON).
     */
    public static List<String> removedInPyTorch(String expression) {
        List<String> out = new ArrayList<>();
        Expr e;
        try {
            e = Parser.parse(expression);
        } catch (RuntimeException notAnExpression) {
            return out;
        }
        collectVerbose(e, out);
        return out;
    }

    private static void collectVerbose(Expr e, List<String> out) {
        if (e instanceof Expr.Call c) {
            for (Expr.Keyword k : c.keywords()) {
                if (k.name().equals("verbose")) {
                    String callee = c.callee() instanceof Expr.Name n ? n.name() : "a scheduler";
                    out.add("column " + k.column() + ": " + callee + "(verbose=...) was removed in PyTorch 2.7 (a TypeError"
                            + " there; deprecated since 2.2): lr4j accepts and ignores it, drop it to run the same"
                            + " expression on today's PyTorch");
                }
                collectVerbose(k.value(), out);
            }
            c.args().forEach(a -> collectVerbose(a, out));
        } else if (e instanceof Expr.ListLit l) {
            l.items().forEach(i -> collectVerbose(i, out));
        }
    }

    /**
     * Builds a scheduler from the JSON form of the language (what a JSON reader gives for
     * {@code {"type": "OneCycleLR", "max_lr": 0.1, "total_steps": 1000}}): {@code "type"} names the
     * scheduler, the other keys are its arguments; nested schedulers are maps too, and a lambda is
     * a string such as {@code "lambda epoch: 0.95 ** epoch"}. The same checks apply as for the
     * expression form; errors say where in the JSON.
     */
    public static Scheduler build(Map<String, ?> json, ParamGroups groups) {
        if (json == null || !json.containsKey("type")) {
            throw new SpecException(0, "$: a scheduler needs \"type\" (a name such as \"StepLR\"), got "
                    + (json == null ? null : json.get("type")));
        }
        Expr e = fromJson(json, "$", 0);
        Object v = new ScheduleSpecEvaluator(groups, Map.of()).value(e);
        if (!(v instanceof Scheduler)) {
            throw new SpecException(0, "$: expected a scheduler but found " + Args.show(v));
        }
        return (Scheduler) v;
    }

    /** The JSON form as a syntax tree (columns are 0: errors name the JSON path instead). */
    static Expr fromJson(Object value, String path, int depth) {
        if (depth > Parser.MAX_DEPTH) { // as the text form: no stack overflow on deeply nested JSON
            throw new SpecException(0, path + ": nested more than " + Parser.MAX_DEPTH + " levels deep");
        }
        if (value instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) value;
            Object type = m.get("type");
            if (!m.containsKey("type")) { // keyword arguments passed on as a whole, e.g. scheduler_specific_kwargs
                List<Expr.Keyword> entries = new ArrayList<>();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    entries.add(new Expr.Keyword(0, key, fromJson(e.getValue(), path + "." + key, depth + 1)));
                }
                return new Expr.DictLit(0, entries);
            }
            if (!(type instanceof String)) {
                throw new SpecException(0, path + ": a scheduler needs \"type\" (a name such as \"StepLR\"), got " + type);
            }
            List<Expr.Keyword> keywords = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!key.equals("type")) {
                    keywords.add(new Expr.Keyword(0, key, fromJson(e.getValue(), path + "." + key, depth + 1)));
                }
            }
            return new Expr.Call(0, new Expr.Name(0, (String) type), List.of(), keywords);
        }
        if (value instanceof List) {
            List<Expr> items = new ArrayList<>();
            int i = 0;
            for (Object o : (List<?>) value) {
                items.add(fromJson(o, path + "[" + i++ + "]", depth + 1));
            }
            return new Expr.ListLit(0, items);
        }
        if (value instanceof String && ((String) value).strip().startsWith("lambda")) {
            try {
                return Parser.parse((String) value);
            } catch (SpecException ex) {
                throw new SpecException(0, path + ": " + ex.getMessage());
            }
        }
        if (value instanceof String) {
            return new Expr.Str(0, (String) value);
        }
        if (value instanceof Boolean || value == null) {
            return new Expr.Const(0, value);
        }
        if (value instanceof double[]) {
            List<Expr> items = new ArrayList<>();
            for (double d : (double[]) value) {
                items.add(new Expr.Num(0, d, false));
            }
            return items.size() == 1 ? items.get(0) : new Expr.ListLit(0, items);
        }
        if (value instanceof Number) {
            boolean integer = value instanceof Integer || value instanceof Long || value instanceof Short;
            return new Expr.Num(0, ((Number) value).doubleValue(), integer);
        }
        if (value != null && String.valueOf(value).strip().startsWith("lambda")) {
            return fromJson(String.valueOf(value), path, depth); // a lambda object from spec(): its text is its source
        }
        throw new SpecException(0, path + ": expected a number, string, boolean, null, list or map, got " + value);
    }

    /** Parses {@code expression} and builds the scheduler it describes on {@code groups}. */
    public static Scheduler build(String expression, ParamGroups groups) {
        return build(expression, groups, Map.of());
    }

    /**
     * As {@link #build(String, ParamGroups)}, with named values the expression may use, e.g.
     * {@code OneCycleLR(max_lr=0.1, total_steps=total_steps)} with {@code total_steps} given by the
     * training loop.
     */
    public static Scheduler build(String expression, ParamGroups groups, Map<String, ?> variables) {
        Expr e = Parser.parse(expression);
        if (!(e instanceof Expr.Call)) {
            throw new SpecException(e.column(), "expected a scheduler such as StepLR(step_size=30) but found "
                    + (e instanceof Expr.Binary ? "an arithmetic expression" : "a value"));
        }
        Object v = new ScheduleSpecEvaluator(groups, variables).value(e);
        if (!(v instanceof Scheduler)) {
            throw new SpecException(e.column(), "expected a scheduler such as StepLR(step_size=30) but found " + Args.show(v));
        }
        return (Scheduler) v;
    }

    /** Evaluates argument values and constructor calls, in the order written. */
    private static final class ScheduleSpecEvaluator {
        private final ParamGroups groups;
        private final Map<String, ?> variables;

        ScheduleSpecEvaluator(ParamGroups groups, Map<String, ?> variables) {
            this.groups = groups;
            this.variables = variables;
        }

        Object value(Expr e) {
            if (e instanceof Expr.Num) {
                Expr.Num num = (Expr.Num) e;
                return num.integer() && Math.abs(num.value()) < 9e15 ? (Object) (long) num.value() : (Object) num.value();
            }
            if (e instanceof Expr.Str) {
                return ((Expr.Str) e).value();
            }
            if (e instanceof Expr.Const) {
                return ((Expr.Const) e).value();
            }
            if (e instanceof Expr.ListLit) {
                List<Object> out = new ArrayList<>();
                for (Expr item : ((Expr.ListLit) e).items()) {
                    out.add(value(item));
                }
                return out;
            }
            if (e instanceof Expr.DictLit) {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Expr.Keyword k : ((Expr.DictLit) e).entries()) {
                    out.put(k.name(), value(k.value()));
                }
                return out;
            }
            if (e instanceof Expr.Lambda) {
                return new ExprLambda((Expr.Lambda) e);
            }
            if (e instanceof Expr.Name) {
                String name = ((Expr.Name) e).name();
                if (name.equals("optimizer") || name.equals("opt")) {
                    return OPTIMIZER;
                }
                if (variables.containsKey(name)) {
                    Object v = variables.get(name);
                    return v instanceof Integer ? (Object) ((Integer) v).longValue() : v;
                }
                List<String> known = new ArrayList<>(SchedulerTypes.names());
                known.addAll(variables.keySet());
                throw new SpecException(e.column(), "unknown name '" + name + "'" + Suggest.didYouMean(name, known)
                        + (variables.isEmpty() ? "" : "; names you can use here: " + String.join(", ", variables.keySet())));
            }
            if (e instanceof Expr.Call) {
                return call((Expr.Call) e);
            }
            if (e instanceof Expr.Unary && ((Expr.Unary) e).op().equals("-") && ((Expr.Unary) e).operand() instanceof Expr.Num) {
                Object v = value(((Expr.Unary) e).operand());
                return v instanceof Long ? (Object) (-(Long) v) : (Object) (-(Double) v);
            }
            if (e instanceof Expr.Attr && isSchedulerTypeEnum(((Expr.Attr) e).target())) {
                return transformersSchedulerType((Expr.Attr) e);
            }
            // Constant arithmetic such as 1/3 or 2 * math.pi.
            return Arithmetic.eval(e, "", Double.NaN);
        }

        /** What a callee that is not a name is, in words. */
        private String describe(Expr callee) {
            if (callee instanceof Expr.Call) {
                Expr inner = ((Expr.Call) callee).callee();
                String what = inner instanceof Expr.Name ? ((Expr.Name) inner).name() + "(...)" : "a call";
                return "the result of " + what + " (a scheduler or a number is not a function)";
            }
            if (callee instanceof Expr.Num || callee instanceof Expr.Str || callee instanceof Expr.Const) {
                return "a constant";
            }
            if (callee instanceof Expr.ListLit || callee instanceof Expr.DictLit) {
                return "a list or dict";
            }
            if (callee instanceof Expr.Lambda) {
                return "a lambda (lr4j does not evaluate lambdas in place)";
            }
            return "an expression";
        }

        /** {@code SchedulerType}, {@code transformers.SchedulerType}, {@code hf.SchedulerType}, ... */
        private boolean isSchedulerTypeEnum(Expr target) {
            return target instanceof Expr.Name ? ((Expr.Name) target).name().equals("SchedulerType")
                    : target instanceof Expr.Attr && ((Expr.Attr) target).name().equals("SchedulerType");
        }

        /** transformers' enum spelling, {@code SchedulerType.LINEAR}: the name it stands for, {@code 'linear'}. */
        private Object transformersSchedulerType(Expr.Attr a) {
            String value = TRANSFORMERS_SCHEDULER_TYPES.get(a.name());
            if (value == null) {
                List<String> members = new ArrayList<>();
                TRANSFORMERS_SCHEDULER_TYPES.keySet().forEach(m -> members.add("SchedulerType." + m));
                throw new SpecException(a.column(), "unknown member SchedulerType." + a.name()
                        + Suggest.didYouMean("SchedulerType." + a.name(), members) + "; transformers' SchedulerType has "
                        + String.join(", ", TRANSFORMERS_SCHEDULER_TYPES.keySet()));
            }
            return value;
        }

        /** The value of parameter {@code name}: its expression deferred if the type builds it itself, else {@code v} (or its value). */
        private Object deferredOr(Signature sig, String name, Expr e, Object v) {
            boolean deferred = sig.type().params().stream()
                    .anyMatch(p -> p.name().equals(name) && p.kind() == SchedulerType.Param.Kind.DEFERRED_SCHEDULERS);
            if (!deferred) {
                return v == null || v == DEFERRED ? value(e) : v;
            }
            if (!(e instanceof Expr.ListLit)) {
                throw new SpecException(e.column(), sig.type().name() + ": " + name + " must be a list of schedulers such as"
                        + " [CosineAnnealingLR(T_max=100), ConstantLR(factor=1.0)]");
            }
            List<Args.Deferred> out = new ArrayList<>();
            for (Expr item : ((Expr.ListLit) e).items()) {
                out.add(g -> {
                    Object built = new ScheduleSpecEvaluator(g, variables).value(item);
                    if (!(built instanceof Scheduler)) {
                        throw new SpecException(item.column(), sig.type().name() + ": " + name + " must hold schedulers, got "
                                + Args.show(built));
                    }
                    return (Scheduler) built;
                });
            }
            return out;
        }

        private Object call(Expr.Call c) {
            String name = c.callee() instanceof Expr.Name ? ((Expr.Name) c.callee()).name()
                    : c.callee() instanceof Expr.Attr ? ((Expr.Attr) c.callee()).name() : null;
            if ("float".equals(name) && c.args().size() == 1 && c.args().get(0) instanceof Expr.Str) {
                String given = ((Expr.Str) c.args().get(0)).value();
                String s = given.strip().toLowerCase(java.util.Locale.ROOT);
                // Python's float(): Java's parseDouble would also take '0x1p-1', '0.5d' or '1f', which Python refuses
                if (!Lexer.isPythonFloat(s)) {
                    throw new SpecException(c.args().get(0).column(), "float() cannot read '" + given + "' (Python's"
                            + " ValueError: could not convert string to float)");
                }
                switch (s.replaceFirst("^\\+", "")) {
                    case "inf": case "infinity": return Double.POSITIVE_INFINITY;
                    case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
                    case "nan": case "-nan": return Double.NaN;
                    default: return Double.parseDouble(s.replace("_", ""));
                }
            }
            if (name == null) { // e.g. StepLR(step_size=3)(1) or (1)(2): Python would call the value
                throw new SpecException(c.column(), "only a scheduler's name (such as StepLR) or a function can be called,"
                        + " but this calls " + describe(c.callee()));
            }
            Signature sig = SchedulerTypes.find(name).map(Signature::of).orElse(null);
            if (sig == null) {
                if (name != null && (name.equals("min") || name.equals("max") || name.equals("float") || name.equals("int")
                        || name.equals("abs") || c.callee() instanceof Expr.Attr)) {
                    return Arithmetic.eval(c, "", Double.NaN);
                }
                throw new SpecException(c.column(), "unknown scheduler '" + name + "'"
                        + Suggest.didYouMean(String.valueOf(name), SchedulerTypes.names())
                        + "; known: " + String.join(", ", SchedulerTypes.names()));
            }
            Args args = new Args(name, c.column());
            List<Expr> positional = new ArrayList<>(c.args());
            List<Object> positionalValues = new ArrayList<>();
            List<SchedulerType.Param> typeParams = sig.type().params();
            int optimizerIndex = sig.type().optimizerPosition();
            boolean optimizerGiven = sig.type().takesOptimizer() && positional.size() > optimizerIndex
                    && positional.get(optimizerIndex) instanceof Expr.Name
                    && List.of("optimizer", "opt").contains(((Expr.Name) positional.get(optimizerIndex)).name());
            for (int i = 0; i < positional.size(); i++) {
                // a deferred parameter (schedulers built later, on groups the type chooses) is not evaluated here
                int at = i - (optimizerGiven && i > optimizerIndex ? 1 : 0);
                boolean deferred = !(optimizerGiven && i == optimizerIndex) && at < typeParams.size() && typeParams.get(at).kind() == SchedulerType.Param.Kind.DEFERRED_SCHEDULERS;
                positionalValues.add(deferred ? DEFERRED : value(positional.get(i)));
            }
            // PyTorch's classes take the optimizer first; transformers' get_scheduler(name, optimizer, ...) second.
            int optimizerAt = sig.type().optimizerPosition();
            int skip = sig.type().takesOptimizer() && positionalValues.size() > optimizerAt
                    && positionalValues.get(optimizerAt) == OPTIMIZER ? optimizerAt : -1;
            int offset = skip >= 0 ? 1 : 0;
            if (positionalValues.size() - offset > sig.params().size()) {
                throw new SpecException(positional.get(sig.params().size() + offset).column(), name + "() takes at most "
                        + sig.params().size() + " arguments after the optimizer, got " + (positionalValues.size() - offset));
            }
            int param = 0;
            for (int i = 0; i < positionalValues.size(); i++) {
                if (i == skip) {
                    continue;
                }
                Object v = positionalValues.get(i);
                if (v == OPTIMIZER) {
                    throw new SpecException(positional.get(i).column(), name + ": optimizer must be the "
                            + (optimizerAt == 0 ? "first" : "second") + " argument");
                }
                String paramName = sig.params().get(param++);
                args.put(paramName, deferredOr(sig, paramName, positional.get(i), v), positional.get(i).column());
            }
            for (Expr.Keyword k : c.keywords()) {
                if (k.name().equals("optimizer") && sig.type().takesOptimizer()) {
                    if (skip >= 0) { // Python's TypeError
                        throw new SpecException(k.column(), name + "() got multiple values for argument 'optimizer'");
                    }
                    value(k.value());
                    continue;
                }
                if (!sig.params().contains(k.name())) {
                    throw new SpecException(k.column(), name + "() got an unexpected keyword argument '" + k.name() + "'"
                            + Suggest.didYouMean(k.name(), sig.params()) + "; it takes " + String.join(", ", sig.params()));
                }
                if (args.given(k.name())) {
                    throw new SpecException(k.column(), name + "() got multiple values for argument '" + k.name() + "'");
                }
                args.put(k.name(), deferredOr(sig, k.name(), k.value(), null), k.value().column());
            }
            for (Map.Entry<String, Object> d : sig.defaults().entrySet()) {
                if (!args.given(d.getKey())) {
                    args.put(d.getKey(), d.getValue(), c.column());
                }
            }
            long lastEpoch = args.integer("last_epoch");
            if (lastEpoch < -1) {
                throw new SpecException(args.column("last_epoch"), name + ": last_epoch must be >= -1, got " + lastEpoch);
            }
            for (SchedulerType.Param p : sig.type().params()) { // the documented range is the one checked
                Ranges.check(args, p);
            }
            try {
                // PyTorch 2.x: last_epoch=k resumes on groups that hold their initial lr (Schedulers.resumed)
                return io.github.lr4j.scheduler.Schedulers.resumed(groups, lastEpoch, g -> sig.type().factory().build(args, g));
            } catch (SpecException ex) {
                throw ex;
            } catch (IllegalArgumentException | IllegalStateException ex) {
                throw new SpecException(c.column(), name + ": " + ex.getMessage());
            }
        }
    }

}
