package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lr4j tune}: the winner's recipe, trained again by {@code train --config}, gives the tune line's figures. */
class TuneCommandTest extends CliHarness {
    /** The figures of a final line: test accuracy, test loss, best epoch, val_loss, epochs, steps, skipped (not the time). */
    private static final Pattern FIGURES = Pattern.compile(
            "(test accuracy \\S+ \\(loss \\S+\\) \\| best epoch \\d+ \\(val_loss \\S+\\) \\| \\d+ epochs, \\d+ steps, \\d+ skipped) \\|");

    private static String figures(String output) {
        Matcher m = FIGURES.matcher(output);
        assertThat(m.find()).as(output).isTrue();
        return m.group(1);
    }

    @Test
    void theWinnersRecipeTrainedAgainGivesTheSameFigures(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        Path report = dir.resolve("tune");
        int code = run("tune", "--config", config.toString(), "--trials", "4", "--eta", "2", "--min-epochs", "1", "--threads", "2",
                "--space", "OneCycleLR(max_lr=lr, pct_start=uniform(0.1, 0.45), total_steps=total_steps)",
                "--space", "get_cosine_schedule_with_warmup(num_warmup_steps=int(0, 40), num_training_steps=total_steps)",
                "--space-optimizer", "SGD(lr=loguniform(0.03, 0.5), momentum=uniform(0.8, 0.95))", "-o", report.toString());
        assertThat(code).as(err.toString()).isZero();
        String tuned = figures(out.toString());
        assertThat(err.toString()).contains("tune: rung 1/3: 4 trials to epoch 1").contains("rung 3/3, trial 1/1");
        assertThat(report.resolve("index.html")).exists();
        assertThat(Files.readString(report.resolve("index.html"))).contains("(winner)").contains("stopped at").contains("rung 1 (to epoch 1)");

        out.getBuffer().setLength(0);
        assertThat(run("train", "--config", report.resolve("best.json").toString(), "--quiet", "-o", dir.resolve("train").toString()))
                .as(err.toString()).isZero();
        assertThat(figures(out.toString())).isEqualTo(tuned);
    }

    /** Engines and their options refused before any work, with one line naming the option (lr4j-spark is not on this classpath). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--engine nope                   | --engine must be lr4j (local threads) or spark, got nope",
        "--engine spark                  | --engine spark is not on this classpath: run it through the ./lr4j launcher",
        "--master local[2]               | --master is a spark option",
        "--engine spark --threads 2      | --threads is an lr4j-engine option"})
    void engineOptionsAreCheckedBeforeAnyWork(String options, String message, @TempDir Path dir) {
        String[] args = (String.join(" ", "tune", options, "-o", dir.resolve("r").toString())).split(" +");
        assertThat(run(args)).isEqualTo(2);
        assertThat(err.toString().lines().toList()).hasSize(1).first(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .startsWith("lr4j: ").contains(message);
        assertThat(dir.resolve("r")).doesNotExist();
    }

    @Test
    void resumeWithoutASavedSearchExits2(@TempDir Path dir) {
        assertThat(run("tune", "--resume", "latest", "-o", dir.resolve("none").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no saved search");
    }
}
