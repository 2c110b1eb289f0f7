package io.github.lr4j.djl;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * lr4j param groups for a DJL model: each group has its lr (and momentum or beta1) and claims the
 * DJL parameters whose names start with one of its prefixes; the last group takes the rest. A
 * smaller lr for a pretrained backbone is one group with the backbone's prefix.
 *
 * <pre>{@code
 * DjlParamGroups groups = DjlParamGroups.builder(MomentumKind.MOMENTUM)
 *         .group(0.001, 0.9, "01SequentialBlock")   // backbone
 *         .rest(0.01, 0.9)                          // everything else
 *         .build();
 * }</pre>
 */
public final class DjlParamGroups implements ParamGroups {
    private final List<List<String>> prefixes;
    /** The values themselves: lr, initial lr and momentum of each group. */
    private final ParamGroups values;
    private final Map<String, Integer> groupOfId = new HashMap<>();
    private final Map<String, String> nameOfId = new HashMap<>();
    /** When not null, decides the group of a parameter name instead of the prefixes. */
    private final java.util.function.ToIntFunction<String> classifier;

    private DjlParamGroups(MomentumKind kind, List<List<String>> prefixes, double[] lr, double[] momentum) {
        this(kind, prefixes, lr, momentum, null);
    }

    private DjlParamGroups(MomentumKind kind, List<List<String>> prefixes, double[] lr, double[] momentum,
                           java.util.function.ToIntFunction<String> classifier) {
        this.prefixes = prefixes;
        this.values = kind == MomentumKind.NONE ? ParamGroups.of(lr) : ParamGroups.withMomentum(kind, lr, momentum);
        this.classifier = classifier;
    }

    /**
     * {@code count} groups, each with {@code lr} and {@code momentum}, a parameter's group given by {@code groupOfName}
     * (its DJL name -> a group in [0, count)): how {@code --param-groups no_decay} and {@code layers} group a block.
     */
    public static DjlParamGroups byName(MomentumKind kind, int count, double lr, double momentum,
                                        java.util.function.ToIntFunction<String> groupOfName) {
        if (count < 1) {
            throw new IllegalArgumentException("groups: count must be >= 1, got " + count);
        }
        double[] lrs = new double[count];
        double[] momenta = new double[count];
        java.util.Arrays.fill(lrs, lr);
        java.util.Arrays.fill(momenta, momentum);
        return new DjlParamGroups(kind, List.of(), lrs, momenta, java.util.Objects.requireNonNull(groupOfName, "groupOfName"));
    }

    /** Groups whose momentum means {@code kind}: MOMENTUM for SGD, BETA1 for Adam/AdamW, NONE. */
    public static Builder builder(MomentumKind kind) {
        return new Builder(kind);
    }

    /** One group holding every parameter. */
    public static DjlParamGroups single(double lr, MomentumKind kind, double momentum) {
        return builder(kind).rest(lr, momentum).build();
    }

    /** Builds the groups in order. */
    public static final class Builder {
        private final MomentumKind kind;
        private final List<List<String>> prefixes = new ArrayList<>();
        private final List<Double> lrs = new ArrayList<>();
        private final List<Double> momenta = new ArrayList<>();

        private Builder(MomentumKind kind) {
            this.kind = kind;
        }

        /** A group for the parameters whose DJL names start with any of {@code namePrefixes}. */
        public Builder group(double lr, double momentum, String... namePrefixes) {
            if (namePrefixes.length == 0) {
                throw new IllegalArgumentException("a group needs at least 1 name prefix (use rest(...) for the others)");
            }
            prefixes.add(List.of(namePrefixes));
            lrs.add(lr);
            momenta.add(momentum);
            return this;
        }

        /** The last group: every parameter no earlier group claimed. */
        public Builder rest(double lr, double momentum) {
            prefixes.add(List.of());
            lrs.add(lr);
            momenta.add(momentum);
            return this;
        }

        public DjlParamGroups build() {
            if (prefixes.isEmpty() || !prefixes.get(prefixes.size() - 1).isEmpty()) {
                throw new IllegalArgumentException("the last group must be rest(...): every parameter needs a group");
            }
            return new DjlParamGroups(kind, prefixes, lrs.stream().mapToDouble(Double::doubleValue).toArray(),
                    momenta.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /** Maps every parameter of {@code block} (by its DJL name) to its group; call after the trainer is initialized. */
    public DjlParamGroups bind(Block block) {
        groupOfId.clear();
        nameOfId.clear();
        for (Pair<String, Parameter> p : block.getParameters()) {
            nameOfId.put(p.getValue().getId(), p.getKey());
            groupOfId.put(p.getValue().getId(), groupOfName(p.getKey()));
        }
        return this;
    }

    /** The group of a DJL parameter name. */
    public int groupOfName(String name) {
        if (classifier != null) {
            int g = classifier.applyAsInt(name);
            if (g < 0 || g >= size()) {
                throw new IllegalStateException("parameter " + name + " was put in group " + g + "; the groups are 0 to "
                        + (size() - 1));
            }
            return g;
        }
        for (int g = 0; g < prefixes.size(); g++) {
            for (String prefix : prefixes.get(g)) {
                if (name.startsWith(prefix)) {
                    return g;
                }
            }
        }
        return prefixes.size() - 1;
    }

    /** The group of the parameter DJL's optimizer update names by id. */
    public int groupOfId(String parameterId) {
        Integer g = groupOfId.get(parameterId);
        if (g == null) {
            throw new IllegalStateException("parameter " + parameterId + " is unknown: call bind(model.getBlock()) after"
                    + " trainer.initialize(...)");
        }
        return g;
    }

    public String nameOfId(String parameterId) {
        return nameOfId.getOrDefault(parameterId, parameterId);
    }

    @Override
    public int size() {
        return values.size();
    }

    @Override
    public double lr(int group) {
        return values.lr(group);
    }

    /** The lr4j optimizers read this lr at every update: NaN, infinite or negative values are refused, nothing changes. */
    @Override
    public void setLr(int group, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("group " + group + ": lr must be finite and >= 0, got " + value
                    + "; nothing was changed");
        }
        values.setLr(group, value);
    }

    @Override
    public double initialLr(int group) {
        return values.initialLr(group);
    }

    @Override
    public void setInitialLr(int group, double value) {
        values.setInitialLr(group, value);
    }

    @Override
    public MomentumKind momentumKind() {
        return values.momentumKind();
    }

    @Override
    public double momentum(int group) {
        return values.momentum(group);
    }

    /** Momentum must be finite and >= 0; beta1 in [0, 1) (Adam divides by 1 - beta1^t). */
    @Override
    public void setMomentum(int group, double value) {
        boolean beta1 = momentumKind() == MomentumKind.BETA1;
        if (!(value >= 0) || Double.isInfinite(value) || (beta1 && value >= 1)) {
            throw new IllegalArgumentException("group " + group + ": " + (beta1 ? "beta1 must be in [0, 1)" : "momentum must be finite and >= 0")
                    + ", got " + value + "; nothing was changed");
        }
        values.setMomentum(group, value);
    }
}
