#!/usr/bin/env python3
"""Runs lr4j's optimizer steps (gradients checked, and unchecked), PyTorch's, and for Adam a plain
Java fused loop and a fused C reference side by side, interleaving samples, and prints ratios.

Usage: bench/optim-vs-torch [--optimizers adam,sgd,...] [--sizes 1e5,1e6,1e7] [--threads 1,2] [--tensors 1,100]
                            [--rounds 5] [--java PATH] [--jvm-opt=-Dlr4j.gradientScan=multiply]
Per configuration it prints a table row and one JSON line (median ms per step of each side):
{"optimizer": "adam", "params": 10000000, "tensors": 1, "threads": 1, "lr4j_ms": .., "unchecked_ms": ..,
 "check_cost": .., "check_limit": .., "torch_ms": .., "c_ms": .., "plain_java_ms": .., "lr4j_gbps": ..}
lr4j_ms is the default step (every gradient checked for NaN/infinity first); check_cost = lr4j_ms /
unchecked_ms (check_cost_of_fastest: the same for the fastest sample of each, which a busy machine
disturbs least), check_limit = 1.05 * (B + 4) / B (B: bytes the step moves per parameter). scan_ms is the
check alone (one pass over the gradients, no update): check_floor = (unchecked_ms + scan_ms) / unchecked_ms
is what a check run as its own pass costs at the least; scan_gbps and update_read_gbps compare the rate the
scan reads gradients with the rate the unchecked step reads its R input bytes per parameter, and
scan_needed_gbps is the rate a separate scan would need to stay within check_limit (the scan columns: 1 thread only). In each round
the sides run one after the other: lr4j's checked and unchecked steps in turn (one of each, N times), the scan, plain
Java, C (right after lr4j), PyTorch. --java and --jvm-opt=... choose the JVM lr4j runs on (the first line printed
names it and the form of the gradient check it chose: GradientScan).
At the end it checks the issue's targets against this run. Without PyTorch, torch_ms is null.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

# Bytes each optimizer moves per parameter and step (float32): reads and writes of p, g and state.
BYTES = {"sgdplain": 12, "sgd": 20, "adam": 28, "adamw": 28, "rmsprop": 20, "adagrad": 20}
# Of those, the bytes read (p, g and state; the rest are writes).
READS = {"sgdplain": 8, "sgd": 12, "adam": 16, "adamw": 16, "rmsprop": 12, "adagrad": 12}

try:
    import torch
except ImportError:
    torch = None


def torch_setup(name, params, tensors, threads):
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(1)
    each = params // tensors
    ps = [torch.nn.Parameter(torch.randn(each, generator=g)) for _ in range(tensors)]
    for p in ps:
        p.grad = torch.randn(each, generator=g) * 1e-3
    opts = {"sgdplain": lambda: torch.optim.SGD(ps, lr=0.01),
            "sgd": lambda: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
            "adam": lambda: torch.optim.Adam(ps, lr=1e-3),
            "adamw": lambda: torch.optim.AdamW(ps, lr=1e-3),
            "rmsprop": lambda: torch.optim.RMSprop(ps, lr=1e-2),
            "adagrad": lambda: torch.optim.Adagrad(ps, lr=1e-2)}
    opt = opts[name]()
    for _ in range(3):
        opt.step()
    return opt


def torch_sample(opt, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        opt.step()
        out.append((time.perf_counter() - t0) * 1e3)
    return out


class Server:
    """A benchmark process that answers one line per command (lr4j's OptimBenchServer, the C reference)."""

    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(self, cmd):
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if not answer or answer.startswith("error"):
            sys.exit("benchmark process failed on %r: %r" % (cmd, answer))
        return answer

    def sample(self, cmd):
        return [float(x) for x in self.ask(cmd).split()]

    def close(self):
        self.proc.stdin.write("quit\n")
        self.proc.stdin.close()
        self.proc.wait()


def fmt(x, spec="%.3f"):
    return "-" if x is None else spec % x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--optimizers", default="adam,adamw,sgdplain,sgd,rmsprop,adagrad")
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--tensors", default="1,100")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per configuration")
    ap.add_argument("--jar", required=True)
    ap.add_argument("--c-ref", help="the fused C Adam (bench/adam_ref.c, built by bench/optim-vs-torch)")
    ap.add_argument("--java", default="java", help="the java launcher to measure lr4j on (default: the one on PATH)")
    ap.add_argument("--jvm-opt", action="append", default=[],
                    help="a JVM option, written --jvm-opt=-Dlr4j.gradientScan=multiply (repeatable)")
    args = ap.parse_args()
    java = Server([args.java, "-Xmx8g"] + args.jvm_opt + ["-cp", args.jar, "io.github.lr4j.bench.OptimBenchServer"])
    java_version, scan_form = java.ask("jvm").split()
    print("lr4j on Java %s, gradient check: %s scan" % (java_version, scan_form), file=sys.stderr)
    c_ref = Server([args.c_ref]) if args.c_ref else None

    head = ("optim", "params", "tensors", "threads", "lr4j ms", "unchecked", "check", "(min)", "limit", "scan ms", "floor",
            "plain Java", "C ms", "lr4j/C", "torch ms", "speedup", "GB/s")
    line = "%-8s %9s %7s %7s %9s %9s %6s %6s %6s %8s %6s %10s %8s %6s %9s %7s %6s"
    print(line % head, file=sys.stderr)
    rows = []
    for name in args.optimizers.split(","):
        for size in args.sizes.split(","):
            params = int(float(size))
            for tensors in map(int, args.tensors.split(",")):
                for threads in map(int, args.threads.split(",")):
                    n = max(3, min(50, int(2e8 // (params * BYTES[name]))))
                    adam = name == "adam"
                    java.ask("setup %s %d %d %d" % (name, params, tensors, threads))
                    if adam:
                        java.ask("setup-plain %d %d %d" % (params, tensors, threads))
                        if c_ref:
                            c_ref.ask("setup %d %d %d" % (params, tensors, threads))
                    topt = torch_setup(name, params, tensors, threads) if torch else None
                    s = {"checked": [], "unchecked": [], "scan": [], "plain": [], "c": [], "torch": []}
                    for _ in range(args.rounds):
                        # checked and unchecked steps in turn, so that neither meets a cache the other did not
                        # (the step after PyTorch's or C's finds lr4j's data evicted)
                        pairs = java.sample("sample alternating %d" % n)
                        s["checked"] += pairs[0::2]
                        s["unchecked"] += pairs[1::2]
                        if threads == 1:  # the scan probe runs on one thread
                            s["scan"] += java.sample("sample scan %d" % n)
                        if adam:
                            s["plain"] += java.sample("sample plain %d" % n)
                            if c_ref:
                                s["c"] += c_ref.sample("sample %d" % n)
                        if topt is not None:
                            s["torch"] += torch_sample(topt, n)
                    del topt
                    med = {k: statistics.median(v) if v else None for k, v in s.items()}
                    low = {k: min(v) if v else None for k, v in s.items()}
                    b = BYTES[name]
                    row = {"optimizer": name, "params": params, "tensors": tensors, "threads": threads,
                           "java": java_version, "scan_form": scan_form,
                           "lr4j_ms": med["checked"], "unchecked_ms": med["unchecked"],
                           "check_cost": med["checked"] / med["unchecked"],
                           "check_cost_of_fastest": low["checked"] / low["unchecked"],
                           "check_limit": 1.05 * (b + 4) / b,
                           "scan_ms": med["scan"],
                           "check_floor": med["scan"] and (med["unchecked"] + med["scan"]) / med["unchecked"],
                           "scan_gbps": med["scan"] and params * 4 / (med["scan"] / 1e3) / 1e9,
                           "update_read_gbps": params * READS[name] / (med["unchecked"] / 1e3) / 1e9,
                           "scan_needed_gbps": params * 4 / ((1.05 * (b + 4) / b - 1) * med["unchecked"] / 1e3) / 1e9,
                           "plain_java_ms": med["plain"], "c_ms": med["c"], "torch_ms": med["torch"],
                           "lr4j_gbps": params * b / (med["checked"] / 1e3) / 1e9}
                    row = {k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}
                    rows.append(row)
                    print(line % (name, params, tensors, threads, fmt(row["lr4j_ms"]), fmt(row["unchecked_ms"]),
                                  fmt(row["check_cost"], "%.2fx"), fmt(row["check_cost_of_fastest"], "%.2fx"),
                                  fmt(row["check_limit"], "%.2fx"), fmt(row["scan_ms"]), fmt(row["check_floor"], "%.2fx"),
                                  fmt(row["plain_java_ms"]), fmt(row["c_ms"]),
                                  fmt(row["c_ms"] and row["lr4j_ms"] / row["c_ms"], "%.2fx"), fmt(row["torch_ms"]),
                                  fmt(row["torch_ms"] and row["torch_ms"] / row["lr4j_ms"], "%.1fx"),
                                  fmt(row["lr4j_gbps"], "%.1f")), file=sys.stderr)
                    print(json.dumps(row), flush=True)
    java.close()
    if c_ref:
        c_ref.close()
    report_targets(rows)


def report_targets(rows):
    """The issue's "done means", judged on this run's figures only."""
    def find(name, params, tensors, threads):
        for r in rows:
            if (r["optimizer"], r["params"], r["tensors"], r["threads"]) == (name, params, tensors, threads):
                return r
        return None

    out = []
    a = find("adam", 10_000_000, 1, 1)
    if a:
        if a["c_ms"]:
            out.append(("Adam 1e7, 1 tensor, 1 thread: lr4j / C <= 1.25", a["lr4j_ms"] / a["c_ms"], "%.2fx", a["lr4j_ms"] / a["c_ms"] <= 1.25))
        if a["torch_ms"]:
            out.append(("Adam 1e7: torch.optim.Adam (1 tensor) / lr4j >= 5", a["torch_ms"] / a["lr4j_ms"], "%.1fx", a["torch_ms"] / a["lr4j_ms"] >= 5))
            best = [r["torch_ms"] for r in rows if r["optimizer"] == "adam" and r["params"] == 10_000_000 and r["threads"] == 1 and r["torch_ms"]]
            out.append(("Adam 1e7: PyTorch's best layout / lr4j >= 2.5", min(best) / a["lr4j_ms"], "%.1fx", min(best) / a["lr4j_ms"] >= 2.5))
    a2 = find("adam", 10_000_000, 1, 2)
    if a and a2 and a["plain_java_ms"] and a2["plain_java_ms"]:
        ours = a["lr4j_ms"] / a2["lr4j_ms"]
        plain = a["plain_java_ms"] / a2["plain_java_ms"]
        out.append(("Adam 1e7, 2 threads: lr4j's speed-up %.2fx vs the plain loop's %.2fx" % (ours, plain), ours / plain, "%.2f of it", ours >= 0.95 * plain))
    for r in rows:
        if r["params"] >= 1_000_000:
            out.append(("check cost %s %.0e %d tensors %d threads <= %.2fx (fastest: %.2fx)" % (
                r["optimizer"], r["params"], r["tensors"], r["threads"], r["check_limit"], r["check_cost_of_fastest"]),
                r["check_cost"], "%.2fx", r["check_cost"] <= r["check_limit"]))
    if out:
        print("\ntargets (this run):", file=sys.stderr)
        for what, value, spec, ok in out:
            print("  %-82s %10s  %s" % (what, spec % value, "met" if ok else "NOT met"), file=sys.stderr)


if __name__ == "__main__":
    main()
