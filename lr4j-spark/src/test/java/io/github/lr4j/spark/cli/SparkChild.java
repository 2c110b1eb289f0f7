package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the Spark kill tests share: the CLI in a child JVM with the flags Spark needs, its kill once lr4j-train's TestHold
 * holds it at its moment, and the report page with its times masked.
 */
final class SparkChild {
    private SparkChild() {
    }

    /**
     * Starts {@code lr4j args} in a child JVM (this JVM's classpath and Spark's Java 17 flags, 1 GB heap), held at
     * {@code moment} ({@code PHASE:N}: TestHold writes {@code marker} there and waits); its output goes to {@code log}.
     */
    static Process start(String moment, Path marker, Path log, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (flag.startsWith("--add-opens") || flag.startsWith("-Djdk.reflect") || flag.startsWith("-Dio.netty")) {
                command.add(flag); // the flags Spark needs on Java 17, as surefire passed them to this JVM
            }
        }
        command.addAll(List.of("-Xmx1g", "-Dlr4j.test.hold=" + moment + ":" + marker, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * Waits (up to {@code seconds}) until {@code child} wrote {@code marker}, then kills it with SIGKILL ({@code
     * destroyForcibly} on Linux: no shutdown hooks, nothing flushed) and checks it died of it (exit 137).
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

    /** {@code text} with every time it prints ("12.3 s") masked. */
    static String withoutTimes(String text) {
        return text.replaceAll("\\d+(\\.\\d+)? s\\b", "T s");
    }

    /** The report page {@code index.html} of the report folder {@code report}, times masked. */
    static String pageWithoutTimes(Path report) throws IOException {
        return withoutTimes(Files.readString(report.resolve("index.html")));
    }
}
