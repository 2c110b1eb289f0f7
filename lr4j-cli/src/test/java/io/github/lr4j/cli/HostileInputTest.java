package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Files and sizes a user (or an attacker) may hand the CLI: each gives exit 2 with one clear line
 * and no Java internals, within seconds, or exit 0.
 */
@Timeout(30)
class HostileInputTest extends CliHarness {

    /** exit 2, one line starting "lr4j: ", no class names, stack frames or Jackson text. */
    private void assertOneCleanLine(int code) {
        assertThat(code).as(err.toString()).isEqualTo(2);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("lr4j: ")
                .doesNotContain("Exception", "java.", "at io.", "(code ", "REDACTED", "Source:", "[D@", "null null")
                .doesNotEndWith("null");
    }

    @Test
    void atFile_isReadByLr4j_notExpandedIntoArguments(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.txt");
        Files.writeString(file, "StepLR(step_size=3, gamma=0.5)\n");
        assertThat(run("table", "@" + file, "--steps", "3")).as(err.toString()).isZero();
        assertThat(out.toString().lines()).containsExactly("step,lr0", "0,0.1", "1,0.1", "2,0.1", "3,0.05");
    }

    @Test
    void atFile_directory_saysSo(@TempDir Path dir) {
        assertOneCleanLine(run("table", "@" + dir));
        assertThat(err.toString()).contains("is a directory");
    }

    @Test
    void atFile_devZero_isRefusedAsNotARegularFile() {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertOneCleanLine(run("table", "@/dev/zero"));
        assertThat(err.toString()).contains("SPEC file /dev/zero is not a regular file");
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("trace", "/dev/zero"));
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("table", "@@/dev/zero"));
    }

    @Test
    void atFile_tooBig_binary_notUtf8_eachOneLine(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.txt");
        Files.write(big, " ".repeat(InputFiles.SPEC_LIMIT + 1).getBytes(StandardCharsets.US_ASCII));
        assertOneCleanLine(run("table", "@" + big));
        err.getBuffer().setLength(0);
        Path binary = dir.resolve("bin.dat");
        Files.write(binary, new byte[] {'S', 't', 0, 1, 2});
        assertOneCleanLine(run("table", "@" + binary));
        assertThat(err.toString()).contains("not a text file");
        err.getBuffer().setLength(0);
        Path latin1 = dir.resolve("latin1.txt");
        Files.write(latin1, "StepLR(step_size=3) # caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertOneCleanLine(run("table", "@" + latin1));
        assertThat(err.toString()).contains("is not UTF-8 text").doesNotContain("Input length");
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("table", "StepLR(step_size=3)", "--metrics", latin1.toString()));
    }

    @Test
    void json_nestedDeeperThanTheTextForm_oneLine() {
        String deep = "{\"type\": \"StepLR\", \"step_size\": 3, \"x\": " + "[".repeat(501) + "]".repeat(501) + "}";
        assertOneCleanLine(run("table", deep));
        assertThat(err.toString()).contains("nested deeper than 100 levels");
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("table", "{\"type\": \"StepLR\", \"step_size\": 3, \"gamma\": 0." + "9".repeat(5000) + "}"));
        assertThat(err.toString()).contains("a number longer than 1000 characters");
    }

    @Test
    void json_syntaxErrors_lineAndColumn_noJacksonText() {
        for (String bad : List.of("{\"type\": \"StepLR\", \"step_size\": 3,}", "{\"type\": \"StepLR\" \"step_size\": 3}",
                "{\"type\": \"StepLR\", \"step_size\": 3", "{'type': 'StepLR'}", "{\"type\": .5}")) {
            err.getBuffer().setLength(0);
            assertOneCleanLine(run("table", bad));
            assertThat(err.toString()).contains("is not valid JSON: line 1, column ");
        }
    }

    @Test
    void json_list_metrics_wrongTypes_oneLine(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("m.json");
        Files.writeString(metrics, "[1, \"x\", 3]");
        assertOneCleanLine(run("table", "ReduceLROnPlateau(patience=1)", "--metrics", metrics.toString(), "--steps", "3"));
        err.getBuffer().setLength(0);
        Files.writeString(metrics, "1\n2\nthree\n");
        assertOneCleanLine(run("table", "ReduceLROnPlateau(patience=1)", "--metrics", metrics.toString(), "--steps", "3"));
        assertThat(err.toString()).contains("line 3 is 'three'");
    }

    @Test
    void hugeHiddenLayer_refusedNamingTheLimit() {
        assertOneCleanLine(run("train", "--hidden", "100000000", "--quiet"));
        assertThat(err.toString()).contains("the limit is 10000000");
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("train", "--hidden", "256,-3", "--quiet"));
    }

    @Test
    void hugePlot_refusedNamingTheLimit_quickly(@TempDir Path dir) {
        long t0 = System.nanoTime();
        assertOneCleanLine(run("plot", "StepLR(step_size=3)", "--steps", "10", "--width", "30000", "--height", "30000",
                "-o", dir.resolve("x.png").toString()));
        assertThat(err.toString()).contains("--width must be in [200, 5000] pixels, got 30000");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void plot_unwritableOutput_saysWhy() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")));
        assertOneCleanLine(run("plot", "StepLR(step_size=3)", "--steps", "10", "-o", "/proc/x.png"));
        assertThat(err.toString()).startsWith("lr4j: cannot write /proc/x.png: ");
    }

    @Test
    void exitCodes_bugsAre70_usersMistakesAre2() {
        assertThat(Main.exitCode(new IllegalArgumentException("x"))).isEqualTo(2);
        assertThat(Main.exitCode(new IllegalStateException("OneCycleLR stepped past total_steps"))).isEqualTo(2);
        assertThat(Main.exitCode(new java.io.UncheckedIOException(new java.io.IOException("disk full")))).isEqualTo(2);
        assertThat(Main.exitCode(new OutOfMemoryError())).isEqualTo(2);
        assertThat(Main.exitCode(new StackOverflowError())).isEqualTo(70);
        assertThat(Main.exitCode(new NullPointerException())).isEqualTo(70);
        assertThat(Main.exitCode(new ClassCastException())).isEqualTo(70);
        assertThat(Main.exitCode(new IllegalStateException("wrapped", new RuntimeException()))).isEqualTo(70);
        assertThat(Main.userMessage(new java.io.UncheckedIOException(new java.io.IOException("No space left on device"))))
                .isEqualTo("No space left on device");
        assertThat(Main.userMessage(new java.io.UncheckedIOException("cannot write checkpoint best.ckpt",
                new java.nio.file.AccessDeniedException("/ckpt/best.ckpt.tmp"))))
                .isEqualTo("cannot write checkpoint best.ckpt: cannot use /ckpt/best.ckpt.tmp: permission denied");
    }

    @Test
    void bug_exits70_withOneLineSayingSo() {
        CommandLine cmd = Main.commandLine();
        cmd.addSubcommand("explode", new Explode());
        cmd.setErr(new java.io.PrintWriter(err));
        assertThat(cmd.execute("explode")).isEqualTo(70);
        assertThat(err.toString().lines()).singleElement().asString()
                .contains("bug in lr4j").contains("--verbose");
    }

    @CommandLine.Command(name = "explode")
    static final class Explode implements Runnable {
        @Override
        public void run() {
            throw new NullPointerException("boom");
        }
    }

    @Test
    void everyHelp_listsTheExitCodes() {
        for (String command : List.of("train", "find-lr", "compare", "plot", "table", "check", "trace", "optim-trace")) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("Exit codes:").contains("70").contains("bug in lr4j");
        }
    }

    /** Every file a help example names exists when the command is run from the repository root. */
    @Test
    void helpExamples_nameFilesThatExistFromTheRepositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        Pattern file = Pattern.compile("(?:^|\\s)@?([\\w./-]+\\.(?:json|txt))(?:\\s|$)");
        List<String> named = new ArrayList<>();
        for (String command : List.of("", "train", "find-lr", "compare", "plot", "table", "check", "trace", "optim-trace")) {
            out.getBuffer().setLength(0);
            run(command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"});
            for (String line : out.toString().lines().filter(l -> l.strip().startsWith("lr4j ")).toList()) {
                Matcher m = file.matcher(line);
                while (m.find()) {
                    named.add(m.group(1));
                    assertThat(root.resolve(m.group(1))).as(line).exists();
                }
            }
        }
        assertThat(named).isNotEmpty();
    }

    @Test
    void chartLegends_sitBelowThePlot_notOverTheData() {
        double[] x = {1, 2, 3};
        for (String title : List.of("Learning rate", "Momentum (or beta1)", "Validation accuracy")) {
            org.knowm.xchart.XYChart chart = Charts.chart(title, "y", List.of(new Charts.Line("a", x, x), new Charts.Line("b", x, x)),
                    900, 400, false);
            assertThat(chart.getStyler().getLegendPosition()).as(title)
                    .isEqualTo(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        }
    }

    @Test
    void traceCase_wrongTypesAndHugeCounts_oneLine(@TempDir Path dir) throws Exception {
        String scheduler = "\"scheduler\": \"StepLR(optimizer, step_size=3)\"";
        for (String steps : List.of("\"x\"", "-5", "1000000000000", "2.5")) {
            Path file = dir.resolve("case.json");
            Files.writeString(file, "{\"param_groups\": [{\"lr\": 0.1}], " + scheduler + ", \"steps\": " + steps + "}");
            err.getBuffer().setLength(0);
            assertOneCleanLine(run("trace", file.toString()));
            assertThat(err.toString()).contains("\"steps\" must be an integer in [0, 10000000], got ");
        }
    }

    @Test
    void manyStepsTimesManyGroups_refusedNamingTheLimit() {
        String groups = String.join(",", java.util.Collections.nCopies(100, "0.1"));
        assertOneCleanLine(run("table", "StepLR(step_size=3)", "--steps", "10000000", "--groups", groups));
        assertThat(err.toString()).contains("the limit is 20000000");
    }

    @Test
    void train_resumeFromADeviceOrDirectory_andNegativeCounts_oneLineBeforeTraining(@TempDir Path dir) {
        if (Files.exists(Path.of("/dev/zero"))) {
            assertOneCleanLine(run("train", "--resume", "/dev/zero", "--quiet", "--report", dir.resolve("r").toString()));
            assertThat(err.toString()).contains("is not a checkpoint file");
            err.getBuffer().setLength(0);
        }
        assertOneCleanLine(run("train", "--resume", dir.toString(), "--quiet", "--report", dir.resolve("r").toString()));
        err.getBuffer().setLength(0);
        assertOneCleanLine(run("train", "--early-stopping", "-3", "--quiet", "--report", dir.resolve("r").toString()));
        assertThat(err.toString()).contains("--early-stopping and --checkpoint-every must be >= 0 and --keep >= 1, got -3, 0, 3");
        assertThat(dir.resolve("r")).doesNotExist();
    }
}
