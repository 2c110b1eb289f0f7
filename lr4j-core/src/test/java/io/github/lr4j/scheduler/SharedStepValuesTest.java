package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step evaluates what all groups share once (issue #26) and applies each group's own bounds to it. That must not
 * change a bit: with random per-group bounds, every stepped lr equals what the group-by-group form gives for that
 * step ({@code stepFrom}), and for absolute schedulers it equals {@code lrAt} and {@code momentumAt} exactly. The
 * numbers themselves are PyTorch's golden traces' business ({@code GoldenTraceTest}).
 */
class SharedStepValuesTest {
    private static final int CASES_PER_TYPE = 12;

    static Stream<Arguments> schedulers() {
        Random random = new Random(26);
        Stream.Builder<Arguments> out = Stream.builder();
        int[] sizes = {1, 2, 10, 100};
        for (int i = 0; i < CASES_PER_TYPE; i++) {
            int n = sizes[i % sizes.length];
            int total = 20 + random.nextInt(100);
            out.add(Arguments.of(oneCycle(random, n, total), n, total)); // up to its last step, which extrapolates
            out.add(Arguments.of(cyclic(random, n), n, 120));
            out.add(Arguments.of(warmRestarts(random), n, 120));
            out.add(Arguments.of(multiStep(random), n, 60));
            out.add(Arguments.of(step(random), n, 60));
            out.add(Arguments.of(cosine(random), n, 120));
        }
        return out.build();
    }

    private static String oneCycle(Random r, int n, int total) {
        return "OneCycleLR(max_lr=" + list(r, n, 0.01, 1) + ", total_steps=" + total
                + ", pct_start=" + num(0.1 + 0.5 * r.nextDouble())
                + ", anneal_strategy='" + (r.nextBoolean() ? "cos" : "linear") + "'"
                + ", base_momentum=" + list(r, n, 0.5, 0.8) + ", max_momentum=" + list(r, n, 0.85, 0.99)
                + ", div_factor=" + num(5 + 30 * r.nextDouble())
                + ", final_div_factor=" + num(10 + 1e4 * r.nextDouble())
                + ", three_phase=" + (r.nextBoolean() ? "True" : "False") + ")";
    }

    private static String cyclic(Random r, int n) {
        String[] modes = {"triangular", "triangular2", "exp_range"};
        return "CyclicLR(base_lr=" + list(r, n, 1e-4, 1e-2) + ", max_lr=" + list(r, n, 0.02, 1)
                + ", step_size_up=" + (1 + r.nextInt(15)) + ", step_size_down=" + (1 + r.nextInt(15))
                + ", mode='" + modes[r.nextInt(modes.length)] + "', gamma=" + num(0.9 + 0.1 * r.nextDouble())
                + ", base_momentum=" + list(r, n, 0.5, 0.8) + ", max_momentum=" + list(r, n, 0.85, 0.99) + ")";
    }

    private static String warmRestarts(Random r) {
        return "CosineAnnealingWarmRestarts(T_0=" + (1 + r.nextInt(12)) + ", T_mult=" + (1 + r.nextInt(3))
                + ", eta_min=" + num(1e-3 * r.nextDouble()) + ")";
    }

    private static String multiStep(Random r) {
        return "MultiStepLR(milestones=[" + r.nextInt(10) + ", " + r.nextInt(10) + ", " + (10 + r.nextInt(40))
                + "], gamma=" + num(0.1 + 0.8 * r.nextDouble()) + ")";
    }

    private static String step(Random r) {
        return "StepLR(step_size=" + (1 + r.nextInt(10)) + ", gamma=" + num(0.1 + 0.8 * r.nextDouble()) + ")";
    }

    private static String cosine(Random r) {
        return "CosineAnnealingLR(T_max=" + (1 + r.nextInt(30))
                + ", eta_min=" + num(r.nextBoolean() ? 0 : 1e-3 * r.nextDouble()) + ")";
    }

    private static String list(Random r, int n, double lo, double hi) {
        return IntStream.range(0, n).mapToObj(i -> num(lo + (hi - lo) * r.nextDouble()))
                .collect(java.util.stream.Collectors.joining(", ", "[", "]"));
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.17g", v);
    }

    private static ParamGroups groups(int n, long seed) {
        Random r = new Random(seed);
        double[] lrs = new double[n];
        double[] momenta = new double[n];
        for (int g = 0; g < n; g++) {
            lrs[g] = 1e-3 + r.nextDouble();
            momenta[g] = 0.5 + 0.49 * r.nextDouble();
        }
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, lrs, momenta);
    }

    @ParameterizedTest(name = "{1} groups: {0}")
    @MethodSource("schedulers")
    void steppedValues_areTheGroupByGroupValuesBitForBit(String spec, int n, int steps) {
        ParamGroups groups = groups(n, spec.hashCode());
        BasicScheduler s = (BasicScheduler) ScheduleSpec.build(spec, groups);
        boolean absolute = !s.chainable();
        double[] before = new double[n];
        for (int t = 0; t <= steps; t++) {
            if (t > 0) {
                for (int g = 0; g < n; g++) {
                    before[g] = groups.lr(g);
                }
                s.step();
            }
            // A scheduler that has not stepped: nothing it memoizes from one step for the next can agree by accident.
            BasicScheduler fresh = (BasicScheduler) ScheduleSpec.build(spec, groups(n, spec.hashCode()));
            for (int g = 0; g < n; g++) {
                double lr = groups.lr(g);
                String where = spec + ", group " + g + ", step " + t;
                if (t > 0) {
                    assertThat(lr).as(where + ": group by group").isEqualTo(fresh.stepFrom(g, (long) t, before[g]));
                }
                if (absolute) {
                    assertThat(lr).as(where + ": lrAt").isEqualTo(s.lrAt((long) t, g));
                }
                if (s.changesMomentum()) {
                    assertThat(groups.momentum(g)).as(where + ": momentumAt").isEqualTo(s.momentumAt((long) t, g));
                }
            }
        }
    }
}
