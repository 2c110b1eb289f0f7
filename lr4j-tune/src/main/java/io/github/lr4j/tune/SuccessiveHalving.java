package io.github.lr4j.tune;

import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Successive halving, with synchronous rungs (ASHA's rungs, waited for): {@code trials} recipes sampled from a
 * {@link SearchSpace} train for the first rung's epochs; the best {@code 1/eta} by validation loss go on to the next
 * rung's epochs, and so on up to the recipe's full {@code epochs}. Each trial's schedules have the full run's horizon,
 * so a trial stopped early had the lr it would have had; a promoted trial continues from its checkpoint.
 *
 * <p>Deterministic for a seed: the trials are sampled in order from {@code new Random(seed)}, each trains alone (its
 * own model, optimizer and data order), a rung's results are combined in trial order once all have finished, and ties
 * go to the lower trial number. Selection reads validation losses only; the test set is used once, to report the
 * winner. The state (every finished part) is saved in {@code search.json} as the search goes, so that a search run
 * again in the same folder resumes where it stopped and ends as the uninterrupted one would.
 *
 * @param trials trials of the first rung
 * @param eta each rung keeps the best {@code 1/eta} and trains them {@code eta} times as long
 * @param minEpochs the first rung's epochs (0: the recipe's epochs over {@code eta^2}, at least 1)
 * @param threads trials trained at once
 * @param seed the sampling seed (the recipes' own seed, of weights and data order, stays the base recipe's)
 */
public record SuccessiveHalving(int trials, int eta, int minEpochs, int threads, long seed) {
    public SuccessiveHalving {
        if (trials < 1) {
            throw new IllegalArgumentException("trials must be >= 1, got " + trials);
        }
        if (eta < 2) {
            throw new IllegalArgumentException("eta must be >= 2, got " + eta);
        }
        if (minEpochs < 0) {
            throw new IllegalArgumentException("min epochs must be >= 0 (0: the default), got " + minEpochs);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** The defaults: 18 trials, eta 3, first rung at epochs / 9, one thread per core, seed 0. */
    public static SuccessiveHalving defaults() {
        return new SuccessiveHalving(18, 3, 0, Runtime.getRuntime().availableProcessors(), 0);
    }

    /** The epochs of each rung for a run of {@code epochs}: ..., epochs/eta^2, epochs/eta, epochs (rounded, increasing, >= 1). */
    public List<Integer> budgets(int epochs) {
        int first = minEpochs > 0 ? Math.min(minEpochs, epochs) : Math.max(1, (int) Math.round(epochs / (double) (eta * eta)));
        List<Integer> out = new ArrayList<>();
        for (double b = epochs; ; b /= eta) {
            int r = (int) Math.round(b);
            if (r < first || !out.isEmpty() && r >= out.get(0)) {
                break;
            }
            out.add(0, r);
        }
        if (out.get(0) > first) {
            out.add(0, first);
        }
        return out;
    }

    /** Trials at each rung: {@code trials}, then a {@code 1/eta} of the previous (at least 1). */
    public List<Integer> rungSizes(int rungs) {
        List<Integer> out = new ArrayList<>();
        int n = trials;
        for (int i = 0; i < rungs; i++) {
            out.add(n);
            n = Math.max(1, n / eta);
        }
        return out;
    }

    /**
     * The trials of a search of {@code space} around {@code base}: sampled in order from {@code new Random(seed)}, trial
     * {@code i} from the space's schedule family {@code i} modulo their number.
     */
    public List<Trial> sample(SearchSpace space, RunSpec base) {
        Random random = new Random(seed);
        List<Trial> out = new ArrayList<>();
        for (int i = 0; i < trials; i++) {
            SearchSpace.Sample s = space.sample(random, i);
            out.add(new Trial(i, Trial.recipe(base, s.optimizer(), s.scheduler()), s.values()));
        }
        return out;
    }

    /**
     * How a search ended: its trials, the rungs' epochs, every result (rung by rung, in trial order), the winner, its
     * last result and its test figures (measured once the winner was chosen).
     */
    public record Outcome(List<Trial> trials, List<Integer> budgets, List<TrialResult> results, Trial winner,
                          TrialResult winnerResult, Model.Evaluation test) {
        /** The results of rung {@code rung}, in trial order. */
        public List<TrialResult> rung(int rung) {
            return results.stream().filter(r -> r.rung() == rung).toList();
        }

        /** Each trial's last result (where it stopped). */
        public List<TrialResult> last() {
            Map<Integer, TrialResult> last = new java.util.TreeMap<>();
            results.forEach(r -> last.put(r.trial(), r));
            return List.copyOf(last.values());
        }
    }

    /**
     * Runs the search in {@code dir} (trial folders {@code trials/tNNN}, the state {@code search.json}); a search
     * already saved there with the same settings, space and base recipe is resumed, another one is refused.
     */
    public Outcome run(SearchSpace space, RunSpec base, Path dir, TuneListener listener) {
        return run(space, base, dir, listener, TrialExecutor.threads(threads));
    }

    /**
     * {@link #run(SearchSpace, RunSpec, Path, TuneListener)} with the parts trained by {@code executor} (this search's
     * {@code threads} is then unused); the outcome does not depend on the executor.
     */
    public Outcome run(SearchSpace space, RunSpec base, Path dir, TuneListener listener, TrialExecutor executor) {
        Trial.checkBase(base);
        List<Trial> trials = sample(space, base);
        List<Integer> budgets = budgets(base.epochs());
        List<Integer> sizes = rungSizes(budgets.size());
        SearchState state = SearchState.openOrCreate(dir, this, space, base);
        List<TrialResult> all = new ArrayList<>();
        List<Trial> alive = trials;
        for (int rung = 0; rung < budgets.size(); rung++) {
            int from = rung == 0 ? 0 : budgets.get(rung - 1);
            int to = budgets.get(rung);
            listener.onRung(rung, budgets.size(), to, alive.size());
            int[] done = {0};
            int total = alive.size();
            Map<Integer, TrialResult> byTrial = new java.util.TreeMap<>();
            List<PartTask> tasks = new ArrayList<>();
            for (Trial t : alive) {
                TrialResult saved = state.result(t.index(), rung);
                if (saved != null) {
                    listener.onTrial(t, saved, ++done[0], total, true);
                    byTrial.put(t.index(), saved);
                } else {
                    tasks.add(new PartTask(t.index(), rung, t.recipe(), trialDir(dir, t).toAbsolutePath().toString(), from, to));
                }
            }
            if (!tasks.isEmpty()) {
                executor.runParts(tasks, result -> {
                    state.record(result);
                    listener.onTrial(trials.get(result.trial()), result, ++done[0], total, false);
                }).forEach(r -> byTrial.put(r.trial(), r));
            }
            List<TrialResult> results = List.copyOf(byTrial.values()); // trial order
            int keep = rung + 1 < budgets.size() ? sizes.get(rung + 1) : 1;
            List<TrialResult> ranked = results.stream().sorted(TrialResult::compare).toList();
            java.util.Set<Integer> kept = new java.util.HashSet<>();
            ranked.subList(0, Math.min(keep, ranked.size())).forEach(r -> kept.add(r.trial()));
            List<TrialResult> marked = results.stream().map(r -> r.promoted(kept.contains(r.trial()))).toList();
            all.addAll(marked);
            listener.onRungEnd(rung, marked);
            alive = alive.stream().filter(t -> kept.contains(t.index())).toList();
        }
        int last = budgets.size() - 1;
        TrialResult best = all.stream().filter(r -> r.rung() == last).min(TrialResult::compare).orElseThrow();
        Trial winner = trials.get(best.trial());
        Model.Evaluation test = TrialRunner.test(winner.recipe(), trialDir(dir, winner), budgets.get(last));
        state.finish(best.trial());
        return new Outcome(trials, budgets, List.copyOf(all), winner, best, test);
    }

    /** A trial's folder in a search's folder. */
    public static Path trialDir(Path dir, Trial t) {
        return dir.resolve("trials").resolve(String.format("t%03d", t.index()));
    }

    static TrialResult result(int trial, int rung, TrialRunner.Part part) {
        var r = part.result();
        var history = r.history();
        double lastVal = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).valLoss();
        return new TrialResult(trial, rung, r.epochsRun(), r.bestMetric(), r.bestEpoch(), lastVal, r.optimizerSteps(),
                r.skippedSteps(), false);
    }

    /** Orders results by best validation loss, then trial number. */
    public static Comparator<TrialResult> ranking() {
        return TrialResult::compare;
    }
}
