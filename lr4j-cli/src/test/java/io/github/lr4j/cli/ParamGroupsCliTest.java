package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --param-groups}: groups from the command line, so per-group schedules run from {@code train}. */
class ParamGroupsCliTest extends CliHarness {

    @Test
    void noDecay_givesTwoGroups_andAPerGroupScheduleDrivesEach(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--epochs", "2", "--hidden", "16", "--no-augment", "--quiet", "--report", dir.toString(),
                "--param-groups", "no_decay", "--scheduler",
                "PerGroup(schedulers=[CosineAnnealingLR(T_max=total_steps), ConstantLR(factor=0.5, total_iters=1000)])"))
                .as(err.toString()).isZero();
        List<String> rows = Files.readAllLines(dir.resolve("logs/steps.csv"));
        List<String> columns = List.of(rows.get(0).split(","));
        assertThat(columns).contains("lr0", "lr1");
        String[] last = rows.get(rows.size() - 1).split(",");
        assertThat(Double.parseDouble(last[columns.indexOf("lr0")])).isLessThan(0.01); // the cosine ran down
        assertThat(Double.parseDouble(last[columns.indexOf("lr1")])).isEqualTo(0.05);  // the biases' constant half
        assertThat(Files.readString(dir.resolve("run.json"))).contains("\"param_groups\" : \"no_decay\"");
    }

    @Test
    void layers_givesOneGroupPerLayer_andAWrongValueIsRefused(@TempDir Path dir) throws Exception {
        assertThat(run("train", "--epochs", "1", "--hidden", "16,8", "--no-augment", "--quiet", "--report", dir.toString(),
                "--param-groups", "layers", "--scheduler", "OneCycleLR(max_lr=[0.1, 0.05, 0.01], total_steps=total_steps)"))
                .as(err.toString()).isZero();
        assertThat(Files.readAllLines(dir.resolve("logs/steps.csv")).get(0)).contains("lr0,lr1,lr2,momentum0");
        assertThat(run("train", "--param-groups", "biases", "--report", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--param-groups must be one, no_decay or layers, got biases");
    }
}
