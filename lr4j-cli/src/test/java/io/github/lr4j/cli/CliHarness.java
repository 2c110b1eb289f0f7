package io.github.lr4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs lr4j commands through picocli with stdout and stderr captured (picocli's "Testing Your Application"). */
abstract class CliHarness {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        return cmd.execute(args);
    }

    /** A small {@code train} with its report in {@code dir/report} and checkpoints in {@code dir/ckpt}, then {@code more}. */
    static String[] resumable(java.nio.file.Path dir, String report, String... more) {
        String[] base = {"train", "--hidden", "16", "--no-augment", "--quiet", "--report",
            dir.resolve(report).toString(), "--checkpoint-dir", dir.resolve("ckpt").toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }
}
