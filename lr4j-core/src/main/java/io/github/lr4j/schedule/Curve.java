package io.github.lr4j.schedule;

import static io.github.lr4j.util.Checks.atLeast;
import static io.github.lr4j.util.Checks.finite;
import static io.github.lr4j.util.Checks.nonNegative;
import static io.github.lr4j.util.Checks.positive;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * A schedule as a value: an immutable, pure function from a step (fractional where a shape needs
 * it, e.g. warm restarts at {@code epoch + batch / batches}) and a base value (a param group's
 * initial lr, or any other hyper-parameter's) to the value at that step. Nothing is stepped and
 * nothing is stored: the same arguments always give the same value, in O(1) (O(log n) for
 * milestones) unless a shape's Javadoc says otherwise.
 *
 * <p>Shapes are either relative to the base ({@code exponential(0.9)} is {@code base * 0.9^t})
 * or absolute ({@code cyclic}, {@code phases}, {@code fixed}); {@link #withBase} binds a base.
 * Combinators build bigger schedules from smaller ones, as Optax's {@code join_schedules}:
 * <pre>{@code
 * Curve warmupCosine = Curve.warmup(500, 0.01, Curve.cosine(9_500, 0));
 * double lr = warmupCosine.at(1234, 3e-4);
 * }</pre>
 *
 * <p>Named {@code Curve} so that it is not confused with {@link io.github.lr4j.scheduler.Schedule},
 * the interface users implement to write a scheduler of their own. The PyTorch schedulers are thin
 * steppers over these values ({@code LrScheduler.schedule(group)}).
 */
public interface Curve {

    /** The value at {@code step} for a group whose base value is {@code base}. */
    double at(double step, double base);

    /** The value from a base of 1 (a factor), or a bound curve's value ({@link #withBase}). */
    default double at(double step) {
        return at(step, 1.0);
    }

    /**
     * The step at which this shape reaches its end (cosine's {@code T_max}, a linear ramp's
     * length, the last phase's end), or NaN for shapes that do not end (exponential, cyclic).
     */
    default double horizon() {
        return Double.NaN;
    }

    /**
     * The same shape stretched or shrunk to end at {@code horizon} (e.g. a warm-up + decay whose
     * run got longer on resume); shapes without a horizon return themselves.
     */
    default Curve withHorizon(double horizon) {
        positive("horizon", horizon);
        return this;
    }

    // --- combinators ---

    /** This curve with {@code base} bound: its value no longer depends on the base it is given. */
    default Curve withBase(double base) {
        finite("base", base);
        return new Combinators.Based(this, base);
    }

    /** This value times {@code factor}'s factor (its value from a base of 1) at the same step. */
    default Curve times(Curve factor) {
        return new Combinators.Product(this, requireCurve("factor", factor));
    }

    /** This value times a constant {@code k >= 0}. */
    default Curve scaled(double k) {
        nonNegative("k", k);
        return new Combinators.Scaled(this, k);
    }

    /** This value kept within {@code [min, max]}. */
    default Curve clamped(double min, double max) {
        if (!(min <= max)) {
            throw new IllegalArgumentException("min must be <= max, got min = " + min + ", max = " + max);
        }
        return new Combinators.Clamped(this, min, max);
    }

    /**
     * This shape repeated in cycles: the first cycle is {@code period} steps long, each next one
     * {@code periodMult} times longer (the shape stretched to it through {@link #withHorizon}), and
     * the k-th cycle's values are multiplied by {@code decay^k}. {@code cosine(t0, etaMin)
     * .repeated(t0, tMult, 1)} is SGDR (PyTorch's CosineAnnealingWarmRestarts). O(log t) when
     * {@code periodMult > 1}.
     */
    default Curve repeated(double period, double periodMult, double decay) {
        positive("period", period);
        if (!(periodMult >= 1) || Double.isInfinite(periodMult)) {
            throw new IllegalArgumentException("periodMult must be finite and >= 1, got " + periodMult);
        }
        nonNegative("decay", decay);
        return new Combinators.Repeated(this, period, periodMult, decay);
    }

    /**
     * {@code pieces[0]} until {@code boundaries[0]}, then {@code pieces[1]} from its own step 0, and
     * so on: piece i sees {@code step - boundaries[i - 1]} (Optax's {@code join_schedules}; PyTorch's
     * SequentialLR). A {@link #running} or {@link #continuing} piece continues from the value the previous
     * piece reached just before its boundary. O(log pieces).
     *
     * @throws IllegalArgumentException unless there is exactly one boundary fewer than pieces and
     *     the boundaries are {@code >= 1} and increasing
     */
    static Curve join(List<Curve> pieces, long... boundaries) {
        if (pieces == null || pieces.isEmpty()) {
            throw new IllegalArgumentException("pieces must hold at least 1 curve, got none");
        }
        if (boundaries == null || boundaries.length != pieces.size() - 1) {
            throw new IllegalArgumentException("boundaries must have " + (pieces.size() - 1) + " values (one fewer than the "
                    + pieces.size() + " pieces), got " + (boundaries == null ? 0 : boundaries.length));
        }
        for (int i = 0; i < pieces.size(); i++) {
            requireCurve("pieces[" + i + "]", pieces.get(i));
        }
        for (int i = 0; i < boundaries.length; i++) {
            atLeast("boundaries[" + i + "]", boundaries[i], i == 0 ? 1 : boundaries[i - 1] + 1);
        }
        return new Combinators.Join(List.copyOf(pieces), boundaries.clone());
    }

    /**
     * A linear warm-up from {@code startFactor * base} to the base over {@code steps} steps, then
     * {@code then} from its own step 0: {@code join([linear(startFactor, 1, steps), then], steps)}.
     */
    static Curve warmup(long steps, double startFactor, Curve then) {
        return join(List.of(linear(startFactor, 1, steps), then), steps);
    }

    // --- shapes ---

    /** {@code value}, whatever the base (absolute). */
    static Curve fixed(double value) {
        return new Shapes.Fixed(finite("value", value));
    }

    /** {@code base * factor}. */
    static Curve constant(double factor) {
        return new Shapes.Constant(nonNegative("factor", factor));
    }

    /**
     * {@code base * (startFactor + (endFactor - startFactor) * min(step, horizon) / horizon)}: a ramp,
     * then flat (PyTorch's LinearLR, Hugging Face's linear warm-up and decay).
     */
    static Curve linear(double startFactor, double endFactor, double horizon) {
        return new Shapes.Linear(nonNegative("startFactor", startFactor), nonNegative("endFactor", endFactor),
                positive("horizon", horizon));
    }

    /**
     * {@code floor + (base - floor) * (1 + cos(pi * step / horizon)) / 2}; periodic past the
     * horizon, as PyTorch's CosineAnnealingLR closed form ({@code floor} is its {@code eta_min}).
     */
    static Curve cosine(double horizon, double floor) {
        return new Shapes.Cosine(positive("horizon", horizon), nonNegative("floor", floor));
    }

    /** {@code base * gamma^step}. */
    static Curve exponential(double gamma) {
        return new Shapes.Exponential(positive("gamma", gamma));
    }

    /** {@code base * gamma^floor(step / size)}. */
    static Curve step(double size, double gamma) {
        return new Shapes.Step(positive("size", size), positive("gamma", gamma));
    }

    /**
     * {@code base * gamma^(number of milestones <= step)}; a repeated milestone counts each time.
     * O(log milestones).
     */
    static Curve multiStep(long[] milestones, double gamma) {
        if (milestones == null) {
            throw new IllegalArgumentException("milestones must be a list of steps >= 0, got null");
        }
        for (int i = 0; i < milestones.length; i++) {
            atLeast("milestones[" + i + "]", milestones[i], 0);
        }
        long[] sorted = milestones.clone();
        java.util.Arrays.sort(sorted);
        return new Shapes.MultiStep(sorted, positive("gamma", gamma));
    }

    /**
     * {@code floor + (base - floor) * (1 - min(step, horizon) / horizon)^power} (PyTorch's
     * PolynomialLR with {@code floor = 0}; Hugging Face's polynomial decay with {@code lr_end}).
     */
    static Curve polynomial(double horizon, double power, double floor) {
        return new Shapes.Polynomial(positive("horizon", horizon), nonNegative("power", power), nonNegative("floor", floor));
    }

    /**
     * {@code base / sqrt((step + timescale) / timescale)}: the base at step 0, then inverse square
     * root decay (Hugging Face's {@code get_inverse_sqrt_schedule} after its warm-up, when joined).
     */
    static Curve inverseSqrt(double timescale) {
        return new Shapes.InverseSqrt(positive("timescale", timescale));
    }

    /**
     * timm's tanh decay: {@code floor + (base - floor) * (1 - tanh(lower + (upper - lower) * p)) / 2}
     * with {@code p = min(step, horizon) / horizon}; timm's defaults are {@code lower = -7, upper = 3}.
     */
    static Curve tanh(double horizon, double floor, double lower, double upper) {
        if (!(lower < upper)) {
            throw new IllegalArgumentException("lower must be < upper, got lower = " + lower + ", upper = " + upper);
        }
        return new Shapes.Tanh(positive("horizon", horizon), nonNegative("floor", floor), finite("lower", lower),
                finite("upper", upper));
    }

    /**
     * PyTorch's CyclicLR wave (absolute): from {@code start} towards {@code peak} over
     * {@code stepUp} steps and back over {@code stepDown}, the height scaled by {@code amplitude}:
     * {@code start + (peak - start) * wave(step) * amplitude(cycle, step)}. With {@code peak <
     * start} the wave dips instead (how CyclicLR cycles momentum).
     */
    static Curve cyclic(double start, double peak, double stepUp, double stepDown, Amplitude amplitude) {
        if (amplitude == null) {
            throw new IllegalArgumentException("amplitude must not be null");
        }
        return new Shapes.Cyclic(finite("start", start), finite("peak", peak), positive("stepUp", stepUp),
                positive("stepDown", stepDown), amplitude);
    }

    /**
     * Absolute phases (PyTorch's OneCycleLR): phase i runs from the previous phase's end (0 for
     * the first) to {@code ends[i]}, annealing from {@code values[i]} to {@code values[i + 1]};
     * a step belongs to the first phase whose end it does not pass; the last phase extrapolates
     * beyond its end. O(phases).
     */
    static Curve phases(double[] ends, double[] values, Anneal anneal) {
        if (ends == null || ends.length == 0) {
            throw new IllegalArgumentException("ends must hold at least 1 phase end, got none");
        }
        if (values == null || values.length != ends.length + 1) {
            throw new IllegalArgumentException("values must have " + (ends.length + 1) + " values (one more than the "
                    + ends.length + " phase ends), got " + (values == null ? 0 : values.length));
        }
        for (int i = 0; i < ends.length; i++) {
            finite("ends[" + i + "]", ends[i]);
        }
        for (int i = 0; i < values.length; i++) {
            finite("values[" + i + "]", values[i]);
        }
        if (anneal == null) {
            throw new IllegalArgumentException("anneal must be COS or LINEAR, got null");
        }
        return new Shapes.Phases(ends.clone(), values.clone(), anneal);
    }

    /**
     * {@code base * factor(1) * factor(2) * ... * factor(floor(step))}: PyTorch's MultiplicativeLR,
     * whose value is defined only by its recursion. O(step): the one shape without a closed form.
     * In a {@link #join} it continues from the value the previous piece reached.
     */
    static Curve running(LongToDoubleFunction factor, String description) {
        if (factor == null) {
            throw new IllegalArgumentException("factor must not be null");
        }
        return new Shapes.Running(factor, String.valueOf(description));
    }

    /**
     * {@code function(step, start)}, where {@code start} is the base, or in a {@link #join} the value the previous
     * piece reached just before the boundary (PyTorch's SWALR anneals from the lr the group holds).
     */
    static Curve continuing(Function function, String description) {
        if (function == null) {
            throw new IllegalArgumentException("function must not be null");
        }
        return new Shapes.Continuing(function, String.valueOf(description));
    }

    /** A user's function of the step and the base, printed as {@code description}. */
    static Curve of(Function function, String description) {
        if (function == null) {
            throw new IllegalArgumentException("function must not be null");
        }
        return new Shapes.Custom(function, String.valueOf(description));
    }

    /** A user-written shape for {@link #of}: the value at {@code step} from {@code base}. */
    @FunctionalInterface
    interface Function {
        double at(double step, double base);
    }

    /** How {@link #phases} moves between two values: PyTorch's {@code anneal_strategy}. */
    enum Anneal {
        /** {@code end + (start - end) / 2 * (cos(pi * pct) + 1)}. */
        COS,
        /** {@code (end - start) * pct + start}. */
        LINEAR;

        double between(double start, double end, double pct) {
            if (this == COS) {
                return end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            }
            return (end - start) * pct + start;
        }
    }

    private static Curve requireCurve(String name, Curve c) {
        if (c == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return c;
    }
}
