package io.github.lr4j.optim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * The non-finite gradient check, in the faster form for this JVM (BENCHMARKS.md, "The floor of a separate check
 * pass"). Both forms give the same answer for every input; they differ only in what HotSpot makes of them:
 * <ul>
 *   <li>{@link Form#CONVERSION}: {@code (int) (x * 0 + 1)} is 1 for a finite x and 0 for NaN or an infinity, and an
 *       AND of those ints. HotSpot 25 vectorizes the float-to-int conversion and the int reduction: about 90 GB/s
 *       from L3 on one Zen 5 core (200 GB/s from L2), as fast as the Vector API. HotSpot 17 does not vectorize it
 *       (16 GB/s), so it is chosen from Java 25 on, the first release measured.</li>
 *   <li>{@link Form#MULTIPLY}: a max of {@code x * 0} (±0 for a finite x, NaN otherwise) over four streams: about
 *       53 GB/s on HotSpot 17 and 25.</li>
 * </ul>
 * Not adopted: reading the exponent bits as ints through {@code sun.misc.Unsafe} ran at 85 GB/s on HotSpot 17 alone,
 * but at 11 GB/s once inlined into a loop over tensors of two sizes (the JIT stopped vectorizing it), and the JDK
 * warns about those methods from 24 on. The system property {@code lr4j.gradientScan} ({@code conversion} or
 * {@code multiply}) overrides the choice, for benchmarks or should a form misbehave on some JVM.
 */
final class GradientScan {

    enum Form { CONVERSION, MULTIPLY }

    static final String PROPERTY = "lr4j.gradientScan";

    /** The form {@link #allFinite} runs. */
    static final Form FORM = formForThisJvm();

    /** FORM as a constant the JIT folds (a switch over the enum reads a switch-map array), keeping one loop. */
    private static final boolean CONVERSION = FORM == Form.CONVERSION;

    /*
     * byMultiplication, called through a method handle that is deliberately not a constant, so that HotSpot never
     * inlines it: inlined into a caller's loop over tensors (the optimizer's, or a user's), HotSpot 17 no longer
     * vectorizes its reduction and the scan runs at 14 GB/s instead of 50-57 (measured; whether it was inlined
     * depended on which method the JIT compiled first). Called on its own, its loop is always compiled as the
     * outermost one. The call costs a few nanoseconds per tensor. The conversion scan needs none of this: HotSpot 25
     * vectorizes it inlined too.
     */
    private static MethodHandle opaqueMultiplyScan = lookUpMultiplyScan();

    private static MethodHandle lookUpMultiplyScan() {
        try {
            return MethodHandles.lookup().findStatic(GradientScan.class, "byMultiplication",
                    MethodType.methodType(boolean.class, float[].class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("lr4j: GradientScan.byMultiplication not found", e);
        }
    }

    private GradientScan() {
    }

    /** A wrong {@code lr4j.gradientScan} is reported, not thrown: a class initializer that throws breaks every step. */
    private static Form formForThisJvm() {
        int feature = Runtime.version().feature();
        try {
            return chooseForm(System.getProperty(PROPERTY), feature);
        } catch (IllegalArgumentException e) {
            System.getLogger(GradientScan.class.getName()).log(System.Logger.Level.WARNING,
                    e.getMessage() + "; using " + chooseForm(null, feature).name().toLowerCase(Locale.ROOT));
            return chooseForm(null, feature);
        }
    }

    static Form chooseForm(String requested, int javaFeatureVersion) {
        if (requested != null && !requested.isBlank() && !requested.trim().equalsIgnoreCase("auto")) {
            switch (requested.trim().toLowerCase(Locale.ROOT)) {
                case "conversion": return Form.CONVERSION;
                case "multiply": return Form.MULTIPLY;
                default: throw new IllegalArgumentException(PROPERTY + " must be auto, conversion or multiply, got '"
                        + requested + "'");
            }
        }
        return javaFeatureVersion >= 25 ? Form.CONVERSION : Form.MULTIPLY;
    }

    /** True when every value of {@code g[from, to)} is finite. */
    static boolean allFinite(float[] g, int from, int to) {
        if (CONVERSION) {
            return byConversion(g, from, to);
        }
        try {
            return (boolean) opaqueMultiplyScan.invokeExact(g, from, to);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // byMultiplication throws no checked exception
        }
    }

    /*
     * Four streams again, summed before the conversion: one stream reads about as fast from L3 (88 GB/s) but only
     * 35 GB/s from memory on HotSpot 25, four streams 43-65 GB/s; eight are not vectorized.
     */
    static boolean byConversion(float[] g, int from, int to) {
        int quarter = (to - from) / 4;
        int b1 = from + quarter;
        int b2 = b1 + quarter;
        int b3 = b2 + quarter;
        int all = 1;
        for (int i = 0; i < quarter; i++) {
            all &= (int) (g[from + i] * 0f + g[b1 + i] * 0f + g[b2 + i] * 0f + g[b3 + i] * 0f + 1f);
        }
        for (int i = from + 4 * quarter; i < to; i++) {
            all &= (int) (g[i] * 0f + 1f);
        }
        return all == 1;
    }

    /*
     * HotSpot 17 vectorizes a float reduction only when other vector work feeds it, and then reduces each vector to a
     * scalar inside the loop: that serial chain, not memory, bounds a one-stream scan (about 0.2 ns per float). So
     * four streams are combined element-wise first, leaving one reduction per four vectors (about 0.07 ns per float).
     * Eight streams make the loop body too big for C2 to unroll, and then nothing is vectorized.
     */
    static boolean byMultiplication(float[] g, int from, int to) {
        int quarter = (to - from) / 4;
        int b1 = from + quarter;
        int b2 = b1 + quarter;
        int b3 = b2 + quarter;
        // x * 0 is ±0 for a finite x and NaN for NaN or an infinity; a sum of ±0 never overflows.
        float nan = 0f;
        for (int i = 0; i < quarter; i++) {
            nan = Math.max(nan, g[from + i] * 0f + g[b1 + i] * 0f + g[b2 + i] * 0f + g[b3 + i] * 0f);
        }
        for (int i = from + 4 * quarter; i < to; i++) {
            nan = Math.max(nan, g[i] * 0f);
        }
        return nan == 0f;
    }
}
