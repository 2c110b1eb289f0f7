package io.github.lr4j.cli;

import io.github.lr4j.train.RunSpec;
import io.github.lr4j.tune.PopulationBasedTraining;
import io.github.lr4j.tune.SearchSpace;
import io.github.lr4j.tune.SuccessiveHalving;
import io.github.lr4j.tune.Trial;
import io.github.lr4j.tune.TrialExecutor;
import io.github.lr4j.tune.TrialResult;
import io.github.lr4j.tune.TuneListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lr4j tune}: searches the schedule (and optimizer) of the main job by successive halving or population based training. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        header = "Search the schedule of the main job (successive halving, or --algorithm pbt); writes the winner as a recipe and a report.",
        description = {"Samples trials (an optimizer and a schedule each) from search spaces written in the schedule language",
            "with distributions in place of numbers: uniform(a, b), loguniform(a, b), int(a, b), choice([x, y, ...]); a",
            "schedule space may use lr, the sampled optimizer's lr. Successive halving: every trial trains the first rung's",
            "epochs, the best 1/eta by validation loss go on (from their checkpoints) to eta times as many, up to --epochs;",
            "each trial's schedule has the horizon of the whole run. Trials train in parallel (--threads), or as Spark tasks",
            "(--engine spark, --master); the result depends on neither. The test set is used once, for the winner's line. The winner's recipe is written to",
            "DIR/best.json: 'lr4j train --config DIR/best.json' trains it again to the same figures.",
            "--algorithm pbt: --population members train in --rounds synchronous rounds; after each, the worst --quantile copy",
            "the checkpoint (weights, optimizer and schedule state) of one of the best as many and perturb its lr scale and",
            "every other value the optimizer space samples from uniform/loguniform (momentum, weight_decay, ...): x0.8 / x1.2",
            "within the distribution's bounds, or redrawn with probability --resample. best.json holds the lr and each explored",
            "value the winner's lineage used at every step (PiecewiseConstant, the others as schedules): train --config",
            "replays them on a fresh model."},
        footer = {"", "Examples:",
            "  lr4j tune",
            "  lr4j tune --space 'OneCycleLR(max_lr=loguniform(0.01, 1), pct_start=uniform(0.1, 0.5), total_steps=total_steps)' --space-optimizer 'SGD(lr=0.1, momentum=uniform(0.8, 0.99))'",
            "  lr4j tune --space 'OneCycleLR(max_lr=lr, total_steps=total_steps)' --space 'get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 600), num_training_steps=total_steps)'",
            "  lr4j tune --engine spark --master 'local[2]'",
            "  lr4j tune --algorithm pbt --population 8 --rounds 4",
            "  lr4j tune --resume latest      # after an interruption: the same search, from its saved state"})
final class TuneCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--space", paramLabel = "EXPR",
            description = "a schedule space (repeatable: each trial draws one of them; 'none' is a constant lr). Default: a"
                    + " one-cycle up to lr, Hugging Face's warm-up + cosine and warm-up + linear, and for sha timm's per-epoch"
                    + " cosine and a warm-up into ReduceLROnPlateau")
    List<String> spaces;

    @Option(names = "--space-optimizer", paramLabel = "EXPR", description = "the optimizer space (default: "
            + SearchSpace.DEFAULT_OPTIMIZER + ")")
    String spaceOptimizer;

    @Option(names = "--algorithm", defaultValue = "sha", description = "sha (successive halving, the default) or pbt"
            + " (population based training: rounds, the worse quantile copies a better member's state and perturbs its lr scale"
            + " and sampled optimizer values)")
    String algorithm;

    @Option(names = "--population", defaultValue = "8", description = "pbt: members (default: ${DEFAULT-VALUE})")
    int population;

    @Option(names = "--rounds", defaultValue = "4", description = "pbt: rounds the epochs are cut into (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--quantile", defaultValue = "0.25", description = "pbt: the fraction of members that copy a better one"
            + " after each round, in [0, 0.5] (default: ${DEFAULT-VALUE})")
    double quantile;

    @Option(names = "--resample", defaultValue = "0.25", description = "pbt: the probability of drawing a new lr scale (and"
            + " each explored value) instead of x0.8 / x1.2 (default: ${DEFAULT-VALUE})")
    double resample;

    @Option(names = "--trials", defaultValue = "18", description = "trials of the first rung (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--eta", defaultValue = "3", description = "keep the best 1/eta at each rung, train them eta times as long (default: ${DEFAULT-VALUE})")
    int eta;

    @Option(names = "--min-epochs", defaultValue = "0", description = "the first rung's epochs (default: --epochs / eta^2)")
    int minEpochs;

    @Option(names = "--epochs", defaultValue = "20", description = "the full budget of a trial: its run's epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the weights and data order of every trial (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--search-seed", defaultValue = "0", description = "seed of the sampling of the trials (default: ${DEFAULT-VALUE})")
    long searchSeed;

    @Option(names = "--threads", description = "trials trained at once (default: one per core)")
    Integer threads;

    @Option(names = "--config", paramLabel = "FILE", description = "the base recipe (JSON, as train --print-config prints it);"
            + " the trials replace its optimizer and scheduler")
    Path config;

    @Option(names = "--engine", defaultValue = "lr4j", description = "where trials train: lr4j (local threads; the default) or"
            + " spark (each trial's part a Spark task; through the ./lr4j launcher)")
    String engine;

    @Option(names = "--master", description = "spark: the Spark master (default: spark-submit's, else embedded local[*]); on a"
            + " cluster the --report folder must be on a filesystem the executors share, at the same path")
    String master;

    @Option(names = "--resume", paramLabel = "latest", description = "resume the search saved in the report folder")
    String resume;

    @Option(names = {"--report", "-o"}, paramLabel = "DIR", defaultValue = "tune-report", description = "report folder (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--quiet", description = "no progress output")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!engine.equals("lr4j") && !engine.equals("spark")) {
            throw new IllegalArgumentException("--engine must be lr4j (local threads) or spark, got " + engine);
        }
        if (engine.equals("lr4j") && master != null) {
            throw new IllegalArgumentException("--master is a spark option: add --engine spark, or leave --master out");
        }
        if (engine.equals("spark") && threads != null) {
            throw new IllegalArgumentException("--threads is an lr4j-engine option: on --engine spark the master's cores decide"
                    + " how many trials train at once (e.g. --master local[2])");
        }
        if (resume != null && !resume.equals("latest")) {
            throw new IllegalArgumentException("--resume takes 'latest' (the search saved in --report " + report + "), got " + resume);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        }
        if (!algorithm.equals("sha") && !algorithm.equals("pbt")) {
            throw new IllegalArgumentException("--algorithm must be sha or pbt, got " + algorithm);
        }
        // An option of the other algorithm would be ignored: refused instead.
        CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        List<String> foreign = algorithm.equals("pbt") ? List.of("--trials", "--eta", "--min-epochs")
                : List.of("--population", "--rounds", "--quantile", "--resample");
        for (String option : foreign) {
            if (typed.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " is an option of --algorithm " + (algorithm.equals("pbt") ? "sha" : "pbt")
                        + ", not of --algorithm " + algorithm + ": leave it out, or change --algorithm");
            }
        }
        if (algorithm.equals("pbt")) {
            return pbt(t0, out, err);
        }
        SuccessiveHalving sha = new SuccessiveHalving(trials, eta, minEpochs,
                threads != null ? threads : Runtime.getRuntime().availableProcessors(), searchSeed);
        SearchSpace space = new SearchSpace(spaces == null || spaces.isEmpty() ? SearchSpace.DEFAULT_SCHEDULES : spaces,
                spaceOptimizer != null ? spaceOptimizer : SearchSpace.DEFAULT_OPTIMIZER);
        RunSpec base = base();
        Trial.checkBase(base);
        TrialExecutor executor = open(base, sha.threads());
        List<Integer> budgets = sha.budgets(base.epochs());
        TuneListener progress = quiet ? new TuneListener() { } : new TuneListener() {
            @Override
            public void onRung(int rung, int rungs, int epochs, int trials) {
                err.println(String.format(Locale.ROOT, "tune: rung %d/%d: %d trial%s to epoch %d", rung + 1, rungs, trials,
                        trials == 1 ? "" : "s", epochs));
                err.flush();
            }

            @Override
            public void onTrial(Trial trial, TrialResult r, int done, int total, boolean fromState) {
                err.println(String.format(Locale.ROOT, "tune: rung %d/%d, trial %d/%d (t%03d)%s: best val_loss %.4f at epoch %d | %s",
                        r.rung() + 1, budgets.size(), done, total, trial.index(), fromState ? " (saved)" : "", r.bestValLoss(),
                        r.bestEpoch(), trial.describe()));
                err.flush();
            }

            @Override
            public void onRungEnd(int rung, List<TrialResult> results) {
                if (rung + 1 < budgets.size()) {
                    err.println("tune: rung " + (rung + 1) + " kept " + results.stream().filter(TrialResult::promoted)
                            .map(r -> String.format("t%03d", r.trial())).collect(Collectors.joining(", ")));
                    err.flush();
                }
            }
        };
        if (!quiet) {
            err.println("tune: " + trials + " trials, rungs at epochs " + budgets + " (eta " + eta + "), "
                    + where(sha.threads()) + (resume != null ? ", resuming" : ""));
            err.flush();
        }
        SuccessiveHalving.Outcome outcome = sha.run(space, base, report, progress, executor);
        Files.writeString(report.resolve("best.json"), outcome.winner().recipe().toJson() + System.lineSeparator());
        double seconds = (System.nanoTime() - t0) / 1e9;
        TrialResult w = outcome.winnerResult();
        writeReport(space, sha, outcome, seconds);
        out.println(String.format(Locale.ROOT, "winner t%03d: %s", outcome.winner().index(), outcome.winner().describe()));
        out.println(String.format(Locale.ROOT, "test accuracy %s (loss %.4f) | best epoch %d (val_loss %.4f) | %d epochs, %d steps,"
                + " %d skipped | %.1f s, %d trials", TrainCommand.percent(outcome.test().accuracy()), outcome.test().loss(),
                w.bestEpoch(), w.bestValLoss(), w.epochs(), w.steps(), w.skipped(), seconds, outcome.trials().size()));
        out.println("recipe: " + report.resolve("best.json") + " (lr4j train --config " + report.resolve("best.json") + ")");
        out.println("report: " + report.resolve("index.html"));
        out.flush();
        return 0;
    }

    /** {@code --algorithm pbt}: the same base recipe, space, state and report folder; its own report notes. */
    private Integer pbt(long t0, PrintWriter out, PrintWriter err) throws IOException {
        PopulationBasedTraining pbt;
        try {
            pbt = new PopulationBasedTraining(population, rounds, quantile, resample,
                    threads != null ? threads : Runtime.getRuntime().availableProcessors(), searchSeed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage(), e);
        }
        SearchSpace space = new SearchSpace(spaces == null || spaces.isEmpty() ? PopulationBasedTraining.DEFAULT_SCHEDULES : spaces,
                spaceOptimizer != null ? spaceOptimizer : SearchSpace.DEFAULT_OPTIMIZER);
        RunSpec base = base();
        Trial.checkBase(base);
        if (rounds > base.epochs()) {
            throw new IllegalArgumentException("--rounds must be in [1, epochs] = [1, " + base.epochs() + "], got " + rounds);
        }
        List<String> explored = new ArrayList<>(List.of("lr scale"));
        PopulationBasedTraining.explored(space).forEach(d -> explored.add(d.name()));
        List<String> inherited = PopulationBasedTraining.inherited(space);
        TrialExecutor executor = open(base, pbt.threads());
        List<Integer> ends = pbt.ends(base.epochs());
        TuneListener progress = quiet ? new TuneListener() { } : new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult r, int done, int total, boolean fromState) {
                err.println(String.format(Locale.ROOT, "tune: round %d/%d, member %d/%d (t%03d)%s: val_loss %.4f (best %.4f)",
                        r.rung() + 1, ends.size(), done, total, trial.index(), fromState ? " (saved)" : "", r.lastValLoss(),
                        r.bestValLoss()));
                err.flush();
            }
        };
        if (!quiet) {
            err.println("tune: pbt, " + population + " members, rounds end at epochs " + ends + ", quantile " + quantile
                    + ", explore " + String.join(", ", explored) + (inherited.isEmpty() ? "" : " (inherited: "
                    + String.join(", ", inherited) + ")") + ", " + where(pbt.threads()) + (resume != null ? ", resuming" : ""));
            err.flush();
        }
        PopulationBasedTraining.Outcome o = pbt.run(space, base, report, progress, executor);
        Files.writeString(report.resolve("best.json"), o.recipe().toJson() + System.lineSeparator());
        double seconds = (System.nanoTime() - t0) / 1e9;
        TrialResult w = o.winnerResult();
        List<String> notes = new ArrayList<>();
        notes.add("schedule spaces: " + String.join("  |  ", space.schedules()));
        notes.add("optimizer space: " + space.optimizer());
        notes.add(String.format(Locale.ROOT, "population based training: %d members, %d rounds (ending at epochs %s), quantile %s,"
                + " resample %s, search seed %d, trial seed %d; explore: the lr scale x0.8 / x1.2 or redrawn in [0.5, 2]; %s"
                + " x0.8 / x1.2 within the space's bounds or redrawn from it%s",
                population, rounds, ends, quantile, resample, searchSeed, base.seed(),
                explored.size() > 1 ? String.join(", ", explored.subList(1, explored.size())) : "no other value",
                inherited.isEmpty() ? "" : "; inherited, not explored: " + String.join(", ", inherited)));
        for (int r = 0; r < ends.size(); r++) {
            int round = r;
            notes.add("round " + (r + 1) + " (to epoch " + ends.get(r) + "): " + o.results().stream().filter(x -> x.rung() == round)
                    .map(x -> String.format(Locale.ROOT, "t%03d %.4f", x.trial(), x.lastValLoss())).collect(Collectors.joining(", "))
                    + o.exploits().stream().filter(x -> x.round() == round)
                    .map(x -> String.format(Locale.ROOT, "; t%03d <- t%03d (scale %.4g%s)", x.target(), x.source(), x.scale(),
                            values(x.values())))
                    .collect(Collectors.joining()));
        }
        notes.add(String.format(Locale.ROOT, "winner: t%03d (best val_loss %.4f), lineage: %s; test accuracy %s (loss %.4f)",
                o.winner().trial().index(), w.bestValLoss(), String.join(" -> ", o.winner().lineage()),
                TrainCommand.percent(o.test().accuracy()), o.test().loss()));
        notes.add("best.json: the winner's optimizer with the lr (PiecewiseConstant) and each explored value (schedules) it used at"
                + " every step; 'lr4j train --config' trains a fresh model on them");
        List<Report.Run> runs = new ArrayList<>();
        List<PopulationBasedTraining.Member> order = new ArrayList<>(o.members());
        order.remove(o.winner());
        order.add(0, o.winner());
        for (PopulationBasedTraining.Member m : order) {
            TrialResult r = o.results().stream().filter(x -> x.trial() == m.trial().index() && x.rung() == ends.size() - 1)
                    .findFirst().orElseThrow();
            String name = String.format("t%03d", m.trial().index()) + (m == o.winner() ? " (winner)" : "");
            runs.add(Report.Run.read(name, PopulationBasedTraining.trialDir(report, m.trial()).resolve("logs"), Report.summary(
                    "optimizer", m.trial().recipe().optimizer(), "lr scale", String.format(Locale.ROOT, "%.4g", m.scale()),
                    "explored values", m.values().isEmpty() ? "none" : values(m.values()).substring(2),
                    "lineage", String.join(" -> ", m.lineage()),
                    "best val_loss", String.format(Locale.ROOT, "%.4f", r.bestValLoss()), "best epoch", r.bestEpoch())));
        }
        Report.write(report, "lr4j tune --algorithm pbt: " + population + " members on digits", notes, runs);
        out.println(String.format(Locale.ROOT, "winner t%03d: %s", o.winner().trial().index(), String.join(" -> ", o.winner().lineage())));
        out.println(String.format(Locale.ROOT, "test accuracy %s (loss %.4f) | best epoch %d (val_loss %.4f) | %d epochs, %d steps,"
                + " %d skipped | %.1f s, %d members", TrainCommand.percent(o.test().accuracy()), o.test().loss(), w.bestEpoch(),
                w.bestValLoss(), w.epochs(), w.steps(), w.skipped(), seconds, population));
        out.println("recipe: " + report.resolve("best.json") + " (lr4j train --config " + report.resolve("best.json")
                + ": the winner's schedule on a fresh model)");
        out.println("report: " + report.resolve("index.html"));
        out.flush();
        return 0;
    }

    /** {@code , name value} for each explored value. */
    private static String values(java.util.Map<String, Double> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((name, v) -> b.append(String.format(Locale.ROOT, ", %s %.4g", name, v)));
        return b.toString();
    }

    /**
     * Where the trials will train, opened once the search's own settings are checked; then, unless resuming, what an
     * earlier search left in the report folder is deleted (a refused search deletes nothing).
     */
    private TrialExecutor open(RunSpec base, int threads) throws IOException {
        if (engine.equals("spark") && base.threads() != null && base.threads() > 1) {
            throw new IllegalArgumentException("on --engine spark a trial is one task on one core: the base recipe's threads"
                    + " must be 1, got " + base.threads());
        }
        if (resume != null && !Files.exists(report.resolve("search.json"))) {
            throw new IllegalArgumentException("--resume latest: there is no saved search in " + report + " (no search.json)");
        }
        TrialExecutor executor = engine.equals("spark") ? provider(engine).open(master) : TrialExecutor.threads(threads);
        if (resume == null) {
            deleteSearch(report); // a new search starts over in its folder
        }
        return executor;
    }

    private String where(int threads) {
        return engine.equals("spark") ? "on Spark" : threads + " thread" + (threads == 1 ? "" : "s");
    }

    /** The executor of {@code --engine name} found on the classpath (lr4j-spark's, through the launcher). */
    private static TrialExecutor.Provider provider(String name) {
        return ServiceLoader.load(TrialExecutor.Provider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--engine " + name + " is not on this classpath: run it through"
                        + " the ./lr4j launcher, which builds lr4j-" + name + " and runs on its classpath"));
    }

    private RunSpec base() {
        RunSpec main = Trial.mainJob();
        RunSpec from = config == null ? main : RunSpec.fromMap(Json.readConfig(config), main, config.toString());
        CommandLine.ParseResult typed = spec.commandLine().getParseResult();
        int e = config == null || typed.hasMatchedOption("--epochs") ? epochs : from.epochs();
        long s = config == null || typed.hasMatchedOption("--seed") ? seed : from.seed();
        return new RunSpec(from.engine(), from.hidden(), from.paramGroups(), from.augment(), from.batchSize(), s, from.optimizer(),
                from.scheduler(), from.interval(), from.schedules(), e, from.accumulate(), from.monitor(), from.earlyStopping(),
                from.minDelta(), from.swaStart(), from.swaLr(), from.swaAnnealEpochs(), from.swaAnnealStrategy(), null,
                from.checkpointEvery(), from.keep(), from.master(), from.partitions(), from.localSteps(), from.threads());
    }

    /** Removes what an earlier search left in the folder (its state and trial folders); other files stay. */
    private static void deleteSearch(Path dir) throws IOException {
        Files.deleteIfExists(dir.resolve("search.json"));
        Files.deleteIfExists(dir.resolve("best.json"));
        Path trials = dir.resolve("trials");
        if (Files.isDirectory(trials)) {
            try (Stream<Path> walk = Files.walk(trials)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** index.html: every trial's lr and validation curves, the rungs, the winner and a table of the trials. */
    private void writeReport(SearchSpace space, SuccessiveHalving sha, SuccessiveHalving.Outcome outcome, double seconds)
            throws IOException {
        List<String> notes = new ArrayList<>();
        notes.add("schedule spaces: " + String.join("  |  ", space.schedules()));
        notes.add("optimizer space: " + space.optimizer());
        notes.add(String.format(Locale.ROOT, "successive halving: %d trials, eta %d, search seed %d, trial seed %d",
                sha.trials(), sha.eta(), sha.seed(), outcome.winner().recipe().seed()));
        for (int r = 0; r < outcome.budgets().size(); r++) {
            List<TrialResult> rung = outcome.rung(r);
            notes.add("rung " + (r + 1) + " (to epoch " + outcome.budgets().get(r) + "): " + rung.stream()
                    .map(x -> String.format(Locale.ROOT, "t%03d %.4f%s", x.trial(), x.bestValLoss(), x.promoted() ? "*" : ""))
                    .collect(Collectors.joining(", ")) + (r + 1 < outcome.budgets().size() ? "  (* kept)" : "  (* winner)"));
        }
        notes.add(String.format(Locale.ROOT, "winner: t%03d, %s; test accuracy %s (loss %.4f); its recipe: best.json",
                outcome.winner().index(), outcome.winner().describe(), TrainCommand.percent(outcome.test().accuracy()),
                outcome.test().loss()));
        List<Report.Run> runs = new ArrayList<>();
        Map<Integer, TrialResult> last = outcome.last().stream().collect(Collectors.toMap(TrialResult::trial, r -> r));
        // The winner first: it gets the first colour and the first row.
        List<Trial> order = new ArrayList<>(outcome.trials());
        order.remove(outcome.winner());
        order.add(0, outcome.winner());
        for (Trial t : order) {
            TrialResult r = last.get(t.index());
            String name = String.format("t%03d", t.index()) + (t.equals(outcome.winner()) ? " (winner)" : "");
            runs.add(Report.Run.read(name, SuccessiveHalving.trialDir(report, t).resolve("logs"), Report.summary(
                    "optimizer", t.recipe().optimizer(), "schedule", t.recipe().scheduler(),
                    "budget used (epochs)", r.epochs(), "best val_loss", String.format(Locale.ROOT, "%.4f", r.bestValLoss()),
                    "best epoch", r.bestEpoch(), "stopped at", r.epochs() == outcome.budgets().get(outcome.budgets().size() - 1)
                            ? "end" : "rung " + (r.rung() + 1) + " (epoch " + r.epochs() + ")")));
        }
        Report.write(report, "lr4j tune: " + outcome.trials().size() + " trials on digits", notes, runs);
    }
}
