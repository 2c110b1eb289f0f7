package io.github.lr4j.train;

import java.util.Random;

/**
 * The order in which an epoch visits the training set, the same on every engine: epoch {@code e} takes a
 * Fisher-Yates shuffle with {@code new Random(seed + e)}, so a resumed run sees exactly the batches it would have seen.
 */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** Fills {@code order} with the shuffle of {@code 0..order.length-1} that {@code seed} gives. */
    public static void shuffle(int[] order, long seed) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }
}
