package io.github.lr4j.cli;

import picocli.CommandLine.Option;

/** {@code --verbose}, on every command: Main's error handler then prints the stack trace too. */
final class VerboseOption {
    @Option(names = "--verbose", description = "print a stack trace on errors")
    boolean verbose;
}
