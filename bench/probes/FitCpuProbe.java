import io.github.lr4j.train.*;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.*;
/**
 * The default `lr4j train` fit K times in one JVM, each timed in the main thread's CPU time (which, unlike the wall
 * time, hardly moves with the machine's load): the first fit carries the JIT warm-up, the later ones are the steady
 * state. After each fit, the model's step alone (lossAndGradient on the fit's 3,940 batches, no optimizer, no logs).
 * See BENCHMARKS.md. Run: javac -cp lr4j-cli/target/lr4j-cli-all.jar -d /tmp/probe bench/probes/FitCpuProbe.java &&
 *      java -cp lr4j-cli/target/lr4j-cli-all.jar:/tmp/probe FitCpuProbe 4
 */
public class FitCpuProbe {
    public static void main(String[] args) throws Exception {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int k = Integer.parseInt(args[0]);
        DigitsRecipe recipe = new DigitsRecipe();
        DigitsRecipe.Data data = recipe.loadData();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            DigitsRecipe.Run run = recipe.build(data);
            run.trainer().log(Files.createTempDirectory("fit"));
            run.trainer().fit();
            run.model().evaluate(run.data().test());
            long t1 = threads.getCurrentThreadCpuTime();
            Dataset train = run.train();
            int n = train.size();
            int[] order = new int[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            for (int e = 0; e < 20; e++) {
                for (int from = 0; from < n; from += 32) {
                    run.model().lossAndGradient(train, order, from, Math.min(n, from + 32), 1.0);
                    run.model().parameters().forEach(p -> p.zeroGrad());
                }
            }
            long t2 = threads.getCurrentThreadCpuTime();
            sb.append(String.format("fit %d: %.3f s | model steps alone %.3f s%n", i + 1, (t1 - t0) / 1e9, (t2 - t1) / 1e9));
        }
        System.out.print(sb);
    }
}
