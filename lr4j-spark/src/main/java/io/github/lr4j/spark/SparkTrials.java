package io.github.lr4j.spark;

import io.github.lr4j.tune.PartTask;
import io.github.lr4j.tune.TrialExecutor;
import io.github.lr4j.tune.TrialResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A search's trials as Spark tasks ({@code lr4j tune --engine spark}): each part is a one-partition job submitted at
 * once, so the cluster trains as many parts at a time as it has cores (a part trains with its recipe's threads, 1 by
 * default), and the driver receives each result as its task finishes, saves it and reports it; the search on the
 * driver decides the rest (promotion, the winner) exactly as on local threads, so the outcome is the same.
 *
 * <p>A task writes its trial's folder (logs, checkpoints) at the path the driver gave: on a cluster, the report folder
 * must be on a filesystem every executor and the driver share, at the same path. On a local master it is this machine's.
 */
public final class SparkTrials implements TrialExecutor {
    private final JavaSparkContext context;

    public SparkTrials(SparkSession session) {
        this.context = JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    @Override
    public List<TrialResult> runParts(List<PartTask> tasks, Consumer<TrialResult> onResult) {
        List<JavaFutureAction<List<TrialResult>>> jobs = new ArrayList<>();
        TrialResult[] results = new TrialResult[tasks.size()];
        try {
            for (PartTask task : tasks) {
                jobs.add(context.parallelize(List.of(task), 1).map(PartTask::train).collectAsync());
            }
            int left = tasks.size();
            while (left > 0) {
                boolean any = false;
                for (int i = 0; i < jobs.size(); i++) {
                    if (results[i] == null && jobs.get(i).isDone()) {
                        results[i] = get(jobs.get(i), tasks.get(i));
                        onResult.accept(results[i]);
                        left--;
                        any = true;
                    }
                }
                if (!any) {
                    Thread.sleep(20);
                }
            }
            return List.of(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the search was interrupted", e);
        } finally {
            jobs.stream().filter(j -> !j.isDone()).forEach(j -> j.cancel(true)); // after a failure: abandon the rest
        }
    }

    private static TrialResult get(JavaFutureAction<List<TrialResult>> job, PartTask task) throws InterruptedException {
        try {
            return job.get().get(0);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IllegalStateException(String.format("trial t%03d (epochs %d to %d) failed on Spark: %s", task.trial(),
                    task.from(), task.to(), c == null ? e : c.getMessage()), c == null ? e : c);
        }
    }
}
