package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.spec.ScheduleSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile run files (issue 22, classes 4, 5 and 7): a checkpoint whose counters disagree, weights that are not finite,
 * a resume into another run's folder, a batch size near 2^31. Each is refused before anything is written or deleted.
 */
class RunFileInvariantsTest {
    private final Digits.Split split = Digits.split();

    private TrainingLoop loop(Path checkpoints, Path logs) {
        return loop(checkpoints, logs, 1);
    }

    private TrainingLoop loop(Path checkpoints, Path logs, long seed) {
        Mlp model = Mlp.softmaxRegression(64, 10, 3);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(3).batchSize(256)
                .seed(seed);
        long perEpoch = t.optimizerStepsPerEpoch();
        TrainingLoop.ForRunLength build = e -> ScheduleSpec.build("CosineAnnealingLR(T_max=total_steps)", opt,
                ScheduleDriver.variables(perEpoch, e));
        t.scheduler(build.build(3), Interval.STEP, 1, build);
        t.checkpoints(new Checkpointing(checkpoints, 0, true, true, 10));
        return t.log(logs);
    }


    /** Rewrites {@code file} with {@code change} applied to its header (or its weights), keeping it well-formed. */
    private static void craft(Path file, java.util.function.Consumer<Map<String, Object>> header, boolean nanWeight)
            throws IOException {
        CheckpointFile.Contents c = CheckpointFile.read(file);
        Map<String, Object> h = new LinkedHashMap<>(c.header());
        header.accept(h);
        float[][] params = Arrays.stream(c.params()).map(float[]::clone).toArray(float[][]::new);
        if (nanWeight) {
            params[0][5] = Float.NaN;
        }
        CheckpointFile.write(file, h, Arrays.asList(params), c.optimizer(),
                c.bestParams() == null ? null : Arrays.asList(c.bestParams()), null);
    }

    @Test
    void aCheckpointWhoseCountersDisagree_orWhoseWeightsAreNaN_isRefusedBeforeAnythingIsWritten(@TempDir Path dir)
            throws Exception {
        loop(dir.resolve("ckpt"), dir.resolve("logs")).fit();
        Path ckpt = dir.resolve("ckpt/epoch-00001.ckpt");
        for (int variant = 0; variant < 3; variant++) {
            Path crafted = dir.resolve("crafted" + variant + ".ckpt");
            Files.copy(ckpt, crafted);
            switch (variant) {
                case 0 -> craft(crafted, h -> h.put("optimizer_steps", ((Number) h.get("optimizer_steps")).longValue() + 3), false);
                case 1 -> craft(crafted, h -> h.put("history", java.util.List.of()), false);
                default -> craft(crafted, h -> { }, true);
            }
            Files.copy(crafted, dir.resolve("ckpt/epoch-00009.ckpt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Map<String, Integer> before = RunFiles.snapshot(dir);
            assertThatThrownBy(() -> loop(dir.resolve("ckpt"), dir.resolve("logs")).resume(dir.resolve("ckpt/epoch-00009.ckpt"))
                    .fit()).as("variant %d", variant).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not valid");
            assertThat(RunFiles.snapshot(dir)).as("variant %d changed files", variant).isEqualTo(before);
        }
    }

    @Test
    void aResumeIntoAnotherRunsCheckpointFolder_isRefusedUnlessOverwrite_andTouchesNothing(@TempDir Path dir) throws Exception {
        loop(dir.resolve("a"), dir.resolve("logs-a")).fit();
        loop(dir.resolve("b"), dir.resolve("logs-b"), 2).fit(); // another run: another seed
        Map<String, Integer> before = RunFiles.snapshot(dir);
        assertThatThrownBy(() -> loop(dir.resolve("b"), dir.resolve("logs-b")).resume(dir.resolve("a/epoch-00001.ckpt")).fit())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("of another run").hasMessageContaining("--overwrite");
        assertThat(RunFiles.snapshot(dir)).isEqualTo(before);
        loop(dir.resolve("b"), dir.resolve("logs-b")).resume(dir.resolve("a/epoch-00001.ckpt")).overwriteCheckpoints().fit();
    }

    @Test
    void aBatchSizeNear2To31_isOneBatchPerEpoch_notZero() {
        Mlp model = Mlp.softmaxRegression(64, 10, 3);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).epochs(2).batchSize(Integer.MAX_VALUE);
        assertThat(t.batchesPerEpoch()).isEqualTo(1);
        assertThat(t.fit().optimizerSteps()).isEqualTo(2);
    }
}
