package io.github.lr4j.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.Parameter;
import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.RunSpec;
import io.github.lr4j.train.TrainingLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PopulationBasedTrainingTest {
    static final PopulationBasedTraining PBT = new PopulationBasedTraining(4, 3, 0.25, 0.25, 2, 3);

    /** The lr0 column of a run's logs/steps.csv. */
    static double[] lrColumn(Path logs) throws IOException {
        List<String> lines = Files.readAllLines(logs.resolve("steps.csv"));
        int col = Arrays.asList(lines.get(0).split(",")).indexOf("lr0");
        assertThat(col).isGreaterThanOrEqualTo(0);
        return lines.subList(1, lines.size()).stream().mapToDouble(l -> Double.parseDouble(l.split(",")[col])).toArray();
    }

    @Test
    void exploitCopiesTheStateExactly_andTheCopyTrainsOnAsTheSourceWouldWithThePerturbedSchedule(@TempDir Path dir)
            throws IOException {
        RunSpec base = SuccessiveHalvingTest.small(2);
        RunSpec source = PopulationBasedTraining.withEpochs(Trial.recipe(base, "SGD(lr=0.2, momentum=0.9)", "PiecewiseConstant(boundaries=[20], values=[0.2, 0.1])"), 1);
        RunSpec target = PopulationBasedTraining.withEpochs(Trial.recipe(base, "SGD(lr=0.05, momentum=0.8)",
                "PiecewiseConstant(boundaries=[], values=[0.05])"), 1);
        Path s = dir.resolve("trials/t000");
        Path t = dir.resolve("trials/t001");
        Path twin = dir.resolve("trials/t002"); // the source, continued with the perturbed values
        TrialRunner.train(source, s, 0, 1, true);
        TrialRunner.train(target, t, 0, 1, true);
        PopulationBasedTraining.copyState(s, t, 1);
        PopulationBasedTraining.copyState(s, twin, 1);
        assertThat(Files.mismatch(TrialRunner.partEnd(s, 1), TrialRunner.partEnd(t, 1))).isEqualTo(-1L);
        assertThat(Files.readString(t.resolve("logs/steps.csv"))).isEqualTo(Files.readString(s.resolve("logs/steps.csv")));
        assertThat(Files.exists(dir.resolve("trials/t001.exploit"))).isFalse();

        // The next round, with the source's optimizer and perturbed (x1.2) values.
        RunSpec perturbed = Trial.recipe(base, "SGD(lr=0.2, momentum=0.9)",
                "PiecewiseConstant(boundaries=[5], values=[" + 0.1 * 1.2 + ", " + 0.05 * 1.2 + "])");
        TrainingLoop.Result a = TrialRunner.train(perturbed, t, 1, 2, true).result();
        TrainingLoop.Result b = TrialRunner.train(perturbed, twin, 1, 2, true).result();
        assertThat(a.history()).hasSize(2);
        assertThat(a.history().get(0).valLoss()).isEqualTo(b.history().get(0).valLoss());
        assertThat(a.history().get(1).valLoss()).isEqualTo(b.history().get(1).valLoss());
        double[] lrs = lrColumn(t.resolve("logs"));
        double[] steps = Arrays.copyOfRange(lrs, lrs.length / 2, lrs.length);
        assertThat(steps[0]).isEqualTo(0.1 * 1.2);
        assertThat(steps[5]).isEqualTo(0.05 * 1.2);
        assertThat(lrColumn(twin.resolve("logs"))).containsExactly(lrs);
        // The first epoch's rows are the source's (the copied logs), not the target's own.
        assertThat(lrs[0]).isEqualTo(0.2);
    }

    @Test
    void theWinnersRecordedScheduleReplayedByTrainGivesTheSameLrAtEveryStep(@TempDir Path dir) throws IOException {
        PopulationBasedTraining.Outcome o = PBT.run(SuccessiveHalvingTest.SPACE, SuccessiveHalvingTest.small(3), dir,
                new TuneListener() { });
        assertThat(o.ends()).containsExactly(1, 2, 3);
        assertThat(o.exploits()).hasSize(2); // floor(4 * 0.25) = 1 member, after rounds 1 and 2
        // A steps.csv row holds the lr after its step: the lr the next step uses.
        double[] used = o.winner().lrs();
        double[] searched = lrColumn(PopulationBasedTraining.trialDir(dir, o.winner().trial()).resolve("logs"));
        assertThat(searched).hasSize(used.length);

        RunSpec replay = RunSpec.fromMap(new com.fasterxml.jackson.databind.ObjectMapper().readValue(o.recipe().toJson(),
                java.util.Map.class), Trial.mainJob(), "best.json");
        Path logs = dir.resolve("replay");
        DigitsRecipe.Run run = DigitsRecipe.of(replay).build();
        assertThat(run.optimizer().lr(0)).isEqualTo(used[0]); // the first step's lr
        run.trainer().log(logs).fit();
        double[] replayed = lrColumn(logs);
        assertThat(Arrays.copyOf(replayed, used.length - 1)).containsExactly(Arrays.copyOfRange(used, 1, used.length));
        // The search's logs agree row for row, but where a round ended and the lineage then took another member's
        // state with a new scale (that row holds the lr the member it came from would have gone on with).
        int perRound = used.length / 3;
        for (int i = 0; i < used.length - 1; i++) {
            if ((i + 1) % perRound != 0) {
                assertThat(searched[i]).as("row %d", i).isEqualTo(replayed[i]);
            }
        }
        assertThat(o.winner().lineage()).isNotEmpty();
    }

    @Test
    void aSearchIsDeterministic_andResumesAfterAnInterruptionToTheSameEnd(@TempDir Path dir) {
        RunSpec base = SuccessiveHalvingTest.small(3);
        PopulationBasedTraining.Outcome whole = PBT.run(SuccessiveHalvingTest.SPACE, base, dir.resolve("whole"), new TuneListener() { });
        PopulationBasedTraining.Outcome again = new PopulationBasedTraining(4, 3, 0.25, 0.25, 1, 3)
                .run(SuccessiveHalvingTest.SPACE, base, dir.resolve("again"), new TuneListener() { });
        assertThat(again.results()).isEqualTo(whole.results());
        assertThat(again.exploits()).isEqualTo(whole.exploits());
        assertThat(again.recipe()).isEqualTo(whole.recipe());

        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> PBT.run(SuccessiveHalvingTest.SPACE, base, broken, new TuneListener() {
            @Override
            public void onRungEnd(int rung, List<TrialResult> results) {
                if (rung == 1) {
                    throw new IllegalStateException("killed after round " + rung);
                }
            }
        })).hasMessageContaining("killed after round 1");
        int[] resumed = {0};
        PopulationBasedTraining.Outcome r = PBT.run(SuccessiveHalvingTest.SPACE, base, broken, new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean fromState) {
                resumed[0] += fromState ? 1 : 0;
            }
        });
        assertThat(resumed[0]).isEqualTo(8);
        assertThat(r.results()).isEqualTo(whole.results());
        assertThat(r.exploits()).isEqualTo(whole.exploits());
        assertThat(r.recipe()).isEqualTo(whole.recipe());
        assertThat(r.test()).isEqualTo(whole.test());
    }

    @Test
    void badSettingsAreRefused_namingTheSettingAndRange() {
        assertThatThrownBy(() -> new PopulationBasedTraining(1, 3, 0.25, 0.25, 1, 0)).hasMessage("population must be in [2, 1000], got 1");
        assertThatThrownBy(() -> new PopulationBasedTraining(4, 0, 0.25, 0.25, 1, 0)).hasMessage("rounds must be >= 1, got 0");
        assertThatThrownBy(() -> new PopulationBasedTraining(4, 3, 0.6, 0.25, 1, 0)).hasMessage("quantile must be in [0, 0.5], got 0.6");
        assertThatThrownBy(() -> new PopulationBasedTraining(4, 3, 0.25, 1.5, 1, 0))
                .hasMessage("resample must be in [0, 1] (a probability), got 1.5");
        assertThatThrownBy(() -> PBT.ends(2)).hasMessage("rounds must be <= epochs (2), got 3");
    }
}
