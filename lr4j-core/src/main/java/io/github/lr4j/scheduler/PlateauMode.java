package io.github.lr4j.scheduler;

/** Whether ReduceLROnPlateau's metric improves by going down (a loss) or up (an accuracy); PyTorch's {@code mode}. */
public enum PlateauMode implements PyTorchNamed {
    MIN("min"),
    MAX("max");

    private final String pytorchName;

    PlateauMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    @Override
    public String pytorchName() {
        return pytorchName;
    }
}
