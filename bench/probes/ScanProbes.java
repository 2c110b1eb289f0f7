import java.lang.reflect.Field;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import sun.misc.Unsafe;

/**
 * How fast can a gradient check read? Four scans of one float[] of N finite values, best of many passes, in ns per
 * float (see BENCHMARKS.md, "The check" and "The floor of a separate check pass"):
 *   timesZero  lr4j's scan on Java 17-24: max of x * 0 over four streams (C2 vectorizes it, reducing in the loop)
 *   conversion lr4j's scan on Java 25+: (int) of a sum of four x * 0 plus 1, AND-reduced (vectorized by HotSpot 25)
 *   unsafeOr   the exponent bits read as ints through sun.misc.Unsafe, OR-reduced over four streams
 *   vectorApi  jdk.incubator.vector: four streams, lane-wise accumulators, one reduction after the loop
 * Run: java --add-modules jdk.incubator.vector bench/probes/ScanProbes.java 1000000 (with Java 17's and 25's java)
 * Not part of the build (it needs the incubator module and Unsafe); a probe for the numbers in BENCHMARKS.md.
 */
public class ScanProbes {
    static final Unsafe U;
    static final long BASE;
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    static {
        try {
            Field f = Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            U = (Unsafe) f.get(null);
            BASE = U.arrayBaseOffset(float[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static boolean timesZero(float[] g, int from, int to) {
        int quarter = (to - from) / 4, b1 = from + quarter, b2 = b1 + quarter, b3 = b2 + quarter;
        float nan = 0f;
        for (int i = 0; i < quarter; i++) {
            nan = Math.max(nan, g[from + i] * 0f + g[b1 + i] * 0f + g[b2 + i] * 0f + g[b3 + i] * 0f);
        }
        for (int i = from + 4 * quarter; i < to; i++) {
            nan = Math.max(nan, g[i] * 0f);
        }
        return nan == 0f;
    }

    static boolean conversion(float[] g, int from, int to) {
        int quarter = (to - from) / 4, b1 = from + quarter, b2 = b1 + quarter, b3 = b2 + quarter, all = 1;
        for (int i = 0; i < quarter; i++) {
            all &= (int) (g[from + i] * 0f + g[b1 + i] * 0f + g[b2 + i] * 0f + g[b3 + i] * 0f + 1f);
        }
        for (int i = from + 4 * quarter; i < to; i++) {
            all &= (int) (g[i] * 0f + 1f);
        }
        return all == 1;
    }

    static int bits(float[] g, int i) {
        return (U.getInt(g, BASE + 4L * i) & 0x7f800000) + 0x00800000; // sign bit set iff the exponent is all ones
    }

    static boolean unsafeOr(float[] g, int from, int to) {
        int quarter = (to - from) / 4, b1 = from + quarter, b2 = b1 + quarter, b3 = b2 + quarter, any = 0;
        for (int i = 0; i < quarter; i++) {
            any |= bits(g, from + i) | bits(g, b1 + i) | bits(g, b2 + i) | bits(g, b3 + i);
        }
        for (int i = from + 4 * quarter; i < to; i++) {
            any |= bits(g, i);
        }
        return any >= 0;
    }

    static boolean vectorApi(float[] g, int from, int to) {
        int lanes = F.length();
        int q = ((to - from) / (4 * lanes)) * lanes, b1 = from + q, b2 = b1 + q, b3 = b2 + q;
        IntVector a0 = IntVector.zero(IntVector.SPECIES_PREFERRED), a1 = a0, a2 = a0, a3 = a0;
        for (int i = 0; i < q; i += lanes) {
            a0 = a0.or(FloatVector.fromArray(F, g, from + i).reinterpretAsInts().and(0x7f800000).add(0x00800000));
            a1 = a1.or(FloatVector.fromArray(F, g, b1 + i).reinterpretAsInts().and(0x7f800000).add(0x00800000));
            a2 = a2.or(FloatVector.fromArray(F, g, b2 + i).reinterpretAsInts().and(0x7f800000).add(0x00800000));
            a3 = a3.or(FloatVector.fromArray(F, g, b3 + i).reinterpretAsInts().and(0x7f800000).add(0x00800000));
        }
        int any = a0.or(a1).or(a2).or(a3).reduceLanes(VectorOperators.OR);
        for (int i = from + 4 * q; i < to; i++) {
            any |= (Float.floatToRawIntBits(g[i]) & 0x7f800000) + 0x00800000;
        }
        return any >= 0;
    }

    interface Scan {
        boolean run(float[] g, int from, int to);
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        float[] g = new float[n];
        java.util.Random random = new java.util.Random(1);
        for (int i = 0; i < n; i++) {
            g[i] = (float) (random.nextGaussian() * 1e-3);
        }
        String[] names = {"timesZero", "conversion", "unsafeOr", "vectorApi"};
        Scan[] scans = {ScanProbes::timesZero, ScanProbes::conversion, ScanProbes::unsafeOr, ScanProbes::vectorApi};
        int passes = Math.max(20, 400_000_000 / n);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < scans.length; k++) {
                long best = Long.MAX_VALUE;
                boolean finite = true;
                for (int p = 0; p < passes; p++) {
                    long t0 = System.nanoTime();
                    finite &= scans[k].run(g, 0, n);
                    best = Math.min(best, System.nanoTime() - t0);
                }
                boolean catches = true;
                for (int at : new int[] {0, n / 2, n - 1}) {
                    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                        float keep = g[at];
                        g[at] = bad;
                        catches &= !scans[k].run(g, 0, n);
                        g[at] = keep;
                    }
                }
                if (round == 2) {
                    System.out.printf("%-10s N=%-9d %.4f ns/float  %6.1f GB/s  (finite seen: %b, NaN/inf caught: %b)%n", names[k], n,
                            (double) best / n, 4.0 * n / best, finite, catches);
                }
            }
        }
    }
}
