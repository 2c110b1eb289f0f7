package io.github.lr4j.scheduler;

import static io.github.lr4j.scheduler.SchedulerType.Param.optional;
import static io.github.lr4j.scheduler.SchedulerType.Param.required;

import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.peers.HfSchedules;
import io.github.lr4j.peers.TimmPlateau;
import io.github.lr4j.peers.TimmSchedule;
import io.github.lr4j.scheduler.SchedulerType.LintContext;
import io.github.lr4j.scheduler.SchedulerType.Param;
import io.github.lr4j.scheduler.SchedulerType.Param.Kind;
import io.github.lr4j.spec.Args;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongToDoubleFunction;

/**
 * Hugging Face transformers' and timm's schedulers as {@link SchedulerType} descriptors, under the names a user
 * pastes: {@code get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=100, num_training_steps=1000)},
 * {@code get_scheduler("cosine", optimizer, ...)} and {@code CosineLRScheduler(optimizer, t_initial=...)}, with or
 * without the {@code hf.}/{@code timm.}/{@code transformers.} prefix (the language ignores a callee's prefix).
 * The numbers come from {@link HfSchedules}, {@link TimmSchedule} and {@link TimmPlateau}; the golden traces made by
 * the libraries' own code replay through {@code TraceRunner} bit for bit.
 *
 * <p>A transformers schedule is a LambdaLR, {@code lr = base * f(step)}; a timm one writes its value times the group's
 * {@link ParamGroups#lrScale lr_scale}. timm's two calls map onto lr4j's one verb: with {@code t_in_epochs=True} (timm's
 * default) the scheduler is stepped once per epoch (its {@code step(epoch)}), otherwise once per optimizer update (its
 * {@code step_update(num_updates)}); the training loop picks the interval from the descriptor, and a run that steps it
 * the other way fails its pre-flight.
 */
final class PeerTypes {
    private PeerTypes() {
    }

    private static final String LR_INIT = "the first group's initial lr (transformers reads optimizer.defaults['lr'])";

    static List<SchedulerType> all() {
        List<SchedulerType> out = new ArrayList<>();
        out.add(hf("get_constant_schedule", "lr = base (transformers)", List.of(),
                (a, lrInit) -> HfSchedules.constant())
                .example("get_constant_schedule(optimizer)", 10).build());
        out.add(hf("get_constant_schedule_with_warmup", "linear warm-up from 0, then base (transformers)",
                List.of(warmup()),
                (a, lrInit) -> HfSchedules.constantWithWarmup(a.integer("num_warmup_steps")))
                .example("hf.get_constant_schedule_with_warmup(optimizer, num_warmup_steps=5)", 15).build());
        out.add(hf("get_linear_schedule_with_warmup", "linear warm-up from 0, then linear decay to 0 at num_training_steps"
                        + " (transformers)", List.of(warmup(), training()),
                (a, lrInit) -> HfSchedules.linear(a.integer("num_warmup_steps"), a.integer("num_training_steps")))
                .example("hf.get_linear_schedule_with_warmup(optimizer, num_warmup_steps=5, num_training_steps=30)", 35)
                .build());
        out.add(hf("get_cosine_schedule_with_warmup", "linear warm-up from 0, then cosine to 0 (transformers)",
                List.of(warmup(), training(), optional("num_cycles", Kind.NUMBER, 0.5, ">= 0",
                        "number of cosine half-waves... 0.5: one decay to 0")),
                (a, lrInit) -> HfSchedules.cosine(a.integer("num_warmup_steps"), a.integer("num_training_steps"),
                        a.num("num_cycles")))
                .example("get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=10, num_training_steps=100)", 110)
                .build());
        out.add(hf("get_cosine_with_hard_restarts_schedule_with_warmup", "linear warm-up, then num_cycles cosine decays"
                        + " to 0, each restarting at base (transformers)",
                List.of(warmup(), training(), optional("num_cycles", Kind.INTEGER, 1L, ">= 0", "number of hard restarts")),
                (a, lrInit) -> HfSchedules.cosineWithHardRestarts(a.integer("num_warmup_steps"),
                        a.integer("num_training_steps"), a.num("num_cycles")))
                .example("get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, num_warmup_steps=3,"
                        + " num_training_steps=20, num_cycles=3)", 25)
                .build());
        out.add(hf("get_polynomial_decay_schedule_with_warmup", "linear warm-up, then polynomial decay from the initial lr"
                        + " to lr_end (transformers; lr_end is absolute for the first group, scaled for the others)",
                List.of(warmup(), training(),
                        optional("lr_end", Kind.NUMBER, 1e-7, ">= 0, < " + LR_INIT, "the lr at num_training_steps"),
                        optional("power", Kind.NUMBER, 1.0, ">= 0", "power of the decay")),
                (a, lrInit) -> HfSchedules.polynomial(a.integer("num_warmup_steps"), a.integer("num_training_steps"),
                        a.num("lr_end"), a.num("power"), lrInit))
                .example("get_polynomial_decay_schedule_with_warmup(optimizer, num_warmup_steps=4, num_training_steps=20,"
                        + " lr_end=0.0005, power=0.5)", 25)
                .build());
        out.add(hf("get_inverse_sqrt_schedule", "linear warm-up, then base / sqrt((step + shift) / timescale)"
                        + " (transformers)",
                List.of(warmup(), optional("timescale", Kind.INTEGER, null, ">= 1, or None: num_warmup_steps or 10,000",
                        "steps over which the decay halves the lr... ")),
                (a, lrInit) -> a.isNone("timescale") ? HfSchedules.inverseSqrt(a.integer("num_warmup_steps"))
                        : HfSchedules.inverseSqrt(a.integer("num_warmup_steps"), a.integer("timescale")))
                .example("get_inverse_sqrt_schedule(optimizer, num_warmup_steps=5, timescale=20)", 40)
                .build());
        out.add(hf("get_cosine_with_min_lr_schedule_with_warmup", "linear warm-up, then cosine down to min_lr"
                        + " (or min_lr_rate x base) (transformers)",
                List.of(warmup(), training(), optional("num_cycles", Kind.NUMBER, 0.5, ">= 0", "cosine half-waves"),
                        optional("min_lr", Kind.NUMBER, null, ">= 0", "lowest lr of the first group (or give min_lr_rate)"),
                        optional("min_lr_rate", Kind.NUMBER, null, "[0, 1]", "lowest lr as a fraction of base")),
                (a, lrInit) -> HfSchedules.cosineWithMinLr(a.integer("num_warmup_steps"), a.integer("num_training_steps"),
                        a.num("num_cycles"), minLrRate(a, lrInit)))
                .example("get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps=10,"
                        + " num_training_steps=60, min_lr=0.001)", 70)
                .build());
        out.add(hf("get_cosine_with_min_lr_schedule_with_warmup_lr_rate", "warm-up from warmup_lr_rate x base (or"
                        + " 1/num_warmup_steps), then cosine down to min_lr (transformers)",
                List.of(warmup(), training(), optional("num_cycles", Kind.NUMBER, 0.5, ">= 0", "cosine half-waves"),
                        optional("min_lr", Kind.NUMBER, null, ">= 0", "lowest lr of the first group (or give min_lr_rate)"),
                        optional("min_lr_rate", Kind.NUMBER, null, "[0, 1]", "lowest lr as a fraction of base"),
                        optional("warmup_lr_rate", Kind.NUMBER, null, "[0, 1], or None", "first lr as a fraction of base")),
                (a, lrInit) -> HfSchedules.cosineWarmupWithMinLr(a.integer("num_warmup_steps"),
                        a.integer("num_training_steps"), a.num("num_cycles"), minLrRate(a, lrInit),
                        a.isNone("warmup_lr_rate") ? null : a.num("warmup_lr_rate")))
                .example("get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps=5,"
                        + " num_training_steps=40, min_lr_rate=0.1)", 45)
                .build());
        out.add(hf("get_wsd_schedule", "warm-up, stable, decay (transformers): warmup_type/decay_type 'linear', 'cosine'"
                        + " or '1-sqrt', down to min_lr_ratio x base",
                List.of(warmup(), required("num_decay_steps", Kind.INTEGER, ">= 0", "length of the decay"),
                        optional("num_training_steps", Kind.INTEGER, null, ">= num_warmup_steps + num_decay_steps",
                                "total length (or give num_stable_steps)"),
                        optional("num_stable_steps", Kind.INTEGER, null, ">= 0", "length of the stable phase"),
                        optional("warmup_type", Kind.STRING, "linear", "'linear', 'cosine' or '1-sqrt'", "warm-up shape"),
                        optional("decay_type", Kind.STRING, "cosine", "'linear', 'cosine' or '1-sqrt'", "decay shape"),
                        optional("min_lr_ratio", Kind.NUMBER, 0.0, "[0, 1]", "final lr as a fraction of base"),
                        optional("num_cycles", Kind.NUMBER, 0.5, ">= 0", "cosine half-waves of a cosine decay")),
                (a, lrInit) -> {
                    long w = a.integer("num_warmup_steps");
                    long d = a.integer("num_decay_steps");
                    long stable;
                    if (!a.isNone("num_stable_steps")) {
                        stable = a.integer("num_stable_steps");
                    } else if (!a.isNone("num_training_steps")) {
                        stable = HfSchedules.numStableSteps(a.integer("num_training_steps"), w, d);
                    } else {
                        throw new IllegalArgumentException("num_stable_steps or num_training_steps must be given, got neither");
                    }
                    return HfSchedules.warmupStableDecay(w, stable, d,
                            HfSchedules.WsdShape.of("warmup_type", a.str("warmup_type")),
                            HfSchedules.WsdShape.of("decay_type", a.str("decay_type")),
                            a.num("min_lr_ratio"), a.num("num_cycles"));
                })
                .example("get_wsd_schedule(optimizer, num_warmup_steps=5, num_decay_steps=10, num_training_steps=40)", 45)
                .example("get_wsd_schedule(optimizer, num_warmup_steps=4, num_decay_steps=8, num_stable_steps=10,"
                        + " warmup_type='cosine', decay_type='1-sqrt', min_lr_ratio=0.1)", 25)
                .build());
        out.add(SchedulerType.builder("get_reduce_on_plateau_schedule", "PyTorch's ReduceLROnPlateau with these arguments"
                        + " (transformers)")
                .param(optional("kwargs", Kind.KWARGS, null, "ReduceLROnPlateau's arguments", "e.g. {'patience': 2}"))
                .factory((a, g) -> delegate("ReduceLROnPlateau", a.kwargs("kwargs"), g))
                .build());
        out.add(getScheduler());
        out.add(timm(TimmSchedule.Kind.COSINE));
        out.add(timm(TimmSchedule.Kind.TANH));
        out.add(timm(TimmSchedule.Kind.STEP));
        out.add(timm(TimmSchedule.Kind.MULTISTEP));
        out.add(timm(TimmSchedule.Kind.POLY));
        out.add(timmPlateau());
        out.add(SchedulerType.builder("PiecewiseConstant", "lr = values[i] between boundaries[i - 1] and boundaries[i], absolute"
                        + " (Keras's PiecewiseConstantDecay, Optax's piecewise_constant_schedule of absolute values)")
                .overwritesLr()
                .param(required("boundaries", Kind.INTEGERS, "increasing, each >= 1", "steps at which the next value starts"))
                .param(required("values", Kind.NUMBERS, "one more than boundaries; each >= 0",
                        "the lr of each piece (absolute, every group)"))
                .factory((a, g) -> PiecewiseConstant.of(g, a.ints("boundaries"), a.nums("values")).attach())
                .perBatch()
                .example("PiecewiseConstant(boundaries=[5, 12], values=[0.1, 0.05, 0.01])", 20)
                .build());
        return out;
    }

    // ---- transformers ----

    /** A transformers multiplier from the checked arguments and {@code lr_init}. */
    @FunctionalInterface
    private interface HfFactory {
        LongToDoubleFunction build(Args args, double lrInit);
    }

    private static Param warmup() {
        return required("num_warmup_steps", Kind.INTEGER, ">= 0", "steps of linear warm-up from 0");
    }

    private static Param training() {
        return required("num_training_steps", Kind.INTEGER, ">= 0", "total steps: the schedule ends here");
    }

    private static SchedulerType.Builder hf(String name, String doc, List<Param> params, HfFactory factory) {
        SchedulerType.Builder b = SchedulerType.builder(name, doc).overwritesLr().perBatch();
        params.forEach(b::param);
        return b.factory((a, groups) -> {
            LongToDoubleFunction f = factory.build(a, groups.initialLr(0) >= 0 ? groups.initialLr(0) : groups.lr(0));
            Map<String, Object> given = given(params, a);
            return new CustomScheduler(groups, (step, group, base) -> base * f.applyAsDouble(step), name, given).attach();
        }).lint(PeerTypes::lintHf);
    }

    /** The arguments as given, by parameter, for the scheduler to print and save under its type. */
    private static Map<String, Object> given(List<Param> params, Args a) {
        Map<String, Object> given = new LinkedHashMap<>();
        for (Param p : params) {
            given.put(p.name(), a.value(p.name()));
        }
        return given;
    }

    private static double minLrRate(Args a, double lrInit) {
        boolean lr = !a.isNone("min_lr");
        boolean rate = !a.isNone("min_lr_rate");
        if (lr == rate) {
            throw new IllegalArgumentException("exactly one of min_lr and min_lr_rate must be given, got "
                    + (lr ? "both" : "neither"));
        }
        return lr ? HfSchedules.minLrRate(a.num("min_lr"), lrInit) : a.num("min_lr_rate");
    }

    /** transformers' {@code get_scheduler}: which arguments reach which factory (as its TYPE_TO_SCHEDULER_FUNCTION). */
    private static SchedulerType getScheduler() {
        Map<String, String> functions = new LinkedHashMap<>();
        functions.put("linear", "get_linear_schedule_with_warmup");
        functions.put("cosine", "get_cosine_schedule_with_warmup");
        functions.put("cosine_with_restarts", "get_cosine_with_hard_restarts_schedule_with_warmup");
        functions.put("polynomial", "get_polynomial_decay_schedule_with_warmup");
        functions.put("constant", "get_constant_schedule");
        functions.put("constant_with_warmup", "get_constant_schedule_with_warmup");
        functions.put("inverse_sqrt", "get_inverse_sqrt_schedule");
        functions.put("reduce_lr_on_plateau", "get_reduce_on_plateau_schedule");
        functions.put("cosine_with_min_lr", "get_cosine_with_min_lr_schedule_with_warmup");
        functions.put("cosine_warmup_with_min_lr", "get_cosine_with_min_lr_schedule_with_warmup_lr_rate");
        functions.put("warmup_stable_decay", "get_wsd_schedule");
        String names = "'" + String.join("', '", functions.keySet()) + "'";
        return SchedulerType.builder("get_scheduler", "transformers' get_scheduler(name, optimizer, ...): builds the"
                        + " schedule of that name (" + names + ")")
                .param(required("name", Kind.STRING, names, "transformers' SchedulerType"))
                .optimizerAfter(1)
                .param(optional("num_warmup_steps", Kind.INTEGER, null, ">= 0", "passed to every schedule that takes it"))
                .param(optional("num_training_steps", Kind.INTEGER, null, ">= 0", "passed to the decaying schedules"))
                .param(optional("scheduler_specific_kwargs", Kind.KWARGS, null, "the named schedule's other arguments",
                        "e.g. {'num_cycles': 2}"))
                .factory((a, groups) -> {
                    String name = a.str("name");
                    String fn = functions.get(name);
                    if (fn == null) {
                        throw new IllegalArgumentException("name must be one of " + names + ", got '" + name + "'");
                    }
                    Map<String, Object> kwargs = new LinkedHashMap<>();
                    switch (name) {
                        case "constant":
                            break;
                        case "reduce_lr_on_plateau":
                            kwargs.put("kwargs", a.kwargs("scheduler_specific_kwargs"));
                            break;
                        case "constant_with_warmup": case "inverse_sqrt":
                            // get_scheduler passes only num_warmup_steps to these (the specific kwargs are dropped)
                            kwargs.put("num_warmup_steps", requiredArg(a, "num_warmup_steps", name));
                            break;
                        default:
                            kwargs.put("num_warmup_steps", requiredArg(a, "num_warmup_steps", name));
                            kwargs.put("num_training_steps", requiredArg(a, "num_training_steps", name));
                            for (Map.Entry<String, Object> e : a.kwargs("scheduler_specific_kwargs").entrySet()) {
                                if (kwargs.containsKey(e.getKey())) { // schedule_func(..., num_warmup_steps=..., **kwargs)
                                    throw new IllegalArgumentException("scheduler_specific_kwargs gives " + e.getKey()
                                            + ", which get_scheduler already passes (" + e.getKey() + "="
                                            + kwargs.get(e.getKey()) + "); give it once (transformers raises TypeError: got"
                                            + " multiple values for keyword argument '" + e.getKey() + "')");
                                }
                                kwargs.put(e.getKey(), e.getValue());
                            }
                    }
                    return delegate(fn, kwargs, groups);
                })
                .perBatch(spec -> !"reduce_lr_on_plateau".equals(spec.get("name")))
                .example("get_scheduler('cosine', optimizer, num_warmup_steps=3, num_training_steps=25)", 30)
                .example("hf.get_scheduler('warmup_stable_decay', optimizer, num_warmup_steps=3, num_training_steps=25,"
                        + " scheduler_specific_kwargs={'num_decay_steps': 8, 'min_lr_ratio': 0.05})", 30)
                .build();
    }

    private static Object requiredArg(Args a, String param, String name) {
        if (a.isNone(param)) {
            throw new IllegalArgumentException(name + " requires `" + param + "`, please provide that argument.");
        }
        return a.value(param);
    }

    /** Builds another registered type from keyword arguments, with all its checks. */
    private static Scheduler delegate(String type, Map<String, Object> kwargs, ParamGroups groups) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.putAll(kwargs);
        return ScheduleSpec.build(json, groups);
    }

    private static void lintHf(Map<String, Object> spec, LintContext c) {
        String type = String.valueOf(spec.get("type"));
        c.startsAtZeroByDesign(type + c.inside() + " warms up from 0, as transformers does (its documented behaviour)");
        Object w = spec.get("num_warmup_steps");
        Object t = spec.get("num_training_steps");
        if (w instanceof Number && ((Number) w).longValue() > c.steps()) {
            c.warn(type + c.inside() + " num_warmup_steps=" + w + " is longer than the run (" + c.steps()
                    + " steps): training ends before the warm-up does");
        }
        if (t instanceof Number && ((Number) t).longValue() < c.steps()) {
            c.warn(type + c.inside() + " num_training_steps=" + t + " is shorter than the run (" + c.steps()
                    + " steps): transformers' formula goes on past it (its cosine climbs back up, its linear stays at 0)");
        }
        if (c.perEpoch()) {
            c.warn(type + c.inside() + " counts optimizer steps (transformers calls it after every update) but is stepped"
                    + " " + c.interval());
        }
    }

    // ---- timm ----

    private static SchedulerType timm(TimmSchedule.Kind kind) {
        String name = kind.timmName();
        boolean cyclic = kind == TimmSchedule.Kind.COSINE || kind == TimmSchedule.Kind.TANH || kind == TimmSchedule.Kind.POLY;
        SchedulerType.Builder b = SchedulerType.builder(name, "timm's " + name + ": value x lr_scale of each group;"
                + " stepped per epoch (step(epoch)) when t_in_epochs, else per update (step_update)");
        List<Param> params = new ArrayList<>();
        switch (kind) {
            case STEP:
                params.add(required("decay_t", Kind.NUMBER, "> 0", "epochs (or updates) between decays"));
                params.add(optional("decay_rate", Kind.NUMBER, 1.0, "> 0", "factor at each decay"));
                break;
            case MULTISTEP:
                params.add(required("decay_t", Kind.INTEGERS, "each >= 0", "milestones"));
                params.add(optional("decay_rate", Kind.NUMBER, 1.0, "> 0", "factor at each milestone"));
                break;
            default:
                params.add(required("t_initial", Kind.INTEGER, ">= 1", "length of the first cycle"));
                if (kind == TimmSchedule.Kind.TANH) {
                    params.add(optional("lb", Kind.NUMBER, -7.0, "< ub", "tanh lower bound"));
                    params.add(optional("ub", Kind.NUMBER, 3.0, "> lb", "tanh upper bound"));
                }
                if (kind == TimmSchedule.Kind.POLY) {
                    params.add(optional("power", Kind.NUMBER, 0.5, ">= 0", "power of the decay"));
                }
                params.add(optional("lr_min", Kind.NUMBER, 0.0, ">= 0", "lowest lr"));
                params.add(optional("cycle_mul", Kind.NUMBER, 1.0, "> 0", "growth of each cycle"));
                params.add(optional("cycle_decay", Kind.NUMBER, 1.0, ">= 0", "peak factor per cycle"));
                params.add(optional("cycle_limit", Kind.INTEGER, 1L, ">= 0", "cycles before the lr stays at lr_min"));
        }
        params.add(optional("warmup_t", Kind.INTEGER, 0L, ">= 0", "warm-up length"));
        params.add(optional("warmup_lr_init", Kind.NUMBER, 0.0, ">= 0", "lr at the start of the warm-up"));
        params.add(optional("warmup_prefix", Kind.BOOLEAN, !cyclic, "True or False",
                "whether the schedule starts after the warm-up"));
        params.add(optional("t_in_epochs", Kind.BOOLEAN, Boolean.TRUE, "True or False",
                "True: step(epoch) counts epochs; False: step_update counts updates"));
        params.add(optional("noise_range_t", Kind.INTEGERS, null, "None, n or [start, end)", "where noise applies"));
        params.add(optional("noise_pct", Kind.NUMBER, 0.67, "> 0", "noise bound"));
        params.add(optional("noise_std", Kind.NUMBER, 1.0, "any", "accepted and unused, as in timm"));
        params.add(optional("noise_seed", Kind.INTEGER, 42L, "any integer", "seed of PyTorch's generator"));
        if (kind == TimmSchedule.Kind.COSINE || kind == TimmSchedule.Kind.POLY) {
            params.add(optional("k_decay", Kind.NUMBER, 1.0, "> 0", "k of t^k in the decay"));
        }
        params.add(optional("initialize", Kind.BOOLEAN, Boolean.TRUE, "True", "timm sets initial_lr; lr4j always does"));
        params.forEach(b::param);
        return b.factory((a, groups) -> {
                    TimmSchedule schedule = timmSchedule(kind, a);
                    Map<String, Object> given = given(params, a);
                    return new CustomScheduler(groups, (step, group, base) -> {
                        double[] one = {base};
                        double[] scale = {groups.lrScale(group)};
                        return step == 0 ? schedule.initialLrs(one, scale)[0] : schedule.lrs(step, one, scale)[0];
                    }, name, given).attach();
                })
                .overwritesLr()
                .perBatch(spec -> Boolean.FALSE.equals(spec.get("t_in_epochs")))
                .lint((spec, c) -> lintTimm(name, spec, c))
                .example(exampleOf(kind), 30)
                .build();
    }

    private static String exampleOf(TimmSchedule.Kind kind) {
        switch (kind) {
            case COSINE: return "timm.CosineLRScheduler(optimizer, t_initial=10, lr_min=0.001, cycle_decay=0.5, cycle_limit=2,"
                    + " warmup_t=3, warmup_lr_init=0.0001)";
            case TANH: return "TanhLRScheduler(optimizer, t_initial=20, warmup_t=3, warmup_lr_init=1e-05)";
            case STEP: return "timm.StepLRScheduler(optimizer, decay_t=2.5, decay_rate=0.7, warmup_t=3, warmup_lr_init=0.001)";
            case MULTISTEP: return "MultiStepLRScheduler(optimizer, decay_t=[3, 8], decay_rate=0.1, warmup_t=2,"
                    + " warmup_lr_init=0.001)";
            default: return "timm.PolyLRScheduler(optimizer, t_initial=10, power=2.0, cycle_limit=2, t_in_epochs=False)";
        }
    }

    private static TimmSchedule timmSchedule(TimmSchedule.Kind kind, Args a) {
        TimmSchedule.Builder b;
        switch (kind) {
            case COSINE: b = TimmSchedule.cosine(a.integer("t_initial")); break;
            case TANH: b = TimmSchedule.tanh(a.integer("t_initial")); break;
            case POLY: b = TimmSchedule.poly(a.integer("t_initial")); break;
            case STEP: b = TimmSchedule.step(a.num("decay_t")); break;
            default: b = TimmSchedule.multiStep(a.ints("decay_t"));
        }
        if (kind == TimmSchedule.Kind.STEP || kind == TimmSchedule.Kind.MULTISTEP) {
            b.decayRate(a.num("decay_rate"));
        } else {
            b.lrMin(a.num("lr_min")).cycleMul(a.num("cycle_mul")).cycleDecay(a.num("cycle_decay"))
                    .cycleLimit(a.integer("cycle_limit"));
            if (kind == TimmSchedule.Kind.TANH) {
                b.bounds(a.num("lb"), a.num("ub"));
            } else {
                b.kDecay(a.num("k_decay"));
            }
            if (kind == TimmSchedule.Kind.POLY) {
                b.power(a.num("power"));
            }
        }
        b.warmupT(a.integer("warmup_t")).warmupLrInit(a.num("warmup_lr_init")).warmupPrefix(a.bool("warmup_prefix"))
                .tInEpochs(a.bool("t_in_epochs")).noisePct(a.num("noise_pct")).noiseSeed(a.integer("noise_seed"));
        if (!a.isNone("noise_range_t")) {
            b.noiseRangeT(noiseRange(a));
        }
        return b.build();
    }

    private static long[] noiseRange(Args a) {
        Object v = a.value("noise_range_t");
        return v instanceof Number ? new long[] {a.integer("noise_range_t")} : a.ints("noise_range_t");
    }

    private static void lintTimm(String name, Map<String, Object> spec, LintContext c) {
        boolean inEpochs = !Boolean.FALSE.equals(spec.get("t_in_epochs"));
        c.startsAtZeroByDesign(name + c.inside() + " warms up from warmup_lr_init=0, as timm does (its documented behaviour)");
        if (inEpochs != c.perEpoch()) {
            c.fail(name + c.inside() + (inEpochs ? " has t_in_epochs=True (timm's step(epoch), once per epoch)"
                    : " has t_in_epochs=False (timm's step_update, once per optimizer update)") + " but is stepped "
                    + c.interval() + ": step it " + (inEpochs ? "per epoch" : "per batch") + ", or set t_in_epochs="
                    + (inEpochs ? "False" : "True"));
        }
        Object t = spec.get("t_initial");
        Object limit = spec.get("cycle_limit");
        if (t instanceof Number && limit instanceof Number && ((Number) limit).longValue() == 1
                && Double.valueOf(1.0).equals(toDouble(spec.get("cycle_mul"))) && ((Number) t).longValue() < c.steps()) {
            c.warn(name + c.inside() + " t_initial=" + t + " is shorter than the run (" + c.steps()
                    + " steps): after it the lr stays at lr_min");
        }
        Object w = spec.get("warmup_t");
        if (w instanceof Number && ((Number) w).longValue() > c.steps()) {
            c.warn(name + c.inside() + " warmup_t=" + w + " is longer than the run (" + c.steps()
                    + " steps): training ends before the warm-up does");
        }
    }

    private static Double toDouble(Object v) {
        return v instanceof Number ? ((Number) v).doubleValue() : null;
    }

    private static SchedulerType timmPlateau() {
        List<Param> params = List.of(
                optional("decay_rate", Kind.NUMBER, 0.1, "(0, 1)", "factor on a plateau"),
                optional("patience_t", Kind.INTEGER, 10L, ">= 0", "bad epochs tolerated"),
                optional("threshold", Kind.NUMBER, 1e-4, ">= 0", "relative improvement that counts"),
                optional("cooldown_t", Kind.INTEGER, 0L, ">= 0", "epochs without counting after a decay"),
                optional("warmup_t", Kind.INTEGER, 0L, ">= 0", "warm-up length, in epochs"),
                optional("warmup_lr_init", Kind.NUMBER, 0.0, ">= 0", "lr at the start of the warm-up"),
                optional("lr_min", Kind.NUMBER, 0.0, ">= 0", "lowest lr"),
                optional("mode", Kind.STRING, "max", "'min' or 'max'", "whether the metric should fall or rise"),
                optional("noise_range_t", Kind.INTEGERS, null, "None, n or [start, end)", "where noise applies"),
                optional("noise_type", Kind.STRING, "normal", "'normal' or 'uniform'", "noise distribution"),
                optional("noise_pct", Kind.NUMBER, 0.67, "> 0", "noise bound"),
                optional("noise_std", Kind.NUMBER, 1.0, "any", "accepted and unused, as in timm"),
                optional("noise_seed", Kind.INTEGER, null, "an integer, or None (42)", "seed of PyTorch's generator"),
                optional("initialize", Kind.BOOLEAN, Boolean.TRUE, "True", "timm sets initial_lr; lr4j always does"));
        SchedulerType.Builder type = SchedulerType.builder("PlateauLRScheduler", "timm's PlateauLRScheduler: a warm-up,"
                + " then torch's ReduceLROnPlateau on the metric given at each epoch end");
        params.forEach(type::param);
        return type
                .factory((a, groups) -> {
                    TimmPlateau.Builder b = TimmPlateau.builder().decayRate(a.num("decay_rate"))
                            .patienceT(a.integer("patience_t")).threshold(a.num("threshold")).cooldownT(a.integer("cooldown_t"))
                            .warmupT(a.integer("warmup_t")).warmupLrInit(a.num("warmup_lr_init")).lrMin(a.num("lr_min"))
                            .noisePct(a.num("noise_pct"));
                    String mode = a.str("mode");
                    if (!mode.equals("min") && !mode.equals("max")) {
                        throw new IllegalArgumentException("mode must be 'min' or 'max', got '" + mode + "'");
                    }
                    b.mode(TimmPlateau.Mode.valueOf(mode.toUpperCase(Locale.ROOT)));
                    String noiseType = a.str("noise_type");
                    if (!noiseType.equals("normal") && !noiseType.equals("uniform")) {
                        throw new IllegalArgumentException("noise_type must be 'normal' or 'uniform', got '" + noiseType + "'");
                    }
                    b.uniformNoise(noiseType.equals("uniform"));
                    if (!a.isNone("noise_range_t")) {
                        b.noiseRangeT(noiseRange(a));
                    }
                    if (!a.isNone("noise_seed")) { // None: timm's default 42
                        b.noiseSeed(a.integer("noise_seed"));
                    }
                    Map<String, Object> given = given(params, a);
                    return new TimmPlateauLR(groups, b, given);
                })
                .overwritesLr()
                .lint((spec, c) -> {
                    if (!c.perEpoch()) {
                        c.fail("PlateauLRScheduler" + c.inside() + " is timm's end-of-epoch step(epoch, metric) but is"
                                + " stepped " + c.interval() + ": step it per epoch");
                    }
                })
                .build();
    }
}
