package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.OptimizerMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The DJL schedule-free optimizers replay the reference's single-group cases on DJL's PyTorch engine. */
class DjlScheduleFreeTest {

    static Map<String, Object> load(String name) throws IOException {
        return GoldenCases.load("golden-schedulefree", name);
    }

    @SuppressWarnings("unchecked")
    static Lr4jOptimizer optimizerFor(Map<String, Object> c, DjlParamGroups[] groupsOut) {
        Map<String, Object> h = ((List<Map<String, Object>>) c.get("group_hyperparameters")).get(0);
        boolean adaptive = c.get("optimizer").equals("AdamWScheduleFree");
        double lr = ((Number) h.get("lr")).doubleValue();
        List<Number> betas = (List<Number>) h.get("betas");
        DjlParamGroups groups = adaptive ? DjlParamGroups.single(lr, MomentumKind.BETA1, betas.get(0).doubleValue())
                : DjlParamGroups.single(lr, MomentumKind.MOMENTUM, ((Number) h.get("momentum")).doubleValue());
        groupsOut[0] = groups;
        return Lr4jOptimizer.scheduleFree(groups, adaptive, adaptive ? betas.get(1).floatValue() : 0f,
                adaptive ? ((Number) h.get("eps")).floatValue() : 0f, ((Number) h.get("weight_decay")).floatValue(),
                ((Number) h.get("warmup_steps")).intValue(), ((Number) h.get("r")).doubleValue(),
                ((Number) h.get("weight_lr_power")).doubleValue());
    }

    private static void assertClose(String what, List<Parameter> params, List<List<Number>> want) {
        for (int t = 0; t < want.size(); t++) {
            float[] got = params.get(t).getArray().toFloatArray();
            for (int i = 0; i < got.length; i++) {
                double e = want.get(t).get(i).doubleValue();
                assertThat(Math.abs(got[i] - e)).as("%s tensor %d [%d]: got %s, reference %s", what, t, i, got[i], e)
                        .isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(e));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd_sf_default", "adamw_sf_default", "sgd_sf_r_power_zero_grads", "adamw_sf_no_switch"})
    @SuppressWarnings("unchecked")
    void trainAndEvalParameters_matchTheReference(String name) throws IOException {
        Map<String, Object> c = load(name);
        List<List<List<Number>>> initial = (List<List<List<Number>>>) c.get("initial_params");
        List<List<List<List<Number>>>> grads = (List<List<List<List<Number>>>>) c.get("grads");
        List<List<List<List<Number>>>> train = (List<List<List<List<Number>>>>) c.get("trace_train");
        List<List<List<List<Number>>>> eval = (List<List<List<List<Number>>>>) c.get("trace_eval");
        List<Number> switchAt = (List<Number>) c.get("switch_at");
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorBlock block = new TensorBlock(manager, List.of(initial.get(0)));
            List<Parameter> params = new ArrayList<>();
            block.getParameters().forEach(p -> params.add(p.getValue()));
            DjlParamGroups[] groups = new DjlParamGroups[1];
            Lr4jOptimizer opt = optimizerFor(c, groups);
            groups[0].bind(block);
            for (int s = 0; s < grads.size(); s++) {
                for (int t = 0; t < params.size(); t++) {
                    try (NDArray g = manager.create(TensorBlock.floats(grads.get(s).get(0).get(t)))) {
                        opt.update(params.get(t).getId(), params.get(t).getArray(), g);
                    }
                }
                assertClose(name + " train step " + s, params, train.get(s).get(0));
                int step = s;
                if (switchAt.stream().anyMatch(k -> k.intValue() == step)) {
                    opt.eval();
                    assertClose(name + " eval step " + s, params, eval.get(s).get(0));
                    opt.train();
                }
            }
        }
    }

    @Test
    void stateSavedInEvalMode_restoresTheMode_andUpdatesRefuseEvalMode() throws IOException {
        Map<String, Object> c = load("adamw_sf_default");
        @SuppressWarnings("unchecked")
        List<List<List<Number>>> initial = (List<List<List<Number>>>) c.get("initial_params");
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorBlock block = new TensorBlock(manager, List.of(initial.get(0)));
            Parameter p = block.getParameters().get(0).getValue();
            DjlParamGroups[] groups = new DjlParamGroups[1];
            Lr4jOptimizer opt = optimizerFor(c, groups);
            groups[0].bind(block);
            for (int s = 0; s < 3; s++) {
                try (NDArray g = p.getArray().onesLike().muli(0.1f * (s + 1))) {
                    opt.update(p.getId(), p.getArray(), g);
                }
            }
            opt.eval();
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            opt.saveState(saved);
            try (NDArray g = p.getArray().onesLike()) {
                assertThatThrownBy(() -> opt.update(p.getId(), p.getArray(), g)).isInstanceOf(IllegalStateException.class)
                        .hasMessage("ScheduleFree is in eval mode (the parameters hold x): call train() before the next update");
            }
            Lr4jOptimizer restored = optimizerFor(c, groups);
            groups[0].bind(block);
            restored.loadState(new ByteArrayInputStream(saved.toByteArray()), block);
            assertThat(restored.mode()).isEqualTo(OptimizerMode.EVAL);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            restored.saveState(again);
            assertThat(again.toByteArray()).isEqualTo(saved.toByteArray());
            float[] x = p.getArray().toFloatArray();
            restored.train();
            float[] yRestored = p.getArray().toFloatArray();
            p.getArray().set(x);
            opt.train();
            assertThat(yRestored).isEqualTo(p.getArray().toFloatArray()).isNotEqualTo(x);
        }
    }

    @Test
    void adamWScheduleFree_trainsTheDigitsWithNoSchedule_andLeavesTheModelAtX() throws Exception {
        try (DjlDigits run = new DjlDigits(new int[] {32}, 1, 32, 0, "ConstantLR(factor=1.0, total_iters=1)",
                "AdamWScheduleFree(lr=5e-3, warmup_steps=50)", null)) {
            assertThat(Lr4jTraining.fit(run.trainer, 1, run.train, run.validation, run.listener, run.optimizer)).isEqualTo(1);
            assertThat(run.optimizer.mode()).isEqualTo(OptimizerMode.EVAL);
            double atX = run.testAccuracy();
            run.optimizer.train();
            double atY = run.testAccuracy();
            assertThat(atX).as("one epoch learns the digits").isGreaterThanOrEqualTo(0.8);
            assertThat(atX).as("x differs from y").isNotEqualTo(atY);
        }
    }
}
