package io.github.lr4j.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The contestants of {@link ScheduleFreeStepBenchmark}, timed round-robin in one JVM: each round
 * times a few steps of every contestant in turn, so a machine whose load drifts (other builds on the
 * same cores) slows them all alike and the ratios stay meaningful. Prints per contestant the median
 * ms per step, the bytes per parameter it must move (gradient check excluded), the GB/s that makes
 * and its time against the memory floor of its traffic pattern.
 * <pre>java -cp lr4j-benchmarks.jar io.github.lr4j.bench.ScheduleFreeStepRace [params] [rounds]</pre>
 */
public final class ScheduleFreeStepRace {
    private ScheduleFreeStepRace() {
    }

    static int bytesPerParameter(String contestant) {
        return contestant.equals("SGD") || contestant.equals("SGDScheduleFree") || contestant.equals("floor20") ? 20 : 28;
    }

    static String floorOf(String contestant) {
        return bytesPerParameter(contestant) == 20 ? "floor20" : "floor28";
    }

    public static void main(String[] args) {
        int params = args.length > 0 ? (int) Double.parseDouble(args[0]) : 10_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String[] names = {"SGD", "SGDScheduleFree", "floor20", "AdamW", "AdamWScheduleFree", "RAdamScheduleFree", "floor28"};
        List<ScheduleFreeStepBenchmark> contestants = new ArrayList<>();
        for (String name : names) {
            ScheduleFreeStepBenchmark b = new ScheduleFreeStepBenchmark();
            b.optimizer = name;
            b.params = params;
            b.setUp();
            contestants.add(b);
        }
        int stepsPerRound = Math.max(3, (int) (1e8 / (params * 28.0)));
        for (ScheduleFreeStepBenchmark b : contestants) { // JIT warm-up: about 2 s each
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                b.step();
            }
        }
        double[][] ms = new double[names.length][rounds * stepsPerRound];
        for (int round = 0; round < rounds; round++) {
            for (int c = 0; c < names.length; c++) {
                for (int s = 0; s < stepsPerRound; s++) {
                    long t0 = System.nanoTime();
                    contestants.get(c).step();
                    ms[c][round * stepsPerRound + s] = (System.nanoTime() - t0) / 1e6;
                }
            }
        }
        double[] median = new double[names.length];
        for (int c = 0; c < names.length; c++) {
            Arrays.sort(ms[c]);
            median[c] = ms[c][ms[c].length / 2];
        }
        System.out.printf(Locale.ROOT, "%d parameters, 1 tensor, 1 thread, gradient check on; %d rounds x %d steps%n", params,
                rounds, stepsPerRound);
        System.out.printf(Locale.ROOT, "%-18s %9s %6s %7s %9s%n", "contestant", "median ms", "B/param", "GB/s", "floor/time");
        for (int c = 0; c < names.length; c++) {
            int floor = Arrays.asList(names).indexOf(floorOf(names[c]));
            System.out.printf(Locale.ROOT, "%-18s %9.3f %6d %7.2f %8.0f%%%n", names[c], median[c], bytesPerParameter(names[c]),
                    (double) params * bytesPerParameter(names[c]) / (median[c] / 1e3) / 1e9, 100 * median[floor] / median[c]);
        }
    }
}
