package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schedule-free case run by the reference implementation (facebookresearch/schedule_free
 * 1.4.1 on PyTorch 1.13, float32) is reproduced: train- and eval-mode parameters after every step,
 * and the groups' scalars.
 */
class GoldenScheduleFreeTest {

    /** The shared cases (golden-schedulefree/) and ours from tools/golden/generate_schedulefree.py (golden-schedulefree-extra/). */
    static Stream<Path> cases() throws IOException, URISyntaxException {
        return Stream.concat(list("/golden-schedulefree"), list("/golden-schedulefree-extra"));
    }

    private static Stream<Path> list(String folder) throws IOException, URISyntaxException {
        if (GoldenScheduleFreeTest.class.getResource(folder) == null) {
            return Stream.empty();
        }
        Path dir = Paths.get(GoldenScheduleFreeTest.class.getResource(folder).toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void trainAndEvalParametersAfterEveryStep_matchTheReference(Path file) throws IOException {
        Map<String, Object> testCase = new ObjectMapper().readValue(Files.readString(file), Map.class);
        Map<String, Object> result = OptimTraceRunner.run(testCase);
        for (String trace : List.of("trace_train", "trace_eval")) {
            List<List<List<List<Number>>>> want = (List<List<List<List<Number>>>>) testCase.get(trace);
            List<List<List<List<Number>>>> got = (List<List<List<List<Number>>>>) result.get(trace);
            assertThat(got).as(trace).hasSameSizeAs(want);
            for (int s = 0; s < want.size(); s++) {
                for (int g = 0; g < want.get(s).size(); g++) {
                    for (int t = 0; t < want.get(s).get(g).size(); t++) {
                        List<Number> w = want.get(s).get(g).get(t);
                        List<Number> v = got.get(s).get(g).get(t);
                        assertThat(v).hasSameSizeAs(w);
                        for (int i = 0; i < w.size(); i++) {
                            double e = w.get(i).doubleValue();
                            double a = v.get(i).doubleValue();
                            assertThat(Math.abs(a - e)).as("%s %s step %d group %d tensor %d [%d]: got %s, reference %s",
                                    testCase.get("name"), trace, s, g, t, i, a, e).isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(e));
                        }
                    }
                }
            }
        }
        for (String scalar : List.of("scheduled_lr", "lr_max", "weight_sum")) {
            List<List<Number>> want = (List<List<Number>>) testCase.get(scalar);
            List<List<Number>> got = (List<List<Number>>) result.get(scalar);
            for (int s = 0; s < want.size(); s++) {
                for (int g = 0; g < want.get(s).size(); g++) {
                    double e = want.get(s).get(g).doubleValue();
                    assertThat(got.get(s).get(g).doubleValue()).as("%s %s[%d][%d]", testCase.get("name"), scalar, s, g)
                            .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(e)));
                }
            }
        }
    }
}
