package io.github.lr4j.scheduler;

/** How OneCycleLR moves between its phases and SWALR anneals (PyTorch's {@code anneal_strategy}). */
public enum AnnealStrategy implements PyTorchNamed {
    COS("cos"),
    LINEAR("linear");

    private final String pytorchName;

    AnnealStrategy(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    @Override
    public String pytorchName() {
        return pytorchName;
    }
}
