package io.github.lr4j.cli;

import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerTypes;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lr4j list}: the scheduler types the schedule language knows, with their parameters. */
@Command(name = "list", mixinStandardHelpOptions = true,
        header = "List the scheduler types SPEC may use, with their parameters, defaults and ranges.",
        description = {"Prints every scheduler type in the registry: PyTorch's, and any registered by a",
            "SchedulerTypeProvider on the class path. With a NAME, only that type."},
        footer = {"", "Examples:", "  lr4j list", "  lr4j list OneCycleLR"})
final class ListCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "NAME", arity = "0..1", description = "one type")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (name != null) {
            SchedulerType t = SchedulerTypes.find(name).orElseThrow(() -> new IllegalArgumentException(
                    "unknown scheduler type '" + name + "'; known: " + String.join(", ", SchedulerTypes.names())));
            print(out, t, true);
        } else {
            for (SchedulerType t : SchedulerTypes.all()) {
                print(out, t, false);
            }
        }
        out.flush();
        return 0;
    }

    private static void print(PrintWriter out, SchedulerType t, boolean examples) {
        out.println(t.signature());
        out.println("    " + t.doc());
        for (SchedulerType.Param p : t.params()) {
            out.println("    " + p.name() + " (" + p.kind().name().toLowerCase(java.util.Locale.ROOT)
                    + (p.range().isEmpty() ? "" : ", " + p.range()) + "): " + p.doc());
        }
        if (examples) {
            for (SchedulerType.Example e : t.examples()) {
                out.println("    e.g. " + e.expression());
            }
        }
    }
}
