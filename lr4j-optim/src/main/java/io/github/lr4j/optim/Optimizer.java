package io.github.lr4j.optim;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An optimizer over {@code float[]} parameters, organised in param groups with their own
 * hyper-parameters, numerically matching PyTorch 1.13's {@code torch.optim} (single-tensor path).
 * It is a {@link ParamGroups}, so any lr4j scheduler drives it: {@code lr} of every group, and
 * {@code momentum} (SGD, RMSprop) or {@code beta1} (Adam, AdamW).
 *
 * <p>{@link #step()} makes one fused pass over each tensor and allocates nothing in steady state.
 * With {@link #threads(int)} above 1, steps over at least a million parameters are split across
 * threads (tensors are packed into balanced ranges; a big tensor is split).
 *
 * <p>Before changing anything, a step checks every gradient's length and (unless
 * {@link NonFiniteGradients#UNCHECKED}) that it is finite; a bad gradient fails the step (or skips
 * it) with parameters and state untouched.
 *
 * <p>Every optimizer is {@link ModeAware}: {@link #train()} and {@link #eval()} do nothing except for
 * the schedule-free ones ({@code SGDScheduleFree}, {@code AdamWScheduleFree},
 * {@code RAdamScheduleFree}), whose parameters hold different values in the two modes.
 */
public abstract class Optimizer implements ParamGroups, ModeAware, AutoCloseable {
    /** Below this many parameters in one step a thread hand-off costs more than it saves. */
    static final int PARALLEL_MIN = 1 << 20;

    final Options options;
    private final double[] defaults;
    private final List<ParamGroup> groups = new ArrayList<>();
    private Parameter[] params = new Parameter[0];
    private int[] groupOf = new int[0];
    private ParamState[] states = new ParamState[0];
    private NonFiniteGradients nonFinite = NonFiniteGradients.FAIL;
    private int threads = 1;
    private WorkerPool pool;
    /** Per part: (param index, from, to) triples. */
    private int[][] plan;
    private final Job job = new Job();

    Optimizer(Options options, Map<String, ?> defaults) {
        this.options = options;
        this.defaults = options.resolve(options.defaults(), defaults);
    }

    /** PyTorch's class name. */
    public abstract String name();

    /** Names of the per-parameter buffers, in {@link ParamState#buffers} order (PyTorch's state keys). */
    abstract String[] bufferNames();

    /** Which group value the schedulers see as momentum, or null. */
    abstract String momentumOption();

    /** Computes the step's scalars for one tensor; creates its buffers at its first step. */
    abstract void prepare(ParamGroup g, Parameter p, ParamState s);

    /** The fused update of {@code p[from, to)}. */
    abstract void update(ParamGroup g, Parameter p, ParamState s, int from, int to);

    /** Throws if the optimizer cannot step now; runs before anything is read or changed. */
    void checkCanStep() {
    }

    /** Computes per-group scalars once the step is known to go ahead (before {@link #prepare}). */
    void startStep() {
    }

    // --- modes (only schedule-free optimizers have two) ---

    @Override
    public void train() {
    }

    @Override
    public void eval() {
    }

    @Override
    public OptimizerMode mode() {
        return OptimizerMode.TRAIN;
    }

    // --- groups ---

    /** Adds a group with the optimizer's defaults. */
    public ParamGroup addParamGroup(List<Parameter> params) {
        return addParamGroup(params, Map.of());
    }

    /** Adds a group whose hyper-parameters override the optimizer's defaults (PyTorch's names). */
    public ParamGroup addParamGroup(List<Parameter> newParams, Map<String, ?> overrides) {
        if (newParams == null || newParams.isEmpty()) {
            throw new IllegalArgumentException("a param group needs at least 1 parameter, got none");
        }
        for (Parameter p : newParams) {
            for (Parameter q : params) {
                if (p == q) {
                    throw new IllegalArgumentException("parameter " + p.name() + " is already in a param group");
                }
            }
        }
        ParamGroup g = new ParamGroup(options, newParams, options.resolve(defaults, overrides));
        groups.add(g);
        int n = params.length + newParams.size();
        Parameter[] ps = java.util.Arrays.copyOf(params, n);
        int[] go = java.util.Arrays.copyOf(groupOf, n);
        ParamState[] st = java.util.Arrays.copyOf(states, n);
        for (int i = params.length; i < n; i++) {
            ps[i] = newParams.get(i - params.length);
            go[i] = groups.size() - 1;
            st[i] = new ParamState(bufferNames().length);
        }
        params = ps;
        groupOf = go;
        states = st;
        plan = null;
        return g;
    }

    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(groups);
    }

    public ParamGroup group(int i) {
        return groups.get(i);
    }

    /** The value of hyper-parameter {@code name} given to new groups. */
    public double defaultValue(String name) {
        return defaults[options.index(name)];
    }

    // --- settings ---

    public NonFiniteGradients nonFiniteGradients() {
        return nonFinite;
    }

    public Optimizer nonFiniteGradients(NonFiniteGradients policy) {
        this.nonFinite = policy;
        return this;
    }

    /** Threads used for steps over at least a million parameters (default 1). */
    public Optimizer threads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads != this.threads) {
            this.threads = threads;
            close();
        }
        return this;
    }

    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    // --- the step ---

    /**
     * One optimization step over every parameter. Returns false when a non-finite gradient made it
     * skip ({@link NonFiniteGradients#SKIP}); throws, changing nothing, for a gradient of the wrong
     * length or (by default) a non-finite one.
     */
    public final boolean step() {
        if (params.length == 0) {
            throw new IllegalStateException(name() + " has no param groups: call addParamGroup first");
        }
        checkCanStep();
        for (int i = 0; i < params.length; i++) {
            Parameter p = params[i];
            if (p.grad().length != p.size()) {
                throw new IllegalArgumentException("gradient of " + describe(i) + " has " + p.grad().length
                        + " values but the parameter has " + p.size());
            }
        }
        if (plan == null) {
            plan = plan();
            if (plan.length > 1 && (pool == null || pool.parts() != plan.length)) {
                close();
                pool = new WorkerPool(plan.length);
            }
        }
        job.check = nonFinite != NonFiniteGradients.UNCHECKED;
        job.bad = false;
        job.scanThrew = false;
        job.scanned.set(0);
        job.verdict = Job.WAIT;
        if (plan.length == 1) {
            job.run(0);
        } else {
            pool.runAll(job);
        }
        if (job.bad) {
            if (nonFinite == NonFiniteGradients.SKIP) {
                return false;
            }
            throw new IllegalArgumentException("gradient of " + describe(firstNonFinite())
                    + " is not finite (NaN or infinite); the step was not taken and nothing changed");
        }
        return true;
    }

    private int firstNonFinite() {
        for (int i = 0; i < params.length; i++) {
            if (!Kernels.allFinite(params[i].grad(), 0, params[i].size())) {
                return i;
            }
        }
        return 0;
    }

    private String describe(int i) {
        Parameter p = params[i];
        int g = groupOf[i];
        int index = groups.get(g).params().indexOf(p);
        return (p.name() == null ? "" : p.name() + " ") + "(group " + g + ", parameter " + index + ")";
    }

    /** Splits the parameters into balanced ranges, one list per part. */
    private int[][] plan() {
        long total = 0;
        for (Parameter p : params) {
            total += p.size();
        }
        int parts = threads > 1 && total >= PARALLEL_MIN ? threads : 1;
        List<List<Integer>> out = new ArrayList<>();
        for (int k = 0; k < parts; k++) {
            out.add(new ArrayList<>());
        }
        long target = (total + parts - 1) / parts;
        int part = 0;
        long filled = 0;
        for (int i = 0; i < params.length; i++) {
            int size = params[i].size();
            int from = 0;
            while (from < size || size == 0) {
                long room = target - filled;
                int take = part == parts - 1 ? size - from : (int) Math.min(size - from, Math.max(room, 0));
                if (take > 0 || size == 0) {
                    out.get(part).add(i);
                    out.get(part).add(from);
                    out.get(part).add(from + take);
                }
                from += take;
                filled += take;
                if (filled >= target && part < parts - 1) {
                    part++;
                    filled = 0;
                }
                if (size == 0) {
                    break;
                }
            }
        }
        int[][] result = new int[parts][];
        for (int k = 0; k < parts; k++) {
            result[k] = out.get(k).stream().mapToInt(Integer::intValue).toArray();
        }
        return result;
    }

    /**
     * The step split into parts, in one hand-off to the workers: every part checks its gradients and
     * waits until all parts have; then, if all are finite, part 0 prepares the step (scalars, new
     * buffers) and every part updates its ranges. Nothing is written before every gradient is known finite.
     */
    private final class Job implements WorkerPool.Job {
        static final int WAIT = 0;
        static final int UPDATE = 1;
        static final int STOP = 2;

        boolean check;
        volatile boolean bad;
        /** A scan that threw (never expected): the parts still meet, nobody updates, and the step rethrows it. */
        volatile boolean scanThrew;
        final AtomicInteger scanned = new AtomicInteger();
        /** Written by part 0 once every part has scanned; the volatile write publishes what prepare() did. */
        volatile int verdict;

        @Override
        public void run(int part) {
            int[] ranges = plan[part];
            RuntimeException scanFailure = null;
            if (check) {
                try {
                    for (int k = 0; k < ranges.length && !bad && !scanThrew; k += 3) {
                        if (!Kernels.allFinite(params[ranges[k]].grad(), ranges[k + 1], ranges[k + 2])) {
                            bad = true;
                        }
                    }
                } catch (RuntimeException | Error e) {
                    // a part that left here without meeting the others would leave them spinning
                    scanFailure = new IllegalStateException("lr4j bug: the gradient check failed; nothing changed", e);
                    scanThrew = true;
                }
            }
            meetThenUpdate(part, ranges); // with scanThrew set, nobody updates
            if (scanFailure != null) {
                throw scanFailure;
            }
        }

        private void meetThenUpdate(int part, int[] ranges) {
            if (part == 0) {
                int go = STOP;
                try {
                    while (scanned.get() != plan.length - 1) {
                        Thread.onSpinWait();
                    }
                    if (!bad && !scanThrew) {
                        startStep();
                        for (int i = 0; i < params.length; i++) {
                            prepare(groups.get(groupOf[i]), params[i], states[i]);
                        }
                        go = UPDATE;
                    }
                } finally {
                    verdict = go; // also when prepare() threw, so that no worker waits forever
                }
                if (go == STOP) {
                    return;
                }
            } else {
                scanned.incrementAndGet();
                int go;
                while ((go = verdict) == WAIT) {
                    Thread.onSpinWait();
                }
                if (go == STOP) {
                    return;
                }
            }
            for (int k = 0; k < ranges.length; k += 3) {
                int i = ranges[k];
                update(groups.get(groupOf[i]), params[i], states[i], ranges[k + 1], ranges[k + 2]);
            }
        }
    }

    // --- ParamGroups: what schedulers drive ---

    @Override
    public int size() {
        return groups.size();
    }

    @Override
    public double lr(int group) {
        return groups.get(group).get("lr");
    }

    /** Sets group {@code group}'s lr; NaN, infinite or negative values are refused and nothing changes. */
    @Override
    public void setLr(int group, double lr) {
        setChecked(group, "lr", lr);
    }

    @Override
    public double initialLr(int group) {
        return groups.get(group).initialLr;
    }

    /** NaN, infinite or negative values are refused and nothing changes. */
    @Override
    public void setInitialLr(int group, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException(name() + " group " + group + ": initial lr must be finite and >= 0, got " + lr
                    + "; nothing was changed");
        }
        groups.get(group).initialLr = lr;
    }

    @Override
    public MomentumKind momentumKind() {
        String m = momentumOption();
        return m == null ? MomentumKind.NONE : m.equals("beta1") ? MomentumKind.BETA1 : MomentumKind.MOMENTUM;
    }

    @Override
    public double momentum(int group) {
        String m = momentumOption();
        return m == null ? Double.NaN : groups.get(group).get(m);
    }

    @Override
    public void setMomentum(int group, double momentum) {
        String m = momentumOption();
        if (m == null) {
            throw new IllegalStateException(name() + " has no momentum or beta1 to set");
        }
        setChecked(group, m, momentum);
    }

    /** Checks {@code value} against the range the constructor allows for {@code option}, then writes it. */
    private void setChecked(int group, String option, double value) {
        ParamGroup g = groups.get(group);
        int i = options.index(option);
        try {
            options.check(i, value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name() + " group " + group + ": " + e.getMessage() + "; nothing was changed");
        }
        g.values[i] = value;
    }

    // --- state ---

    /** Writes the full state (hyper-parameters, step counts, buffers) in lr4j's checkpoint format; see {@link OptimizerCheckpoint}. */
    public void save(OutputStream out) throws IOException {
        OptimizerCheckpoint.write(this, out);
    }

    /**
     * Restores a state written by {@link #save} from an optimizer of the same type with the same
     * groups and parameter sizes; afterwards steps continue bit-for-bit as the saved optimizer's
     * would. On any error nothing changes.
     */
    public void load(InputStream in) throws IOException {
        OptimizerCheckpoint.read(this, in);
    }

    Parameter[] params() {
        return params;
    }

    ParamState[] states() {
        return states;
    }

    int[] groupOf() {
        return groupOf;
    }

    /** Ends the worker threads of a multi-threaded optimizer (they are daemons, so forgetting this only wastes them). */
    @Override
    public void close() {
        if (pool != null) {
            pool.close();
            pool = null;
            plan = null; // a later step builds a new pool
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append("(");
        List<String> names = options.names();
        // PyTorch's spelling, so that the text parses back: betas as a pair, flags as True/False;
        // a schedule-free optimizer's running scalars are state, not options.
        String separator = "";
        for (int i = 0; i < names.size(); i++) {
            if (options.isState(i)) {
                continue;
            }
            sb.append(separator);
            separator = ", ";
            if (names.get(i).equals("beta1")) {
                sb.append("betas=(").append(options.format(i, defaults[i])).append(", ")
                        .append(options.format(i + 1, defaults[i + 1])).append(')');
                i++;
            } else {
                sb.append(names.get(i)).append('=').append(options.format(i, defaults[i]));
            }
        }
        return sb.append(")").toString();
    }
}
