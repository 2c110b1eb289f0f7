package io.github.lr4j.cli;

import io.github.lr4j.scheduler.SchedulerType;
import io.github.lr4j.scheduler.SchedulerType.Param;
import io.github.lr4j.scheduler.SchedulerTypeProvider;
import java.util.List;

/** A user's scheduler type, found on the test class path the way the command line finds one (ServiceLoader). */
public final class TestSchedulerTypes implements SchedulerTypeProvider {
    @Override
    public List<SchedulerType> schedulerTypes() {
        return List.of(SchedulerType.builder("WarmupInvSqrtLR", "linear warm-up over warmup steps, then base * sqrt(warmup / t)")
                .param(Param.required("warmup", Param.Kind.INTEGER, ">= 1", "warm-up steps"))
                .schedule(args -> {
                    long warmup = args.integer("warmup");
                    if (warmup < 1) {
                        throw new IllegalArgumentException("warmup must be >= 1, got " + warmup);
                    }
                    return (step, group, base) -> step < warmup ? base * (step + 1) / warmup : base * Math.sqrt((double) warmup / step);
                })
                .perBatch()
                .lint((spec, c) -> {
                    if (((Number) spec.get("warmup")).longValue() > c.steps()) {
                        c.warn("WarmupInvSqrtLR" + c.inside() + " warms up longer than the run (" + c.steps() + " steps)");
                    }
                })
                .build());
    }
}
