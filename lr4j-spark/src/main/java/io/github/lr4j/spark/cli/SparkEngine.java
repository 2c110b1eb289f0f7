package io.github.lr4j.spark.cli;

import io.github.lr4j.cli.TrainEngine;
import io.github.lr4j.spark.Lr4jSpark;
import io.github.lr4j.spark.MlpPartitionModel;
import io.github.lr4j.spark.ParameterAveraging;
import io.github.lr4j.spark.Sample;
import io.github.lr4j.train.Dataset;
import io.github.lr4j.train.Digits;
import io.github.lr4j.train.EarlyStopping;
import io.github.lr4j.train.Interval;
import io.github.lr4j.train.Mlp;
import io.github.lr4j.train.Mode;
import io.github.lr4j.train.RunCheckpoints;
import io.github.lr4j.train.Model;
import io.github.lr4j.train.TrainListener;
import io.github.lr4j.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code lr4j train --engine spark}: the digits job of {@code lr4j train}, data-parallel on Spark by
 * parameter averaging. A step is one local optimizer step (every partition takes it on its slice
 * of the global batch), so {@code total_steps} and the step counts are those of one machine with
 * the same --batch-size; --local-steps K steps make a round between two averages; --checkpoint-every
 * counts rounds (0: at every epoch end).
 */
public final class SparkEngine implements TrainEngine {
    /**
     * K when --local-steps is not given: an eighth of the Spark jobs of K = 1 (synchronous SGD), and
     * still above 97% test accuracy with the default recipe (see BENCHMARKS.md).
     */
    static final int DEFAULT_LOCAL_STEPS = 8;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public boolean extendsFinishedRuns() {
        return true;
    }

    @Override
    public RunCheckpoints.Progress progress(Request r, Consumer<String> where) throws Exception {
        Lr4jSpark.requireSupportedJava();
        if (r.resume() == null || r.checkpointDir() == null) {
            return null; // train() says what is wrong
        }
        // Hadoop's configuration as the run will have it: the caller's session's, else the default (HADOOP_CONF_DIR).
        Configuration hadoop = SparkSession.getDefaultSession().isDefined()
                ? SparkSession.getDefaultSession().get().sparkContext().hadoopConfiguration() : new Configuration();
        return ParameterAveraging.progress(r.checkpointDir(), hadoop, where);
    }

    @Override
    public Outcome train(Request r, TrainListener listener) {
        Lr4jSpark.requireSupportedJava(); // before anything is checked or touched
        if (r.resume() != null && !r.resume().equals("latest")) {
            throw new IllegalArgumentException("--engine spark resumes from the newest checkpoint in --checkpoint-dir: use --resume latest,"
                    + " got --resume " + r.resume());
        }
        if (r.resume() != null && r.checkpointDir() == null) {
            throw new IllegalArgumentException("--resume latest needs --checkpoint-dir");
        }
        if (r.checkpointEvery() < 0 || r.checkpointEvery() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--checkpoint-every must be in [0, " + Integer.MAX_VALUE + "] rounds, got " + r.checkpointEvery());
        }
        Interval interval = null;
        if (r.interval() != null) {
            switch (r.interval()) {
                case "step": interval = Interval.STEP; break;
                case "epoch": interval = Interval.EPOCH; break;
                default: throw new IllegalArgumentException("--interval must be step or epoch, got " + r.interval());
            }
        }
        if (!r.monitor().equals("val_loss") && !r.monitor().equals("val_accuracy")) {
            throw new IllegalArgumentException("--monitor must be val_loss or val_accuracy, got " + r.monitor());
        }
        boolean started = SparkSession.getDefaultSession().isEmpty();
        if (started) { // a session takes seconds to start: say so before the first epoch line
            listener.onStarting("starting Spark (" + (r.master() != null ? r.master()
                    : new org.apache.spark.SparkConf().get("spark.master", "embedded local[*]")) + ") ..."); // spark-submit sets spark.master
        }
        SparkSession spark = Lr4jSpark.session(r.master());
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            int partitions = r.partitions() > 0 ? r.partitions() : sc.defaultParallelism();
            int localSteps = r.localSteps() > 0 ? r.localSteps() : DEFAULT_LOCAL_STEPS;
            Digits.Split split = Digits.split();
            Dataset train = r.augment() ? Digits.withShifts(split.train()) : split.train();
            ParameterAveraging<Sample> run = ParameterAveraging.of(sc.parallelize(samples(train), partitions),
                    MlpPartitionModel.factory(Digits.FEATURES, r.hidden(), Digits.CLASSES, r.seed()))
                    .validation(sc.parallelize(samples(split.validation()), partitions))
                    .optimizer(r.optimizer()).scheduler(r.scheduler(), interval)
                    .epochs(r.epochs()).batchSize(r.batchSize()).localSteps(localSteps).partitions(partitions).seed(r.seed())
                    .monitor(r.monitor(), r.monitor().equals("val_accuracy") ? Mode.MAX : Mode.MIN)
                    .listener(listener).log(r.logs());
            r.schedules().forEach(run::schedule);
            run.paramGroups(io.github.lr4j.train.ParamGrouping.parse(r.paramGroups()));
            if (r.swaStart() > 0) {
                run.swa(r.swaStart(), r.swaScheduler());
            }
            if (r.patience() > 0) {
                run.earlyStopping(new EarlyStopping(r.patience(), r.minDelta(), true));
            }
            if (r.checkpointDir() != null) {
                run.checkpoints(r.checkpointDir(), (int) r.checkpointEvery(), r.keep()).resume(r.resume() != null)
                        .overwrite(r.overwrite());
            }
            if (r.extend() != null) {
                if (r.resume() == null) {
                    throw new IllegalArgumentException("--restart-schedule and --continue-at-final-lr extend a finished run: they"
                            + " need --resume latest");
                }
                run.extendFinishedRun(r.extend().equals("restart-schedule"));
            }
            long t0 = System.nanoTime();
            TrainingLoop.Result result = run.fit();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Mlp model = new Mlp(Digits.FEATURES, r.hidden(), Digits.CLASSES, r.seed());
            for (int i = 0; i < model.parameters().size(); i++) {
                float[] trained = run.parameters().get(i).data();
                System.arraycopy(trained, 0, model.parameters().get(i).data(), 0, trained.length);
            }
            Model.Evaluation test = model.evaluate(split.test());
            String note = "";
            if (run.trainedWeights() != null) {
                // The model holds the SWA average (no batch-norm pass: an MLP's parameters are all of it); the weights
                // the last round left are tested for comparison, as on the lr4j engine.
                float[] last = run.trainedWeights();
                List<float[]> shaped = new ArrayList<>();
                int at = 0;
                for (var p : model.parameters()) {
                    shaped.add(java.util.Arrays.copyOfRange(last, at, at + p.size()));
                    at += p.size();
                }
                Model.Evaluation lastTest = Model.evaluateWith(model, shaped.toArray(new float[0][]), split.test());
                note = String.format(Locale.ROOT, " (SWA average of %d epochs; last weights %.2f%%)", run.swaAveraged(),
                        100 * lastTest.accuracy());
            }
            // The run's rounds (a resumed run's too, so that its report describes the whole run); the time is this process's.
            String engine = String.format(Locale.ROOT, "spark %s (%s, %d partitions, K=%d, %d rounds, %.1f s)", spark.version(),
                    spark.sparkContext().master(), partitions, localSteps, run.rounds(), seconds);
            return new Outcome(result, test, run.scheduler() == null ? "none" : run.scheduler().toString(), engine, note,
                    run.horizons());
        } finally {
            if (started) {
                spark.stop(); // a session the caller had made stays theirs
            }
        }
    }

    private static List<Sample> samples(Dataset data) {
        List<Sample> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            out.add(new Sample(data.x()[i], data.y()[i]));
        }
        return out;
    }
}
