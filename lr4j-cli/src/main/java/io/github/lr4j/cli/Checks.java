package io.github.lr4j.cli;

/** Option checks shared by the commands. */
final class Checks {
    private Checks() {
    }

    static void steps(long steps) {
        if (steps < 1 || steps > 10_000_000) {
            throw new IllegalArgumentException("--steps must be in [1, 10000000], got " + steps);
        }
    }
}
