package io.github.lr4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.spec.TraceRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transformers and timm case made by the libraries' own code (the 29 shared ones, the extra ones of
 * tools/golden/generate_peers.py, and the noise cases) replays through the schedule language with the case's
 * {@code scheduler} expression exactly as written ({@code hf.}/{@code timm.} prefixes, {@code get_scheduler(...)},
 * dict literals) and its {@code step_call}: every lr within 1e-12 relative, momentum untouched. So does a warm-up
 * then ReduceLROnPlateau in one SequentialLR, against the loop PyTorch users write by hand for it
 * (tools/golden/generate_warmup_plateau.py).
 */
class PeerTraceTest {

    static Stream<Path> cases() {
        return Stream.of("peers", "peers/non-portable", "peers-extra", "peers-extra/non-portable",
                "warmup-plateau")
                .flatMap(folder -> GoldenCases.files(folder).stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void expressionAsWritten_replaysTheLibrarysTrace(Path file) {
        Map<String, Object> c = GoldenCases.read(file);
        Map<String, Object> result = TraceRunner.run(c);
        GoldenCases.assertSameTrace(String.valueOf(c.get("name")), (List<?>) c.get("trace"), (List<?>) result.get("trace"), 1e-12);
    }

    /** Saved after a third of the calls (mid-warm-up for most), rebuilt, restored: the rest is the library's trace. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void savedAndRestoredPartWay_continuesExactly(Path file) {
        Map<String, Object> c = new LinkedHashMap<>(GoldenCases.read(file));
        long steps = ((Number) c.get("steps")).longValue();
        c.put("resume_at", Math.max(1, steps / 3));
        Map<String, Object> result = TraceRunner.run(c);
        GoldenCases.assertSameTrace(String.valueOf(c.get("name")), (List<?>) c.get("trace"), (List<?>) result.get("trace"), 1e-12);
        assertThat(result.get("state_dict")).isInstanceOf(Map.class);
    }
}
