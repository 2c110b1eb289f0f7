package io.github.lr4j.bench;

import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One optimizer step, with the non-finite gradient check (lr4j's default) and without it, so that
 * the check's cost is their ratio. Optimizers as in {@code bench/optim-vs-torch} ({@code sgd} has
 * momentum 0.9, {@code sgdplain} none). Defaults cover the check's targets for Adam and plain SGD;
 * the rest with e.g. {@code -p optimizer=rmsprop,adagrad -p threads=1,2 -p tensors=1,100}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
public class OptimizerStepBenchmark {

    @Param({"adam", "sgdplain"})
    public String optimizer;

    @Param({"1000000", "10000000"})
    public int params;

    @Param({"1"})
    public int tensors;

    @Param({"1"})
    public int threads;

    @Param({"true", "false"})
    public boolean checked;

    private Optimizer opt;

    @Setup(Level.Trial)
    public void setUp() {
        opt = OptimBenchServer.build(optimizer, params, tensors, threads);
        opt.nonFiniteGradients(checked ? NonFiniteGradients.FAIL : NonFiniteGradients.UNCHECKED);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        opt.close();
    }

    @Benchmark
    public boolean step() {
        return opt.step();
    }
}
