package io.github.lr4j.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.engine.Engine;
import io.github.lr4j.groups.MomentumKind;
import io.github.lr4j.optim.HyperParameterSchedule;
import io.github.lr4j.scheduler.Scheduler;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.ParamGrouping;
import io.github.lr4j.train.ScheduleDriver;
import io.github.lr4j.train.TrainingLoop;
import java.util.Map;

/**
 * lr4j's main job on DJL with the PyTorch engine: the same MLP (64-256-10, ReLU), data (digits
 * with one-pixel shifts), SGD with momentum 0.9 and weight decay 5e-4 and OneCycleLR per update as
 * {@code lr4j train}, driven through {@link Lr4jOptimizer} and {@link Lr4jTrainingListener}.
 */
public final class DjlDigits implements AutoCloseable {
    public final Model model;
    public final Trainer trainer;
    public final DjlParamGroups groups;
    public final Lr4jOptimizer optimizer;
    public final Lr4jTrainingListener listener;
    public final Scheduler scheduler;
    public final ArrayDataset train;
    public final ArrayDataset validation;
    public final ArrayDataset test;
    /** The training set's images and labels, for {@link DjlRun}'s own batches. */
    final NDArray trainX;
    final NDArray trainY;
    private NDArray lastX;
    private NDArray lastY;
    private final NDManager manager;
    private final long perEpoch;
    private final io.github.lr4j.train.Interval interval;
    private final int epochs;

    /**
     * @param schedule a scheduler expression that may use total_steps, steps_per_epoch and epochs
     *                 (null: OneCycleLR(max_lr=0.1, total_steps=total_steps))
     */
    public DjlDigits(int[] hidden, int epochs, int batchSize, long seed, String schedule, Lr4jOptimizer.UpdateRecorder recorder) {
        this(hidden, epochs, batchSize, seed, schedule, null, recorder);
    }

    /**
     * @param optimizerExpression SGD(...), Adam(...), AdamW(...), SGDScheduleFree(...) or AdamWScheduleFree(...)
     *                            in PyTorch syntax (null: SGD with lr 0.1, momentum 0.9, weight decay 5e-4)
     */
    public DjlDigits(int[] hidden, int epochs, int batchSize, long seed, String schedule, String optimizerExpression,
                     Lr4jOptimizer.UpdateRecorder recorder) {
        this(hidden, epochs, batchSize, seed, schedule, optimizerExpression, null, true, recorder);
    }

    /**
     * @param interval when the schedules step (null: each one's default, as on the lr4j engine)
     * @param augment  add the one-pixel-shifted copies of the training images (as {@code lr4j train} does by default)
     */
    public DjlDigits(int[] hidden, int epochs, int batchSize, long seed, String schedule, String optimizerExpression,
                     io.github.lr4j.train.Interval interval, boolean augment, Lr4jOptimizer.UpdateRecorder recorder) {
        this(hidden, epochs, batchSize, seed, schedule, optimizerExpression, interval, augment, ParamGrouping.ONE, recorder);
    }

    /**
     * @param grouping the optimizer's param groups, as {@code --param-groups} makes them on every engine: one group, the
     *                 weights then the biases with weight_decay 0 ({@code no_decay}), or one group per layer
     */
    public DjlDigits(int[] hidden, int epochs, int batchSize, long seed, String schedule, String optimizerExpression,
                     io.github.lr4j.train.Interval interval, boolean augment, ParamGrouping grouping,
                     Lr4jOptimizer.UpdateRecorder recorder) {
        Engine.getInstance().setRandomSeed((int) seed);
        manager = NDManager.newBaseManager();
        Digits.Split split = Digits.split();
        train = dataset(augment ? Digits.withShifts(split.train()) : split.train(), batchSize, true);
        trainX = lastX;
        trainY = lastY;
        validation = dataset(split.validation(), batchSize, false);
        test = dataset(split.test(), batchSize, false);
        SequentialBlock net = new SequentialBlock().add(Blocks.batchFlattenBlock(Digits.FEATURES));
        for (int h : hidden) {
            net.add(Linear.builder().setUnits(h).build()).add(Activation::relu);
        }
        net.add(Linear.builder().setUnits(Digits.CLASSES).build());
        model = Model.newInstance("lr4j-digits-mlp");
        model.setBlock(net);
        io.github.lr4j.optim.Optimizer spec = io.github.lr4j.optim.Optimizers.parse(
                optimizerExpression == null ? "SGD(lr=0.1, momentum=0.9, weight_decay=5e-4)" : optimizerExpression);
        float wd = (float) spec.defaultValue("weight_decay");
        switch (spec.name()) {
            case "SGD":
                groups = grouped(grouping, net, spec.defaultValue("lr"), MomentumKind.MOMENTUM, spec.defaultValue("momentum"));
                optimizer = Lr4jOptimizer.sgd(groups, wd, spec.defaultValue("nesterov") != 0);
                break;
            case "Adam":
            case "AdamW":
                groups = grouped(grouping, net, spec.defaultValue("lr"), MomentumKind.BETA1, spec.defaultValue("beta1"));
                optimizer = Lr4jOptimizer.adam(groups, (float) spec.defaultValue("beta2"), (float) spec.defaultValue("eps"), wd,
                        spec.name().equals("AdamW"));
                break;
            case "SGDScheduleFree":
            case "AdamWScheduleFree":
                boolean adaptive = spec.name().equals("AdamWScheduleFree");
                if (adaptive && spec.defaultValue("inner_momentum") != 0) {
                    throw new IllegalArgumentException("the DJL engine's AdamWScheduleFree has no inner_momentum, got "
                            + spec.defaultValue("inner_momentum"));
                }
                groups = grouped(grouping, net, spec.defaultValue("lr"), adaptive ? MomentumKind.BETA1 : MomentumKind.MOMENTUM,
                        spec.defaultValue(adaptive ? "beta1" : "momentum"));
                optimizer = Lr4jOptimizer.scheduleFree(groups, adaptive, adaptive ? (float) spec.defaultValue("beta2") : 0f,
                        adaptive ? (float) spec.defaultValue("eps") : 0f, wd, (int) spec.defaultValue("warmup_steps"),
                        spec.defaultValue("r"), spec.defaultValue("weight_lr_power"));
                break;
            default:
                throw new IllegalArgumentException("the DJL engine supports SGD, Adam, AdamW, SGDScheduleFree and"
                        + " AdamWScheduleFree, got " + spec.name());
        }
        // The optimizer's values as the lr4j engine holds them (double, not the float the factories take), so that
        // the schedules of these hyper-parameters start from the same value on both engines.
        for (String name : optimizer.schedulable()) {
            if (!name.equals("momentum") && !name.equals("beta1")) {
                double value = spec.defaultValue(name);
                for (int g = 0; g < groups.size(); g++) {
                    optimizer.set(g, name, value);
                }
            }
        }
        if (grouping == ParamGrouping.NO_DECAY) {
            optimizer.set(1, "weight_decay", 0.0); // the biases (transformers' and timm's habit)
        }
        if (recorder != null) {
            optimizer.recorder(recorder);
        }
        listener = new Lr4jTrainingListener();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer)
                .addEvaluator(new Accuracy()).addTrainingListeners(listener);
        trainer = model.newTrainer(config);
        trainer.initialize(new Shape(batchSize, Digits.FEATURES));
        groups.bind(net);
        perEpoch = (train.size() + batchSize - 1) / batchSize;
        this.epochs = epochs;
        // Built and stepped by the rules every engine shares (lr4j-train's ScheduleDriver).
        this.interval = interval;
        ScheduleDriver.Built built = ScheduleDriver.build(optimizer,
                schedule == null ? "OneCycleLR(max_lr=0.1, total_steps=total_steps)" : schedule, Map.of(), interval, perEpoch, epochs);
        attach(built);
        scheduler = built.lrScheduler();
        listener.runLength(epochs, perEpoch);
    }

    /** The groups of {@code grouping} over {@code net}'s parameters (by their DJL names, e.g. 02Linear_weight), each with lr and momentum. */
    private static DjlParamGroups grouped(ParamGrouping grouping, SequentialBlock net, double lr, MomentumKind kind, double momentum) {
        switch (grouping) {
            case NO_DECAY:
                return DjlParamGroups.byName(kind, 2, lr, momentum, name -> name.endsWith("_bias") ? 1 : 0);
            case LAYERS: {
                java.util.List<String> layers = new java.util.ArrayList<>();
                for (ai.djl.util.Pair<String, ai.djl.nn.Block> child : net.getChildren()) {
                    if (!child.getValue().getParameters().isEmpty()) {
                        layers.add(child.getKey() + "_");
                    }
                }
                return DjlParamGroups.byName(kind, layers.size(), lr, momentum, name -> {
                    for (int i = 0; i < layers.size(); i++) {
                        if (name.startsWith(layers.get(i))) {
                            return i;
                        }
                    }
                    return -1;
                });
            }
            default:
                return DjlParamGroups.single(lr, kind, momentum);
        }
    }

    private void attach(ScheduleDriver.Built built) {
        for (int i = 0; i < built.attached().size(); i++) {
            TrainingLoop.Attached a = built.attached().get(i);
            listener.scheduler(a.scheduler(), a.interval(), a.frequency(), built.rebuilders().get(i));
        }
    }

    /**
     * Schedules hyper-parameter {@code name} of the optimizer (weight_decay, beta1/beta2/eps, momentum) with
     * {@code spec}, stepped by the listener like the lr schedule (the same rule for per-update or per-epoch).
     */
    public HyperParameterSchedule schedule(String name, String spec) {
        ScheduleDriver.Built built = ScheduleDriver.build(optimizer, null, Map.of(name, spec), interval, perEpoch, epochs);
        HyperParameterSchedule h = built.hyperSchedules().get(0);
        String conflict = h.conflictWith(scheduler);
        if (conflict != null) {
            throw new IllegalArgumentException(conflict);
        }
        attach(built);
        return h;
    }

    private ArrayDataset dataset(Dataset data, int batchSize, boolean shuffle) {
        float[] flat = new float[data.size() * Digits.FEATURES];
        float[] labels = new float[data.size()];
        for (int i = 0; i < data.size(); i++) {
            System.arraycopy(data.x()[i], 0, flat, i * Digits.FEATURES, Digits.FEATURES);
            labels[i] = data.y()[i];
        }
        NDArray x = manager.create(flat, new Shape(data.size(), Digits.FEATURES));
        NDArray y = manager.create(labels, new Shape(data.size()));
        lastX = x;
        lastY = y;
        return new ArrayDataset.Builder().setData(x).optLabels(y).setSampling(batchSize, shuffle).build();
    }

    /** Test-set accuracy of the current weights. */
    public double testAccuracy() throws Exception {
        return evaluate(test).accuracy();
    }

    /** Test-set mean loss (the trainer's loss) and accuracy of the current weights: the final line's figures. */
    public io.github.lr4j.train.Model.Evaluation testEvaluation() throws Exception {
        return evaluate(test);
    }

    /** Accuracy of the current weights on {@code data} (e.g. {@link #validation}). */
    public double accuracy(ArrayDataset data) throws Exception {
        return evaluate(data).accuracy();
    }

    /** The mean loss (the trainer's loss, weighted by batch size) and accuracy of the current weights on {@code data}. */
    public io.github.lr4j.train.Model.Evaluation evaluate(ArrayDataset data) throws java.io.IOException,
            ai.djl.translate.TranslateException {
        double lossSum = 0;
        long correct = 0;
        long count = 0;
        for (ai.djl.training.dataset.Batch batch : trainer.iterateDataset(data)) {
            ai.djl.ndarray.NDList labels = batch.getLabels();
            ai.djl.ndarray.NDList predictions = trainer.evaluate(batch.getData());
            long n = labels.head().getShape().get(0);
            try (NDArray loss = trainer.getLoss().evaluate(labels, predictions);
                 NDArray predicted = predictions.head().argMax(1).toType(ai.djl.ndarray.types.DataType.INT64, false);
                 NDArray truth = labels.head().toType(ai.djl.ndarray.types.DataType.INT64, false);
                 NDArray hits = predicted.eq(truth).sum()) {
                lossSum += loss.getFloat() * n;
                correct += hits.getLong();
            }
            count += n;
            predictions.close();
            batch.close();
        }
        return new io.github.lr4j.train.Model.Evaluation(lossSum / count, (double) correct / count);
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
        manager.close();
    }
}
