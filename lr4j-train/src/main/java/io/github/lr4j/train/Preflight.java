package io.github.lr4j.train;

import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic mistakes of a run, checked before training on any engine: errors (an IllegalArgumentException) for
 * what would fail, warnings for what is suspicious. Schedulers are linted by their type's descriptor for the calls
 * the run makes ({@link SchedulerTypes#lint}).
 */
public final class Preflight {
    private Preflight() {
    }

    /**
     * The warnings for a run of {@code epochs} epochs of {@code stepsPerEpoch} optimizer steps with {@code driver}'s
     * schedulers, watching {@code monitor} (val_loss, val_accuracy or train_loss), with or without a validation set
     * and {@code earlyStopping} (or null).
     */
    public static List<String> check(ScheduleDriver driver, int epochs, long stepsPerEpoch, String monitor, boolean validation,
                                     EarlyStopping earlyStopping) {
        List<String> warnings = new ArrayList<>();
        List<TrainingLoop.Attached> schedulers = driver.attached();
        boolean needsValidation = monitor.startsWith("val_") && !validation;
        for (TrainingLoop.Attached a : schedulers) {
            String name = a.scheduler().name();
            boolean perStep = a.interval() == Interval.STEP;
            long calls = (perStep ? stepsPerEpoch * epochs : epochs) / a.frequency();
            if (a.scheduler().drivenByMetric()) {
                if (needsValidation) {
                    throw new IllegalArgumentException(name + " monitors " + monitor + " but there is no validation set:"
                            + " give one, or monitor train_loss");
                }
                continue;
            }
            SchedulerType.LintContext lints = SchedulerType.LintContext.forRun(calls, !perStep,
                    (perStep ? "per optimizer step" : "per epoch") + " over " + epochs + " epochs", null);
            SchedulerTypes.lint(a.scheduler().spec(), lints);
            if (!lints.failures().isEmpty()) {
                throw new IllegalArgumentException(lints.failures().get(0));
            }
            warnings.addAll(lints.warnings());
        }
        for (TrainingLoop.Attached plateau : schedulers) {
            if (!plateau.scheduler().drivenByMetric()) {
                continue;
            }
            for (TrainingLoop.Attached a : schedulers) {
                String name = a.scheduler().name();
                if (SchedulerTypes.find(name).map(SchedulerType::overwritesLr).orElse(false)) {
                    warnings.add(plateau.scheduler().name() + " is stacked on " + name + ", which sets the lr from its own"
                            + " schedule at every step: every cut of " + plateau.scheduler().name() + " is overwritten");
                }
            }
        }
        if (earlyStopping != null && needsValidation) {
            throw new IllegalArgumentException("early stopping monitors " + monitor + " but there is no validation set");
        }
        int swaStart = driver.swaStart();
        if (swaStart > epochs) {
            throw new IllegalArgumentException("swa start epoch must be in [1, " + epochs + "] (the run's epochs), got " + swaStart
                    + ": no weights would be averaged");
        }
        if (swaStart > 0 && earlyStopping != null && earlyStopping.restoreBestWeights()) {
            warnings.add("with SWA the model ends holding the average of epochs " + swaStart + " to the end, not the best"
                    + " weights early stopping would restore (unless it stops before epoch " + swaStart + ")");
        }
        return warnings;
    }
}
