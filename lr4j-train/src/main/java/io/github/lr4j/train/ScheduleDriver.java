package io.github.lr4j.train;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.optim.HyperParameterSchedule;
import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The one place that decides when each scheduler of a training run steps, for every engine: lr4j's
 * {@link TrainingLoop}, lr4j-djl's listener and lr4j-spark's parameter averaging call it and only execute.
 *
 * <ul>
 *   <li>A scheduler attached per {@link Interval#STEP} steps after every applied optimizer update whose count is a
 *       multiple of its frequency; one attached per {@link Interval#EPOCH} steps at the end of every epoch whose
 *       number (from 1) is, after validation, fed the monitored metric when it is metric-driven.</li>
 *   <li>Stochastic weight averaging: from the SWA start epoch on, the SWA scheduler (built when that epoch starts)
 *       takes the lr over: the schedulers that {@link Scheduler#drivesLr() drive the lr} stop, schedules of other
 *       hyper-parameters keep running, and the SWA scheduler steps at each epoch end after the average (PyTorch's
 *       loop).</li>
 *   <li>A resume with another run length rebuilds and stretches each scheduler ({@link RunLength}).</li>
 * </ul>
 *
 * <p>It talks to schedulers only through the {@link Scheduler} interface. An engine whose workers run several
 * updates without the driver (Spark's K local steps) asks for the values of the next updates with {@link #plan},
 * which steps the schedulers exactly as single-machine training would and records what each update uses.
 */
public final class ScheduleDriver {
    private final List<TrainingLoop.Attached> schedulers = new ArrayList<>();
    private final List<TrainingLoop.ForRunLength> rebuilders = new ArrayList<>();
    private int swaStart;
    private Supplier<Scheduler> swaFactory;
    private Scheduler swaScheduler;

    /** A run's schedules built from its recipe: the lr scheduler (or null) and every schedule to attach, with its rebuild. */
    public record Built(Scheduler lrScheduler, List<HyperParameterSchedule> hyperSchedules, List<TrainingLoop.Attached> attached,
                        List<TrainingLoop.ForRunLength> rebuilders) { }

    /**
     * Builds a run's schedules on {@code optimizer}, the same way for every engine: the lr schedule {@code lrExpression}
     * (null or blank: none) and each hyper-parameter schedule of {@code hyper} (name -> expression), with the variables
     * {@code total_steps}, {@code steps_per_epoch} and {@code epochs}, each stepped at {@code interval} or, when that is
     * null, at its default ({@link #defaultInterval}). A hyper-parameter schedule that would fight the lr schedule over
     * the momentum is refused.
     */
    public static Built build(Optimizer optimizer, String lrExpression, Map<String, String> hyper, Interval interval,
                              long stepsPerEpoch, int epochs) {
        return build(HyperParameters.of(optimizer), lrExpression, hyper, interval, stepsPerEpoch, epochs);
    }

    /** {@link #build(Optimizer, String, Map, Interval, long, int)} for any optimizer: lr schedules drive {@code target.groups()}. */
    public static Built build(HyperParameters target, String lrExpression, Map<String, String> hyper, Interval interval,
                              long stepsPerEpoch, int epochs) {
        List<TrainingLoop.Attached> attached = new ArrayList<>();
        List<TrainingLoop.ForRunLength> rebuilders = new ArrayList<>();
        Scheduler lr = null;
        if (lrExpression != null && !lrExpression.isBlank()) {
            TrainingLoop.ForRunLength build = runEpochs -> ScheduleSpec.build(lrExpression, target.groups(),
                    variables(stepsPerEpoch, runEpochs));
            lr = build.build(epochs);
            attached.add(new TrainingLoop.Attached(lr, interval != null ? interval : defaultInterval(lrExpression, lr), 1));
            rebuilders.add(build);
        }
        List<HyperParameterSchedule> hyperSchedules = new ArrayList<>();
        for (Map.Entry<String, String> e : hyper.entrySet()) {
            TrainingLoop.ForRunLength build = runEpochs -> HyperParameterSchedule.of(target, e.getKey(), e.getValue(),
                    variables(stepsPerEpoch, runEpochs));
            HyperParameterSchedule h = HyperParameterSchedule.of(target, e.getKey(), e.getValue(), variables(stepsPerEpoch, epochs));
            hyperSchedules.add(h);
            String conflict = h.conflictWith(lr);
            if (conflict != null) {
                throw new IllegalArgumentException(conflict);
            }
            attached.add(new TrainingLoop.Attached(h, interval != null ? interval : defaultInterval(e.getValue(), h), 1));
            rebuilders.add(build);
        }
        return new Built(lr, hyperSchedules, attached, rebuilders);
    }

    /** The variables a run's schedule expressions may use. */
    public static Map<String, Long> variables(long stepsPerEpoch, int epochs) {
        return Map.of("total_steps", stepsPerEpoch * epochs, "steps_per_epoch", stepsPerEpoch, "epochs", (long) epochs);
    }

    /** Per optimizer step when the type says so, or when the expression is sized with total_steps or steps_per_epoch. */
    public static Interval defaultInterval(String expression, Scheduler s) {
        java.util.Set<String> used = ScheduleSpec.variablesIn(expression);
        return used.contains("total_steps") || used.contains("steps_per_epoch") ? Interval.STEP : Interval.defaultFor(s);
    }

    /** Attaches everything {@code built} holds. */
    public void addAll(Built built) {
        for (int i = 0; i < built.attached().size(); i++) {
            add(built.attached().get(i), built.rebuilders().get(i));
        }
    }

    /** Attaches {@code a}; {@code rebuild} (or null) builds it for another run length on the same groups. */
    public void add(TrainingLoop.Attached a, TrainingLoop.ForRunLength rebuild) {
        schedulers.add(Objects.requireNonNull(a, "attached"));
        rebuilders.add(rebuild);
    }

    /** Replaces the rebuild function of the last scheduler added. */
    void rebuildLast(TrainingLoop.ForRunLength rebuild) {
        rebuilders.set(rebuilders.size() - 1, Objects.requireNonNull(rebuild, "rebuild"));
    }

    /** {@link #add}, refusing a scheduler on other groups than the engine's {@code groups}. */
    public void add(TrainingLoop.Attached a, TrainingLoop.ForRunLength rebuild, ParamGroups groups) {
        if (a.scheduler().groups() != groups) {
            throw new IllegalArgumentException(a.scheduler().name() + " must be attached to this trainer's optimizer");
        }
        add(a, rebuild);
    }

    /** {@link #swa(int, Supplier)}, refusing an SWA scheduler on other groups than the engine's {@code groups}. */
    public void swa(int startEpoch, Supplier<Scheduler> factory, ParamGroups groups) {
        swa(startEpoch, factory == null ? null : () -> {
            Scheduler s = factory.get();
            if (s != null && s.groups() != groups) {
                throw new IllegalArgumentException("the SWA scheduler " + s.name() + " must be attached to this trainer's optimizer");
            }
            return s;
        });
    }

    /** SWA from {@code startEpoch} (counted from 1) on, with the scheduler {@code factory} builds then (null: none). */
    public void swa(int startEpoch, Supplier<Scheduler> factory) {
        if (startEpoch < 1) {
            throw new IllegalArgumentException("swa start epoch must be >= 1 (epochs count from 1), got " + startEpoch);
        }
        this.swaStart = startEpoch;
        this.swaFactory = factory;
    }

    public int swaStart() {
        return swaStart;
    }

    public boolean hasSwaFactory() {
        return swaFactory != null;
    }

    public List<TrainingLoop.Attached> attached() {
        return List.copyOf(schedulers);
    }

    /** The hyper-parameters other than the lr that the attached schedules drive, in order (each once). */
    public List<String> scheduledHyperParameters() {
        List<String> out = new ArrayList<>();
        for (TrainingLoop.Attached a : schedulers) {
            if (!a.scheduler().drivesLr() && !out.contains(a.scheduler().hyperParameter())) {
                out.add(a.scheduler().hyperParameter());
            }
        }
        return out;
    }

    /** Each scheduled hyper-parameter's value in every group of {@code optimizer} now (for the logs). */
    public Map<String, double[]> scheduledValues(HyperParameters optimizer) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String name : scheduledHyperParameters()) {
            double[] v = new double[optimizer.groups().size()];
            for (int g = 0; g < v.length; g++) {
                v[g] = optimizer.get(g, name);
            }
            out.put(name, v);
        }
        return out;
    }

    /** Whether {@code epoch} (0-based, the one being trained) is in the SWA phase. */
    public boolean swaPhase(int epoch) {
        return swaStart > 0 && epoch + 1 >= swaStart;
    }

    /** The SWA scheduler once built, else null. */
    public Scheduler swaScheduler() {
        return swaScheduler;
    }

    /** Builds the SWA scheduler (checked: a time-based one) without keeping it. */
    public Scheduler buildSwaScheduler() {
        Scheduler s = Objects.requireNonNull(swaFactory.get(), "the SWA scheduler supplier returned null");
        if (s.drivenByMetric()) {
            throw new IllegalArgumentException("the SWA scheduler " + s.name() + " is driven by a metric: use a time-based one"
                    + " such as SWALR");
        }
        return s;
    }

    /** Before the first update of {@code epoch} (0-based): the SWA scheduler is built when its phase starts. */
    public void beforeEpoch(int epoch) {
        if (swaPhase(epoch) && swaScheduler == null && swaFactory != null) {
            swaScheduler = buildSwaScheduler();
        }
    }

    private boolean lrTakenOver(int epoch) {
        return swaScheduler != null && swaPhase(epoch);
    }

    /** After an applied optimizer update; {@code updates} counts them, this one included. */
    public void afterUpdate(long updates, int epoch) {
        boolean takenOver = lrTakenOver(epoch);
        for (TrainingLoop.Attached a : schedulers) {
            if (a.interval() == Interval.STEP && !(takenOver && a.scheduler().drivesLr()) && updates % a.frequency() == 0) {
                a.scheduler().step(OptionalDouble.empty());
            }
        }
    }

    /**
     * At the end of {@code epoch} (0-based), after validation measured {@code metric} (empty: none was measured;
     * NaN is a metric, "no improvement") and, in the SWA phase, after the engine folded the weights into the average.
     */
    public void afterEpoch(int epoch, OptionalDouble metric) {
        boolean takenOver = lrTakenOver(epoch);
        for (TrainingLoop.Attached a : schedulers) {
            if (a.interval() != Interval.EPOCH || takenOver && a.scheduler().drivesLr() || (epoch + 1) % a.frequency() != 0) {
                continue;
            }
            if (a.scheduler().drivenByMetric() && metric.isEmpty()) {
                throw new IllegalStateException(a.scheduler().name() + " needs a validation metric, but epoch " + (epoch + 1)
                        + " measured none (give the run a validation set)");
            }
            a.scheduler().step(metric);
        }
        if (swaPhase(epoch) && swaScheduler != null) {
            swaScheduler.step(OptionalDouble.empty());
        }
    }

    /** What the next updates use: per update, each group's lr, momentum (null without one) and hyper-parameters. */
    public record Plan(double[][] lrs, double[][] momenta, List<String> hyperNames, double[][][] hyper) {
        public int updates() {
            return lrs.length;
        }

        /** Each group's value of hyper-parameter {@code name} at update {@code k} of the plan. */
        public double[] hyperAt(int k, String name) {
            return hyper[k][hyperNames.indexOf(name)].clone();
        }
    }

    /**
     * The values of the next {@code updates} updates of {@code optimizer} from update {@code updatesSoFar + 1} on,
     * in {@code epoch}: the schedulers are stepped as they would be after each of these updates, and what the
     * groups hold before each is recorded. Nothing is lost if a step fails: the schedulers are put back.
     */
    public Plan plan(Optimizer optimizer, long updatesSoFar, int epoch, int updates) {
        int n = optimizer.size();
        boolean momentum = optimizer.momentumKind() != MomentumKind.NONE;
        HyperParameters hp = HyperParameters.of(optimizer);
        List<String> names = hp.schedulable();
        double[][] lrs = new double[updates][n];
        double[][] momenta = momentum ? new double[updates][n] : null;
        double[][][] hyper = new double[updates][names.size()][n];
        List<SchedulerState> before = states();
        try {
            for (int k = 0; k < updates; k++) {
                for (int g = 0; g < n; g++) {
                    lrs[k][g] = optimizer.lr(g);
                    if (momentum) {
                        momenta[k][g] = optimizer.momentum(g);
                    }
                    for (int h = 0; h < names.size(); h++) {
                        hyper[k][h][g] = hp.get(g, names.get(h));
                    }
                }
                afterUpdate(updatesSoFar + k + 1, epoch);
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < schedulers.size(); i++) {
                schedulers.get(i).scheduler().loadState(before.get(i));
            }
            throw e;
        }
        return new Plan(lrs, momenta, names, hyper);
    }

    /** Each attached scheduler's state, in order. */
    public List<SchedulerState> states() {
        List<SchedulerState> out = new ArrayList<>();
        for (TrainingLoop.Attached a : schedulers) {
            out.add(a.scheduler().state());
        }
        return out;
    }

    /**
     * Restores {@code states} (one per attached scheduler, saved by a run of {@code savedEpochs} epochs) into a run
     * of {@code epochs} epochs of {@code updatesPerEpoch} updates (either length 0: unknown, each state is loaded as
     * it is), then {@code swaState} (or null) into the SWA scheduler: last, since in the SWA phase it wrote the
     * groups' lr after the others stopped. All or nothing: on any error every scheduler and the groups' lr and
     * momentum are put back and an IllegalArgumentException says what. A caller that restores more afterwards (the
     * optimizer) calls {@link #rollback} if that fails.
     *
     * @return the token {@link #rollback} takes
     */
    public Restore restore(String source, List<SchedulerState> states, SchedulerState swaState, int savedEpochs, int epochs,
                           long updatesPerEpoch) {
        return restore(source, states, swaState, savedEpochs, epochs, updatesPerEpoch, false);
    }

    /**
     * {@link #restore(String, List, SchedulerState, int, int, long)}; with {@code rebuild} each scheduler is built
     * again for {@code epochs} (schedules restarted part-way through the run are sized for the epochs left then).
     */
    public Restore restore(String source, List<SchedulerState> states, SchedulerState swaState, int savedEpochs, int epochs,
                           long updatesPerEpoch, boolean rebuild) {
        if (states.size() != schedulers.size()) {
            throw new IllegalArgumentException(source + " holds " + states.size() + " schedulers, this run has " + schedulers.size());
        }
        Restore token = new Restore(new ArrayList<>(schedulers), states(), swaScheduler,
                swaScheduler == null ? null : swaScheduler.state(), groupValues());
        List<TrainingLoop.Attached> resumed = new ArrayList<>(schedulers);
        Scheduler swaResumed = null;
        SchedulerState swaResumedBefore = null;
        try {
            boolean lengthsKnown = savedEpochs > 0 && epochs > 0;
            for (int i = 0; i < schedulers.size(); i++) {
                TrainingLoop.Attached a = schedulers.get(i);
                SchedulerState state = states.get(i);
                if (rebuilders.get(i) != null && lengthsKnown && (rebuild || savedEpochs != epochs || RunLength.retargeted(state))) {
                    long perEpoch = a.interval() == Interval.STEP ? updatesPerEpoch : 1;
                    Scheduler current = rebuild ? rebuilders.get(i).build(epochs) : a.scheduler();
                    resumed.set(i, new TrainingLoop.Attached(RunLength.resume(source, current, state, rebuilders.get(i),
                            savedEpochs, epochs, perEpoch, a.frequency()), a.interval(), a.frequency()));
                } else {
                    a.scheduler().loadState(state);
                }
            }
            if (swaState != null) {
                swaResumed = swaScheduler != null ? swaScheduler : buildSwaScheduler();
                // A supplier may hand out a scheduler built before the run: put it back too if the restore fails.
                swaResumedBefore = swaResumed.state();
                swaResumed.loadState(swaState);
            }
        } catch (RuntimeException e) {
            if (swaResumedBefore != null) {
                swaResumed.loadState(swaResumedBefore);
            }
            rollback(token);
            throw e instanceof IllegalArgumentException ? e : new IllegalArgumentException(e.getMessage(), e);
        }
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.set(i, resumed.get(i));
        }
        swaScheduler = swaResumed;
        return token;
    }

    /** Each distinct group set's lr ({@code [0]}) and momentum ({@code [1]}), to put back. */
    private Map<ParamGroups, double[][]> groupValues() {
        Map<ParamGroups, double[][]> out = new IdentityHashMap<>();
        for (TrainingLoop.Attached a : schedulers) {
            out.computeIfAbsent(a.scheduler().groups(), g -> {
                double[][] v = new double[2][g.size()];
                for (int i = 0; i < g.size(); i++) {
                    v[0][i] = g.lr(i);
                    v[1][i] = g.momentum(i);
                }
                return v;
            });
        }
        return out;
    }

    /** Refuses (naming it) a scheduler attached without a way to build it again. */
    public void requireRebuildable() {
        for (int i = 0; i < schedulers.size(); i++) {
            if (rebuilders.get(i) == null) {
                throw new IllegalArgumentException(schedulers.get(i).scheduler().name() + " was attached without its recipe"
                        + " (a rebuild function): it cannot start again");
            }
        }
    }

    /** Replaces every scheduler with a fresh one built for a run of {@code epochs} epochs (a warm restart). */
    public void rebuildAll(int epochs) {
        requireRebuildable();
        List<TrainingLoop.Attached> fresh = new ArrayList<>();
        for (int i = 0; i < schedulers.size(); i++) {
            TrainingLoop.Attached a = schedulers.get(i);
            fresh.add(new TrainingLoop.Attached(rebuilders.get(i).build(epochs), a.interval(), a.frequency()));
        }
        schedulers.clear();
        schedulers.addAll(fresh);
    }

    /** What {@link #restore} replaced, to put back. */
    public record Restore(List<TrainingLoop.Attached> schedulers, List<SchedulerState> states, Scheduler swaScheduler,
                         SchedulerState swaState, Map<ParamGroups, double[][]> groups) { }

    /** Puts back what {@link #restore} replaced (the schedulers, their states and the SWA scheduler). */
    public void rollback(Restore token) {
        schedulers.clear();
        schedulers.addAll(token.schedulers());
        for (int i = 0; i < schedulers.size(); i++) {
            schedulers.get(i).scheduler().loadState(token.states().get(i));
        }
        swaScheduler = token.swaScheduler();
        if (token.swaState() != null) {
            swaScheduler.loadState(token.swaState());
        }
        // Schedulers built for a new length wrote the groups when they were made: their values go back too.
        token.groups().forEach((g, v) -> {
            for (int i = 0; i < g.size(); i++) {
                g.setLr(i, v[0][i]);
                if (g.momentumKind() != MomentumKind.NONE) {
                    g.setMomentum(i, v[1][i]);
                }
            }
        });
    }
}
