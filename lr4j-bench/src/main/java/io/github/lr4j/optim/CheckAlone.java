package io.github.lr4j.optim;

import java.util.List;

/**
 * The gradient check alone, as {@link Optimizer#step()} runs it before an update (one pass of {@link Kernels#allFinite}
 * over every gradient), for {@code bench/optim-vs-torch}'s "scan" column: the time a separate check pass adds at the
 * least. In this package to reach the package-private kernel.
 */
public final class CheckAlone {
    private CheckAlone() {
    }

    /** The form of the scan this JVM runs ({@link GradientScan}), for the benchmark's header. */
    public static String form() {
        return GradientScan.FORM.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** True when every gradient of {@code params} is finite. */
    public static boolean allFinite(List<Parameter> params) {
        boolean finite = true;
        for (Parameter p : params) {
            finite &= Kernels.allFinite(p.grad(), 0, p.size());
        }
        return finite;
    }
}
