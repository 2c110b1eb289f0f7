package io.github.lr4j.optim;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;

/**
 * The non-finite gradient check, in the faster of two forms for this JVM. Both give the same answer for every
 * input; they differ only in what HotSpot makes of them (measured in BENCHMARKS.md, "The check"):
 * <ul>
 *   <li>{@link Form#CONVERSION}: {@code (int) (a*0 + b*0 + c*0 + d*0 + 1)} is 1 when all four are finite and 0
 *       otherwise (Java converts NaN to 0), AND-reduced. HotSpot 25 vectorizes the conversion and the int
 *       reduction, also inlined into a caller's loop; HotSpot 17 does not vectorize it at all. Chosen from Java 25
 *       on, the first release measured.</li>
 *   <li>{@link Form#MULTIPLY}: a max of {@code x * 0} (±0 for a finite x, NaN otherwise) over four streams. Chosen
 *       on Java 17-24.</li>
 * </ul>
 * The system property {@code lr4j.gradientScan} ({@code auto}, the default, {@code conversion} or {@code multiply})
 * overrides the choice, for benchmarks, for CPUs without 256-bit integer vectors (AVX but not AVX2, where the
 * conversion form measured slower), or should a form misbehave on some JVM.
 */
final class GradientScan {

    enum Form { CONVERSION, MULTIPLY }

    static final String PROPERTY = "lr4j.gradientScan";

    /** The form {@link #allFinite} runs. */
    static final Form FORM = formForThisJvm();

    /** FORM as a constant the JIT folds (a switch over the enum reads a switch-map array), keeping one loop. */
    private static final boolean CONVERSION = FORM == Form.CONVERSION;

    /*
     * byMultiplication behind a method handle, so that HotSpot never inlines it. Inlined into a caller's loop over
     * tensors (the optimizer's, or a user's), HotSpot 17 may stop vectorizing its reduction, depending on which
     * method the JIT compiled first: about 4x slower (BENCHMARKS.md, bench/probes/InlinedScanProbe.java). Called on
     * its own, its loop is always compiled as the outermost one; the call costs a few nanoseconds per tensor.
     * Not final on purpose: a final handle is a constant, and the JIT inlines through constant handles. Null (a
     * direct call) if the lookup failed or the conversion form runs, which HotSpot 25 vectorizes inlined too.
     */
    private static MethodHandle multiplyScanNotInlined = CONVERSION ? null : lookUpMultiplyScan();

    private static MethodHandle lookUpMultiplyScan() {
        try {
            return MethodHandles.lookup().findStatic(GradientScan.class, "byMultiplication",
                    MethodType.methodType(boolean.class, float[].class, int.class, int.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // a direct call: the same answer, perhaps slower
        }
    }

    private GradientScan() {
    }

    /**
     * Never throws (an initializer that throws would break every step): a wrong {@code lr4j.gradientScan} is
     * reported and the default form used; a property that cannot be read counts as unset.
     */
    private static Form formForThisJvm() {
        int feature = Runtime.version().feature();
        Form byVersion = chooseForm(null, feature);
        try {
            return chooseForm(System.getProperty(PROPERTY), feature);
        } catch (IllegalArgumentException e) {
            System.getLogger(GradientScan.class.getName()).log(System.Logger.Level.WARNING,
                    e.getMessage() + "; using " + byVersion.name().toLowerCase(Locale.ROOT));
            return byVersion;
        } catch (RuntimeException e) { // e.g. a SecurityManager that forbids reading the property
            return byVersion;
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
        MethodHandle scan = multiplyScanNotInlined;
        if (scan == null) {
            return byMultiplication(g, from, to);
        }
        try {
            return (boolean) scan.invokeExact(g, from, to);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e); // byMultiplication throws no checked exception
        }
    }

    /*
     * Four streams summed before the conversion, as in byMultiplication: one conversion per four floats. As fast as
     * one stream from cache; ahead of it from memory in a probe (43-65 against 35 GB/s, noisy); eight streams are
     * not vectorized.
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
