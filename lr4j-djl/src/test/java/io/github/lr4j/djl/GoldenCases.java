package io.github.lr4j.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The golden cases the DJL tests replay: {@code /FOLDER/NAME.json} among the test resources. */
final class GoldenCases {
    private GoldenCases() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(String folder, String name) throws IOException {
        try (InputStream in = GoldenCases.class.getResourceAsStream("/" + folder + "/" + name + ".json")) {
            if (in == null) {
                throw new IOException("no golden case /" + folder + "/" + name + ".json");
            }
            return new ObjectMapper().readValue(in, Map.class);
        }
    }
}
