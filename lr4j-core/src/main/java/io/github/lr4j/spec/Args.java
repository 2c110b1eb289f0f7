package io.github.lr4j.spec;

import io.github.lr4j.scheduler.LrLambda;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.PyTorchNamed;
import io.github.lr4j.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * The evaluated arguments of one constructor call in the schedule language, read with type checks
 * that name the argument: what a {@link io.github.lr4j.scheduler.SchedulerType}'s factory is given.
 * Defaults are filled in already; reading an argument that has none and was not given fails with
 * "missing required argument".
 */
public final class Args {
    /** Marks an argument that was not given (distinct from an explicit None). */
    static final Object ABSENT = new Object();

    private final String fn;
    private final int callColumn;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Integer> columns = new LinkedHashMap<>();

    Args(String fn, int callColumn) {
        this.fn = fn;
        this.callColumn = callColumn;
    }

    void put(String name, Object value, int column) {
        values.put(name, value);
        columns.put(name, column);
    }

    boolean given(String name) {
        return values.containsKey(name) && values.get(name) != ABSENT;
    }

    int column(String name) {
        return columns.getOrDefault(name, callColumn);
    }

    int callColumn() {
        return callColumn;
    }

    /** The scheduler type being built. */
    public String fn() {
        return fn;
    }

    /** An argument as evaluated (Long, Double, Boolean, String, a List, a lambda, a scheduler, or null for None). */
    public Object value(String name) {
        return get(name);
    }

    /** An error about the call as a whole, e.g. a combination of arguments that does not work. */
    public SpecException error(String message) {
        return new SpecException(callColumn, message);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == ABSENT || !values.containsKey(name)) {
            throw new SpecException(callColumn, fn + "() missing required argument: " + name);
        }
        return v;
    }

    SpecException bad(String name, String expected) {
        Object v = values.get(name);
        return new SpecException(column(name), fn + ": " + name + " must be " + expected + ", got " + show(v));
    }

    static String show(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String) {
            return "'" + v + "'";
        }
        if (v instanceof Boolean) {
            return (Boolean) v ? "True" : "False";
        }
        if (v instanceof Scheduler) {
            return ((Scheduler) v).name() + "(...)";
        }
        if (v instanceof Map) {
            StringBuilder sb = new StringBuilder("{");
            ((Map<?, ?>) v).forEach((k, x) -> sb.append(sb.length() > 1 ? ", " : "").append('\'').append(k).append("': ").append(show(x)));
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }

    public boolean isNone(String name) {
        return !given(name) || values.get(name) == null;
    }

    public double num(String name) {
        Object v = get(name);
        if (v instanceof Number && !(v instanceof Boolean)) {
            return ((Number) v).doubleValue();
        }
        throw bad(name, "a number");
    }

    public long integer(String name) {
        Object v = get(name);
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 9e15) {
                return (long) d;
            }
        }
        throw bad(name, "an integer");
    }

    public boolean bool(String name) {
        Object v = get(name);
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        throw bad(name, "True or False");
    }

    public String str(String name) {
        Object v = get(name);
        if (v instanceof String) {
            return (String) v;
        }
        throw bad(name, "a string");
    }

    /** A string option spelled as PyTorch spells it, e.g. {@code mode='triangular2'}, as its Java enum. */
    public <E extends Enum<E> & PyTorchNamed> E choice(String name, Class<E> type) {
        String given = str(name);
        List<String> spellings = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.pytorchName().equals(given)) {
                return e;
            }
            spellings.add("'" + e.pytorchName() + "'");
        }
        throw bad(name, spellings.size() == 2 ? spellings.get(0) + " or " + spellings.get(1) : "one of " + String.join(", ", spellings));
    }

    /** A number, or a list of numbers (one per param group). */
    public double[] nums(String name) {
        Object v = get(name);
        if (v instanceof Number) {
            return new double[] {((Number) v).doubleValue()};
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number)) {
                    throw bad(name, "a number or a list of numbers");
                }
                out[i] = ((Number) l.get(i)).doubleValue();
            }
            return out;
        }
        throw bad(name, "a number or a list of numbers");
    }

    public long[] ints(String name) {
        Object v = get(name);
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            long[] out = new long[l.size()];
            for (int i = 0; i < out.length; i++) {
                Object o = l.get(i);
                if (!(o instanceof Number) || ((Number) o).doubleValue() != Math.rint(((Number) o).doubleValue())) {
                    throw bad(name, "a list of integers");
                }
                out[i] = ((Number) o).longValue();
            }
            return out;
        }
        throw bad(name, "a list of integers");
    }

    /** Schedulers of any kind, metric-driven ones included (a plateau after a warm-up in SequentialLR). */
    public List<Scheduler> anySchedulers(String name) {
        Object v = get(name);
        if (v instanceof List && ((List<?>) v).stream().allMatch(o -> o instanceof Scheduler)) {
            List<Scheduler> out = new ArrayList<>();
            ((List<?>) v).forEach(o -> out.add((Scheduler) o));
            return out;
        }
        throw bad(name, "a list of schedulers");
    }

    public List<LrScheduler> schedulers(String name) {
        Object v = get(name);
        if (v instanceof List) {
            List<LrScheduler> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                if (o instanceof LrScheduler) {
                    out.add((LrScheduler) o);
                } else if (o instanceof Scheduler) {
                    throw new SpecException(column(name), fn + ": " + name + " cannot hold " + ((Scheduler) o).name()
                            + ", which is driven by a metric rather than by steps (PyTorch rejects it too)");
                } else {
                    throw bad(name, "a list of schedulers");
                }
            }
            return out;
        }
        throw bad(name, "a list of schedulers");
    }

    public LrLambda[] lambdas(String name) {
        Object v = get(name);
        List<?> items = v instanceof List ? (List<?>) v : java.util.Collections.singletonList(v);
        LrLambda[] out = new LrLambda[items.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(items.get(i) instanceof LrLambda)) {
                throw bad(name, "a lambda (e.g. lambda epoch: 0.95 ** epoch) or a list of them");
            }
            out[i] = (LrLambda) items.get(i);
        }
        return out;
    }

    /** Schedulers written in the spec but not built yet: {@link Deferred#build} builds one on the groups given. */
    public List<Deferred> deferred(String name) {
        Object v = get(name);
        if (v instanceof List && ((List<?>) v).stream().allMatch(o -> o instanceof Deferred)) {
            List<Deferred> out = new ArrayList<>();
            ((List<?>) v).forEach(o -> out.add((Deferred) o));
            return out;
        }
        throw bad(name, "a list of schedulers");
    }

    /** A scheduler of the spec, built when its groups are known. */
    @FunctionalInterface
    public interface Deferred {
        Scheduler build(io.github.lr4j.groups.ParamGroups groups);
    }

    /** Keyword arguments given as a dict ({@code {'min_lr': 1e-5}}); None gives an empty map. */
    public Map<String, Object> kwargs(String name) {
        Object v = get(name);
        if (v == null) {
            return Map.of();
        }
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(String.valueOf(k), x));
            return out;
        }
        throw bad(name, "a dict of keyword arguments such as {'min_lr': 1e-5}");
    }

    public DoubleUnaryOperator function(String name) {
        Object v = get(name);
        if (v instanceof DoubleUnaryOperator) {
            return (DoubleUnaryOperator) v;
        }
        throw bad(name, "a lambda (e.g. lambda x: 1 / (2.0 ** (x - 1)))");
    }
}
