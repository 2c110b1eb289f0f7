#!/usr/bin/env python3
"""Runs lr4j's and PyTorch's optimizer steps side by side, interleaving samples, and prints ratios.

Usage: bench/optim-vs-torch [--optimizers adam,sgd,...] [--sizes 1e5,1e6,1e7] [--threads 1,2] [--tensors 1,100]
Prints a table and, per configuration, one JSON line:
{"optimizer": "adam", "params": 10000000, "tensors": 1, "threads": 1, "lr4j_ms": .., "torch_ms": .., "lr4j_gbps": ..}
(median ms per step; lr4j_gbps = bytes moved per step / lr4j's median time). Without PyTorch
(Debian's python3-torch) it measures lr4j alone and prints null for torch_ms.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time

# Bytes each optimizer moves per parameter and step (float32): reads and writes of p, g and state.
BYTES = {"sgd": 20, "adam": 28, "adamw": 28, "rmsprop": 20, "adagrad": 20}

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
    opts = {"sgd": lambda: torch.optim.SGD(ps, lr=0.01, momentum=0.9),
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--optimizers", default="adam,adamw,sgd,rmsprop,adagrad")
    ap.add_argument("--sizes", default="1e5,1e6,1e7")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--tensors", default="1,100")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds per configuration")
    ap.add_argument("--jar", required=True)
    ap.add_argument("--unchecked", action="store_true", help="lr4j without its non-finite gradient check")
    args = ap.parse_args()
    java = subprocess.Popen(["java", "-Xmx6g", "-Dlr4j.bench.unchecked=%s" % str(args.unchecked).lower(), "-cp", args.jar, "io.github.lr4j.bench.OptimBenchServer"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def ask(cmd):
        java.stdin.write(cmd + "\n")
        java.stdin.flush()
        return java.stdout.readline().strip()

    print("%-8s %9s %7s %7s %10s %10s %8s %9s" % ("optim", "params", "tensors", "threads", "lr4j ms", "torch ms",
                                                   "speedup", "lr4j GB/s"), file=sys.stderr)
    rows = []
    for name in args.optimizers.split(","):
        for size in args.sizes.split(","):
            params = int(float(size))
            for tensors in map(int, args.tensors.split(",")):
                for threads in map(int, args.threads.split(",")):
                    n = max(3, min(50, int(2e8 // (params * BYTES[name]))))
                    ask("setup %s %d %d %d" % (name, params, tensors, threads))
                    topt = torch_setup(name, params, tensors, threads) if torch else None
                    ours, theirs = [], []
                    for _ in range(args.rounds):
                        ours += [float(x) for x in ask("sample %d" % n).split()]
                        if topt is not None:
                            theirs += torch_sample(topt, n)
                    del topt
                    lr4j_ms = statistics.median(ours)
                    torch_ms = statistics.median(theirs) if theirs else None
                    gbps = params * BYTES[name] / (lr4j_ms / 1e3) / 1e9
                    row = {"optimizer": name, "params": params, "tensors": tensors, "threads": threads,
                           "lr4j_ms": round(lr4j_ms, 4), "torch_ms": round(torch_ms, 4) if torch_ms else None,
                           "lr4j_gbps": round(gbps, 2), "lr4j_checks_gradients": not args.unchecked}
                    rows.append(row)
                    print("%-8s %9d %7d %7d %10.3f %10s %8s %9.2f" % (
                        name, params, tensors, threads, lr4j_ms, "%.3f" % torch_ms if torch_ms else "-",
                        "%.1fx" % (torch_ms / lr4j_ms) if torch_ms else "-", gbps), file=sys.stderr)
                    print(json.dumps(row), flush=True)
    ask("quit")


if __name__ == "__main__":
    main()
