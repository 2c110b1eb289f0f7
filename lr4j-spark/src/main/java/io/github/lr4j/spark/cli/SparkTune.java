package io.github.lr4j.spark.cli;

import io.github.lr4j.spark.Lr4jSpark;
import io.github.lr4j.spark.SparkTrials;
import io.github.lr4j.tune.TrialExecutor;

/** {@code lr4j tune --engine spark}: the search's trials as Spark tasks (see {@link SparkTrials}). */
public final class SparkTune implements TrialExecutor.Provider {
    @Override
    public String name() {
        return "spark";
    }

    @Override
    public TrialExecutor open(String master) {
        Lr4jSpark.requireSupportedJava();
        return new SparkTrials(Lr4jSpark.session(master));
    }
}
