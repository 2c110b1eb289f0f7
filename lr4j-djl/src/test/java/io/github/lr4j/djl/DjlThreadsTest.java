package io.github.lr4j.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The default --threads of the DJL engine never asks for more cores than other processes leave free (at least 1). */
class DjlThreadsTest {

    @ParameterizedTest
    @CsvSource({"2, 0.0, 2", "2, 0.4, 2", "2, 0.6, 1", "2, 2.1, 1", "2, 13.7, 1", "8, 3.2, 5", "8, -1.0, 8", "1, 0.0, 1"})
    void theDefault_isTheCoresOtherProcessesLeave(int cores, double load, int expected) {
        assertThat(DjlThreads.defaultThreads(cores, load)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0", "-3"})
    void lessThanOneThread_isRefused(int threads) {
        assertThatThrownBy(() -> DjlThreads.configure(threads)).hasMessage("threads must be >= 1, got " + threads);
    }
}
