package io.github.lr4j.optim;

import java.util.ArrayList;
import java.util.List;
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
 * The non-finite gradient check alone, over one gradient of {@code size} floats: {@link Kernels#allFinite} (the form
 * {@link GradientScan} chose for this JVM), each of {@link GradientScan}'s two forms, and the forms they replaced
 * or beat (kept here, not in lr4j, as the measured evidence). Per-element cost in cache (10⁴) shows what HotSpot
 * vectorized; 10⁶ reads from L3, 10⁷ (40 MB) from memory. In this package to reach the package-private kernels.
 * Run it on each JDK you care about: which form vectorizes depends on the JIT.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GradientCheckBenchmark {

    @Param({"10000", "1000000", "10000000"})
    public int size;

    private float[] g;

    /** The same gradient as the one tensor of a parameter list, for the scans called in a loop over tensors. */
    private List<Parameter> tensors;

    @Setup
    public void setUp() {
        Random random = new Random(1);
        g = new float[size];
        for (int i = 0; i < size; i++) {
            g[i] = (float) (random.nextGaussian() * 1e-3);
        }
        Parameter p = Parameter.of("p", new float[size]);
        System.arraycopy(g, 0, p.grad(), 0, size);
        tensors = new ArrayList<>(List.of(p));
    }

    @Benchmark
    public boolean allFinite() {
        return Kernels.allFinite(g, 0, size);
    }

    /**
     * What the optimizer does: allFinite per tensor in a loop (on 17-24 through the method handle the JIT cannot
     * inline; bench/probes/InlinedScanProbe.java shows what that prevents, which JMH's own loop does not reproduce).
     */
    @Benchmark
    public boolean allFiniteInALoopOverTensors() {
        boolean finite = true;
        for (Parameter p : tensors) {
            finite &= Kernels.allFinite(p.grad(), 0, p.size());
        }
        return finite;
    }

    @Benchmark
    public boolean byConversion() {
        return GradientScan.byConversion(g, 0, size);
    }

    @Benchmark
    public boolean byMultiplication() {
        return GradientScan.byMultiplication(g, 0, size);
    }

    /** An earlier lr4j check (Kernels.maxAbs): four max/abs streams combined element-wise, one reduction per four vectors. */
    @Benchmark
    public float maxAbs() {
        int quarter = size / 4;
        float max = 0f;
        for (int i = 0; i < quarter; i++) {
            max = Math.max(max, Math.max(Math.max(Math.abs(g[i]), Math.abs(g[quarter + i])),
                    Math.max(Math.abs(g[2 * quarter + i]), Math.abs(g[3 * quarter + i]))));
        }
        for (int i = 4 * quarter; i < size; i++) {
            max = Math.max(max, Math.abs(g[i]));
        }
        return max;
    }

    /** lr4j's previous check: four separate max/abs reductions (not vectorized). */
    @Benchmark
    public float fourSeparateMaxReductions() {
        int quarter = size / 4;
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        for (int i = 0; i < quarter; i++) {
            a0 = Math.max(a0, Math.abs(g[i]));
            a1 = Math.max(a1, Math.abs(g[quarter + i]));
            a2 = Math.max(a2, Math.abs(g[2 * quarter + i]));
            a3 = Math.max(a3, Math.abs(g[3 * quarter + i]));
        }
        for (int i = 4 * quarter; i < size; i++) {
            a0 = Math.max(a0, Math.abs(g[i]));
        }
        return Math.max(Math.max(a0, a1), Math.max(a2, a3));
    }

    /** One max/abs stream: vectorized by C2 17, but each vector is reduced inside the loop. */
    @Benchmark
    public float oneMaxReduction() {
        float max = 0f;
        for (int i = 0; i < size; i++) {
            max = Math.max(max, Math.abs(g[i]));
        }
        return max;
    }

    /** The exponent test on the raw bits (all ones = non-finite): C2 17 and 25 do not vectorize floatToRawIntBits. */
    @Benchmark
    public boolean exponentBits() {
        int any = 0;
        for (int i = 0; i < size; i++) {
            any |= (Float.floatToRawIntBits(g[i]) & 0x7fffffff) + 0x00800000; // sign bit set iff exponent all ones
        }
        return any >= 0;
    }
}
