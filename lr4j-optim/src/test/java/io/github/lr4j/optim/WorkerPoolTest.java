package io.github.lr4j.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void whenPartZeroThrows_runAllStillWaitsForTheWorkers_andThePoolRunsTheNextJob() throws Exception {
        WorkerPool pool = new WorkerPool(2);
        try {
            AtomicBoolean workerFinished = new AtomicBoolean();
            assertThatThrownBy(() -> pool.runAll(part -> {
                if (part == 0) {
                    throw new IllegalStateException("part 0 failed");
                }
                sleep(50);
                workerFinished.set(true);
            })).hasMessage("part 0 failed");
            // runAll returned only after the worker was done with that job: it cannot still be running it
            assertThat(workerFinished).isTrue();

            AtomicInteger parts = new AtomicInteger();
            pool.runAll(part -> parts.incrementAndGet());
            assertThat(parts).hasValue(2);
        } finally {
            pool.close();
        }
    }

    @Test
    void aWorkerThatThrows_failsRunAllWithItsCause() {
        WorkerPool pool = new WorkerPool(2);
        try {
            assertThatThrownBy(() -> pool.runAll(part -> {
                if (part == 1) {
                    throw new IllegalArgumentException("worker failed");
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("an optimizer worker failed")
                    .hasCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            pool.close();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
