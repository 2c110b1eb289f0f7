package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.optim.HyperParameters;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import io.github.lr4j.scheduler.SchedulerState;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The driver's rules, engine-neutral: an engine that asks for the values of K updates at once ({@link
 * ScheduleDriver#plan}, Spark's local steps) gets exactly what an engine stepping after every update (lr4j's loop, the
 * DJL listener) gives, for every kind of schedule a run can hold, with the same metrics fed at the epoch ends.
 */
class ScheduleDriverTest {
    private static final int EPOCHS = 6;
    private static final int PER_EPOCH = 7;

    static Stream<Arguments> recipes() {
        return Stream.of(
            Arguments.of("SGD(lr=0.1, momentum=0.9)", "StepLR(step_size=2, gamma=0.5)", Map.of(), null),
            Arguments.of("SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)", "OneCycleLR(max_lr=0.1, total_steps=total_steps)",
                    Map.of(), null),
            Arguments.of("AdamW(lr=1e-3)", "hf.get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=5,"
                    + " num_training_steps=total_steps)", Map.of(), null),
            Arguments.of("SGD(lr=0.1)", "timm.CosineLRScheduler(optimizer, t_initial=epochs, warmup_t=1, warmup_lr_init=0.01)",
                    Map.of(), Interval.EPOCH),
            Arguments.of("SGD(lr=0.1, momentum=0.9)", "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=2),"
                    + " ReduceLROnPlateau(patience=1, factor=0.5)], milestones=[2])", Map.of(), Interval.EPOCH),
            Arguments.of("SGD(lr=0.1, momentum=0.9, weight_decay=1e-3)", "CosineAnnealingLR(T_max=total_steps)",
                    Map.of("weight_decay", "LinearLR(start_factor=1.0, end_factor=0.1, total_iters=total_steps)"), null),
            Arguments.of("Adam(lr=1e-3)", "CyclicLR(base_lr=1e-4, max_lr=1e-3, step_size_up=4, cycle_momentum=False)",
                    Map.of("beta2", "CosineAnnealingLR(T_max=total_steps, eta_min=0.99)"), Interval.STEP));
    }

    /** One run of the schedule over a fixed metric sequence; K = 0: step after each update, else plan K at a time. */
    private static List<double[]> run(String optimizer, String lr, Map<String, String> hyper, Interval interval, int k) {
        Optimizer opt = Optimizers.parse(optimizer);
        opt.addParamGroup(List.of(Parameter.zeros("w", 3)));
        opt.addParamGroup(List.of(Parameter.zeros("b", 2)), Map.of("lr", Optimizers.parse(optimizer).defaultValue("lr") / 10));
        ScheduleDriver driver = new ScheduleDriver();
        driver.addAll(ScheduleDriver.build(opt, lr, hyper, interval, PER_EPOCH, EPOCHS));
        HyperParameters hp = HyperParameters.of(opt);
        Random metrics = new Random(42);
        List<double[]> used = new ArrayList<>();
        long updates = 0;
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            driver.beforeEpoch(epoch);
            int done = 0;
            while (done < PER_EPOCH) {
                int n = k == 0 ? 1 : Math.min(k, PER_EPOCH - done);
                if (k == 0) {
                    used.add(values(opt, hp));
                    driver.afterUpdate(updates + 1, epoch);
                } else {
                    ScheduleDriver.Plan plan = driver.plan(opt, updates, epoch, n);
                    for (int i = 0; i < n; i++) {
                        List<Double> row = new ArrayList<>();
                        for (int g = 0; g < opt.size(); g++) {
                            row.add(plan.lrs()[i][g]);
                            row.add(plan.momenta() == null ? opt.momentum(g) : plan.momenta()[i][g]);
                            for (int h = 0; h < plan.hyperNames().size(); h++) {
                                row.add(plan.hyper()[i][h][g]);
                            }
                        }
                        used.add(row.stream().mapToDouble(Double::doubleValue).toArray());
                    }
                }
                updates += n;
                done += n;
            }
            driver.afterEpoch(epoch, OptionalDouble.of(1.0 + metrics.nextInt(3) * 0.1));
        }
        return used;
    }

    private static double[] values(Optimizer opt, HyperParameters hp) {
        List<Double> row = new ArrayList<>();
        for (int g = 0; g < opt.size(); g++) {
            row.add(opt.lr(g));
            row.add(opt.momentum(g));
            for (String name : hp.schedulable()) {
                row.add(hp.get(g, name));
            }
        }
        return row.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @ParameterizedTest
    @MethodSource("recipes")
    void planningKUpdatesAtOnce_givesWhatSteppingAfterEachUpdateGives(String optimizer, String lr, Map<String, String> hyper,
                                                                        Interval interval) {
        List<double[]> stepped = run(optimizer, lr, hyper, interval, 0);
        for (int k : new int[] {1, 3, 8}) {
            List<double[]> planned = run(optimizer, lr, hyper, interval, k);
            assertThat(planned).hasSameSizeAs(stepped);
            for (int i = 0; i < stepped.size(); i++) {
                assertThat(planned.get(i)).as("update %d, K=%d", i + 1, k).containsExactly(stepped.get(i));
            }
        }
        // The schedule really moved (a constant trace would make the comparison empty).
        assertThat(stepped.get(stepped.size() - 1)[0]).isNotEqualTo(stepped.get(0)[0]);
    }

    @Test
    void swaSchedulerTakesOverTheLr_hyperParameterSchedulesKeepRunning() {
        Optimizer opt = Optimizers.parse("SGD(lr=0.1, momentum=0.9, weight_decay=1e-3)");
        opt.addParamGroup(List.of(Parameter.zeros("w", 3)));
        ScheduleDriver driver = new ScheduleDriver();
        Map<String, String> hyper = new LinkedHashMap<>();
        hyper.put("weight_decay", "LinearLR(start_factor=1.0, end_factor=0.1, total_iters=total_steps)");
        driver.addAll(ScheduleDriver.build(opt, "CosineAnnealingLR(T_max=total_steps)", hyper, Interval.STEP, 4, 4));
        driver.swa(3, () -> ScheduleSpec.build("SWALR(swa_lr=0.05, anneal_epochs=1)", opt));
        long updates = 0;
        double lrBeforeSwa = 0;
        double wdBeforeSwa = 0;
        for (int epoch = 0; epoch < 4; epoch++) {
            driver.beforeEpoch(epoch);
            if (epoch == 2) {
                assertThat(driver.swaScheduler()).isNotNull();
                lrBeforeSwa = opt.lr(0);
                wdBeforeSwa = HyperParameters.of(opt).get(0, "weight_decay");
            }
            for (int i = 0; i < 4; i++) {
                driver.afterUpdate(++updates, epoch);
            }
            if (epoch == 2) {
                assertThat(opt.lr(0)).as("the cosine stopped in the SWA phase").isEqualTo(lrBeforeSwa);
                assertThat(HyperParameters.of(opt).get(0, "weight_decay")).as("weight decay kept running")
                        .isLessThan(wdBeforeSwa);
            }
            driver.afterEpoch(epoch, OptionalDouble.empty());
        }
        assertThat(opt.lr(0)).as("SWALR annealed to swa_lr").isEqualTo(0.05);
    }

    @Test
    void aMetricDrivenScheduleWithoutAMetric_failsNamingIt_andNothingSteps() {
        Optimizer opt = Optimizers.parse("SGD(lr=0.1)");
        opt.addParamGroup(List.of(Parameter.zeros("w", 3)));
        ScheduleDriver driver = new ScheduleDriver();
        driver.addAll(ScheduleDriver.build(opt, "ReduceLROnPlateau(patience=0)", Map.of(), null, 4, 4));
        assertThatThrownBy(() -> driver.afterEpoch(0, OptionalDouble.empty())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ReduceLROnPlateau needs a validation metric");
    }

    @Test
    void aRefusedRestore_putsEverySchedulerAndTheGroupsBack() {
        Optimizer opt = Optimizers.parse("SGD(lr=0.1, momentum=0.9)");
        opt.addParamGroup(List.of(Parameter.zeros("w", 3)));
        ScheduleDriver driver = new ScheduleDriver();
        driver.addAll(ScheduleDriver.build(opt, "OneCycleLR(max_lr=0.1, total_steps=total_steps)",
                Map.of("weight_decay", "ConstantLR(factor=0.5, total_iters=3)"), Interval.STEP, 5, 2));
        for (int i = 1; i <= 4; i++) {
            driver.afterUpdate(i, 0);
        }
        List<SchedulerState> before = driver.states();
        double lr = opt.lr(0);
        double momentum = opt.momentum(0);
        List<SchedulerState> bad = new ArrayList<>(driver.states());
        bad.set(1, SchedulerState.of(Map.of("type", "StepLR", "version", 1)));
        // A longer run retargets the first, then the second refuses: the first must be put back too.
        assertThatThrownBy(() -> driver.restore("test", bad, null, 2, 3, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(driver.states().stream().map(SchedulerState::toMap).toList())
                .isEqualTo(before.stream().map(SchedulerState::toMap).toList());
        assertThat(opt.lr(0)).isEqualTo(lr);
        assertThat(opt.momentum(0)).isEqualTo(momentum);
    }
}
