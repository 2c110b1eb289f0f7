package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --engine djl} writes its logs through lr4j-train's MetricsLog: the lr4j engine's columns, and, since the
 * driver decides, the same scheduled values at every step (lr, momentum, weight_decay of each group).
 */
class DjlEngineCliTest extends CliHarness {

    private static final List<String> SCHEDULED = List.of("step", "epoch", "batch", "lr0", "lr1", "momentum0", "momentum1",
            "weight_decay0", "weight_decay1");

    @Test
    void djlLogs_haveTheLr4jEnginesColumns_andItsScheduledValues(@TempDir Path dir) throws Exception {
        String[] recipe = {"train", "--epochs", "2", "--hidden", "16", "--no-augment", "--param-groups", "no_decay",
            "--scheduler", "OneCycleLR(max_lr=[0.1, 0.02], total_steps=total_steps)",
            "--schedule", "weight_decay=CosineAnnealingLR(T_max=total_steps)"};
        assertThat(run(concat(recipe, "--report", dir.resolve("lr4j").toString(), "--quiet"))).as(err.toString()).isZero();
        assertThat(run(concat(recipe, "--report", dir.resolve("djl").toString(), "--engine", "djl", "--threads", "1")))
                .as(err.toString()).isZero();
        // Train and validation loss per epoch, as the lr4j engine prints them; the scheduled summary line.
        assertThat(err.toString()).contains("epoch 1/2  train loss ").contains("val loss ");
        assertThat(out.toString()).contains("scheduled: weight_decay0 0.0004998 -> 0.000, weight_decay1 0.000 -> 0.000")
                .contains("engine djl (PyTorch ");
        for (String log : List.of("steps.csv", "epochs.csv")) {
            assertThat(header(dir.resolve("djl/logs/" + log))).as(log).isEqualTo(header(dir.resolve("lr4j/logs/" + log)));
        }
        assertThat(Files.exists(dir.resolve("djl/logs/steps.jsonl"))).isTrue();
        List<String> lr4j = columns(dir.resolve("lr4j/logs/steps.csv"), SCHEDULED);
        List<String> djl = columns(dir.resolve("djl/logs/steps.csv"), SCHEDULED);
        assertThat(djl).hasSize(2 * 40 + 1).isEqualTo(lr4j); // 1,257 images / 32 = 40 steps per epoch, plus the header
        assertThat(columns(dir.resolve("djl/logs/epochs.csv"), List.of("epoch", "step", "lr0", "lr1", "weight_decay0", "lr_trained0")))
                .isEqualTo(columns(dir.resolve("lr4j/logs/epochs.csv"), List.of("epoch", "step", "lr0", "lr1", "weight_decay0", "lr_trained0")));
    }

    @Test
    void layers_runsOnDjl_withOneLrPerLayer(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--engine", "djl", "--epochs", "1", "--hidden", "16,8", "--no-augment", "--quiet", "--report",
                dir.toString(), "--param-groups", "layers", "--scheduler",
                "OneCycleLR(max_lr=[0.1, 0.05, 0.01], total_steps=total_steps)")).as(err.toString()).isZero();
        assertThat(header(dir.resolve("logs/steps.csv"))).contains("lr0,lr1,lr2,momentum0");
    }

    @Test
    void whatDjlCannotDo_isRefusedInOneLine(@TempDir Path dir) {
        assertThat(run("train", "--engine", "djl", "--accumulate", "2", "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("lr4j: --accumulate is not an option of --engine djl").doesNotContain("\n ");
        assertThat(Files.exists(dir.resolve("logs"))).isFalse();
    }

    @Test
    void threads_isRefusedOnSpark_andCheckedEverywhere(@TempDir Path dir) {
        assertThat(run("train", "--engine", "spark", "--threads", "2", "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: --threads is not an option of --engine spark: its parallelism is"
                + " --partitions (shards trained at once) and --master (e.g. local[2])" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("train", "--threads", "0", "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--threads must be >= 1, got 0");
    }

    @Test
    void threads_isPartOfTheRecipe(@TempDir Path dir) {
        assertThat(run("train", "--threads", "3", "--print-config")).isZero();
        assertThat(out.toString()).contains("\"threads\" : 3");
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    private static String header(Path csv) throws Exception {
        return Files.readAllLines(csv).get(0);
    }

    /** The given columns of every row (header included), as text. */
    private static List<String> columns(Path csv, List<String> names) throws Exception {
        List<String> rows = Files.readAllLines(csv);
        List<String> header = List.of(rows.get(0).split(","));
        List<String> out = new ArrayList<>();
        for (String row : rows) {
            String[] cells = row.split(",", -1);
            StringBuilder b = new StringBuilder();
            for (String n : names) {
                b.append(cells[header.indexOf(n)]).append(',');
            }
            out.add(b.toString());
        }
        return out;
    }
}
