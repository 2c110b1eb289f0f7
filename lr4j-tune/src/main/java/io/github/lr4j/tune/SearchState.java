package io.github.lr4j.tune;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.lr4j.train.RunSpec;
import io.github.lr4j.train.TestHold;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A search's saved state, {@code search.json} in its folder: what the search is (settings that change its result,
 * the space, the base recipe) and every finished part of a trial, written (to a temporary file, then renamed) as each
 * finishes. Numbers are written as Java's shortest exact form, so a resumed search reads back the very doubles it
 * measured.
 */
final class SearchState {
    static final String FILE = "search.json";
    private static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT).build();

    private final Path file;
    private final Map<String, Object> identity;
    private final List<TrialResult> results = new ArrayList<>();
    private Integer winner;

    private SearchState(Path file, Map<String, Object> identity) {
        this.file = file;
        this.identity = identity;
    }

    /** What makes two searches the same search (the threads do not change the result). */
    static Map<String, Object> identity(String algorithm, Map<String, Object> settings, SearchSpace space, RunSpec base) {
        Map<String, Object> id = new LinkedHashMap<>();
        id.put("format", "lr4j-tune");
        id.put("version", 1);
        id.put("algorithm", algorithm);
        id.put("settings", settings);
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("schedules", space.schedules());
        s.put("optimizer", space.optimizer());
        id.put("space", s);
        id.put("base", base.toMap());
        return id;
    }

    static SearchState openOrCreate(Path dir, SuccessiveHalving sha, SearchSpace space, RunSpec base) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trials", sha.trials());
        settings.put("eta", sha.eta());
        settings.put("min_epochs", sha.minEpochs());
        settings.put("seed", sha.seed());
        return openOrCreate(dir, identity("successive_halving", settings, space, base));
    }

    @SuppressWarnings("unchecked")
    static SearchState openOrCreate(Path dir, Map<String, Object> identity) {
        Path file = dir.resolve(FILE);
        // Compared as JSON trees: the identity read back must equal the one this search would write.
        Map<String, Object> mine;
        try {
            mine = JSON.readValue(JSON.writeValueAsString(identity), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SearchState state = new SearchState(file, mine);
        if (Files.exists(file)) {
            Map<String, Object> saved;
            try {
                saved = JSON.readValue(file.toFile(), Map.class);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the saved search " + file + ": " + e.getMessage(), e);
            }
            Map<String, Object> savedIdentity = new LinkedHashMap<>(saved);
            savedIdentity.remove("results");
            savedIdentity.remove("winner");
            Object savedSettings = savedIdentity.get("settings");
            Object mySettings = mine.get("settings");
            if (!savedIdentity.equals(mine) && Objects.equals(savedIdentity.get("algorithm"), mine.get("algorithm"))
                    && savedSettings instanceof Map<?, ?> ss && mySettings instanceof Map<?, ?> ms
                    && !ss.keySet().equals(ms.keySet())) {
                throw new IllegalArgumentException("the folder " + dir + " holds a search saved by an earlier lr4j (" + FILE
                        + " has the settings " + ss.keySet() + ", this version's are " + ms.keySet() + "): it cannot be"
                        + " resumed; start over in another folder");
            }
            if (!savedIdentity.equals(mine)) {
                throw new IllegalArgumentException("the folder " + dir + " holds another search (" + FILE + " has other settings,"
                        + " space or base recipe): resume it with the same options, or start over in another folder");
            }
            for (Object o : (List<Object>) saved.getOrDefault("results", List.of())) {
                Map<String, Object> r = (Map<String, Object>) o;
                state.results.add(new TrialResult(((Number) r.get("trial")).intValue(), ((Number) r.get("rung")).intValue(),
                        ((Number) r.get("epochs")).intValue(), ((Number) r.get("best_val_loss")).doubleValue(),
                        ((Number) r.get("best_epoch")).intValue(), ((Number) r.get("last_val_loss")).doubleValue(),
                        ((Number) r.get("steps")).longValue(), ((Number) r.get("skipped")).longValue(), false));
            }
        } else {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the search folder " + dir, e);
            }
            state.write();
        }
        return state;
    }

    /** The saved result of {@code trial} at {@code rung}, or null. */
    synchronized TrialResult result(int trial, int rung) {
        return results.stream().filter(r -> r.trial() == trial && r.rung() == rung).findFirst().orElse(null);
    }

    synchronized int saved() {
        return results.size();
    }

    /** Saves {@code r}; the file lists the results by rung, then trial, whatever order the parts finished in. */
    synchronized void record(TrialResult r) {
        results.add(r);
        results.sort(java.util.Comparator.comparingInt(TrialResult::rung).thenComparingInt(TrialResult::trial));
        write();
        TestHold.at("search"); // a kill test's moment: a finished part is saved, not yet reported or combined
    }

    synchronized void finish(int winnerTrial) {
        this.winner = winnerTrial;
        write();
    }

    private void write() {
        Map<String, Object> out = new LinkedHashMap<>(identity);
        List<Object> rows = new ArrayList<>();
        for (TrialResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("trial", r.trial());
            row.put("rung", r.rung());
            row.put("epochs", r.epochs());
            row.put("best_val_loss", r.bestValLoss());
            row.put("best_epoch", r.bestEpoch());
            row.put("last_val_loss", r.lastValLoss());
            row.put("steps", r.steps());
            row.put("skipped", r.skipped());
            rows.add(row);
        }
        out.put("results", rows);
        out.put("winner", winner);
        try {
            Path tmp = file.resolveSibling(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), out);
            TestHold.at("search-temp"); // a kill test's moment: the new state complete in its temporary file, not renamed
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // A kill test's moment: the new state in place (after the last one, best.json and the report are not yet written).
            TestHold.at("search-saved");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the search state " + file, e);
        }
    }
}
