package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.scheduler.LrScheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real DJL training (PyTorch engine, CPU) of an MLP on the digits, driven by lr4j. */
class DjlTrainingTest {

    record Update(String name, long step, double lr, double momentum) { }

    @Test
    void oneCycle_lrAndMomentumReachEveryUpdate_andTheModelLearns() throws Exception {
        List<Update> updates = new ArrayList<>();
        try (DjlDigits run = new DjlDigits(new int[] {256}, 10, 32, 7, null,
                (name, group, step, lr, m) -> updates.add(new Update(name, step, lr, m)))) {
            int epochs = Lr4jTraining.fit(run.trainer, 10, run.train, run.validation, run.listener);
            assertThat(epochs).isEqualTo(10);
            LrScheduler oneCycle = (LrScheduler) run.scheduler;
            long perEpoch = (run.train.size() + 31) / 32;
            assertThat(run.listener.updates()).isEqualTo(perEpoch * 10);
            // Four parameters (two weights, two biases) are updated at every step.
            assertThat(updates).hasSize((int) (perEpoch * 10 * 4));
            for (Update u : updates) {
                assertThat(u.lr()).as("lr used by %s at update %d", u.name(), u.step()).isEqualTo(oneCycle.lrAt(u.step(), 0));
                assertThat(u.momentum()).as("momentum used at update %d", u.step()).isEqualTo(momentumAt(oneCycle, u.step()));
            }
            assertThat(run.testAccuracy()).isGreaterThanOrEqualTo(0.95);
        }
    }

    private static double momentumAt(LrScheduler s, long step) {
        return s.momentumAt(step, 0);
    }

    @Test
    void plateau_cutsTheLrAfterTheExpectedEpochsWithoutImprovement() throws Exception {
        // lr 1e-7: the validation loss barely moves, never by the 1% threshold after the first epoch.
        try (DjlDigits run = new DjlDigits(new int[] {32}, 7, 128, 3,
                "ReduceLROnPlateau(factor=0.5, patience=1, threshold=0.01)", null)) {
            run.groups.setLr(0, 1e-7);
            List<Double> lrs = new ArrayList<>();
            for (int e = 0; e < 7; e++) {
                Lr4jTraining.fit(run.trainer, 1, run.train, run.validation, run.listener);
                lrs.add(run.groups.lr(0));
            }
            // epoch 1 sets the best; epochs 2 and 3 are bad (2 > patience 1): cut after epoch 3, then after 5 and 7.
            assertThat(lrs).containsExactly(1e-7, 1e-7, 5e-8, 5e-8, 2.5e-8, 2.5e-8, 1.25e-8);
        }
    }

    @Test
    void resumedRun_continuesTheLrSequenceExactly(@TempDir Path dir) throws Exception {
        List<Update> reference = new ArrayList<>();
        try (DjlDigits run = new DjlDigits(new int[] {32}, 4, 128, 5, null,
                (name, group, step, lr, m) -> reference.add(new Update(name, step, lr, m)))) {
            Lr4jTraining.fit(run.trainer, 4, run.train, run.validation, run.listener);
        }
        List<Update> first = new ArrayList<>();
        byte[][] savedOptimizer = new byte[1][];
        try (DjlDigits run = new DjlDigits(new int[] {32}, 4, 128, 5, null,
                (name, group, step, lr, m) -> first.add(new Update(name, step, lr, m)))) {
            Lr4jTraining.fit(run.trainer, 2, run.train, run.validation, run.listener);
            Lr4jTraining.save(run.model, "mlp", dir, run.listener, run.optimizer);
            java.io.ByteArrayOutputStream state = new java.io.ByteArrayOutputStream();
            run.optimizer.saveState(state);
            savedOptimizer[0] = state.toByteArray();
        }
        List<Update> second = new ArrayList<>();
        try (DjlDigits run = new DjlDigits(new int[] {32}, 4, 128, 5, null,
                (name, group, step, lr, m) -> second.add(new Update(name, step, lr, m)))) {
            Lr4jTraining.load(run.model, "mlp", dir, run.listener, run.optimizer);
            assertThat(run.listener.updates()).isEqualTo(first.size() / 4);
            java.io.ByteArrayOutputStream state = new java.io.ByteArrayOutputStream();
            run.optimizer.saveState(state);
            assertThat(state.toByteArray()).as("momentum buffers and update counts restored").isEqualTo(savedOptimizer[0]);
            Lr4jTraining.fit(run.trainer, 2, run.train, run.validation, run.listener);
        }
        List<Update> resumed = new ArrayList<>(first);
        resumed.addAll(second);
        assertThat(resumed.stream().map(u -> u.step() + ":" + u.lr() + ":" + u.momentum()).toList())
                .isEqualTo(reference.stream().map(u -> u.step() + ":" + u.lr() + ":" + u.momentum()).toList());
    }

    @Test
    void tracker_givesDjlsOneBasedUpdatesPyTorchsZeroBasedLrs() {
        DjlParamGroups groups = DjlParamGroups.single(0.1, MomentumKind.NONE, 0);
        LrScheduler cosine = Schedulers.cosineAnnealingLR(groups, 10, 0.0);
        Lr4jTracker tracker = new Lr4jTracker(cosine, groups);
        assertThat(tracker.getNewValue(1)).isEqualTo(0.1f);
        assertThat(tracker.getNewValue(11)).isEqualTo((float) cosine.lrAt(10, 0));
    }

    @Test
    void perGroupLrs_followDjlParameterNames_inRealTraining() throws Exception {
        java.util.Map<String, java.util.Set<Double>> lrsByParameter = new java.util.TreeMap<>();
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager()) {
            io.github.lr4j.train.Dataset digits = io.github.lr4j.train.Digits.split().train();
            float[] flat = new float[digits.size() * 64];
            float[] labels = new float[digits.size()];
            for (int i = 0; i < digits.size(); i++) {
                System.arraycopy(digits.x()[i], 0, flat, i * 64, 64);
                labels[i] = digits.y()[i];
            }
            ai.djl.training.dataset.ArrayDataset train = new ai.djl.training.dataset.ArrayDataset.Builder()
                    .setData(manager.create(flat, new ai.djl.ndarray.types.Shape(digits.size(), 64)))
                    .optLabels(manager.create(labels, new ai.djl.ndarray.types.Shape(digits.size()))).setSampling(256, false).build();
            ai.djl.nn.SequentialBlock net = new ai.djl.nn.SequentialBlock()
                    .add(ai.djl.nn.core.Linear.builder().setUnits(32).build()).add(ai.djl.nn.Activation::relu)
                    .add(ai.djl.nn.core.Linear.builder().setUnits(10).build());
            try (ai.djl.Model model = ai.djl.Model.newInstance("groups")) {
                model.setBlock(net);
                DjlParamGroups groups = DjlParamGroups.builder(MomentumKind.MOMENTUM).group(0.001, 0.9, "01Linear")
                        .rest(0.1, 0.9).build();
                Lr4jOptimizer sgd = Lr4jOptimizer.sgd(groups, 0f, false).recorder((name, group, step, lr, m) ->
                        lrsByParameter.computeIfAbsent(name + " group " + group, k -> new java.util.TreeSet<>()).add(lr));
                Lr4jTrainingListener listener = new Lr4jTrainingListener()
                        .scheduler(Schedulers.exponentialLR(groups, 0.5), io.github.lr4j.train.Interval.STEP, 1);
                try (ai.djl.training.Trainer trainer = model.newTrainer(new ai.djl.training.DefaultTrainingConfig(
                        ai.djl.training.loss.Loss.softmaxCrossEntropyLoss()).optOptimizer(sgd).addTrainingListeners(listener))) {
                    trainer.initialize(new ai.djl.ndarray.types.Shape(256, 64));
                    groups.bind(net);
                    Lr4jTraining.fit(trainer, 1, train, null, listener);
                }
            }
        }
        // Five updates (1,257 / 256): the backbone ("01Linear") at 0.001 * 0.5^k, the head at 0.1 * 0.5^k.
        assertThat(lrsByParameter).containsOnlyKeys("01Linear_bias group 0", "01Linear_weight group 0", "03Linear_bias group 1",
                "03Linear_weight group 1");
        assertThat(lrsByParameter.get("01Linear_weight group 0")).containsExactly(6.25e-5, 1.25e-4, 2.5e-4, 5e-4, 1e-3);
        assertThat(lrsByParameter.get("03Linear_weight group 1")).containsExactly(6.25e-3, 0.0125, 0.025, 0.05, 0.1);
    }
}
