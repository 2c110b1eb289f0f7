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
    /** {@link SuccessiveHalvingTest#SPACE} with a sampled weight decay too: momentum and weight_decay are explored. */
    static final SearchSpace SPACE = new SearchSpace(SuccessiveHalvingTest.SPACE.schedules(),
            "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95), weight_decay=loguniform(1e-4, 1e-3))");
    static final List<String> EXPLORED = List.of("momentum", "weight_decay");

    /** The lr0 column of a run's logs/steps.csv. */
    static double[] lrColumn(Path logs) throws IOException {
        return column(logs, "lr0");
    }

    /** A column of a run's logs/steps.csv. */
    static double[] column(Path logs, String name) throws IOException {
        List<String> lines = Files.readAllLines(logs.resolve("steps.csv"));
        int col = Arrays.asList(lines.get(0).split(",")).indexOf(name);
        assertThat(col).as("column %s of %s", name, lines.get(0)).isGreaterThanOrEqualTo(0);
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
    void theWinnersRecordedScheduleReplayedByTrainGivesTheSameLrAndExploredValuesAtEveryStep(@TempDir Path dir)
            throws IOException {
        PopulationBasedTraining.Outcome o = PBT.run(SPACE, SuccessiveHalvingTest.small(3), dir, new TuneListener() { });
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

        // The explored values: the replay uses, step by step, the values the lineage recorded, and so did the search.
        assertThat(o.winner().used().keySet()).containsExactlyElementsOf(EXPLORED);
        assertThat(replay.schedules().keySet()).containsExactlyElementsOf(EXPLORED);
        for (String name : EXPLORED) {
            double[] recorded = o.winner().used().get(name);
            assertThat(recorded).hasSize(used.length);
            double[] col = column(logs, name + "0");
            assertThat(Arrays.copyOf(col, used.length - 1)).as(name).containsExactly(Arrays.copyOfRange(recorded, 1, used.length));
            double[] inSearch = column(PopulationBasedTraining.trialDir(dir, o.winner().trial()).resolve("logs"), name + "0");
            for (int i = 0; i < used.length - 1; i++) {
                if ((i + 1) % perRound != 0) {
                    assertThat(inSearch[i]).as("%s row %d", name, i).isEqualTo(col[i]);
                }
            }
        }
        // The first step's values are the ones the replay starts with.
        assertThat(run.optimizer().group(0).get("momentum")).isEqualTo(o.winner().used().get("momentum")[0]);
        assertThat(run.optimizer().group(0).get("weight_decay")).isEqualTo(o.winner().used().get("weight_decay")[0]);
        // Something was explored: a lineage with an exploit changed a value (the search's exploits say which).
        assertThat(o.exploits()).allSatisfy(e -> assertThat(e.values().keySet()).containsExactlyElementsOf(EXPLORED));
    }

    @Test
    void anExploitCopiesTheSourcesStateExactly_andPerturbsEachExploredValueByAFactorWithinItsBounds(@TempDir Path dir)
            throws IOException {
        // Two rounds, half the members copy the other half after round 1; resample 0: every value is x0.8 or x1.2.
        PopulationBasedTraining pbt = new PopulationBasedTraining(4, 2, 0.5, 0, 2, 5);
        PopulationBasedTraining.Outcome o = pbt.run(SPACE, SuccessiveHalvingTest.small(2), dir, new TuneListener() { });
        assertThat(o.exploits()).hasSize(2);
        java.util.Map<String, double[]> bounds = java.util.Map.of("momentum", new double[] {0.8, 0.95},
                "weight_decay", new double[] {1e-4, 1e-3});
        for (PopulationBasedTraining.Exploit e : o.exploits()) {
            Path source = dir.resolve(String.format("trials/t%03d", e.source()));
            Path target = dir.resolve(String.format("trials/t%03d", e.target()));
            // The state: the round-end checkpoint (weights, optimizer state, schedules) is the source's, byte for byte...
            assertThat(Files.mismatch(TrialRunner.partEnd(source, 1), TrialRunner.partEnd(target, 1))).isEqualTo(-1L);
            int perRound = lrColumn(source.resolve("logs")).length / 2;
            for (String name : EXPLORED) {
                double[] s = column(source.resolve("logs"), name + "0");
                double[] t = column(target.resolve("logs"), name + "0");
                // ... and so are the logs of round 1 (rows 0 .. perRound - 2 hold values used in round 1).
                assertThat(Arrays.copyOf(t, perRound - 1)).as(name).containsExactly(Arrays.copyOf(s, perRound - 1));
                double before = s[0];
                double after = t[perRound]; // a row of round 2: the value the target trained round 2 with
                double[] b = bounds.get(name);
                double down = Math.min(b[1], Math.max(b[0], before * 0.8));
                double up = Math.min(b[1], Math.max(b[0], before * 1.2));
                assertThat(after).as("%s of t%03d after copying t%03d (%s)", name, e.target(), e.source(), before)
                        .isIn(down, up).isBetween(b[0], b[1]).isEqualTo(e.values().get(name));
                for (int i = perRound; i < t.length - 1; i++) {
                    assertThat(t[i]).as("%s row %d", name, i).isEqualTo(after);
                }
                assertThat(o.members().get(e.target()).used().get(name)[perRound + 1]).isEqualTo(after);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void exploreMultipliesByEightTenthsOrSixFifths_orResamplesWithinTheBounds(long seed) {
        List<SearchSpace.Dimension> dims = PopulationBasedTraining.explored(SPACE);
        assertThat(dims).extracting(SearchSpace.Dimension::name).containsExactlyElementsOf(EXPLORED);
        java.util.Random random = new java.util.Random(seed);
        PopulationBasedTraining perturbOnly = new PopulationBasedTraining(4, 2, 0.25, 0, 1, seed);
        PopulationBasedTraining resampleOnly = new PopulationBasedTraining(4, 2, 0.25, 1, 1, seed);
        int downs = 0;
        int ups = 0;
        int clamped = 0;
        for (int n = 0; n < 200; n++) {
            double[] from = {0.8 + 0.15 * random.nextDouble(), 1e-4 * Math.pow(10, random.nextDouble())};
            double[] to = perturbOnly.explore(dims, from, random);
            for (int j = 0; j < dims.size(); j++) {
                SearchSpace.Dimension d = dims.get(j);
                assertThat(to[j]).isBetween(d.low(), d.high());
                if (to[j] == from[j] * 0.8) {
                    downs++;
                } else if (to[j] == from[j] * 1.2) {
                    ups++;
                } else {
                    assertThat(to[j]).as("%s from %s", d.name(), from[j]).isIn(d.low(), d.high());
                    clamped++;
                }
            }
            double[] drawn = resampleOnly.explore(dims, from, random);
            for (int j = 0; j < dims.size(); j++) {
                assertThat(drawn[j]).isBetween(dims.get(j).low(), dims.get(j).high())
                        .isNotEqualTo(from[j] * 0.8).isNotEqualTo(from[j] * 1.2);
            }
        }
        // weight_decay (in [1e-4, 1e-3]) mostly stays in its bounds; momentum x0.8 or x1.2 always leaves [0.8, 0.95].
        assertThat(downs).isGreaterThan(50);
        assertThat(ups).isGreaterThan(50);
        assertThat(clamped).isGreaterThan(200);
    }

    /**
     * Killed after {@code saved} finished parts of 4 members (2 of them copy the other 2 after each round): 4, between
     * rounds 1 and 2 (before the exploits' copies); 7, in round 2, where at least one member that copied another has
     * trained on since (its copy must not be made again).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {4, 7})
    void aSearchKilledWithSigkillResumesToTheSameWinnerStateAndLogs(int saved, @TempDir Path dir) throws Exception {
        RunSpec base = SuccessiveHalvingTest.small(3);
        Path whole = dir.resolve("whole");
        PopulationBasedTraining.Outcome uninterrupted = KillableSearch.pbt().run(SPACE, base, whole, new TuneListener() { });
        Path killed = dir.resolve("killed");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), KillableSearch.class.getName(),
                killed.toString(), "1500", "pbt").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(120);
        Path state = killed.resolve(SearchState.FILE);
        // Held after that finished part: the child sleeps there, and is killed.
        while (child.isAlive() && System.nanoTime() < deadline
                && !(Files.exists(state) && Files.readString(state).split("\"best_val_loss\"").length > saved)) {
            Thread.sleep(20);
        }
        assertThat(child.isAlive()).as("the child must still be searching when it is killed").isTrue();
        child.destroyForcibly(); // SIGKILL on Linux
        child.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(Files.readString(state)).doesNotContain("\"winner\" : 0", "\"winner\" : 1", "\"winner\" : 2", "\"winner\" : 3");

        int[] fromState = {0};
        PopulationBasedTraining.Outcome resumed = KillableSearch.pbt().run(SPACE, base, killed, new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean fromFile) {
                fromState[0] += fromFile ? 1 : 0;
            }
        });
        assertThat(fromState[0]).isEqualTo(saved);
        assertThat(resumed.results()).isEqualTo(uninterrupted.results());
        assertThat(resumed.exploits()).isEqualTo(uninterrupted.exploits());
        assertThat(resumed.winner().trial()).isEqualTo(uninterrupted.winner().trial());
        assertThat(resumed.winner().lineage()).isEqualTo(uninterrupted.winner().lineage());
        assertThat(resumed.recipe().toJson()).isEqualTo(uninterrupted.recipe().toJson()); // best.json
        assertThat(resumed.test()).isEqualTo(uninterrupted.test());
        assertThat(Files.mismatch(state, whole.resolve(SearchState.FILE))).isEqualTo(-1L);
        // Every member's logs, byte for byte.
        for (int m = 0; m < 4; m++) {
            Path logs = Path.of("trials", String.format("t%03d", m), "logs");
            List<Path> files;
            try (var walk = Files.walk(whole.resolve(logs))) {
                files = walk.filter(Files::isRegularFile).map(whole.resolve(logs)::relativize).sorted().toList();
            }
            try (var walk = Files.walk(killed.resolve(logs))) {
                assertThat(walk.filter(Files::isRegularFile).map(killed.resolve(logs)::relativize).sorted().toList())
                        .isEqualTo(files);
            }
            assertThat(files).isNotEmpty();
            for (Path f : files) {
                assertThat(Files.mismatch(killed.resolve(logs).resolve(f), whole.resolve(logs).resolve(f)))
                        .as("%s", logs.resolve(f)).isEqualTo(-1L);
            }
        }
    }

    @Test
    void aSavedSearchOfTheEarlierFormatIsRefusedWithAClearLine(@TempDir Path dir) throws IOException {
        PopulationBasedTraining pbt = new PopulationBasedTraining(2, 1, 0.25, 0.25, 1, 3);
        RunSpec base = SuccessiveHalvingTest.small(1);
        pbt.run(SPACE, base, dir, new TuneListener() { });
        Path file = dir.resolve(SearchState.FILE);
        // As lr4j wrote it before explore perturbed more than the lr scale: no "explore" setting.
        String saved = Files.readString(file);
        String old = saved.replaceAll(",\\s*\"explore\" : \\[[^\\]]*\\]", "");
        assertThat(old).isNotEqualTo(saved);
        Files.writeString(file, old);
        assertThatThrownBy(() -> pbt.run(SPACE, base, dir, new TuneListener() { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("holds a search saved by an earlier lr4j").hasMessageContaining("explore");
    }

    @Test
    void aSampledValueNoScheduleCanDriveIsRefusedBeforeAnythingTrains(@TempDir Path dir) {
        SearchSpace adam = new SearchSpace(List.of("none"), "Adam(lr=0.01, betas=(uniform(0.8, 0.9), 0.999))");
        assertThatThrownBy(() -> PBT.run(adam, SuccessiveHalvingTest.small(3), dir, new TuneListener() { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be scheduled (schedulable: ");
        assertThat(dir.resolve(SearchState.FILE)).doesNotExist();
        // choice and int values are inherited: the explored ones are the continuous ones but lr.
        SearchSpace mixed = new SearchSpace(List.of("none"), "SGD(lr=loguniform(0.01, 0.1), momentum=choice([0.8, 0.9]),"
                + " weight_decay=uniform(0, 1e-3))");
        assertThat(PopulationBasedTraining.explored(mixed)).extracting(SearchSpace.Dimension::name).containsExactly("weight_decay");
        assertThat(PopulationBasedTraining.inherited(mixed)).containsExactly("momentum");
    }

    @Test
    void aSearchIsDeterministic_andResumesAfterAnInterruptionToTheSameEnd(@TempDir Path dir) {
        RunSpec base = SuccessiveHalvingTest.small(3);
        PopulationBasedTraining.Outcome whole = PBT.run(SPACE, base, dir.resolve("whole"), new TuneListener() { });
        PopulationBasedTraining.Outcome again = new PopulationBasedTraining(4, 3, 0.25, 0.25, 1, 3)
                .run(SPACE, base, dir.resolve("again"), new TuneListener() { });
        assertThat(again.results()).isEqualTo(whole.results());
        assertThat(again.exploits()).isEqualTo(whole.exploits());
        assertThat(again.recipe()).isEqualTo(whole.recipe());

        Path broken = dir.resolve("broken");
        assertThatThrownBy(() -> PBT.run(SPACE, base, broken, new TuneListener() {
            @Override
            public void onRungEnd(int rung, List<TrialResult> results) {
                if (rung == 1) {
                    throw new IllegalStateException("killed after round " + rung);
                }
            }
        })).hasMessageContaining("killed after round 1");
        int[] resumed = {0};
        PopulationBasedTraining.Outcome r = PBT.run(SPACE, base, broken, new TuneListener() {
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
