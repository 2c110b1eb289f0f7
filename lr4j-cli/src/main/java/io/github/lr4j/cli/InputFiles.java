package io.github.lr4j.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the text files a user names (SPEC files, --metrics, trace cases) with a size cap, so that
 * a directory, a binary file, {@code /dev/zero} or a huge file gives one clear line instead of a
 * hang or an OutOfMemoryError.
 */
final class InputFiles {
    /** SPEC and --metrics files: far more than any schedule needs. */
    static final int SPEC_LIMIT = 1 << 20;
    /** Golden-trace cases hold initial parameters and gradients: larger, still bounded. */
    static final int CASE_LIMIT = 64 << 20;

    private InputFiles() {
    }

    /** The UTF-8 text of {@code file}, which must hold at most {@code limit} bytes; {@code what} names it in errors. */
    static String read(Path file, String what, int limit) {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(what + " " + file + " is a directory, not a file");
        }
        // A FIFO, a socket or a device would block or never end: only regular files (links followed) are read.
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(what + " " + file + " is not a regular file (a FIFO, socket or device);"
                    + " give a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            // Reads one byte past the limit: enough to know the file is too big, even for /dev/zero.
            bytes = in.readNBytes(limit + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + what + " " + file + ": " + reason(e));
        }
        if (bytes.length > limit) {
            throw new IllegalArgumentException(what + " " + file + " is larger than the limit of " + limit + " bytes ("
                    + (limit >> 20) + " MiB)");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new IllegalArgumentException(what + " " + file + " is not a text file (a zero byte at offset " + i + ")");
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        try {
            return utf8.decode(buf).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " " + file + " is not UTF-8 text (an invalid byte near offset "
                    + buf.position() + ")");
        }
    }

    /** Why an I/O operation failed, in words (Java's messages for these are often just the path). */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
