package io.github.lr4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** plot, check and table through picocli, output captured; numbers, SVG structure, PNG pixels and exit codes. */
class PlotCheckTest extends CliHarness {

    @Test
    void plotPng_isARealImageWithTheCurvesDrawn(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("onecycle.png");
        assertThat(run("plot", "OneCycleLR(max_lr=0.1, total_steps=200)", "--steps", "200", "--momentum", "0.9",
                "-o", png.toString())).isZero();
        assertThat(out.toString()).startsWith("wrote " + png + " (1 schedule, 1 line, momentum panel)");
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(900);
        assertThat(image.getHeight()).isEqualTo(450 + 300);
        // The curve is drawn in colour: count saturated (non-grey) pixels in each panel.
        assertThat(colouredPixels(image, 0, 450)).isGreaterThan(300);
        assertThat(colouredPixels(image, 450, 750)).isGreaterThan(300);
    }

    private static int colouredPixels(BufferedImage image, int fromY, int toY) {
        int count = 0;
        for (int y = fromY; y < toY; y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void plotSvg_isWellFormed_withOnePathPerLineAndALegend(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("two.svg");
        assertThat(run("plot", "CosineAnnealingLR(T_max=50)", "StepLR(step_size=10, gamma=0.5)", "--steps", "50",
                "--groups", "0.1,0.01", "-o", svg.toString())).isZero();
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder().parse(svg.toFile());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
        assertThat(doc.getDocumentElement().getAttribute("width")).isEqualTo("900px");
        String desc = doc.getElementsByTagName("desc").item(0).getTextContent();
        assertThat(desc).isEqualTo("lr: 1: CosineAnnealingLR group 0; lr: 1: CosineAnnealingLR group 1; lr: 2: StepLR group 0;"
                + " lr: 2: StepLR group 1");
        assertThat(doc.getElementsByTagName("title").item(0).getTextContent()).startsWith("lr4j: CosineAnnealingLR(T_max=50)");
        // Every series is drawn as 50 segments: 4 series, at least 200 line elements.
        assertThat(doc.getElementsByTagName("line").getLength()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void plotHtml_isSelfContained(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("loss.txt");
        Files.writeString(metrics, "1.0\n0.9\n0.9\n0.9\n0.9\n0.9\n0.9\n0.9\n");
        Path html = dir.resolve("plateau.html");
        assertThat(run("plot", "ReduceLROnPlateau(patience=1, factor=0.5)", "--metrics", metrics.toString(), "--steps", "8",
                "-o", html.toString())).isZero();
        String page = Files.readString(html);
        assertThat(page).contains("<svg").contains("ReduceLROnPlateau").doesNotContain("src=\"http").doesNotContain("<script src");
    }

    @Test
    void check_cleanSchedule_exits0() {
        assertThat(run("check", "SequentialLR(schedulers=[LinearLR(start_factor=0.1, total_iters=5), CosineAnnealingLR(T_max=95)],"
                + " milestones=[5])", "--steps", "100")).isZero();
        assertThat(out.toString()).contains("steps 0-4: LinearLR").contains("steps 5-99: CosineAnnealingLR").contains("no warnings")
                .contains("group 0: lr 0.01 at step 0, peak 0.1 at step 5");
    }

    @Test
    void check_findsTheClassicMistakes_andExits1() {
        assertThat(run("check", "OneCycleLR(max_lr=0.1, total_steps=100)", "--steps", "120")).isEqualTo(1);
        assertThat(out.toString()).contains("warning: OneCycleLR has total_steps=100 but this run steps it 120 times: it would fail mid-run;"
                + " size it with total_steps=120")
                .contains("warning: stepping fails at step 101")
                .contains("warning: group 0 had momentum 0 but OneCycleLR cycles it (to 0.95): momentum is silently enabled");
        out.getBuffer().setLength(0);
        assertThat(run("check", "MultiStepLR(milestones=[30, 10, 10], gamma=0.1)", "--steps", "20")).isEqualTo(1);
        assertThat(out.toString()).contains("are not sorted").contains("milestone 10 is repeated: gamma is applied 2 times")
                .contains("milestone 30 is never reached in 20 steps");
        out.getBuffer().setLength(0);
        assertThat(run("check", "CosineAnnealingLR(T_max=50)", "--steps", "80")).isEqualTo(1);
        assertThat(out.toString()).contains("after T_max the lr climbs back up");
        out.getBuffer().setLength(0);
        assertThat(run("check", "SequentialLR(schedulers=[LinearLR(start_factor=0.0, total_iters=5), ExponentialLR(gamma=0.9)],"
                + " milestones=[3])", "--steps", "10")).isEqualTo(1);
        assertThat(out.toString()).contains("trains step 0 with lr 0").contains("the lr jumps from 0.04 to 0.1 at SequentialLR milestone 3")
                .contains("LinearLR (in SequentialLR) total_iters=5 is larger than the run (3 steps)");
        out.getBuffer().setLength(0);
        assertThat(run("check", "StepLR(step_size=50)", "--steps", "20")).isEqualTo(1);
        assertThat(out.toString()).contains("StepLR step_size=50 is larger than the run (20 steps): the lr never decays");
    }

    @Test
    void jsonSpec_buildsTheSameScheduleAsTheExpression() {
        assertThat(run("table", "{\"type\": \"SequentialLR\", \"schedulers\": [{\"type\": \"LinearLR\", \"start_factor\": 0.5,"
                + " \"total_iters\": 2}, {\"type\": \"LambdaLR\", \"lr_lambda\": \"lambda e: 0.5 ** e\"}], \"milestones\": [2]}",
                "--steps", "4", "--format", "csv")).isZero();
        String fromJson = out.toString();
        out.getBuffer().setLength(0);
        assertThat(run("table", "SequentialLR(schedulers=[LinearLR(start_factor=0.5, total_iters=2), LambdaLR(lambda e: 0.5 ** e)],"
                + " milestones=[2])", "--steps", "4", "--format", "csv")).isZero();
        assertThat(out.toString()).isEqualTo(fromJson);
        assertThat(fromJson.lines().toList()).containsExactly("step,lr0", "0,0.05", "1,0.07500000000000001", "2,0.1", "3,0.05",
                "4,0.025");
    }

    @Test
    void table_optimizerExpression_givesGroupsAndBeta1() {
        assertThat(run("table", "OneCycleLR(max_lr=0.01, total_steps=10)", "--optimizer", "AdamW(lr=1e-3, betas=(0.9, 0.99))",
                "--steps", "10", "--every", "5", "--format", "md")).isZero();
        Matcher m = Pattern.compile("\\| 0 \\| ([0-9.e-]+) \\| ([0-9.]+) \\|").matcher(out.toString());
        assertThat(m.find()).as(out.toString()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isCloseTo(0.0004, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(m.group(2)).isEqualTo("0.95");
    }

    @Test
    void badInput_exits2WithOneLine() {
        assertThat(run("plot", "StepLR(step_size=3)", "--steps", "10", "-o", "x.gif")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("lr4j: -o must end in .png, .svg or .html, got x.gif" + System.lineSeparator());
        err.getBuffer().setLength(0);
        assertThat(run("check", "StepLR(step_sise=3)", "--steps", "10")).isEqualTo(2);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("did you mean step_size?");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String command : List.of("plot", "table", "check", "trace", "optim-trace")) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).as(command).contains("Usage: lr4j " + command).contains("Example");
        }
    }
}
