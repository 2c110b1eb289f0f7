package io.github.lr4j.train;
/**
 * Times {@link MlpKernels} one by one on the shapes of `lr4j train` (batch 32, 64-256-10), in the thread's CPU time
 * (best of 7 x 2,000 calls: the machine's load moves it far less than the wall time); see BENCHMARKS.md.
 * Run: javac -cp lr4j-cli/target/lr4j-cli-all.jar -d /tmp/probe bench/probes/MlpKernelProbe.java &&
 *      java -cp lr4j-cli/target/lr4j-cli-all.jar:/tmp/probe io.github.lr4j.train.MlpKernelProbe
 */
public class MlpKernelProbe {
    interface Body { void run(); }
    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    static void t(String name, Body b, double flops) {
        for (int i = 0; i < 20000; i++) b.run();
        double best = 1e18;
        for (int r = 0; r < 7; r++) {
            long t = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < 2000; i++) b.run();
            best = Math.min(best, (THREADS.getCurrentThreadCpuTime() - t) / 2000.0);
        }
        System.out.printf("%-28s %8.2f us  %6.1f GFLOP/s%n", name, best / 1e3, flops / best);
    }
    public static void main(String[] a) {
        java.util.Random r = new java.util.Random(1);
        int n = 32;
        float[][] x = new float[n][64], h = new float[n][256], d2 = new float[n][10], dh = new float[n][256];
        float[][] wt = new float[64][256], w2 = new float[10][256], gt = new float[64][256], g2 = new float[10][256];
        float[] w1flat = new float[256 * 64], g1flat = new float[256 * 64], b1 = new float[256], b2 = new float[10];
        for (float[][] m : new float[][][] {x, h, d2, dh, wt, w2}) for (float[] row : m) for (int i = 0; i < row.length; i++) row[i] = r.nextFloat() - 0.5f;
        t("fwd1 addRowTimesRows", () -> { for (int s = 0; s < n; s++) { System.arraycopy(b1, 0, h[s], 0, 256); MlpKernels.addRowTimesRows(h[s], x[s], wt, 64, 256); } }, 2.0 * n * 64 * 256);
        t("relu", () -> { for (int s = 0; s < n; s++) MlpKernels.relu(h[s], 256); }, n * 256);
        float[][] z = new float[n][10];
        float[][] hT = new float[256][n];
        float[] acc0 = new float[n], acc1 = new float[n];
        t("fwd2 transpose", () -> MlpKernels.transpose(h, hT, n, 256), 0);
        t("fwd2 dotColumns", () -> MlpKernels.dotColumns(z, hT, w2, b2, acc0, acc1, n, 10, 256), 2.0 * n * 10 * 256);
        t("gW2 addOuterProducts", () -> MlpKernels.addOuterProducts(g2, d2, h, n, 10, 256), 2.0 * n * 10 * 256);
        t("back addRowTimesRows", () -> { for (int s = 0; s < n; s++) { java.util.Arrays.fill(dh[s], 0f); MlpKernels.addRowTimesRows(dh[s], d2[s], w2, 10, 256); } }, 2.0 * n * 10 * 256);
        t("reluMask", () -> { for (int s = 0; s < n; s++) MlpKernels.reluMask(dh[s], h[s], 256); }, n * 256);
        float[][] g1 = new float[256][64];
        t("gW1 addOuterProducts", () -> MlpKernels.addOuterProducts(g1, dh, x, n, 256, 64), 2.0 * n * 64 * 256);
        t("gW1T addOuterProducts", () -> MlpKernels.addOuterProducts(gt, x, dh, n, 64, 256), 2.0 * n * 64 * 256);
        t("addTransposedRowsScaled", () -> MlpKernels.addTransposedRowsScaled(g1flat, gt, 0.5f, 256, 64), 256 * 64);
        t("toTransposedRows", () -> MlpKernels.toTransposedRows(w1flat, wt, 256, 64), 256 * 64);
        t("addRowsScaled", () -> MlpKernels.addRowsScaled(g1flat, g1, 0.5f, 256, 64), 256 * 64);
    }
}
