package io.github.lr4j.train;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model's parameters become the optimizer's param groups ({@code lr4j train --param-groups}), the same on every
 * engine, so that per-group schedules ({@code PerGroup(...)}, {@code max_lr=[...]}) have groups to drive.
 */
public enum ParamGrouping {
    /** One group holding every parameter (the default). */
    ONE,
    /**
     * Two groups: the weights (2 or more dimensions) with the optimizer's options, then the biases (1 dimension) with
     * {@code weight_decay} 0: the habit of transformers and timm.
     */
    NO_DECAY,
    /** One group per layer (parameters named {@code layerN.weight}, {@code layerN.bias}, ...), in order: fastai's habit. */
    LAYERS;

    /** {@code one}, {@code no_decay} or {@code layers}. */
    public static ParamGrouping parse(String text) {
        for (ParamGrouping g : values()) {
            if (g.name().toLowerCase(Locale.ROOT).equals(text)) {
                return g;
            }
        }
        throw new IllegalArgumentException("--param-groups must be one, no_decay or layers, got " + text);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Adds {@code params} to {@code optimizer} as this grouping's groups. */
    public void addTo(Optimizer optimizer, List<Parameter> params) {
        switch (this) {
            case ONE -> optimizer.addParamGroup(params);
            case NO_DECAY -> {
                List<Parameter> weights = new ArrayList<>();
                List<Parameter> biases = new ArrayList<>();
                for (Parameter p : params) {
                    (p.shape().length >= 2 ? weights : biases).add(p);
                }
                if (weights.isEmpty() || biases.isEmpty()) {
                    throw new IllegalArgumentException("--param-groups no_decay needs weights and biases, but the model has "
                            + (weights.isEmpty() ? "no weights" : "no biases"));
                }
                optimizer.addParamGroup(weights);
                optimizer.addParamGroup(biases, Map.of("weight_decay", 0.0));
            }
            case LAYERS -> {
                Map<String, List<Parameter>> layers = new LinkedHashMap<>();
                for (Parameter p : params) {
                    String name = p.name();
                    String layer = name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name;
                    layers.computeIfAbsent(layer, k -> new ArrayList<>()).add(p);
                }
                layers.values().forEach(optimizer::addParamGroup);
            }
        }
    }
}
