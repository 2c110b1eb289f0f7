package io.github.lr4j.scheduler;

/** What CyclicLR's custom scale function is given (PyTorch's {@code scale_mode}): the cycle number or the step. */
public enum ScaleMode implements PyTorchNamed {
    CYCLE("cycle"),
    ITERATIONS("iterations");

    private final String pytorchName;

    ScaleMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    @Override
    public String pytorchName() {
        return pytorchName;
    }
}
