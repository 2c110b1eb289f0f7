package io.github.lr4j.optim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of daemon threads that run one job split into parts: part 0 on the caller, the others
 * on the workers. Nothing is allocated per run, so an optimizer step stays allocation-free.
 */
final class WorkerPool {
    /** One split job. */
    interface Job {
        void run(int part);
    }

    private final int parts;
    private final Thread[] workers;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile long generation;
    private volatile Job job;
    private volatile Throwable failure;
    private volatile boolean closed;

    WorkerPool(int parts) {
        this.parts = parts;
        this.workers = new Thread[parts - 1];
        for (int i = 0; i < workers.length; i++) {
            int part = i + 1;
            workers[i] = new Thread(() -> loop(part), "lr4j-optim-" + part);
            workers[i].setDaemon(true);
            workers[i].start();
        }
    }

    int parts() {
        return parts;
    }

    private void loop(int part) {
        long seen = 0;
        while (!closed) {
            long g = generation;
            if (g == seen) {
                LockSupport.park(this);
                continue;
            }
            seen = g;
            try {
                job.run(part);
            } catch (Throwable t) {
                failure = t;
            } finally {
                remaining.decrementAndGet();
            }
        }
    }

    /** Lets the worker threads end. */
    void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** Runs {@code job} on every part and returns when all are done. */
    void runAll(Job j) {
        if (parts == 1) {
            j.run(0);
            return;
        }
        this.job = j;
        this.failure = null;
        remaining.set(parts - 1);
        generation++; // the volatile write publishes the job to the workers
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
        try {
            j.run(0);
        } finally {
            while (remaining.get() != 0) { // also when part 0 threw: no worker may still run this job next time
                Thread.onSpinWait();
            }
        }
        Throwable f = failure;
        if (f != null) {
            throw new IllegalStateException("an optimizer worker failed", f);
        }
    }
}
