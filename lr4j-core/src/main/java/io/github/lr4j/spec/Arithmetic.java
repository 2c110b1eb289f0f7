package io.github.lr4j.spec;

/** Evaluates a lambda body with Python's numeric semantics, in doubles. */
final class Arithmetic {
    private Arithmetic() {
    }

    static double eval(Expr e, String param, double x) {
        if (e instanceof Expr.Num) {
            return ((Expr.Num) e).value();
        }
        if (e instanceof Expr.Const) {
            Object v = ((Expr.Const) e).value();
            if (v instanceof Boolean) {
                return (Boolean) v ? 1 : 0;
            }
            throw new SpecException(e.column(), "None cannot be used in arithmetic");
        }
        if (e instanceof Expr.Name) {
            String name = ((Expr.Name) e).name();
            if (name.equals(param)) {
                return x;
            }
            throw new SpecException(e.column(), "unknown name '" + name + "' in lambda (its argument is '" + param + "')");
        }
        if (e instanceof Expr.Attr) {
            Expr.Attr a = (Expr.Attr) e;
            if (a.target() instanceof Expr.Name && ((Expr.Name) a.target()).name().equals("math")) {
                switch (a.name()) {
                    case "pi": return Math.PI;
                    case "e": return Math.E;
                    case "inf": return Double.POSITIVE_INFINITY;
                    case "tau": return 2 * Math.PI;
                    default: break;
                }
            }
            throw new SpecException(e.column(), "unknown constant '" + a.name() + "' (known: math.pi, math.e, math.inf, math.tau)");
        }
        if (e instanceof Expr.Unary) {
            Expr.Unary u = (Expr.Unary) e;
            double v = eval(u.operand(), param, x);
            switch (u.op()) {
                case "-": return -v;
                case "+": return v;
                default: return v == 0 ? 1 : 0;
            }
        }
        if (e instanceof Expr.Binary) {
            return binary((Expr.Binary) e, param, x);
        }
        if (e instanceof Expr.IfElse) {
            Expr.IfElse i = (Expr.IfElse) e;
            return eval(i.test(), param, x) != 0 ? eval(i.body(), param, x) : eval(i.orElse(), param, x);
        }
        if (e instanceof Expr.Call) {
            return call((Expr.Call) e, param, x);
        }
        throw new SpecException(e.column(), "expected a number in the lambda");
    }

    private static double binary(Expr.Binary b, String param, double x) {
        double l = eval(b.left(), param, x);
        switch (b.op()) {
            case "and":
                return l == 0 ? l : eval(b.right(), param, x);
            case "or":
                return l != 0 ? l : eval(b.right(), param, x);
            default:
                break;
        }
        double r = eval(b.right(), param, x);
        switch (b.op()) {
            case "+": return l + r;
            case "-": return l - r;
            case "*": return l * r;
            case "/":
                if (r == 0) {
                    throw zeroDivision(b, "division by zero");
                }
                return l / r;
            case "//":
                if (r == 0) {
                    throw zeroDivision(b, "integer division or modulo by zero");
                }
                return Math.floor(l / r);
            case "%":
                if (r == 0) {
                    throw zeroDivision(b, "modulo by zero");
                }
                double m = l % r;
                return m != 0 && (m < 0) != (r < 0) ? m + r : m;
            case "**": return Math.pow(l, r);
            case "<": return l < r ? 1 : 0;
            case ">": return l > r ? 1 : 0;
            case "<=": return l <= r ? 1 : 0;
            case ">=": return l >= r ? 1 : 0;
            case "==": return l == r ? 1 : 0;
            case "!=": return l != r ? 1 : 0;
            default: throw new SpecException(b.column(), "unknown operator " + b.op());
        }
    }

    /** Python's ZeroDivisionError, as lr4j's error about the input: the operator's column and what happened. */
    private static SpecException zeroDivision(Expr.Binary b, String what) {
        return new SpecException(b.column(), what + ": '" + b.op() + "' with a right-hand side of 0 (Python raises"
                + " ZeroDivisionError)");
    }

    private static double call(Expr.Call c, String param, double x) {
        String fn;
        if (c.callee() instanceof Expr.Name) {
            fn = ((Expr.Name) c.callee()).name();
        } else if (c.callee() instanceof Expr.Attr && ((Expr.Attr) c.callee()).target() instanceof Expr.Name
                && ((Expr.Name) ((Expr.Attr) c.callee()).target()).name().equals("math")) {
            fn = "math." + ((Expr.Attr) c.callee()).name();
        } else {
            throw new SpecException(c.column(), "only min, max, abs, float, int, round and math functions can be called in a lambda");
        }
        if (!c.keywords().isEmpty()) {
            throw new SpecException(c.column(), fn + "() takes no keyword arguments here");
        }
        double[] a = new double[c.args().size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = eval(c.args().get(i), param, x);
        }
        switch (fn) {
            case "min": return reduce(c, fn, a, true);
            case "max": return reduce(c, fn, a, false);
            case "abs": return Math.abs(one(c, fn, a));
            case "float": return one(c, fn, a);
            case "int": case "math.trunc": return (double) (long) one(c, fn, a);
            case "round": return Math.rint(one(c, fn, a));
            case "math.cos": return Math.cos(one(c, fn, a));
            case "math.sin": return Math.sin(one(c, fn, a));
            case "math.tan": return Math.tan(one(c, fn, a));
            case "math.exp": return Math.exp(one(c, fn, a));
            case "math.sqrt": return Math.sqrt(one(c, fn, a));
            case "math.floor": return Math.floor(one(c, fn, a));
            case "math.ceil": return Math.ceil(one(c, fn, a));
            case "math.tanh": return Math.tanh(one(c, fn, a));
            case "math.log":
                if (a.length == 2) {
                    return Math.log(a[0]) / Math.log(a[1]);
                }
                return Math.log(one(c, fn, a));
            case "math.log10": return Math.log10(one(c, fn, a));
            case "math.log2": return Math.log(one(c, fn, a)) / Math.log(2);
            case "math.pow": case "pow":
                if (a.length != 2) {
                    throw new SpecException(c.column(), fn + "() takes 2 arguments, got " + a.length);
                }
                return Math.pow(a[0], a[1]);
            default:
                throw new SpecException(c.column(), "unknown function " + fn + "() in lambda");
        }
    }

    private static double one(Expr.Call c, String fn, double[] a) {
        if (a.length != 1) {
            throw new SpecException(c.column(), fn + "() takes 1 argument, got " + a.length);
        }
        return a[0];
    }

    private static double reduce(Expr.Call c, String fn, double[] a, boolean min) {
        if (a.length == 0) {
            throw new SpecException(c.column(), fn + "() needs at least 1 argument");
        }
        double v = a[0];
        for (double d : a) {
            v = min ? Math.min(v, d) : Math.max(v, d);
        }
        return v;
    }
}
