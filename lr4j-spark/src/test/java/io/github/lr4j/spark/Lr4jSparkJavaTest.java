package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Spark is refused up front on a Java it fails on (Hadoop's Subject.getSubject), with one line saying what to do. */
class Lr4jSparkJavaTest {
    @ParameterizedTest
    @ValueSource(ints = {17, 21, 22})
    void javaSpark40RunsOnIsAccepted(int feature) {
        assertThatCode(() -> Lr4jSpark.requireSupportedJava(feature)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(ints = {23, 25, 26})
    void laterJavaIsRefusedNamingTheEngineTheRangeAndTheVersion(int feature) {
        assertThatThrownBy(() -> Lr4jSpark.requireSupportedJava(feature)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--engine spark runs on Java 17 to 22 (Spark 4.0's Hadoop calls Subject.getSubject, which Java 23"
                        + " and later refuse), this is Java " + feature + ": set JAVA_HOME to a JDK 17 or 21");
    }
}
