package io.github.lr4j.schedule;

import java.util.Arrays;
import java.util.function.LongToDoubleFunction;

/** The shapes behind {@link Curve}'s factories; arguments are checked there. */
final class Shapes {
    private Shapes() {
    }

    /** {@code min(step, horizon) / horizon}, the progress of a shape that ends at its horizon. */
    static double progress(double step, double horizon) {
        return Math.min(horizon, step) / horizon;
    }

    record Fixed(double value) implements Curve {
        @Override
        public double at(double step, double base) {
            return value;
        }

        @Override
        public String toString() {
            return "fixed(" + value + ")";
        }
    }

    record Constant(double factor) implements Curve {
        @Override
        public double at(double step, double base) {
            return base * factor;
        }

        @Override
        public String toString() {
            return "constant(factor=" + factor + ")";
        }
    }

    record Linear(double startFactor, double endFactor, double horizon) implements Curve {
        @Override
        public double at(double step, double base) {
            // PyTorch's order of operations: (end - start) * min(t, T) / T, then + start.
            return base * (startFactor + (endFactor - startFactor) * Math.min(horizon, step) / horizon);
        }

        @Override
        public Curve withHorizon(double horizon) {
            return Curve.linear(startFactor, endFactor, horizon);
        }

        @Override
        public String toString() {
            return "linear(start_factor=" + startFactor + ", end_factor=" + endFactor + ", horizon=" + horizon + ")";
        }
    }

    record Cosine(double horizon, double floor) implements Curve {
        @Override
        public double at(double step, double base) {
            return floor + (base - floor) * (1 + Math.cos(Math.PI * step / horizon)) / 2;
        }

        @Override
        public Curve withHorizon(double horizon) {
            return Curve.cosine(horizon, floor);
        }

        @Override
        public String toString() {
            return "cosine(horizon=" + horizon + ", floor=" + floor + ")";
        }
    }

    record Exponential(double gamma) implements Curve {
        @Override
        public double at(double step, double base) {
            return base * Math.pow(gamma, step);
        }

        @Override
        public String toString() {
            return "exponential(gamma=" + gamma + ")";
        }
    }

    record Step(double size, double gamma) implements Curve {
        @Override
        public double at(double step, double base) {
            return base * Math.pow(gamma, Math.floor(step / size));
        }

        @Override
        public String toString() {
            return "step(size=" + size + ", gamma=" + gamma + ")";
        }
    }

    /** {@code sorted} holds the milestones in order, repeats kept. */
    record MultiStep(long[] sorted, double gamma) implements Curve {
        @Override
        public double at(double step, double base) {
            return base * Math.pow(gamma, countAtOrBefore(sorted, step));
        }

        /** Python's {@code bisect_right}: how many milestones are {@code <= step}. */
        static int countAtOrBefore(long[] sorted, double step) {
            int lo = 0;
            int hi = sorted.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (step < sorted[mid]) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof MultiStep m && Arrays.equals(sorted, m.sorted) && Double.compare(gamma, m.gamma) == 0;
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(sorted) + Double.hashCode(gamma);
        }

        @Override
        public String toString() {
            return "multi_step(milestones=" + Arrays.toString(sorted) + ", gamma=" + gamma + ")";
        }
    }

    record Polynomial(double horizon, double power, double floor) implements Curve {
        @Override
        public double at(double step, double base) {
            // With floor 0 this is exactly PyTorch's base * (1 - min(t, T) / T)^power.
            return floor + (base - floor) * Math.pow(1.0 - progress(step, horizon), power);
        }

        @Override
        public Curve withHorizon(double horizon) {
            return Curve.polynomial(horizon, power, floor);
        }

        @Override
        public String toString() {
            return "polynomial(horizon=" + horizon + ", power=" + power + ", floor=" + floor + ")";
        }
    }

    record InverseSqrt(double timescale) implements Curve {
        @Override
        public double at(double step, double base) {
            return base * (1.0 / Math.sqrt((step + timescale) / timescale));
        }

        @Override
        public String toString() {
            return "inverse_sqrt(timescale=" + timescale + ")";
        }
    }

    record Tanh(double horizon, double floor, double lower, double upper) implements Curve {
        @Override
        public double at(double step, double base) {
            double p = progress(step, horizon);
            return floor + 0.5 * (base - floor) * (1 - Math.tanh(lower * (1 - p) + upper * p));
        }

        @Override
        public Curve withHorizon(double horizon) {
            return Curve.tanh(horizon, floor, lower, upper);
        }

        @Override
        public String toString() {
            return "tanh(horizon=" + horizon + ", floor=" + floor + ", lower=" + lower + ", upper=" + upper + ")";
        }
    }

    record Cyclic(double start, double peak, double stepUp, double stepDown, Amplitude amplitude) implements Curve {
        @Override
        public double at(double step, double base) {
            // PyTorch's CyclicLR.get_lr, operation for operation.
            double totalSize = stepUp + stepDown;
            double stepRatio = stepUp / totalSize;
            double cycle = Math.floor(1 + step / totalSize);
            double x = 1. + step / totalSize - cycle;
            double wave = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
            double height = (peak - start) * wave;
            return start + height * amplitude.at(cycle, step);
        }

        @Override
        public String toString() {
            return "cyclic(start=" + start + ", peak=" + peak + ", step_up=" + stepUp + ", step_down=" + stepDown
                    + ", amplitude=" + amplitude + ")";
        }
    }

    record Phases(double[] ends, double[] values, Curve.Anneal anneal) implements Curve {
        @Override
        public double at(double step, double base) {
            // PyTorch's OneCycleLR.get_lr: the first phase whose end the step does not pass, else the last.
            double start = 0;
            int last = ends.length - 1;
            for (int i = 0; i <= last; i++) {
                if (step <= ends[i] || i == last) {
                    double pct = (step - start) / (ends[i] - start);
                    return anneal.between(values[i], values[i + 1], pct);
                }
                start = ends[i];
            }
            throw new AssertionError("the last phase always matches");
        }

        @Override
        public double horizon() {
            return ends[ends.length - 1];
        }

        /** The phase ends scaled in proportion. */
        @Override
        public Curve withHorizon(double horizon) {
            double[] scaled = ends.clone();
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] = ends[i] * horizon / horizon();
            }
            return Curve.phases(scaled, values, anneal);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Phases p && Arrays.equals(ends, p.ends) && Arrays.equals(values, p.values) && anneal == p.anneal;
        }

        @Override
        public int hashCode() {
            return (31 * Arrays.hashCode(ends) + Arrays.hashCode(values)) * 31 + anneal.hashCode();
        }

        @Override
        public String toString() {
            return "phases(ends=" + Arrays.toString(ends) + ", values=" + Arrays.toString(values) + ", anneal="
                    + anneal.name().toLowerCase(java.util.Locale.ROOT) + ")";
        }
    }

    /** Equal when the function is the same object. */
    record Running(LongToDoubleFunction factor, String description) implements Curve {
        @Override
        public double at(double step, double base) {
            double v = base;
            long end = (long) Math.floor(step);
            for (long i = 1; i <= end; i++) {
                v *= factor.applyAsDouble(i);
            }
            return v;
        }

        @Override
        public String toString() {
            return "running(" + description + ")";
        }
    }

    /** Equal when the function is the same object. */
    record Continuing(Curve.Function function, String description) implements Curve {
        @Override
        public double at(double step, double start) {
            return function.at(step, start);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** Equal when the function is the same object. */
    record Custom(Curve.Function function, String description) implements Curve {
        @Override
        public double at(double step, double base) {
            return function.at(step, base);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
