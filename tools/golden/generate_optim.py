#!/usr/bin/env python3
"""Generates optimizer golden traces with real torch.optim (PyTorch 1.13, float32, foreach=False),
in the format of shared/golden/optim/FORMAT.md. CI never runs this; its output is committed.

    /usr/bin/python3 tools/golden/generate_optim.py --check-public ../shared/golden/optim/public
    /usr/bin/python3 tools/golden/generate_optim.py --out lr4j-optim/src/test/resources/golden-extra
"""
import argparse
import json
import math
import os
import sys

import torch
from torch.optim.lr_scheduler import *  # noqa: F401,F403

SHAPES = [[5, 3], [4]]

# name, optimizer, param_groups, scheduler, steps, zero-gradient steps
CASES = [
    ("x_sgd_nesterov_maximize_long", "SGD", [{"lr": 0.05, "momentum": 0.9, "nesterov": True, "maximize": True, "weight_decay": 0.01},
                                            {"lr": 0.01, "momentum": 0.5}, {"lr": 0.02}], None, 60, {7, 8}),
    ("x_sgd_step_scheduler", "SGD", [{"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, {"lr": 0.05}], "StepLR(optimizer, step_size=5, gamma=0.5)", 30, set()),
    ("x_adam_maximize_wd_long", "Adam", [{"lr": 0.01, "maximize": True, "weight_decay": 0.05}, {"lr": 0.003, "betas": [0.7, 0.9], "eps": 1e-4}], None, 60, {10}),
    ("x_adam_cosine_restarts", "Adam", [{"lr": 0.01, "amsgrad": True}, {"lr": 0.005}], "CosineAnnealingWarmRestarts(optimizer, T_0=5, T_mult=2)", 40, set()),
    ("x_adamw_cyclic_no_momentum", "AdamW", [{"lr": 0.001, "weight_decay": 0.2}, {"lr": 0.001, "weight_decay": 0.0}],
     "CyclicLR(optimizer, base_lr=0.001, max_lr=0.01, step_size_up=4, cycle_momentum=False)", 30, {3}),
    ("x_adamw_onecycle_beta1", "AdamW", [{"lr": 0.001, "amsgrad": True}, {"lr": 0.001, "betas": [0.9, 0.98]}],
     "OneCycleLR(optimizer, max_lr=[0.01, 0.005], total_steps=40)", 40, set()),
    ("x_rmsprop_centered_only", "RMSprop", [{"lr": 0.01, "centered": True, "alpha": 0.9}, {"lr": 0.001, "weight_decay": 0.1, "maximize": True}], None, 40, {0}),
    ("x_rmsprop_momentum_onecycle", "RMSprop", [{"lr": 0.01, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.9, "centered": True}],
     "OneCycleLR(optimizer, max_lr=0.02, total_steps=30)", 30, set()),
    ("x_adagrad_maximize_decay_long", "Adagrad", [{"lr": 0.5, "lr_decay": 0.1, "maximize": True}, {"lr": 0.05, "eps": 1e-6, "weight_decay": 0.01}], None, 60, {5}),
    ("x_adagrad_exponential", "Adagrad", [{"lr": 0.1}, {"lr": 0.2}], "ExponentialLR(optimizer, gamma=0.9)", 30, set()),
]


def f32(t):
    return [float(x) for x in t.detach().flatten().tolist()]


def params_and_optimizer(optimizer_name, groups, g):
    """One tensor per SHAPES entry per group, drawn from generator g, their float32 values, and the torch optimizer
    (single-tensor updates, foreach=False) over them."""
    params = [[torch.nn.Parameter(torch.randn(*s, generator=g)) for s in SHAPES] for _ in groups]
    initial = [[f32(p) for p in ps] for ps in params]
    pg = []
    for spec, ps in zip(groups, params):
        d = dict(spec, params=ps)
        if "betas" in d:
            d["betas"] = tuple(d["betas"])
        pg.append(d)
    opt = getattr(torch.optim, optimizer_name)(pg, lr=groups[0]["lr"], foreach=False)
    return params, initial, opt


def write_cases(doc, cases, run):
    """The scripts' main: --out DIR, one CASE.json per case (run(*case) returns it, with its "name")."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for case in cases:
        c = run(*case)
        with open(os.path.join(args.out, c["name"] + ".json"), "w") as fh:
            json.dump(c, fh)
            fh.write("\n")
        print("wrote", c["name"])


def run(name, optimizer_name, groups, scheduler_expr, steps, zero_steps, seed=0):
    g = torch.Generator().manual_seed(seed)
    params, initial, opt = params_and_optimizer(optimizer_name, groups, g)
    sched = eval(scheduler_expr, dict(globals(), optimizer=opt, math=math)) if scheduler_expr else None
    grads, lr_used, trace = [], [], []
    for s in range(steps):
        step_grads = []
        for ps in params:
            tensor_grads = []
            for p in ps:
                gr = torch.zeros_like(p) if s in zero_steps else torch.randn(*p.shape, generator=g)
                p.grad = gr.clone()
                tensor_grads.append(f32(gr))
            step_grads.append(tensor_grads)
        grads.append(step_grads)
        lr_used.append([grp["lr"] for grp in opt.param_groups])
        opt.step()
        if sched is not None:
            sched.step()
        trace.append([[f32(p) for p in ps] for ps in params])
    return {"name": name, "torch_version": torch.__version__, "optimizer": optimizer_name, "param_groups": groups,
            "shapes": SHAPES, "initial_params": initial, "scheduler": scheduler_expr, "steps": steps,
            "grads": grads, "lr_used": lr_used, "trace": trace}


def replay(c):
    """Re-runs a shared case from its own initial values and gradients; returns the trace."""
    pg, params = [], []
    for spec, values in zip(c["param_groups"], c["initial_params"]):
        ps = [torch.nn.Parameter(torch.tensor(v, dtype=torch.float32).reshape(s)) for v, s in zip(values, c["shapes"])]
        params.append(ps)
        d = dict(spec, params=ps)
        if "betas" in d:
            d["betas"] = tuple(d["betas"])
        pg.append(d)
    opt = getattr(torch.optim, c["optimizer"])(pg, lr=c["param_groups"][0]["lr"], foreach=False)
    sched = eval(c["scheduler"], dict(globals(), optimizer=opt, math=math)) if c["scheduler"] else None
    trace = []
    for step_grads in c["grads"]:
        for ps, gs in zip(params, step_grads):
            for p, gr in zip(ps, gs):
                p.grad = torch.tensor(gr, dtype=torch.float32).reshape(p.shape)
        opt.step()
        if sched is not None:
            sched.step()
        trace.append([[f32(p) for p in ps] for ps in params])
    return trace


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out")
    ap.add_argument("--check-public")
    args = ap.parse_args()
    if args.check_public:
        bad = 0
        for f in sorted(os.listdir(args.check_public)):
            c = json.load(open(os.path.join(args.check_public, f)))
            same = replay(c) == c["trace"]
            bad += not same
            print(("same " if same else "DIFF ") + f)
        sys.exit(1 if bad else 0)
    if not args.out:
        ap.error("give --out or --check-public")
    os.makedirs(args.out, exist_ok=True)
    for i, (name, opt, groups, sched, steps, zeros) in enumerate(CASES):
        with open(os.path.join(args.out, name + ".json"), "w") as fh:
            json.dump(run(name, opt, groups, sched, steps, zeros, seed=i), fh)
            fh.write("\n")
        print("wrote", name)


if __name__ == "__main__":
    main()
