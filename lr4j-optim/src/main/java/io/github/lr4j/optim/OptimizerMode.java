package io.github.lr4j.optim;

/**
 * Where an optimizer keeps the parameters: {@code TRAIN} (where gradients are taken) or {@code EVAL}
 * (what validation, tests and saved weights should see). Only schedule-free optimizers tell them
 * apart; see {@link ModeAware}.
 */
public enum OptimizerMode { TRAIN, EVAL }
