package io.github.lr4j.cli;

import io.github.lr4j.scheduler.SchedulerTypes;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code lr4j} command line. */
@Command(name = "lr4j", mixinStandardHelpOptions = true, version = "lr4j 0.1.0",
        description = {"Learning-rate schedules for the JVM, with PyTorch's numbers.", "",
            "Without a command, prints the lr of a warm-up + cosine schedule (two param groups) as a table;",
            "the main job is 'lr4j train'."},
        subcommands = {TrainCommand.class, FindLrCommand.class, CompareCommand.class, PlotCommand.class, TableCommand.class, CheckCommand.class, ListCommand.class, TraceCommand.class, OptimTraceCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Examples:",
            "  lr4j train                      (MLP on the digits, SGD + OneCycleLR, report in lr4j-report/)",
            "  lr4j find-lr",
            "  lr4j plot 'OneCycleLR(max_lr=0.1, total_steps=1000)' --steps 1000 --momentum 0.9 -o onecycle.png",
            "  lr4j table 'OneCycleLR(max_lr=0.1, total_steps=20)' --groups 0.1,0.01 --momentum 0.9",
            "  lr4j check 'CosineAnnealingLR(T_max=90)' --steps 100",
            "  lr4j list                       (the scheduler types and their parameters)",
            "  lr4j trace shared/golden/public/onecycle_cos.json",
            "  lr4j optim-trace shared/golden/optim/public/adam_default.json"})
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

    /** A configured command line: exit code 2 and one line for bad input (a stack trace with --verbose). */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        // From the registry, so a type registered on the class path shows up too.
        List<String> footer = new ArrayList<>(List.of(cmd.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.add("Scheduler types (details: lr4j list): " + String.join(", ", SchedulerTypes.names()));
        cmd.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose");
            PrintWriter err = commandLine.getErr();
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.println("lr4j: " + ex.getMessage());
            err.flush();
            return 2;
        });
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("lr4j: " + ex.getMessage());
            err.println("(see 'lr4j " + ex.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return 2;
        });
        return cmd;
    }

    public static void main(String[] args) {
        // DJL must never download anything at run time: the PyTorch native library ships in the jar.
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(commandLine().execute(args));
    }
}
