package io.github.lr4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where a run's checkpoint files live, for {@link RunCheckpoints}: a local folder ({@link #folder}), or any store an
 * engine brings (Spark: a Hadoop file system). Files are named; a write replaces a file atomically (a crash at any
 * moment leaves the previous file intact).
 */
public interface CheckpointStore {
    /** How messages name a file of this store (a path or a URI). */
    String nameOf(String file);

    /** The names of the files in the store (none when it does not exist yet). */
    List<String> files() throws IOException;

    /** A file's bytes; a file that is no regular file or too large is refused (IllegalArgumentException). */
    byte[] read(String file) throws IOException;

    /** Writes {@code bytes} to {@code file} atomically, creating the store if needed. */
    void write(String file, byte[] bytes) throws IOException;

    void delete(String file) throws IOException;

    /** The last-modified time of a file in milliseconds (for rotation: oldest first). */
    long modified(String file) throws IOException;

    /** Whether {@code file} (a local path) is one of this store's files. */
    default boolean holds(Path file) {
        return false;
    }

    /** Makes the store exist now, so that one that cannot be made fails before training, not after an epoch. */
    default void create() throws IOException {
    }

    /** The local folder {@code directory}. */
    static CheckpointStore folder(Path directory) {
        return new CheckpointStore() {
            @Override
            public String nameOf(String file) {
                return directory.resolve(file).toString();
            }

            @Override
            public List<String> files() throws IOException {
                if (!Files.isDirectory(directory)) {
                    return List.of();
                }
                try (Stream<Path> s = Files.list(directory)) {
                    return s.map(p -> p.getFileName().toString()).sorted().toList();
                }
            }

            @Override
            public byte[] read(String file) throws IOException {
                return CheckpointFile.readBytes(directory.resolve(file));
            }

            @Override
            public void write(String file, byte[] bytes) throws IOException {
                CheckpointFile.atomicWrite(directory.resolve(file), bytes);
            }

            @Override
            public void delete(String file) throws IOException {
                Files.deleteIfExists(directory.resolve(file));
            }

            @Override
            public long modified(String file) throws IOException {
                return Files.getLastModifiedTime(directory.resolve(file)).toMillis();
            }

            @Override
            public boolean holds(Path file) {
                Path parent = file.toAbsolutePath().normalize().getParent();
                return parent != null && parent.equals(directory.toAbsolutePath().normalize());
            }

            @Override
            public void create() {
                try {
                    Files.createDirectories(directory);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the checkpoint directory " + directory, e);
                }
            }

            @Override
            public String toString() {
                return directory.toString();
            }
        };
    }
}
