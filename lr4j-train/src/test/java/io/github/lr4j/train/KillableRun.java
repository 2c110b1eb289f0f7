package io.github.lr4j.train;

import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.scheduler.Schedulers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small training run with checkpoints every 5 optimizer steps, used by the crash test: run in a
 * child JVM (slowed down) and killed with SIGKILL, then resumed in the test's JVM.
 */
public final class KillableRun {
    private KillableRun() {
    }

    /** The run's trainer; {@code sleepMs} per step makes a child slow enough to be killed mid-run. */
    static TrainingLoop trainer(Path checkpoints, Path logs, long sleepMs) {
        Digits.Split split = Digits.split();
        Mlp model = new Mlp(64, new int[] {16}, 10, 5);
        Optimizer opt = Optimizers.create("SGD", Map.of("lr", 0.05, "momentum", 0.9, "nesterov", true));
        opt.addParamGroup(model.parameters().subList(0, 2));
        opt.addParamGroup(model.parameters().subList(2, 4), Map.of("lr", 0.02));
        TrainingLoop t = TrainingLoop.of(model, opt, split.train()).validation(split.validation()).epochs(4).batchSize(64).seed(9)
                .accumulate(2);
        Scheduler oneCycle = Schedulers.oneCycleLR(0.1, 0.05).totalSteps((long) t.optimizerStepsPerEpoch() * 4).attach(opt);
        t.scheduler(oneCycle);
        t.scheduler(Schedulers.reduceLROnPlateau().patience(0).factor(0.5).attach(opt));
        t.earlyStopping(new EarlyStopping(3, 0, true));
        t.checkpoints(new Checkpointing(checkpoints, 5, true, true, 100));
        t.log(logs);
        if (sleepMs > 0) {
            t.listener(new TrainListener() {
                @Override
                public void onStep(TrainingLoop.StepInfo step) {
                    try {
                        Thread.sleep(sleepMs);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }
        return t;
    }

    static List<float[]> weights(TrainingLoop t) {
        return t.model().parameters().stream().map(p -> p.data().clone()).toList();
    }

    /** args: checkpoint directory, log directory, milliseconds to sleep per step. */
    public static void main(String[] args) {
        trainer(Path.of(args[0]), Path.of(args[1]), Long.parseLong(args[2])).fit();
    }
}
