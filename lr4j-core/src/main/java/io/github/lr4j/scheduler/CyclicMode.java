package io.github.lr4j.scheduler;

/** CyclicLR's amplitude policy (PyTorch's {@code mode}): constant, halved every cycle, or decayed by gamma per step. */
public enum CyclicMode implements PyTorchNamed {
    TRIANGULAR("triangular"),
    TRIANGULAR2("triangular2"),
    EXP_RANGE("exp_range");

    private final String pytorchName;

    CyclicMode(String pytorchName) {
        this.pytorchName = pytorchName;
    }

    @Override
    public String pytorchName() {
        return pytorchName;
    }
}
