package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The report, in a real browser: a short run's {@code index.html} opened from disk in headless Chromium (Debian's
 * {@code chromium}, which {@code .ci/run} installs). Every chart drew points, the summary table holds the run's
 * figures, nothing reached the console as an error, and the page is within its size target. Screenshots and the
 * reports stay in {@code target/report-browser/}. With {@code CI=true} a missing browser fails; elsewhere the tests
 * are skipped with a line saying why.
 */
class ReportBrowserTest extends CliHarness {
    /** The size target of index.html with its data inlined (echarts.min.js beside it does not count). */
    static final long PAGE_BYTES = 400 * 1024;

    private static final Path ARTIFACTS = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("report-browser");

    /**
     * Put first into a copy of the page (index.probe.html, beside it): records uncaught errors, failed loads (a
     * missing echarts.min.js), rejected promises and console.error calls on the root element, where the DOM dump
     * shows them.
     */
    private static final String PROBE = "<script>(function(){var errs=[];function note(m){errs.push(String(m));"
            + "document.documentElement.setAttribute('data-console-errors',errs.join(' | '));}"
            + "window.addEventListener('error',function(e){note(e.message||('cannot load '+(e.target&&(e.target.src||e.target.href))));},true);"
            + "window.addEventListener('unhandledrejection',function(e){note('unhandled rejection: '+e.reason);});"
            + "var ce=console.error;console.error=function(){note(Array.prototype.join.call(arguments,' '));ce.apply(console,arguments);};"
            + "})();</script>";

    private static Path chromium;

    private static final String MISSING = "ReportBrowserTest: no chromium on PATH (Debian: apt-get install chromium;"
            + " .ci/run installs it)";

    @BeforeAll
    static void findChromium() {
        chromium = onPath("chromium", "chromium-browser", "google-chrome");
        if (chromium == null && !"true".equals(System.getenv("CI"))) {
            System.out.println(MISSING + ": skipped");
        }
    }

    @BeforeEach
    void needsChromium() {
        if (chromium == null) {
            if ("true".equals(System.getenv("CI"))) {
                fail(MISSING + "; CI=true, so this fails");
            }
            Assumptions.abort(MISSING);
        }
    }

    @Test
    void train_theDefaultRunsPage_drawsEveryChart_holdsTheFigures_noConsoleErrors_withinSize() throws Exception {
        Path report = fresh("train");
        assertThat(run("train", "--epochs", "2", "--hidden", "16", "--quiet", "--report", report.toString())).as(err.toString()).isZero();
        String printed = out.toString();

        String dom = openAndCheck(report, "train", List.of("lr", "momentum", "loss", "accuracy"));

        String table = table(dom);
        assertThat(table).contains("digits")
                .contains(group(printed, "test accuracy ([0-9.]+%)"))
                .contains(">" + group(printed, "\\(loss ([0-9.]+)\\)") + "<")
                .contains(">" + group(printed, "\\| best epoch ([0-9]+) ") + "<")
                .contains(">2<")
                .contains(">" + group(printed, " ([0-9]+) steps,") + "<");
        // The page charts the run's data: one lr point per logged step (fewer than Report.PAGE_POINTS: none left out).
        long steps = Files.readAllLines(report.resolve("logs/steps.csv")).size() - 1;
        assertThat(points(dom, "lr")).isEqualTo(steps);
        assertThat(points(dom, "accuracy")).isEqualTo(2);
    }

    @Test
    void train_aResumedRunsPage_chartsTheWholeRunFromItsStart_withNumberedAxes() throws Exception {
        Path report = fresh("resumed");
        Path ckpt = ARTIFACTS.resolve("resumed-ckpt");
        delete(ckpt);
        List<String> recipe = List.of("train", "--hidden", "16", "--no-augment", "--quiet", "--report", report.toString(),
                "--checkpoint-dir", ckpt.toString());
        List<String> first = new ArrayList<>(recipe);
        first.addAll(List.of("--epochs", "2"));
        assertThat(run(first.toArray(String[]::new))).as(err.toString()).isZero();
        long firstSteps = Files.readAllLines(report.resolve("logs/steps.csv")).size() - 1;
        List<String> extend = new ArrayList<>(recipe);
        extend.addAll(List.of("--epochs", "3", "--resume", "latest", "--restart-schedule"));
        assertThat(run(extend.toArray(String[]::new))).as(err.toString()).isZero();
        long steps = Files.readAllLines(report.resolve("logs/steps.csv")).size() - 1;
        assertThat(steps).as("steps of the whole run").isGreaterThan(firstSteps);

        String dom = openAndCheck(report, "resumed", List.of("lr", "momentum", "loss", "accuracy"));
        // The header names the schedule the run ended with (restarted for the 40 added steps), not the one built before.
        assertThat(dom).contains("OneCycleLR(max_lr=0.1, total_steps=" + (steps - firstSteps) + ",");

        // The whole run, from its first step, not from the resume's: every step's lr and all three epochs.
        assertThat(points(dom, "lr")).isEqualTo(steps);
        assertThat(points(dom, "accuracy")).isEqualTo(3);
        // Numbered x axes: the step axis's labels are numbers spanning the run, starting before the resume point.
        List<Long> labels = xLabels(dom, "lr");
        assertThat(labels).as("the lr chart's x-axis numbers").hasSizeGreaterThanOrEqualTo(3).isSorted();
        assertThat(labels.get(0)).as("the first step-axis number, before the resume at step " + firstSteps).isLessThan(firstSteps);
        assertThat(labels.get(labels.size() - 1)).as("the last step-axis number").isGreaterThan(firstSteps).isLessThanOrEqualTo(steps);
        assertThat(xLabels(dom, "accuracy")).as("the accuracy chart's epoch numbers").containsExactly(1L, 2L, 3L);
    }

    /** The numbers ECharts drew on a chart's x axis (its thousands separators removed). */
    private static List<Long> xLabels(String dom, String chart) {
        Matcher m = Pattern.compile("<div([^>]*)data-chart=\"" + Pattern.quote(chart) + "\"([^>]*)>").matcher(dom);
        assertThat(m.find()).as("chart " + chart).isTrue();
        String labels = group(m.group(1) + m.group(2), "data-x-labels=\"([^\"]*)\"");
        assertThat(labels).as("x-axis labels of chart " + chart).isNotBlank();
        return Stream.of(labels.trim().split(" +")).map(l -> Long.parseLong(l.replace(",", ""))).toList();
    }

    @Test
    void compare_manyCurves_samePageCode_everyChartIncludingAScheduledHyperParameter() throws Exception {
        Path report = fresh("compare");
        assertThat(run("compare", "OneCycleLR(max_lr=0.1, total_steps=total_steps)", "StepLR(step_size=1, gamma=0.5)", "none",
                "--epochs", "2", "--hidden", "16", "--no-augment", "--schedule",
                "weight_decay=CosineAnnealingLR(T_max=total_steps, eta_min=0.0)", "--report", report.toString()))
                .as(err.toString()).isZero();

        String dom = openAndCheck(report, "compare", List.of("lr", "momentum", "weight_decay", "loss", "accuracy"));

        assertThat(table(dom)).contains("1: OneCycleLR").contains("2: StepLR").contains("3: constant");
        // Every run's curves: three accuracy lines of two epochs each.
        assertThat(points(dom, "accuracy")).isEqualTo(6);
    }

    /** A small search's options: 4 trials of a 16-unit MLP, 3 epochs. */
    private static List<String> smallSearch(Path report, String... options) throws IOException {
        Path config = ARTIFACTS.resolve("tune-small.json");
        Files.writeString(config, "{\"model\": {\"hidden\": [16]}, \"data\": {\"augment\": false}, \"epochs\": 3}");
        List<String> args = new ArrayList<>(List.of("tune", "--config", config.toString(), "--threads", "2", "-o", report.toString()));
        args.addAll(List.of(options));
        return args;
    }

    @Test
    void tune_successiveHalvingsPage_drawsEveryTrialsCurves_tablesTheTrialsAndTheWinner() throws Exception {
        Path report = fresh("tune");
        assertThat(run(smallSearch(report, "--trials", "4", "--eta", "2", "--min-epochs", "1").toArray(String[]::new)))
                .as(err.toString()).isZero();
        String printed = out.toString();

        String dom = openAndCheck(report, "tune", List.of("lr", "momentum", "loss", "accuracy"));

        String table = table(dom);
        assertThat(table).contains("stopped at").contains("budget used (epochs)").contains("rung 1 (epoch 1)")
                .contains(">" + group(printed, "\\(val_loss ([0-9.]+)\\)") + "<");
        assertThat(attribute(table, "<tr><td>(t[0-9]+(?: \\(winner\\))?)</td>")).as("the trials, in trial order")
                .containsExactly("t000 (winner)", "t001", "t002", "t003");
        // Every trial's lr at every step it trained (a trial stopped at a rung charts its steps up to there), and its
        // validation after every epoch it ran.
        long steps = 0;
        long epochs = 0;
        for (String trial : List.of("t000", "t001", "t002", "t003")) {
            steps += Files.readAllLines(report.resolve("trials/" + trial + "/logs/steps.csv")).size() - 1;
            epochs += Files.readAllLines(report.resolve("trials/" + trial + "/logs/epochs.csv")).size() - 1;
        }
        assertThat(points(dom, "lr")).isEqualTo(steps);
        assertThat(points(dom, "accuracy")).isEqualTo(epochs);
    }

    @Test
    void tune_pbtsPage_drawsTheExploredHyperParameters_tablesEachMembersLineage() throws Exception {
        Path report = fresh("tune-pbt");
        assertThat(run(smallSearch(report, "--algorithm", "pbt", "--population", "4", "--rounds", "3").toArray(String[]::new)))
                .as(err.toString()).isZero();

        String dom = openAndCheck(report, "tune-pbt", List.of("lr", "momentum", "weight_decay", "loss", "accuracy"));

        String table = table(dom);
        assertThat(table).contains("lineage").contains("explored values").contains("(winner)").contains("copied t");
        assertThat(attribute(table, "<tr><td>(t[0-9]+(?: \\(winner\\))?)</td>")).as("one row per member").hasSize(4)
                .filteredOn(c -> c.endsWith("(winner)")).hasSize(1);
    }

    /** Opens the page (a probed copy for errors, the page itself for a screenshot) and checks what every report needs. */
    private String openAndCheck(Path report, String name, List<String> charts) throws Exception {
        Path page = report.resolve("index.html");
        assertThat(Files.size(page)).as("index.html bytes").isLessThanOrEqualTo(PAGE_BYTES);
        assertThat(report.resolve(Report.ECHARTS_FILE)).isNotEmptyFile();

        Path probe = report.resolve("index.probe.html");
        Files.writeString(probe, Files.readString(page).replaceFirst("<head>", "<head>" + PROBE), StandardCharsets.UTF_8);
        Map.Entry<String, String> dumped = chromium(name + "-dom", "--dump-dom", probe.toUri().toString());
        String dom = dumped.getKey();
        Files.writeString(ARTIFACTS.resolve(name + "-dom.html"), dom, StandardCharsets.UTF_8);
        chromium(name + "-screenshot", "--screenshot=" + ARTIFACTS.resolve(name + ".png").toAbsolutePath(), page.toUri().toString());
        assertThat(ARTIFACTS.resolve(name + ".png")).isNotEmptyFile();

        assertThat(dom).as("the page as the browser left it").contains("id=\"lr4j-data\"");
        assertThat(attribute(dom, "<html[^>]*data-console-errors=\"([^\"]*)\"")).as("console errors").isEmpty();
        assertThat(dumped.getValue().lines().filter(l -> l.contains(":CONSOLE") && l.contains("Uncaught")).toList())
                .as("uncaught errors in the browser's log").isEmpty();
        assertThat(attribute(dom, "<div[^>]*data-chart=\"([^\"]+)\"")).as("charts on the page").containsExactlyElementsOf(charts);
        assertThat(group(dom, "<body[^>]*data-charts-rendered=\"([0-9]+)\"")).as("charts drawn").isEqualTo(String.valueOf(charts.size()));
        for (String chart : charts) {
            assertThat(points(dom, chart)).as("points drawn in chart " + chart).isPositive();
        }
        return dom;
    }

    private static long points(String dom, String chart) {
        Matcher m = Pattern.compile("<div([^>]*)data-chart=\"" + Pattern.quote(chart) + "\"([^>]*)>").matcher(dom);
        assertThat(m.find()).as("chart " + chart).isTrue();
        String attributes = m.group(1) + m.group(2);
        assertThat(attributes).as("chart " + chart).contains("data-rendered=\"true\"");
        return Long.parseLong(group(attributes, "data-points=\"([0-9]+)\""));
    }

    private static String table(String dom) {
        return group(dom, "(?s)(<table id=\"summary\">.*?</table>)");
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/ in " + (text.length() > 400 ? text.substring(0, 400) + "..." : text)).isTrue();
        return m.group(1);
    }

    private static List<String> attribute(String text, String regex) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Runs headless Chromium once (its own profile, scripts given 5 s of virtual time); returns stdout and the log. */
    private static Map.Entry<String, String> chromium(String name, String... args) throws Exception {
        Path profile = Files.createTempDirectory("lr4j-chromium");
        Path stdout = ARTIFACTS.resolve(name + ".out");
        Path log = ARTIFACTS.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                "--virtual-time-budget=5000", "--window-size=1000,2400"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(log.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish in 120 s: " + command);
            }
        } finally {
            delete(profile);
        }
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("chromium's exit status; its log: " + logText).isZero();
        return Map.entry(Files.readString(stdout, StandardCharsets.UTF_8), logText);
    }

    private static Path fresh(String name) throws IOException {
        Path dir = ARTIFACTS.resolve(name + "-report");
        delete(dir);
        Files.createDirectories(ARTIFACTS);
        return dir;
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static Path onPath(String... names) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : names) {
                Path p = Path.of(dir).resolve(name);
                if (!dir.isEmpty() && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
