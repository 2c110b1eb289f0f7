package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SWA in the training loop against real PyTorch 1.13 ({@code tools/golden/generate_swa_training.py}): torch.optim, a
 * torch scheduler, {@code SWALR} and {@code AveragedModel} in PyTorch's documented loop, with stored gradients that
 * {@link ReplayModel} hands to {@link TrainingLoop}. Every lr used, and the weights and the average after every
 * epoch, must match.
 */
class SwaGoldenTest {
    static final List<String> CASES = List.of("swa_sgd_cosine_per_epoch", "swa_adam_onecycle_per_step_linear_anneal",
            "swa_sgd_two_groups_no_scheduler_swa_lr_at_once", "swa_adamw_from_first_epoch");

    static Map<String, Object> load(String name) throws IOException {
        try (InputStream in = SwaGoldenTest.class.getResourceAsStream("/golden-swa/" + name + ".json")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> c = new ObjectMapper().readValue(in, Map.class);
            return c;
        }
    }

    /** A model whose gradients are the case's stored ones, one batch after another. */
    static final class ReplayModel implements Model {
        final List<Parameter> params = new ArrayList<>();
        final List<?> grads;
        final List<double[]> lrUsed = new ArrayList<>();
        Optimizer optimizer;
        int next;

        ReplayModel(List<Parameter> params, List<?> grads) {
            this.params.addAll(params);
            this.grads = grads;
        }

        @Override
        public List<Parameter> parameters() {
            return params;
        }

        @Override
        public double lossAndGradient(Dataset data, int[] order, int from, int to, double scale) {
            List<?> step = (List<?>) grads.get(next++);
            // Called just before the optimizer step: the lrs the groups hold now are the ones the step uses.
            lrUsed.add(java.util.stream.IntStream.range(0, optimizer.size()).mapToDouble(optimizer::lr).toArray());
            for (int i = 0; i < params.size(); i++) {
                float[] g = floats((List<?>) step.get(i));
                float[] grad = params.get(i).grad();
                for (int j = 0; j < g.length; j++) {
                    grad[j] += (float) (scale * g[j]);
                }
            }
            return 0;
        }

        @Override
        public Evaluation evaluate(Dataset data) {
            return new Evaluation(0, 0);
        }
    }

    static float[] floats(List<?> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) values.get(i)).floatValue();
        }
        return out;
    }

    /** The case's loop: model, optimizer, scheduler; {@code swaFirst} builds the SWA scheduler before training as PyTorch does. */
    record Run(TrainingLoop loop, ReplayModel model, Optimizer optimizer) { }

    @SuppressWarnings("unchecked")
    static Run build(Map<String, Object> c, boolean swaFirst) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) c.get("param_groups");
        List<List<Integer>> shapes = (List<List<Integer>>) c.get("shapes");
        List<List<List<Number>>> initial = (List<List<List<Number>>>) c.get("initial_params");
        Optimizer opt = Optimizers.create((String) c.get("optimizer"), Map.of("lr", groups.get(0).get("lr")));
        List<Parameter> all = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Parameter> ps = new ArrayList<>();
            for (int t = 0; t < shapes.size(); t++) {
                ps.add(Parameter.of("g" + g + "t" + t, floats(initial.get(g).get(t)),
                        shapes.get(t).stream().mapToInt(Integer::intValue).toArray()));
            }
            Map<String, Object> spec = new LinkedHashMap<>(groups.get(g));
            opt.addParamGroup(ps, spec);
            all.addAll(ps);
        }
        ReplayModel model = new ReplayModel(all, (List<?>) c.get("grads"));
        model.optimizer = opt;
        int batches = ((Number) c.get("batches")).intValue();
        float[][] x = new float[batches][1];
        Dataset data = new Dataset(x, new int[batches], 1);
        TrainingLoop loop = TrainingLoop.of(model, opt, data).epochs(((Number) c.get("epochs")).intValue()).batchSize(1)
                .monitor("train_loss", Mode.MIN);
        if (c.get("scheduler") != null) {
            Scheduler s = ScheduleSpec.build((String) c.get("scheduler"), opt);
            loop.scheduler(s, "step".equals(c.get("interval")) ? Interval.STEP : Interval.EPOCH, 1);
        }
        String swaSpec = (String) c.get("swa_scheduler");
        Scheduler prebuilt = swaFirst ? ScheduleSpec.build(swaSpec, opt) : null;
        loop.swa(((Number) c.get("swa_start")).intValue(), () -> swaFirst ? prebuilt : ScheduleSpec.build(swaSpec, opt));
        return new Run(loop, model, opt);
    }

    static Stream<String> cases() {
        return CASES.stream();
    }

    @ParameterizedTest
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void theLoopMatchesPyTorchsSwaLoop(String name) throws IOException {
        Map<String, Object> c = load(name);
        Run run = build(c, true);
        List<Map<String, Object>> after = (List<Map<String, Object>>) c.get("after_epoch");
        List<float[][]> paramsAfterEpoch = new ArrayList<>();
        List<float[][]> averageAfterEpoch = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        List<double[]> lrAfterEpoch = new ArrayList<>();
        run.loop().listener(new TrainListener() {
            @Override
            public void onValidation(TrainingLoop.EpochInfo epoch) {
                lrAfterEpoch.add(epoch.lr().clone());
                paramsAfterEpoch.add(run.model().parameters().stream().map(p -> p.data().clone()).toArray(float[][]::new));
                WeightAverage avg = run.loop().weightAverage().orElseThrow();
                counts.add(avg.count());
                averageAfterEpoch.add(avg.count() == 0 ? null
                        : java.util.stream.IntStream.range(0, run.model().parameters().size()).mapToObj(avg::weights)
                        .toArray(float[][]::new));
            }
        });
        run.loop().fit();
        List<List<Number>> lrUsed = (List<List<Number>>) c.get("lr_used");
        assertThat(run.model().lrUsed).hasSize(lrUsed.size());
        for (int k = 0; k < lrUsed.size(); k++) {
            double[] used = run.model().lrUsed.get(k);
            for (int g = 0; g < used.length; g++) {
                assertThat(used[g]).as("lr of group %d used by step %d", g, k).isCloseTo(lrUsed.get(k).get(g).doubleValue(),
                        within(1e-12));
            }
        }
        assertThat(counts).hasSize(after.size());
        for (int e = 0; e < after.size(); e++) {
            Map<String, Object> want = after.get(e);
            assertThat(counts.get(e)).as("n_averaged after epoch %d", e + 1).isEqualTo(((Number) want.get("n_averaged")).longValue());
            assertClose("weights after epoch " + (e + 1), paramsAfterEpoch.get(e), (List<List<Number>>) want.get("params"));
            if (want.get("average") == null) {
                assertThat(averageAfterEpoch.get(e)).isNull();
            } else {
                assertClose("average after epoch " + (e + 1), averageAfterEpoch.get(e), (List<List<Number>>) want.get("average"));
            }
            List<Number> lrs = (List<Number>) want.get("lr");
            for (int g = 0; g < lrs.size(); g++) {
                assertThat(lrAfterEpoch.get(e)[g]).as("lr of group %d after epoch %d", g, e + 1)
                        .isCloseTo(lrs.get(g).doubleValue(), within(1e-12));
            }
        }
        // fit() leaves the model holding the average, and keeps the last trained weights.
        Map<String, Object> last = after.get(after.size() - 1);
        assertClose("model after fit", run.model().parameters().stream().map(Parameter::data).toArray(float[][]::new),
                (List<List<Number>>) last.get("average"));
        assertClose("trained weights", run.loop().trainedWeights(), (List<List<Number>>) last.get("params"));
    }

    static void assertClose(String what, float[][] got, List<List<Number>> want) {
        assertThat(got.length).as(what).isEqualTo(want.size());
        for (int i = 0; i < want.size(); i++) {
            for (int j = 0; j < want.get(i).size(); j++) {
                double w = want.get(i).get(j).doubleValue();
                assertThat((double) got[i][j]).as("%s: tensor %d [%d]", what, i, j).isCloseTo(w, within(1e-6 + 1e-5 * Math.abs(w)));
            }
        }
    }
}
