package io.github.lr4j.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongToDoubleFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad arguments fail with the parameter, the range and the value; good ones never give a negative or non-finite lr. */
class PeerArgumentsTest {

    private static void fails(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void hfSchedules_badArguments_failNamingTransformersParameter() {
        fails(() -> HfSchedules.linear(-1, 10), "num_warmup_steps must be >= 0, got -1");
        fails(() -> HfSchedules.cosine(0, -5), "num_training_steps must be >= 0, got -5");
        fails(() -> HfSchedules.cosine(0, 10, Double.NaN), "num_cycles must be finite and >= 0, got NaN");
        fails(() -> HfSchedules.polynomial(5, 5, 0.1), "num_training_steps must be > num_warmup_steps (5), got 5");
        fails(() -> HfSchedules.polynomial(0, 10, 0.2, 1.0, 0.1), "lr_end must be smaller than the initial lr (0.1), got 0.2");
        fails(() -> HfSchedules.polynomial(0, 10, 1e-7, -1.0, 0.1), "power must be finite and >= 0, got -1");
        fails(() -> HfSchedules.inverseSqrt(3, 0), "timescale must be >= 1, got 0");
        fails(() -> HfSchedules.cosineWithMinLr(0, 10, 0.5, 1.5), "min_lr_rate must be in [0, 1], got 1.5");
        fails(() -> HfSchedules.minLrRate(0.01, 0), "lr_init must be finite and > 0, got 0");
        fails(() -> HfSchedules.cosineWarmupWithMinLr(2, 10, 0.5, 0.1, -0.5), "warmup_lr_rate must be in [0, 1], got -0.5");
        fails(() -> HfSchedules.WsdShape.of("decay_type", "exp"), "decay_type must be one of 'linear', 'cosine', '1-sqrt', got 'exp'");
        fails(() -> HfSchedules.numStableSteps(10, 5, 8), "num_training_steps must be >= num_warmup_steps + num_decay_steps (13), got 10");
        fails(() -> HfSchedules.warmupStableDecay(1, 2, 3, HfSchedules.WsdShape.LINEAR, HfSchedules.WsdShape.COSINE, 2, 0.5),
                "min_lr_ratio must be in [0, 1], got 2");
        fails(() -> HfSchedules.linear(2, 10).applyAsDouble(-1), "step must be >= 0, got -1");
    }

    @Test
    void timmSchedule_badArguments_failNamingTimmsParameter() {
        fails(() -> TimmSchedule.cosine(0), "t_initial must be >= 1, got 0");
        fails(() -> TimmSchedule.tanh(10).kDecay(2), "k_decay is not an argument of TanhLRScheduler");
        fails(() -> TimmSchedule.step(3).lrMin(0.1), "lr_min is not an argument of StepLRScheduler");
        fails(() -> TimmSchedule.cosine(10).decayRate(0.5), "decay_rate is not an argument of CosineLRScheduler");
        fails(() -> TimmSchedule.step(0), "decay_t must be finite and > 0, got 0");
        fails(() -> TimmSchedule.multiStep(5, 3, 8), "decay_t must be in ascending order, got [5, 3, 8]");
        fails(() -> TimmSchedule.tanh(10).bounds(3, 3), "ub must be > lb (3), got 3");
        fails(() -> TimmSchedule.cosine(10).cycleMul(0), "cycle_mul must be finite and > 0, got 0");
        fails(() -> TimmSchedule.cosine(10).cycleLimit(-1), "cycle_limit must be >= 0, got -1");
        fails(() -> TimmSchedule.cosine(10).warmupLrInit(-1e-3), "warmup_lr_init must be finite and >= 0, got -0.001");
        fails(() -> TimmSchedule.cosine(10).noisePct(0), "noise_pct must be finite and > 0, got 0");
        fails(() -> TimmSchedule.cosine(10).noiseRangeT(1, 2, 3).build(),
                "noise_range_t must be one number or a pair [start, end), got 3 numbers");
        fails(() -> TimmSchedule.cosine(10).build().values(-1, new double[] {0.1}), "t must be >= 0, got -1");
        fails(() -> TimmSchedule.cosine(10).build().values(1, new double[] {-0.1}), "base value of group 0 must be finite and >= 0, got -0.1");
        fails(() -> TimmPlateau.builder().decayRate(1), "decay_rate must be in (0, 1), got 1");
        fails(() -> TimmPlateau.builder().patienceT(-2), "patience_t must be >= 0, got -2");
        fails(() -> TimmPlateau.builder().build(new double[] {0.1, 0.2}, new double[] {1}),
                "lr_scale must have one entry per param group (2), got 1");
    }

    /** Seeded random schedules of every kind, each a case of its own. */
    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everySchedule_withRandomArguments_isFiniteAndNonNegativeEverywhere(int seed) {
        Random rnd = new Random(seed);
        long w = rnd.nextInt(50);
        long t = w + 1 + rnd.nextInt(500);
        double lrInit = 0.001 + rnd.nextDouble();
        List<LongToDoubleFunction> hf = List.of(
                HfSchedules.constant(),
                HfSchedules.constantWithWarmup(w),
                HfSchedules.linear(w, t),
                HfSchedules.cosine(w, t, rnd.nextDouble() * 3),
                HfSchedules.cosineWithHardRestarts(w, t, 1 + rnd.nextInt(5)),
                HfSchedules.polynomial(w, t, lrInit * rnd.nextDouble(), rnd.nextDouble() * 3, lrInit),
                HfSchedules.inverseSqrt(w, 1 + rnd.nextInt(1000)),
                HfSchedules.cosineWithMinLr(w, t, rnd.nextDouble() * 2, rnd.nextDouble()),
                HfSchedules.cosineWarmupWithMinLr(w, t, rnd.nextDouble() * 2, rnd.nextDouble(), rnd.nextBoolean() ? null : rnd.nextDouble()),
                HfSchedules.warmupStableDecay(w, rnd.nextInt(100), rnd.nextInt(100),
                        HfSchedules.WsdShape.values()[rnd.nextInt(3)], HfSchedules.WsdShape.values()[rnd.nextInt(3)],
                        rnd.nextDouble(), rnd.nextDouble() * 2));
        double[] base = {rnd.nextDouble(), rnd.nextDouble() * 0.1};
        long warmupT = rnd.nextInt(10);
        List<TimmSchedule> timm = new ArrayList<>(List.of(
                TimmSchedule.cosine(1 + rnd.nextInt(100)).lrMin(rnd.nextDouble() * 1e-3).cycleMul(0.5 + rnd.nextDouble() * 2)
                        .cycleDecay(rnd.nextDouble()).cycleLimit(rnd.nextInt(5)).kDecay(0.5 + rnd.nextDouble() * 2)
                        .warmupT(warmupT).warmupLrInit(1e-4).warmupPrefix(rnd.nextBoolean()).build(),
                TimmSchedule.tanh(1 + rnd.nextInt(100)).lrMin(rnd.nextDouble() * 1e-3).cycleMul(0.5 + rnd.nextDouble() * 2)
                        .cycleLimit(rnd.nextInt(5)).warmupT(warmupT).warmupPrefix(rnd.nextBoolean()).build(),
                TimmSchedule.poly(1 + rnd.nextInt(100)).power(rnd.nextDouble() * 3).cycleMul(0.5 + rnd.nextDouble() * 2)
                        .cycleLimit(rnd.nextInt(5)).warmupT(warmupT).build(),
                TimmSchedule.step(0.5 + rnd.nextDouble() * 10).decayRate(rnd.nextDouble()).warmupT(warmupT).build(),
                TimmSchedule.multiStep(3, 7, 7, 20).decayRate(rnd.nextDouble()).warmupT(warmupT)
                        .noiseRangeT(2).noisePct(0.5).noiseSeed(seed).build()));
        for (int i = 0; i < 300; i++) {
            long step = i < 200 ? i : (long) (rnd.nextDouble() * 1e9);
            for (LongToDoubleFunction f : hf) {
                double v = f.applyAsDouble(step);
                assertThat(Double.isFinite(v) && v >= 0).as("seed %d step %d: %s", seed, step, v).isTrue();
            }
            for (TimmSchedule s : timm) {
                for (double v : s.values(step, base)) {
                    assertThat(Double.isFinite(v) && v >= 0).as("seed %d %s t %d: %s", seed, s.kind(), step, v).isTrue();
                }
            }
        }
    }
}
