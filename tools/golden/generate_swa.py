#!/usr/bin/env python3
"""Generates golden traces of torch.optim.swa_utils.SWALR with real PyTorch 1.13, in the format of FORMAT.md.

Reuses generate.py's runner (same fields, same resume procedure). Needs Debian's python3-torch:

    /usr/bin/python3 tools/golden/generate_swa.py --out lr4j-core/src/test/resources/golden/swa
    /usr/bin/python3 tools/golden/generate_swa.py --check lr4j-core/src/test/resources/golden/swa
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate  # noqa: E402
from torch.optim.swa_utils import SWALR  # noqa: E402

generate.SWALR = SWALR  # generate.build evaluates the expression in generate's globals

SGD2, SGD3, ADAM2 = generate.SGD2, generate.SGD3, generate.ADAM2

# name, (optimizer, groups), expression, steps, resume_at
CASES = [
    ("swa_cos_default", SGD2, "SWALR(optimizer, swa_lr=0.05)", 15, None),
    ("swa_linear_5", SGD2, "SWALR(optimizer, swa_lr=0.02, anneal_epochs=5, anneal_strategy='linear')", 10, None),
    ("swa_cos_per_group", SGD3, "SWALR(optimizer, swa_lr=[0.02, 0.005, 0.001], anneal_epochs=4)", 8, None),
    ("swa_linear_per_group_tuple", SGD3, "SWALR(optimizer, swa_lr=(0.5, 0.01, 0.02), anneal_epochs=7, anneal_strategy='linear')", 10, None),
    ("swa_anneal_zero", SGD2, "SWALR(optimizer, swa_lr=0.03, anneal_epochs=0)", 5, None),
    ("swa_anneal_zero_linear", SGD3, "SWALR(optimizer, swa_lr=[0.3, 0.2, 0.1], anneal_epochs=0, anneal_strategy='linear')", 4, None),
    ("swa_anneal_one", SGD2, "SWALR(optimizer, swa_lr=0.001, anneal_epochs=1)", 5, None),
    ("swa_upward_cos", SGD2, "SWALR(optimizer, swa_lr=0.5, anneal_epochs=6)", 9, None),
    ("swa_cos_resume", SGD3, "SWALR(optimizer, swa_lr=0.01, anneal_epochs=8)", 14, 3),
    ("swa_adam_linear_resume", ADAM2, "SWALR(optimizer, swa_lr=[0.0001, 0.0002], anneal_epochs=6, anneal_strategy='linear')", 12, 5),
    ("swa_cos_long", SGD2, "SWALR(optimizer, swa_lr=0.001, anneal_epochs=50)", 60, None),
    # SWALR as a later phase: it anneals from the lr the cosine left, and its restart at the milestone
    # (step(0): _step_count 2) already takes anneal step 1
    ("swa_after_cosine", SGD2, "SequentialLR(optimizer, schedulers=[CosineAnnealingLR(optimizer, T_max=10), "
     "SWALR(optimizer, swa_lr=0.02, anneal_epochs=5)], milestones=[8])", 20, None),
    ("swa_after_cosine_resume", SGD3, "SequentialLR(optimizer, schedulers=[CosineAnnealingLR(optimizer, T_max=10), "
     "SWALR(optimizer, swa_lr=[0.02, 0.01, 0.005], anneal_epochs=4, anneal_strategy='linear')], milestones=[6])", 14, 8),
    ("swa_after_linear_zero", SGD2, "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.1, total_iters=4), "
     "SWALR(optimizer, swa_lr=0.03, anneal_epochs=0)], milestones=[5])", 10, None),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="folder to write the cases into")
    ap.add_argument("--check", help="folder of SWALR cases to reproduce exactly")
    args = ap.parse_args()
    if args.check:
        sys.exit(1 if generate.check_public(args.check) else 0)
    if not args.out:
        ap.error("give --out or --check")
    os.makedirs(args.out, exist_ok=True)
    for name, (opt, groups), expr, steps, resume_at in CASES:
        case = generate.run(name, opt, groups, expr, steps, None, None, resume_at)
        generate.write_case(args.out, name, case)


if __name__ == "__main__":
    main()
