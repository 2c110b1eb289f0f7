package io.github.lr4j.peers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Builds the lr4j value function for a golden case's transformers or timm call, passing each keyword argument to
 * the Java parameter of the same name and leaving the others at the Java side's defaults (which are the
 * libraries' defaults: that is part of what the cases test).
 */
final class PeerCalls {
    private PeerCalls() {
    }

    /** The multiplier of a {@code hf.*} call; {@code lrInit} is the optimizer's default lr. */
    static LongToDoubleFunction hf(PyCall call, double lrInit) {
        String name = call.callee().substring("hf.".length());
        Map<String, Object> kw = new HashMap<>(call.kwargs());
        if (name.equals("get_scheduler")) {
            return getScheduler((String) call.args().get(0), kw, lrInit);
        }
        return factory(name, kw, lrInit);
    }

    /** transformers' get_scheduler: which arguments reach which factory. */
    @SuppressWarnings("unchecked")
    private static LongToDoubleFunction getScheduler(String type, Map<String, Object> kw, double lrInit) {
        Map<String, Object> specific = kw.get("scheduler_specific_kwargs") == null
                ? Map.of() : (Map<String, Object>) kw.get("scheduler_specific_kwargs");
        Map<String, Object> args = new HashMap<>();
        args.put("num_warmup_steps", kw.get("num_warmup_steps"));
        switch (type) {
            case "constant":
                return factory("get_constant_schedule", Map.of(), lrInit);
            case "constant_with_warmup":
                // get_scheduler passes only num_warmup_steps here (scheduler_specific_kwargs are dropped)
                return factory("get_constant_schedule_with_warmup", args, lrInit);
            case "inverse_sqrt":
                return factory("get_inverse_sqrt_schedule", args, lrInit);
            default:
                args.put("num_training_steps", kw.get("num_training_steps"));
                args.putAll(specific);
                return factory(Map.of(
                        "linear", "get_linear_schedule_with_warmup",
                        "cosine", "get_cosine_schedule_with_warmup",
                        "cosine_with_restarts", "get_cosine_with_hard_restarts_schedule_with_warmup",
                        "polynomial", "get_polynomial_decay_schedule_with_warmup",
                        "cosine_with_min_lr", "get_cosine_with_min_lr_schedule_with_warmup",
                        "cosine_warmup_with_min_lr", "get_cosine_with_min_lr_schedule_with_warmup_lr_rate",
                        "warmup_stable_decay", "get_wsd_schedule").get(type), args, lrInit);
        }
    }

    private static LongToDoubleFunction factory(String name, Map<String, Object> kw, double lrInit) {
        long w = kw.containsKey("num_warmup_steps") ? lng(kw.get("num_warmup_steps")) : 0;
        Object t = kw.get("num_training_steps");
        switch (name) {
            case "get_constant_schedule":
                return HfSchedules.constant();
            case "get_constant_schedule_with_warmup":
                return HfSchedules.constantWithWarmup(w);
            case "get_linear_schedule_with_warmup":
                return HfSchedules.linear(w, lng(t));
            case "get_cosine_schedule_with_warmup":
                return kw.containsKey("num_cycles") ? HfSchedules.cosine(w, lng(t), dbl(kw.get("num_cycles")))
                        : HfSchedules.cosine(w, lng(t));
            case "get_cosine_with_hard_restarts_schedule_with_warmup":
                return kw.containsKey("num_cycles")
                        ? HfSchedules.cosineWithHardRestarts(w, lng(t), dbl(kw.get("num_cycles")))
                        : HfSchedules.cosineWithHardRestarts(w, lng(t));
            case "get_polynomial_decay_schedule_with_warmup":
                return kw.containsKey("lr_end") || kw.containsKey("power")
                        ? HfSchedules.polynomial(w, lng(t), dbl(kw.getOrDefault("lr_end", 1e-7)),
                                dbl(kw.getOrDefault("power", 1.0)), lrInit)
                        : HfSchedules.polynomial(w, lng(t), lrInit);
            case "get_inverse_sqrt_schedule":
                return kw.get("timescale") != null ? HfSchedules.inverseSqrt(w, lng(kw.get("timescale")))
                        : HfSchedules.inverseSqrt(w);
            case "get_cosine_with_min_lr_schedule_with_warmup":
                return HfSchedules.cosineWithMinLr(w, lng(t), dbl(kw.getOrDefault("num_cycles", 0.5)), minLrRate(kw, lrInit));
            case "get_cosine_with_min_lr_schedule_with_warmup_lr_rate":
                return HfSchedules.cosineWarmupWithMinLr(w, lng(t), dbl(kw.getOrDefault("num_cycles", 0.5)),
                        minLrRate(kw, lrInit), kw.get("warmup_lr_rate") == null ? null : dbl(kw.get("warmup_lr_rate")));
            case "get_wsd_schedule":
                long d = lng(kw.get("num_decay_steps"));
                long stable = kw.get("num_stable_steps") != null ? lng(kw.get("num_stable_steps"))
                        : HfSchedules.numStableSteps(lng(t), w, d);
                if (!kw.containsKey("warmup_type") && !kw.containsKey("decay_type") && !kw.containsKey("min_lr_ratio")
                        && !kw.containsKey("num_cycles")) {
                    return HfSchedules.warmupStableDecay(w, stable, d);
                }
                return HfSchedules.warmupStableDecay(w, stable, d,
                        HfSchedules.WsdShape.of("warmup_type", (String) kw.getOrDefault("warmup_type", "linear")),
                        HfSchedules.WsdShape.of("decay_type", (String) kw.getOrDefault("decay_type", "cosine")),
                        dbl(kw.getOrDefault("min_lr_ratio", 0.0)), dbl(kw.getOrDefault("num_cycles", 0.5)));
            default:
                throw new IllegalArgumentException("no transformers schedule " + name);
        }
    }

    private static double minLrRate(Map<String, Object> kw, double lrInit) {
        return kw.get("min_lr") != null ? HfSchedules.minLrRate(dbl(kw.get("min_lr")), lrInit) : dbl(kw.get("min_lr_rate"));
    }

    /** A {@code timm.*} call other than PlateauLRScheduler. */
    static TimmSchedule timm(PyCall call) {
        Map<String, Object> kw = call.kwargs();
        TimmSchedule.Builder b;
        switch (call.callee()) {
            case "timm.CosineLRScheduler": b = TimmSchedule.cosine(lng(kw.get("t_initial"))); break;
            case "timm.TanhLRScheduler": b = TimmSchedule.tanh(lng(kw.get("t_initial"))); break;
            case "timm.PolyLRScheduler": b = TimmSchedule.poly(lng(kw.get("t_initial"))); break;
            case "timm.StepLRScheduler": b = TimmSchedule.step(dbl(kw.get("decay_t"))); break;
            case "timm.MultiStepLRScheduler":
                b = TimmSchedule.multiStep(((List<?>) kw.get("decay_t")).stream().mapToLong(PeerCalls::lng).toArray());
                break;
            default: throw new IllegalArgumentException("no timm scheduler " + call.callee());
        }
        for (Map.Entry<String, Object> e : kw.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "t_initial": case "decay_t": break;
                case "lr_min": b.lrMin(dbl(v)); break;
                case "cycle_mul": b.cycleMul(dbl(v)); break;
                case "cycle_decay": b.cycleDecay(dbl(v)); break;
                case "cycle_limit": b.cycleLimit(lng(v)); break;
                case "warmup_t": b.warmupT(lng(v)); break;
                case "warmup_lr_init": b.warmupLrInit(dbl(v)); break;
                case "warmup_prefix": b.warmupPrefix((Boolean) v); break;
                case "t_in_epochs": b.tInEpochs((Boolean) v); break;
                case "k_decay": b.kDecay(dbl(v)); break;
                case "power": b.power(dbl(v)); break;
                case "decay_rate": b.decayRate(dbl(v)); break;
                case "lb": b.bounds(dbl(v), dbl(kw.getOrDefault("ub", 3.0))); break;
                case "ub": if (!kw.containsKey("lb")) { b.bounds(-7, dbl(v)); } break;
                case "noise_range_t": b.noiseRangeT(range(v)); break;
                case "noise_pct": b.noisePct(dbl(v)); break;
                case "noise_seed": b.noiseSeed(lng(v)); break;
                default: throw new IllegalArgumentException("unhandled timm argument " + e.getKey());
            }
        }
        return b.build();
    }

    /** A {@code timm.PlateauLRScheduler} call. */
    static TimmPlateau timmPlateau(PyCall call, double[] baseValues, double[] lrScales) {
        TimmPlateau.Builder b = TimmPlateau.builder();
        for (Map.Entry<String, Object> e : call.kwargs().entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "decay_rate": b.decayRate(dbl(v)); break;
                case "patience_t": b.patienceT(lng(v)); break;
                case "threshold": b.threshold(dbl(v)); break;
                case "cooldown_t": b.cooldownT(lng(v)); break;
                case "warmup_t": b.warmupT(lng(v)); break;
                case "warmup_lr_init": b.warmupLrInit(dbl(v)); break;
                case "lr_min": b.lrMin(dbl(v)); break;
                case "mode": b.mode(TimmPlateau.Mode.valueOf(((String) v).toUpperCase(java.util.Locale.ROOT))); break;
                case "noise_range_t": b.noiseRangeT(range(v)); break;
                case "noise_type": b.uniformNoise(v.equals("uniform")); break;
                case "noise_pct": b.noisePct(dbl(v)); break;
                case "noise_seed": b.noiseSeed(lng(v)); break;
                default: throw new IllegalArgumentException("unhandled timm argument " + e.getKey());
            }
        }
        return b.build(baseValues, lrScales);
    }

    private static long[] range(Object v) {
        return v instanceof List ? ((List<?>) v).stream().mapToLong(PeerCalls::lng).toArray() : new long[] {lng(v)};
    }

    static long lng(Object v) {
        return ((Number) v).longValue();
    }

    static double dbl(Object v) {
        return ((Number) v).doubleValue();
    }
}
