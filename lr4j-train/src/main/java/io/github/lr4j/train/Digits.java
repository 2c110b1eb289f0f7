package io.github.lr4j.train;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The handwritten digits data set shipped with lr4j: 1,797 samples of 8x8 pixels (0..16, scaled to
 * [0, 1]), ten classes. Source: UCI "Optical Recognition of Handwritten Digits" (Alpaydin and
 * Kaynak, 1998), CC BY 4.0, as shipped by scikit-learn; see {@code DIGITS-NOTICE.md} beside it.
 *
 * <p>{@link #split()} is fixed and documented: the samples are shuffled with
 * {@code java.util.Random(20_261_128)} (Fisher-Yates, as {@link java.util.Collections#shuffle}),
 * then the first 1,257 are the training set, the next 270 validation and the last 270 test.
 */
public final class Digits {
    public static final int SAMPLES = 1797;
    public static final int FEATURES = 64;
    public static final int CLASSES = 10;
    public static final long SPLIT_SEED = 20_261_128L;
    public static final int TRAIN = 1257;
    public static final int VALIDATION = 270;
    public static final int TEST = 270;

    private Digits() {
    }

    /** The three parts of {@link #split()}. */
    public record Split(Dataset train, Dataset validation, Dataset test) { }

    /** All 1,797 samples in file order. */
    public static Dataset load() {
        try (InputStream raw = Digits.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("digits.csv.gz is missing from the lr4j-train jar");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            List<float[]> xs = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                float[] x = new float[FEATURES];
                for (int i = 0; i < FEATURES; i++) {
                    x[i] = Float.parseFloat(cells[i]) / 16f;
                }
                xs.add(x);
                ys.add((int) Float.parseFloat(cells[FEATURES]));
            }
            return new Dataset(xs.toArray(new float[0][]), ys.stream().mapToInt(Integer::intValue).toArray(), CLASSES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read digits.csv.gz", e);
        }
    }

    /**
     * {@code data} plus four copies shifted by one pixel (up, down, left, right; the vacated row or
     * column is blank): a standard augmentation for small digit images, 5x the samples.
     */
    public static Dataset withShifts(Dataset data) {
        int n = data.size();
        float[][] xs = new float[n * 5][];
        int[] ys = new int[n * 5];
        int[][] shifts = {{0, 0}, {-1, 0}, {1, 0}, {0, -1}, {0, 1}};
        for (int k = 0; k < shifts.length; k++) {
            for (int s = 0; s < n; s++) {
                float[] src = data.x()[s];
                float[] dst = new float[FEATURES];
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        int sr = r - shifts[k][0];
                        int sc = c - shifts[k][1];
                        if (sr >= 0 && sr < 8 && sc >= 0 && sc < 8) {
                            dst[r * 8 + c] = src[sr * 8 + sc];
                        }
                    }
                }
                xs[k * n + s] = dst;
                ys[k * n + s] = data.y()[s];
            }
        }
        return new Dataset(xs, ys, data.classes());
    }

    /** The fixed train / validation / test split (1,257 / 270 / 270). */
    public static Split split() {
        Dataset all = load();
        int[] order = new int[all.size()];
        EpochOrder.shuffle(order, SPLIT_SEED); // the same Fisher-Yates shuffle as an epoch's batch order
        return new Split(all.subset(java.util.Arrays.copyOfRange(order, 0, TRAIN)),
                all.subset(java.util.Arrays.copyOfRange(order, TRAIN, TRAIN + VALIDATION)),
                all.subset(java.util.Arrays.copyOfRange(order, TRAIN + VALIDATION, SAMPLES)));
    }
}
