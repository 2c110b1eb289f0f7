package io.github.lr4j.optim;

import io.github.lr4j.spec.Expr;
import io.github.lr4j.spec.Parser;
import io.github.lr4j.spec.SpecException;
import io.github.lr4j.util.Suggest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point: PyTorch's optimizers by name, with PyTorch's hyper-parameter names and defaults.
 *
 * <pre>{@code
 * Optimizer sgd = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
 * sgd.addParamGroup(List.of(weights, bias));
 * sgd.addParamGroup(List.of(head), Map.of("lr", 0.01));     // a group with its own lr
 * Optimizer adamw = Optimizers.parse("AdamW(lr=1e-3, weight_decay=0.01)");
 * Optimizer free = Optimizers.parse("AdamWScheduleFree(lr=2.5e-3, warmup_steps=100)");  // needs no schedule; see ModeAware
 * }</pre>
 */
public final class Optimizers {
    private Optimizers() {
    }

    /** The names {@link #create} knows. */
    public static List<String> names() {
        return List.of("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "SGDScheduleFree", "AdamWScheduleFree",
                "RAdamScheduleFree");
    }

    /** An optimizer with no groups yet; {@code defaults} (PyTorch's names) apply to groups added later. */
    public static Optimizer create(String name, Map<String, ?> defaults) {
        if (name == null) {
            throw new IllegalArgumentException("the optimizer name must be one of " + String.join(", ", names()) + ", got null");
        }
        if (defaults == null) {
            throw new IllegalArgumentException(name + " needs its hyper-parameters (at least lr), got null");
        }
        switch (name) {
            case "SGD": return new SGD(defaults);
            case "Adam": return new Adam(defaults, false);
            case "AdamW": return new Adam(defaults, true);
            case "RMSprop": return new RMSprop(defaults);
            case "Adagrad": return new Adagrad(defaults);
            case "SGDScheduleFree": return new ScheduleFree(ScheduleFree.Variant.SGD, defaults);
            case "AdamWScheduleFree": return new ScheduleFree(ScheduleFree.Variant.ADAMW, defaults);
            case "RAdamScheduleFree": return new ScheduleFree(ScheduleFree.Variant.RADAM, defaults);
            default:
                throw new IllegalArgumentException("unknown optimizer " + name + Suggest.didYouMean(name, names()) + "; known: " + String.join(", ", names()));
        }
    }

    public static Optimizer sgd(double lr) {
        return create("SGD", Map.of("lr", lr));
    }

    public static Optimizer adam(double lr) {
        return create("Adam", Map.of("lr", lr));
    }

    public static Optimizer adamW(double lr) {
        return create("AdamW", Map.of("lr", lr));
    }

    public static Optimizer rmsprop(double lr) {
        return create("RMSprop", Map.of("lr", lr));
    }

    public static Optimizer adagrad(double lr) {
        return create("Adagrad", Map.of("lr", lr));
    }

    /** Whether {@code name} is a schedule-free optimizer (it averages its iterates instead of needing a decaying lr). */
    public static boolean isScheduleFree(String name) {
        return name.endsWith("ScheduleFree") && names().contains(name);
    }

    /**
     * Parses PyTorch constructor syntax, e.g. {@code AdamW(lr=1e-3, betas=(0.9, 0.95), weight_decay=0.01)};
     * a leading {@code params} argument may be given or left out.
     */
    public static Optimizer parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new SpecException(1, "expected an optimizer such as SGD(lr=0.1, momentum=0.9), got nothing");
        }
        Expr e = Parser.parse(expression);
        if (!(e instanceof Expr.Call) || !(((Expr.Call) e).callee() instanceof Expr.Name)) {
            throw new SpecException(e.column(), "expected an optimizer such as SGD(lr=0.1, momentum=0.9)");
        }
        Expr.Call call = (Expr.Call) e;
        String name = ((Expr.Name) call.callee()).name();
        if (!names().contains(name)) {
            throw new SpecException(call.column(), "unknown optimizer '" + name + "'" + Suggest.didYouMean(name, names()) + "; known: " + String.join(", ", names()));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<Expr> args = new ArrayList<>(call.args());
        if (!args.isEmpty() && args.get(0) instanceof Expr.Name && ((Expr.Name) args.get(0)).name().equals("params")) {
            args.remove(0);
        }
        if (!args.isEmpty()) {
            values.put("lr", literal(args.remove(0)));
        }
        if (!args.isEmpty()) {
            throw new SpecException(args.get(0).column(), name + ": give the arguments after lr by name (e.g. momentum=0.9)");
        }
        for (Expr.Keyword k : call.keywords()) {
            if (k.name().equals("params") || k.name().equals("foreach") || k.name().equals("differentiable")
                    || k.name().equals("capturable") || k.name().equals("fused")) {
                continue;
            }
            values.put(k.name(), literal(k.value()));
        }
        try {
            return create(name, values);
        } catch (IllegalArgumentException ex) {
            throw new SpecException(call.column(), name + ": " + ex.getMessage());
        }
    }

    private static Object literal(Expr e) {
        if (e instanceof Expr.Num) {
            return ((Expr.Num) e).value();
        }
        if (e instanceof Expr.Unary && ((Expr.Unary) e).op().equals("-") && ((Expr.Unary) e).operand() instanceof Expr.Num) {
            return -((Expr.Num) ((Expr.Unary) e).operand()).value();
        }
        if (e instanceof Expr.Const && ((Expr.Const) e).value() instanceof Boolean) {
            return ((Expr.Const) e).value();
        }
        if (e instanceof Expr.ListLit) {
            List<Object> out = new ArrayList<>();
            for (Expr item : ((Expr.ListLit) e).items()) {
                out.add(literal(item));
            }
            return out;
        }
        throw new SpecException(e.column(), "expected a number, True/False or a pair of numbers");
    }
}
