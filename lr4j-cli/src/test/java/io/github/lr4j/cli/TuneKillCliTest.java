package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real {@code kill -9} of {@code lr4j tune} (successive halving and population based training) in a child JVM, held at
 * a named moment by lr4j-train's TestHold (so the kill lands there, not by timing), then {@code tune --resume latest}:
 * the same final lines (times masked), best.json, search.json, report page (times masked) and every trial's files
 * (logs, checkpoints) as the uninterrupted search's, byte for byte.
 */
class TuneKillCliTest {
    /** One uninterrupted search per algorithm, shared by the moments: its folder and its stdout. */
    private static final Map<String, Path> REFERENCES = new ConcurrentHashMap<>();
    private static final Map<String, String> REFERENCE_OUT = new ConcurrentHashMap<>();

    @TempDir
    static Path shared;

    /**
     * A small search on 2 threads: 16 hidden units, no augmentation, 3 epochs, one schedule space. sha: 4 trials, eta 2,
     * rungs at epochs 1, 2, 3 (4 + 2 + 1 parts); pbt: 4 members, 3 rounds of an epoch, one exploit a round (4 x 3 parts).
     */
    static List<String> search(String algorithm, Path config) {
        List<String> args = new ArrayList<>(List.of("tune", "--config", config.toString(), "--threads", "2",
                "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
                "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))"));
        args.addAll(algorithm.equals("pbt") ? List.of("--algorithm", "pbt", "--population", "4", "--rounds", "3", "--quantile", "0.25")
                : List.of("--trials", "4", "--eta", "2", "--min-epochs", "1"));
        return args;
    }

    static Path config() throws IOException {
        Path config = shared.resolve("small.json");
        if (!Files.exists(config)) {
            Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        }
        return config;
    }

    @ParameterizedTest(name = "{0} killed at {1} #{2}")
    @CsvSource({
        "sha, search-temp, 4",  // rung 1: search.json's third result complete in its temporary file, not renamed
        "sha, search, 5",       // rung 2: its first part saved, the other not yet (mid-rung)
        "sha, search-temp, 9",  // the end: all 7 parts saved, the winner tested, its state (winner) in the temporary file
        "sha, search-saved, 9", // the end: the final state (winner) in place, best.json and the report not yet written
        "sha, step, 180",       // rung 2 (40 steps an epoch), a promoted trial mid-part (its logs and checkpoints ahead of search.json)
        "pbt, exploit, 1",      // round 1's exploit: the checkpoint copied into the member, its logs not yet
        "pbt, search, 6",       // round 2 after the exploit: two parts saved
        "pbt, step, 200",       // round 2: members mid-part, one of them exploited
    })
    void killedAtANamedMoment_resumeLatest_endsAsTheUninterruptedSearch(String algorithm, String phase, int n, @TempDir Path dir)
            throws Exception {
        Path reference = reference(algorithm);
        Path killed = dir.resolve("killed");
        Path marker = dir.resolve("held");
        Path log = dir.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dlr4j.test.hold=" + phase + ":" + n + ":" + marker, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(search(algorithm, config()));
        command.addAll(List.of("-o", killed.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        KillTests.killWhenHeld(child, marker, log, 120);
        assertKilledAt(killed, algorithm, phase, n);

        List<String> resume = new ArrayList<>(search(algorithm, config()));
        resume.addAll(List.of("--resume", "latest", "-o", killed.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(resume.toArray(String[]::new));
        assertThat(code).as(err.toString()).isZero();
        assertThat(err.toString()).contains("resuming").contains("(saved)");

        assertSameSearch(killed, out.toString(), reference, REFERENCE_OUT.get(algorithm));
    }

    /** What the kill left: the moment it names. */
    private static void assertKilledAt(Path killed, String algorithm, String phase, int n) throws IOException {
        String saved = Files.readString(killed.resolve("search.json"));
        int results = saved.split("\"best_val_loss\"", -1).length - 1;
        switch (phase) {
            case "search-temp" -> { // the n-th write (the first is the new search's): n - 2 results in place, one more in the temporary file
                assertThat(results).isEqualTo(n - 2);
                assertThat(killed.resolve("search.json.tmp")).exists();
            }
            case "search" -> assertThat(results).isEqualTo(n);
            case "search-saved" -> { // only the final write's case: every part saved, nothing written after search.json
                assertThat(results).isEqualTo(7);
                assertThat(killed.resolve("search.json.tmp")).doesNotExist();
                assertThat(killed.resolve("best.json")).doesNotExist();
                assertThat(killed.resolve("index.html")).doesNotExist();
            }
            case "exploit" -> {
                try (Stream<Path> trials = Files.list(killed.resolve("trials"))) {
                    assertThat(trials.map(p -> p.getFileName().toString())).as("a half-done exploit's folder")
                            .anyMatch(name -> name.endsWith(".exploit"));
                }
            }
            // A step of the second rung / round: the first one's 4 parts saved, the held part not (the other thread's may be).
            default -> assertThat(results).as("parts saved").isBetween(4, algorithm.equals("pbt") ? 7 : 5);
        }
    }

    /** The uninterrupted search of {@code algorithm}, run once in this JVM. */
    private static synchronized Path reference(String algorithm) throws IOException {
        Path ref = REFERENCES.get(algorithm);
        if (ref == null) {
            ref = shared.resolve("reference-" + algorithm);
            List<String> args = new ArrayList<>(search(algorithm, config()));
            args.addAll(List.of("-o", ref.toString()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
            assertThat(code).as(err.toString()).isZero();
            REFERENCES.put(algorithm, ref);
            REFERENCE_OUT.put(algorithm, out.toString());
        }
        return ref;
    }

    /**
     * The search in {@code folder} (which printed {@code out}) ended as the one in {@code reference}: the same lines (the
     * folder and times masked), the same files, byte for byte but for the report page (times masked).
     */
    static void assertSameSearch(Path folder, String out, Path reference, String referenceOut) throws IOException {
        assertThat(KillTests.withoutTimes(out.replace(folder.toString(), "DIR")))
                .isEqualTo(KillTests.withoutTimes(referenceOut.replace(reference.toString(), "DIR")));
        assertThat(folder.resolve("best.json")).hasSameBinaryContentAs(reference.resolve("best.json"));
        assertThat(folder.resolve("search.json")).hasSameBinaryContentAs(reference.resolve("search.json"));
        assertThat(KillTests.pageWithoutTimes(folder)).as("the report page").isEqualTo(KillTests.pageWithoutTimes(reference));
        List<String> files = files(reference);
        assertThat(files).contains("trials/t000/logs/steps.csv");
        assertThat(files(folder)).as("the files of the search").isEqualTo(files);
        for (String f : files) {
            if (!f.equals("index.html")) {
                assertThat(folder.resolve(f)).as(f).hasSameBinaryContentAs(reference.resolve(f));
            }
        }
    }

    /** Every file under {@code folder}, relative, sorted. */
    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
