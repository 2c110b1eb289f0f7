package io.github.lr4j.peers;

/**
 * PyTorch's CPU random generator: {@code torch.Generator()} (a 32-bit Mersenne Twister, MT19937) and the
 * transforms that {@code torch.rand(1, generator=g)} and {@code torch.randn(1, generator=g)} apply on the CPU
 * in PyTorch 1.13, for float32 (the default dtype) and float64. timm draws its schedule noise from it.
 *
 * <ul>
 * <li>{@link #TorchGenerator(long)} is {@code torch.Generator().manual_seed(seed)}: the seed is an unsigned
 *     64-bit number of which MT19937 uses the low 32 bits ({@code mt19937::init_with_uint32}); the cached
 *     Box-Muller sample is cleared.</li>
 * <li>{@code random()} is one tempered MT19937 output; {@code random64()} is two of them,
 *     {@code (first << 32) | second} ({@code CPUGeneratorImpl::random64}).</li>
 * <li>A float64 uniform is {@code (random64() & (2^53 - 1)) * 2^-53}, a float32 uniform
 *     {@code (random() & (2^24 - 1)) * 2^-24} ({@code transformation::uniform_real}).</li>
 * <li>{@code randn} of fewer than 16 values, of either dtype, goes through
 *     {@code normal_distribution<double>}: if the generator holds a cached sample, that is returned (and the
 *     cache emptied); otherwise two float64 uniforms u1, u2 give {@code r = sqrt(-2 ln(1 - u2))},
 *     {@code theta = 2 pi u1}, the cache is set to {@code r sin(theta)} and {@code r cos(theta)} is returned.
 *     A float32 tensor then rounds that double to float ({@code static_cast<float>}).</li>
 * </ul>
 *
 * <p>Exactness: the generator, {@code rand} and the float32 {@code randn} (what timm draws) reproduce PyTorch bit
 * for bit. The float64 {@code randn} can differ in the last bit or two: PyTorch takes {@code log}, {@code sin}
 * and {@code cos} from the C library (glibc), this class from {@link StrictMath} (fdlibm, the same on every
 * JVM), and the two round differently in a few percent of the arguments; rounding to float32 hides that.
 *
 * <p>Not thread-safe; one instance is one {@code torch.Generator}.
 */
public final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;
    private static final long MASK53 = (1L << 53) - 1;
    private static final int MASK24 = (1 << 24) - 1;

    private final int[] state = new int[N];
    private int left;
    private int next;
    private boolean hasCachedNormal;
    private double cachedNormal;

    /** {@code torch.Generator().manual_seed(seed)}; {@code seed} is read as an unsigned 64-bit number. */
    public TorchGenerator(long seed) {
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
        left = 1;
        next = 0;
    }

    /** One 32-bit MT19937 output, as an unsigned value in a long. */
    long random() {
        if (--left == 0) {
            nextState();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    long random64() {
        long hi = random();
        long lo = random();
        return (hi << 32) | lo;
    }

    private void nextState() {
        left = N;
        next = 0;
        for (int j = 0; j < N; j++) {
            int y = (state[j] & UPPER_MASK) | (state[(j + 1) % N] & LOWER_MASK);
            state[j] = state[(j + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
    }

    /** {@code torch.rand(1, generator=g, dtype=torch.float64).item()}: uniform in [0, 1). */
    public double randDouble() {
        return (random64() & MASK53) * 0x1.0p-53;
    }

    /** {@code torch.rand(1, generator=g).item()} (float32, widened to double): uniform in [0, 1). */
    public double randFloat() {
        return (float) ((random() & MASK24) * 0x1.0p-24f);
    }

    /** {@code torch.randn(1, generator=g, dtype=torch.float64).item()}: a standard normal sample. */
    public double randnDouble() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = randDouble();
        double u2 = randDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        cachedNormal = r * StrictMath.sin(theta);
        hasCachedNormal = true;
        return r * StrictMath.cos(theta);
    }

    /** {@code torch.randn(1, generator=g).item()} (float32, widened to double): a standard normal sample. */
    public double randnFloat() {
        return (float) randnDouble();
    }
}
