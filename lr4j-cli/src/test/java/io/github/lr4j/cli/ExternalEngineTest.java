package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** --engine spark without lr4j-spark on the classpath (the CLI's own jar): one clear line, exit 2. */
class ExternalEngineTest extends CliHarness {

    @Test
    void engineSpark_withoutLr4jSparkOnTheClasspath_exitsTwoPointingAtTheLauncher() {
        assertThat(run("train", "--engine", "spark", "--epochs", "1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: --engine spark is not on this classpath: run it through the ./lr4j launcher,"
                + " which builds lr4j-spark and runs on its classpath" + System.lineSeparator());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"lr4j, --partitions, 2", "djl, --master, local[2]", "djl, --local-steps, 4",
        "djl, --partitions, 2"})
    void sparkOptions_onAnotherEngine_exitTwo_namingTheEngine(String engine, String option, String value) {
        assertThat(run("train", "--engine", engine, option, value, "--epochs", "1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: --master, --partitions and --local-steps are options of --engine spark,"
                + " not of --engine " + engine + System.lineSeparator());
    }
}
