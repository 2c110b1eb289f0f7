package io.github.lr4j.scheduler;

import java.util.List;

/**
 * Scheduler types that {@link SchedulerTypes} registers by itself when it finds this provider on
 * the class path ({@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/io.github.lr4j.scheduler.SchedulerTypeProvider}). This is how a type
 * reaches the command line, e.g. {@code lr4j train --scheduler 'MyLR(...)'} with your jar on the
 * class path; in your own code, {@link SchedulerTypes#register} does the same.
 */
public interface SchedulerTypeProvider {
    List<SchedulerType> schedulerTypes();
}
