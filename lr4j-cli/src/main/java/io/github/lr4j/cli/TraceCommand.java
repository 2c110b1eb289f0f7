package io.github.lr4j.cli;

import io.github.lr4j.spec.TraceRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j trace CASE.json}: replays a golden-format case and prints the trace and state. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        header = "Replay a PyTorch golden-trace case and print the trace and state as JSON.",
        description = {"Replays a case in the golden-trace format (shared/golden/FORMAT.md): builds the param groups",
            "and the scheduler from its PyTorch expression, runs its steps (metrics, explicit epochs, resume_at)",
            "and prints one JSON object: {\"trace\": [{\"lr\": [...], \"momentum\": [...]}, ...], \"state_dict\": {...}}",
            "with trace[0] taken right after construction."},
        footer = {"", "Example:", "  lr4j trace lr4j-core/src/test/resources/golden/pytorch/sequential_warmup_cosine.json"})
final class TraceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CASE.json", description = "the case to replay")
    Path file;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.write(TraceRunner.run(Json.readObject(file))));
        out.flush();
        return 0;
    }
}
