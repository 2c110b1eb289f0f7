package io.github.lr4j.cli;

import io.github.lr4j.optim.OptimTraceRunner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lr4j optim-trace CASE.json}: replays an optimizer case and prints the parameters after every step. */
@Command(name = "optim-trace", mixinStandardHelpOptions = true,
        header = "Replay a torch.optim golden case and print the parameters after each step.",
        description = {"Replays an optimizer case in the format of shared/golden/optim/FORMAT.md (optimizer, param groups,",
            "shapes, initial parameters, gradients, optional scheduler) and prints one JSON object:",
            "{\"trace\": [[[params of group 0 tensor 0], ...], ...]} with the parameters after each step.",
            "Schedule-free cases (shared/golden/schedulefree/README.md) print {\"trace_train\": [...], \"trace_eval\": [...]}:",
            "the parameters after each step in train mode (y) and in eval mode (x)."},
        footer = {"", "Example:", "  lr4j optim-trace lr4j-optim/src/test/resources/golden/sgd_momentum_onecycle.json",
            "  lr4j optim-trace lr4j-optim/src/test/resources/golden-schedulefree/adamw_sf_default.json"})
final class OptimTraceCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "CASE.json", description = "the case to replay")
    Path file;

    @picocli.CommandLine.Mixin
    VerboseOption verbose;

    @Override
    public Integer call() {
        Map<String, Object> result = OptimTraceRunner.run(Json.readObject(file));
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> printed = new LinkedHashMap<>();
        for (String key : result.containsKey("trace") ? List.of("trace") : List.of("trace_train", "trace_eval")) {
            printed.put(key, result.get(key));
        }
        out.println(Json.write(printed));
        out.flush();
        return 0;
    }
}
