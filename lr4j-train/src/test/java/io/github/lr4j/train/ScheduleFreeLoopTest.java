package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.OptimizerMode;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop evaluates and saves a schedule-free optimizer's x and trains from its y. */
class ScheduleFreeLoopTest {
    private static final String OPTIMIZER = "SGDScheduleFree(lr=0.5, warmup_steps=2)";
    private static final int SAMPLES = 8;
    private static final int WIDTH = 6;

    /**
     * A model whose per-sample gradients are fixed random vectors (so a replay needs only the
     * gradients it handed out) and whose validation losses are scripted: epoch 1 is the best.
     */
    private static final class Recording implements Model {
        final Parameter w = Parameter.zeros("w", WIDTH);
        final float[][] sampleGradients = new float[SAMPLES][WIDTH];
        final List<float[]> seenInTraining = new ArrayList<>();
        final List<float[]> gradients = new ArrayList<>();
        final List<float[]> seenInValidation = new ArrayList<>();
        final double[] validationLosses = {1.0, 0.5, 0.7, 0.9};
        /** Validations already done (by the run a resumed one continues). */
        final int validationsBefore;

        Recording(int validationsBefore) {
            this.validationsBefore = validationsBefore;
            Random init = new Random(3);
            for (int i = 0; i < WIDTH; i++) {
                w.data()[i] = (float) init.nextGaussian();
            }
            Random random = new Random(5);
            for (float[] g : sampleGradients) {
                for (int i = 0; i < WIDTH; i++) {
                    g[i] = (float) random.nextGaussian();
                }
            }
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w);
        }

        @Override
        public double lossAndGradient(Dataset data, int[] order, int from, int to, double scale) {
            seenInTraining.add(w.data().clone());
            float[] g = new float[WIDTH];
            for (int k = from; k < to; k++) {
                for (int i = 0; i < WIDTH; i++) {
                    g[i] += (float) (scale * sampleGradients[order[k]][i] / (to - from));
                }
            }
            for (int i = 0; i < WIDTH; i++) {
                w.grad()[i] += g[i];
            }
            gradients.add(g);
            return 1.0;
        }

        @Override
        public Evaluation evaluate(Dataset data) {
            seenInValidation.add(w.data().clone());
            return new Evaluation(validationLosses[validationsBefore + seenInValidation.size() - 1], 0.5);
        }
    }

    private static Dataset data() {
        return new Dataset(new float[SAMPLES][1], new int[SAMPLES], 1);
    }

    private static TrainingLoop trainer(Recording model, Optimizer opt, Path dir) {
        opt.addParamGroup(model.parameters());
        return TrainingLoop.of(model, opt, data()).validation(data()).epochs(4).batchSize(4).seed(2)
                .earlyStopping(new EarlyStopping(10, 0, true)).checkpoints(new Checkpointing(dir, 0, true, true, 10));
    }

    @Test
    void validationAndBestWeightsSeeX_andResumedTrainingStartsFromY(@TempDir Path dir) throws Exception {
        Recording model = new Recording(0);
        float[] initial = model.w.data().clone();
        Optimizer opt = Optimizers.parse(OPTIMIZER);
        trainer(model, opt, dir).fit();
        assertThat(opt.mode()).isEqualTo(OptimizerMode.EVAL);

        // Replay the same gradients on a second optimizer, switching modes by hand as the reference's users do.
        Parameter p = Parameter.of("w", initial.clone());
        Optimizer replay = Optimizers.parse(OPTIMIZER);
        replay.addParamGroup(List.of(p));
        List<float[]> xs = new ArrayList<>();
        List<float[]> ysAfterValidation = new ArrayList<>();
        int call = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            for (int batch = 0; batch < 2; batch++, call++) {
                assertThat(model.seenInTraining.get(call)).as("training call %d sees y", call).isEqualTo(p.data());
                System.arraycopy(model.gradients.get(call), 0, p.grad(), 0, WIDTH);
                replay.step();
            }
            float[] y = p.data().clone();
            replay.eval();
            xs.add(p.data().clone());
            assertThat(xs.get(epoch)).as("epoch %d: x differs from y", epoch).isNotEqualTo(y);
            assertThat(model.seenInValidation.get(epoch)).as("validation %d sees x", epoch).isEqualTo(xs.get(epoch));
            replay.train();
            ysAfterValidation.add(p.data().clone());
        }
        // Early stopping put back the best epoch's weights: x of epoch 1, as best.ckpt holds them.
        assertThat(model.w.data()).isEqualTo(xs.get(1));
        CheckpointFile.Contents best = CheckpointFile.read(dir.resolve("best.ckpt"));
        assertThat(best.params()[0]).isEqualTo(xs.get(1));

        Recording resumedModel = new Recording(2);
        Optimizer resumedOpt = Optimizers.parse(OPTIMIZER);
        trainer(resumedModel, resumedOpt, dir.resolve("resumed")).resume(dir.resolve("best.ckpt")).fit();
        assertThat(resumedModel.seenInTraining.get(0)).as("the resumed run's first step starts from y")
                .isEqualTo(ysAfterValidation.get(1)).isEqualTo(model.seenInTraining.get(4));
        assertThat(resumedModel.seenInTraining.toArray(new float[0][]))
                .isDeepEqualTo(model.seenInTraining.subList(4, 8).toArray(new float[0][]));
        assertThat(resumedModel.seenInValidation.toArray(new float[0][]))
                .isDeepEqualTo(model.seenInValidation.subList(2, 4).toArray(new float[0][]));
        assertThat(resumedModel.w.data()).isEqualTo(model.w.data());
    }
}
