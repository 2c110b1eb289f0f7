package io.github.lr4j.optim;

import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Replays an optimizer case in the format of {@code shared/golden/optim/FORMAT.md}: builds the
 * optimizer and its groups (one tensor per shape in each group), sets each step's gradients, steps
 * the optimizer and then the scheduler (if any), and returns {@code {"trace": [[[params of group 0
 * tensor 0], ...], ...]}} with the parameters after every step (as float32 values).
 */
public final class OptimTraceRunner {
    private OptimTraceRunner() {
    }

    public static Map<String, Object> run(Map<String, ?> testCase) {
        String name = String.valueOf(testCase.get("optimizer"));
        List<?> groupSpecs = (List<?>) testCase.get("param_groups");
        List<?> shapes = (List<?>) testCase.get("shapes");
        List<?> initial = (List<?>) testCase.get("initial_params");
        List<?> grads = (List<?>) testCase.get("grads");
        Object schedulerSpec = testCase.get("scheduler");
        if (groupSpecs == null || shapes == null || initial == null || grads == null) {
            throw new IllegalArgumentException("the case needs param_groups, shapes, initial_params and grads");
        }
        Map<String, Object> defaults = new LinkedHashMap<>();
        Object firstLr = ((Map<?, ?>) groupSpecs.get(0)).get("lr");
        if (firstLr != null) {
            defaults.put("lr", firstLr);
        }
        Optimizer opt = Optimizers.create(name, defaults);
        List<List<Parameter>> tensors = new ArrayList<>();
        for (int g = 0; g < groupSpecs.size(); g++) {
            List<Parameter> ps = new ArrayList<>();
            List<?> values = (List<?>) initial.get(g);
            for (int t = 0; t < shapes.size(); t++) {
                int[] shape = ((List<?>) shapes.get(t)).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
                ps.add(Parameter.of("g" + g + "t" + t, floats((List<?>) values.get(t)), shape));
            }
            @SuppressWarnings("unchecked")
            Map<String, ?> spec = (Map<String, ?>) groupSpecs.get(g);
            opt.addParamGroup(ps, spec);
            tensors.add(ps);
        }
        Scheduler scheduler = schedulerSpec == null ? null : ScheduleSpec.build(String.valueOf(schedulerSpec), opt);
        List<Object> trace = new ArrayList<>();
        List<Object> lrUsed = new ArrayList<>();
        for (Object stepGrads : grads) {
            List<?> perGroup = (List<?>) stepGrads;
            List<Object> lrs = new ArrayList<>();
            for (int g = 0; g < tensors.size(); g++) {
                List<?> perTensor = (List<?>) perGroup.get(g);
                for (int t = 0; t < tensors.get(g).size(); t++) {
                    tensors.get(g).get(t).setGrad(floats((List<?>) perTensor.get(t)));
                }
                lrs.add(opt.lr(g));
            }
            lrUsed.add(lrs);
            opt.step();
            if (scheduler != null) {
                scheduler.step(OptionalDouble.empty());
            }
            List<Object> snapshot = new ArrayList<>();
            for (List<Parameter> ps : tensors) {
                List<Object> groupValues = new ArrayList<>();
                for (Parameter p : ps) {
                    List<Float> values = new ArrayList<>(p.size());
                    for (float v : p.data()) {
                        values.add(v);
                    }
                    groupValues.add(values);
                }
                snapshot.add(groupValues);
            }
            trace.add(snapshot);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace", trace);
        out.put("lr_used", lrUsed);
        return out;
    }

    private static float[] floats(List<?> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = values.get(i);
            out[i] = v instanceof Number ? ((Number) v).floatValue() : Float.parseFloat(String.valueOf(v));
        }
        return out;
    }
}
