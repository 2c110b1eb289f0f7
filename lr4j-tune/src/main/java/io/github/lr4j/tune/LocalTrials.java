package io.github.lr4j.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/** {@link TrialExecutor#threads}: parts trained on a pool of local threads. */
final class LocalTrials implements TrialExecutor {
    private final int threads;

    LocalTrials(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
    }

    @Override
    public List<TrialResult> runParts(List<PartTask> tasks, Consumer<TrialResult> onResult) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lr4j-tune");
            t.setDaemon(true);
            return t;
        });
        Object lock = new Object();
        try {
            List<Future<TrialResult>> futures = new ArrayList<>();
            for (PartTask task : tasks) {
                futures.add(pool.submit(() -> {
                    TrialResult result = task.train();
                    synchronized (lock) {
                        onResult.accept(result);
                    }
                    return result;
                }));
            }
            List<TrialResult> results = new ArrayList<>();
            for (Future<TrialResult> f : futures) {
                results.add(get(f));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static TrialResult get(Future<TrialResult> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the search was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
