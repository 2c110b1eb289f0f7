package io.github.lr4j.peers;

import static io.github.lr4j.util.Checks.invalid;

import io.github.lr4j.util.Checks;
import java.util.function.LongToDoubleFunction;

/**
 * The schedules of Hugging Face transformers' {@code get_scheduler} ({@code src/transformers/optimization.py} at
 * commit 005edacb), as pure functions from the step to the multiplier that transformers' {@code LambdaLR} applies:
 * group {@code g}'s lr after {@code s} calls of {@code scheduler.step()} is {@code base_lr[g] * f(s)} (the lr the
 * group had when the scheduler was made, times the multiplier). Arguments keep transformers' names and defaults;
 * where transformers reads {@code optimizer.defaults["lr"]} the function takes {@code lrInit}, the {@code lr=} given
 * to the optimizer's constructor.
 *
 * <p>Each function repeats transformers' arithmetic in the same order, so the values agree with transformers' to
 * the last bit or within an ulp of {@code cos}/{@code pow}. transformers' {@code reduce_lr_on_plateau} is
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} itself, which lr4j already has.
 *
 * <p>Bad arguments fail with an {@link IllegalArgumentException} naming transformers' parameter, the allowed range
 * and the value; so does a negative step. Every multiplier is finite and {@code >= 0}.
 */
public final class HfSchedules {
    private HfSchedules() {
    }

    /** The shape of {@code get_wsd_schedule}'s warm-up or decay: transformers' strings "linear", "cosine", "1-sqrt". */
    public enum WsdShape {
        LINEAR("linear"), COSINE("cosine"), ONE_MINUS_SQRT("1-sqrt");

        private final String hfName;

        WsdShape(String hfName) {
            this.hfName = hfName;
        }

        /** transformers' spelling of this shape. */
        public String hfName() {
            return hfName;
        }

        /** Reads transformers' spelling; {@code parameter} names the argument in the error. */
        public static WsdShape of(String parameter, String hfName) {
            for (WsdShape s : values()) {
                if (s.hfName.equals(hfName)) {
                    return s;
                }
            }
            throw invalid(parameter, "one of 'linear', 'cosine', '1-sqrt'", "'" + hfName + "'");
        }
    }

    /** {@code get_constant_schedule}: {@code f(s) = 1}. */
    public static LongToDoubleFunction constant() {
        return s -> {
            checkStep(s);
            return 1.0;
        };
    }

    /**
     * {@code get_constant_schedule_with_warmup(num_warmup_steps)} ({@code _get_constant_schedule_with_warmup_lr_lambda}):
     * {@code s / max(1, W)} for {@code s < W}, then 1.
     */
    public static LongToDoubleFunction constantWithWarmup(long numWarmupSteps) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        return s -> checkStep(s) < w ? warmup(s, w) : 1.0;
    }

    /**
     * {@code get_linear_schedule_with_warmup(num_warmup_steps, num_training_steps)}
     * ({@code _get_linear_schedule_with_warmup_lr_lambda}): {@code s / max(1, W)} for {@code s < W}, then
     * {@code max(0, (T - s) / max(1, T - W))}.
     */
    public static LongToDoubleFunction linear(long numWarmupSteps, long numTrainingSteps) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        long t = steps("num_training_steps", numTrainingSteps);
        return s -> checkStep(s) < w ? warmup(s, w) : Math.max(0.0, (double) (t - s) / (double) Math.max(1, t - w));
    }

    /** {@code get_cosine_schedule_with_warmup} with its default {@code num_cycles=0.5}. */
    public static LongToDoubleFunction cosine(long numWarmupSteps, long numTrainingSteps) {
        return cosine(numWarmupSteps, numTrainingSteps, 0.5);
    }

    /**
     * {@code get_cosine_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles)}: {@code s / max(1, W)}
     * for {@code s < W}, then with {@code p = (s - W) / max(1, T - W)}:
     * {@code max(0, 0.5 (1 + cos(pi num_cycles 2 p)))}. (transformers defines
     * {@code _get_cosine_schedule_with_warmup_lr_lambda} twice; the second one, with {@code min_lr_rate = 0}, is
     * the one in use. Past T the cosine goes on: with num_cycles = 0.5 it rises again after 2T - W.)
     */
    public static LongToDoubleFunction cosine(long numWarmupSteps, long numTrainingSteps, double numCycles) {
        return cosineWithMinLr(numWarmupSteps, numTrainingSteps, numCycles, 0.0);
    }

    /** {@code get_cosine_with_hard_restarts_schedule_with_warmup} with its default {@code num_cycles=1}. */
    public static LongToDoubleFunction cosineWithHardRestarts(long numWarmupSteps, long numTrainingSteps) {
        return cosineWithHardRestarts(numWarmupSteps, numTrainingSteps, 1);
    }

    /**
     * {@code get_cosine_with_hard_restarts_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles)}
     * ({@code _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda}): {@code s / max(1, W)} for
     * {@code s < W}; with {@code p = (s - W) / max(1, T - W)}: 0 once {@code p >= 1}, else
     * {@code max(0, 0.5 (1 + cos(pi ((num_cycles p) mod 1))))}.
     */
    public static LongToDoubleFunction cosineWithHardRestarts(long numWarmupSteps, long numTrainingSteps, double numCycles) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        long t = steps("num_training_steps", numTrainingSteps);
        double cycles = nonNegative("num_cycles", numCycles);
        return s -> {
            if (checkStep(s) < w) {
                return warmup(s, w);
            }
            double progress = (double) (s - w) / (double) Math.max(1, t - w);
            if (progress >= 1.0) {
                return 0.0;
            }
            return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * ((cycles * progress) % 1.0))));
        };
    }

    /** {@code get_polynomial_decay_schedule_with_warmup} with its defaults {@code lr_end=1e-7, power=1.0}. */
    public static LongToDoubleFunction polynomial(long numWarmupSteps, long numTrainingSteps, double lrInit) {
        return polynomial(numWarmupSteps, numTrainingSteps, 1e-7, 1.0, lrInit);
    }

    /**
     * {@code get_polynomial_decay_schedule_with_warmup(num_warmup_steps, num_training_steps, lr_end, power)}
     * ({@code _get_polynomial_decay_schedule_with_warmup_lr_lambda}), {@code lrInit} being
     * {@code optimizer.defaults["lr"]}: {@code s / max(1, W)} for {@code s < W}; {@code lr_end / lr_init} past T;
     * otherwise {@code ((lr_init - lr_end) (1 - (s - W) / (T - W))^power + lr_end) / lr_init}. So a group whose lr
     * differs from {@code lr_init} ends at {@code lr_end} scaled by its own ratio.
     */
    public static LongToDoubleFunction polynomial(long numWarmupSteps, long numTrainingSteps, double lrEnd, double power,
            double lrInit) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        long t = steps("num_training_steps", numTrainingSteps);
        if (t <= w) {
            // transformers divides by T - W and fails with ZeroDivisionError at step T.
            throw invalid("num_training_steps", "> num_warmup_steps (" + w + ")", t);
        }
        double init = Checks.positive("lr_init", lrInit);
        double end = nonNegative("lr_end", lrEnd);
        if (!(init > end)) {
            throw invalid("lr_end", "smaller than the initial lr (" + Checks.fmt(init) + ")", end);
        }
        double pow = nonNegative("power", power);
        return s -> {
            if (checkStep(s) < w) {
                return warmup(s, w);
            } else if (s > t) {
                return end / init;
            }
            double lrRange = init - end;
            long decaySteps = t - w;
            double pctRemaining = 1 - (double) (s - w) / (double) decaySteps;
            double decay = lrRange * Math.pow(pctRemaining, pow) + end;
            return decay / init;
        };
    }

    /** {@code get_inverse_sqrt_schedule} with its default {@code timescale}: {@code num_warmup_steps}, or 10000 if that is 0. */
    public static LongToDoubleFunction inverseSqrt(long numWarmupSteps) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        return inverseSqrt(w, w != 0 ? w : 10_000);
    }

    /**
     * {@code get_inverse_sqrt_schedule(num_warmup_steps, timescale)} ({@code _get_inverse_sqrt_schedule_lr_lambda}):
     * {@code s / max(1, W)} for {@code s < W}, then {@code 1 / sqrt((s + timescale - W) / timescale)}.
     */
    public static LongToDoubleFunction inverseSqrt(long numWarmupSteps, long timescale) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        if (timescale < 1) {
            throw invalid("timescale", ">= 1", timescale);
        }
        long shift = timescale - w;
        return s -> checkStep(s) < w ? warmup(s, w) : 1.0 / Math.sqrt((double) (s + shift) / (double) timescale);
    }

    /**
     * {@code get_cosine_with_min_lr_schedule_with_warmup(num_warmup_steps, num_training_steps, num_cycles,
     * min_lr_rate)}: {@code s / max(1, W)} for {@code s < W}, then with {@code p = (s - W) / max(1, T - W)} and
     * {@code c = 0.5 (1 + cos(pi num_cycles 2 p))}: {@code max(0, c (1 - min_lr_rate) + min_lr_rate)}. transformers'
     * {@code min_lr=} form is {@link #minLrRate min_lr_rate = min_lr / lr_init}.
     */
    public static LongToDoubleFunction cosineWithMinLr(long numWarmupSteps, long numTrainingSteps, double numCycles,
            double minLrRate) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        long t = steps("num_training_steps", numTrainingSteps);
        double cycles = nonNegative("num_cycles", numCycles);
        double rate = Checks.inClosed("min_lr_rate", minLrRate, 0, 1);
        return s -> {
            if (checkStep(s) < w) {
                return warmup(s, w);
            }
            double progress = (double) (s - w) / (double) Math.max(1, t - w);
            double factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress));
            factor = factor * (1 - rate) + rate;
            return Math.max(0, factor);
        };
    }

    /**
     * transformers' conversion of {@code min_lr=} to {@code min_lr_rate}: {@code min_lr / optimizer.defaults["lr"]}
     * (so a group with another lr ends at {@code min_lr} scaled by its own ratio).
     */
    public static double minLrRate(double minLr, double lrInit) {
        return nonNegative("min_lr", minLr) / Checks.positive("lr_init", lrInit);
    }

    /**
     * {@code get_cosine_with_min_lr_schedule_with_warmup_lr_rate(num_warmup_steps, num_training_steps, num_cycles,
     * min_lr_rate, warmup_lr_rate)} ({@code _get_cosine_with_min_lr_schedule_with_warmup_lr_rate_lambda}). Unlike
     * the other warm-ups this one is shifted by one step. For {@code s < W}: {@code (s + 1) / max(1, W)} when
     * {@code warmup_lr_rate} is null, else {@code r + (1 - r) s / max(1, W - 1)}; then with
     * {@code p = (s - W + 1) / max(1, T - W)} the cosine of {@link #cosineWithMinLr}. So the decay reaches
     * {@code min_lr_rate} at {@code s = T - 1}, and with the default warm-up the first value is {@code 1 / W}, not 0.
     *
     * @param warmupLrRate transformers' {@code warmup_lr_rate}, or null (its default)
     */
    public static LongToDoubleFunction cosineWarmupWithMinLr(long numWarmupSteps, long numTrainingSteps, double numCycles,
            double minLrRate, Double warmupLrRate) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        double totalSteps = steps("num_training_steps", numTrainingSteps);
        double cycles = nonNegative("num_cycles", numCycles);
        double rate = Checks.inClosed("min_lr_rate", minLrRate, 0, 1);
        double warmupSteps = w;
        Double warmupRate = warmupLrRate == null ? null : Checks.inClosed("warmup_lr_rate", warmupLrRate, 0, 1);
        return step -> {
            double s = checkStep(step);
            if (s < warmupSteps) {
                if (warmupRate == null) {
                    return (s + 1.) / Math.max(1., warmupSteps);
                }
                return warmupRate + (1.0 - warmupRate) * s / Math.max(1, warmupSteps - 1);
            }
            double progress = (s - warmupSteps + 1.) / Math.max(1., totalSteps - warmupSteps);
            double factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress));
            factor = factor * (1 - rate) + rate;
            return Math.max(0, factor);
        };
    }

    /**
     * transformers' default for {@code get_wsd_schedule}'s {@code num_stable_steps}:
     * {@code num_training_steps - num_warmup_steps - num_decay_steps} (which must not be negative).
     */
    public static long numStableSteps(long numTrainingSteps, long numWarmupSteps, long numDecaySteps) {
        long stable = steps("num_training_steps", numTrainingSteps) - steps("num_warmup_steps", numWarmupSteps)
                - steps("num_decay_steps", numDecaySteps);
        if (stable < 0) {
            throw invalid("num_training_steps", ">= num_warmup_steps + num_decay_steps ("
                    + (numWarmupSteps + numDecaySteps) + ")", numTrainingSteps);
        }
        return stable;
    }

    /**
     * {@code get_wsd_schedule} with transformers' defaults {@code warmup_type="linear", decay_type="cosine",
     * min_lr_ratio=0, num_cycles=0.5}.
     */
    public static LongToDoubleFunction warmupStableDecay(long numWarmupSteps, long numStableSteps, long numDecaySteps) {
        return warmupStableDecay(numWarmupSteps, numStableSteps, numDecaySteps, WsdShape.LINEAR, WsdShape.COSINE, 0, 0.5);
    }

    /**
     * {@code get_wsd_schedule(num_warmup_steps, num_decay_steps, num_stable_steps, warmup_type, decay_type,
     * min_lr_ratio, num_cycles)} ({@code _get_wsd_scheduler_lambda}); {@code m = min_lr_ratio}.
     * <ul>
     * <li>{@code s < W}: {@code p = s / max(1, W)}, {@code f} = p (linear), {@code 0.5 (1 - cos(pi p))} (cosine) or
     *     {@code 1 - sqrt(1 - p)} (1-sqrt); value {@code max(0, f (1 - m) + m)}.</li>
     * <li>{@code s < W + S}: 1.</li>
     * <li>{@code s < W + S + D}: {@code p = (s - W - S) / max(1, D)}, {@code f} = 1 - p, {@code 0.5 (1 + cos(pi
     *     num_cycles 2 p))} or {@code 1 - sqrt(p)}; value {@code max(0, f (1 - m) + m)}.</li>
     * <li>afterwards: {@code m}.</li>
     * </ul>
     * With {@code num_training_steps} instead of {@code num_stable_steps}, see {@link #numStableSteps}.
     */
    public static LongToDoubleFunction warmupStableDecay(long numWarmupSteps, long numStableSteps, long numDecaySteps,
            WsdShape warmupType, WsdShape decayType, double minLrRatio, double numCycles) {
        long w = steps("num_warmup_steps", numWarmupSteps);
        long stableEnd = w + steps("num_stable_steps", numStableSteps);
        long d = steps("num_decay_steps", numDecaySteps);
        long decayEnd = stableEnd + d;
        double m = Checks.inClosed("min_lr_ratio", minLrRatio, 0, 1);
        double cycles = nonNegative("num_cycles", numCycles);
        if (warmupType == null) {
            throw invalid("warmup_type", "one of 'linear', 'cosine', '1-sqrt'", null);
        }
        if (decayType == null) {
            throw invalid("decay_type", "one of 'linear', 'cosine', '1-sqrt'", null);
        }
        return s -> {
            if (checkStep(s) < w) {
                double progress = (double) s / (double) Math.max(1, w);
                double factor;
                switch (warmupType) {
                    case LINEAR: factor = progress; break;
                    case COSINE: factor = 0.5 * (1.0 - Math.cos(Math.PI * progress)); break;
                    default: factor = 1.0 - Math.sqrt(1.0 - progress); break;
                }
                factor = factor * (1.0 - m) + m;
                return Math.max(0.0, factor);
            }
            if (s < stableEnd) {
                return 1.0;
            }
            if (s < decayEnd) {
                double progress = (double) (s - stableEnd) / (double) Math.max(1, d);
                double factor;
                switch (decayType) {
                    case LINEAR: factor = 1.0 - progress; break;
                    case COSINE: factor = 0.5 * (1.0 + Math.cos(Math.PI * cycles * 2.0 * progress)); break;
                    default: factor = 1.0 - Math.sqrt(progress); break;
                }
                factor = factor * (1.0 - m) + m;
                return Math.max(0.0, factor);
            }
            return m;
        };
    }

    private static double warmup(long s, long w) {
        return (double) s / (double) Math.max(1, w);
    }

    private static long steps(String name, long v) {
        return Checks.atLeast(name, v, 0);
    }

    private static double nonNegative(String name, double v) {
        return Checks.nonNegative(name, v);
    }

    private static long checkStep(long s) {
        if (s < 0) {
            throw invalid("step", ">= 0", s);
        }
        return s;
    }
}
