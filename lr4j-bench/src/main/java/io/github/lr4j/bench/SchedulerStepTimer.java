package io.github.lr4j.bench;

import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.groups.ParamGroups;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.spec.ScheduleSpec;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The Java side of {@code bench/scheduler-vs-torch}: median nanoseconds per {@code step()} for one
 * scheduler expression and group count (a plain timing loop after JIT warm-up; JMH in
 * {@link SchedulerStepBenchmark} is the rigorous figure). Prints one number.
 */
public final class SchedulerStepTimer {
    /** Metrics for a plateau scheduler (time-based ones ignore them), made once: stepping must not allocate. */
    private static final OptionalDouble BETTER = OptionalDouble.of(0.5);
    private static final OptionalDouble WORSE = OptionalDouble.of(1.0);

    private SchedulerStepTimer() {
    }

    public static void main(String[] args) {
        String expression = args[0];
        int groups = Integer.parseInt(args[1]);
        double[] lrs = new double[groups];
        Arrays.fill(lrs, 0.1);
        ParamGroups pg = ParamGroups.withMomentum(MomentumKind.MOMENTUM, lrs, new double[] {0.9});
        Scheduler s = ScheduleSpec.build(expression, pg);
        int batch = 1_000_000;
        double[] samples = new double[7];
        double sink = 0;
        for (int round = -3; round < samples.length; round++) { // 3 warm-up rounds
            long t0 = System.nanoTime();
            for (int i = 0; i < batch; i++) {
                s.step((i & 1) == 0 ? BETTER : WORSE);
            }
            sink += s.lastLr(0);
            if (round >= 0) {
                samples[round] = (System.nanoTime() - t0) / (double) batch;
            }
        }
        Arrays.sort(samples);
        System.out.println(samples[samples.length / 2] + (sink == 42 ? " " : ""));
    }
}
