package io.github.lr4j.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lr4j.GoldenCases;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** SWALR cases from real PyTorch 1.13 (tools/golden/generate_swa.py), replayed through {@link SwaLr} at 1e-12. */
class SwaLrTest {

    static Stream<Path> cases() {
        return GoldenCases.files("swa").stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void everyStep_matchesPyTorch(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        List<Map<String, Object>> groups = (List<Map<String, Object>>) c.get("param_groups");
        PyCall call = PyCall.parse((String) c.get("scheduler"));
        Map<String, Object> kw = call.kwargs();
        Object swaLr = kw.get("swa_lr");
        long annealEpochs = kw.containsKey("anneal_epochs") ? PeerCalls.lng(kw.get("anneal_epochs")) : 10;
        SwaLr.Anneal anneal = SwaLr.Anneal.valueOf(((String) kw.getOrDefault("anneal_strategy", "cos")).toUpperCase(Locale.ROOT));
        List<SwaLr> perGroup = new ArrayList<>();
        List<Object> momentum = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            double swa = PeerCalls.dbl(swaLr instanceof List ? ((List<?>) swaLr).get(g) : swaLr);
            perGroup.add(kw.size() == 1 ? SwaLr.of(swa) : SwaLr.of(swa, annealEpochs, anneal));
            Map<String, Object> group = groups.get(g);
            momentum.add(group.containsKey("betas") ? ((List<Object>) group.get("betas")).get(0) : group.get("momentum"));
        }
        int steps = ((Number) c.get("steps")).intValue();
        List<Map<String, Object>> trace = new ArrayList<>();
        for (int k = 0; k <= steps; k++) {
            List<Object> lr = new ArrayList<>();
            for (int g = 0; g < groups.size(); g++) {
                lr.add(perGroup.get(g).lr(k, PeerCalls.dbl(groups.get(g).get("lr"))));
            }
            Map<String, Object> e = new HashMap<>();
            e.put("lr", lr);
            e.put("momentum", momentum);
            trace.add(e);
        }
        GoldenCases.assertSameTrace(String.valueOf(c.get("name")), (List<?>) c.get("trace"), trace, 1e-12);
    }

    @Test
    void everyCaseFile_isThere() {
        assertThat(GoldenCases.files("swa")).hasSize(11);
    }

    @Test
    void badArguments_failNamingTheParameter() {
        assertThatThrownBy(() -> SwaLr.of(-0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("swa_lr must be finite and >= 0, got -0.1");
        assertThatThrownBy(() -> SwaLr.of(0.1, -1, SwaLr.Anneal.COS)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("anneal_epochs must be >= 0, got -1");
        assertThatThrownBy(() -> SwaLr.of(0.1, 3, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("anneal_strategy must be 'cos' or 'linear', got null");
        assertThatThrownBy(() -> SwaLr.of(0.1).lr(-1, 0.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step must be >= 0, got -1");
        assertThatThrownBy(() -> SwaLr.of(0.1).lr(2, Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initial lr must be finite and >= 0, got NaN");
    }
}
