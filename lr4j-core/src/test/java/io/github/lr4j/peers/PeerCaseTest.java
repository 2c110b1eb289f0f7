package io.github.lr4j.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.GoldenCases;
import io.github.lr4j.spec.TraceRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every transformers and timm golden case (the 29 shared ones in golden/peers, the extra ones from
 * tools/golden/generate_peers.py in golden/peers-extra, and the noise cases in their non-portable/ folders)
 * through lr4j's value functions, following the case's step_call: every lr within 1e-12 relative of the
 * library's, momentum untouched, and the state the libraries save agrees where a value function has it.
 */
class PeerCaseTest {

    static Stream<Path> cases() {
        return Stream.of("peers", "peers/non-portable", "peers-extra", "peers-extra/non-portable")
                .flatMap(folder -> GoldenCases.files(folder).stream());
    }

    @Test
    void everyFolder_holdsTheExpectedNumberOfCases() {
        assertThat(GoldenCases.files("peers")).hasSize(29);
        assertThat(GoldenCases.files("peers/non-portable")).hasSize(1);
        assertThat(GoldenCases.files("peers-extra")).hasSize(63);
        assertThat(GoldenCases.files("peers-extra/non-portable")).hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void replayedThroughValueFunctions_matchesTheLibrary(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        String name = String.valueOf(c.get("name"));
        Replay replay = replay(c);
        GoldenCases.assertSameTrace(name, (List<?>) c.get("trace"), replay.trace, 1e-12);
        assertStateAgrees(name, c, replay);
    }

    private static final class Replay {
        final List<Map<String, Object>> trace = new ArrayList<>();
        TimmSchedule timm;
        TimmPlateau plateau;
        Map<String, Object> torchState;
    }

    @SuppressWarnings("unchecked")
    private static Replay replay(Map<String, Object> c) {
        List<Map<String, Object>> groups = (List<Map<String, Object>>) c.get("param_groups");
        double[] base = groups.stream().mapToDouble(g -> PeerCalls.dbl(g.get("lr"))).toArray();
        double[] scales = groups.stream().anyMatch(g -> g.containsKey("lr_scale"))
                ? groups.stream().mapToDouble(g -> g.containsKey("lr_scale") ? PeerCalls.dbl(g.get("lr_scale")) : Double.NaN).toArray()
                : null;
        List<Object> momentum = new ArrayList<>();
        for (Map<String, Object> g : groups) {
            momentum.add(g.containsKey("betas") ? ((List<Object>) g.get("betas")).get(0) : g.get("momentum"));
        }
        PyCall call = PyCall.parse((String) c.get("scheduler"));
        String stepCall = (String) c.get("step_call");
        int steps = ((Number) c.get("steps")).intValue();
        List<Object> metrics = (List<Object>) c.get("metrics");
        Replay r = new Replay();
        double[] lrs;
        if (call.args().contains("reduce_lr_on_plateau")) {
            // transformers' reduce_lr_on_plateau is torch's ReduceLROnPlateau itself, which lr4j's core replays.
            assertThat(stepCall).isEqualTo("step(metric)");
            StringBuilder torch = new StringBuilder("ReduceLROnPlateau(optimizer");
            ((Map<String, Object>) call.kwargs().get("scheduler_specific_kwargs")).forEach(
                    (k, v) -> torch.append(", ").append(k).append('=').append(v));
            Map<String, Object> asTorch = new HashMap<>(c);
            asTorch.put("scheduler", torch.append(')').toString());
            Map<String, Object> result = TraceRunner.run(asTorch);
            r.trace.addAll((List<Map<String, Object>>) result.get("trace"));
            r.torchState = (Map<String, Object>) result.get("state_dict");
            return r;
        }
        if (call.callee().startsWith("hf.")) {
            assertThat(stepCall).isEqualTo("step()");
            LongToDoubleFunction f = PeerCalls.hf(call, base[0]);
            for (int s = 0; s <= steps; s++) {
                double m = f.applyAsDouble(s);
                r.trace.add(entry(Arrays.stream(base).map(b -> b * m).toArray(), momentum));
            }
            return r;
        }
        if (call.callee().equals("timm.PlateauLRScheduler")) {
            r.plateau = PeerCalls.timmPlateau(call, base, scales);
            r.trace.add(entry(r.plateau.lrs(), momentum));
            for (int i = 0; i < steps; i++) {
                assertThat(stepCall).isEqualTo("step(epoch, metric)");
                Object metric = metrics.get(i);
                r.plateau.step(i + 1, metric == null ? null : GoldenCases.toDouble(metric));
                r.trace.add(entry(r.plateau.lrs(), momentum));
            }
            return r;
        }
        r.timm = PeerCalls.timm(call);
        lrs = r.timm.initialLrs(base, scales);
        r.trace.add(entry(lrs, momentum));
        for (int i = 0; i < steps; i++) {
            boolean applies = stepCall.equals("step(epoch)") ? r.timm.tInEpochs() : !r.timm.tInEpochs();
            assertThat(stepCall).isIn("step(epoch)", "step_update(num_updates)");
            if (applies) {
                lrs = r.timm.lrs(i + 1, base, scales);
            }
            r.trace.add(entry(lrs, momentum));
        }
        return r;
    }

    private static Map<String, Object> entry(double[] lrs, List<Object> momentum) {
        List<Object> lr = new ArrayList<>();
        for (double v : lrs) {
            lr.add(v);
        }
        Map<String, Object> e = new HashMap<>();
        e.put("lr", lr);
        e.put("momentum", momentum);
        return e;
    }

    @SuppressWarnings("unchecked")
    private static void assertStateAgrees(String name, Map<String, Object> c, Replay r) {
        Map<String, Object> state = (Map<String, Object>) c.get("state_dict");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) c.get("param_groups");
        double[] base = groups.stream().mapToDouble(g -> PeerCalls.dbl(g.get("lr"))).toArray();
        if (r.torchState != null) {
            for (String key : List.of("best", "last_epoch", "num_bad_epochs", "cooldown_counter")) {
                assertThat(GoldenCases.toDouble(r.torchState.get(key))).as(name + " state_dict." + key)
                        .isEqualTo(GoldenCases.toDouble(state.get(key)));
            }
        } else if (r.plateau != null) {
            assertThat(r.plateau.best()).as(name + " state_dict.best").isEqualTo(GoldenCases.toDouble(state.get("best")));
            assertThat(r.plateau.lastEpoch()).as(name + " state_dict.last_epoch").isEqualTo(PeerCalls.lng(state.get("last_epoch")));
        } else if (r.timm != null) {
            assertThat(((List<Number>) state.get("base_values")).stream().mapToDouble(Number::doubleValue).toArray())
                    .as(name + " state_dict.base_values").containsExactly(base);
            List<Number> warmupSteps = (List<Number>) state.get("warmup_steps");
            for (int g = 0; g < base.length; g++) {
                double want = warmupSteps.get(g).doubleValue();
                assertThat(Math.abs(r.timm.warmupStep(base[g]) - want)).as(name + " state_dict.warmup_steps[" + g + "]")
                        .isLessThanOrEqualTo(1e-12 * Math.abs(want));
            }
        } else {
            assertThat(PeerCalls.lng(state.get("last_epoch"))).as(name + " state_dict.last_epoch")
                    .isEqualTo(((Number) c.get("steps")).longValue());
            assertThat(((List<Number>) state.get("base_lrs")).stream().mapToDouble(Number::doubleValue).toArray())
                    .as(name + " state_dict.base_lrs").containsExactly(base);
        }
    }
}
