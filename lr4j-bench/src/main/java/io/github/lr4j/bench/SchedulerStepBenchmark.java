package io.github.lr4j.bench;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.Arrays;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one {@code scheduler.step()} (the call on every training iteration's path), with one,
 * ten or a hundred param groups. Run with {@code -prof gc} to see allocation per step (it should be ~0).
 * Schedules are sized so that no run reaches their end (OneCycleLR would refuse to step further).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SchedulerStepBenchmark {

    @Param({"StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "CosineAnnealingWarmRestarts", "CyclicLR",
        "OneCycleLR", "SequentialLR", "ChainedScheduler", "ReduceLROnPlateau"})
    public String scheduler;

    @Param({"1", "10", "100"})
    public int groups;

    /** Metrics for ReduceLROnPlateau (time-based schedulers ignore them), made once: stepping must not allocate. */
    private static final OptionalDouble BETTER = OptionalDouble.of(0.5);
    private static final OptionalDouble WORSE = OptionalDouble.of(1.0);

    private Scheduler s;
    private boolean improve;

    static String expression(String name) {
        switch (name) {
            case "StepLR": return "StepLR(step_size=1000, gamma=0.999999)";
            case "MultiStepLR": return "MultiStepLR(milestones=[1000, 2000, 5000, 10000, 100000], gamma=0.5)";
            case "ExponentialLR": return "ExponentialLR(gamma=0.9999999)";
            case "CosineAnnealingLR": return "CosineAnnealingLR(T_max=100000, eta_min=0.0001)";
            case "CosineAnnealingWarmRestarts": return "CosineAnnealingWarmRestarts(T_0=1000, T_mult=2)";
            case "CyclicLR": return "CyclicLR(base_lr=0.001, max_lr=0.1, step_size_up=2000, mode='triangular2')";
            case "OneCycleLR": return "OneCycleLR(max_lr=0.1, total_steps=4000000000)";
            case "SequentialLR": return "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=1000),"
                    + " CosineAnnealingLR(T_max=100000)], milestones=[1000])";
            case "ChainedScheduler": return "ChainedScheduler([ConstantLR(factor=0.5, total_iters=1000),"
                    + " ExponentialLR(gamma=0.9999999)])";
            case "ReduceLROnPlateau": return "ReduceLROnPlateau(patience=5, cooldown=2)";
            default: throw new IllegalArgumentException(name);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        double[] lrs = new double[groups];
        Arrays.fill(lrs, 0.1);
        ParamGroups pg = ParamGroups.withMomentum(MomentumKind.MOMENTUM, lrs, new double[] {0.9});
        s = ScheduleSpec.build(expression(scheduler), pg);
    }

    @Benchmark
    public double step() {
        improve = !improve; // alternates: some steps improve, some do not
        s.step(improve ? BETTER : WORSE);
        return s.lastLr(0);
    }
}
