package io.github.lr4j.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Restores are all-or-nothing, for every scheduler type and composite: every field (at any depth) of a saved state is
 * replaced by hostile values, or removed, and the state loaded into a scheduler that stands elsewhere. Either the
 * restore is refused with an {@link IllegalArgumentException} and the groups (lr, initial lr, momentum) and
 * {@code state()} are bit for bit what they were, or it is taken and the groups hold finite lrs >= 0 (never -0.0)
 * and finite momenta.
 */
class RestoreFuzzTest {
    private static final Duration PER_SPEC = Duration.ofSeconds(120);

    /** Hostile values for any field: wrong types, non-finite numbers, -0.0, huge and negative counts. */
    private static final Object[] HOSTILE = {Double.NaN, "nan", "inf", "-inf", -1, -1.0, -0.0, 0, 1.5, 1e308, Long.MAX_VALUE,
        Long.MIN_VALUE, "x", "", null, true, List.of(), List.of(1.0), List.of(-0.0, -0.0, -0.0), Map.of(),
        Map.of("type", "StepLR"), "lambda e: 0.5", Map.of("source", "lambda e: 2.0")};

    /** Every example of every registered type, plus metric-driven types alone, after a warm-up and inside PerGroup. */
    static Stream<Arguments> specs() {
        List<Arguments> out = new ArrayList<>();
        for (SchedulerType t : SchedulerTypes.all()) {
            for (SchedulerType.Example e : t.examples()) {
                out.add(Arguments.of(e.expression(), e.steps()));
            }
        }
        out.add(Arguments.of("ReduceLROnPlateau(mode='max', factor=0.5, patience=1, cooldown=1)", 12));
        out.add(Arguments.of("PlateauLRScheduler(decay_rate=0.5, patience_t=1, warmup_t=2, warmup_lr_init=0.001,"
                + " noise_range_t=3, noise_pct=0.3)", 12));
        out.add(Arguments.of("SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=3),"
                + " ReduceLROnPlateau(patience=1, factor=0.5)], milestones=[3])", 12));
        out.add(Arguments.of("SequentialLR(schedulers=[OneCycleLR(max_lr=0.2, total_steps=4),"
                + " PlateauLRScheduler(patience_t=1, decay_rate=0.5)], milestones=[4])", 12));
        out.add(Arguments.of("PerGroup(schedulers=[SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=3),"
                + " ReduceLROnPlateau(patience=1, factor=0.5)], milestones=[3]), StepLR(step_size=2),"
                + " CosineAnnealingLR(T_max=5)])", 12));
        return out.stream();
    }

    private static ParamGroups groups() {
        return ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1, 0.05, 0.01}, new double[] {0.9, 0.8, 0.0});
    }

    /** A metric that improves, then stalls: plateau control has counts, cooldowns and cuts to save. */
    private static double metric(int step) {
        return step < 4 ? 1.0 / (step + 1) : 0.3;
    }

    private static Scheduler built(String spec, int steps) {
        Scheduler s = ScheduleSpec.build(spec, groups());
        for (int i = 0; i < steps; i++) {
            s.step(OptionalDouble.of(metric(i)));
        }
        return s;
    }

    private static long[] bits(ParamGroups g) {
        long[] out = new long[3 * g.size()];
        for (int i = 0; i < g.size(); i++) {
            out[3 * i] = Double.doubleToRawLongBits(g.lr(i));
            out[3 * i + 1] = Double.doubleToRawLongBits(g.initialLr(i));
            out[3 * i + 2] = Double.doubleToRawLongBits(g.momentum(i));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void everyFieldOfASavedState_mutated_isRefusedWithoutChange_orTakenWithSafeValues(String spec, int steps) {
        assertTimeoutPreemptively(PER_SPEC, () -> {
            int savedAt = steps / 2;
            int targetAt = Math.max(0, savedAt - 3);
            Map<String, Object> saved = built(spec, savedAt).state().toMap();
            List<List<Object>> paths = new ArrayList<>();
            collectPaths(saved, new ArrayList<>(), paths);
            Random random = new Random(spec.hashCode());
            Scheduler target = built(spec, targetAt);
            int refused = 0;
            for (List<Object> path : paths) {
                List<Object> values = new ArrayList<>(Arrays.asList(HOSTILE));
                values.add(REMOVE);
                values.add(random.nextGaussian() * 1e3);
                for (Object value : values) {
                    Map<String, Object> mutated = deepCopy(saved);
                    if (!set(mutated, path, value)) {
                        continue;
                    }
                    String what = spec + ": " + path + " = " + (value == REMOVE ? "(removed)" : String.valueOf(value));
                    SchedulerState before = target.state();
                    long[] groupsBefore = bits(target.groups());
                    try {
                        target.loadState(SchedulerState.of(mutated));
                    } catch (IllegalArgumentException e) {
                        refused++;
                        assertThat(e.getMessage()).as(what).isNotBlank().doesNotContain("java.", "Cannot invoke", "$$Lambda");
                        assertThat(bits(target.groups())).as(what + " was refused (" + e.getMessage() + ") but changed the"
                                + " groups").containsExactly(groupsBefore);
                        assertThat(target.state()).as(what + " was refused (" + e.getMessage() + ") but changed the state")
                                .isEqualTo(before);
                        continue;
                    } catch (RuntimeException e) {
                        fail(what + " failed with " + e + " instead of an IllegalArgumentException", e);
                    }
                    ParamGroups g = target.groups();
                    for (int i = 0; i < g.size(); i++) {
                        assertThat(g.lr(i)).as(what + ": lr of group " + i).isFinite().isGreaterThanOrEqualTo(0);
                        assertThat(Double.doubleToRawLongBits(g.lr(i))).as(what + ": lr of group " + i + " is -0.0")
                                .isNotEqualTo(Double.doubleToRawLongBits(-0.0));
                        assertThat(g.momentum(i)).as(what + ": momentum of group " + i).isFinite();
                    }
                    target = built(spec, targetAt); // it took the state: start again from a known one
                }
            }
            assertThat(refused).as(spec + ": refusals").isPositive();
        }, () -> spec + " took longer than " + PER_SPEC);
    }

    private static final Object REMOVE = new Object();

    /** Every key of every map and every index of every list, at any depth. */
    private static void collectPaths(Object node, List<Object> prefix, List<List<Object>> out) {
        if (node instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) node).entrySet()) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(e.getKey());
                out.add(p);
                collectPaths(e.getValue(), p, out);
            }
        } else if (node instanceof List) {
            List<?> l = (List<?>) node;
            for (int i = 0; i < l.size(); i++) {
                List<Object> p = new ArrayList<>(prefix);
                p.add(i);
                out.add(p);
                collectPaths(l.get(i), p, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static boolean set(Object root, List<Object> path, Object value) {
        Object node = root;
        for (int i = 0; i < path.size() - 1; i++) {
            Object k = path.get(i);
            node = node instanceof Map ? ((Map<Object, Object>) node).get(k) : ((List<Object>) node).get((Integer) k);
        }
        Object last = path.get(path.size() - 1);
        if (node instanceof Map) {
            if (value == REMOVE) {
                ((Map<Object, Object>) node).remove(last);
            } else {
                ((Map<Object, Object>) node).put(last, value);
            }
            return true;
        }
        if (value == REMOVE) {
            ((List<Object>) node).remove((int) (Integer) last);
        } else {
            ((List<Object>) node).set((Integer) last, value);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static <T> T deepCopy(T v) {
        if (v instanceof Map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            ((Map<?, ?>) v).forEach((k, x) -> out.put(k, deepCopy(x)));
            return (T) out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            ((List<?>) v).forEach(x -> out.add(deepCopy(x)));
            return (T) out;
        }
        return v;
    }
}
