package io.github.lr4j.optim;

/**
 * Per-parameter optimizer state: the step count and the optimizer's buffers (momentum, exp_avg,
 * ...), created at the parameter's first step as in PyTorch, plus the scalars of the step being
 * taken (computed once per tensor, read by the kernels).
 */
final class ParamState {
    long step;
    /** Buffers in the optimizer's order ({@link Optimizer#bufferNames()}); null until needed. */
    final float[][] buffers;
    boolean initialized;

    // Scalars of the current step.
    float negStepSize;
    float bc2Sqrt;
    boolean firstMomentumStep;

    ParamState(int buffers) {
        this.buffers = new float[buffers][];
    }
}
