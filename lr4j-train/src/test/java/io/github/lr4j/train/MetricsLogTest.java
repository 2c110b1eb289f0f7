package io.github.lr4j.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The metrics log's hand-written rows are what Jackson (JSON) and String.valueOf (CSV) made of them before. */
class MetricsLogTest {
    private static final ObjectMapper JACKSON = new ObjectMapper();
    private static final String[] COLUMNS = {"step", "epoch", "loss", "skipped", "lr0", "momentum0", "weight_decay0"};

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void rowsAreWrittenAsJacksonAndStringValueOfWriteThem(long seed) throws IOException {
        Random random = new Random(seed);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int r = 0; r < 200; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String c : COLUMNS) {
                if (r > 0 && random.nextInt(20) == 0) {
                    continue; // a column missing from a later row: an empty CSV cell
                }
                row.put(c, value(random));
            }
            if (r > 0 && random.nextInt(15) == 0) {
                row.put("extra \"quoted\" key", value(random)); // needs escaping: not in the CSV's columns
            }
            if (r > 0 && random.nextInt(15) == 0) {
                row.put("note", "text, with \"quotes\"\n"); // a value written by Jackson
            }
            rows.add(row);
        }
        try (MetricsLog log = new MetricsLog(dir)) {
            for (Map<String, Object> row : rows) {
                log.step(row);
            }
            assertThat(log.stepRows()).isEqualTo(rows.size());
            // the rows counted are on disk before close (a checkpoint records the count)
            assertThat(Files.readAllLines(dir.resolve("steps.jsonl"))).hasSize(rows.size());
        }
        List<String> json = new ArrayList<>();
        List<String> csv = new ArrayList<>();
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        csv.add(String.join(",", columns));
        for (Map<String, Object> row : rows) {
            json.add(JACKSON.writeValueAsString(row));
            List<String> cells = new ArrayList<>();
            for (String c : columns) {
                cells.add(row.get(c) == null ? "" : String.valueOf(row.get(c)));
            }
            csv.add(String.join(",", cells));
        }
        assertThat(Files.readString(dir.resolve("steps.jsonl"), StandardCharsets.UTF_8))
                .isEqualTo(String.join(System.lineSeparator(), json) + System.lineSeparator());
        assertThat(Files.readString(dir.resolve("steps.csv"), StandardCharsets.UTF_8))
                .isEqualTo(String.join(System.lineSeparator(), csv) + System.lineSeparator());
    }

    @org.junit.jupiter.api.Test
    void resumingALogWrittenBeforeAColumnWasAdded_givesTheHeaderTheColumn_andLeavesItsRowsAsTheyWere() throws IOException {
        String n = System.lineSeparator();
        // epochs.csv as lr4j wrote it before lr_trained0 (021fcbf): two rows, the checkpoint counted one.
        Files.writeString(dir.resolve("epochs.csv"), "epoch,lr0,best" + n + "1,0.5,true" + n + "2,0.25,false" + n);
        Files.writeString(dir.resolve("epochs.jsonl"), "{\"epoch\":1,\"lr0\":0.5,\"best\":true}" + n
                + "{\"epoch\":2,\"lr0\":0.25,\"best\":false}" + n);
        try (MetricsLog log = new MetricsLog(dir)) {
            log.truncate(0, 1);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", 2);
            row.put("lr0", 0.125);
            row.put("best", true);
            row.put("lr_trained0", 0.25);
            log.epoch(row);
        }
        assertThat(Files.readString(dir.resolve("epochs.csv")))
                .isEqualTo("epoch,lr0,best,lr_trained0" + n + "1,0.5,true" + n + "2,0.125,true,0.25" + n);
        assertThat(Files.readString(dir.resolve("epochs.jsonl"))).isEqualTo("{\"epoch\":1,\"lr0\":0.5,\"best\":true}" + n
                + "{\"epoch\":2,\"lr0\":0.125,\"best\":true,\"lr_trained0\":0.25}" + n);
    }

    private static Object value(Random random) {
        switch (random.nextInt(12)) {
            case 0: return null;
            case 1: return random.nextBoolean();
            case 2: return random.nextLong();
            case 3: return random.nextInt();
            case 4: return random.nextFloat() * 10 - 5;
            case 5: return new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
                    Double.MIN_VALUE, Double.MAX_VALUE, 1e-7, 1e7, 1.0}[random.nextInt(10)];
            case 6: return new float[] {Float.NaN, Float.POSITIVE_INFINITY, -0f, 1e-8f}[random.nextInt(4)];
            case 7: return Double.longBitsToDouble(random.nextLong());
            default: return random.nextDouble() * Math.pow(10, random.nextInt(20) - 10);
        }
    }
}
