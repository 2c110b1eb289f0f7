package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.spark.Lr4jSpark;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real {@code kill -9} of {@code lr4j tune --engine spark --master local[2]} in a child JVM, held at a named moment by
 * lr4j-train's TestHold, then {@code --resume latest} on Spark: the search ends as the uninterrupted Spark search and as
 * the same search on local threads (same seed): the same winner and final lines (times masked), best.json, search.json,
 * report page (times masked) and every trial's files, byte for byte.
 */
class SparkTuneKillTest {
    private static final Pattern WINNER = Pattern.compile("winner (t\\d{3})");
    /** Per algorithm, the uninterrupted searches: "local" and "spark" -> folder; and their stdout. */
    private static final Map<String, Path> REFERENCES = new ConcurrentHashMap<>();
    private static final Map<String, String> REFERENCE_OUT = new ConcurrentHashMap<>();

    @TempDir
    static Path shared;

    /** The small search of lr4j-cli's TuneKillCliTest (3 epochs of 40 steps, one schedule space), without its engine. */
    private static List<String> search(String algorithm) throws IOException {
        Path config = shared.resolve("small.json");
        if (!Files.exists(config)) {
            Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        }
        List<String> args = new ArrayList<>(List.of("tune", "--config", config.toString(),
                "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
                "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))"));
        args.addAll(algorithm.equals("pbt") ? List.of("--algorithm", "pbt", "--population", "4", "--rounds", "3", "--quantile", "0.25")
                : List.of("--trials", "4", "--eta", "2", "--min-epochs", "1"));
        return args;
    }

    private static final List<String> SPARK = List.of("--engine", "spark", "--master", "local[2]");

    @ParameterizedTest(name = "{0} killed at {1} #{2}")
    @CsvSource({
        "sha, search, 5",    // rung 2: its first part saved on the driver, the other's task still training
        "sha, step, 180",    // rung 2 (40 steps an epoch): a Spark task held mid-part, ahead of search.json
        "pbt, exploit, 1",   // round 1's exploit on the driver: the checkpoint copied into the member, its logs not yet
    })
    void killedAtANamedMoment_resumeLatestOnSpark_endsAsTheUninterruptedSearchesOnSparkAndLocally(String algorithm, String phase,
                                                                                                  int n, @TempDir Path dir)
            throws Exception {
        Path local = reference(algorithm, "local");
        Path spark = reference(algorithm, "spark");
        assertSameSearch(spark, REFERENCE_OUT.get(algorithm + "/spark"), local, REFERENCE_OUT.get(algorithm + "/local"));

        Path killed = dir.resolve("killed");
        Path marker = dir.resolve("held");
        Path log = dir.resolve("child.log");
        List<String> args = new ArrayList<>(search(algorithm));
        args.addAll(SPARK);
        args.addAll(List.of("-o", killed.toString()));
        SparkChild.killWhenHeld(SparkChild.start(phase + ":" + n, marker, log, args), marker, log, 240);
        assertThat(Files.readString(killed.resolve("search.json"))).as("killed before it ended").contains("\"winner\" : null");

        args.addAll(List.of("--resume", "latest"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(cli(args, out, err)).as(err.toString()).isZero();
        assertThat(err.toString()).contains("on Spark, resuming").contains("(saved)");

        assertSameSearch(killed, out.toString(), spark, REFERENCE_OUT.get(algorithm + "/spark"));
        assertSameSearch(killed, out.toString(), local, REFERENCE_OUT.get(algorithm + "/local"));
        assertThat(winner(out.toString())).as("the winner of the search on local threads, same seed")
                .isEqualTo(winner(REFERENCE_OUT.get(algorithm + "/local")));
    }

    private static String winner(String out) {
        Matcher m = WINNER.matcher(out);
        assertThat(m.find()).as(out).isTrue();
        return m.group(1);
    }

    /** The uninterrupted search of {@code algorithm} on {@code engine} (local: 2 threads; spark: local[2]), run once here. */
    private static synchronized Path reference(String algorithm, String engine) throws IOException {
        String key = algorithm + "/" + engine;
        Path ref = REFERENCES.get(key);
        if (ref == null) {
            ref = shared.resolve(algorithm + "-" + engine);
            List<String> args = new ArrayList<>(search(algorithm));
            args.addAll(engine.equals("spark") ? SPARK : List.of("--threads", "2"));
            args.addAll(List.of("-o", ref.toString()));
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            assertThat(cli(args, out, err)).as(err.toString()).isZero();
            REFERENCES.put(key, ref);
            REFERENCE_OUT.put(key, out.toString());
        }
        return ref;
    }

    private static int cli(List<String> args, StringWriter out, StringWriter err) {
        Lr4jSpark.session("local[2]"); // the tests' session: tune --engine spark uses it
        return Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args.toArray(String[]::new));
    }

    /**
     * The search in {@code folder} (which printed {@code out}) ended as the one in {@code reference}: the same lines (the
     * folder and times masked), the same files, byte for byte but for the report page (times masked).
     */
    private static void assertSameSearch(Path folder, String out, Path reference, String referenceOut) throws IOException {
        assertThat(SparkChild.withoutTimes(out.replace(folder.toString(), "DIR")))
                .isEqualTo(SparkChild.withoutTimes(referenceOut.replace(reference.toString(), "DIR")));
        assertThat(folder.resolve("best.json")).hasSameBinaryContentAs(reference.resolve("best.json"));
        assertThat(folder.resolve("search.json")).hasSameBinaryContentAs(reference.resolve("search.json"));
        assertThat(SparkChild.pageWithoutTimes(folder)).as("the report page").isEqualTo(SparkChild.pageWithoutTimes(reference));
        List<String> files = files(reference);
        assertThat(files).contains("trials/t000/logs/steps.csv");
        assertThat(files(folder)).as("the files of the search").isEqualTo(files);
        for (String f : files) {
            if (!f.equals("index.html")) {
                assertThat(folder.resolve(f)).as(f).hasSameBinaryContentAs(reference.resolve(f));
            }
        }
    }

    private static List<String> files(Path folder) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
    }
}
