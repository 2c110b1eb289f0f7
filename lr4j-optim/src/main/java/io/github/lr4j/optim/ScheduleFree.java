package io.github.lr4j.optim;

import static io.github.lr4j.optim.Options.Kind.COUNT;
import static io.github.lr4j.optim.Options.Kind.FLAG;
import static io.github.lr4j.optim.Options.Kind.NON_NEGATIVE;
import static io.github.lr4j.optim.Options.Kind.OPEN_PROBABILITY;
import static io.github.lr4j.optim.Options.Kind.STATE;
import static io.github.lr4j.optim.Options.Kind.UNIT_INTERVAL;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule-free optimizers of Defazio et al. (2024), "The Road Less Scheduled", as
 * {@code facebookresearch/schedule_free} 1.4.1 computes them ({@code foreach=False}, torch 1.13,
 * float32): {@code SGDScheduleFree}, {@code AdamWScheduleFree} and {@code RAdamScheduleFree}, with
 * the reference's names and defaults.
 *
 * <p>Each tensor keeps {@code z} (the SGD/Adam sequence); {@code x}, a weighted average of
 * {@code z}, is never stored. In train mode the parameter holds {@code y = β·x + (1-β)·z}, where
 * gradients are taken; {@link #eval()} turns it into {@code x} and {@link #train()} back, with the
 * reference's two float32 interpolations toward {@code z} (not an exact round trip). Per group and
 * step, in double: {@code γ = lr·warm-up} (SGD, AdamW) or {@code lr·rectification} (RAdam);
 * {@code lr_max = max(γ, lr_max)}; {@code weight = (k+1)^r · lr_max^weight_lr_power};
 * {@code c = weight / weight_sum}; then per element, with {@code d} the gradient (Adam-normalised
 * for AdamW, and for RAdam once ρ > 4) plus {@code weight_decay·y}:
 * <pre>y = lerp(y, z, c) + γ·(β·(1-c) - 1)·d;   z = z - γ·d</pre>
 *
 * <p>Departures from the reference, none of which changes a number: a new optimizer starts in
 * train mode (the reference wants {@code train()} first); the mode is switched for all groups at
 * once; gradients are read, not overwritten. The groups' running scalars {@code k},
 * {@code lr_max}, {@code weight_sum}, {@code scheduled_lr} and {@code train_mode} live in the
 * group as in the reference (readable with {@link ParamGroup#get}, saved with the optimizer).
 */
final class ScheduleFree extends Optimizer {
    enum Variant { SGD, ADAMW, RADAM }

    private static final Object[] STATE_SLOTS = {"k", 0, STATE, "lr_max", -1.0, STATE, "weight_sum", 0.0, STATE,
        "scheduled_lr", 0.0, STATE, "train_mode", 1, STATE};

    static final Options SGD_OPTIONS = Options.of("SGDScheduleFree", concat(new Object[] {
        "lr", 1.0, NON_NEGATIVE, "momentum", 0.9, UNIT_INTERVAL, "weight_decay", 0.0, NON_NEGATIVE,
        "warmup_steps", 0, COUNT, "r", 0.0, NON_NEGATIVE, "weight_lr_power", 2.0, NON_NEGATIVE}));
    static final Options ADAMW_OPTIONS = Options.of("AdamWScheduleFree", concat(new Object[] {
        "lr", 0.0025, NON_NEGATIVE, "beta1", 0.9, UNIT_INTERVAL, "beta2", 0.999, OPEN_PROBABILITY, "eps", 1e-8, NON_NEGATIVE,
        "weight_decay", 0.0, NON_NEGATIVE, "warmup_steps", 0, COUNT, "r", 0.0, NON_NEGATIVE,
        "weight_lr_power", 2.0, NON_NEGATIVE, "inner_momentum", 0.0, OPEN_PROBABILITY}));
    static final Options RADAM_OPTIONS = Options.of("RAdamScheduleFree", concat(new Object[] {
        "lr", 0.0025, NON_NEGATIVE, "beta1", 0.9, UNIT_INTERVAL, "beta2", 0.999, OPEN_PROBABILITY, "eps", 1e-8, NON_NEGATIVE,
        "weight_decay", 0.0, NON_NEGATIVE, "r", 0.0, NON_NEGATIVE, "weight_lr_power", 2.0, NON_NEGATIVE,
        "silent_sgd_phase", 1, FLAG}));

    private final Variant variant;
    private final String beta;
    /** The current step's scalars per group, already rounded to float32 where they meet a tensor. */
    private final Map<ParamGroup, StepScalars> scalars = new IdentityHashMap<>();

    private static Object[] concat(Object[] hyperParameters) {
        Object[] out = java.util.Arrays.copyOf(hyperParameters, hyperParameters.length + STATE_SLOTS.length);
        System.arraycopy(STATE_SLOTS, 0, out, hyperParameters.length, STATE_SLOTS.length);
        return out;
    }

    private static Options optionsOf(Variant variant) {
        switch (variant) {
            case SGD: return SGD_OPTIONS;
            case ADAMW: return ADAMW_OPTIONS;
            default: return RADAM_OPTIONS;
        }
    }

    ScheduleFree(Variant variant, Map<String, ?> defaults) {
        super(optionsOf(variant), defaults);
        this.variant = variant;
        this.beta = variant == Variant.SGD ? "momentum" : "beta1";
    }

    /** The per-step scalars of one group. */
    private static final class StepScalars {
        float c;
        float yCoefficient;
        float lr;
        float weightDecay;
        float beta2;
        float oneMinusBeta2;
        float bc2;
        float eps;
        float mu;
        float oneMinusMu;
        float bc1;
        boolean normalize;
    }

    @Override
    public String name() {
        return optionsOf(variant).optimizer();
    }

    @Override
    String[] bufferNames() {
        switch (variant) {
            case SGD: return new String[] {"z"};
            case ADAMW: return new String[] {"z", "exp_avg_sq", "exp_avg"};
            default: return new String[] {"z", "exp_avg_sq"};
        }
    }

    @Override
    String momentumOption() {
        return beta;
    }

    @Override
    public ParamGroup addParamGroup(List<Parameter> params, Map<String, ?> overrides) {
        OptimizerMode mode = mode();
        ParamGroup g = super.addParamGroup(params, overrides);
        // A group joins in the optimizer's mode; it has no z yet, so its parameters are the same in both.
        g.values[options.index("train_mode")] = mode == OptimizerMode.TRAIN ? 1 : 0;
        return g;
    }

    // --- modes ---

    @Override
    public OptimizerMode mode() {
        return paramGroups().isEmpty() || paramGroups().get(0).flag("train_mode") ? OptimizerMode.TRAIN : OptimizerMode.EVAL;
    }

    /** y -> x: {@code p = lerp(p, z, 1 - 1/β)} for every group in train mode. */
    @Override
    public void eval() {
        switchTo(false);
    }

    /** x -> y: {@code p = lerp(p, z, 1 - β)} for every group in eval mode. */
    @Override
    public void train() {
        switchTo(true);
    }

    private void switchTo(boolean training) {
        int flag = options.index("train_mode");
        Parameter[] params = params();
        ParamState[] states = states();
        int[] groupOf = groupOf();
        for (ParamGroup g : paramGroups()) {
            if ((g.values[flag] != 0) == training) {
                continue;
            }
            double b = g.get(beta);
            float weight = (float) (training ? 1 - b : 1 - 1 / b);
            for (int i = 0; i < params.length; i++) {
                float[] z = states[i].buffers[0];
                if (paramGroups().get(groupOf[i]) == g && z != null) {
                    Kernels.lerp(params[i].data(), z, 0, z.length, weight);
                }
            }
            g.values[flag] = training ? 1 : 0;
        }
    }

    @Override
    void checkCanStep() {
        if (mode() != OptimizerMode.TRAIN) {
            throw new IllegalStateException(name() + " is in eval mode (its parameters hold x): call train() before step()");
        }
    }

    // --- the step ---

    @Override
    void startStep() {
        for (ParamGroup g : paramGroups()) {
            StepScalars s = scalars.computeIfAbsent(g, k -> new StepScalars());
            double k = g.get("k");
            double t = k + 1;
            double lr = g.get("lr");
            double beta2 = variant == Variant.SGD ? 0 : g.get("beta2");
            double gamma;
            if (variant == Variant.RADAM) {
                double beta2t = Math.pow(beta2, t);
                double bc2 = 1 - beta2t;
                double rhoInf = 2 / (1 - beta2) - 1;
                double rho = rhoInf - 2 * t * beta2t / bc2;
                s.normalize = rho > 4.0;
                double rect = s.normalize
                        ? Math.pow((rho - 4) * (rho - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rho), 0.5)
                        : g.flag("silent_sgd_phase") ? 0.0 : 1.0;
                gamma = lr * rect;
            } else {
                double warmup = g.get("warmup_steps");
                gamma = lr * (k < warmup ? t / warmup : 1.0);
            }
            double lrMax = Math.max(gamma, g.get("lr_max"));
            double weight = Math.pow(t, g.get("r")) * Math.pow(lrMax, g.get("weight_lr_power"));
            double weightSum = g.get("weight_sum") + weight;
            double c = weightSum == 0 ? 0 : weight / weightSum;
            s.c = (float) c;
            s.yCoefficient = (float) (gamma * (g.get(beta) * (1 - c) - 1));
            s.lr = (float) gamma;
            s.weightDecay = (float) g.get("weight_decay");
            if (variant != Variant.SGD) {
                s.beta2 = (float) beta2;
                s.oneMinusBeta2 = (float) (1 - beta2);
                s.bc2 = (float) (1 - Math.pow(beta2, t));
                s.eps = (float) g.get("eps");
            }
            if (variant == Variant.ADAMW) {
                double mu = g.get("inner_momentum");
                s.mu = (float) mu;
                s.oneMinusMu = (float) (1 - mu);
                s.bc1 = (float) (1 - Math.pow(mu, t));
            }
            g.values[options.index("scheduled_lr")] = gamma;
            g.values[options.index("lr_max")] = lrMax;
            g.values[options.index("weight_sum")] = weightSum;
            g.values[options.index("k")] = t;
        }
    }

    @Override
    void prepare(ParamGroup g, Parameter p, ParamState s) {
        if (!s.initialized) {
            s.initialized = true;
            s.buffers[0] = p.data().clone();
            if (variant != Variant.SGD) {
                s.buffers[1] = new float[p.size()];
            }
        }
        if (variant == Variant.ADAMW && g.get("inner_momentum") != 0 && s.buffers[2] == null) {
            s.buffers[2] = new float[p.size()];
        }
        s.step++;
    }

    @Override
    void update(ParamGroup g, Parameter p, ParamState s, int from, int to) {
        StepScalars k = scalars.get(g);
        float[][] b = s.buffers;
        switch (variant) {
            case SGD:
                Kernels.scheduleFreeSgd(p.data(), p.grad(), b[0], from, to, k.weightDecay, k.c, k.yCoefficient, k.lr);
                break;
            case ADAMW:
                Kernels.scheduleFreeAdamW(p.data(), p.grad(), b[0], b[1], k.mu == 0 ? null : b[2], from, to, k.beta2,
                        k.oneMinusBeta2, k.bc2, k.eps, k.mu, k.oneMinusMu, k.bc1, k.weightDecay, k.c, k.yCoefficient, k.lr);
                break;
            default:
                Kernels.scheduleFreeRAdam(p.data(), p.grad(), b[0], b[1], from, to, k.beta2, k.oneMinusBeta2, k.bc2, k.eps,
                        k.normalize, k.weightDecay, k.c, k.yCoefficient, k.lr);
        }
    }
}
