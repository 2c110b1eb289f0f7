package io.github.lr4j.scheduler;

/** An option that PyTorch spells as a string, e.g. {@code mode='triangular2'}: the schedule language keeps that spelling. */
public interface PyTorchNamed {
    /** The string PyTorch (and the schedule language) uses. */
    String pytorchName();
}
