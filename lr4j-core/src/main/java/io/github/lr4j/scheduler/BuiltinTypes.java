package io.github.lr4j.scheduler;

import static io.github.lr4j.scheduler.SchedulerType.LintContext.fmt;
import static io.github.lr4j.scheduler.SchedulerType.Param.optional;
import static io.github.lr4j.scheduler.SchedulerType.Param.required;

import io.github.lr4j.scheduler.SchedulerType.LintContext;
import io.github.lr4j.scheduler.SchedulerType.Param.Kind;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** PyTorch 1.13's schedulers as {@link SchedulerType} descriptors: the one place that knows each of them. */
final class BuiltinTypes {
    private BuiltinTypes() {
    }

    private static final String PER_GROUP = "one value, or one per param group";

    static List<SchedulerType> all() {
        return List.of(
            SchedulerType.builder("LambdaLR", "lr = base * lr_lambda(t)")
                .overwritesLr()
                .param(required("lr_lambda", Kind.LAMBDAS, PER_GROUP, "factor of the base lr at step t, e.g. lambda epoch: 0.95 ** epoch"))
                .factory((a, g) -> Schedulers.lambdaLR(g, a.lambdas("lr_lambda")))
                .example("LambdaLR(lr_lambda=lambda e: 0.97 ** e)", 40)
                .example("LambdaLR([lambda e: 1 / (e + 1), lambda e: 0.5 if e > 4 else 1.0, lambda e: 1.0])", 30)
                .build(),
            SchedulerType.builder("MultiplicativeLR", "lr = lr * lr_lambda(t) for t >= 1 (random access replays: O(t))")
                .param(required("lr_lambda", Kind.LAMBDAS, PER_GROUP, "factor applied at step t"))
                .factory((a, g) -> Schedulers.multiplicativeLR(g, a.lambdas("lr_lambda")))
                .example("MultiplicativeLR(lr_lambda=lambda e: 0.95)", 30)
                .build(),
            SchedulerType.builder("StepLR", "lr = base * gamma^floor(t / step_size)")
                .param(required("step_size", Kind.INTEGER, ">= 1", "steps between decays"))
                .param(optional("gamma", Kind.NUMBER, 0.1, "> 0", "factor at each decay"))
                .factory((a, g) -> Schedulers.stepLR(g, a.integer("step_size"), a.num("gamma")))
                .lint((spec, c) -> {
                    long size = integer(spec, "step_size");
                    if (size > c.steps()) {
                        c.warn("StepLR" + c.inside() + " step_size=" + size + " is larger than the run (" + c.steps()
                                + " steps): the lr never decays");
                    }
                })
                .example("StepLR(step_size=3, gamma=0.5)", 30)
                .build(),
            SchedulerType.builder("MultiStepLR", "lr = base * gamma^(number of milestones <= t)")
                .param(required("milestones", Kind.INTEGERS, "each >= 0", "steps at which gamma is applied"))
                .param(optional("gamma", Kind.NUMBER, 0.1, "> 0", "factor at each milestone"))
                .factory((a, g) -> Schedulers.multiStepLR(g, a.ints("milestones"), a.num("gamma")))
                .lint(BuiltinTypes::lintMultiStep)
                .example("MultiStepLR(milestones=[3, 3, 7, 12], gamma=0.3)", 30)
                .build(),
            SchedulerType.builder("ConstantLR", "lr = base * factor until total_iters, then base")
                .param(optional("factor", Kind.NUMBER, 1.0 / 3, "[0, 1]", "factor before total_iters"))
                .param(optional("total_iters", Kind.INTEGER, 5L, ">= 1", "steps with the factor applied"))
                .factory((a, g) -> Schedulers.constantLR(g, a.num("factor"), a.integer("total_iters")))
                .lint(BuiltinTypes::lintTotalIters)
                .example("ConstantLR(factor=0.25, total_iters=4)", 20)
                .example("ConstantLR(factor=0.0, total_iters=4)", 20)
                .build(),
            SchedulerType.builder("LinearLR", "lr = base * linear from start_factor to end_factor over total_iters")
                .param(optional("start_factor", Kind.NUMBER, 1.0 / 3, "[0, 1]", "factor at step 0"))
                .param(optional("end_factor", Kind.NUMBER, 1.0, "[0, 1]", "factor from total_iters on"))
                .param(optional("total_iters", Kind.INTEGER, 5L, ">= 1", "length of the ramp"))
                .factory((a, g) -> Schedulers.linearLR(g, a.num("start_factor"), a.num("end_factor"), a.integer("total_iters")))
                .lint(BuiltinTypes::lintTotalIters)
                .example("LinearLR(start_factor=0.1, end_factor=1.0, total_iters=8)", 20)
                .example("LinearLR(start_factor=0.0, end_factor=1.0, total_iters=5)", 20)
                .example("LinearLR(start_factor=1.0, end_factor=0.05, total_iters=10)", 20)
                .build(),
            SchedulerType.builder("ExponentialLR", "lr = base * gamma^t")
                .param(required("gamma", Kind.NUMBER, "> 0", "factor per step"))
                .factory((a, g) -> Schedulers.exponentialLR(g, a.num("gamma")))
                .example("ExponentialLR(gamma=0.9)", 40)
                .build(),
            SchedulerType.builder("PolynomialLR", "lr = base * (1 - min(t, total_iters) / total_iters)^power")
                .param(optional("total_iters", Kind.INTEGER, 5L, ">= 1", "steps until the lr reaches 0"))
                .param(optional("power", Kind.NUMBER, 1.0, ">= 0", "power of the decay"))
                .factory((a, g) -> Schedulers.polynomialLR(g, a.integer("total_iters"), a.num("power")))
                .lint(BuiltinTypes::lintTotalIters)
                .example("PolynomialLR(total_iters=10, power=2.0)", 20)
                .build(),
            SchedulerType.builder("CosineAnnealingLR", "lr = eta_min + (base - eta_min)(1 + cos(pi t / T_max)) / 2, periodic")
                .param(required("T_max", Kind.INTEGER, ">= 1", "half period, in steps"))
                .param(optional("eta_min", Kind.NUMBER, 0.0, ">= 0", "lowest lr"))
                .factory((a, g) -> Schedulers.cosineAnnealingLR(g, a.integer("T_max"), a.num("eta_min")))
                .lint((spec, c) -> {
                    long tMax = integer(spec, "T_max");
                    if (c.steps() > tMax) {
                        c.warn("CosineAnnealingLR" + c.inside() + " has T_max=" + tMax + " but is stepped " + c.steps()
                                + " times: after T_max the lr climbs back up (it is periodic)");
                    }
                })
                .example("CosineAnnealingLR(T_max=10, eta_min=0.001)", 45)
                .example("CosineAnnealingLR(T_max=7)", 45)
                .build(),
            SchedulerType.builder("CosineAnnealingWarmRestarts", "cosine from base to eta_min over periods T_0, T_0*T_mult, ...")
                .param(required("T_0", Kind.INTEGER, ">= 1", "length of the first period"))
                .param(optional("T_mult", Kind.INTEGER, 1L, ">= 1", "growth of each period"))
                .param(optional("eta_min", Kind.NUMBER, 0.0, ">= 0", "lowest lr"))
                .factory((a, g) -> Schedulers.cosineAnnealingWarmRestarts(g, a.integer("T_0"), a.integer("T_mult"), a.num("eta_min")))
                .lint((spec, c) -> {
                    long t0 = integer(spec, "T_0");
                    if (t0 > c.steps()) {
                        c.warn("CosineAnnealingWarmRestarts" + c.inside() + " T_0=" + t0 + " is larger than the run ("
                                + c.steps() + " steps): it never restarts");
                    }
                })
                .example("CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.0001)", 60)
                .example("CosineAnnealingWarmRestarts(T_0=5)", 40)
                .build(),
            cyclic(),
            oneCycle(),
            swa(),
            plateau(),
            SchedulerType.builder("SequentialLR", "schedulers[i] from milestones[i-1] on, each restarted at its own step 0")
                .param(required("schedulers", Kind.SCHEDULERS, "schedulers on the same optimizer; the last may be"
                        + " metric-driven (e.g. ReduceLROnPlateau after a warm-up)", "the phases"))
                .param(required("milestones", Kind.INTEGERS, "strictly increasing, >= 1, one fewer than schedulers",
                        "steps where the next scheduler takes over"))
                .factory((a, g) -> {
                    List<Scheduler> phases = a.anySchedulers("schedulers");
                    if (phases.stream().allMatch(p -> p instanceof LrScheduler)) {
                        return Schedulers.sequentialLR(g, a.schedulers("schedulers"), a.ints("milestones"));
                    }
                    long[] milestones = a.ints("milestones");
                    if (milestones.length != phases.size() - 1) {
                        throw new IllegalArgumentException("milestones must have " + (phases.size() - 1) + " values (one"
                                + " fewer than the " + phases.size() + " schedulers), got " + milestones.length);
                    }
                    return SequentialToMetric.build(g, phases, milestones);
                })
                .perBatch(BuiltinTypes::anyChildPerBatch)
                .lint(BuiltinTypes::lintSequential)
                .example("SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=20)], milestones=[5])", 40)
                .example("SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9), StepLR(step_size=2)], milestones=[3, 9])", 30)
                .example("SequentialLR(schedulers=[StepLR(step_size=2, gamma=0.5), MultiplicativeLR(lr_lambda=lambda e: 0.9)], milestones=[5])", 20)
                .example("SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=20), OneCycleLR(max_lr=0.1, total_steps=100)], milestones=[20])", 110)
                .example("SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=3), CyclicLR(base_lr=0.01, max_lr=0.1, step_size_up=4)], milestones=[5])", 30)
                .build(),
            SchedulerType.builder(PerGroupScheduler.NAME, "schedulers[i] drives param group i alone (lr4j; PyTorch's"
                    + " unreleased ParamwiseScheduler)")
                .param(required("schedulers", Kind.DEFERRED_SCHEDULERS, "one scheduler per param group, any type",
                        "group i's scheduler, built on group i alone"))
                .factory((a, g) -> PerGroupScheduler.build(g, a.deferred("schedulers")))
                .perBatch(BuiltinTypes::anyChildPerBatch)
                .lint((spec, c) -> {
                    for (Map<String, Object> child : children(spec)) {
                        c.child(child, c.steps(), c.offset(), PerGroupScheduler.NAME);
                    }
                })
                .example("PerGroup(schedulers=[CosineAnnealingLR(T_max=20, eta_min=0.001), SequentialLR(schedulers=["
                        + "LinearLR(start_factor=0.1, total_iters=5), ConstantLR(factor=1.0, total_iters=1)], milestones=[5]),"
                        + " CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=4)])", 30)
                .build(),
            SchedulerType.builder("ChainedScheduler", "steps every scheduler in order: their factors multiply")
                .noOptimizer()
                .param(required("schedulers", Kind.SCHEDULERS, "time-based schedulers on the same optimizer", "the factors"))
                .param(optional("optimizer", Kind.STRING, null, "", "ignored (PyTorch 1.13 takes none)"))
                .factory((a, g) -> Schedulers.chainedScheduler(a.schedulers("schedulers")))
                .perBatch(BuiltinTypes::anyChildPerBatch)
                .lint((spec, c) -> {
                    for (Map<String, Object> child : children(spec)) {
                        c.child(child, c.steps(), c.offset(), "ChainedScheduler");
                    }
                })
                .example("ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])", 30)
                .example("ChainedScheduler([CosineAnnealingLR(T_max=6, eta_min=0.001), ExponentialLR(gamma=0.95)])", 30)
                .example("ChainedScheduler([OneCycleLR(max_lr=0.1, total_steps=30), ExponentialLR(gamma=0.95)])", 29)
                .build());
    }

    private static SchedulerType cyclic() {
        return SchedulerType.builder("CyclicLR", "lr cycles between base_lr and max_lr (triangular, triangular2, exp_range)")
            .overwritesLr()
            .param(required("base_lr", Kind.NUMBERS, ">= 0; " + PER_GROUP, "lower end of the cycle"))
            .param(required("max_lr", Kind.NUMBERS, ">= 0; " + PER_GROUP, "upper end of the cycle (scaled by the mode)"))
            .param(optional("step_size_up", Kind.NUMBER, 2000L, "> 0", "steps from base_lr up to max_lr"))
            .param(optional("step_size_down", Kind.NUMBER, null, "> 0, or None for step_size_up", "steps back down"))
            .param(optional("mode", Kind.STRING, "triangular", "'triangular', 'triangular2' or 'exp_range'", "amplitude policy"))
            .param(optional("gamma", Kind.NUMBER, 1.0, "> 0", "exp_range's decay per step"))
            .param(optional("scale_fn", Kind.FUNCTION, null, "values in [0, 1]", "custom amplitude, replaces mode"))
            .param(optional("scale_mode", Kind.STRING, "cycle", "'cycle' or 'iterations'", "what scale_fn is given"))
            .param(optional("cycle_momentum", Kind.BOOLEAN, Boolean.TRUE, "", "cycle momentum inversely to the lr"))
            .param(optional("base_momentum", Kind.NUMBERS, 0.8, PER_GROUP, "momentum at max_lr"))
            .param(optional("max_momentum", Kind.NUMBERS, 0.9, PER_GROUP, "momentum at base_lr"))
            .factory((a, g) -> {
                CyclicBuilder b = Schedulers.cyclicLR(a.nums("base_lr"), a.nums("max_lr"))
                        .stepSizeUp(a.num("step_size_up")).mode(a.choice("mode", CyclicMode.class)).gamma(a.num("gamma"))
                        .scaleMode(a.choice("scale_mode", ScaleMode.class)).cycleMomentum(a.bool("cycle_momentum"))
                        .baseMomentum(a.nums("base_momentum")).maxMomentum(a.nums("max_momentum"));
                if (!a.isNone("step_size_down")) {
                    b.stepSizeDown(a.num("step_size_down"));
                }
                if (!a.isNone("scale_fn")) {
                    b.scaleFn(a.function("scale_fn"));
                }
                return b.attach(g);
            })
            .perBatch()
            .lint((spec, c) -> {
                if (c.perEpoch()) {
                    c.warn("CyclicLR" + c.inside() + " is meant to be stepped per batch, but is stepped per epoch");
                }
                double up = ((Number) spec.get("step_size_up")).doubleValue();
                if (up > c.steps()) {
                    c.warn("CyclicLR" + c.inside() + " step_size_up=" + fmt(up) + " is larger than the run (" + c.steps()
                            + " steps): the lr never reaches max_lr");
                }
            })
            .example("CyclicLR(base_lr=0.001, max_lr=[0.01, 0.02, 0.03], step_size_up=4, step_size_down=3, mode='triangular2')", 40)
            .example("CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=5, mode='exp_range', gamma=0.95)", 40)
            .example("CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2, scale_fn=lambda x: 1 / x, scale_mode='cycle')", 30)
            .build();
    }

    private static SchedulerType oneCycle() {
        return SchedulerType.builder("OneCycleLR", "warm-up to max_lr, then anneal far below the start (momentum the other way)")
            .overwritesLr()
            .param(required("max_lr", Kind.NUMBERS, "> 0; " + PER_GROUP, "peak lr"))
            .param(optional("total_steps", Kind.INTEGER, null, ">= 1 (or give epochs and steps_per_epoch)", "length of the cycle"))
            .param(optional("epochs", Kind.INTEGER, null, ">= 1", "with steps_per_epoch, instead of total_steps"))
            .param(optional("steps_per_epoch", Kind.INTEGER, null, ">= 1", "with epochs, instead of total_steps"))
            .param(optional("pct_start", Kind.NUMBER, 0.3, "[0, 1]", "share of the cycle spent warming up"))
            .param(optional("anneal_strategy", Kind.STRING, "cos", "'cos' or 'linear'", "shape of each phase"))
            .param(optional("cycle_momentum", Kind.BOOLEAN, Boolean.TRUE, "", "cycle momentum inversely to the lr"))
            .param(optional("base_momentum", Kind.NUMBERS, 0.85, PER_GROUP, "momentum at the peak"))
            .param(optional("max_momentum", Kind.NUMBERS, 0.95, PER_GROUP, "momentum at the start and end"))
            .param(optional("div_factor", Kind.NUMBER, 25.0, "> 0", "initial lr = max_lr / div_factor"))
            .param(optional("final_div_factor", Kind.NUMBER, 1e4, "> 0", "final lr = initial lr / final_div_factor"))
            .param(optional("three_phase", Kind.BOOLEAN, Boolean.FALSE, "", "fast.ai's three phases instead of two"))
            .factory((a, g) -> {
                OneCycleBuilder b = Schedulers.oneCycleLR(a.nums("max_lr"))
                        .pctStart(a.num("pct_start")).annealStrategy(a.choice("anneal_strategy", AnnealStrategy.class))
                        .cycleMomentum(a.bool("cycle_momentum")).baseMomentum(a.nums("base_momentum"))
                        .maxMomentum(a.nums("max_momentum")).divFactor(a.num("div_factor"))
                        .finalDivFactor(a.num("final_div_factor")).threePhase(a.bool("three_phase"));
                if (!a.isNone("total_steps")) {
                    b.totalSteps(a.integer("total_steps"));
                } else if (!a.isNone("epochs") || !a.isNone("steps_per_epoch")) {
                    if (a.isNone("epochs") || a.isNone("steps_per_epoch")) {
                        throw a.error("OneCycleLR: give total_steps, or both epochs and steps_per_epoch");
                    }
                    b.epochs(a.integer("epochs"), a.integer("steps_per_epoch"));
                } else {
                    throw a.error("OneCycleLR() missing required argument: total_steps (or epochs and steps_per_epoch)");
                }
                return b.attach(g);
            })
            .perBatch()
            .lint((spec, c) -> {
                long total = integer(spec, "total_steps");
                String words = c.runWords().isEmpty() ? "" : " (" + c.runWords() + ")";
                if (c.steps() > total) {
                    c.fail("OneCycleLR" + c.inside() + " has total_steps=" + total + " but this run steps it " + c.steps()
                            + " times" + words + ": it would fail mid-run; size it with total_steps=" + c.steps());
                } else if (c.perEpoch() && total > c.steps()) {
                    c.warn("OneCycleLR" + c.inside() + " is sized for " + total + " steps but is stepped per epoch, only "
                            + c.steps() + " times: it looks sized in batches (use Interval.STEP)");
                } else if (total > c.steps()) {
                    c.warn("OneCycleLR" + c.inside() + " is sized for " + total + " steps but this run steps it " + c.steps()
                            + " times: the schedule will not finish");
                }
            })
            .example("OneCycleLR(max_lr=[0.3, 0.2, 0.1], total_steps=30)", 30)
            .example("OneCycleLR(max_lr=0.1, epochs=4, steps_per_epoch=6, anneal_strategy='linear', three_phase=True)", 23)
            .build();
    }

    private static SchedulerType swa() {
        return SchedulerType.builder("SWALR", "lr = swa_lr a + lr0 (1 - a), a = anneal(min(t / anneal_epochs, 1)), lr0 the lr it starts from")
            .param(required("swa_lr", Kind.NUMBERS, ">= 0; " + PER_GROUP, "lr reached at the end of the anneal"))
            .param(optional("anneal_epochs", Kind.INTEGER, 10L, ">= 0", "steps of the anneal (0: swa_lr at once)"))
            .param(optional("anneal_strategy", Kind.STRING, "cos", "'cos' or 'linear'", "shape of the anneal"))
            .factory((a, g) -> Schedulers.swaLR(g, a.nums("swa_lr"), a.integer("anneal_epochs"),
                    a.choice("anneal_strategy", AnnealStrategy.class)))
            .lint((spec, c) -> {
                long anneal = integer(spec, "anneal_epochs");
                if (anneal > c.steps()) {
                    c.warn("SWALR" + c.inside() + " anneal_epochs=" + anneal + " is longer than the run (" + c.steps()
                            + " steps): the lr never reaches swa_lr");
                }
            })
            .example("SWALR(swa_lr=0.05)", 15)
            .example("SWALR(swa_lr=[0.02, 0.005, 0.001], anneal_epochs=4, anneal_strategy='linear')", 10)
            .example("SequentialLR(schedulers=[CosineAnnealingLR(T_max=10), SWALR(swa_lr=0.02, anneal_epochs=5)], milestones=[8])", 20)
            .build();
    }

    private static SchedulerType plateau() {
        return SchedulerType.builder("ReduceLROnPlateau", "lr = lr * factor when the metric stops improving (fed a metric, not steps)")
            .param(optional("mode", Kind.STRING, "min", "'min' or 'max'", "whether lower or higher metrics are better"))
            .param(optional("factor", Kind.NUMBER, 0.1, "(0, 1)", "factor at each reduction"))
            .param(optional("patience", Kind.INTEGER, 10L, ">= 0", "steps without improvement before reducing"))
            .param(optional("threshold", Kind.NUMBER, 1e-4, ">= 0", "smallest change that counts as an improvement"))
            .param(optional("threshold_mode", Kind.STRING, "rel", "'rel' or 'abs'", "how threshold is applied"))
            .param(optional("cooldown", Kind.INTEGER, 0L, ">= 0", "steps to wait after a reduction"))
            .param(optional("min_lr", Kind.NUMBERS, 0.0, ">= 0; " + PER_GROUP, "lowest lr"))
            .param(optional("eps", Kind.NUMBER, 1e-8, ">= 0", "smaller changes are skipped"))
            .factory((a, g) -> {
                PlateauBuilder b = Schedulers.reduceLROnPlateau().mode(a.choice("mode", PlateauMode.class)).factor(a.num("factor"))
                        .patience(a.integer("patience")).threshold(a.num("threshold"))
                        .thresholdMode(a.choice("threshold_mode", ThresholdMode.class)).cooldown(a.integer("cooldown"))
                        .eps(a.num("eps"));
                double[] min = a.nums("min_lr");
                // PyTorch 2.x keeps a scalar min_lr as default_min_lr; a list (even of one) as per-group values only
                return (a.value("min_lr") instanceof List ? b.minLrPerGroup(min) : b.minLr(min)).attach(g);
            })
            .build();
    }

    private static boolean anyChildPerBatch(Map<String, Object> spec) {
        for (Map<String, Object> child : children(spec)) {
            if (SchedulerTypes.perBatch(child)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> children(Map<String, Object> spec) {
        return (List<Map<String, Object>>) spec.get("schedulers");
    }

    private static long integer(Map<String, Object> spec, String key) {
        return ((Number) spec.get(key)).longValue();
    }

    private static long[] integers(Map<String, Object> spec, String key) {
        Object v = spec.get(key);
        if (v instanceof long[]) {
            return ((long[]) v).clone();
        }
        return ((List<?>) v).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    private static void lintTotalIters(Map<String, Object> spec, LintContext c) {
        long total = integer(spec, "total_iters");
        if (total > c.steps()) {
            c.warn(spec.get("type") + c.inside() + " total_iters=" + total + " is larger than the run (" + c.steps()
                    + " steps): it never finishes");
        }
    }

    private static void lintMultiStep(Map<String, Object> spec, LintContext c) {
        long[] m = integers(spec, "milestones");
        long[] sorted = m.clone();
        Arrays.sort(sorted);
        if (!Arrays.equals(m, sorted)) {
            c.warn("MultiStepLR" + c.inside() + " milestones " + Arrays.toString(m) + " are not sorted (PyTorch's docs say"
                    + " they must be increasing; lr4j and PyTorch apply them in sorted order)");
        }
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1] && (i == 1 || sorted[i - 2] != sorted[i])) {
                long value = sorted[i];
                long count = Arrays.stream(sorted).filter(x -> x == value).count();
                c.warn("MultiStepLR" + c.inside() + " milestone " + sorted[i] + " is repeated: gamma is applied " + count
                        + " times at that step");
            }
        }
        for (long x : sorted) {
            if (x > c.steps()) {
                c.warn("MultiStepLR" + c.inside() + " milestone " + x + " is never reached in " + c.steps() + " steps");
                break;
            }
        }
    }

    private static void lintSequential(Map<String, Object> spec, LintContext c) {
        List<Map<String, Object>> children = children(spec);
        long[] milestones = integers(spec, "milestones");
        long steps = c.steps();
        for (int i = 0; i < children.size(); i++) {
            long start = i == 0 ? 0 : milestones[i - 1];
            long end = i < milestones.length ? milestones[i] : steps;
            Map<String, Object> child = children.get(i);
            c.describe("steps " + (c.offset() + start) + "-" + (c.offset() + end - 1) + ": " + child.get("type")
                    + (i == 0 ? "" : " (restarted: counts from 0 at step " + (c.offset() + start) + ")"));
            if (start >= steps) {
                c.warn("SequentialLR" + c.inside() + " milestone " + start + " is never reached in " + steps + " steps");
            }
            c.child(child, Math.max(0, Math.min(end, steps) - start), c.offset() + start, "SequentialLR");
        }
        double[][] lr = c.lr();
        if (lr == null) {
            return;
        }
        for (long milestone : milestones) {
            long m = c.offset() + milestone;
            for (int g = 0; g < lr.length; g++) {
                if (m < lr[g].length && m > 0) {
                    double before = lr[g][(int) m - 1];
                    double after = lr[g][(int) m];
                    double hi = Math.max(before, after);
                    double lo = Math.min(before, after);
                    if (hi > 0 && (lo == 0 || hi / lo > 1.5)) {
                        c.warn("group " + g + ": the lr jumps from " + fmt(before) + " to " + fmt(after)
                                + " at SequentialLR milestone " + m);
                    }
                }
            }
        }
    }
}
