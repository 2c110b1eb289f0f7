package io.github.lr4j.djl;

import java.lang.management.ManagementFactory;

/**
 * libtorch's thread pools for DJL's PyTorch engine: {@code intraOp} threads inside an operation and one inter-op
 * thread. DJL's {@code PtEngine} reads the system properties {@link #INTRA_OP} and {@link #INTER_OP} when the engine
 * starts (the first {@code Engine.getInstance()}), so {@link #configure} must run before anything touches DJL.
 * libtorch's own default (a thread per core in each pool) fights other processes for the cores: on a busy 2-core
 * machine the DJL job took 115-172 s instead of 4.5 s.
 */
public final class DjlThreads {
    /** The property DJL 0.36's PtEngine reads for {@code torch.set_num_threads}. */
    public static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    /** The property DJL 0.36's PtEngine reads for {@code torch.set_num_interop_threads}. */
    public static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    private DjlThreads() {
    }

    /** Sets libtorch's pools to {@code intraOp} intra-op threads and 1 inter-op thread; call before the engine starts. */
    public static void configure(int intraOp) {
        if (intraOp < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + intraOp);
        }
        System.setProperty(INTRA_OP, String.valueOf(intraOp));
        System.setProperty(INTER_OP, "1");
    }

    /**
     * The default that does not oversubscribe: the cores the JVM may use minus those other processes keep busy (the
     * 1-minute load average, rounded), at least 1.
     */
    public static int defaultThreads() {
        return defaultThreads(Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** {@link #defaultThreads()} for {@code cores} cores and a load average of {@code load} (negative: unknown). */
    static int defaultThreads(int cores, double load) {
        if (!(load >= 0)) {
            return Math.max(1, cores); // the load cannot be read: the cores
        }
        return (int) Math.max(1, Math.min(cores, cores - Math.round(load)));
    }
}
