package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run's recipe as a value: {@code train --print-config} prints it, {@code --config} reads it, flags override it. */
class RunConfigTest extends CliHarness {

    private String printed(String... args) {
        out.getBuffer().setLength(0);
        assertThat(run(args)).as(err.toString()).isZero();
        return out.toString();
    }

    @Test
    void printConfig_isJsonThatConfigReadsBack_sameRecipe(@TempDir Path dir) throws Exception {
        String first = printed("train", "--print-config", "--epochs", "7", "--hidden", "32,16", "--no-augment", "--optimizer",
                "AdamW(lr=1e-3, weight_decay=0.01)", "--scheduler", "CosineAnnealingLR(T_max=total_steps)", "--interval", "step",
                "--schedule", "weight_decay=LinearLR(start_factor=1.0, end_factor=0.1, total_iters=total_steps)",
                "--swa-start", "5", "--swa-lr", "0.01", "--early-stopping", "3");
        assertThat(first).contains("\"format\" : \"lr4j-run\"").contains("\"epochs\" : 7").contains("\"hidden\" : [ 32, 16 ]")
                .contains("\"weight_decay\" : \"LinearLR(");
        Path config = dir.resolve("run.json");
        Files.writeString(config, first);
        assertThat(printed("train", "--config", config.toString(), "--print-config")).isEqualTo(first);
    }

    @Test
    void flagsBesideConfig_overrideItsFields_andFieldsLeftOutKeepTheDefaults(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, "{\"epochs\": 4, \"optimizer\": \"SGD(lr=0.05)\", \"data\": {\"batch_size\": 64}}");
        String shown = printed("train", "--config", config.toString(), "--epochs", "9", "--print-config");
        assertThat(shown).contains("\"epochs\" : 9").contains("\"optimizer\" : \"SGD(lr=0.05)\"")
                .contains("\"batch_size\" : 64").contains("\"scheduler\" : \"OneCycleLR(max_lr=0.05, total_steps=total_steps)\"");
    }

    @Test
    void aConfigWithAnUnknownFieldOrAWrongType_exits2NamingIt(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("run.json");
        Files.writeString(config, "{\"epoch\": 4}");
        assertThat(run("train", "--config", config.toString(), "--print-config")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown field epoch").contains("epochs");
        err.getBuffer().setLength(0);
        Files.writeString(config, "{\"data\": {\"batch_size\": \"big\"}}");
        assertThat(run("train", "--config", config.toString(), "--print-config")).isEqualTo(2);
        assertThat(err.toString()).contains("data.batch_size must be a whole number");
    }

    @Test
    void aTrainingRunWritesItsRecipe_andTheRecipeRunsAgainWithTheSameResult(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("a");
        assertThat(run("train", "--epochs", "2", "--hidden", "16", "--no-augment", "--quiet", "--report", report.toString(),
                "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0001)")).isZero();
        String firstLine = out.toString().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        // The end of the run names the scheduled hyper-parameter with its first and last logged value (after step 1 and
        // after the last step; issue 24, item 2).
        assertThat(out.toString()).containsPattern("scheduled: weight_decay0 0\\.000(4\\d{3}|5000) -> 0\\.0001000\n");
        assertThat(report.resolve("run.json")).exists();
        out.getBuffer().setLength(0);
        assertThat(run("train", "--config", report.resolve("run.json").toString(), "--quiet", "--report",
                dir.resolve("b").toString())).isZero();
        String again = out.toString().lines().filter(l -> l.startsWith("test accuracy")).findFirst().orElseThrow();
        assertThat(again.substring(0, again.lastIndexOf('|'))).isEqualTo(firstLine.substring(0, firstLine.lastIndexOf('|')));
        assertThat(Files.readString(dir.resolve("b/logs/steps.csv"))).isEqualTo(Files.readString(report.resolve("logs/steps.csv")));
    }
}
