package io.github.lr4j.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.spec.ScheduleSpec;
import io.github.lr4j.spec.TraceRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the saved-state fixtures under {@code src/test/resources/state-fixtures/v1/}: each runs a
 * scheduler part way, saves the optimizer's groups and the scheduler's state, then records the lrs
 * and momenta the same run produced afterwards. {@link StateFixtureTest} loads them into schedulers
 * built by later code and checks they continue exactly. The v1 files were written by the code of
 * the first landing (before the schedule-layer redesign); never regenerate them in place, write a
 * new folder for a new state version instead.
 *
 * <pre>
 * ./mvnw -q -o test-compile -pl lr4j-core
 * ./mvnw -q -o dependency:build-classpath -pl lr4j-core -Dmdep.outputFile=/tmp/cp.txt
 * java -cp lr4j-core/target/test-classes:lr4j-core/target/classes:$(cat /tmp/cp.txt) \
 *     io.github.lr4j.scheduler.StateFixtures lr4j-core/src/test/resources/state-fixtures/v1
 * </pre>
 */
public final class StateFixtures {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StateFixtures() {
    }

    /** A user's schedule with its own class (not a lambda): a warm-up then 1/sqrt decay, cycling momentum. */
    static final class WarmupInverseSqrt implements Schedule {
        @Override
        public double lr(long step, int group, double baseLr) {
            return step < 4 ? baseLr * (step + 1) / 4.0 : baseLr * 2.0 / Math.sqrt(step);
        }

        @Override
        public double momentum(long step, int group) {
            return 0.95 - 0.1 * Math.min(step, 10) / 10.0;
        }

        @Override
        public boolean changesMomentum() {
            return true;
        }

        @Override
        public String toString() {
            return "WarmupInverseSqrt";
        }
    }

    /** The custom schedules fixtures may name in their {@code "custom"} field. */
    static LrScheduler custom(String name, ParamGroups groups) {
        if (name.equals("WarmupInverseSqrt")) {
            return Schedulers.custom(groups, new WarmupInverseSqrt());
        }
        throw new IllegalArgumentException("no custom schedule named " + name);
    }

    record Fixture(String name, String optimizer, List<Map<String, Object>> paramGroups, String scheduler, String custom,
                   int steps, int savedAt, List<Double> metrics, List<Double> epochs) {
    }

    private static final List<Map<String, Object>> SGD3 = List.of(
            Map.of("lr", 0.1, "momentum", 0.9), Map.of("lr", 0.05, "momentum", 0.0), Map.of("lr", 0.01, "momentum", 0.5));
    private static final List<Map<String, Object>> SGD1 = List.of(Map.of("lr", 0.1, "momentum", 0.9));
    private static final List<Map<String, Object>> ADAM2 = List.of(
            Map.of("lr", 0.001, "betas", List.of(0.9, 0.999)), Map.of("lr", 0.0005, "betas", List.of(0.85, 0.99)));
    private static final List<Map<String, Object>> ADAGRAD1 = List.of(Map.of("lr", 0.01));

    static Fixture of(String name, String optimizer, List<Map<String, Object>> groups, String scheduler, int steps, int savedAt) {
        return new Fixture(name, optimizer, groups, scheduler, null, steps, savedAt, null, null);
    }

    static List<Fixture> fixtures() {
        List<Double> losses = new ArrayList<>();
        double v = 1.0;
        for (int i = 0; i < 30; i++) {
            v = i < 6 ? v * 0.8 : v;
            losses.add(v + (i % 3) * 0.001);
        }
        List<Double> cawrEpochs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            cawrEpochs.add(i * 0.75);
        }
        return List.of(
            of("lambda", "SGD", SGD3, "LambdaLR(lr_lambda=lambda e: 0.97 ** e)", 25, 9),
            of("lambda_per_group", "SGD", SGD3,
                    "LambdaLR([lambda e: 1 / (e + 1), lambda e: 0.5 if e > 4 else 1.0, lambda e: 1.0])", 20, 6),
            of("multiplicative", "SGD", SGD3, "MultiplicativeLR(lr_lambda=lambda e: 0.9 if e % 3 == 0 else 1.0)", 20, 7),
            of("step", "SGD", SGD3, "StepLR(step_size=3, gamma=0.5)", 20, 7),
            of("multistep", "SGD", SGD3, "MultiStepLR(milestones=[3, 3, 7, 12], gamma=0.3)", 20, 5),
            of("constant", "SGD", SGD3, "ConstantLR(factor=0.25, total_iters=6)", 12, 4),
            of("linear", "Adam", ADAM2, "LinearLR(start_factor=0.1, end_factor=1.0, total_iters=8)", 14, 3),
            of("exponential", "SGD", SGD3, "ExponentialLR(gamma=0.9)", 20, 11),
            of("polynomial", "Adagrad", ADAGRAD1, "PolynomialLR(total_iters=10, power=2.0)", 14, 6),
            of("cosine", "SGD", SGD3, "CosineAnnealingLR(T_max=10, eta_min=0.001)", 30, 13),
            of("cosine_warm_restarts", "SGD", SGD3, "CosineAnnealingWarmRestarts(T_0=3, T_mult=2, eta_min=0.0001)", 30, 11),
            new Fixture("cosine_warm_restarts_fractional", "SGD", SGD1, "CosineAnnealingWarmRestarts(T_0=2, T_mult=2)",
                    null, 24, 9, null, cawrEpochs),
            of("cyclic_triangular2", "SGD", SGD3,
                    "CyclicLR(base_lr=0.001, max_lr=[0.01, 0.02, 0.03], step_size_up=4, step_size_down=3, mode='triangular2')", 30, 13),
            of("cyclic_exp_range_adam", "Adam", ADAM2,
                    "CyclicLR(base_lr=0.0001, max_lr=0.001, step_size_up=5, mode='exp_range', gamma=0.95, base_momentum=0.8, max_momentum=0.9)",
                    30, 8),
            of("cyclic_scale_fn", "SGD", SGD1,
                    "CyclicLR(base_lr=0.001, max_lr=0.01, step_size_up=2, scale_fn=lambda x: 1 / x, scale_mode='cycle')", 20, 7),
            of("onecycle", "SGD", SGD3, "OneCycleLR(max_lr=[0.3, 0.2, 0.1], total_steps=30)", 30, 12),
            of("onecycle_three_phase_adam", "Adam", ADAM2,
                    "OneCycleLR(max_lr=0.01, epochs=4, steps_per_epoch=6, anneal_strategy='linear', three_phase=True)", 24, 10),
            of("onecycle_no_momentum", "Adagrad", ADAGRAD1, "OneCycleLR(max_lr=0.5, total_steps=16, cycle_momentum=False)", 16, 5),
            new Fixture("plateau", "SGD", SGD3, "ReduceLROnPlateau(patience=2, cooldown=1, factor=0.5, min_lr=[0.01, 0.001, 0.0])",
                    null, 30, 14, losses, null),
            of("sequential", "SGD", SGD3,
                    "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=20)], milestones=[5])", 30, 8),
            of("sequential_three", "SGD", SGD3,
                    "SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=2), ExponentialLR(gamma=0.9), StepLR(step_size=2)], milestones=[3, 9])",
                    20, 10),
            of("sequential_multiplicative", "SGD", SGD3,
                    "SequentialLR(schedulers=[StepLR(step_size=2, gamma=0.5), MultiplicativeLR(lr_lambda=lambda e: 0.9)], milestones=[5])",
                    20, 9),
            of("chained", "SGD", SGD3, "ChainedScheduler([ConstantLR(factor=0.1, total_iters=2), ExponentialLR(gamma=0.9)])", 20, 6),
            of("chained_cosine_eta", "SGD", SGD3,
                    "ChainedScheduler([CosineAnnealingLR(T_max=6, eta_min=0.001), ExponentialLR(gamma=0.95)])", 20, 9),
            of("chained_onecycle", "SGD", SGD3, "ChainedScheduler([OneCycleLR(max_lr=0.1, total_steps=30), ExponentialLR(gamma=0.95)])", 29, 15),
            of("nested_sequential_of_chained", "SGD", SGD3,
                    "SequentialLR(schedulers=[ChainedScheduler([LinearLR(start_factor=0.2, total_iters=4), ExponentialLR(gamma=0.95)]),"
                    + " CosineAnnealingLR(T_max=12, eta_min=0.001)], milestones=[6])", 24, 7),
            of("nested_chained_of_sequential", "SGD", SGD3,
                    "ChainedScheduler([SequentialLR(schedulers=[ConstantLR(factor=0.5, total_iters=3), StepLR(step_size=3, gamma=0.5)],"
                    + " milestones=[4]), ExponentialLR(gamma=0.98)])", 20, 9),
            of("nested_sequential_of_sequential", "SGD", SGD3,
                    "SequentialLR(schedulers=[SequentialLR(schedulers=[LinearLR(start_factor=0.5, total_iters=2), ExponentialLR(gamma=0.9)],"
                    + " milestones=[3]), MultiStepLR(milestones=[2, 5], gamma=0.1)], milestones=[7])", 20, 8),
            new Fixture("custom", "SGD", SGD3, null, "WarmupInverseSqrt", 20, 6, null, null));
    }

    static ParamGroups groups(Fixture f) {
        return TraceRunner.groups(f.optimizer(), f.paramGroups());
    }

    static Scheduler build(Fixture f, ParamGroups groups) {
        return f.custom() != null ? custom(f.custom(), groups) : ScheduleSpec.build(f.scheduler(), groups);
    }

    /** One step: the metric, the explicit epoch, or a plain step. */
    static void step(Scheduler s, List<Double> metrics, List<Double> epochs, int i) {
        if (metrics != null) {
            ((MetricScheduler) s).step(metrics.get(i));
        } else if (epochs != null) {
            ((LrScheduler) s).step(epochs.get(i).doubleValue());
        } else {
            ((LrScheduler) s).step();
        }
    }

    static Map<String, Object> snapshot(ParamGroups groups) {
        List<Object> lr = new ArrayList<>();
        List<Object> momentum = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            lr.add(groups.lr(g));
            momentum.add(groups.momentumKind() == MomentumKind.NONE ? null : groups.momentum(g));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lr", lr);
        out.put("momentum", momentum);
        return out;
    }

    /** What an optimizer checkpoint keeps of each group: lr, initial lr, momentum. */
    static List<Object> optimizerGroups(ParamGroups groups) {
        List<Object> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lr", groups.lr(g));
            m.put("initial_lr", SchedulerState.jsonNumber(groups.initialLr(g))); // NaN until a scheduler sets it
            m.put("momentum", groups.momentumKind() == MomentumKind.NONE ? null : groups.momentum(g));
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> record(Fixture f) {
        ParamGroups groups = groups(f);
        Scheduler s = build(f, groups);
        for (int i = 0; i < f.savedAt(); i++) {
            step(s, f.metrics(), f.epochs(), i);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", f.name());
        out.put("optimizer", f.optimizer());
        out.put("param_groups", f.paramGroups());
        out.put("scheduler", f.scheduler());
        out.put("custom", f.custom());
        out.put("steps", f.steps());
        out.put("saved_at", f.savedAt());
        out.put("metrics", f.metrics());
        out.put("epochs", f.epochs());
        out.put("optimizer_groups", optimizerGroups(groups));
        out.put("state", s.state().toMap());
        List<Object> continuation = new ArrayList<>();
        continuation.add(snapshot(groups));
        for (int i = f.savedAt(); i < f.steps(); i++) {
            step(s, f.metrics(), f.epochs(), i);
            continuation.add(snapshot(groups));
        }
        out.put("continuation", continuation);
        return out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: StateFixtures OUTPUT_FOLDER");
        }
        Path dir = Paths.get(args[0]);
        Files.createDirectories(dir);
        for (Fixture f : fixtures()) {
            JSON.writeValue(dir.resolve(f.name() + ".json").toFile(), record(f));
            System.out.println("wrote " + f.name());
        }
    }
}
