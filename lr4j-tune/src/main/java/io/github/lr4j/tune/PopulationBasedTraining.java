package io.github.lr4j.tune;

import io.github.lr4j.optim.HyperParameterSchedule;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.train.DigitsRecipe;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.RunSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Population based training (Jaderberg et al. 2017; Ray Tune's {@code PopulationBasedTraining}), with synchronous
 * rounds. {@code population} members are sampled from a {@link SearchSpace} as successive halving samples its trials
 * (an optimizer and a schedule each, from {@code new Random(seed)}); the recipe's epochs are cut into {@code rounds}
 * rounds (round r ends at epoch {@code (r + 1) * epochs / rounds}).
 *
 * <p>What is explored: each member has a multiplicative <b>lr scale</b> (1 at the start) on its sampled schedule; the lr
 * it uses at optimizer step t is {@code scale * schedule(t)}, with {@code schedule} the sampled schedule's closed form
 * over the whole run (its position in the run continues across rounds). And every other value the optimizer space
 * samples from {@code uniform} or {@code loguniform} (SGD's momentum and weight_decay, Adam's beta2, ...: see
 * {@link #explored}) is a value of the member (the sampled one at the start), which it uses at every step of a round.
 * A round trains each member with the {@code PiecewiseConstant} schedule of exactly those absolute lrs and, for each
 * explored name, a hyper-parameter schedule ({@code schedules} of the recipe) {@code PiecewiseConstant} of its value,
 * all started afresh at the round's checkpoint (weights and optimizer state restored). A sampled value no
 * hyper-parameter schedule can drive is refused before anything trains; {@code int} and {@code choice} values are
 * inherited, not explored ({@link #inherited}). A schedule's own momentum cycle (OneCycleLR's) is not used: the lr is
 * replayed from its closed form, the momentum is the member's.
 *
 * <p>After every round but the last, members are ranked by the validation loss of their current weights (the round's
 * last epoch; NaN last, ties by member number). The worst {@code floor(population * quantile)} each copy a member drawn
 * uniformly from the best as many (exploit): its round-end checkpoint (weights, optimizer state, schedule position
 * and history) and logs, copied to a temporary folder then moved into place, so a failure leaves the member as it was;
 * its optimizer, sampled schedule, scale and explored values; its recorded lrs and values (lineage). Then explore:
 * with probability {@code resample} the scale is drawn anew, log-uniform in [0.5, 2]; else it is multiplied by 0.8 or
 * 1.2 (even odds). Then each explored value in the order of the optimizer space (Ray Tune's habit): with probability
 * {@code resample} drawn anew from its distribution, else the source's multiplied by 0.8 or 1.2, kept within the
 * distribution's bounds (which the space checked are valid values).
 *
 * <p>Every member records the lr and each explored value it used at every optimizer step, following its lineage through
 * exploits; the winner's (the best validation loss at the last round, ties by member number) are written as
 * {@code PiecewiseConstant} schedules (the lr's, and {@code schedules} for the others), which {@code lr4j train --config}
 * replays on a fresh model: the same lr and values at every step (as the members share the trial seed, the replay
 * trains the lineage's weights again).
 *
 * <p>Deterministic for a seed: decisions are drawn from one {@code Random(seed)} after sampling, in member order, from
 * results combined in member order once a round has finished. Every finished part is saved in {@code search.json}; a
 * search run again in its folder replays the decisions from the saved results and trains only what is missing.
 *
 * @param population members
 * @param rounds rounds (each at least one epoch)
 * @param quantile the fraction of members exploited (and exploiting) each round, in [0, 0.5]
 * @param resample the probability of drawing a new scale instead of perturbing, in [0, 1]
 * @param threads members trained at once
 * @param seed the sampling and decision seed
 */
public record PopulationBasedTraining(int population, int rounds, double quantile, double resample, int threads, long seed) {
    /**
     * The schedule spaces of a search with no {@code --space}: those of {@link SearchSpace#DEFAULT_SCHEDULES} sized in
     * optimizer steps (one-cycle, warm-up + cosine, warm-up + linear). A round replays the lr per step from the
     * schedule's closed form; timm's per-epoch cosine and ReduceLROnPlateau (fed the metric) are not stepped per step.
     */
    public static final List<String> DEFAULT_SCHEDULES = SearchSpace.DEFAULT_SCHEDULES.stream()
            .filter(s -> s.contains("total_steps")).toList();

    /** Ray Tune's perturbation factors. */
    static final double DOWN = 0.8;
    static final double UP = 1.2;

    public PopulationBasedTraining {
        if (population < 2 || population > 1000) {
            throw new IllegalArgumentException("population must be in [2, 1000], got " + population);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, got " + rounds);
        }
        if (!(quantile >= 0 && quantile <= 0.5)) {
            throw new IllegalArgumentException("quantile must be in [0, 0.5], got " + quantile);
        }
        if (!(resample >= 0 && resample <= 1)) {
            throw new IllegalArgumentException("resample must be in [0, 1] (a probability), got " + resample);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /**
     * One member at the end of the search: its sampled recipe, its scale and explored values (name -> value), where its
     * state came from, the lr and each explored value (name -> values) it used at every step.
     */
    public record Member(Trial trial, double scale, Map<String, Double> values, List<String> lineage, double[] lrs,
                         Map<String, double[]> used) { }

    /**
     * One exploit: at the end of {@code round}, {@code target} took {@code source}'s state, the scale {@code scale} and
     * the explored values {@code values}.
     */
    public record Exploit(int round, int target, int source, double scale, Map<String, Double> values) { }

    /**
     * How a search ended: the members, the rounds' end epochs, every result (round by round, in member order; a result
     * marked promoted kept its own state), the exploits, the winner, its replayable recipe, last result and test figures.
     */
    public record Outcome(List<Member> members, List<Integer> ends, List<TrialResult> results, List<Exploit> exploits,
                          Member winner, RunSpec recipe, TrialResult winnerResult, Model.Evaluation test) { }

    /** The end epoch of each round for a run of {@code epochs}. */
    public List<Integer> ends(int epochs) {
        if (rounds > epochs) {
            throw new IllegalArgumentException("rounds must be <= epochs (" + epochs + "), got " + rounds);
        }
        List<Integer> out = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            out.add((int) ((long) (r + 1) * epochs / rounds));
        }
        return out;
    }

    /** A member's state during the search. */
    private static final class State {
        Trial trial;
        double[] schedule; // the sampled schedule's lr at every step of the run
        double scale = 1;
        double[] values; // the explored values, in the order of explored(space)
        double[] lrs = new double[0];
        double[][] used; // each explored value at every step so far
        List<String> lineage = new ArrayList<>();
    }

    /**
     * The optimizer space's distributions a search explores: the {@code uniform} and {@code loguniform} ones other than
     * the lr's. Refuses (naming it and what can be scheduled) one that no hyper-parameter schedule can drive.
     */
    public static List<SearchSpace.Dimension> explored(SearchSpace space) {
        List<SearchSpace.Dimension> out = new ArrayList<>();
        List<String> schedulable = null;
        for (SearchSpace.Dimension d : space.optimizerDimensions()) {
            if (d.name().equals("lr") || !d.continuous()) {
                continue;
            }
            if (schedulable == null) {
                Random probe = new Random(0);
                schedulable = HyperParameterSchedule.schedulable(Optimizers.parse(space.sample(probe).optimizer()));
            }
            if (!schedulable.contains(d.name())) {
                throw new IllegalArgumentException("--algorithm pbt explores every value the optimizer space samples from"
                        + " uniform/loguniform through a hyper-parameter schedule, and '" + d.name() + "' in '"
                        + space.optimizer() + "' cannot be scheduled (schedulable: " + String.join(", ", schedulable)
                        + "): give it a fixed value or choice([...])");
            }
            out.add(d);
        }
        return out;
    }

    /** The optimizer space's sampled values a search inherits without exploring ({@code int}, {@code choice}). */
    public static List<String> inherited(SearchSpace space) {
        return space.optimizerDimensions().stream().filter(d -> !d.name().equals("lr") && !d.continuous())
                .map(SearchSpace.Dimension::name).toList();
    }

    /** Runs the search in {@code dir} (member folders {@code trials/tNNN}, the state {@code search.json}). */
    public Outcome run(SearchSpace space, RunSpec base, Path dir, TuneListener listener) {
        return run(space, base, dir, listener, TrialExecutor.threads(threads));
    }

    /**
     * {@link #run(SearchSpace, RunSpec, Path, TuneListener)} with the parts trained by {@code executor} (this search's
     * {@code threads} is then unused); the outcome does not depend on the executor.
     */
    public Outcome run(SearchSpace space, RunSpec base, Path dir, TuneListener listener, TrialExecutor executor) {
        Trial.checkBase(base);
        if (!"one".equals(base.paramGroups())) {
            throw new IllegalArgumentException("--algorithm pbt needs one param group (its schedule is one lr per step);"
                    + " the base recipe has param_groups " + base.paramGroups());
        }
        if (!base.schedules().isEmpty()) {
            throw new IllegalArgumentException("--algorithm pbt does not combine with hyper-parameter schedules (the base recipe"
                    + " has schedules " + base.schedules().keySet() + "): each round restarts the schedules");
        }
        List<Integer> ends = ends(base.epochs());
        List<SearchSpace.Dimension> dims = explored(space);
        List<Trial> sampled = new SuccessiveHalving(population, 2, 0, 1, seed).sample(space, base);
        Random random = new Random(seed);
        for (int i = 0; i < population; i++) {
            space.sample(random); // the decisions follow the sampling's draws
        }
        List<State> members = new ArrayList<>();
        int stepsPerEpoch = -1;
        for (Trial t : sampled) {
            State m = new State();
            m.trial = t;
            DigitsRecipe.Run run = DigitsRecipe.of(t.recipe()).build();
            if (DigitsRecipe.defaultInterval(t.recipe().scheduler(), run.scheduler()) != Interval.STEP
                    || t.recipe().interval() != null && !"step".equalsIgnoreCase(t.recipe().interval())) {
                throw new IllegalArgumentException("--algorithm pbt needs schedules stepped every optimizer step; "
                        + t.recipe().scheduler() + " is stepped per epoch");
            }
            stepsPerEpoch = run.trainer().optimizerStepsPerEpoch();
            int total = stepsPerEpoch * base.epochs();
            m.schedule = new double[total];
            for (int s = 0; s < total; s++) {
                m.schedule[s] = run.scheduler().lrAt(s, 0);
            }
            m.values = new double[dims.size()];
            m.used = new double[dims.size()][0];
            for (int j = 0; j < dims.size(); j++) {
                m.values[j] = Double.parseDouble(t.values().get("optimizer." + dims.get(j).name()));
            }
            m.lineage.add(String.format("t%03d", t.index()));
            members.add(m);
        }
        SearchState state = SearchState.openOrCreate(dir, SearchState.identity("pbt", settings(dims), space, base));
        List<TrialResult> all = new ArrayList<>();
        List<Exploit> exploits = new ArrayList<>();
        List<Part> lastParts = List.of();
        for (int round = 0; round < ends.size(); round++) {
            int from = round == 0 ? 0 : ends.get(round - 1);
            int to = ends.get(round);
            listener.onRung(round, ends.size(), to, population);
            List<Part> parts = new ArrayList<>();
            for (State m : members) {
                // One value past the round where there is a next round: the lr the logs show after the round's last step
                // is the one the member goes on with, unless an exploit changes it.
                int steps = (to - from) * stepsPerEpoch;
                double[] values = new double[to < base.epochs() ? steps + 1 : steps];
                for (int i = 0; i < values.length; i++) {
                    values[i] = m.scale * m.schedule[from * stepsPerEpoch + i];
                }
                Map<String, String> schedules = new LinkedHashMap<>();
                for (int j = 0; j < dims.size(); j++) {
                    double[] v = new double[values.length];
                    Arrays.fill(v, m.values[j]);
                    schedules.put(dims.get(j).name(), piecewise(v));
                    m.used[j] = concat(m.used[j], Arrays.copyOf(v, steps));
                }
                RunSpec recipe = withEpochs(withSchedules(Trial.recipe(base, m.trial.recipe().optimizer(), piecewise(values)),
                        schedules), to);
                parts.add(new Part(new Trial(m.trial.index(), recipe, m.trial.values()), round, from, to));
                m.lrs = concat(m.lrs, Arrays.copyOf(values, steps));
            }
            List<TrialResult> results = trainParts(parts, dir, state, listener, executor);
            lastParts = parts;
            List<TrialResult> ranked = results.stream().sorted(byCurrent()).toList();
            int k = (int) Math.floor(population * quantile);
            java.util.Set<Integer> exploited = new java.util.HashSet<>();
            if (round + 1 < ends.size() && k > 0) {
                List<TrialResult> top = ranked.subList(0, k);
                List<TrialResult> bottom = ranked.subList(ranked.size() - k, ranked.size());
                // Decided in member order of the bottom, so the draws do not depend on how ties among them sorted.
                List<Integer> targets = bottom.stream().map(TrialResult::trial).sorted().toList();
                for (int target : targets) {
                    int source = top.get(random.nextInt(k)).trial();
                    State s = members.get(source);
                    double scale = random.nextDouble() < resample ? Math.exp(Math.log(0.5) + random.nextDouble() * Math.log(4))
                            : s.scale * (random.nextBoolean() ? UP : DOWN);
                    double[] values = explore(dims, s.values, random);
                    State t = members.get(target);
                    boolean trainedSince = state.result(target, round + 1) != null;
                    if (!trainedSince) {
                        copyState(trialDir(dir, source), trialDir(dir, target), to);
                    }
                    t.trial = new Trial(target, s.trial.recipe(), s.trial.values());
                    t.schedule = s.schedule;
                    t.scale = scale;
                    t.values = values;
                    t.lrs = s.lrs.clone();
                    t.used = new double[dims.size()][];
                    for (int j = 0; j < dims.size(); j++) {
                        t.used[j] = s.used[j].clone();
                    }
                    t.lineage = new ArrayList<>(s.lineage);
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "round %d: copied t%03d, scale %.4g",
                            round + 1, source, scale));
                    for (int j = 0; j < dims.size(); j++) {
                        line.append(String.format(Locale.ROOT, ", %s %.4g", dims.get(j).name(), values[j]));
                    }
                    t.lineage.add(line.toString());
                    exploits.add(new Exploit(round, target, source, scale, named(dims, values)));
                    exploited.add(target);
                }
            }
            List<TrialResult> marked = results.stream().map(r -> r.promoted(!exploited.contains(r.trial()))).toList();
            all.addAll(marked);
            listener.onRungEnd(round, marked);
        }
        int last = ends.size() - 1;
        TrialResult best = all.stream().filter(r -> r.rung() == last).min(TrialResult::compare).orElseThrow();
        State w = members.get(best.trial());
        Map<String, String> schedules = new LinkedHashMap<>();
        for (int j = 0; j < dims.size(); j++) {
            schedules.put(dims.get(j).name(), piecewise(w.used[j]));
        }
        RunSpec replay = withSchedules(Trial.recipe(base, w.trial.recipe().optimizer(), piecewise(w.lrs)), schedules);
        // Its last round's recipe reads its last checkpoint (the replay recipe is for a fresh run).
        Model.Evaluation test = TrialRunner.test(lastParts.get(best.trial()).trial().recipe(), trialDir(dir, w.trial), ends.get(last));
        state.finish(best.trial());
        List<Member> out = members.stream().map(m -> {
            Map<String, double[]> used = new LinkedHashMap<>();
            for (int j = 0; j < dims.size(); j++) {
                used.put(dims.get(j).name(), m.used[j].clone());
            }
            return new Member(m.trial, m.scale, named(dims, m.values), List.copyOf(m.lineage), m.lrs.clone(),
                    java.util.Collections.unmodifiableMap(used));
        }).toList();
        return new Outcome(out, ends, List.copyOf(all), List.copyOf(exploits), out.get(best.trial()), replay, best, test);
    }

    private Map<String, Object> settings(List<SearchSpace.Dimension> dims) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("population", population);
        s.put("rounds", rounds);
        s.put("quantile", quantile);
        s.put("resample", resample);
        s.put("seed", seed);
        // What explore perturbs (since it perturbs more than the lr scale: a search saved before has no such entry).
        List<String> explore = new ArrayList<>(List.of("lr_scale"));
        dims.forEach(d -> explore.add(d.name()));
        s.put("explore", explore);
        return s;
    }

    /**
     * Explore's new values for the explored dimensions {@code dims} from the source's {@code values}: for each in turn,
     * with probability {@code resample} a new draw from its distribution, else the value times 0.8 or 1.2 (even odds),
     * kept within the distribution's bounds. Draws from {@code random} in that order.
     */
    double[] explore(List<SearchSpace.Dimension> dims, double[] values, Random random) {
        double[] out = new double[dims.size()];
        for (int j = 0; j < dims.size(); j++) {
            SearchSpace.Dimension d = dims.get(j);
            out[j] = random.nextDouble() < resample ? d.draw(random) : d.clamp(values[j] * (random.nextBoolean() ? UP : DOWN));
        }
        return out;
    }

    private static Map<String, Double> named(List<SearchSpace.Dimension> dims, double[] values) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < dims.size(); j++) {
            out.put(dims.get(j).name(), values[j]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** A member's part of a round: its recipe for the round, trained from epoch {@code from} to {@code to}. */
    record Part(Trial trial, int round, int from, int to) { }

    /**
     * Trains the parts of a round on {@code executor} (a part already saved in {@code state} is read back), saving each
     * result as it comes, and returns them in the order given. The one place that decides where parts train.
     */
    static List<TrialResult> trainParts(List<Part> parts, Path dir, SearchState state, TuneListener listener,
                                        TrialExecutor executor) {
        java.util.Map<Integer, TrialResult> byTrial = new java.util.HashMap<>();
        java.util.Map<Integer, Trial> trials = new java.util.HashMap<>();
        List<PartTask> tasks = new ArrayList<>();
        int[] done = {0};
        for (Part p : parts) {
            trials.put(p.trial().index(), p.trial());
            TrialResult saved = state.result(p.trial().index(), p.round());
            if (saved != null) {
                listener.onTrial(p.trial(), saved, ++done[0], parts.size(), true);
                byTrial.put(p.trial().index(), saved);
            } else {
                tasks.add(new PartTask(p.trial().index(), p.round(), p.trial().recipe(),
                        trialDir(dir, p.trial()).toAbsolutePath().toString(), p.from(), p.to(), true));
            }
        }
        if (!tasks.isEmpty()) {
            executor.runParts(tasks, result -> {
                state.record(result);
                listener.onTrial(trials.get(result.trial()), result, ++done[0], parts.size(), false);
            }).forEach(r -> byTrial.put(r.trial(), r));
        }
        return parts.stream().map(p -> byTrial.get(p.trial().index())).toList();
    }

    /** By the validation loss of the current weights (a NaN last), then member number. */
    static Comparator<TrialResult> byCurrent() {
        return (a, b) -> {
            boolean an = Double.isNaN(a.lastValLoss());
            boolean bn = Double.isNaN(b.lastValLoss());
            if (an != bn) {
                return an ? 1 : -1;
            }
            int c = an ? 0 : Double.compare(a.lastValLoss(), b.lastValLoss());
            return c != 0 ? c : Integer.compare(a.trial(), b.trial());
        };
    }

    /** A member's folder in a search's folder. */
    public static Path trialDir(Path dir, Trial t) {
        return SuccessiveHalving.trialDir(dir, t);
    }

    private static Path trialDir(Path dir, int index) {
        return dir.resolve("trials").resolve(String.format("t%03d", index));
    }

    /**
     * Exploit's copy: {@code source}'s checkpoint at epoch {@code epoch} and its logs into {@code target}. Everything is
     * copied to a temporary folder first and checked (same bytes); only then moved into place.
     */
    static void copyState(Path source, Path target, int epoch) {
        Path tmp = target.resolveSibling(target.getFileName() + ".exploit");
        try {
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Files.createDirectories(target);
            Path ckpt = TrialRunner.partEnd(source, epoch);
            Files.copy(ckpt, tmp.resolve(ckpt.getFileName()));
            copyTree(source.resolve("logs"), tmp.resolve("logs"));
            if (Files.mismatch(ckpt, tmp.resolve(ckpt.getFileName())) != -1) {
                throw new IOException("the copy of " + ckpt + " differs from it");
            }
            // Commit: the checkpoint the next round resumes from, then the logs that go with it.
            Files.move(tmp.resolve(ckpt.getFileName()), TrialRunner.partEnd(target, epoch), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            io.github.lr4j.train.TestHold.at("exploit"); // a kill test's moment: the checkpoint copied in, the logs not yet
            deleteTree(target.resolve("logs"));
            Files.move(tmp.resolve("logs"), target.resolve("logs"));
            deleteTree(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the state of " + source + " to " + target, e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code PiecewiseConstant} of an lr per step: a new piece wherever the value changes. */
    public static String piecewise(double[] lrs) {
        StringBuilder b = new StringBuilder("PiecewiseConstant(boundaries=[");
        StringBuilder v = new StringBuilder("values=[").append(lrs[0]);
        String sep = "";
        for (int i = 1; i < lrs.length; i++) {
            if (lrs[i] != lrs[i - 1]) {
                b.append(sep).append(i);
                v.append(", ").append(lrs[i]);
                sep = ", ";
            }
        }
        return b.append("], ").append(v).append("])").toString();
    }

    /** {@code r} with {@code epochs} epochs: a round's part is a run that ends at the round's end. */
    static RunSpec withEpochs(RunSpec r, int epochs) {
        return new RunSpec(r.engine(), r.hidden(), r.paramGroups(), r.augment(), r.batchSize(), r.seed(), r.optimizer(),
                r.scheduler(), r.interval(), r.schedules(), epochs, r.accumulate(), r.monitor(), r.earlyStopping(), r.minDelta(),
                r.swaStart(), r.swaLr(), r.swaAnnealEpochs(), r.swaAnnealStrategy(), r.checkpointDir(), r.checkpointEvery(),
                r.keep(), r.master(), r.partitions(), r.localSteps(), r.threads());
    }

    /** {@code r} with the hyper-parameter schedules {@code schedules} (name -> expression). */
    static RunSpec withSchedules(RunSpec r, Map<String, String> schedules) {
        return new RunSpec(r.engine(), r.hidden(), r.paramGroups(), r.augment(), r.batchSize(), r.seed(), r.optimizer(),
                r.scheduler(), r.interval(), schedules, r.epochs(), r.accumulate(), r.monitor(), r.earlyStopping(), r.minDelta(),
                r.swaStart(), r.swaLr(), r.swaAnnealEpochs(), r.swaAnnealStrategy(), r.checkpointDir(), r.checkpointEvery(),
                r.keep(), r.master(), r.partitions(), r.localSteps(), r.threads());
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
