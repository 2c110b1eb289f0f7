package io.github.lr4j.schedule;

import static io.github.lr4j.util.Checks.positive;

import java.util.function.DoubleUnaryOperator;

/**
 * How a {@link Curve#cyclic} wave's height changes over time: PyTorch's CyclicLR {@code scale_fn}
 * applied to the cycle number (from 1) or to the step.
 */
public interface Amplitude {

    /** The height multiplier in cycle {@code cycle} (1, 2, ...) at {@code step}. */
    double at(double cycle, double step);

    /** Full height in every cycle (PyTorch's {@code 'triangular'}). */
    static Amplitude constant() {
        return Constant.INSTANCE;
    }

    /** Halved every cycle: {@code 1 / 2^(cycle - 1)} (PyTorch's {@code 'triangular2'}). */
    static Amplitude halvedEachCycle() {
        return Halved.INSTANCE;
    }

    /** {@code gamma^step} (PyTorch's {@code 'exp_range'}). */
    static Amplitude exponential(double gamma) {
        return new Exponential(positive("gamma", gamma));
    }

    /** A user function of the cycle number ({@code scale_mode='cycle'}). */
    static Amplitude perCycle(DoubleUnaryOperator scale) {
        return new Custom(requireFn(scale), true);
    }

    /** A user function of the step ({@code scale_mode='iterations'}). */
    static Amplitude perStep(DoubleUnaryOperator scale) {
        return new Custom(requireFn(scale), false);
    }

    private static DoubleUnaryOperator requireFn(DoubleUnaryOperator scale) {
        if (scale == null) {
            throw new IllegalArgumentException("scale must not be null");
        }
        return scale;
    }

    enum Constant implements Amplitude {
        INSTANCE;

        @Override
        public double at(double cycle, double step) {
            return 1.;
        }

        @Override
        public String toString() {
            return "constant";
        }
    }

    enum Halved implements Amplitude {
        INSTANCE;

        @Override
        public double at(double cycle, double step) {
            return 1 / Math.pow(2., cycle - 1);
        }

        @Override
        public String toString() {
            return "halved_each_cycle";
        }
    }

    record Exponential(double gamma) implements Amplitude {
        @Override
        public double at(double cycle, double step) {
            return Math.pow(gamma, step);
        }

        @Override
        public String toString() {
            return "exponential(gamma=" + gamma + ")";
        }
    }

    record Custom(DoubleUnaryOperator scale, boolean byCycle) implements Amplitude {
        @Override
        public double at(double cycle, double step) {
            return scale.applyAsDouble(byCycle ? cycle : step);
        }

        @Override
        public String toString() {
            return (byCycle ? "per_cycle(" : "per_step(") + scale + ")";
        }
    }
}
