package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.train.Checkpointing;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SWA in {@link DjlRun} (DJL with checkpoints): the SWA scheduler takes the lr over as in lr4j's loop, checkpoints hold
 * the average and its count, and a run resumed from any checkpoint of the SWA phase ends with the uninterrupted run's
 * average, trained weights and swa.ckpt.
 */
class DjlRunSwaTest {
    private static final int EPOCHS = 3;
    private static final int BATCH = 128;

    /** What a run ended with. */
    private record Outcome(float[][] average, float[][] trained, long count, List<double[]> lrs, byte[] swaCheckpoint) { }

    private static Outcome run(Path ck, Path resumeFrom) throws IOException {
        try (DjlDigits digits = new DjlDigits(new int[] {8}, EPOCHS, BATCH, 1, "StepLR(step_size=1, gamma=0.5)", null,
                io.github.lr4j.train.Interval.EPOCH, false, null);
             DjlWeightAverage average = new DjlWeightAverage(digits.model.getBlock())) {
            digits.listener.swa(2, average, () -> ScheduleSpec.build("SWALR(swa_lr=0.01, anneal_epochs=1)", digits.groups));
            DjlRun loop = new DjlRun(digits, EPOCHS, BATCH, 1).checkpoints(new Checkpointing(ck, 3, true, false, 1000));
            List<double[]> lrs = new ArrayList<>();
            loop.fit(resumeFrom, null, new TrainListener() {
                @Override
                public void onStep(TrainingLoop.StepInfo step) {
                    lrs.add(new double[] {step.step(), step.lr()[0]});
                }
            });
            return new Outcome(loop.weights(), loop.trainedWeights(), average.count(), lrs,
                    Files.readAllBytes(ck.resolve("swa.ckpt")));
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2})
    void resumedInTheSwaPhase_endsWithTheUninterruptedRunsAverage(long seed, @TempDir Path dir) throws IOException {
        Outcome whole = run(dir.resolve("whole"), null);
        assertThat(whole.count()).isEqualTo(2);
        assertThat(whole.trained()).isNotNull();
        assertThat(whole.average()).isNotEqualTo(whole.trained());
        // The lr: StepLR for epoch 1; SWALR from epoch 2 on (its anneal from StepLR's lr of epoch 2, then 0.01 in epoch 3).
        long perEpoch = whole.lrs().size() / EPOCHS;
        for (double[] step : whole.lrs()) {
            double expected = step[0] <= perEpoch ? 0.1 : step[0] <= 2 * perEpoch ? 0.05 : 0.01;
            assertThat(step[1]).as("lr at step %d", (long) step[0]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-12));
        }

        List<Path> inSwa = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("whole"))) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if ((name.startsWith("step-") || name.startsWith("epoch-")) && RunCheckpoints.progress(f).epochsDone() >= 1
                        && RunCheckpoints.progress(f).epochsDone() < EPOCHS) {
                    inSwa.add(f);
                }
            }
        }
        Path from = inSwa.get(new Random(seed).nextInt(inSwa.size()));
        Outcome resumed = run(dir.resolve("resumed"), from);
        assertThat(resumed.count()).isEqualTo(2);
        assertThat(resumed.average()).as("the average, resumed from " + from.getFileName()).isEqualTo(whole.average());
        assertThat(resumed.trained()).isEqualTo(whole.trained());
        assertThat(resumed.swaCheckpoint()).isEqualTo(whole.swaCheckpoint());
        List<double[]> tail = whole.lrs().subList(whole.lrs().size() - resumed.lrs().size(), whole.lrs().size());
        for (int i = 0; i < tail.size(); i++) {
            assertThat(resumed.lrs().get(i)).isEqualTo(tail.get(i));
        }
    }

    @Test
    void restore_checksEveryShape_andARefusalLeavesTheAverageAsItWas() {
        try (DjlDigits digits = new DjlDigits(new int[] {8}, EPOCHS, BATCH, 1, null, null);
             DjlWeightAverage average = new DjlWeightAverage(digits.model.getBlock())) {
            assertThat(average.weights()).isNull();
            average.update();
            float[][] saved = average.weights();
            assertThat(saved.length).isEqualTo(4);
            float[][] other = new float[saved.length][];
            for (int i = 0; i < saved.length; i++) {
                other[i] = saved[i].clone();
                java.util.Arrays.fill(other[i], 0.25f);
            }
            float[][] wrong = other.clone();
            wrong[3] = new float[wrong[3].length + 1];
            assertThatThrownBy(() -> average.restore(wrong, 3)).hasMessageContaining("has " + wrong[3].length + " values");
            assertThatThrownBy(() -> average.restore(null, 3)).hasMessageContaining("n_averaged 3 must hold weights");
            assertThat(average.count()).isEqualTo(1);
            assertThat(average.weights()).isEqualTo(saved);
            average.restore(other, 3);
            assertThat(average.count()).isEqualTo(3);
            assertThat(average.weights()).isEqualTo(other);
            average.restore(null, 0);
            assertThat(average.count()).isZero();
            assertThat(average.weights()).isNull();
        }
    }
}
