#!/usr/bin/env python3
"""Golden traces for schedules of other hyper-parameters than the lr (weight decay, beta2, eps, momentum), made by
real torch.optim (PyTorch 1.13, float32, foreach=False), in the format of shared/golden/optim/FORMAT.md plus
"schedules": {name: lr4j schedule expression} and "hyper_used": the values each step used.

PyTorch has no such schedules; what its users write by hand is a real torch scheduler on a dummy optimizer whose
lr stands for the hyper-parameter, copied into each param group before every step. That loop runs here:

    /usr/bin/python3 tools/golden/generate_hyper.py --out lr4j-optim/src/test/resources/golden-hyper
    cp lr4j-optim/src/test/resources/golden-hyper/*.json lr4j-djl/src/test/resources/golden-hyper/   # lr4j-djl replays them too
"""
import math
import os
import sys

import torch
from torch.optim.lr_scheduler import *  # noqa: F401,F403

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_optim import SHAPES, f32, params_and_optimizer, write_cases  # noqa: E402

# name, optimizer, param_groups, lr scheduler (torch, or None), {hyper-parameter: schedule (lr4j/torch text)}, steps
CASES = [
    ("h_sgd_weight_decay_cosine", "SGD", [{"lr": 0.05, "momentum": 0.9, "weight_decay": 0.05}, {"lr": 0.02, "weight_decay": 0.01}],
     None, {"weight_decay": "CosineAnnealingLR(optimizer, T_max=20, eta_min=0.001)"}, 25),
    ("h_adamw_beta2_linear_and_onecycle", "AdamW", [{"lr": 0.001, "betas": [0.9, 0.95]}, {"lr": 0.002, "betas": [0.85, 0.9]}],
     "OneCycleLR(optimizer, max_lr=0.01, total_steps=30)", {"beta2": "LinearLR(optimizer, start_factor=0.9, end_factor=1.0, total_iters=30)"}, 30),
    ("h_adam_eps_exponential_wd_step", "Adam", [{"lr": 0.01, "eps": 1e-3, "weight_decay": 0.1}, {"lr": 0.005, "eps": 1e-4}],
     None, {"eps": "ExponentialLR(optimizer, gamma=0.8)", "weight_decay": "StepLR(optimizer, step_size=5, gamma=0.5)"}, 20),
    ("h_sgd_momentum_warmup_cosine_lr", "SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "nesterov": True}],
     "CosineAnnealingLR(optimizer, T_max=20)", {"momentum": "LinearLR(optimizer, start_factor=0.5, total_iters=10)"}, 20),
    # Same nesterov setting in both groups (lr4j-djl's SGD has one), momentum and weight decay scheduled together.
    ("h_sgd_momentum_and_weight_decay_two_groups", "SGD", [{"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01},
                                                           {"lr": 0.05, "momentum": 0.8, "weight_decay": 0.02}],
     "StepLR(optimizer, step_size=5, gamma=0.5)", {"momentum": "CosineAnnealingLR(optimizer, T_max=12, eta_min=0.5)",
                                                    "weight_decay": "ExponentialLR(optimizer, gamma=0.9)"}, 15),
]


def set_hyper(group, name, value):
    if name in ("beta1", "beta2"):
        b = list(group["betas"])
        b[0 if name == "beta1" else 1] = value
        group["betas"] = tuple(b)
    else:
        group[name] = value


def get_hyper(group, name):
    if name in ("beta1", "beta2"):
        return group["betas"][0 if name == "beta1" else 1]
    return group[name]


def run(name, optimizer_name, groups, lr_expr, schedules, steps, seed=0):
    g = torch.Generator().manual_seed(seed)
    params, initial, opt = params_and_optimizer(optimizer_name, groups, g)
    sched = eval(lr_expr, dict(globals(), optimizer=opt, math=math)) if lr_expr else None
    dummies = []
    for hname, expr in schedules.items():
        start = [get_hyper(grp, hname) for grp in opt.param_groups]
        dummy = torch.optim.SGD([{"params": [torch.zeros(1, requires_grad=True)], "lr": v} for v in start], lr=start[0])
        dummies.append((hname, dummy, eval(expr, dict(globals(), optimizer=dummy, math=math))))
    grads, hyper_used, trace = [], [], []
    for s in range(steps):
        step_grads = []
        for ps in params:
            tensor_grads = []
            for p in ps:
                gr = torch.randn(*p.shape, generator=g)
                p.grad = gr.clone()
                tensor_grads.append(f32(gr))
            step_grads.append(tensor_grads)
        grads.append(step_grads)
        used = []
        for hname, dummy, _ in dummies:
            for grp, dg in zip(opt.param_groups, dummy.param_groups):
                set_hyper(grp, hname, dg["lr"])
                used.append(dg["lr"])
        hyper_used.append(used)
        opt.step()
        if sched is not None:
            sched.step()
        for _, _, dsched in dummies:
            dsched.step()
        trace.append([[f32(p) for p in ps] for ps in params])
    return {"name": name, "torch_version": torch.__version__, "optimizer": optimizer_name, "param_groups": groups,
            "shapes": SHAPES, "initial_params": initial,
            "scheduler": lr_expr.replace("optimizer, ", "") if lr_expr else None,
            "schedules": {k: v.replace("optimizer, ", "") for k, v in schedules.items()},
            "steps": steps, "grads": grads, "hyper_used": hyper_used, "trace": trace}


if __name__ == "__main__":
    write_cases(__doc__, CASES, run)
