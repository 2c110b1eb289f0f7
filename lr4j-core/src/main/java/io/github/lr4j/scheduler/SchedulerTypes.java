package io.github.lr4j.scheduler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The open registry of scheduler types: PyTorch's fifteen (see {@link BuiltinTypes}), Hugging Face's and timm's
 * ({@link PeerTypes}), those of
 * every {@link SchedulerTypeProvider} on the class path, and any registered in code. The schedule language, {@code check}, the training loop's default interval and
 * pre-flight, and the command line's {@code list} read it; nothing else names a scheduler type.
 */
public final class SchedulerTypes {
    private static final Map<String, SchedulerType> TYPES = new LinkedHashMap<>();

    static {
        for (SchedulerType t : builtIn()) {
            TYPES.put(t.name(), t);
        }
        for (SchedulerTypeProvider provider : ServiceLoader.load(SchedulerTypeProvider.class)) {
            for (SchedulerType t : provider.schedulerTypes()) {
                if (TYPES.putIfAbsent(t.name(), t) != null) {
                    throw new IllegalStateException(provider.getClass().getName() + " provides a scheduler type named "
                            + t.name() + ", which exists already");
                }
            }
        }
    }

    private SchedulerTypes() {
    }

    /** PyTorch's fifteen, then Hugging Face's and timm's. */
    private static List<SchedulerType> builtIn() {
        List<SchedulerType> all = new ArrayList<>(BuiltinTypes.all());
        all.addAll(PeerTypes.all());
        return all;
    }

    /**
     * Adds a type; from then on the schedule language builds it by name.
     *
     * @throws IllegalArgumentException if a type of that name is registered already
     */
    public static synchronized void register(SchedulerType type) {
        if (TYPES.containsKey(type.name())) {
            throw new IllegalArgumentException("a scheduler type named " + type.name() + " is registered already");
        }
        TYPES.put(type.name(), type);
    }

    /** Removes a type a user registered (the built-in ones stay). */
    public static synchronized void unregister(String name) {
        for (SchedulerType t : builtIn()) {
            if (t.name().equals(name)) {
                throw new IllegalArgumentException(name + " is built in and cannot be removed");
            }
        }
        TYPES.remove(name);
    }

    public static synchronized Optional<SchedulerType> find(String name) {
        return Optional.ofNullable(TYPES.get(name));
    }

    /** Every registered type, built-in ones first, in registration order. */
    public static synchronized List<SchedulerType> all() {
        return List.copyOf(TYPES.values());
    }

    public static synchronized List<String> names() {
        return new ArrayList<>(TYPES.keySet());
    }

    /**
     * Whether a scheduler with this spec is meant to be stepped per batch (OneCycleLR, CyclicLR,
     * and any composite holding one); an unregistered type (e.g. {@link Schedulers#custom}) is not.
     */
    public static boolean perBatch(Map<String, Object> spec) {
        return find(String.valueOf(spec.get("type"))).map(t -> t.perBatch(spec)).orElse(false);
    }

    /** Runs the lints of the spec's type (composites go on into their children). */
    public static void lint(Map<String, Object> spec, SchedulerType.LintContext context) {
        find(String.valueOf(spec.get("type"))).ifPresent(t -> t.lint(spec, context));
    }
}
