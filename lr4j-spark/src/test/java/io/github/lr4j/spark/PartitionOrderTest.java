package io.github.lr4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.apache.spark.TaskContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Test;

/**
 * The partitions' results are combined in partition order, never in the order their tasks finish: with three
 * partitions made to finish in two different orders (a test hook holds each task until the ones before it in the
 * chosen order have ended), the logged losses, the validation losses and the final weights are the same bit for bit.
 * Combined in finish order, (a + b) + c against (a + c) + b differs in the last bits of the summed losses.
 */
class PartitionOrderTest {
    private static final Dataset DATA = Digits.split().train().subset(IntStream.range(0, 600).toArray());

    /** What a run gives: each step's loss, each epoch's validation loss, the final weights. */
    private record Outcome(List<Double> losses, List<Double> valLosses, float[] weights) { }

    @Test
    void partitionsFinishingInAnotherOrder_giveTheSameRunBitForBit() {
        Outcome natural = runFinishingIn(0, 1, 2);
        Outcome swapped = runFinishingIn(0, 2, 1);

        assertThat(natural.losses()).hasSize(20);
        assertThat(swapped.losses()).isEqualTo(natural.losses()); // Double.equals compares the bits
        assertThat(swapped.valLosses()).hasSize(2).isEqualTo(natural.valLosses());
        assertThat(Arrays.equals(swapped.weights(), natural.weights())).as("final weights, bit for bit").isTrue();
    }

    private static Outcome runFinishingIn(int... order) {
        FinishOrder hold = new FinishOrder(order);
        LocalSpark.context().sc().addSparkListener(hold);
        PartitionRound.taskStarting = hold;
        List<Double> losses = new ArrayList<>();
        List<Double> valLosses = new ArrayList<>();
        try {
            ParameterAveraging<Sample> run = ParameterAveraging.of(LocalSpark.rdd(DATA, 3),
                    MlpPartitionModel.factory(Digits.FEATURES, new int[] {16}, Digits.CLASSES, 7))
                    .validation(LocalSpark.rdd(Digits.split().validation(), 3))
                    .optimizer("AdamW(lr=3e-3, weight_decay=0.01)").scheduler("OneCycleLR(max_lr=0.01, total_steps=total_steps)")
                    .epochs(2).batchSize(60).localSteps(2).partitions(3).seed(7)
                    .listener(new TrainListener() {
                        @Override
                        public void onStep(TrainingLoop.StepInfo step) {
                            losses.add(step.loss());
                        }

                        @Override
                        public void onValidation(TrainingLoop.EpochInfo epoch) {
                            valLosses.add(epoch.valLoss());
                        }
                    });
            run.fit();
            assertThat(hold.held).as("the hook held tasks").isPositive();
            return new Outcome(losses, valLosses, PartitionRound.flatten(run.parameters()));
        } finally {
            PartitionRound.taskStarting = null;
            LocalSpark.context().sc().removeSparkListener(hold);
        }
    }

    /** Holds each task of a stage until the partitions before it in {@code order} have ended (seen by the driver). */
    private static final class FinishOrder extends SparkListener implements IntConsumer {
        private final int[] order;
        private final Map<Integer, Set<Integer>> ended = new HashMap<>();
        private int held;

        FinishOrder(int[] order) {
            this.order = order;
        }

        @Override
        public synchronized void accept(int partition) {
            int stage = TaskContext.get().stageId();
            int position = IntStream.range(0, order.length).filter(i -> order[i] == partition).findFirst().orElseThrow();
            Set<Integer> before = new HashSet<>();
            for (int i = 0; i < position; i++) {
                before.add(order[i]);
            }
            if (!before.isEmpty()) {
                held++;
            }
            long deadline = System.currentTimeMillis() + 60_000; // a safety net against a hung build, not a timing
            while (!ended.computeIfAbsent(stage, s -> new HashSet<>()).containsAll(before)
                    && System.currentTimeMillis() < deadline) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            ended.computeIfAbsent(end.stageId(), s -> new HashSet<>()).add(end.taskInfo().index());
            notifyAll();
        }
    }
}
