package io.github.lr4j.optim;

import io.github.lr4j.groups.ParamGroups;
import java.util.List;

/**
 * The per-group hyper-parameters of an optimizer that a {@link HyperParameterSchedule} may drive (weight decay, beta2,
 * eps, momentum, ...): lr4j's own optimizers ({@link #of(Optimizer)}) and lr4j-djl's. Values are read and written by
 * name; {@link #check} says whether a value is in the hyper-parameter's range before anything is written.
 */
public interface HyperParameters {
    /** The optimizer's name, for messages (SGD, AdamW, ...). */
    String owner();

    /** The groups whose lr and momentum the lr schedulers drive (the same groups these values belong to). */
    ParamGroups groups();

    /** The names a schedule may drive (not the lr, True/False options or running state). */
    List<String> schedulable();

    /**
     * Throws an IllegalArgumentException naming {@code name} and the schedulable names if a schedule may not drive it.
     */
    default void requireSchedulable(String name) {
        if (!schedulable().contains(name)) {
            throw new IllegalArgumentException(owner() + " has no hyper-parameter " + name + " a schedule can drive;"
                    + " schedulable: " + String.join(", ", schedulable()));
        }
    }

    double get(int group, String name);

    /** Throws an IllegalArgumentException naming the hyper-parameter, its range and {@code value} if it is out of range. */
    void check(String name, double value);

    void set(int group, String name, double value);

    /** An lr4j optimizer's hyper-parameters (its {@code Options}: names, ranges and messages). */
    static HyperParameters of(Optimizer optimizer) {
        return new HyperParameters() {
            @Override
            public String owner() {
                return optimizer.options.optimizer;
            }

            @Override
            public ParamGroups groups() {
                return optimizer;
            }

            @Override
            public List<String> schedulable() {
                return optimizer.options.hyperParameters().stream().filter(n -> !n.equals("lr"))
                        .filter(n -> !optimizer.options.isFlag(optimizer.options.index(n))).toList();
            }

            @Override
            public void requireSchedulable(String name) {
                int i = optimizer.options.index(name); // unknown: "SGD has no hyper-parameter beta2; it has ..."
                if (optimizer.options.isState(i) || optimizer.options.isFlag(i)) {
                    throw new IllegalArgumentException(name + " cannot be scheduled: it is " + (optimizer.options.isFlag(i)
                            ? "a True/False option" : owner() + "'s running state")
                            + "; schedulable: " + String.join(", ", schedulable()));
                }
            }

            @Override
            public double get(int group, String name) {
                return optimizer.group(group).get(name);
            }

            @Override
            public void check(String name, double value) {
                optimizer.options.check(optimizer.options.index(name), value);
            }

            @Override
            public void set(int group, String name, double value) {
                optimizer.group(group).set(name, value);
            }
        };
    }
}
