package io.github.lr4j.cli;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.SchedulerState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A saved scheduler state named by {@code --from-state FILE}: the JSON of a PyTorch {@code scheduler.state_dict()}
 * (dumped as the README shows), or lr4j's own {@code scheduler.state().toMap()}, either bare or as
 * {@code {"state_dict": {...}, "param_groups": [{"lr": ..., "initial_lr": ..., "momentum": ...}, ...]}}, the
 * groups being the optimizer's (PyTorch keeps each group's lr, initial lr and momentum or betas there; other keys
 * of a group, such as {@code params}, are ignored).
 */
final class StateFile {
    private static final Set<String> WRAPPER_KEYS = Set.of("state_dict", "param_groups");

    private final String what;
    private final Map<String, Object> state;
    private final List<?> paramGroups;
    private final boolean lr4j;

    private StateFile(String what, Map<String, Object> state, List<?> paramGroups) {
        this.what = what;
        this.state = state;
        this.paramGroups = paramGroups;
        this.lr4j = state.containsKey("type");
    }

    /** Reads and checks the shape of FILE (a regular UTF-8 text file of at most 1 MiB). */
    @SuppressWarnings("unchecked")
    static StateFile read(Path file) {
        String what = "--from-state " + file;
        String text = InputFiles.read(file, "--from-state file", InputFiles.SPEC_LIMIT);
        Map<String, Object> top;
        try {
            top = Json.readObject(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()).replaceFirst("^the schedule", what));
        }
        if (!top.containsKey("state_dict")) {
            return new StateFile(what, top, null);
        }
        for (String key : top.keySet()) {
            if (!WRAPPER_KEYS.contains(key)) {
                throw new IllegalArgumentException(what + ": unknown key \"" + key + "\" next to \"state_dict\" (allowed: "
                        + "\"state_dict\", \"param_groups\")");
            }
        }
        if (!(top.get("state_dict") instanceof Map)) {
            throw new IllegalArgumentException(what + ": \"state_dict\" must be a JSON object, got " + top.get("state_dict"));
        }
        Object groups = top.get("param_groups");
        if (groups != null && !(groups instanceof List && !((List<?>) groups).isEmpty())) {
            throw new IllegalArgumentException(what + ": \"param_groups\" must be a non-empty list of objects, got " + groups);
        }
        List<?> list = (List<?>) groups;
        if (list != null) {
            for (int g = 0; g < list.size(); g++) {
                if (!(list.get(g) instanceof Map)) {
                    throw new IllegalArgumentException(what + ": param_groups[" + g + "] must be an object, got " + list.get(g));
                }
            }
        }
        return new StateFile(what, (Map<String, Object>) top.get("state_dict"), list);
    }

    /** Each group's initial lr, which also gives the number of groups: for building SPEC when --groups is not given. */
    double[] initialLrs() {
        double[] lastLrs = numbers(state.get("_last_lr"), "\"_last_lr\"");
        int n = paramGroups != null ? paramGroups.size() : lastLrs != null ? lastLrs.length : -1;
        double[] base = numbers(state.get("base_lrs"), "\"base_lrs\"");
        if (base == null && state.get("_schedulers") instanceof List && !((List<?>) state.get("_schedulers")).isEmpty()
                && ((List<?>) state.get("_schedulers")).get(0) instanceof Map) {
            base = numbers(((Map<?, ?>) ((List<?>) state.get("_schedulers")).get(0)).get("base_lrs"), "\"base_lrs\"");
        }
        if (n < 0) {
            n = base != null ? base.length : -1;
        }
        if (n < 1) {
            throw new IllegalArgumentException(what + ": cannot tell the param groups: the state has no \"_last_lr\" or"
                    + " \"base_lrs\" (give \"param_groups\" next to \"state_dict\", or --groups)");
        }
        double[] out = new double[n];
        for (int g = 0; g < n; g++) {
            Object given = group(g) == null ? null : group(g).get("initial_lr");
            if (given != null) {
                out[g] = lr(given, "param_groups[" + g + "].initial_lr");
            } else if (base != null && g < base.length) {
                out[g] = base[g];
            } else if (lastLrs != null && g < lastLrs.length) {
                out[g] = lastLrs[g]; // ReduceLROnPlateau keeps no initial lr: the saved lr is as good a start
            } else {
                throw new IllegalArgumentException(what + ": group " + g + " has no lr in the file");
            }
        }
        return out;
    }

    /**
     * Puts the saved lrs, initial lrs and momentum into the scheduler's groups and loads the state
     * ({@link SchedulerState#fromPyTorch} or, for lr4j's own, {@link SchedulerState#of}).
     */
    void restore(Scheduler s) {
        ParamGroups groups = s.groups();
        int n = groups.size();
        double[] lastLrs = numbers(state.get("_last_lr"), "\"_last_lr\"");
        int saved = paramGroups != null ? paramGroups.size() : lastLrs != null ? lastLrs.length : n;
        if (saved != n) {
            throw new IllegalArgumentException(what + " holds " + saved + " param group" + (saved == 1 ? "" : "s")
                    + ", the schedule was built on " + n + " (--groups)");
        }
        boolean momentum = groups.momentumKind() != MomentumKind.NONE;
        double[] lr = new double[n];
        double[] initial = new double[n];
        double[] m = new double[n];
        for (int g = 0; g < n; g++) {
            Map<?, ?> pg = group(g);
            Object l = pg == null ? null : pg.get("lr");
            if (l != null) {
                lr[g] = lr(l, "param_groups[" + g + "].lr");
            } else if (lastLrs != null) {
                lr[g] = lastLrs[g];
            } else {
                throw new IllegalArgumentException(what + ": group " + g + " has no lr (give \"param_groups\" with \"lr\","
                        + " or a state with \"_last_lr\")");
            }
            Object i = pg == null ? null : pg.get("initial_lr");
            initial[g] = i == null ? Double.NaN : lr(i, "param_groups[" + g + "].initial_lr");
            m[g] = Double.NaN;
            if (momentum && pg != null) {
                if (pg.get("momentum") != null) {
                    m[g] = number(pg.get("momentum"), "param_groups[" + g + "].momentum");
                } else if (pg.get("betas") instanceof List && !((List<?>) pg.get("betas")).isEmpty()) {
                    m[g] = number(((List<?>) pg.get("betas")).get(0), "param_groups[" + g + "].betas[0]");
                }
            }
            if (momentum && !lr4j && Double.isNaN(m[g]) && s.changesMomentum()) {
                throw new IllegalArgumentException(what + ": " + s.name() + " cycles momentum, which PyTorch keeps in the"
                        + " optimizer: give \"param_groups\" with each group's \"momentum\" (or \"betas\") next to \"state_dict\"");
            }
        }
        // a state saved by another scheduler is refused by loadState (SchedulerState.requireOwnKeys decides)
        SchedulerState st = lr4j ? SchedulerState.of(state) : SchedulerState.fromPyTorch(state);
        for (int g = 0; g < n; g++) {
            groups.setLr(g, lr[g]);
            if (!Double.isNaN(initial[g])) {
                groups.setInitialLr(g, initial[g]);
            }
            if (!Double.isNaN(m[g])) {
                groups.setMomentum(g, m[g]);
            }
        }
        try {
            s.loadState(st);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    /** The saved step: the state's {@code last_epoch} (a ChainedScheduler's: its first member's). */
    long step() {
        Object v = state.get("last_epoch");
        if (v == null && state.get("_schedulers") instanceof List && !((List<?>) state.get("_schedulers")).isEmpty()
                && ((List<?>) state.get("_schedulers")).get(0) instanceof Map) {
            v = ((Map<?, ?>) ((List<?>) state.get("_schedulers")).get(0)).get("last_epoch");
        }
        if (!(v instanceof Number) || ((Number) v).longValue() < 0 || ((Number) v).doubleValue() != ((Number) v).longValue()) {
            throw new IllegalArgumentException(what + ": \"last_epoch\" must be a whole number >= 0, got " + v);
        }
        return ((Number) v).longValue();
    }

    private Map<?, ?> group(int g) {
        return paramGroups == null || g >= paramGroups.size() ? null : (Map<?, ?>) paramGroups.get(g);
    }

    private double[] numbers(Object v, String key) {
        if (v == null) {
            return null;
        }
        if (!(v instanceof List)) {
            throw new IllegalArgumentException(what + ": " + key + " must be a list of numbers, got " + v);
        }
        List<?> list = (List<?>) v;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(list.get(i), key + "[" + i + "]");
        }
        return out;
    }

    private double number(Object v, String key) {
        try {
            return SchedulerState.fromJson(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + key + " must be a number, got " + v);
        }
    }

    private double lr(Object v, String key) {
        double d = number(v, key);
        if (!(d >= 0) || Double.isInfinite(d)) {
            throw new IllegalArgumentException(what + ": " + key + " must be a finite number >= 0, got " + v);
        }
        return d;
    }
}
