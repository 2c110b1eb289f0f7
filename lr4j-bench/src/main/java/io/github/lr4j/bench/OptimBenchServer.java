package io.github.lr4j.bench;

import io.github.lr4j.optim.CheckAlone;
import io.github.lr4j.optim.NonFiniteGradients;
import io.github.lr4j.optim.Optimizer;
import io.github.lr4j.optim.Optimizers;
import io.github.lr4j.optim.Parameter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Java side of {@code bench/optim-vs-torch}: reads commands on stdin so that the driver can
 * interleave lr4j, PyTorch and the C reference in one run.
 * <pre>
 * setup OPTIMIZER PARAMS TENSORS THREADS   builds the optimizer (PyTorch's defaults), warms it up checked and unchecked
 * setup-plain PARAMS TENSORS THREADS       builds {@link PlainAdamLoop} and warms it up
 * sample alternating N                     times N checked and N unchecked steps, one of each in turn, so that both
 *                                          meet the same cache and machine state; prints "checked unchecked ..."
 * sample plain N                           times N steps of the plain loop, prints "ms ms ms ..."
 * sample scan N                            times N passes of the gradient check alone (no update)
 * jvm                                      prints "JAVA_VERSION SCAN_FORM" (the check's form: GradientScan)
 * quit
 * </pre>
 */
public final class OptimBenchServer {
    private OptimBenchServer() {
    }

    /** The parameters of the optimizer {@link #build} made last (for "sample scan"). */
    private static List<Parameter> built = List.of();

    static Optimizer build(String name, long params, int tensors, int threads) {
        Map<String, Object> defaults;
        switch (name) {
            case "sgd": defaults = Map.of("lr", 0.01, "momentum", 0.9); name = "SGD"; break;
            case "sgdplain": defaults = Map.of("lr", 0.01); name = "SGD"; break;
            case "adam": defaults = Map.of("lr", 1e-3); name = "Adam"; break;
            case "adamw": defaults = Map.of("lr", 1e-3); name = "AdamW"; break;
            case "rmsprop": defaults = Map.of("lr", 1e-2); name = "RMSprop"; break;
            case "adagrad": defaults = Map.of("lr", 1e-2); name = "Adagrad"; break;
            default: throw new IllegalArgumentException("unknown optimizer " + name);
        }
        Optimizer opt = Optimizers.create(name, defaults).threads(threads);
        Random random = new Random(1);
        List<Parameter> ps = new ArrayList<>();
        int each = Math.toIntExact(params / tensors);
        for (int t = 0; t < tensors; t++) {
            float[] data = new float[each];
            Parameter p = Parameter.of("p" + t, data);
            for (int i = 0; i < each; i++) {
                data[i] = (float) random.nextGaussian();
                p.grad()[i] = (float) (random.nextGaussian() * 1e-3);
            }
            ps.add(p);
        }
        opt.addParamGroup(ps);
        built = ps;
        return opt;
    }

    /** N checked and N unchecked steps in turn: "checked unchecked checked unchecked ..." in ms. */
    private static String alternating(Optimizer opt, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 2 * n; i++) {
            opt.nonFiniteGradients(i % 2 == 0 ? NonFiniteGradients.FAIL : NonFiniteGradients.UNCHECKED);
            long t0 = System.nanoTime();
            opt.step();
            long t1 = System.nanoTime();
            sb.append(i == 0 ? "" : " ").append((t1 - t0) / 1e6);
        }
        return sb.toString();
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = System.out;
        Optimizer opt = null;
        PlainAdamLoop plain = null;
        String line;
        while ((line = in.readLine()) != null) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "jvm":
                    out.println(Runtime.version() + " " + CheckAlone.form());
                    break;
                case "setup": {
                    if (opt != null) {
                        opt.close();
                    }
                    opt = null;
                    System.gc();
                    opt = build(w[1], (long) Double.parseDouble(w[2]), Integer.parseInt(w[3]), Integer.parseInt(w[4]));
                    long until = System.nanoTime() + 1_500_000_000L; // JIT warm-up: 1.5 s of steps, both paths
                    for (int i = 0; System.nanoTime() < until; i++) {
                        opt.nonFiniteGradients(i % 2 == 0 ? NonFiniteGradients.FAIL : NonFiniteGradients.UNCHECKED);
                        opt.step();
                        CheckAlone.allFinite(built);
                    }
                    out.println("ready");
                    break;
                }
                case "setup-plain": {
                    if (plain != null) {
                        plain.close();
                    }
                    plain = null;
                    System.gc();
                    plain = new PlainAdamLoop((long) Double.parseDouble(w[1]), Integer.parseInt(w[2]), Integer.parseInt(w[3]));
                    long until = System.nanoTime() + 1_000_000_000L;
                    while (System.nanoTime() < until) {
                        plain.step();
                    }
                    out.println("ready");
                    break;
                }
                case "sample": {
                    int n = Integer.parseInt(w[2]);
                    if (w[1].equals("alternating")) {
                        out.println(alternating(opt, n));
                        break;
                    }
                    Runnable step;
                    if (w[1].equals("plain")) {
                        step = plain::step;
                    } else if (w[1].equals("scan")) {
                        step = () -> {
                            if (!CheckAlone.allFinite(built)) {
                                throw new IllegalStateException("the benchmark's gradients are finite");
                            }
                        };
                    } else {
                        out.println("error unknown sample " + w[1]);
                        break;
                    }
                    StringBuilder sb = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        long t0 = System.nanoTime();
                        step.run();
                        long t1 = System.nanoTime();
                        sb.append(i == 0 ? "" : " ").append((t1 - t0) / 1e6);
                    }
                    out.println(sb);
                    break;
                }
                case "quit":
                    return;
                default:
                    out.println("error unknown command " + w[0]);
            }
            out.flush();
        }
    }
}
