package io.github.lr4j.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Why lr4j calls its Java 17 gradient scan through a method handle (GradientScan): inlined into a loop over tensors,
 * HotSpot 17 stopped vectorizing it. Scans one gradient held by a Parameter, in a loop over a parameter list, for
 * three rounds of two sizes, and prints the best rate of the last round:
 *   direct   GradientScan.byMultiplication called in the loop (the JIT inlines it)
 *   lr4j     Kernels.allFinite, what the optimizer calls (on 17-24: the scan behind a non-constant method handle)
 * 2026-11-29, HotSpot 17.0.15, three runs each: direct 14 GB/s at 10⁵ and 50-55 GB/s at 10⁶; lr4j 55-57 and 49-51
 * GB/s (BENCHMARKS.md, "The check"). Which sizes suffer depends on what the JIT compiled first; JMH's own loop
 * (GradientCheckBenchmark) does not reproduce it.
 * In the package of the scan to reach it, so it is compiled rather than run as a source file:
 *   ./mvnw -q -pl lr4j-optim -am compile
 *   javac -cp lr4j-optim/target/classes -d target/probes bench/probes/InlinedScanProbe.java
 *   java -cp lr4j-optim/target/classes:target/probes io.github.lr4j.optim.InlinedScanProbe direct
 */
public final class InlinedScanProbe {
    private InlinedScanProbe() {
    }

    static boolean scanAll(List<Parameter> params, boolean direct) {
        boolean finite = true;
        for (Parameter p : params) {
            finite &= direct ? GradientScan.byMultiplication(p.grad(), 0, p.size()) : Kernels.allFinite(p.grad(), 0, p.size());
        }
        return finite;
    }

    public static void main(String[] args) {
        boolean direct = args.length > 0 && args[0].equals("direct");
        System.out.println((direct ? "direct" : "lr4j (" + GradientScan.FORM + ")") + " on Java " + Runtime.version());
        Random random = new Random(1);
        for (int round = 0; round < 3; round++) {
            for (int n : new int[] {100_000, 1_000_000}) {
                Parameter p = Parameter.of("p", new float[n]);
                for (int i = 0; i < n; i++) {
                    p.grad()[i] = (float) (random.nextGaussian() * 1e-3);
                }
                List<Parameter> params = new ArrayList<>(List.of(p));
                long best = Long.MAX_VALUE;
                boolean finite = true;
                for (int pass = 0; pass < Math.max(20, 200_000_000 / n); pass++) {
                    long t0 = System.nanoTime();
                    finite &= scanAll(params, direct);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                if (round == 2) {
                    System.out.printf("N=%-8d %.1f GB/s (finite: %b)%n", n, 4.0 * n / best, finite);
                }
            }
        }
    }
}
