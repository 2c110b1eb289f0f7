package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.HyperParameterSchedule;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hyper-parameter schedules on lr4j-djl's optimizers replay real torch.optim (tools/golden/generate_hyper.py, the cases
 * lr4j-optim replays too): weight decay, beta2, eps, momentum scheduled, two param groups, on DJL's PyTorch engine.
 */
class DjlHyperScheduleTest {

    static Map<String, Object> load(String name) throws IOException {
        return GoldenCases.load("golden-hyper", name);
    }

    static double number(Map<String, Object> group, String key, double otherwise) {
        Object v = group.get(key);
        return v == null ? otherwise : ((Number) v).doubleValue();
    }

    /** The case's optimizer on DJL: one group per case group, each group's own weight decay / beta2 / eps. */
    @SuppressWarnings("unchecked")
    static Lr4jOptimizer optimizerFor(Map<String, Object> c, DjlParamGroups[] out) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) c.get("param_groups");
        String name = (String) c.get("optimizer");
        boolean adam = name.startsWith("Adam");
        double[] momentum = new double[2];
        double[] beta2 = new double[2];
        for (int g = 0; g < 2; g++) {
            List<Number> betas = (List<Number>) groups.get(g).get("betas");
            momentum[g] = adam ? (betas == null ? 0.9 : betas.get(0).doubleValue()) : number(groups.get(g), "momentum", 0);
            beta2[g] = betas == null ? 0.999 : betas.get(1).doubleValue();
        }
        DjlParamGroups pg = DjlParamGroups.builder(adam ? MomentumKind.BETA1 : MomentumKind.MOMENTUM)
                .group(number(groups.get(0), "lr", 0), momentum[0], "a").rest(number(groups.get(1), "lr", 0), momentum[1]).build();
        out[0] = pg;
        Lr4jOptimizer opt = adam ? Lr4jOptimizer.adam(pg, (float) beta2[0], (float) number(groups.get(0), "eps", 1e-8),
                (float) number(groups.get(0), "weight_decay", adam && name.equals("AdamW") ? 0.01 : 0), name.equals("AdamW"))
                : Lr4jOptimizer.sgd(pg, (float) number(groups.get(0), "weight_decay", 0), false);
        // Each group's own values, as doubles (the factories take floats; a schedule's base is the group's value).
        for (int g = 0; g < 2; g++) {
            opt.set(g, "weight_decay", number(groups.get(g), "weight_decay", name.equals("AdamW") ? 0.01 : 0));
            if (adam) {
                opt.set(g, "beta2", beta2[g]);
                opt.set(g, "eps", number(groups.get(g), "eps", 1e-8));
            }
        }
        return opt;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h_sgd_weight_decay_cosine", "h_adamw_beta2_linear_and_onecycle", "h_adam_eps_exponential_wd_step",
        "h_sgd_momentum_and_weight_decay_two_groups"})
    @SuppressWarnings("unchecked")
    void everyStepMatchesTorchOptim(String name) throws IOException {
        Map<String, Object> c = load(name);
        List<List<List<Number>>> initial = (List<List<List<Number>>>) c.get("initial_params");
        List<List<List<List<Number>>>> grads = (List<List<List<List<Number>>>>) c.get("grads");
        List<List<List<List<Number>>>> trace = (List<List<List<List<Number>>>>) c.get("trace");
        List<List<Number>> hyperUsed = (List<List<Number>>) c.get("hyper_used");
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorBlock block = new TensorBlock(manager, initial);
            List<Parameter> params = new ArrayList<>();
            block.getParameters().forEach(p -> params.add(p.getValue()));
            DjlParamGroups[] groups = new DjlParamGroups[1];
            Lr4jOptimizer opt = optimizerFor(c, groups);
            groups[0].bind(block);
            Scheduler lr = c.get("scheduler") == null ? null : ScheduleSpec.build((String) c.get("scheduler"), groups[0]);
            List<HyperParameterSchedule> schedules = new ArrayList<>();
            ((Map<String, String>) c.get("schedules")).forEach((h, spec) -> schedules.add(HyperParameterSchedule.of(opt, h, spec, Map.of())));
            int tensors = initial.get(0).size();
            for (int s = 0; s < grads.size(); s++) {
                int k = 0;
                for (HyperParameterSchedule h : schedules) {
                    for (int g = 0; g < 2; g++) {
                        assertThat(opt.get(g, h.hyperParameter())).as("%s step %d group %d", h.hyperParameter(), s, g)
                                .isCloseTo(hyperUsed.get(s).get(k++).doubleValue(), within(1e-12));
                    }
                }
                for (int i = 0; i < params.size(); i++) {
                    try (NDArray g = manager.create(TensorBlock.floats(grads.get(s).get(i / tensors).get(i % tensors)))) {
                        opt.update(params.get(i).getId(), params.get(i).getArray(), g);
                    }
                }
                if (lr != null) {
                    lr.step(OptionalDouble.empty());
                }
                for (HyperParameterSchedule h : schedules) {
                    h.step(OptionalDouble.empty());
                }
                for (int i = 0; i < params.size(); i++) {
                    float[] got = params.get(i).getArray().toFloatArray();
                    List<Number> want = trace.get(s).get(i / tensors).get(i % tensors);
                    for (int j = 0; j < got.length; j++) {
                        double e = want.get(j).doubleValue();
                        assertThat(Math.abs(got[j] - e)).as("%s step %d tensor %d [%d]: got %s, torch %s", name, s, i, j, got[j], e)
                                .isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(e));
                    }
                }
            }
        }
    }

    @Test
    void namesAndRanges_areChecked() {
        DjlParamGroups groups = DjlParamGroups.single(0.1, MomentumKind.BETA1, 0.9);
        Lr4jOptimizer adam = Lr4jOptimizer.adam(groups, 0.999f, 1e-8f, 0f, true);
        assertThat(adam.schedulable()).containsExactly("weight_decay", "beta2", "eps", "beta1");
        assertThatThrownBy(() -> HyperParameterSchedule.of(adam, "momentum", "ConstantLR()", Map.of()))
                .hasMessage("AdamW has no hyper-parameter momentum a schedule can drive; schedulable: weight_decay, beta2, eps, beta1");
        HyperParameterSchedule tooFar = HyperParameterSchedule.of(adam, "beta2", "ExponentialLR(gamma=1.01)",
                Map.of());
        assertThatThrownBy(() -> tooFar.step(OptionalDouble.empty())).hasMessageContaining("beta2 must be in [0, 1)")
                .hasMessageContaining("nothing was changed");
        assertThat(adam.get(0, "beta2")).isEqualTo(0.999f);
        Lr4jOptimizer sgdFree = Lr4jOptimizer.scheduleFree(DjlParamGroups.single(0.1, MomentumKind.MOMENTUM, 0.9), false, 0f, 0f,
                0f, 0, 0, 2);
        assertThat(sgdFree.schedulable()).containsExactly("weight_decay");
    }
}
