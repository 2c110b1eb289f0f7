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
 *
 * <p>Schedule-free cases ({@code shared/golden/schedulefree/README.md}) are run as the reference run
 * was: {@code train()} first, and after every step the train-mode parameters ({@code trace_train}) and
 * the eval-mode ones ({@code trace_eval}); after the steps in {@code switch_at} the run itself goes to
 * eval mode and back, after the others the eval-mode values are read and the run is put back bit for
 * bit; a scheduler, if any, is stepped last. The groups' {@code scheduled_lr}, {@code lr_max} and
 * {@code weight_sum} are returned too.
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
        // {"weight_decay": "CosineAnnealingLR(T_max=20, eta_min=0.001)", ...}: other hyper-parameters' schedules
        List<HyperParameterSchedule> hyper = new ArrayList<>();
        if (testCase.get("schedules") instanceof Map) {
            ((Map<?, ?>) testCase.get("schedules")).forEach((k, v) ->
                    hyper.add(HyperParameterSchedule.of(opt, String.valueOf(k), String.valueOf(v), Map.of())));
        }
        if (Optimizers.isScheduleFree(name)) {
            return runScheduleFree(opt, scheduler, tensors, grads, testCase.get("switch_at"));
        }
        List<Object> trace = new ArrayList<>();
        List<Object> lrUsed = new ArrayList<>();
        List<Object> hyperUsed = new ArrayList<>();
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
            List<Object> hyperValues = new ArrayList<>();
            for (HyperParameterSchedule h : hyper) {
                for (int g = 0; g < tensors.size(); g++) {
                    hyperValues.add(opt.group(g).get(h.hyperParameter()));
                }
            }
            hyperUsed.add(hyperValues);
            opt.step();
            if (scheduler != null) {
                scheduler.step(OptionalDouble.empty());
            }
            for (HyperParameterSchedule h : hyper) {
                h.step(OptionalDouble.empty());
            }
            trace.add(snapshot(tensors));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace", trace);
        out.put("lr_used", lrUsed);
        if (!hyper.isEmpty()) {
            out.put("hyper_used", hyperUsed);
        }
        return out;
    }

    private static Map<String, Object> runScheduleFree(Optimizer opt, Scheduler scheduler, List<List<Parameter>> tensors,
                                                       List<?> grads, Object switchAt) {
        List<Integer> switches = new ArrayList<>();
        if (switchAt != null) {
            for (Object s : (List<?>) switchAt) {
                switches.add(((Number) s).intValue());
            }
        }
        opt.train();
        List<Object> trainTrace = new ArrayList<>();
        List<Object> evalTrace = new ArrayList<>();
        Map<String, List<Object>> scalars = new LinkedHashMap<>();
        for (String key : List.of("scheduled_lr", "lr_max", "weight_sum")) {
            scalars.put(key, new ArrayList<>());
        }
        for (int s = 0; s < grads.size(); s++) {
            setGrads(tensors, (List<?>) grads.get(s));
            opt.step();
            trainTrace.add(snapshot(tensors));
            for (Map.Entry<String, List<Object>> e : scalars.entrySet()) {
                List<Object> perGroup = new ArrayList<>();
                for (ParamGroup g : opt.paramGroups()) {
                    perGroup.add(g.get(e.getKey()));
                }
                e.getValue().add(perGroup);
            }
            if (switches.contains(s)) {
                opt.eval();
                evalTrace.add(snapshot(tensors));
                opt.train();
            } else {
                evalTrace.add(evalWithoutSwitching(opt, tensors));
            }
            if (scheduler != null) {
                scheduler.step(OptionalDouble.empty());
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("trace_train", trainTrace);
        out.put("trace_eval", evalTrace);
        out.putAll(scalars);
        return out;
    }

    /** The eval-mode parameters, leaving the optimizer and the parameters exactly as they were. */
    private static List<Object> evalWithoutSwitching(Optimizer opt, List<List<Parameter>> tensors) {
        java.io.ByteArrayOutputStream saved = new java.io.ByteArrayOutputStream();
        List<float[]> values = new ArrayList<>();
        try {
            opt.save(saved);
            for (List<Parameter> ps : tensors) {
                for (Parameter p : ps) {
                    values.add(p.data().clone());
                }
            }
            opt.eval();
            List<Object> x = snapshot(tensors);
            opt.load(new java.io.ByteArrayInputStream(saved.toByteArray()));
            int i = 0;
            for (List<Parameter> ps : tensors) {
                for (Parameter p : ps) {
                    float[] v = values.get(i++);
                    System.arraycopy(v, 0, p.data(), 0, v.length);
                }
            }
            return x;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void setGrads(List<List<Parameter>> tensors, List<?> perGroup) {
        for (int g = 0; g < tensors.size(); g++) {
            List<?> perTensor = (List<?>) perGroup.get(g);
            for (int t = 0; t < tensors.get(g).size(); t++) {
                tensors.get(g).get(t).setGrad(floats((List<?>) perTensor.get(t)));
            }
        }
    }

    private static List<Object> snapshot(List<List<Parameter>> tensors) {
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
        return snapshot;
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
