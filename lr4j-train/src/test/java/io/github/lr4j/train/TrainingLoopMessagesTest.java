package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a person reads from the loop: epochs from 1 everywhere, no Java array addresses, warnings for stacked schedules. */
class TrainingLoopMessagesTest {

    @Test
    void plateauStackedOnOneCycle_warnsBeforeTraining(@TempDir Path dir) {
        TrainingLoop t = KillableRun.trainer(dir.resolve("ckpt"), dir.resolve("logs"), 0);
        assertThat(t.preflight()).contains("ReduceLROnPlateau is stacked on OneCycleLR, which sets the lr from its own schedule"
                + " at every step: every cut of ReduceLROnPlateau is overwritten");
    }

    @Test
    @SuppressWarnings("unchecked")
    void epochs_countFromOne_inLogsAndTheEarlyStoppingMessage_agreeingWithTheResult(@TempDir Path dir) throws Exception {
        Digits.Split split = Digits.split();
        Mlp model = new Mlp(64, new int[] {8}, 10, 3);
        io.github.lr4j.optim.Optimizer opt = io.github.lr4j.optim.Optimizers.create("SGD", Map.of("lr", 3.0));
        opt.addParamGroup(model.parameters());
        List<String> warnings = new ArrayList<>();
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(30).batchSize(64)
                .earlyStopping(new EarlyStopping(2, 0, true)).log(dir).listener(new TrainListener() {
                    @Override
                    public void onWarning(String message) {
                        warnings.add(message);
                    }
                });
        TrainingLoop.Result r = t.fit();
        assertThat(r.stoppedEarly()).isTrue();
        ObjectMapper json = new ObjectMapper();
        List<String> epochRows = Files.readAllLines(dir.resolve("epochs.jsonl"));
        assertThat(json.readValue(epochRows.get(0), Map.class).get("epoch")).isEqualTo(1);
        assertThat(json.readValue(epochRows.get(epochRows.size() - 1), Map.class).get("epoch")).isEqualTo(r.epochsRun());
        assertThat(json.readValue(Files.readAllLines(dir.resolve("steps.jsonl")).get(0), Map.class).get("epoch")).isEqualTo(1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("early stopping after epoch " + r.epochsRun() + ":")
                .endsWith("at epoch " + r.bestEpoch() + ")"));
    }

    @Test
    void result_printsLrsAsNumbers() {
        TrainingLoop.EpochInfo e = new TrainingLoop.EpochInfo(0, 10, 0.5, 0.4, 0.9, new double[] {0.1, 0.01}, true);
        TrainingLoop.Result r = new TrainingLoop.Result(1, 10, 0, false, 0, 0.4, List.of(e));
        assertThat(r.toString()).contains("lr=[0.1, 0.01]").doesNotContain("[D@");
        TrainingLoop.StepInfo s = new TrainingLoop.StepInfo(3, 0, 2, 4, 0.3, new double[] {0.1}, new double[] {0.9}, false);
        assertThat(s.toString()).contains("lr=[0.1]").contains("momentum=[0.9]").doesNotContain("[D@");
    }
}
