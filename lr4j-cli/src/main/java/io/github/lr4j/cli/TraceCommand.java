package io.github.lr4j.cli;

import io.github.lr4j.spec.TraceRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
        footer = {"", "Examples:", "  lr4j trace lr4j-core/src/test/resources/golden/pytorch/sequential_warmup_cosine.json",
            "  lr4j trace docs/examples/cosine_case.json --from-state docs/examples/pytorch_cosine_state.json"})
final class TraceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CASE.json", description = "the case to replay")
    Path file;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Option(names = "--from-state", paramLabel = "FILE",
            description = {"continue from a saved state (as table --from-state takes it: a PyTorch scheduler.state_dict()",
                "as the README's snippet dumps it, or lr4j's own, bare or with the optimizer's \"param_groups\"): the case",
                "builds the scheduler, FILE's state is loaded into it, trace[0] is that point and the case's \"steps\"",
                "steps follow (metrics[i]/epochs[i] for the i-th step after it); the output adds \"from_step\" (the",
                "saved last_epoch). The case may not have a \"resume_at\""})
    Path fromState;

    @Override
    public Integer call() {
        Map<String, Object> testCase = Json.readObject(file);
        Map<String, Object> result;
        if (fromState == null) {
            result = TraceRunner.run(testCase);
        } else {
            StateFile state = StateFile.read(fromState);
            result = new LinkedHashMap<>();
            result.put("from_step", state.step());
            result.putAll(TraceRunner.runFrom(testCase, state::restore));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Json.write(result));
        out.flush();
        return 0;
    }
}
