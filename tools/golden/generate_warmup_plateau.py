#!/usr/bin/env python3
"""Golden traces for lr4j's SequentialLR with a metric-driven last phase (a warm-up, then ReduceLROnPlateau),
made by real PyTorch 1.13, in the format of FORMAT.md.

PyTorch refuses ReduceLROnPlateau inside SequentialLR (pytorch#68978). Its users write the loop by hand:
the time-based phases (one scheduler, or a SequentialLR of them) step while i < the last milestone, then the plateau
steps with the metric. That hand-written loop runs here; the case's "scheduler" is the one lr4j expression that does
the same, and "metrics" has a value for every step (the warm-up steps do not use theirs). Needs python3-torch:

    /usr/bin/python3 tools/golden/generate_warmup_plateau.py --out lr4j-core/src/test/resources/golden/warmup-plateau
"""
import argparse
import copy
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
import torch  # noqa: E402

SGD2, SGD3, ADAM2 = generate.SGD2, generate.SGD3, generate.ADAM2

LOSSES = [2.0, 1.5, 1.2, 1.0, 0.9, 0.85, 0.84, 0.86, 0.85, 0.8, 0.81, 0.82, 0.83, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.6]
ACCURACY = [0.3, 0.5, 0.6, 0.7, 0.75, 0.76, 0.76, 0.75, 0.8, 0.79, 0.79, 0.78, 0.85, 0.84, 0.84]

# name, (optimizer, groups), time-based part (torch), plateau (torch), lr4j expression, last milestone, metrics, resume_at
CASES = [
    ("warmup_plateau_resume_mid_warmup", SGD2,
     "LinearLR(optimizer, start_factor=0.01, total_iters=5)", "ReduceLROnPlateau(optimizer, patience=2)",
     "SequentialLR(optimizer, schedulers=[LinearLR(start_factor=0.01, total_iters=5), ReduceLROnPlateau(patience=2)],"
     " milestones=[5])", 5, LOSSES, 3),
    ("warmup_plateau_resume_mid_plateau", SGD3,
     "LinearLR(optimizer, start_factor=0.01, total_iters=5)", "ReduceLROnPlateau(optimizer, patience=1, factor=0.5)",
     "SequentialLR(optimizer, schedulers=[LinearLR(start_factor=0.01, total_iters=5), ReduceLROnPlateau(patience=1,"
     " factor=0.5)], milestones=[5])", 5, LOSSES, 12),
    ("two_phases_then_plateau_max_adam", ADAM2,
     "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=2),"
     " LinearLR(optimizer, start_factor=0.5, total_iters=3)], milestones=[2])",
     "ReduceLROnPlateau(optimizer, mode='max', factor=0.5, patience=1, cooldown=1)",
     "SequentialLR(optimizer, schedulers=[ConstantLR(factor=0.1, total_iters=2), LinearLR(start_factor=0.5, total_iters=3),"
     " ReduceLROnPlateau(mode='max', factor=0.5, patience=1, cooldown=1)], milestones=[2, 5])", 5, ACCURACY, None),
]


def build(optimizer_name, groups, timed, plateau):
    optimizer, first = generate.build(optimizer_name, groups, timed)
    second = eval(plateau, dict(generate.__dict__, optimizer=optimizer))
    return optimizer, first, second


def run(name, optimizer_name, groups, timed, plateau, expression, switch, metrics, resume_at):
    optimizer, first, second = build(optimizer_name, groups, timed, plateau)
    trace = [generate.snapshot(optimizer)]
    for i in range(len(metrics)):
        if resume_at is not None and i == resume_at:
            saved = (copy.deepcopy(optimizer.state_dict()), copy.deepcopy(first.state_dict()), copy.deepcopy(second.state_dict()))
            optimizer, first, second = build(optimizer_name, groups, timed, plateau)
            optimizer.load_state_dict(saved[0])
            first.load_state_dict(saved[1])
            second.load_state_dict(saved[2])
        optimizer.step()
        if i < switch:
            first.step()
        else:
            second.step(metrics[i])
        trace.append(generate.snapshot(optimizer))
    return {
        "name": name,
        "torch_version": torch.__version__,
        "optimizer": optimizer_name,
        "param_groups": groups,
        "scheduler": expression,
        "steps": len(metrics),
        "metrics": metrics,
        "epochs": None,
        "resume_at": resume_at,
        "trace": trace,
        "state_dict": {},
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="folder to write the cases into")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name, (opt, groups), timed, plateau, expr, switch, metrics, resume_at in CASES:
        case = run(name, opt, groups, timed, plateau, expr, switch, metrics, resume_at)
        generate.write_case(args.out, name, case)


if __name__ == "__main__":
    main()
