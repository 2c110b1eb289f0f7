package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Interval;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SWA on DJL: {@link Lr4jTrainingListener#swa} and {@link DjlWeightAverage} replay real PyTorch 1.13's SWA loop
 * (tools/golden/generate_swa_training.py, the cases lr4j-train replays too) on DJL's PyTorch engine, and a run saved
 * and restored in the SWA phase continues exactly.
 */
class DjlSwaTest {

    static Map<String, Object> load(String name) throws IOException {
        return GoldenCases.load("golden-swa", name);
    }

    /** The case's optimizer, scheduler and listener on DJL over {@code block}'s tensors. */
    @SuppressWarnings("unchecked")
    record Run(Lr4jOptimizer optimizer, DjlParamGroups groups, Lr4jTrainingListener listener, DjlWeightAverage average) {
        static Run of(Map<String, Object> c, TensorBlock block) {
            List<Map<String, Object>> spec = (List<Map<String, Object>>) c.get("param_groups");
            String name = (String) c.get("optimizer");
            boolean adam = name.startsWith("Adam");
            MomentumKind kind = adam ? MomentumKind.BETA1 : MomentumKind.MOMENTUM;
            double m0 = adam ? 0.9 : DjlHyperScheduleTest.number(spec.get(0), "momentum", 0);
            DjlParamGroups groups = spec.size() == 1 ? DjlParamGroups.single(((Number) spec.get(0).get("lr")).doubleValue(), kind, m0)
                    : DjlParamGroups.builder(kind).group(((Number) spec.get(0).get("lr")).doubleValue(), m0, "a")
                    .rest(((Number) spec.get(1).get("lr")).doubleValue(), adam ? 0.9 : DjlHyperScheduleTest.number(spec.get(1), "momentum", 0))
                    .build();
            Lr4jOptimizer opt = adam ? Lr4jOptimizer.adam(groups, 0.999f, 1e-8f, 0f, name.equals("AdamW"))
                    : Lr4jOptimizer.sgd(groups, 0f, false);
            for (int g = 0; g < spec.size(); g++) {
                opt.set(g, "weight_decay", DjlHyperScheduleTest.number(spec.get(g), "weight_decay", name.equals("AdamW") ? 0.01 : 0));
            }
            groups.bind(block);
            Lr4jTrainingListener listener = new Lr4jTrainingListener();
            if (c.get("scheduler") != null) {
                listener.scheduler(ScheduleSpec.build((String) c.get("scheduler"), groups),
                        "step".equals(c.get("interval")) ? Interval.STEP : Interval.EPOCH, 1);
            }
            Scheduler swa = ScheduleSpec.build((String) c.get("swa_scheduler"), groups); // built first, as PyTorch's loop does
            DjlWeightAverage average = new DjlWeightAverage(block);
            listener.swa(((Number) c.get("swa_start")).intValue(), average, () -> swa);
            return new Run(opt, groups, listener, average);
        }
    }

    /** One epoch of the case's stored gradients, through the listener's callbacks as DJL's trainer makes them. */
    @SuppressWarnings("unchecked")
    static void epoch(Map<String, Object> c, int e, Run run, List<Parameter> params, NDManager manager) {
        List<List<List<Number>>> grads = (List<List<List<Number>>>) c.get("grads");
        int batches = ((Number) c.get("batches")).intValue();
        for (int b = 0; b < batches; b++) {
            run.listener().onTrainingBatch(null, null);
            List<List<Number>> step = grads.get(e * batches + b);
            for (int i = 0; i < params.size(); i++) {
                try (NDArray g = manager.create(TensorBlock.floats(step.get(i)))) {
                    run.optimizer().update(params.get(i).getId(), params.get(i).getArray(), g);
                }
            }
        }
        run.listener().onEpoch(null);
    }

    static void assertClose(String what, float[] got, List<Number> want) {
        assertThat(got.length).as(what).isEqualTo(want.size());
        for (int j = 0; j < got.length; j++) {
            double w = want.get(j).doubleValue();
            assertThat((double) got[j]).as("%s [%d]", what, j).isCloseTo(w, within(1e-6 + 1e-5 * Math.abs(w)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"swa_sgd_cosine_per_epoch", "swa_adam_onecycle_per_step_linear_anneal",
        "swa_sgd_two_groups_no_scheduler_swa_lr_at_once", "swa_adamw_from_first_epoch"})
    @SuppressWarnings("unchecked")
    void theListenerMatchesPyTorchsSwaLoop_andResumesExactlyInTheSwaPhase(String name) throws IOException {
        Map<String, Object> c = load(name);
        List<Map<String, Object>> after = (List<Map<String, Object>>) c.get("after_epoch");
        int epochs = after.size();
        int resumeAt = Math.max(((Number) c.get("swa_start")).intValue(), 1); // after this many epochs, in the SWA phase
        try (NDManager manager = NDManager.newBaseManager()) {
            TensorBlock block = new TensorBlock(manager,
                    (List<List<List<Number>>>) c.get("initial_params"));
            List<Parameter> params = new ArrayList<>();
            block.getParameters().forEach(p -> params.add(p.getValue()));
            Run run = Run.of(c, block);
            Map<String, Object> saved = null;
            byte[] savedOptimizer = null;
            byte[] savedAverage = null;
            List<float[]> savedWeights = null;
            for (int e = 0; e < epochs; e++) {
                epoch(c, e, run, params, manager);
                Map<String, Object> want = after.get(e);
                List<List<Number>> wantParams = (List<List<Number>>) want.get("params");
                for (int i = 0; i < params.size(); i++) {
                    assertClose(name + " weights after epoch " + (e + 1) + " tensor " + i, params.get(i).getArray().toFloatArray(),
                            wantParams.get(i));
                }
                assertThat(run.average().count()).isEqualTo(((Number) want.get("n_averaged")).longValue());
                if (want.get("average") != null) {
                    List<List<Number>> avg = (List<List<Number>>) want.get("average");
                    for (int i = 0; i < params.size(); i++) {
                        assertClose(name + " average after epoch " + (e + 1) + " tensor " + i,
                                run.average().weights(params.get(i).getName()), avg.get(i));
                    }
                }
                List<Number> lrs = (List<Number>) want.get("lr");
                for (int g = 0; g < lrs.size(); g++) {
                    assertThat(run.groups().lr(g)).as("lr of group %d after epoch %d", g, e + 1)
                            .isCloseTo(lrs.get(g).doubleValue(), within(1e-12));
                }
                if (e + 1 == resumeAt) {
                    saved = run.listener().state();
                    ByteArrayOutputStream o = new ByteArrayOutputStream();
                    run.optimizer().saveState(o);
                    savedOptimizer = o.toByteArray();
                    ByteArrayOutputStream a = new ByteArrayOutputStream();
                    run.average().save(a);
                    savedAverage = a.toByteArray();
                    savedWeights = params.stream().map(p -> p.getArray().toFloatArray()).toList();
                }
            }
            List<float[]> straight = params.stream().map(p -> p.getArray().toFloatArray()).toList();
            float[] straightAverage = run.average().weights(params.get(0).getName());
            run.average().copyInto();
            for (Parameter p : params) {
                assertThat(p.getArray().toFloatArray()).as("copied " + p.getName()).isEqualTo(run.average().weights(p.getName()));
            }
            assertClose(name + " model after copyInto", params.get(0).getArray().toFloatArray(),
                    ((List<List<Number>>) after.get(epochs - 1).get("average")).get(0));

            // A second run restored from the state saved after epoch resumeAt ends where the first did.
            TensorBlock block2 = new TensorBlock(manager,
                    (List<List<List<Number>>>) c.get("initial_params"));
            List<Parameter> params2 = new ArrayList<>();
            block2.getParameters().forEach(p -> params2.add(p.getValue()));
            for (int i = 0; i < params2.size(); i++) {
                params2.get(i).getArray().set(savedWeights.get(i));
            }
            Run resumed = Run.of(c, block2);
            resumed.optimizer().loadState(new ByteArrayInputStream(savedOptimizer), block2);
            resumed.average().load(new ByteArrayInputStream(savedAverage));
            resumed.listener().loadState(saved);
            for (int e = resumeAt; e < epochs; e++) {
                epoch(c, e, resumed, params2, manager);
            }
            for (int i = 0; i < params2.size(); i++) {
                assertThat(params2.get(i).getArray().toFloatArray()).as("resumed weights " + i).isEqualTo(straight.get(i));
            }
            assertThat(resumed.average().weights(params2.get(0).getName())).isEqualTo(straightAverage);
            assertThat(resumed.average().count()).isEqualTo(run.average().count());
        }
    }

    @org.junit.jupiter.api.Test
    void saveAndLoadBesideTheModel_keepTheAverage_andARefusedStateLeavesItAsItWas(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        try (DjlDigits run = new DjlDigits(new int[] {8}, 3, 256, 1, null, null);
             DjlWeightAverage average = new DjlWeightAverage(run.model.getBlock())) {
            run.listener.swa(2, average, () -> ScheduleSpec.build("SWALR(swa_lr=0.01, anneal_epochs=1)", run.groups));
            Lr4jTraining.fit(run.trainer, 3, run.train, run.validation, run.listener);
            assertThat(average.count()).isEqualTo(2);
            String first = run.model.getBlock().getParameters().get(0).getKey();
            float[] saved = average.weights(first);
            Lr4jTraining.save(run.model, "mlp", dir.resolve("with"), run.listener, run.optimizer);
            assertThat(dir.resolve("with").resolve(Lr4jTraining.SWA_FILE)).exists();

            // Loaded into a listener with another SWA start: refused, and the average is the one it had.
            try (DjlDigits other = new DjlDigits(new int[] {8}, 3, 256, 1, null, null);
                 DjlWeightAverage fresh = new DjlWeightAverage(other.model.getBlock())) {
                other.listener.swa(3, fresh, null);
                assertThatThrownBy(() -> Lr4jTraining.load(other.model, "mlp", dir.resolve("with"), other.listener))
                        .hasMessage("the state was written with SWA from epoch 2 but this listener has SWA from epoch 3");
                assertThat(fresh.count()).isZero();
                // A run saved without SWA, loaded by a listener with SWA: one clear line.
                Lr4jTrainingListener plain = new Lr4jTrainingListener();
                plain.scheduler(ScheduleSpec.build("OneCycleLR(max_lr=0.1, total_steps=15)", other.groups));
                Lr4jTraining.save(other.model, "mlp", dir.resolve("without"), plain);
                assertThatThrownBy(() -> Lr4jTraining.load(other.model, "mlp", dir.resolve("without"), other.listener))
                        .hasMessageContaining("holds no lr4j-swa.bin: it was saved by a run without SWA");
            }
            try (DjlDigits again = new DjlDigits(new int[] {8}, 3, 256, 1, null, null);
                 DjlWeightAverage restored = new DjlWeightAverage(again.model.getBlock())) {
                again.listener.swa(2, restored, () -> ScheduleSpec.build("SWALR(swa_lr=0.01, anneal_epochs=1)", again.groups));
                Lr4jTraining.load(again.model, "mlp", dir.resolve("with"), again.listener, again.optimizer);
                assertThat(restored.count()).isEqualTo(2);
                assertThat(restored.weights(first)).isEqualTo(saved);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void refusals() throws IOException {
        Map<String, Object> c = load("swa_sgd_cosine_per_epoch");
        try (NDManager manager = NDManager.newBaseManager()) {
            @SuppressWarnings("unchecked")
            TensorBlock block = new TensorBlock(manager,
                    (List<List<List<Number>>>) c.get("initial_params"));
            Run run = Run.of(c, block);
            assertThatThrownBy(() -> run.listener().swa(0, run.average(), null)).hasMessageContaining("got 0");
            assertThatThrownBy(run.average()::copyInto).hasMessageContaining("n_averaged = 0");
            Map<String, Object> state = run.listener().state();
            Lr4jTrainingListener plain = new Lr4jTrainingListener();
            plain.scheduler(ScheduleSpec.build((String) c.get("scheduler"), run.groups()), Interval.EPOCH, 1);
            assertThatThrownBy(() -> plain.loadState(state)).hasMessage("the state was written with SWA from epoch 5 but this"
                    + " listener has no SWA");
            assertThatThrownBy(() -> run.average().load(new ByteArrayInputStream("LR4JSWAA".getBytes()))).hasMessage(
                    "the weight average is truncated");
        }
    }
}
