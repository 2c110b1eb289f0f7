package io.github.lr4j.scheduler;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.Args;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * {@code PerGroup(schedulers=[...])}: one scheduler per param group (pytorch#67761, PyTorch's unreleased
 * ParamwiseScheduler), e.g. a backbone on a cosine and a head on a warm-up then constant. Scheduler {@code i} is
 * built on a one-group view of group {@code i}, so it sees and sets only that group: any type works, including
 * metric-driven ones (the metric reaches every member; time-based members ignore it) and composites.
 *
 * <p>One step steps every member; if one fails, the members already stepped are restored from the states taken
 * before, so a failed step changes nothing. The saved state holds each member's state.
 */
final class PerGroupScheduler implements Scheduler {
    static final String NAME = "PerGroup";

    private final ParamGroups groups;
    private final List<Scheduler> members;
    /** The metric-driven members' states before the current step (time-based ones are marked instead). */
    private final SchedulerState[] before;
    private long steps;

    private PerGroupScheduler(ParamGroups groups, List<Scheduler> members) {
        this.groups = groups;
        this.members = members;
        this.before = new SchedulerState[members.size()];
    }

    static PerGroupScheduler build(ParamGroups groups, List<Args.Deferred> specs) {
        if (specs.size() != groups.size()) {
            throw new IllegalArgumentException("schedulers must hold one scheduler per param group (" + groups.size()
                    + "), got " + specs.size());
        }
        List<Scheduler> members = new ArrayList<>();
        for (int g = 0; g < specs.size(); g++) {
            members.add(specs.get(g).build(new OneGroup(groups, g)));
        }
        return new PerGroupScheduler(groups, List.copyOf(members));
    }

    @Override
    public ParamGroups groups() {
        return groups;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public double lastLr(int group) {
        return members.get(group).lastLr(0);
    }

    /**
     * Time-based members are marked (allocation-free) so they can be rolled back; only a metric-driven member's state
     * is taken as a copy before the step.
     */
    @Override
    public void step(OptionalDouble metric) {
        for (int i = 0; i < before.length; i++) { // indexed: no iterator on the hot path
            Scheduler m = members.get(i);
            if (m instanceof LrScheduler) {
                ((LrScheduler) m).mark();
            } else {
                before[i] = m.state();
            }
        }
        int stepped = 0;
        try {
            for (; stepped < members.size(); stepped++) {
                members.get(stepped).step(metric);
            }
        } catch (RuntimeException e) {
            for (int i = stepped - 1; i >= 0; i--) {
                Scheduler m = members.get(i);
                if (m instanceof LrScheduler) {
                    ((LrScheduler) m).rollback();
                } else {
                    m.loadState(before[i]);
                }
            }
            throw e;
        }
        steps++;
    }

    @Override
    public boolean drivenByMetric() {
        return members.stream().anyMatch(Scheduler::drivenByMetric);
    }

    @Override
    public double lrAt(long step, int group) {
        return members.get(group).lrAt(step, 0);
    }

    @Override
    public boolean changesMomentum() {
        return members.stream().anyMatch(Scheduler::changesMomentum);
    }

    /** A group whose own scheduler leaves momentum alone keeps the momentum it has now. */
    @Override
    public double momentumAt(long step, int group) {
        Scheduler m = members.get(group);
        return m.changesMomentum() ? m.momentumAt(step, 0) : groups.momentum(group);
    }

    @Override
    public Map<String, Object> spec() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", NAME);
        List<Object> specs = new ArrayList<>();
        members.forEach(m -> specs.add(m.spec()));
        out.put("schedulers", specs);
        return out;
    }

    @Override
    public SchedulerState state() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", NAME);
        out.put("version", SchedulerState.VERSION);
        out.put("last_epoch", steps);
        out.put("_last_lr", SchedulerState.numbers(lastLrs()));
        List<Object> states = new ArrayList<>();
        members.forEach(m -> states.add(m.state().toMap()));
        out.put("_schedulers", states);
        return SchedulerState.of(out);
    }

    /** Loads every member; if one refuses its state, the ones loaded before are put back. */
    @Override
    public void loadState(SchedulerState state) {
        StateReader in = StateReader.of(NAME, state);
        long savedSteps = in.integer("last_epoch", 0);
        in.numbers("_last_lr", members.size(), true); // checked here; the members' own states put the lrs back
        List<?> saved = in.list("_schedulers", members.size());
        List<SchedulerState> current = new ArrayList<>();
        for (Scheduler m : members) {
            current.add(m.state());
        }
        int loaded = 0;
        try {
            for (int i = 0; i < members.size(); i++) {
                if (!(saved.get(i) instanceof Map)) {
                    throw new IllegalArgumentException("cannot restore PerGroup: _schedulers[" + i + "] must be a state map, got "
                            + saved.get(i));
                }
                @SuppressWarnings("unchecked")
                Map<String, ?> member = (Map<String, ?>) saved.get(i);
                members.get(i).loadState(SchedulerState.of(member));
                loaded++;
            }
        } catch (RuntimeException e) {
            for (int i = loaded - 1; i >= 0; i--) {
                members.get(i).loadState(current.get(i));
            }
            throw e;
        }
        steps = savedSteps;
    }

    @Override
    public String toString() {
        return Specs.print(spec());
    }

    /** Group {@code g} of {@code groups}, as a one-group ParamGroups. */
    private static final class OneGroup implements ParamGroups {
        private final ParamGroups groups;
        private final int g;

        OneGroup(ParamGroups groups, int g) {
            this.groups = groups;
            this.g = g;
        }

        @Override
        public int size() {
            return 1;
        }

        @Override
        public double lr(int group) {
            return groups.lr(index(group));
        }

        @Override
        public void setLr(int group, double lr) {
            groups.setLr(index(group), lr);
        }

        @Override
        public double initialLr(int group) {
            return groups.initialLr(index(group));
        }

        @Override
        public void setInitialLr(int group, double lr) {
            groups.setInitialLr(index(group), lr);
        }

        @Override
        public MomentumKind momentumKind() {
            return groups.momentumKind();
        }

        @Override
        public double momentum(int group) {
            return groups.momentum(index(group));
        }

        @Override
        public void setMomentum(int group, double momentum) {
            groups.setMomentum(index(group), momentum);
        }

        @Override
        public double lrScale(int group) {
            return groups.lrScale(index(group));
        }

        private int index(int group) {
            if (group != 0) {
                throw new IndexOutOfBoundsException("group must be 0 (a one-group view of group " + g + "), got " + group);
            }
            return g;
        }
    }
}
