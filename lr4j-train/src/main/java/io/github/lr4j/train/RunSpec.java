package io.github.lr4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recipe of a training run of the digits job, as a value: the model, the data, the optimizer, the lr schedule and
 * every hyper-parameter schedule, SWA, early stopping, checkpoints and the engine's options. It is what
 * {@code lr4j train --print-config} prints and {@code --config} reads (JSON), and what a checkpoint stores (in its
 * {@link #toOptions() option form}, which a resume compares option by option).
 *
 * <p>Text fields hold expressions in the schedule language or PyTorch syntax, exactly as on the command line; a
 * schedule of {@code "none"} means a constant lr. Null fields are "not set": the engine's default.
 */
public record RunSpec(String engine, List<Integer> hidden, String paramGroups, boolean augment, int batchSize, long seed, String optimizer,
                      String scheduler, String interval, Map<String, String> schedules, int epochs, int accumulate,
                      String monitor, int earlyStopping, double minDelta, Integer swaStart, Double swaLr, int swaAnnealEpochs,
                      String swaAnnealStrategy, String checkpointDir, long checkpointEvery, int keep, String master,
                      Integer partitions, Integer localSteps, Integer threads) implements java.io.Serializable {

    public RunSpec {
        hidden = List.copyOf(hidden);
        schedules = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schedules));
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The recipe as JSON: sections as in {@link #toMap()}, every default filled in. */
    public String toJson() {
        try {
            return MAPPER.writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON form as maps and lists. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "lr4j-run");
        m.put("version", 1);
        m.put("engine", engine);
        m.put("model", ordered("hidden", hidden, "param_groups", paramGroups));
        m.put("data", ordered("augment", augment, "batch_size", batchSize, "seed", seed));
        m.put("optimizer", optimizer);
        m.put("scheduler", scheduler);
        m.put("interval", interval);
        m.put("schedules", schedules);
        m.put("epochs", epochs);
        m.put("accumulate", accumulate);
        m.put("monitor", monitor);
        m.put("early_stopping", ordered("patience", earlyStopping, "min_delta", minDelta));
        m.put("swa", swaStart == null ? null : ordered("start_epoch", swaStart, "swa_lr", swaLr, "anneal_epochs", swaAnnealEpochs,
                "anneal_strategy", swaAnnealStrategy));
        m.put("checkpoints", ordered("dir", checkpointDir, "every", checkpointEvery, "keep", keep));
        m.put("spark", ordered("master", master, "partitions", partitions, "local_steps", localSteps));
        m.put("threads", threads); // null: the engine's default (lr4j 1, DJL the cores not busy)
        return m;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /**
     * A recipe from its JSON form, every field checked (type, unknown keys); fields left out keep {@code defaults}'
     * values, so a config file may give only what it changes.
     */
    public static RunSpec fromMap(Map<String, ?> json, RunSpec defaults, String source) {
        Reader r = new Reader(source, "", json, Set.of("format", "version", "engine", "model", "data", "optimizer", "scheduler",
                "interval", "schedules", "epochs", "accumulate", "monitor", "early_stopping", "swa", "checkpoints", "spark",
                "threads"));
        if (json.containsKey("format") && !"lr4j-run".equals(json.get("format"))) {
            throw new IllegalArgumentException(source + " is not an lr4j run recipe: format must be \"lr4j-run\", got "
                    + json.get("format"));
        }
        if (json.containsKey("version") && !Integer.valueOf(1).equals(json.get("version"))) {
            throw new IllegalArgumentException(source + ": version " + json.get("version") + " of the run recipe is unknown;"
                    + " this lr4j reads version 1");
        }
        Reader model = r.section("model", Set.of("hidden", "param_groups"));
        Reader data = r.section("data", Set.of("augment", "batch_size", "seed"));
        Reader early = r.section("early_stopping", Set.of("patience", "min_delta"));
        Reader checkpoints = r.section("checkpoints", Set.of("dir", "every", "keep"));
        Reader spark = r.section("spark", Set.of("master", "partitions", "local_steps"));
        Integer swaStart = defaults.swaStart();
        Double swaLr = defaults.swaLr();
        int annealEpochs = defaults.swaAnnealEpochs();
        String annealStrategy = defaults.swaAnnealStrategy();
        if (json.containsKey("swa")) {
            Reader swa = r.section("swa", Set.of("start_epoch", "swa_lr", "anneal_epochs", "anneal_strategy"));
            swaStart = swa == null ? null : swa.integer("start_epoch", null, 1, Integer.MAX_VALUE);
            swaLr = swa == null ? null : swa.number("swa_lr", null);
            annealEpochs = swa == null ? annealEpochs : swa.integer("anneal_epochs", annealEpochs, 0, Integer.MAX_VALUE);
            annealStrategy = swa == null ? annealStrategy : swa.text("anneal_strategy", annealStrategy);
            if (swa != null && swaStart == null) {
                throw new IllegalArgumentException(source + ": swa.start_epoch is missing (give it, or \"swa\": null for no SWA)");
            }
        }
        return new RunSpec(r.text("engine", defaults.engine()),
                model == null ? defaults.hidden() : model.integers("hidden", defaults.hidden()),
                model == null ? defaults.paramGroups() : model.text("param_groups", defaults.paramGroups()),
                data == null ? defaults.augment() : data.bool("augment", defaults.augment()),
                data == null ? defaults.batchSize() : data.integer("batch_size", defaults.batchSize(), 1, Integer.MAX_VALUE),
                data == null ? defaults.seed() : data.longInteger("seed", defaults.seed()),
                r.text("optimizer", defaults.optimizer()), r.text("scheduler", defaults.scheduler()),
                r.nullableText("interval", defaults.interval()), r.texts("schedules", defaults.schedules()),
                r.integer("epochs", defaults.epochs(), 1, Integer.MAX_VALUE),
                r.integer("accumulate", defaults.accumulate(), 1, Integer.MAX_VALUE), r.text("monitor", defaults.monitor()),
                early == null ? defaults.earlyStopping() : early.integer("patience", defaults.earlyStopping(), 0, Integer.MAX_VALUE),
                early == null ? defaults.minDelta() : early.number("min_delta", defaults.minDelta()),
                swaStart, swaLr, annealEpochs, annealStrategy,
                checkpoints == null ? defaults.checkpointDir() : checkpoints.nullableText("dir", defaults.checkpointDir()),
                checkpoints == null ? defaults.checkpointEvery() : checkpoints.longInteger("every", defaults.checkpointEvery()),
                checkpoints == null ? defaults.keep() : checkpoints.integer("keep", defaults.keep(), 1, Integer.MAX_VALUE),
                spark == null ? defaults.master() : spark.nullableText("master", defaults.master()),
                spark == null ? defaults.partitions() : spark.integer("partitions", defaults.partitions(), 1, Integer.MAX_VALUE),
                spark == null ? defaults.localSteps() : spark.integer("local_steps", defaults.localSteps(), 1, Integer.MAX_VALUE),
                r.integer("threads", defaults.threads(), 1, Integer.MAX_VALUE));
    }

    /** The recipe as the command line's options: option name -> its text as typed (null: not set). */
    public Map<String, String> toOptions() {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--engine", engine);
        o.put("--hidden", String.join(",", hidden.stream().map(String::valueOf).toList()));
        o.put("--param-groups", paramGroups);
        o.put("--no-augment", String.valueOf(!augment));
        o.put("--batch-size", String.valueOf(batchSize));
        o.put("--seed", String.valueOf(seed));
        o.put("--optimizer", optimizer);
        o.put("--scheduler", scheduler);
        o.put("--interval", interval);
        o.put("--schedule", schedulesText(schedules));
        o.put("--epochs", String.valueOf(epochs));
        o.put("--accumulate", String.valueOf(accumulate));
        o.put("--monitor", monitor);
        o.put("--early-stopping", String.valueOf(earlyStopping));
        o.put("--min-delta", String.valueOf(minDelta));
        o.put("--swa-start", swaStart == null ? null : String.valueOf(swaStart));
        o.put("--swa-lr", swaLr == null ? null : String.valueOf(swaLr));
        o.put("--swa-anneal-epochs", String.valueOf(swaAnnealEpochs));
        o.put("--swa-anneal-strategy", swaAnnealStrategy);
        o.put("--checkpoint-dir", checkpointDir);
        o.put("--checkpoint-every", String.valueOf(checkpointEvery));
        o.put("--keep", String.valueOf(keep));
        o.put("--master", master);
        o.put("--partitions", partitions == null ? null : String.valueOf(partitions));
        o.put("--local-steps", localSteps == null ? null : String.valueOf(localSteps));
        o.put("--threads", threads == null ? null : String.valueOf(threads));
        return o;
    }

    /** {@code --schedule}'s saved text: a JSON object (as checkpoints have held it since the option exists). */
    public static String schedulesText(Map<String, String> schedules) {
        try {
            return new ObjectMapper().writeValueAsString(schedules);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads one object of the JSON form, naming the file and the field's path in every message. */
    private static final class Reader {
        private final String source;
        private final String path;
        private final Map<String, ?> json;

        Reader(String source, String path, Map<String, ?> json, Set<String> allowed) {
            this.source = source;
            this.path = path;
            this.json = json;
            for (String key : json.keySet()) {
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException(source + ": unknown field " + path + key + " (allowed: "
                            + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
                }
            }
        }

        private IllegalArgumentException bad(String key, String expected, Object value) {
            return new IllegalArgumentException(source + ": " + path + key + " must be " + expected + ", got "
                    + (value instanceof String ? "\"" + value + "\"" : value));
        }

        @SuppressWarnings("unchecked")
        Reader section(String key, Set<String> allowed) {
            Object v = json.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Map)) {
                throw bad(key, "an object {...}", v);
            }
            return new Reader(source, path + key + ".", (Map<String, ?>) v, allowed);
        }

        String text(String key, String fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (!(v instanceof String) || ((String) v).isBlank()) {
                throw bad(key, "a non-empty text", v);
            }
            return (String) v;
        }

        String nullableText(String key, String fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            return json.get(key) == null ? null : text(key, fallback);
        }

        boolean bool(String key, boolean fallback) {
            Object v = json.get(key);
            if (!json.containsKey(key)) {
                return fallback;
            }
            if (!(v instanceof Boolean)) {
                throw bad(key, "true or false", v);
            }
            return (Boolean) v;
        }

        long longInteger(String key, long fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (!(v instanceof Integer || v instanceof Long)) {
                throw bad(key, "a whole number", v);
            }
            return ((Number) v).longValue();
        }

        Integer integer(String key, Integer fallback, int min, int max) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (v == null) { // not set (as --print-config writes an option no one gave): the fallback, e.g. a typed flag
                return fallback;
            }
            if (!(v instanceof Integer) || (Integer) v < min || (Integer) v > max) {
                throw bad(key, "a whole number in [" + min + ", " + max + "]", v);
            }
            return (Integer) v;
        }

        Double number(String key, Double fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (v == null && fallback == null) {
                return null;
            }
            if (!(v instanceof Number) || !Double.isFinite(((Number) v).doubleValue())) {
                throw bad(key, "a finite number", v);
            }
            return ((Number) v).doubleValue();
        }

        List<Integer> integers(String key, List<Integer> fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (!(v instanceof List) || ((List<?>) v).isEmpty()) {
                throw bad(key, "a list of layer widths such as [256] ([0]: softmax regression)", v);
            }
            List<Integer> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                if (!(o instanceof Integer) || (Integer) o < 0) {
                    throw bad(key, "a list of whole numbers >= 0", v);
                }
                out.add((Integer) o);
            }
            return out;
        }

        Map<String, String> texts(String key, Map<String, String> fallback) {
            if (!json.containsKey(key)) {
                return fallback;
            }
            Object v = json.get(key);
            if (v == null) {
                return Map.of();
            }
            if (!(v instanceof Map)) {
                throw bad(key, "an object of hyper-parameter name -> schedule, e.g. {\"weight_decay\": \"...\"}", v);
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getValue() instanceof String) || ((String) e.getValue()).isBlank()) {
                    throw bad(key + "." + e.getKey(), "a schedule expression", e.getValue());
                }
                out.put(String.valueOf(e.getKey()), (String) e.getValue());
            }
            return out;
        }
    }
}
