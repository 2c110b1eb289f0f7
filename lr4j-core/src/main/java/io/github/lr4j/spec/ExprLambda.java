package io.github.lr4j.spec;

import io.github.lr4j.scheduler.LrLambda;
import java.util.Map;
import io.github.lr4j.util.Checks;
import java.util.function.DoubleUnaryOperator;

/**
 * A {@code lambda x: ...} of the schedule language, evaluated with Python's arithmetic (true
 * division, floored {@code //} and {@code %}, {@code **}, comparisons as 0/1). It has no state beyond
 * its source, which is what its saved state and {@link #toString()} hold.
 */
final class ExprLambda implements LrLambda, DoubleUnaryOperator {
    private final Expr.Lambda lambda;

    ExprLambda(Expr.Lambda lambda) {
        if (lambda.params().size() != 1) {
            throw new SpecException(lambda.column(), "expected a lambda of one argument (the step), got "
                    + lambda.params().size());
        }
        this.lambda = lambda;
    }

    @Override
    public double apply(long epoch) {
        return applyAsDouble(epoch);
    }

    /**
     * @throws IllegalStateException when the body cannot be evaluated at {@code x} (a division by
     *     zero, a value that is not a number): the step that needed it fails, as in Python
     */
    @Override
    public double applyAsDouble(double x) {
        try {
            return Arithmetic.eval(lambda.body(), lambda.params().get(0), x);
        } catch (IllegalArgumentException e) {
            // The user's function failed (as Python's would): lr4j's own error about the input, with no cause, so that
            // callers (the CLI's exit code) do not take it for a failure of lr4j.
            throw new IllegalStateException(lambda.source() + " fails at " + lambda.params().get(0) + "=" + Checks.fmt(x)
                    + ": " + e.getMessage().replaceFirst("^column \\d+: ", "") + where(e));
        }
    }

    private static String where(IllegalArgumentException e) {
        return e instanceof SpecException && ((SpecException) e).column() > 0 ? " (column " + ((SpecException) e).column() + ")" : "";
    }

    @Override
    public Map<String, Object> state() {
        return Map.of("source", lambda.source());
    }

    /** Its state is its source: a state saved from another lambda is refused. */
    @Override
    public void checkState(Map<String, Object> state) {
        Object saved = state.get("source");
        if (!lambda.source().equals(saved) || state.size() != 1) {
            throw new IllegalArgumentException("the state was saved from the function " + (saved instanceof String
                    ? "'" + saved + "'" : String.valueOf(state)) + " but this scheduler has '" + lambda.source()
                    + "' (build the scheduler with the same function before restoring)");
        }
    }

    @Override
    public String toString() {
        return lambda.source();
    }
}
