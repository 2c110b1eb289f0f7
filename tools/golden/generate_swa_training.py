#!/usr/bin/env python3
"""Golden runs of stochastic weight averaging in a training loop, made by real PyTorch 1.13: torch.optim, a torch lr
scheduler, torch.optim.swa_utils.SWALR and AveragedModel (its default equal-weight average), in the loop PyTorch's
SWA documentation writes. The gradients are random (seeded) and stored, so lr4j's TrainingLoop can replay them through
a model that returns them (lr4j-train's SwaGoldenTest):

    for epoch in range(epochs):                      # 0-based here; swa_start counts epochs from 1, as lr4j's logs do
        for batch in range(batches):
            set the stored gradients; optimizer.step()
            if scheduler is per step and epoch + 1 < swa_start: scheduler.step()
        if epoch + 1 >= swa_start: swa_model.update_parameters(model); swa_scheduler.step()
        elif scheduler is per epoch: scheduler.step()

Each case holds the lr every step used, the parameters and the average after every epoch, and n_averaged.

    /usr/bin/python3 tools/golden/generate_swa_training.py --out lr4j-train/src/test/resources/golden-swa
    cp lr4j-train/src/test/resources/golden-swa/*.json lr4j-djl/src/test/resources/golden-swa/   # lr4j-djl replays them too
"""
import math
import os
import sys

import torch
from torch.optim.lr_scheduler import *  # noqa: F401,F403
from torch.optim.swa_utils import SWALR, AveragedModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate_optim import SHAPES, f32, params_and_optimizer, write_cases  # noqa: E402

# name, optimizer, param_groups, scheduler (torch text or None), its interval, SWA scheduler, swa_start, epochs, batches
CASES = [
    ("swa_sgd_cosine_per_epoch", "SGD", [{"lr": 0.1, "momentum": 0.9}],
     "CosineAnnealingLR(optimizer, T_max=8)", "epoch", "SWALR(optimizer, swa_lr=0.02, anneal_epochs=2)", 5, 8, 3),
    ("swa_adam_onecycle_per_step_linear_anneal", "Adam", [{"lr": 0.01}],
     "OneCycleLR(optimizer, max_lr=0.01, total_steps=28)", "step",
     "SWALR(optimizer, swa_lr=0.002, anneal_epochs=3, anneal_strategy='linear')", 4, 7, 4),
    ("swa_sgd_two_groups_no_scheduler_swa_lr_at_once", "SGD", [{"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-3}, {"lr": 0.05}],
     None, "epoch", "SWALR(optimizer, swa_lr=[0.05, 0.02], anneal_epochs=0)", 2, 6, 2),
    ("swa_adamw_from_first_epoch", "AdamW", [{"lr": 0.003, "weight_decay": 0.05}],
     "StepLR(optimizer, step_size=2, gamma=0.5)", "epoch", "SWALR(optimizer, swa_lr=0.001, anneal_epochs=5)", 1, 5, 3),
]


class Params(torch.nn.Module):
    def __init__(self, tensors):
        super().__init__()
        self.ps = torch.nn.ParameterList(tensors)


def run(name, optimizer_name, groups, sched_expr, interval, swa_expr, swa_start, epochs, batches, seed=0):
    g = torch.Generator().manual_seed(seed)
    params, initial, opt = params_and_optimizer(optimizer_name, groups, g)
    model = Params([p for ps in params for p in ps])
    swa_model = AveragedModel(model)
    env = dict(globals(), optimizer=opt, math=math)
    sched = eval(sched_expr, env) if sched_expr else None
    swa_sched = eval(swa_expr, env)
    grads, lr_used, after = [], [], []
    for epoch in range(epochs):
        for _ in range(batches):
            step_grads = []
            for ps in params:
                for p in ps:
                    gr = torch.randn(*p.shape, generator=g)
                    p.grad = gr.clone()
                    step_grads.append(f32(gr))
            grads.append(step_grads)
            lr_used.append([grp["lr"] for grp in opt.param_groups])
            opt.step()
            if sched is not None and interval == "step" and epoch + 1 < swa_start:
                sched.step()
        if epoch + 1 >= swa_start:
            swa_model.update_parameters(model)
            swa_sched.step()
        elif sched is not None and interval == "epoch":
            sched.step()
        n = int(swa_model.n_averaged)
        after.append({"params": [f32(p) for ps in params for p in ps],
                      "average": [f32(p) for p in swa_model.module.parameters()] if n > 0 else None,
                      "n_averaged": n, "lr": [grp["lr"] for grp in opt.param_groups]})
    strip = lambda e: e.replace("optimizer, ", "") if e else None  # noqa: E731
    return {"name": name, "torch_version": torch.__version__, "optimizer": optimizer_name, "param_groups": groups,
            "shapes": SHAPES, "initial_params": initial, "scheduler": strip(sched_expr), "interval": interval,
            "swa_scheduler": strip(swa_expr), "swa_start": swa_start, "epochs": epochs, "batches": batches,
            "grads": grads, "lr_used": lr_used, "after_epoch": after}


if __name__ == "__main__":
    write_cases(__doc__, CASES, run)
