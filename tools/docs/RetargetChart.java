import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Draws docs/images/retarget.png for the README: the lr of a run (steps.csv of its report) and of the same run resumed with
 * more epochs (the resumed report's steps.csv, whose step column continues the original's). Run by tools/docs/retarget.sh.
 */
public class RetargetChart {
    public static void main(String[] args) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(360).title(args[3]).xAxisTitle("optimizer step")
                .yAxisTitle("lr").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE).setMarkerSize(0);
        chart.getStyler().setXAxisDecimalPattern("#");
        chart.getStyler().setXAxisTickMarkSpacingHint(120);
        add(chart, args[4], Path.of(args[0]));
        add(chart, args[5], Path.of(args[1]));
        BitmapEncoder.saveBitmap(chart, args[2], BitmapEncoder.BitmapFormat.PNG);
    }

    private static void add(XYChart chart, String name, Path csv) throws IOException {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        String[] header = lines.get(0).split(",");
        int step = List.of(header).indexOf("step");
        int lr = List.of(header).indexOf("lr0");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            x.add(Double.parseDouble(f[step]));
            y.add(Double.parseDouble(f[lr]));
        }
        chart.addSeries(name, x, y);
    }
}
