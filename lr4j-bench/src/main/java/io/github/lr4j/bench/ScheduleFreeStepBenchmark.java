package io.github.lr4j.bench;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import java.util.List;
import java.util.Map;
import java.util.Random;
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

/**
 * One optimizer step over one tensor on one thread, with the default non-finite gradient check:
 * the schedule-free optimizers beside SGD (momentum 0.9) and AdamW, and the memory floor of each
 * traffic pattern: {@code floor20} reads g and reads and writes two arrays (SGD, SGDScheduleFree:
 * 20 bytes per parameter), {@code floor28} three (AdamW, AdamWScheduleFree, RAdamScheduleFree:
 * 28 bytes), with one addition per element and no check.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class ScheduleFreeStepBenchmark {

    @Param({"SGD", "SGDScheduleFree", "floor20", "AdamW", "AdamWScheduleFree", "RAdamScheduleFree", "floor28"})
    public String optimizer;

    @Param({"1000000", "10000000"})
    public int params;

    private Optimizer opt;
    private float[] g;
    private float[] a;
    private float[] b;
    private float[] c;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        float[] data = new float[params];
        g = new float[params];
        for (int i = 0; i < params; i++) {
            data[i] = (float) random.nextGaussian();
            g[i] = (float) (random.nextGaussian() * 1e-3);
        }
        if (optimizer.startsWith("floor")) {
            a = data;
            b = new float[params];
            c = optimizer.equals("floor28") ? new float[params] : null;
            return;
        }
        Map<String, Object> options = optimizer.equals("SGD") ? Map.of("lr", 1e-3, "momentum", 0.9) : Map.of("lr", 1e-3);
        opt = Optimizers.create(optimizer, options);
        Parameter p = Parameter.of("p", data);
        p.setGrad(g);
        opt.addParamGroup(List.of(p));
    }

    @Benchmark
    public Object step() {
        if (opt != null) {
            return opt.step();
        }
        if (c == null) {
            for (int i = 0; i < params; i++) {
                float gi = g[i];
                a[i] += gi;
                b[i] += gi;
            }
        } else {
            for (int i = 0; i < params; i++) {
                float gi = g[i];
                a[i] += gi;
                b[i] += gi;
                c[i] += gi;
            }
        }
        return a;
    }
}
