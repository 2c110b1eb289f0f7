package io.github.lr4j.cli;

import io.github.lr4j.train.TrainingLoop;
import io.github.lr4j.train.TrainListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress on the terminal: a bar redrawn in place (epoch, step, loss, lr) when writing to a
 * console, one line per epoch otherwise; warnings on their own lines.
 */
final class ProgressBar implements TrainListener {
    private final PrintWriter err;
    private final boolean console;
    private final int epochs;
    private final boolean quiet;
    private long lastDraw;
    private String header;

    ProgressBar(PrintWriter err, int epochs, boolean quiet) {
        this.err = err;
        this.console = System.console() != null;
        this.epochs = epochs;
        this.quiet = quiet;
    }

    /** A line printed before anything else, once training has started (a run the pre-flight refuses prints only why). */
    ProgressBar header(String line) {
        this.header = quiet ? null : line;
        return this;
    }

    private void printHeader() {
        if (header != null) {
            err.println(header);
            err.flush();
            header = null;
        }
    }

    @Override
    public void onStarting(String what) {
        if (!quiet) {
            err.println("lr4j: " + what);
            err.flush();
        }
    }

    @Override
    public void onStep(TrainingLoop.StepInfo s) {
        printHeader();
        if (quiet || !console) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 50_000_000L && s.batch() + 1 < s.batchesPerEpoch()) {
            return;
        }
        lastDraw = now;
        int width = 24;
        int filled = (int) ((s.batch() + 1) * (long) width / s.batchesPerEpoch());
        err.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] step %d  loss %.4f  lr %.3g   ", s.epoch() + 1, epochs,
                "#".repeat(filled), ".".repeat(width - filled), s.step(), s.loss(), s.lr()[0]));
        err.flush();
    }

    @Override
    public void onValidation(TrainingLoop.EpochInfo e) {
        printHeader();
        if (quiet) {
            return;
        }
        err.print(String.format(Locale.ROOT, "%sepoch %d/%d  train loss %.4f  val loss %.4f  val acc %.2f%%  lr %.3g%s%n",
                console ? "\r" : "", e.epoch() + 1, epochs, e.trainLoss(), e.valLoss(), 100 * e.valAccuracy(), e.lr()[0],
                e.best() ? "  (best)" : ""));
        err.flush();
    }

    @Override
    public void onWarning(String message) {
        printHeader();
        err.println((console ? "\r" : "") + "warning: " + message);
        err.flush();
    }
}
