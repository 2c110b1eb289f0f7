import io.github.lr4j.train.*;
import java.nio.file.*;
/**
 * The default `lr4j train` recipe with a listener printing the data loading and each epoch in ms; see BENCHMARKS.md.
 * Run: javac -cp lr4j-cli/target/lr4j-cli-all.jar -d /tmp/probe bench/probes/EpochTimeProbe.java &&
 *      java -cp lr4j-cli/target/lr4j-cli-all.jar:/tmp/probe EpochTimeProbe
 */
public class EpochTimeProbe {
    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        DigitsRecipe.Run run = new DigitsRecipe().build();
        Path logs = Files.createTempDirectory("fit");
        StringBuilder sb = new StringBuilder();
        long[] last = {System.nanoTime()};
        sb.append(String.format("build %.0f ms |", (last[0] - t0) / 1e6));
        run.trainer().log(logs).listener(new TrainListener() {
            @Override public void onValidation(TrainingLoop.EpochInfo e) {
                long now = System.nanoTime();
                sb.append(String.format(" %.0f", (now - last[0]) / 1e6));
                last[0] = now;
            }
        });
        run.trainer().fit();
        System.out.println(sb + String.format(" | total %.2f s", (System.nanoTime() - t0) / 1e9));
    }
}
