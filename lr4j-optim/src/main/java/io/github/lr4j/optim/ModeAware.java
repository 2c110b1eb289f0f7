package io.github.lr4j.optim;

/**
 * An optimizer whose parameters depend on the mode, as PyTorch's schedule-free optimizers'
 * {@code optimizer.train()} / {@code optimizer.eval()}: a training loop calls {@link #eval()} before
 * it evaluates or saves the model's weights and {@link #train()} before the next step, on any
 * optimizer. For ordinary optimizers both are no-ops and the mode is always {@code TRAIN}.
 */
public interface ModeAware {
    /** Puts the training-mode values back into the parameters; does nothing when already in train mode. */
    void train();

    /** Puts the evaluation-mode values into the parameters; does nothing when already in eval mode. */
    void eval();

    OptimizerMode mode();
}
