package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.train.RunSpec;
import io.github.lr4j.tune.PartTask;
import io.github.lr4j.tune.SearchSpace;
import io.github.lr4j.tune.SuccessiveHalving;
import io.github.lr4j.tune.Trial;
import io.github.lr4j.tune.TrialExecutor;
import io.github.lr4j.tune.TrialResult;
import io.github.lr4j.tune.TuneListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A search's trials as Spark tasks ({@code lr4j tune --engine spark}) end as the same search on local threads. */
class SparkTrialsTest {
    /** A small job (no augmentation, 16 hidden units, 3 epochs): rungs at epochs 1, 2, 3 for 4 trials at eta 2. */
    static RunSpec small(int epochs) {
        RunSpec m = Trial.mainJob();
        return new RunSpec("lr4j", List.of(16), "one", false, 32, 0, m.optimizer(), m.scheduler(), null, Map.of(), epochs, 1,
                "val_loss", 0, 0.0, null, null, 10, "cos", null, 0, 3, null, null, null, null);
    }

    static final SearchSpace SPACE = new SearchSpace(List.of(
            "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
            "get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 40), num_training_steps=total_steps)"),
            "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))");

    static final SuccessiveHalving SHA = new SuccessiveHalving(4, 2, 1, 2, 7);

    private static TrialExecutor spark() {
        return new SparkTrials(LocalSpark.session());
    }

    private static void assertSameSearch(Path a, Path b, SuccessiveHalving.Outcome x, SuccessiveHalving.Outcome y) throws Exception {
        assertThat(y.results()).isEqualTo(x.results()); // doubles compared bit for bit (records compare with Double.compare)
        assertThat(y.winner()).isEqualTo(x.winner());
        assertThat(y.winner().recipe().toJson()).isEqualTo(x.winner().recipe().toJson()); // best.json
        assertThat(y.test()).isEqualTo(x.test());
        assertThat(b.resolve("search.json")).hasSameTextualContentAs(a.resolve("search.json"));
        for (Trial t : x.trials()) {
            Path logs = Path.of("trials", String.format("t%03d", t.index()), "logs", "steps.jsonl");
            assertThat(b.resolve(logs)).hasSameTextualContentAs(a.resolve(logs));
        }
    }

    @Test
    void aSearchOnSparkEndsAsTheSameSearchOnLocalThreads(@TempDir Path dir) throws Exception {
        SuccessiveHalving.Outcome local = SHA.run(SPACE, small(3), dir.resolve("local"), new TuneListener() { });
        List<String> seen = new ArrayList<>();
        SuccessiveHalving.Outcome spark = SHA.run(SPACE, small(3), dir.resolve("spark"), new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean resumed) {
                seen.add(result.rung() + ":" + done + "/" + total + (resumed ? "r" : ""));
            }
        }, spark());

        assertThat(local.budgets()).containsExactly(1, 2, 3);
        assertThat(local.results()).hasSize(4 + 2 + 1);
        assertThat(local.results().stream().map(TrialResult::bestValLoss).distinct()).hasSize(7); // the trials differ
        assertSameSearch(dir.resolve("local"), dir.resolve("spark"), local, spark);
        // Every result reported on the driver once, as it arrived.
        assertThat(seen).containsExactly("0:1/4", "0:2/4", "0:3/4", "0:4/4", "1:1/2", "1:2/2", "2:1/1");
    }

    @Test
    void aSparkSearchStoppedAfterARungResumesToTheSameResult(@TempDir Path dir) throws Exception {
        SuccessiveHalving.Outcome whole = SHA.run(SPACE, small(3), dir.resolve("whole"), new TuneListener() { });
        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> SHA.run(SPACE, small(3), broken, new TuneListener() {
            @Override
            public void onRungEnd(int rung, List<TrialResult> results) {
                throw new IllegalStateException("killed after rung " + rung);
            }
        }, spark())).hasMessageContaining("killed after rung 0");
        int[] fromState = {0};
        SuccessiveHalving.Outcome again = SHA.run(SPACE, small(3), broken, new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean resumed) {
                fromState[0] += resumed ? 1 : 0;
            }
        }, spark());
        assertThat(fromState[0]).isEqualTo(4); // rung 0 read back, not trained again
        assertSameSearch(dir.resolve("whole"), broken, whole, again);
    }

    /** Stopped in the middle of rung 1 (one of its two parts saved): the resumed search trains the other one only. */
    @Test
    void aSparkSearchStoppedWithinARungResumesToTheSameResult(@TempDir Path dir) throws Exception {
        SuccessiveHalving.Outcome whole = SHA.run(SPACE, small(3), dir.resolve("whole"), new TuneListener() { });
        Path broken = dir.resolve("broken");
        TrialExecutor spark = spark();
        int[] calls = {0};
        TrialExecutor dying = (tasks, onResult) -> {
            if (calls[0]++ == 0) {
                return spark.runParts(tasks, onResult);
            }
            spark.runParts(tasks.subList(0, 1), onResult);
            throw new IllegalStateException("killed within rung 1");
        };
        assertThatThrownBy(() -> SHA.run(SPACE, small(3), broken, new TuneListener() { }, dying))
                .hasMessageContaining("killed within rung 1");
        assertThat(Files.readString(broken.resolve("search.json")).split("\"best_val_loss\"")).hasSize(1 + 5);
        List<PartTask> trained = new ArrayList<>();
        TrialExecutor watched = (tasks, onResult) -> {
            trained.addAll(tasks);
            return spark.runParts(tasks, onResult);
        };
        SuccessiveHalving.Outcome again = SHA.run(SPACE, small(3), broken, new TuneListener() { }, watched);
        assertThat(trained.stream().map(t -> t.rung() + ":" + t.from() + "-" + t.to())).containsExactly("1:1-2", "2:2-3");
        assertSameSearch(dir.resolve("whole"), broken, whole, again);
    }

    @Test
    void aFailedTaskFailsTheSearchNamingTheTrial(@TempDir Path dir) {
        RunSpec bad = Trial.recipe(small(2), "SGD(lr=0.1)", "none");
        PartTask task = new PartTask(3, 0, bad, dir.resolve("t003").toString(), 1, 2); // no checkpoint of epoch 1 to start from
        Consumer<TrialResult> none = r -> { };
        assertThatThrownBy(() -> spark().runParts(List.of(task), none)).hasMessageContaining("trial t003 (epochs 1 to 2) failed on Spark");
    }
}
