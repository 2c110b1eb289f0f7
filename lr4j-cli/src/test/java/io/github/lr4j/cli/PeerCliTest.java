package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hugging Face and timm schedules on the command line: trace replays the libraries' cases, check lints, train refuses a wrong clock. */
class PeerCliTest extends CliHarness {

    @ParameterizedTest
    @ValueSource(strings = {"timm_cosine_lr_scale.json", "hf_get_scheduler_warmup_stable_decay.json"})
    @SuppressWarnings("unchecked")
    void trace_replaysTheLibrarysCase(String file) throws Exception {
        Path path = Path.of(getClass().getResource("/" + file).toURI());
        assertThat(run("trace", path.toString())).isZero();
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> expected = json.readValue(path.toFile(), Map.class);
        Map<String, Object> actual = json.readValue(out.toString(), Map.class);
        List<Map<String, List<Number>>> want = (List<Map<String, List<Number>>>) expected.get("trace");
        List<Map<String, List<Number>>> got = (List<Map<String, List<Number>>>) actual.get("trace");
        assertThat(got).hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            for (int g = 0; g < want.get(i).get("lr").size(); g++) {
                double w = want.get(i).get("lr").get(g).doubleValue();
                double a = got.get(i).get("lr").get(g).doubleValue();
                assertThat(Math.abs(a - w)).as(file + " call " + i + " group " + g).isLessThanOrEqualTo(1e-12 * Math.abs(w));
            }
        }
        assertThat(actual.get("state_dict")).isInstanceOf(Map.class);
    }

    @Test
    void check_warnsOfATrainingLengthShorterThanTheRun() {
        assertThat(run("check", "hf.get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=100, num_training_steps=1000)",
                "--steps", "2000")).isEqualTo(1);
        assertThat(out.toString()).contains("warning: get_cosine_schedule_with_warmup num_training_steps=1000 is shorter than"
                + " the run (2000 steps)");
    }

    @Test
    void train_refusesATimmSchedulerSteppedOnTheOtherClock() {
        assertThat(run("train", "--epochs", "2", "--interval", "step", "--scheduler", "timm.CosineLRScheduler(optimizer, t_initial=2)"))
                .isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: CosineLRScheduler has t_in_epochs=True (timm's step(epoch), once per epoch)"
                + " but is stepped per optimizer step over 2 epochs: step it per epoch, or set t_in_epochs=False"
                + System.lineSeparator());
    }

    /** The numbers themselves are checked against transformers' own in lr4j-core's PeerTraceTest; here: every form agrees. */
    @Test
    void table_takesEveryFormAUserPastes() {
        assertThat(run("table", "get_cosine_schedule_with_warmup(num_warmup_steps=2, num_training_steps=10)", "--steps", "10",
                "--every", "5")).isZero();
        String expected = out.toString();
        assertThat(expected).startsWith("step,lr0\n0,0.0\n5,").endsWith("\n10,0.0\n");
        for (String spec : List.of("get_scheduler('cosine', optimizer, num_warmup_steps=2, num_training_steps=10)",
                "hf.get_scheduler(\"cosine\", optimizer, num_warmup_steps=2, num_training_steps=10)",
                "transformers.get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=2, num_training_steps=10)",
                "{\"type\": \"get_scheduler\", \"name\": \"cosine\", \"num_warmup_steps\": 2, \"num_training_steps\": 10}")) {
            out.getBuffer().setLength(0);
            assertThat(run("table", spec, "--steps", "10", "--every", "5")).as(spec).isZero();
            assertThat(out.toString()).as(spec).isEqualTo(expected);
        }
    }
}
