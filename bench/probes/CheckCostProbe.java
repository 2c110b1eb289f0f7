package io.github.lr4j.optim;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The check's cost in one process, without the benchmark server: checked steps, unchecked steps, the scan alone and
 * "scan, then an unchecked step" timed in turn (12 rounds, the medians of rounds 5-12 averaged), one tensor. Prints
 * check = checked / unchecked, floor = (unchecked + scan) / unchecked, in-sequence = (scan then unchecked) /
 * unchecked. Used for the A/B of the two scan forms in BENCHMARKS.md ("The floor of a separate check pass").
 * In the package of the scan to reach it, so it is compiled rather than run as a source file:
 *   ./mvnw -q -pl lr4j-optim -am compile
 *   javac -cp lr4j-optim/target/classes:lr4j-core/target/classes -d target/probes bench/probes/CheckCostProbe.java
 *   java [-Dlr4j.gradientScan=multiply|conversion] -cp lr4j-optim/target/classes:lr4j-core/target/classes:target/probes \
 *        io.github.lr4j.optim.CheckCostProbe Adam|SGD|RMSprop|Adagrad PARAMS [THREADS]
 */
public final class CheckCostProbe {
    private CheckCostProbe() {
    }

    static boolean scan(List<Parameter> params) {
        boolean finite = true;
        for (Parameter p : params) {
            finite &= Kernels.allFinite(p.grad(), 0, p.size());
        }
        return finite;
    }

    public static void main(String[] args) {
        String name = args[0];
        int n = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Optimizer opt = Optimizers.create(name, Map.of("lr", name.equals("Adam") ? 1e-3 : 1e-2)).threads(threads);
        Random random = new Random(1);
        Parameter p = Parameter.of("p", new float[n]);
        for (int i = 0; i < n; i++) {
            p.data()[i] = (float) random.nextGaussian();
            p.grad()[i] = (float) (random.nextGaussian() * 1e-3);
        }
        List<Parameter> params = List.of(p);
        opt.addParamGroup(params);
        int reps = Math.max(10, (int) (2e9 / n / 28));
        String[] names = {"checked", "unchecked", "scan", "scan+unchecked"};
        double[] sum = new double[names.length];
        for (int round = 0; round < 12; round++) {
            for (int k = 0; k < names.length; k++) {
                long[] t = new long[reps];
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    if (k == 2 || k == 3) {
                        if (!scan(params)) {
                            throw new IllegalStateException("the probe's gradients are finite");
                        }
                    }
                    if (k != 2) {
                        opt.nonFiniteGradients(k == 0 ? NonFiniteGradients.FAIL : NonFiniteGradients.UNCHECKED);
                        opt.step();
                    }
                    t[i] = System.nanoTime() - t0;
                }
                Arrays.sort(t);
                if (round >= 4) {
                    sum[k] += t[reps / 2] / 1e6;
                }
            }
        }
        System.out.printf("%s %,d params, %d thread(s), Java %s, %s scan: check %.2fx  floor %.2fx  in-sequence %.2fx"
                        + "  (checked %.4f, unchecked %.4f, scan %.4f ms)%n", name, n, threads, Runtime.version().feature(),
                GradientScan.FORM.name().toLowerCase(java.util.Locale.ROOT), sum[0] / sum[1], (sum[1] + sum[2]) / sum[1],
                sum[3] / sum[1], sum[0] / 8, sum[1] / 8, sum[2] / 8);
        opt.close();
    }
}
