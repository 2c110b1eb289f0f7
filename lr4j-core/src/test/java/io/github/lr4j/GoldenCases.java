package io.github.lr4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Loads golden cases from test resources and compares traces to them. */
public final class GoldenCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GoldenCases() {
    }

    /** Every case file under {@code golden/<folder>/}, sorted by name. */
    public static List<Path> files(String folder) {
        URL url = GoldenCases.class.getResource("/golden/" + folder);
        assertThat(url).as("test resource folder golden/" + folder).isNotNull();
        try (Stream<Path> s = Files.list(Paths.get(url.toURI()))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readValue(in, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double toDouble(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        switch (String.valueOf(v)) {
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            default: return Double.NaN;
        }
    }

    /** Asserts relative error <= tolerance on every lr and momentum of every trace entry. */
    @SuppressWarnings("unchecked")
    public static void assertSameTrace(String name, List<?> expected, List<?> actual, double tolerance) {
        assertThat(actual).as(name + ": number of trace entries").hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> e = (Map<String, Object>) expected.get(i);
            Map<String, Object> a = (Map<String, Object>) actual.get(i);
            for (String key : List.of("lr", "momentum")) {
                List<Object> ev = (List<Object>) e.get(key);
                List<Object> av = (List<Object>) a.get(key);
                assertThat(av).as(name + " trace[" + i + "]." + key + " size").hasSameSizeAs(ev);
                for (int g = 0; g < ev.size(); g++) {
                    String where = name + " trace[" + i + "]." + key + "[" + g + "]";
                    if (ev.get(g) == null) {
                        assertThat(av.get(g)).as(where).isNull();
                        continue;
                    }
                    double want = toDouble(ev.get(g));
                    double got = toDouble(av.get(g));
                    assertThat(Math.abs(got - want)).as(where + ": got " + got + ", PyTorch " + want)
                            .isLessThanOrEqualTo(tolerance * Math.abs(want));
                }
            }
        }
    }
}
