package io.github.lr4j.tune;

import java.nio.file.Path;

/** The small search of {@link SuccessiveHalvingTest}, run in a child JVM that the crash test kills with SIGKILL. */
public final class KillableSearch {
    private KillableSearch() {
    }

    static SuccessiveHalving search() {
        return new SuccessiveHalving(4, 2, 1, 1, 7);
    }

    /** The small search of {@link PopulationBasedTrainingTest}'s crash test. */
    static PopulationBasedTraining pbt() {
        return new PopulationBasedTraining(4, 3, 0.5, 0.25, 1, 3);
    }

    /**
     * args: the search folder, milliseconds to wait after each finished part (a window for the kill), and optionally
     * {@code pbt} for {@link #pbt()} (else successive halving).
     */
    public static void main(String[] args) {
        long pause = Long.parseLong(args[1]);
        TuneListener listener = pausing(pause);
        if (args.length > 2 && args[2].equals("pbt")) {
            pbt().run(PopulationBasedTrainingTest.SPACE, SuccessiveHalvingTest.small(3), Path.of(args[0]), listener);
        } else {
            search().run(SuccessiveHalvingTest.SPACE, SuccessiveHalvingTest.small(3), Path.of(args[0]), listener);
        }
    }

    private static TuneListener pausing(long pause) {
        return new TuneListener() {
            @Override
            public void onTrial(Trial trial, TrialResult result, int done, int total, boolean resumed) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
