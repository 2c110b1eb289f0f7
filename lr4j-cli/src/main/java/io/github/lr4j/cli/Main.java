package io.github.lr4j.cli;

import io.github.lr4j.scheduler.SchedulerTypes;
import io.github.lr4j.util.Suggest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lr4j} command line. */
@Command(name = "lr4j", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Learning-rate schedules for the JVM, with PyTorch's numbers.", "",
            "Without a command, prints the lr of a warm-up + cosine schedule (two param groups) as a table;",
            "the main job is 'lr4j train'."},
        subcommands = {TrainCommand.class, TuneCommand.class, FindLrCommand.class, CompareCommand.class, PlotCommand.class, TableCommand.class, CheckCommand.class, ListCommand.class, TraceCommand.class, OptimTraceCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  lr4j train                      # MLP on the digits, SGD + OneCycleLR, report in lr4j-report/",
            "  lr4j tune                       # search the schedule (successive halving); the winner as a recipe to train",
            "  lr4j find-lr",
            "  lr4j plot 'OneCycleLR(max_lr=0.1, total_steps=1000)' --steps 1000 --momentum 0.9 -o onecycle.png",
            "  lr4j table 'OneCycleLR(max_lr=0.1, total_steps=20)' --groups 0.1,0.01 --momentum 0.9",
            "  lr4j check 'CosineAnnealingLR(T_max=90)' --steps 100",
            "  lr4j list                       # the scheduler types and their parameters",
            "  lr4j trace lr4j-core/src/test/resources/golden/pytorch/onecycle_cos.json",
            "  lr4j optim-trace lr4j-optim/src/test/resources/golden/adam_default.json"})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The schedule shown when lr4j runs without a command. */
    static final String DEMO = "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1, total_iters=5), "
            + "CosineAnnealingLR(optimizer, T_max=25, eta_min=0.001)], milestones=[5])";

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.println("lr4j: " + DEMO);
        out.println("(run 'lr4j --help' for the commands)");
        out.println();
        out.flush();
        spec.commandLine().execute("table", DEMO, "--steps", "30", "--groups", "0.1,0.01", "--format", "md");
    }

    /** The version of the build ({@code ${project.version}}, filled in by Maven into {@code version.txt}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.txt")) {
                if (in == null) {
                    throw new IllegalStateException("version.txt is missing from lr4j-cli's jar");
                }
                return new String[] {"lr4j " + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()};
            }
        }
    }

    /** What each exit code means, printed by every command's --help. */
    static final Map<String, String> EXIT_CODES = exitCodes();

    private static Map<String, String> exitCodes() {
        Map<String, String> codes = new LinkedHashMap<>();
        codes.put("0", "success");
        codes.put("1", "'check' found warnings");
        codes.put("2", "the input is wrong or cannot be carried out (one line says why)");
        codes.put("70", "a bug in lr4j (rerun with --verbose and report the stack trace)");
        return codes;
    }

    /**
     * A configured command line: exit code 2 and one line for bad input, 70 for an lr4j bug (a stack
     * trace with --verbose). Argument files are lr4j's business: {@code @FILE} reaches the commands
     * as it is and is read with a size cap (picocli would expand it anywhere, without limits).
     */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        // From the registry, so a type registered on the class path shows up too.
        List<String> footer = new ArrayList<>(List.of(cmd.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Scheduler types (details: lr4j list): " + String.join(", ", SchedulerTypes.names()));
        cmd.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
        cmd.setExpandAtFiles(false);
        setExitCodeHelp(cmd);
        wrapHelpOnce(cmd);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) ->
                report(ex, commandLine.getErr(), parseResult.originalArgs().contains("--verbose")));
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lr4j: " + parameterMessage(ex));
            err.println("(see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return 2;
        });
        return cmd;
    }

    /** picocli's message, with "did you mean" for a misspelt option or command. */
    static String parameterMessage(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException)) {
            return ex.getMessage();
        }
        List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (unmatched.isEmpty()) {
            return ex.getMessage();
        }
        String first = unmatched.get(0);
        if (first.startsWith("-")) {
            String name = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            return ex.getMessage() + Suggest.didYouMean(name, spec.optionsMap().keySet());
        }
        if (!spec.subcommands().isEmpty()) {
            return "unknown command '" + first + "'" + Suggest.didYouMean(first, spec.subcommands().keySet())
                    + "; the commands are " + String.join(", ", spec.subcommands().keySet());
        }
        return ex.getMessage();
    }

    /** Prints what went wrong (one line; the stack trace first with --verbose) and returns the exit code. */
    static int report(Throwable ex, PrintWriter err, boolean verbose) {
        if (verbose) {
            ex.printStackTrace(err);
        }
        int code = exitCode(ex);
        err.println("lr4j: " + (code == 2 ? userMessage(ex)
                : "internal error (" + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + firstLine(ex.getMessage()))
                + "); this is a bug in lr4j: please rerun with --verbose and report the stack trace"));
        err.flush();
        return code;
    }

    /**
     * Help is wrapped once, by picocli, to its width: a description's lines are joined into paragraphs (an empty line
     * separates two), and the footer's example lines ({@code "  lr4j ..."}) are printed as written, however long, so
     * that they paste and run; the footer's other lines are wrapped at the width.
     */
    private static void wrapHelpOnce(CommandLine cmd) {
        CommandLine.Model.UsageMessageSpec usage = cmd.getCommandSpec().usageMessage();
        List<String> paragraphs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : usage.description()) {
            if (line.isBlank()) {
                paragraphs.add(current.toString());
                paragraphs.add("");
                current.setLength(0);
            } else {
                current.append(current.length() == 0 ? "" : " ").append(line.strip());
            }
        }
        if (current.length() > 0) {
            paragraphs.add(current.toString());
        }
        usage.description(paragraphs.toArray(new String[0]));
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> {
            StringBuilder out = new StringBuilder();
            int width = help.commandSpec().usageMessage().width();
            for (String line : help.commandSpec().usageMessage().footer()) {
                out.append(line.startsWith("  lr4j ") ? line : wrap(line, width)).append(System.lineSeparator());
            }
            return out.toString();
        });
        for (CommandLine sub : cmd.getSubcommands().values()) {
            wrapHelpOnce(sub);
        }
    }

    /** {@code text} broken at spaces into lines of at most {@code width} characters (a longer word stays whole). */
    static String wrap(String text, int width) {
        StringBuilder out = new StringBuilder();
        int lineStart = 0;
        for (String word : text.split(" ")) {
            if (out.length() > lineStart && out.length() - lineStart + 1 + word.length() > width) {
                out.append(System.lineSeparator());
                lineStart = out.length();
            } else if (out.length() > lineStart) {
                out.append(' ');
            }
            out.append(word);
        }
        return out.toString();
    }

    private static void setExitCodeHelp(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
        for (CommandLine sub : cmd.getSubcommands().values()) {
            setExitCodeHelp(sub);
        }
    }

    /**
     * 2 for what the user can fix (bad arguments, unreadable or unwritable files, a schedule that
     * fails on its own terms, not enough memory for what was asked), 70 for everything else.
     */
    static int exitCode(Throwable ex) {
        if (ex instanceof IllegalArgumentException || ex instanceof IOException || ex instanceof UncheckedIOException
                || ex instanceof OutOfMemoryError) {
            return 2;
        }
        // lr4j's own IllegalStateExceptions say what the user's schedule did (e.g. OneCycleLR stepped
        // past total_steps); one that wraps another exception is lr4j's failure.
        if (ex instanceof IllegalStateException && ex.getCause() == null) {
            return 2;
        }
        return 70;
    }

    static String userMessage(Throwable ex) {
        if (ex instanceof UncheckedIOException) {
            String cause = userMessage(ex.getCause());
            // Without a message of its own, UncheckedIOException's is the cause's toString(): Java text.
            return ex.getMessage() == null || ex.getMessage().equals(ex.getCause().toString()) ? cause : ex.getMessage() + ": " + cause;
        }
        if (ex instanceof IOException) {
            String reason = InputFiles.reason((IOException) ex);
            String file = ex instanceof FileSystemException ? ((FileSystemException) ex).getFile() : null;
            return file == null ? reason : "cannot use " + file + ": " + reason;
        }
        if (ex instanceof OutOfMemoryError) {
            return "not enough memory for this run (the JVM may use " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB; give more with -Xmx or ask for less)";
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public static void main(String[] args) {
        // DJL must never download anything at run time: the PyTorch native library ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        CommandLine cmd = commandLine();
        int code;
        try {
            code = cmd.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an OutOfMemoryError or StackOverflowError ends up here.
            code = report(e, cmd.getErr(), java.util.Arrays.asList(args).contains("--verbose"));
        }
        System.exit(code);
    }
}
