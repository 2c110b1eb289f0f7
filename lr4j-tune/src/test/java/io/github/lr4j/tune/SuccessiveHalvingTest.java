package io.github.lr4j.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.RunSpec;
import io.github.lr4j.train.TrainingLoop;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuccessiveHalvingTest {
    /** A small job (no augmentation, 16 hidden units, 3 epochs) so that a search takes seconds. */
    static RunSpec small(int epochs) {
        RunSpec m = Trial.mainJob();
        return new RunSpec("lr4j", List.of(16), "one", false, 32, 0, m.optimizer(), m.scheduler(), null, Map.of(), epochs, 1,
                "val_loss", 0, 0.0, null, null, 10, "cos", null, 0, 3, null, null, null, null);
    }

    static final SearchSpace SPACE = new SearchSpace(List.of(
            "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
            "get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 40), num_training_steps=total_steps)"),
            "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))");

    @Test
    void rungsGrowByEtaUpToTheRecipesEpochs() {
        assertThat(new SuccessiveHalving(18, 3, 0, 1, 0).budgets(20)).containsExactly(2, 7, 20);
        assertThat(new SuccessiveHalving(18, 3, 0, 1, 0).rungSizes(3)).containsExactly(18, 6, 2);
        assertThat(new SuccessiveHalving(9, 3, 1, 1, 0).budgets(9)).containsExactly(1, 3, 9);
        assertThat(new SuccessiveHalving(4, 2, 0, 1, 0).budgets(3)).containsExactly(1, 2, 3);
        assertThat(new SuccessiveHalving(4, 2, 5, 1, 0).budgets(3)).containsExactly(3);
    }

    @Test
    void aTrialTrainedInPartsIsTheRunTrainedAtOnce(@TempDir Path dir) {
        RunSpec recipe = Trial.recipe(small(3), "SGD(lr=0.2, momentum=0.9)",
                "get_cosine_schedule_with_warmup(num_warmup_steps=30, num_training_steps=total_steps)");
        TrialRunner.train(recipe, dir, 0, 1);
        TrialRunner.Part part = TrialRunner.train(recipe, dir, 1, 3);

        DigitsRecipe.Run whole = DigitsRecipe.of(recipe).build();
        TrainingLoop.Result once = whole.trainer().fit();
        assertThat(part.result().history()).hasSize(3);
        for (int e = 0; e < 3; e++) {
            assertThat(part.result().history().get(e).valLoss()).isEqualTo(once.history().get(e).valLoss());
            assertThat(part.result().history().get(e).lr()).isEqualTo(once.history().get(e).lr());
        }
        assertThat(part.result().bestMetric()).isEqualTo(once.bestMetric());
        assertThat(part.result().optimizerSteps()).isEqualTo(once.optimizerSteps());
        // The weights of the run trained in parts, read back from its last checkpoint, equal the weights trained at once.
        DigitsRecipe.Run restored = DigitsRecipe.of(recipe).stopAfter(3).build();
        restored.trainer().resume(part.checkpoint()).fit();
        List<Parameter> a = restored.model().parameters();
        List<Parameter> b = whole.model().parameters();
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).data()).isEqualTo(b.get(i).data());
        }
    }

    @Test
    void aSearchInterruptedBetweenRungsResumesToTheSameResult(@TempDir Path dir) {
        SuccessiveHalving sha = new SuccessiveHalving(4, 2, 1, 2, 7);
        RunSpec base = small(3);
        SuccessiveHalving.Outcome whole = sha.run(SPACE, base, dir.resolve("whole"), new TuneListener() { });

        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> sha.run(SPACE, base, broken, new TuneListener() {
            @Override
            public void onRungEnd(int rung, List<TrialResult> results) {
                throw new IllegalStateException("killed after rung " + rung);
            }
        })).hasMessageContaining("killed after rung 0");
        int[] resumed = {0};
        SuccessiveHalving.Outcome again = sha.run(SPACE, base, broken, new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean fromState) {
                resumed[0] += fromState ? 1 : 0;
            }
        });
        assertThat(resumed[0]).isEqualTo(4); // rung 0's four parts were read back, not trained again
        assertThat(again.results()).isEqualTo(whole.results());
        assertThat(again.winner()).isEqualTo(whole.winner());
        assertThat(again.test()).isEqualTo(whole.test());
        assertThat(whole.budgets()).containsExactly(1, 2, 3);
        assertThat(whole.rung(0)).hasSize(4);
        assertThat(whole.rung(1)).hasSize(2);
        assertThat(whole.rung(2)).hasSize(1);
        // Promotion by validation loss only, ties in trial order.
        List<TrialResult> ranked = whole.rung(0).stream().sorted(TrialResult::compare).toList();
        assertThat(whole.rung(1).stream().map(TrialResult::trial)).containsExactlyInAnyOrder(ranked.get(0).trial(), ranked.get(1).trial());
    }

    @Test
    void aSearchKilledWithSigkillResumesToTheSameWinnerResultsAndLogs(@TempDir Path dir) throws Exception {
        SuccessiveHalving.Outcome whole = KillableSearch.search().run(SPACE, small(3), dir.resolve("whole"), new TuneListener() { });
        Path killed = dir.resolve("killed");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), KillableSearch.class.getName(),
                killed.toString(), "1500").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        Path state = killed.resolve(SearchState.FILE);
        // Held after its fifth finished part (in rung 1, past rung 0): the child sleeps there, and is killed.
        while (child.isAlive() && System.nanoTime() < deadline
                && !(java.nio.file.Files.exists(state) && java.nio.file.Files.readString(state).split("\"best_val_loss\"").length > 5)) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child must still be searching when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);

        SuccessiveHalving.Outcome resumed = KillableSearch.search().run(SPACE, small(3), killed, new TuneListener() { });
        assertThat(resumed.results()).isEqualTo(whole.results());
        assertThat(resumed.winner()).isEqualTo(whole.winner());
        assertThat(resumed.test()).isEqualTo(whole.test());
        Path logs = Path.of("trials", String.format("t%03d", whole.winner().index()), "logs", "steps.jsonl");
        assertThat(killed.resolve(logs)).hasSameTextualContentAs(dir.resolve("whole").resolve(logs));
    }

    @Test
    void anotherSearchInTheSameFolderIsRefused(@TempDir Path dir) {
        SuccessiveHalving sha = new SuccessiveHalving(2, 2, 1, 1, 7);
        sha.run(SPACE, small(1), dir, new TuneListener() { });
        assertThatThrownBy(() -> new SuccessiveHalving(2, 2, 1, 1, 8).run(SPACE, small(1), dir, new TuneListener() { }))
                .hasMessageContaining("holds another search");
    }

    @Test
    void recipesASearchCannotTrainInPartsAreRefused() {
        RunSpec m = small(3);
        RunSpec early = new RunSpec("lr4j", m.hidden(), "one", false, 32, 0, m.optimizer(), m.scheduler(), null, Map.of(), 3, 1,
                "val_loss", 2, 0.0, null, null, 10, "cos", null, 0, 3, null, null, null, null);
        assertThatThrownBy(() -> Trial.checkBase(early)).hasMessageContaining("early_stopping.patience 2");
    }
}
