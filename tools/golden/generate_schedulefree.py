#!/usr/bin/env python3
"""Generates schedule-free golden traces with the reference implementation (facebookresearch/schedule_free)
on PyTorch 1.13 (float32, foreach=False, ATen's portable CPU kernels), in the format of
shared/golden/schedulefree/README.md. CI never runs this; its output is committed.

The reference code is not part of lr4j: give the folder that holds its `schedulefree` package, e.g. from
    git clone https://github.com/facebookresearch/schedule_free /tmp/sf-ref
    git -C /tmp/sf-ref checkout 70785b53e778d0e872c0bbb75ff4ee54ee10c291

    /usr/bin/python3 tools/golden/generate_schedulefree.py --reference /tmp/sf-ref --check-public ../shared/golden/schedulefree/public
    /usr/bin/python3 tools/golden/generate_schedulefree.py --reference /tmp/sf-ref --out lr4j-optim/src/test/resources/golden-schedulefree-extra
"""
import os

# Every tensor operation must be one IEEE float32 operation (no FMA): pin the portable kernels before torch loads.
os.environ["ATEN_CPU_CAPABILITY"] = "default"

import argparse  # noqa: E402
import copy  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch.optim.lr_scheduler import *  # noqa: F401,F403,E402

FILES = {"SGDScheduleFree": "sgd_schedulefree.py", "AdamWScheduleFree": "adamw_schedulefree.py",
         "RAdamScheduleFree": "radam_schedulefree.py"}
DEFAULTS = {
    "SGDScheduleFree": dict(lr=1.0, momentum=0.9, weight_decay=0, warmup_steps=0, r=0.0, weight_lr_power=2),
    "AdamWScheduleFree": dict(lr=0.0025, betas=[0.9, 0.999], eps=1e-8, weight_decay=0, warmup_steps=0, r=0.0,
                              weight_lr_power=2.0, inner_momentum=0.0),
    "RAdamScheduleFree": dict(lr=0.0025, betas=[0.9, 0.999], eps=1e-8, weight_decay=0, r=0.0, weight_lr_power=2.0,
                              silent_sgd_phase=True),
}
EVERY = "every"

# name, optimizer, param groups, shapes, steps, seed, zero-gradient steps, switch steps (EVERY or a list), lr4j scheduler
CASES = [
    ("x_sgd_sf_long_two_groups", "SGDScheduleFree", [{"lr": 0.5, "weight_decay": 0.005}, {"lr": 0.2, "momentum": 0.85, "warmup_steps": 20}],
     [[6, 4], [3]], 150, 101, [40, 41], EVERY, None),
    ("x_sgd_sf_momentum04_switch", "SGDScheduleFree", [{"lr": 0.2, "momentum": 0.4, "r": 2.0}], [[5, 2]], 40, 102, [], EVERY, None),
    ("x_adamw_sf_linear_warmup_scheduler", "AdamWScheduleFree", [{"lr": 0.01, "weight_decay": 0.01}, {"lr": 0.004}],
     [[4, 3], [5]], 40, 103, [], [9, 19, 39], "LinearLR(optimizer, start_factor=0.1, total_iters=10)"),
    ("x_adamw_sf_inner_momentum_r_wlp1", "AdamWScheduleFree", [{"lr": 0.003, "inner_momentum": 0.8, "r": 2.0, "weight_lr_power": 1.0,
                                                                 "eps": 1e-6, "betas": [0.85, 0.98]}],
     [[7], [2, 2]], 35, 104, [5], EVERY, None),
    ("x_radam_sf_wlp0_silent", "RAdamScheduleFree", [{"lr": 0.004, "weight_lr_power": 0.0}, {"lr": 0.002, "betas": [0.9, 0.99]}],
     [[3, 3]], 30, 105, [], EVERY, None),
    ("x_radam_sf_no_switch_long", "RAdamScheduleFree", [{"lr": 0.02, "silent_sgd_phase": False, "weight_decay": 0.001}],
     [[16]], 80, 106, [2], [], None),
]

# The lr4j expression for each torch scheduler used above (the case's "scheduler" field is lr4j's language).
LR4J_SCHEDULER = {"LinearLR(optimizer, start_factor=0.1, total_iters=10)": "LinearLR(start_factor=0.1, total_iters=10)"}


def load_class(reference, name):
    path = os.path.join(reference, "schedulefree", FILES[name])
    spec = importlib.util.spec_from_file_location("sf_" + name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def blob(reference, name):
    try:
        return subprocess.run(["git", "-C", reference, "hash-object", os.path.join("schedulefree", FILES[name])],
                              capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def f32(values):
    """Float32 values as the shortest decimal that reads back to the same float32."""
    return [float(repr(np.float32(v))) for v in values]


def flat(t):
    return f32(t.detach().flatten().tolist())


def snapshot(params):
    return [[flat(p) for p in ps] for ps in params]


def run(cls, groups, shapes, initial, grads, switch_at, scheduler_expr):
    """Runs one case as the README says; returns (trace_train, trace_eval, scalars, roundtrip_changed)."""
    params = [[torch.tensor(v, dtype=torch.float32).reshape(s).requires_grad_() for v, s in zip(values, shapes)]
              for values in initial]
    pg = []
    for spec, ps in zip(groups, params):
        d = dict(spec, params=ps)
        if "betas" in d:
            d["betas"] = tuple(d["betas"])
        pg.append(d)
    opt = cls(pg, lr=groups[0]["lr"], foreach=False)
    sched = eval(scheduler_expr, dict(globals(), optimizer=opt)) if scheduler_expr else None
    opt.train()
    out = {"trace_train": [], "trace_eval": [], "scheduled_lr": [], "lr_max": [], "weight_sum": [], "roundtrip_changed": []}
    for s, step_grads in enumerate(grads):
        for ps, gs in zip(params, step_grads):
            for p, g in zip(ps, gs):
                p.grad = torch.tensor(g, dtype=torch.float32).reshape(p.shape)
        opt.step()
        train = snapshot(params)
        out["trace_train"].append(train)
        for key in ("scheduled_lr", "lr_max", "weight_sum"):
            out[key].append([grp[key] for grp in opt.param_groups])
        copy_params, copy_opt = copy.deepcopy((params, opt))
        copy_opt.eval()
        x = snapshot(copy_params)
        if s in switch_at:
            opt.eval()
            if snapshot(params) != x:
                sys.exit("eval() on the run and on its copy disagree at step %d" % s)
            opt.train()
            back = snapshot(params)
            out["roundtrip_changed"].append(sum(a != b for g1, g2 in zip(train, back) for t1, t2 in zip(g1, g2)
                                                for a, b in zip(t1, t2)))
        else:
            out["roundtrip_changed"].append(None)
        out["trace_eval"].append(x)
        if sched is not None:
            sched.step()
    return out


def generate(reference, name, optimizer, groups, shapes, steps, seed, zero_at, switch, scheduler_expr):
    rng = random.Random(seed)
    initial = [[f32([rng.gauss(0, 1) for _ in range(int(np.prod(s)))]) for s in shapes] for _ in groups]
    grads = [[[f32([0.0] * int(np.prod(s))) if k in zero_at else f32([rng.gauss(0, 0.5) for _ in range(int(np.prod(s)))])
               for s in shapes] for _ in groups] for k in range(steps)]
    switch_at = list(range(steps)) if switch == EVERY else switch
    result = run(load_class(reference, optimizer), groups, shapes, initial, grads, switch_at, scheduler_expr)
    hyper = []
    for spec in groups:
        h = dict(DEFAULTS[optimizer])
        h.update(spec)
        hyper.append(h)
    case = {"name": name, "optimizer": optimizer, "reference_repo": "facebookresearch/schedule_free",
            "reference_commit": "70785b53e778d0e872c0bbb75ff4ee54ee10c291",
            "reference_file": "schedulefree/" + FILES[optimizer], "reference_file_blob": blob(reference, optimizer),
            "torch_version": torch.__version__, "aten_cpu_capability": "default", "foreach": False,
            "param_groups": groups, "group_hyperparameters": hyper, "shapes": shapes, "steps": steps, "seed": seed,
            "zero_grad_at": zero_at, "switch_at": switch_at, "initial_params": initial, "grads": grads}
    if scheduler_expr:
        case["scheduler"] = LR4J_SCHEDULER[scheduler_expr]
        case["scheduler_torch"] = scheduler_expr
    case.update(result)
    return case


def check_public(reference, folder):
    """Replays every shared case from its own values and gradients; the traces must match bit for bit."""
    bad = 0
    for file in sorted(f for f in os.listdir(folder) if f.endswith(".json")):
        with open(os.path.join(folder, file)) as fh:
            c = json.load(fh)
        got = run(load_class(reference, c["optimizer"]), c["param_groups"], c["shapes"], c["initial_params"], c["grads"],
                  c["switch_at"], None)
        same = all(got[k] == c[k] for k in ("trace_train", "trace_eval", "scheduled_lr", "lr_max", "weight_sum",
                                            "roundtrip_changed"))
        print(("same  " if same else "DIFFERENT  ") + file)
        bad += 0 if same else 1
    return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reference", required=True, help="folder holding the reference's schedulefree package")
    ap.add_argument("--check-public", metavar="DIR")
    ap.add_argument("--out", metavar="DIR")
    args = ap.parse_args()
    if args.check_public:
        sys.exit(1 if check_public(args.reference, args.check_public) else 0)
    os.makedirs(args.out, exist_ok=True)
    for name, *rest in CASES:
        case = generate(args.reference, name, *rest)
        with open(os.path.join(args.out, name + ".json"), "w") as fh:
            json.dump(case, fh, separators=(",", ":"))
        print("wrote", name)


if __name__ == "__main__":
    main()
