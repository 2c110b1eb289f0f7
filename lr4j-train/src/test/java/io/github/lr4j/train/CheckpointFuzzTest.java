package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.spec.ScheduleSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded mutations of real training checkpoints, each written back well-formed (checksum and all), so that only the
 * loop's own checks stand between them and training: a resume either runs to the end with finite lrs, or refuses
 * with an IllegalArgumentException and changes no file (logs and checkpoints included). Under a watchdog: no hang.
 */
class CheckpointFuzzTest {
    private static final Object[] HOSTILE = {-1, -1L << 40, Long.MAX_VALUE, Integer.MAX_VALUE, 0, 1, 3, 1e308, -0.0, "NaN",
        "Infinity", "x", true, null, List.of(), Map.of(), List.of(1, 2)};
    private final Digits.Split split = Digits.split();

    static Stream<Integer> seeds() {
        return IntStream.range(0, 40).boxed();
    }

    private TrainingLoop loop(Path dir, int epochs) {
        Mlp model = Mlp.softmaxRegression(64, 10, 3);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.1, "momentum", 0.9));
        opt.addParamGroup(model.parameters());
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(epochs).batchSize(512)
                .seed(1);
        long perEpoch = t.optimizerStepsPerEpoch();
        TrainingLoop.ForRunLength build = e -> ScheduleSpec.build("OneCycleLR(max_lr=0.5, total_steps=total_steps)", opt,
                ScheduleDriver.variables(perEpoch, e));
        t.scheduler(build.build(epochs), Interval.STEP, 1, build);
        t.checkpoints(new Checkpointing(dir.resolve("ckpt"), 1, true, true, 100));
        return t.log(dir.resolve("logs"));
    }


    /** Replaces one field, at any depth of the header, with a hostile value (or removes it); returns its path. */
    @SuppressWarnings("unchecked")
    private static String mutate(Map<String, Object> header, Random random) {
        Object node = header;
        StringBuilder path = new StringBuilder();
        while (true) {
            if (node instanceof Map && !((Map<String, Object>) node).isEmpty()) {
                Map<String, Object> m = (Map<String, Object>) node;
                List<String> keys = new ArrayList<>(m.keySet());
                String key = keys.get(random.nextInt(keys.size()));
                Object child = m.get(key);
                path.append('.').append(key);
                if ((child instanceof Map || child instanceof List) && random.nextInt(3) > 0) {
                    Object copy = child instanceof Map ? new LinkedHashMap<>((Map<String, Object>) child)
                            : new ArrayList<>((List<Object>) child);
                    m.put(key, copy);
                    node = copy;
                    continue;
                }
                if (random.nextInt(8) == 0) {
                    m.remove(key);
                    return path + " removed";
                }
                Object v = HOSTILE[random.nextInt(HOSTILE.length)];
                m.put(key, v);
                return path + " = " + v;
            }
            if (node instanceof List && !((List<Object>) node).isEmpty()) {
                List<Object> l = (List<Object>) node;
                int i = random.nextInt(l.size());
                Object child = l.get(i);
                path.append('[').append(i).append(']');
                if ((child instanceof Map || child instanceof List) && random.nextInt(3) > 0) {
                    Object copy = child instanceof Map ? new LinkedHashMap<>((Map<String, Object>) child)
                            : new ArrayList<>((List<Object>) child);
                    l.set(i, copy);
                    node = copy;
                    continue;
                }
                Object v = HOSTILE[random.nextInt(HOSTILE.length)];
                l.set(i, v);
                return path + " = " + v;
            }
            return path + " (empty: unchanged)";
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void aMutatedCheckpoint_resumesCleanly_orIsRefusedChangingNothing(int seed, @TempDir Path dir) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            loop(dir, 2).fit();
            Random random = new Random(seed);
            List<Path> checkpoints;
            try (Stream<Path> s = Files.list(dir.resolve("ckpt"))) {
                checkpoints = s.filter(p -> p.getFileName().toString().matches("(step|epoch)-.*\\.ckpt")).sorted().toList();
            }
            Path target = checkpoints.get(random.nextInt(checkpoints.size()));
            CheckpointFile.Contents c = CheckpointFile.read(target);
            Map<String, Object> header = new LinkedHashMap<>(c.header());
            String what = mutate(header, random);
            try {
                CheckpointFile.write(target, header, Arrays.asList(c.params()), c.optimizer(),
                        c.bestParams() == null ? null : Arrays.asList(c.bestParams()),
                        c.swaAverage() == null ? null : Arrays.asList(c.swaAverage()));
            } catch (RuntimeException unwritable) {
                return; // the writer itself refused the value (not JSON): nothing to resume from
            }
            Map<String, Integer> before = RunFiles.snapshot(dir);
            List<Double> lrs = new ArrayList<>();
            TrainingLoop resumed = loop(dir, 2).resume(target);
            resumed.listener(new TrainListener() {
                @Override
                public void onStep(TrainingLoop.StepInfo step) {
                    lrs.add(step.lr()[0]);
                }
            });
            try {
                resumed.fit();
            } catch (IllegalArgumentException refused) {
                assertThat(RunFiles.snapshot(dir)).as("refused %s (%s) but changed files", what, refused.getMessage()).isEqualTo(before);
                return;
            }
            assertThat(lrs).as("accepted %s", what).allSatisfy(lr -> assertThat(lr).isFinite().isGreaterThanOrEqualTo(0.0));
        });
    }
}
