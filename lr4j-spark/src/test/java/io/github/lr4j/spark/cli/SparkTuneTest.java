package io.github.lr4j.spark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.cli.Main;
import io.github.lr4j.spark.Lr4jSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lr4j tune --engine spark}: found through the service loader, and the same search as on local threads. */
class SparkTuneTest {
    private static final Pattern FIGURES = Pattern.compile("(winner t\\d+: .*\\ntest accuracy \\S+ \\(loss \\S+\\) \\| best epoch \\d+"
            + " \\(val_loss \\S+\\) \\| \\d+ epochs, \\d+ steps, \\d+ skipped) \\|");

    private static String figures(String output) {
        Matcher m = FIGURES.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void tuneOnSparkPicksTheWinnerOfTuneOnLocalThreads(@TempDir Path dir) throws Exception {
        String err = assertSameSearch(dir, "--trials", "4", "--eta", "2", "--min-epochs", "1");
        assertThat(err).contains("(eta 2), on Spark").contains("tune: rung 3/3, trial 1/1");
    }

    @Test
    void pbtOnSparkEndsAsPbtOnLocalThreads(@TempDir Path dir) throws Exception {
        String err = assertSameSearch(dir, "--algorithm", "pbt", "--population", "4", "--rounds", "3", "--quantile", "0.25");
        assertThat(err).contains("on Spark").contains("tune: round 3/3, member 4/4");
    }

    /**
     * A small search (16 hidden units, no augmentation, 3 epochs, one schedule space) with {@code options}, on local
     * threads (-o dir/local) then on Spark (-o dir/spark): the same figures, best.json and search.json. Spark's stderr.
     */
    private static String assertSameSearch(Path dir, String... options) throws Exception {
        Lr4jSpark.session("local[2]"); // the tests' session: tune --engine spark uses it
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        String[] search = concat(new String[] {"tune", "--config", config.toString(),
            "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
            "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))"}, options);
        StringWriter localOut = new StringWriter();
        StringWriter err = new StringWriter();
        int local = Main.commandLine().setOut(new PrintWriter(localOut)).setErr(new PrintWriter(err))
                .execute(concat(search, "--threads", "2", "-o", dir.resolve("local").toString()));
        assertThat(local).as(err.toString()).isZero();
        StringWriter sparkOut = new StringWriter();
        err = new StringWriter();
        int spark = Main.commandLine().setOut(new PrintWriter(sparkOut)).setErr(new PrintWriter(err))
                .execute(concat(search, "--engine", "spark", "--master", "local[2]", "-o", dir.resolve("spark").toString()));
        assertThat(spark).as(err.toString()).isZero();

        assertThat(figures(sparkOut.toString())).isEqualTo(figures(localOut.toString()));
        assertThat(dir.resolve("spark/best.json")).hasSameTextualContentAs(dir.resolve("local/best.json"));
        assertThat(dir.resolve("spark/search.json")).hasSameTextualContentAs(dir.resolve("local/search.json"));
        return err.toString();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
