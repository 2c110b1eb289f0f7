package io.github.lr4j.bench;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The cost of {@code lrAt(step, group)} far into a schedule: constant, whatever the step. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RandomAccessBenchmark {

    @Param({"MultiStepLR", "CosineAnnealingWarmRestarts", "OneCycleLR", "SequentialLR", "ChainedScheduler"})
    public String scheduler;

    @Param({"1000", "1000000000"})
    public long step;

    private Scheduler s;

    @Setup
    public void setUp() {
        ParamGroups pg = ParamGroups.withMomentum(MomentumKind.MOMENTUM, new double[] {0.1}, new double[] {0.9});
        s = ScheduleSpec.build(SchedulerStepBenchmark.expression(scheduler), pg);
    }

    @Benchmark
    public double lrAt() {
        return s.lrAt(step, 0);
    }
}
