#!/usr/bin/env python3
"""Golden traces for lr4j's PerGroup(schedulers=[...]) made by real PyTorch 1.13, in the format of FORMAT.md.

PyTorch has no per-group scheduler (pytorch#67761); what its users write by hand is one optimizer per param
group, each with its own scheduler. That is what runs here: the trace records every group's lr and momentum
after each step, and the case's "scheduler" is the lr4j expression with the same schedulers, in group order.
"state_dict" holds each group's scheduler's state_dict under "_schedulers". Needs Debian's python3-torch:

    /usr/bin/python3 tools/golden/generate_pergroup.py --out lr4j-core/src/test/resources/golden/pergroup
"""
import argparse
import copy
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import torch  # noqa: E402
from torch.optim.lr_scheduler import ReduceLROnPlateau  # noqa: E402

SGD2, SGD3, ADAM2 = generate.SGD2, generate.SGD3, generate.ADAM2

# name, (optimizer, groups), one scheduler expression per group, steps, metrics, resume_at
CASES = [
    ("pergroup_backbone_cosine_head_warmup", SGD2,
     ["CosineAnnealingLR(optimizer, T_max=20, eta_min=0.001)",
      "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1, total_iters=5),"
      " ConstantLR(optimizer, factor=1.0, total_iters=1)], milestones=[5])"], 25, None, None),
    ("pergroup_onecycle_momentum_and_step", SGD3,
     ["OneCycleLR(optimizer, max_lr=0.5, total_steps=30)", "StepLR(optimizer, step_size=5, gamma=0.5)",
      "CyclicLR(optimizer, base_lr=0.001, max_lr=0.01, step_size_up=4)"], 30, None, 12),
    ("pergroup_adam_exponential_and_linear", ADAM2,
     ["ExponentialLR(optimizer, gamma=0.9)", "LinearLR(optimizer, start_factor=0.25, total_iters=8)"], 15, None, 6),
    ("pergroup_plateau_and_exponential", SGD2,
     ["ReduceLROnPlateau(optimizer, patience=1, factor=0.5)", "ExponentialLR(optimizer, gamma=0.9)"], 14,
     [1.0, 0.9, 0.95, 0.97, 0.96, 0.8, 0.85, 0.86, 0.87, 0.7, 0.71, 0.72, 0.73, 0.74], 7),
]


def build(optimizer_name, groups, expressions):
    built = []
    for g, expr in zip(groups, expressions):
        optimizer, scheduler = generate.build(optimizer_name, [g], expr)
        built.append((optimizer, scheduler))
    return built


def snapshot(built):
    lr, momentum = [], []
    for optimizer, _ in built:
        s = generate.snapshot(optimizer)
        lr += s["lr"]
        momentum += s["momentum"]
    return {"lr": lr, "momentum": momentum}


def run(name, optimizer_name, groups, expressions, steps, metrics, resume_at):
    built = build(optimizer_name, groups, expressions)
    trace = [snapshot(built)]
    for i in range(steps):
        if resume_at is not None and i == resume_at:
            saved = [(copy.deepcopy(o.state_dict()),
                      copy.deepcopy({k: v for k, v in s.state_dict().items() if k != "_scale_fn_ref"})) for o, s in built]
            built = build(optimizer_name, groups, expressions)
            for (o, s), (so, ss) in zip(built, saved):
                o.load_state_dict(so)
                s.load_state_dict(ss)
        for optimizer, scheduler in built:
            optimizer.step()
            if isinstance(scheduler, ReduceLROnPlateau):
                scheduler.step(metrics[i])
            else:
                scheduler.step()
        trace.append(snapshot(built))
    children = ", ".join(e.replace("optimizer, ", "") for e in expressions)
    return {
        "name": name,
        "torch_version": torch.__version__,
        "optimizer": optimizer_name,
        "param_groups": groups,
        "scheduler": "PerGroup(optimizer, schedulers=[" + children + "])",
        "steps": steps,
        "metrics": metrics,
        "epochs": None,
        "resume_at": resume_at,
        "trace": trace,
        "state_dict": {"_schedulers": [generate.state_dict(s) for _, s in built]},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to write the cases into")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, (opt, groups), exprs, steps, metrics, resume_at in CASES:
        case = run(name, opt, groups, exprs, steps, metrics, resume_at)
        generate.write_case(args.out, name, case)


if __name__ == "__main__":
    main()
