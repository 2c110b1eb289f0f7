package io.github.lr4j.schedule;

import java.util.Arrays;
import java.util.List;

/** The combinators behind {@link Curve}'s default methods and {@link Curve#join}; arguments are checked there. */
final class Combinators {
    private Combinators() {
    }

    record Based(Curve inner, double base) implements Curve {
        @Override
        public double at(double step, double ignored) {
            return inner.at(step, base);
        }

        @Override
        public double horizon() {
            return inner.horizon();
        }

        @Override
        public Curve withHorizon(double horizon) {
            return new Based(inner.withHorizon(horizon), base);
        }

        @Override
        public String toString() {
            return inner + ".with_base(" + base + ")";
        }
    }

    record Product(Curve first, Curve factor) implements Curve {
        @Override
        public double at(double step, double base) {
            return first.at(step, base) * factor.at(step, 1.0);
        }

        @Override
        public double horizon() {
            return first.horizon();
        }

        @Override
        public Curve withHorizon(double horizon) {
            return new Product(first.withHorizon(horizon), factor.withHorizon(horizon));
        }

        @Override
        public String toString() {
            return first + " * " + factor;
        }
    }

    record Scaled(Curve inner, double k) implements Curve {
        @Override
        public double at(double step, double base) {
            return k * inner.at(step, base);
        }

        @Override
        public double horizon() {
            return inner.horizon();
        }

        @Override
        public Curve withHorizon(double horizon) {
            return new Scaled(inner.withHorizon(horizon), k);
        }

        @Override
        public String toString() {
            return k + " * " + inner;
        }
    }

    record Clamped(Curve inner, double min, double max) implements Curve {
        @Override
        public double at(double step, double base) {
            return Math.max(min, Math.min(max, inner.at(step, base)));
        }

        @Override
        public double horizon() {
            return inner.horizon();
        }

        @Override
        public Curve withHorizon(double horizon) {
            return new Clamped(inner.withHorizon(horizon), min, max);
        }

        @Override
        public String toString() {
            return "clamp(" + inner + ", min=" + min + ", max=" + max + ")";
        }
    }

    record Repeated(Curve inner, double period, double periodMult, double decay) implements Curve {
        @Override
        public double at(double step, double base) {
            double start;
            double length;
            double cycle;
            if (periodMult == 1) {
                cycle = Math.floor(step / period);
                start = cycle * period;
                length = period;
            } else {
                // O(log step) cycles; exact in doubles for whole-number periods below 2^53.
                start = 0;
                length = period;
                cycle = 0;
                while (start + length <= step) {
                    start += length;
                    length *= periodMult;
                    cycle++;
                }
            }
            double value = inner.withHorizon(length).at(step - start, base);
            return decay == 1 ? value : value * Math.pow(decay, cycle);
        }

        @Override
        public String toString() {
            return "repeat(" + inner + ", period=" + period + ", period_mult=" + periodMult + ", decay=" + decay + ")";
        }
    }

    record Join(List<Curve> pieces, long[] boundaries) implements Curve {
        @Override
        public double at(double step, double base) {
            int i = Shapes.MultiStep.countAtOrBefore(boundaries, step);
            return valueOfPiece(i, i == 0 ? step : step - boundaries[i - 1], base);
        }

        private double valueOfPiece(int i, double local, double base) {
            Curve piece = pieces.get(i);
            if (i > 0 && continues(piece)) {
                // A running (continuing) piece multiplies (starts from) the value the previous piece reached just before the boundary.
                long boundary = boundaries[i - 1];
                double reached = valueOfPiece(i - 1, i == 1 ? boundary - 1 : boundary - 1 - boundaries[i - 2], base);
                Curve running = piece instanceof Based b ? b.inner() : piece;
                return running.at(local, reached);
            }
            return piece.at(local, base);
        }

        private static boolean continues(Curve piece) {
            Curve inner = piece instanceof Based b ? b.inner() : piece;
            return inner instanceof Shapes.Running || inner instanceof Shapes.Continuing;
        }

        @Override
        public double horizon() {
            return boundaries.length == 0 ? pieces.get(0).horizon() : boundaries[boundaries.length - 1] + last().horizon();
        }

        /** Retargets the last piece so that the whole join ends at {@code horizon}. */
        @Override
        public Curve withHorizon(double horizon) {
            long lastBoundary = boundaries.length == 0 ? 0 : boundaries[boundaries.length - 1];
            if (!(horizon > lastBoundary)) {
                throw new IllegalArgumentException("horizon must be > the last boundary " + lastBoundary + ", got " + horizon);
            }
            Curve[] retargeted = pieces.toArray(new Curve[0]);
            retargeted[retargeted.length - 1] = last().withHorizon(horizon - lastBoundary);
            return new Join(List.of(retargeted), boundaries);
        }

        private Curve last() {
            return pieces.get(pieces.size() - 1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Join j && pieces.equals(j.pieces) && Arrays.equals(boundaries, j.boundaries);
        }

        @Override
        public int hashCode() {
            return 31 * pieces.hashCode() + Arrays.hashCode(boundaries);
        }

        @Override
        public String toString() {
            return "join(" + pieces + ", boundaries=" + Arrays.toString(boundaries) + ")";
        }
    }
}
