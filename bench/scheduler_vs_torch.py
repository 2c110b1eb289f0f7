#!/usr/bin/env python3
"""scheduler.step() in lr4j and in PyTorch, side by side in one run (median ns per step).

Usage: bench/scheduler-vs-torch [--groups 1,10,100]
Prints a table and one JSON line per scheduler and group count:
{"scheduler": "OneCycleLR", "groups": 1, "lr4j_ns": .., "torch_ns": .., "speedup": ..}
"""
import argparse
import json
import statistics
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")
try:
    import torch
    from torch.optim.lr_scheduler import *  # noqa: F401,F403
except ImportError:
    torch = None

# Sized so that neither side reaches the end of a schedule during the run.
SCHEDULERS = {
    "StepLR": "StepLR(optimizer, step_size=1000, gamma=0.999999)",
    "MultiStepLR": "MultiStepLR(optimizer, milestones=[1000, 2000, 5000, 10000, 100000], gamma=0.5)",
    "ExponentialLR": "ExponentialLR(optimizer, gamma=0.9999999)",
    "CosineAnnealingLR": "CosineAnnealingLR(optimizer, T_max=100000, eta_min=0.0001)",
    "CosineAnnealingWarmRestarts": "CosineAnnealingWarmRestarts(optimizer, T_0=1000, T_mult=2)",
    "CyclicLR": "CyclicLR(optimizer, base_lr=0.001, max_lr=0.1, step_size_up=2000, mode='triangular2')",
    "OneCycleLR": "OneCycleLR(optimizer, max_lr=0.1, total_steps=4000000000)",
    "SequentialLR": "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1, total_iters=1000), CosineAnnealingLR(optimizer, T_max=100000)], milestones=[1000])",
    "ChainedScheduler": "ChainedScheduler([ConstantLR(optimizer, factor=0.5, total_iters=1000), ExponentialLR(optimizer, gamma=0.9999999)])",
    "ReduceLROnPlateau": "ReduceLROnPlateau(optimizer, patience=5, cooldown=2)",
}


def torch_ns(expression, groups, steps=20000):
    params = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": 0.1} for _ in range(groups)]
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=0.9)
    s = eval(expression, dict(globals(), optimizer=optimizer))
    optimizer.step()
    samples = []
    for _ in range(5):
        t0 = time.perf_counter()
        if isinstance(s, ReduceLROnPlateau):
            for i in range(steps):
                s.step(1.0 if i % 2 == 0 else 0.5)
        else:
            for _ in range(steps):
                s.step()
        samples.append((time.perf_counter() - t0) / steps * 1e9)
    return statistics.median(samples)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--groups", default="1,10,100")
    ap.add_argument("--jar", required=True)
    args = ap.parse_args()
    print("%-28s %6s %10s %10s %9s" % ("scheduler", "groups", "lr4j ns", "torch ns", "speedup"), file=sys.stderr)
    for groups in map(int, args.groups.split(",")):
        for name, expr in SCHEDULERS.items():
            ours = float(subprocess.check_output(["java", "-cp", args.jar, "io.github.lr4j.bench.SchedulerStepTimer",
                                                  expr, str(groups)], text=True).split()[0])
            theirs = torch_ns(expr, groups) if torch else None
            row = {"scheduler": name, "groups": groups, "lr4j_ns": round(ours, 1),
                   "torch_ns": round(theirs, 1) if theirs else None,
                   "speedup": round(theirs / ours, 1) if theirs else None}
            print("%-28s %6d %10.1f %10s %9s" % (name, groups, ours, "%.1f" % theirs if theirs else "-",
                                                 "%.0fx" % (theirs / ours) if theirs else "-"), file=sys.stderr)
            print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
