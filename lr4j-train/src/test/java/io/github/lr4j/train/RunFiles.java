package io.github.lr4j.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What the tests of refused runs compare: every file under a folder and a hash of its bytes. */
final class RunFiles {
    private RunFiles() {
    }

    /** Every regular file under {@code dir} (relative path) and a hash of its bytes, to prove nothing changed. */
    static Map<String, Integer> snapshot(Path dir) throws IOException {
        Map<String, Integer> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Arrays.hashCode(Files.readAllBytes(p)));
            }
        }
        return out;
    }
}
