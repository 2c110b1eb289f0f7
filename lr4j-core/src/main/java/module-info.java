/**
 * lr4j-core: schedule values, schedulers bound to param groups, their saved state, the scheduler
 * type registry and the schedule language. {@code io.github.lr4j.util} (argument checks) is lr4j's
 * own, shared only with its other modules.
 */
@SuppressWarnings("module") // the other lr4j modules are automatic modules: named, not found at compile time
module io.github.lr4j.core {
    exports io.github.lr4j.groups;
    exports io.github.lr4j.schedule;
    exports io.github.lr4j.scheduler;
    exports io.github.lr4j.spec;
    exports io.github.lr4j.util to io.github.lr4j.optim, io.github.lr4j.cli;

    uses io.github.lr4j.scheduler.SchedulerTypeProvider;
}
