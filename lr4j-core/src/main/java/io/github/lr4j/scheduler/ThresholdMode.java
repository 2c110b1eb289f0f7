package io.github.lr4j.scheduler;

/** How ReduceLROnPlateau's threshold counts (PyTorch's {@code threshold_mode}): relative to the best value, or absolute. */
public enum ThresholdMode implements PyTorchNamed {
    REL("rel"),
    ABS("abs");

    private final String pytorchName;

    ThresholdMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    @Override
    public String pytorchName() {
        return pytorchName;
    }
}
