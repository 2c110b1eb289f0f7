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

/** Every optimizer case run by real torch.optim (PyTorch 1.13, float32, foreach=False) is reproduced. */
class GoldenOptimTest {

    /**
     * The shared cases (golden/), ours from tools/golden/generate_optim.py (golden-extra/), and from
     * tools/golden/generate_hyper.py (golden-hyper/: weight decay, beta2, eps, momentum scheduled by hand in torch).
     */
    static Stream<Path> cases() throws IOException, URISyntaxException {
        return Stream.of(list("/golden"), list("/golden-extra"), list("/golden-hyper")).flatMap(s -> s);
    }

    private static Stream<Path> list(String folder) throws IOException, URISyntaxException {
        Path dir = Paths.get(GoldenOptimTest.class.getResource(folder).toURI());
        return Files.list(dir).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void everyParameterAfterEveryStep_matchesTorchOptim(Path file) throws IOException {
        Map<String, Object> testCase = new ObjectMapper().readValue(Files.readString(file), Map.class);
        Map<String, Object> result = OptimTraceRunner.run(testCase);
        List<List<List<List<Number>>>> want = (List<List<List<List<Number>>>>) testCase.get("trace");
        List<List<List<List<Number>>>> got = (List<List<List<List<Number>>>>) result.get("trace");
        assertThat(got).hasSameSizeAs(want);
        for (int s = 0; s < want.size(); s++) {
            assertThat(got.get(s)).as("%s step %d: groups", testCase.get("name"), s).hasSameSizeAs(want.get(s));
            for (int g = 0; g < want.get(s).size(); g++) {
                assertThat(got.get(s).get(g)).as("%s step %d group %d: tensors", testCase.get("name"), s, g)
                        .hasSameSizeAs(want.get(s).get(g));
                for (int t = 0; t < want.get(s).get(g).size(); t++) {
                    List<Number> w = want.get(s).get(g).get(t);
                    List<Number> v = got.get(s).get(g).get(t);
                    assertThat(v).hasSameSizeAs(w);
                    for (int i = 0; i < w.size(); i++) {
                        double e = w.get(i).doubleValue();
                        double a = v.get(i).doubleValue();
                        assertThat(Math.abs(a - e)).as("%s step %d group %d tensor %d [%d]: got %s, torch %s",
                                testCase.get("name"), s, g, t, i, a, e).isLessThanOrEqualTo(1e-6 + 1e-5 * Math.abs(e));
                    }
                }
            }
        }
        // The scheduled hyper-parameters each step used (a test that would fail if the schedule were not applied).
        List<List<Number>> hyperUsed = (List<List<Number>>) testCase.get("hyper_used");
        if (hyperUsed != null) {
            List<List<Number>> ours = (List<List<Number>>) result.get("hyper_used");
            assertThat(ours).as("hyper_used").isNotNull().hasSameSizeAs(hyperUsed);
            for (int s = 0; s < hyperUsed.size(); s++) {
                for (int i = 0; i < hyperUsed.get(s).size(); i++) {
                    double e = hyperUsed.get(s).get(i).doubleValue();
                    assertThat(ours.get(s).get(i).doubleValue()).as("hyper_used[%d][%d]", s, i)
                            .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(e) + 1e-18));
                }
            }
        }
        List<List<Number>> lrUsed = (List<List<Number>>) testCase.get("lr_used");
        if (lrUsed != null) {
            List<List<Number>> ours = (List<List<Number>>) result.get("lr_used");
            assertThat(ours).as("lr_used").isNotNull().hasSameSizeAs(lrUsed);
            for (int s = 0; s < lrUsed.size(); s++) {
                assertThat(ours.get(s)).as("lr_used[%d]", s).hasSameSizeAs(lrUsed.get(s));
                for (int g = 0; g < lrUsed.get(s).size(); g++) {
                    double e = lrUsed.get(s).get(g).doubleValue();
                    assertThat(ours.get(s).get(g).doubleValue()).as("lr_used[%d][%d]", s, g)
                            .isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12 * Math.abs(e) + 1e-18));
                }
            }
        }
    }
}
