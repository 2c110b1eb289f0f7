package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the CLI's kill tests share: the report page with its times masked, and the kill of a child held by TestHold. */
final class KillTests {
    private KillTests() {
    }

    /** {@code text} with every time it prints ("12.3 s") masked: what differs between a resumed run and an uninterrupted one. */
    static String withoutTimes(String text) {
        return text.replaceAll("\\d+(\\.\\d+)? s\\b", "T s");
    }

    /** The report page {@code index.html} of the report folder {@code report}, times masked. */
    static String pageWithoutTimes(Path report) throws IOException {
        return withoutTimes(Files.readString(report.resolve("index.html")));
    }

    /**
     * Waits (up to {@code seconds}) until the child held by {@code -Dlr4j.test.hold=...:marker} has written {@code marker},
     * then kills it with SIGKILL ({@code destroyForcibly} on Linux: no shutdown hooks, nothing flushed) and checks it
     * died of it (exit 137). {@code log} is the child's output, shown if it never got there.
     */
    static void killWhenHeld(Process child, Path marker, Path log, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try {
            while (!Files.exists(marker) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(marker).as("the child reached its moment and waits there; its output:%n%s",
                    Files.exists(log) ? Files.readString(log) : "").exists();
            assertThat(child.isAlive()).as("the child waits at its moment").isTrue();
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).isEqualTo(137);
    }
}
