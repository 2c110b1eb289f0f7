package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.TrainingLoop;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.IntStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints of lr4j-spark's older formats still resume, to the same end as before. The fixtures in
 * {@code src/test/resources/spark-checkpoints/} were written by the driver of commit 90775b7 (format LR4JSPRK version 2):
 * {@code v2}, a run with SWA (one epoch averaged) and the best weights kept, killed mid-epoch; {@code v1} and
 * {@code v1-first}, a run without SWA killed mid-epoch, its file cut back to what version 1 held (no SWA flag; no
 * horizons, no SWA setting; {@code v1-first} also the first release's single "scheduler" and no "schedules"). Each
 * folder's {@code expected.txt} is what resuming it with that commit's code ended with: the final weights and optimizer
 * state (SHA-256), the counters and every history row (bits of each number).
 */
class SparkLegacyCheckpointTest {
    private static final Digits.Split DIGITS = Digits.split();

    static ParameterAveraging<Sample> run(String fixture) {
        Dataset train = DIGITS.train().subset(IntStream.range(0, 300).toArray());
        Dataset validation = DIGITS.validation().subset(IntStream.range(0, 100).toArray());
        ParameterAveraging<Sample> run = ParameterAveraging.of(LocalSpark.rdd(train, 2),
                        MlpPartitionModel.factory(Digits.FEATURES, new int[] {8}, Digits.CLASSES, 7))
                .validation(LocalSpark.rdd(validation, 2))
                .optimizer("AdamW(lr=3e-3, weight_decay=0.01)")
                .scheduler("OneCycleLR(max_lr=0.01, total_steps=total_steps)")
                .epochs(4).batchSize(64).localSteps(2).partitions(2).seed(7)
                .earlyStopping(new EarlyStopping(5, 0, true));
        if (fixture.equals("v2")) {
            run.swa(2, "SWALR(swa_lr=0.005, anneal_epochs=1)");
        }
        return run;
    }

    @ParameterizedTest
    @ValueSource(strings = {"v2", "v1", "v1-first"})
    void anOlderCheckpoint_resumesToTheSameEndAsBefore(String fixture, @TempDir Path dir) throws Exception {
        String name = fixture.equals("v2") ? "round-000000008.ckpt" : "round-000000007.ckpt";
        try (InputStream in = resource(fixture + "/" + name)) {
            Files.write(dir.resolve(name), in.readAllBytes());
        }
        ParameterAveraging<Sample> resumed = run(fixture).checkpoints(dir.toString(), 100, 5).resume(true);
        TrainingLoop.Result result = resumed.fit();

        String expected;
        try (InputStream in = resource(fixture + "/expected.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(summary(resumed, result)).isEqualTo(expected);
    }

    private static InputStream resource(String name) {
        InputStream in = SparkLegacyCheckpointTest.class.getResourceAsStream("/spark-checkpoints/" + name);
        assertThat(in).as("test resource spark-checkpoints/" + name).isNotNull();
        return in;
    }

    /** Everything a resumed run ended with, as text (each number's bits: equal means bit for bit). */
    static String summary(ParameterAveraging<Sample> run, TrainingLoop.Result r) throws Exception {
        StringBuilder s = new StringBuilder();
        s.append("rounds ").append(run.rounds()).append('\n');
        s.append("result ").append(r.epochsRun()).append(' ').append(r.optimizerSteps()).append(' ').append(r.stoppedEarly())
                .append(' ').append(r.bestEpoch()).append(' ').append(Double.doubleToLongBits(r.bestMetric())).append('\n');
        for (TrainingLoop.EpochInfo e : r.history()) {
            s.append("epoch ").append(e.epoch()).append(' ').append(e.step()).append(' ')
                    .append(Double.doubleToLongBits(e.trainLoss())).append(' ').append(Double.doubleToLongBits(e.valLoss()))
                    .append(' ').append(Double.doubleToLongBits(e.valAccuracy())).append(' ')
                    .append(Double.doubleToLongBits(e.lr()[0])).append(' ').append(e.best()).append('\n');
        }
        MessageDigest weights = MessageDigest.getInstance("SHA-256");
        for (var p : run.parameters()) {
            for (float v : p.data()) {
                weights.update(java.nio.ByteBuffer.allocate(4).putInt(Float.floatToIntBits(v)).array());
            }
        }
        s.append("weights ").append(HexFormat.of().formatHex(weights.digest())).append('\n');
        ByteArrayOutputStream opt = new ByteArrayOutputStream();
        run.optimizer().save(opt);
        s.append("optimizer ").append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(opt.toByteArray())))
                .append('\n');
        s.append("swa ").append(run.swaAveraged()).append('\n');
        return s.toString();
    }
}
