#!/usr/bin/env python3
"""Generates golden scheduler traces with real PyTorch, in the format of shared/golden/FORMAT.md.

Needs Debian's PyTorch 1.13 (`apt-get install python3-torch`; run with /usr/bin/python3).
CI never runs this: its output is committed under lr4j-core/src/test/resources/golden/.

    /usr/bin/python3 tools/golden/generate.py --check-public ../shared/golden/public   # reproduce the shared cases
    /usr/bin/python3 tools/golden/generate.py --out lr4j-core/src/test/resources/golden/extra
    /usr/bin/python3 tools/golden/generate.py --torch-tests --out lr4j-core/src/test/resources/golden/pytorch-tests

The cases below extend the shared ones: every scheduler, two or three groups, and the edge cases
(stepping past T_max, OneCycle's last allowed step, duplicate milestones, plateau cooldown, ...).
"""
import argparse
import collections
import copy
import json
import math
import os
import sys
import warnings

import torch
from torch.optim.lr_scheduler import *  # noqa: F401,F403  (the expressions name these classes)

warnings.filterwarnings("ignore")

SGD2 = ("SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.8}])
SGD3 = ("SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.0}, {"lr": 0.01, "momentum": 0.5}])
ADAM2 = ("Adam", [{"lr": 0.001, "betas": [0.9, 0.999]}, {"lr": 0.0005, "betas": [0.85, 0.99]}])
ADAMW1 = ("AdamW", [{"lr": 0.003, "betas": [0.9, 0.95], "weight_decay": 0.1}])
RMS2 = ("RMSprop", [{"lr": 0.01, "momentum": 0.5}, {"lr": 0.02}])
ADAGRAD2 = ("Adagrad", [{"lr": 0.01}, {"lr": 0.1}])


def noisy_losses(n, seed, start=1.0, plateau_after=None):
    """A deterministic validation-loss-like sequence that improves, then flattens and wiggles."""
    g = torch.Generator().manual_seed(seed)
    out, v = [], start
    for i in range(n):
        if plateau_after is None or i < plateau_after:
            v *= 0.93
        out.append(float(v + 0.01 * torch.rand(1, generator=g).item()))
    return out


# name, (optimizer, groups), expression, steps, metrics, epochs, resume_at
CASES = [
    ("x_lambda_power_3groups", SGD3, "LambdaLR(optimizer, lr_lambda=lambda epoch: 0.95 ** epoch)", 25, None, None, None),
    ("x_lambda_per_group", SGD2, "LambdaLR(optimizer, [lambda e: 1.0 / (e + 1), lambda e: 0.5 if e >= 5 else 1.0])", 12, None, None, None),
    ("x_lambda_warmup_cosine", ADAM2, "LambdaLR(optimizer, lambda s: (s + 1) / 5 if s < 5 else 0.5 * (1 + math.cos(math.pi * (s - 5) / 20)))", 30, None, None, None),
    ("x_multiplicative", SGD3, "MultiplicativeLR(optimizer, lr_lambda=lambda epoch: 0.9 if epoch % 3 == 0 else 1.0)", 20, None, None, None),
    ("x_step_3groups_resume", SGD3, "StepLR(optimizer, step_size=3, gamma=0.3)", 20, None, None, 7),
    ("x_step_explicit_epochs", SGD2, "StepLR(optimizer, 4, 0.5)", 8, None, [0, 3, 4, 9, 10, 2, 12, 13], None),
    ("x_multistep_duplicates_unsorted", SGD3, "MultiStepLR(optimizer, milestones=[6, 2, 2, 9, 6], gamma=0.5)", 14, None, None, None),
    ("x_constant_long", SGD3, "ConstantLR(optimizer, factor=0.5, total_iters=7)", 12, None, None, 3),
    ("x_constant_default", RMS2, "ConstantLR(optimizer)", 8, None, None, None),
    ("x_linear_default_adam", ADAM2, "LinearLR(optimizer)", 9, None, None, None),
    ("x_linear_decay_partial", SGD3, "LinearLR(optimizer, start_factor=0.9, end_factor=0.2, total_iters=13)", 20, None, None, 6),
    ("x_exponential_resume", SGD3, "ExponentialLR(optimizer, gamma=0.8)", 20, None, None, 11),
    ("x_polynomial_sqrt", SGD3, "PolynomialLR(optimizer, total_iters=10, power=0.5)", 14, None, None, None),
    ("x_polynomial_default", ADAGRAD2, "PolynomialLR(optimizer)", 7, None, None, None),
    ("x_cosine_eta_past_tmax", SGD3, "CosineAnnealingLR(optimizer, T_max=6, eta_min=0.002)", 40, None, None, None),
    ("x_cosine_resume", ADAMW1, "CosineAnnealingLR(optimizer, T_max=20, eta_min=1e-5)", 25, None, None, 9),
    ("x_cosine_long", SGD2, "CosineAnnealingLR(optimizer, T_max=100)", 250, None, None, None),
    ("x_cawr_tmult3_resume", SGD3, "CosineAnnealingWarmRestarts(optimizer, T_0=2, T_mult=3, eta_min=0.0005)", 40, None, None, 13),
    ("x_cawr_fractional_tmult2", SGD2, "CosineAnnealingWarmRestarts(optimizer, T_0=2, T_mult=2, eta_min=0.001)", 30, None,
     [i * 0.5 for i in range(30)], None),
    ("x_cawr_mixed_epochs", SGD2, "CosineAnnealingWarmRestarts(optimizer, 5)", 10, None, [0.5, 1.2, 4.9, 5.0, 7.5, 11.0, 2.0, 13.25, 14.0, 20.5], None),
    ("x_cyclic_exp_range_momentum", SGD3, "CyclicLR(optimizer, base_lr=[0.001, 0.002, 0.003], max_lr=0.01, step_size_up=3, step_size_down=2, mode='exp_range', gamma=0.9)", 30, None, None, None),
    ("x_cyclic_custom_scale_cycle", SGD2, "CyclicLR(optimizer, base_lr=0.01, max_lr=0.1, step_size_up=2, scale_fn=lambda x: 0.5 ** (x - 1), scale_mode='cycle', base_momentum=0.7, max_momentum=[0.95, 0.9])", 20, None, None, None),
    ("x_cyclic_custom_scale_iterations", SGD2, "CyclicLR(optimizer, 0.01, 0.1, 4, scale_fn=lambda x: 1 / (1 + 0.05 * x), scale_mode='iterations', cycle_momentum=False)", 20, None, None, None),
    ("x_cyclic_resume", SGD2, "CyclicLR(optimizer, base_lr=0.001, max_lr=0.004, step_size_up=5, mode='triangular2')", 40, None, None, 17),
    ("x_onecycle_last_allowed_step", SGD3, "OneCycleLR(optimizer, max_lr=[0.3, 0.2, 0.1], total_steps=12)", 12, None, None, None),
    ("x_onecycle_three_phase_linear", SGD2, "OneCycleLR(optimizer, max_lr=1.0, total_steps=25, pct_start=0.25, anneal_strategy='linear', three_phase=True, div_factor=10.0, final_div_factor=100.0)", 24, None, None, None),
    ("x_onecycle_rmsprop_custom_momentum", RMS2, "OneCycleLR(optimizer, 0.05, epochs=3, steps_per_epoch=7, base_momentum=0.8, max_momentum=0.9)", 21, None, None, 10),
    ("x_onecycle_no_momentum_adagrad", ADAGRAD2, "OneCycleLR(optimizer, max_lr=0.5, total_steps=16, cycle_momentum=False)", 16, None, None, None),
    ("x_onecycle_adamw_resume", ADAMW1, "OneCycleLR(optimizer, max_lr=0.01, total_steps=30)", 29, None, None, 14),
    ("x_onecycle_pct_odd", SGD2, "OneCycleLR(optimizer, max_lr=0.2, total_steps=7, pct_start=0.45)", 7, None, None, None),
    ("x_plateau_cooldown_3groups", SGD3, "ReduceLROnPlateau(optimizer, patience=2, cooldown=3, factor=0.5, min_lr=[0.01, 0.001, 0.0])", 40, noisy_losses(40, 1, plateau_after=6), None, None),
    ("x_plateau_max_rel_resume", SGD2, "ReduceLROnPlateau(optimizer, 'max', factor=0.2, patience=1, threshold=0.01)", 40,
     [1 - v for v in noisy_losses(40, 2, plateau_after=10)], None, 20),
    ("x_plateau_min_abs_eps", ADAM2, "ReduceLROnPlateau(optimizer, threshold_mode='abs', threshold=0.05, patience=0, eps=1e-4, min_lr=2e-4)", 30, noisy_losses(30, 3, plateau_after=3), None, None),
    ("x_plateau_nan_inf_metrics", SGD2, "ReduceLROnPlateau(optimizer, patience=1)", 8, [1.0, float("nan"), 0.5, float("inf"), float("nan"), 0.5, 0.4, 0.4], None, None),
    ("x_sequential_three_pieces", SGD3, "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.2, total_iters=3), ConstantLR(optimizer, factor=0.5, total_iters=4), CosineAnnealingLR(optimizer, T_max=10, eta_min=0.001)], milestones=[3, 8])", 25, None, None, None),
    ("x_sequential_exp_step_resume", SGD2, "SequentialLR(optimizer, [ExponentialLR(optimizer, gamma=0.5), StepLR(optimizer, step_size=2, gamma=0.1)], [4])", 12, None, None, 5),
    ("x_sequential_onecycle_then_constant", SGD2, "SequentialLR(optimizer, schedulers=[OneCycleLR(optimizer, max_lr=0.1, total_steps=10), ExponentialLR(optimizer, gamma=0.99)], milestones=[10])", 16, None, None, None),
    ("x_sequential_multiplicative", SGD2, "SequentialLR(optimizer, schedulers=[StepLR(optimizer, 2, 0.5), MultiplicativeLR(optimizer, lambda e: 0.9)], milestones=[5])", 12, None, None, None),
    ("x_chained_three", SGD3, "ChainedScheduler([ConstantLR(optimizer, factor=0.5, total_iters=3), ExponentialLR(optimizer, gamma=0.9), StepLR(optimizer, step_size=4, gamma=0.5)])", 15, None, None, 6),
    ("x_chained_cosine_eta_exp", SGD2, "ChainedScheduler([CosineAnnealingLR(optimizer, T_max=5, eta_min=0.001), ExponentialLR(optimizer, gamma=0.95)])", 14, None, None, None),
    ("x_epochs_cosine", SGD2, "CosineAnnealingLR(optimizer, T_max=8, eta_min=0.01)", 8, None, [1, 2, 5, 3, 9, 10, 4, 20], None),
    ("x_epochs_exponential", SGD3, "ExponentialLR(optimizer, gamma=0.7)", 6, None, [2, 3, 3, 1, 7, 8], None),
    ("x_epochs_linear", SGD2, "LinearLR(optimizer, start_factor=0.2, total_iters=6)", 7, None, [1, 4, 2, 6, 8, 0, 3], None),
    ("x_epochs_constant", SGD2, "ConstantLR(optimizer, factor=0.4, total_iters=3)", 6, None, [1, 3, 2, 5, 0, 4], None),
    ("x_epochs_multistep", SGD2, "MultiStepLR(optimizer, milestones=[2, 4, 4], gamma=0.5)", 6, None, [1, 4, 2, 6, 3, 5], None),
    ("x_epochs_polynomial", SGD2, "PolynomialLR(optimizer, total_iters=5, power=3.0)", 6, None, [1, 3, 2, 7, 4, 5], None),
    ("x_epochs_onecycle", SGD2, "OneCycleLR(optimizer, max_lr=0.3, total_steps=10)", 6, None, [2, 5, 1, 9, 10, 4], None),
    ("x_epochs_cyclic", SGD2, "CyclicLR(optimizer, 0.01, 0.1, step_size_up=3)", 6, None, [2, 5, 1, 9, 12, 4], None),
    ("x_epochs_lambda", SGD2, "LambdaLR(optimizer, lambda e: 1 / (1 + e))", 5, None, [3, 1, 4, 10, 2], None),
    ("x_epochs_multiplicative", SGD2, "MultiplicativeLR(optimizer, lambda e: 0.9)", 5, None, [3, 1, 4, 0, 2], None),
    ("x_chained_onecycle_then_exp", SGD2, "ChainedScheduler([OneCycleLR(optimizer, max_lr=0.1, total_steps=20), ExponentialLR(optimizer, gamma=0.95)])", 19, None, None, None),
]


# PyTorch 1.13's own scheduler tests (test/test_optim.py, class TestLRScheduler), as golden cases.
# Its setUp: SGD with groups lr 0.05 and 0.5 (momentum 0); tests that stepped several schedulers on
# one optimizer ("compound") are a ChainedScheduler of them in the same order (the same numbers).
T_SGD = ("SGD", [{"lr": 0.05, "momentum": 0.0}, {"lr": 0.5, "momentum": 0.0}])
T_SGD_PLATEAU = ("SGD", [{"lr": 0.5, "momentum": 0.0}, {"lr": 0.5, "momentum": 0.0}])
T_SGD_LAMBDA = ("SGD", [{"lr": 0.05, "momentum": 0.0}, {"lr": 0.4, "momentum": 0.0}])
T_SGD_ONE = ("SGD", [{"lr": 0.1, "momentum": 0.0}])
T_ADAM = ("Adam", [{"lr": 0.05}, {"lr": 0.5}])
T_COSINE = "CosineAnnealingLR(optimizer, T_max=10, eta_min=1e-10)"
EPOCHS_20 = list(range(20))


def cawr_fractional_epochs():
    return [round(e.item(), 1) for e in torch.arange(0, 30, 0.1)]


CAWR_INTERLEAVED = [
    (1, [0, 1, 2, 3, 4, 5, 12, 27, 3, 4, 5, 6, 13]),
    (2, [0, 1, 2, 3, 4, 5, 25, 32, 33, 34, 80, 81, 3]),
    (3, [0, 0.1, 0.2, 0.3, 1.3, 2.3, 17.5, 18.5, 19.5, 29.5, 30.5, 31.5, 50]),
]


def torch_test_cases():
    """(name, (optimizer, groups), expression, steps, metrics, epochs, resume_at), named after the PyTorch test."""
    c = []

    def add(name, groups, expr, steps, metrics=None, epochs=None, resume_at=None):
        c.append(("t_" + name, groups, expr, steps, metrics, epochs, resume_at))

    add("step_lr", T_SGD, "StepLR(optimizer, gamma=0.1, step_size=3)", 10)
    add("get_last_lr_step_lr", T_SGD_ONE, "StepLR(optimizer, 3, gamma=0.1)", 10)
    add("multi_step_lr", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10)
    add("multi_step_lr_with_epoch", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10, epochs=list(range(10)))
    add("constantlr", T_SGD, "ConstantLR(optimizer, factor=1.0 / 2, total_iters=5)", 10)
    add("constantlr_with_epoch", T_SGD, "ConstantLR(optimizer, factor=1.0 / 2, total_iters=5)", 10, epochs=list(range(10)))
    add("get_last_lr_linearlr", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 4, end_factor=3. / 5, total_iters=4)", 10)
    add("linearlr", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 2, total_iters=4)", 10)
    add("linearlr_with_epoch", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 2, total_iters=4)", 10, epochs=list(range(10)))
    add("exp_lr", T_SGD, "ExponentialLR(optimizer, gamma=0.9)", 10)
    add("poly_lr", T_SGD, "PolynomialLR(optimizer, power=0.9, total_iters=5)", 10)
    add("cos_anneal_lr", T_SGD, T_COSINE, 10)
    # The warning tests (old and new call order, overridden optimizer.step) all step this for 35 epochs.
    add("new_pattern_no_warning", T_SGD, "StepLR(optimizer, gamma=0.1, step_size=3)", 35)
    for name, expr in [("step_lr", "StepLR(optimizer, 2)"), ("exponential_lr", "ExponentialLR(optimizer, gamma=0.9)"),
                       ("constantlr", "ConstantLR(optimizer)"), ("linear_linearlr", "LinearLR(optimizer)"),
                       ("polynomial_lr", "PolynomialLR(optimizer, power=0.9)")]:
        add(name + "_is_constant_for_constant_epoch", T_SGD, expr, 10, epochs=[2] * 10)
    for name, expr in [("step_lr", "StepLR(optimizer, gamma=0.1, step_size=3)"),
                       ("linearlr", "LinearLR(optimizer, start_factor=1.0 / 3, end_factor=0.7, total_iters=4)"),
                       ("constantlr", "ConstantLR(optimizer, factor=1.0 / 3, total_iters=4)"),
                       ("multi_step_lr", "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])"),
                       ("exp_lr", "ExponentialLR(optimizer, gamma=0.9)"),
                       ("poly_lr", "PolynomialLR(optimizer, power=0.9)"),
                       ("cos_anneal_lr", "CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-10)")]:
        add("closed_form_" + name + "_stepped", T_SGD, expr, 20)
        add("closed_form_" + name + "_epochs", T_SGD, expr, 20, epochs=EPOCHS_20)

    plateau = [
        (1, 10, "threshold_mode='abs', mode='min', threshold=0.01, patience=5, cooldown=5", [10 - i * 0.0167 for i in range(20)]),
        (2, 22, "patience=5, cooldown=0, threshold_mode='abs', mode='min', threshold=0.1", [10 - i * 0.0165 for i in range(22)]),
        (3, 22, "mode='max', patience=5, cooldown=5, threshold_mode='abs'", [-0.8] * 2 + [-0.234] * 20),
        (4, 20, "mode='max', patience=3, threshold_mode='rel', threshold=0.1", [1.5 * (1.025 ** i) for i in range(20)]),
        (5, 20, "mode='max', threshold_mode='rel', threshold=0.1, patience=5, cooldown=5", [1.5 * (1.005 ** i) for i in range(20)]),
        (6, 20, "mode='min', threshold_mode='rel', threshold=0.1", [1.5 * (0.85 ** i) for i in range(20)]),
        (7, 20, "mode='min', threshold_mode='rel', threshold=0.1, patience=5, cooldown=5", [1] * 7 + [0.6] + [0.5] * 12),
        (8, 20, "mode='max', threshold_mode='rel', min_lr=[0.4, 0.3], threshold=0.1, patience=5, cooldown=5",
         [1.5 * (1.005 ** i) for i in range(20)]),
    ]
    for k, epochs, args, metrics in plateau:
        add("reduce_lr_on_plateau%d" % k, T_SGD_PLATEAU, "ReduceLROnPlateau(optimizer, %s)" % args, epochs,
            metrics=[float(m) for m in metrics])

    add("sequentiallr1", T_SGD, "SequentialLR(optimizer, schedulers=[ExponentialLR(optimizer, gamma=0.8), StepLR(optimizer, gamma=0.1, step_size=4)], milestones=[3])", 19)
    add("sequentiallr2", T_SGD, "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=3), ExponentialLR(optimizer, gamma=0.9)], milestones=[3])", 13)
    add("sequentiallr3", T_SGD, "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=3), ExponentialLR(optimizer, gamma=0.8), StepLR(optimizer, gamma=0.1, step_size=2)], milestones=[3, 6])", 12)
    add("sequentiallr4", T_SGD_ONE, "SequentialLR(optimizer, [ConstantLR(optimizer, factor=1), ConstantLR(optimizer, factor=0.1)], milestones=[10])", 15)
    add("chained_lr1", T_SGD, "ChainedScheduler([StepLR(optimizer, gamma=0.1, step_size=3)])", 10)
    add("chained_lr2", T_SGD, "ChainedScheduler([LinearLR(optimizer, start_factor=0.4, total_iters=3)])", 10)
    add("chained_lr3", T_SGD, "ChainedScheduler([LinearLR(optimizer, start_factor=0.4, total_iters=3), MultiStepLR(optimizer, milestones=[4, 8, 10], gamma=0.1)])", 10)
    add("chained_lr4", T_SGD, "ChainedScheduler([ExponentialLR(optimizer, gamma=0.9), ConstantLR(optimizer, factor=0.2, total_iters=4), StepLR(optimizer, gamma=0.1, step_size=3)])", 9)
    add("chained_lr5", T_SGD, "ChainedScheduler([PolynomialLR(optimizer, power=0.9, total_iters=5), ConstantLR(optimizer, factor=0.1)])", 10)
    compound = [
        ("step_and_multistep_lr", "StepLR(optimizer, gamma=0.1, step_size=3), MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])"),
        ("step_and_exp_lr", "StepLR(optimizer, gamma=0.1, step_size=3), ExponentialLR(optimizer, gamma=0.9)"),
        ("exp_and_multistep_lr", "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9]), ExponentialLR(optimizer, gamma=0.9)"),
        ("exp_and_linearlr", "LinearLR(optimizer, start_factor=0.4, end_factor=0.9, total_iters=4), ExponentialLR(optimizer, gamma=0.9)"),
        ("step_and_constantlr", "StepLR(optimizer, gamma=0.1, step_size=3), ConstantLR(optimizer, factor=0.4, total_iters=4)"),
        ("linearlr_and_multistep_lr", "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9]), LinearLR(optimizer, start_factor=0.4, total_iters=4)"),
        ("cosanneal_and_step_lr", T_COSINE + ", StepLR(optimizer, gamma=0.1, step_size=3)"),
        ("cosanneal_and_multistep_lr", T_COSINE + ", MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])"),
        ("cosanneal_and_linearlr", "LinearLR(optimizer, start_factor=0.4, total_iters=4), " + T_COSINE),
        ("cosanneal_and_exp_lr", T_COSINE + ", ExponentialLR(optimizer, gamma=0.1)"),
    ]
    for name, members in compound:
        add("compound_" + name, T_SGD, "ChainedScheduler([%s])" % members, 10)

    cyc = "CyclicLR(optimizer, base_lr=%s, max_lr=%s, step_size_up=%s, %scycle_momentum=%s, %smode='%s'%s)"
    add("cycle_lr_triangular_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "triangular", ""), 11)
    add("cycle_lr_triangular_mode_one_lr_no_momentum", T_SGD, cyc % (1, 5, 4, "", False, "", "triangular", ""), 11)
    add("cycle_lr_triangular2_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "triangular2", ""), 22)
    add("cycle_lr_exp_range_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "exp_range", ", gamma=0.9"), 13)
    add("cycle_lr_triangular_mode", T_SGD, cyc % ("[1, 2]", "[5, 6]", 4, "", True, "base_momentum=[1, 2], max_momentum=[5, 6], ", "triangular", ""), 11)
    add("cycle_lr_triangular2_mode", T_SGD, cyc % ("[1, 3]", "[5, 7]", 4, "", True, "base_momentum=[1, 3], max_momentum=[5, 7], ", "triangular2", ""), 22)
    add("cycle_lr_exp_range_mode", T_SGD, cyc % ("[1, 5]", "[5, 12]", 4, "", True, "base_momentum=[1, 5], max_momentum=[5, 12], ", "exp_range", ", gamma=0.9"), 13)
    add("cycle_lr_triangular_mode_step_size_up_down", T_SGD, cyc % (1, 5, 4, "step_size_down=6, ", True, "base_momentum=1, max_momentum=5, ", "triangular", ""), 11)
    add("cycle_lr_triangular2_mode_step_size_up_down", T_SGD, cyc % ("[1, 3]", "[5, 7]", 2, "step_size_down=6, ", True, "base_momentum=[1, 3], max_momentum=[5, 7], ", "triangular2", ""), 24)
    add("cycle_lr_exp_range_mode_step_size_up_down", T_SGD, cyc % (1, 5, 2, "step_size_down=6, ", True, "base_momentum=1, max_momentum=5, ", "exp_range", ", gamma=0.9"), 13)
    add("cycle_lr_with_momentumless_optimizer", T_ADAM, cyc % (1, 5, 4, "", False, "", "triangular", ""), 11)
    # The tests check 10 values (steps 0-9); PyTorch's linear anneal extrapolates below 0 at step 10 (lr4j gives 0).
    add("onecycle_lr_linear_annealing", T_SGD, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear')", 9)
    add("onecycle_lr_linear_annealing_three_phases", T_SGD, "OneCycleLR(optimizer, max_lr=25, div_factor=25, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear', pct_start=0.4, final_div_factor=4, three_phase=True)", 9)
    add("onecycle_lr_cosine_annealing", T_SGD, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10)", 10)
    add("cycle_lr_with_adam", T_ADAM, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear')", 9)
    add("lambda_lr", T_SGD_LAMBDA, "LambdaLR(optimizer, lr_lambda=[lambda x1: 0.9 ** x1, lambda x2: 0.8 ** x2])", 10)
    add("multiplicative_lr", T_SGD_LAMBDA, "MultiplicativeLR(optimizer, lr_lambda=[lambda x1: 0.9, lambda x2: 0.8])", 10)
    for t_mult in (1, 2, 4):
        add("CosineAnnealingWarmRestarts_lr1_T_mult_%d" % t_mult, T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, 100)
        epochs = cawr_fractional_epochs()
        add("CosineAnnealingWarmRestarts_lr2_T_mult_%d" % t_mult, T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, len(epochs), epochs=epochs)
    for t_mult, epochs in CAWR_INTERLEAVED:
        add("CosineAnnealingWarmRestarts_lr3_T_mult_%d" % t_mult, T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, len(epochs), epochs=epochs)
    # The state_dict tests, as a save/rebuild/restore half way (lr4j restores only into a scheduler built
    # with the same arguments: the second constructor's arguments are not used).
    add("step_lr_state_dict", T_SGD, "StepLR(optimizer, gamma=0.1, step_size=3)", 10, resume_at=5)
    add("multi_step_lr_state_dict", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10, resume_at=5)
    add("exp_step_lr_state_dict", T_SGD, "ExponentialLR(optimizer, gamma=0.1)", 10, resume_at=5)
    add("cosine_lr_state_dict", T_SGD, T_COSINE, 10, resume_at=5)
    add("CosineAnnealingWarmRestarts_lr_state_dict", T_SGD, "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2)", 10, resume_at=5)
    add("reduce_lr_on_plateau_state_dict", T_SGD, "ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=2)", 10,
        metrics=[1.0, 2.0, 3.0, 4.0, 3.0, 4.0, 5.0, 3.0, 2.0, 1.0], resume_at=5)
    add("lambda_lr_state_dict_fn", T_SGD, "LambdaLR(optimizer, lr_lambda=lambda x: x)", 10, resume_at=5)
    return c


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    if "momentum" in group:
        return group["momentum"]
    return None


def build(optimizer_name, groups, expression):
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in groups]
    pg = [dict(g, params=[p]) for g, p in zip(copy.deepcopy(groups), params)]
    for g in pg:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    cls = getattr(torch.optim, optimizer_name)
    optimizer = cls(pg, lr=groups[0]["lr"])
    scheduler = eval(expression, dict(globals(), optimizer=optimizer, math=math))
    return optimizer, scheduler


def snapshot(optimizer):
    return {"lr": [g["lr"] for g in optimizer.param_groups], "momentum": [momentum_of(g) for g in optimizer.param_groups]}


def jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, collections.Counter):
        return {str(k): c for k, c in sorted(v.items())}
    if isinstance(v, dict):
        return {k: jsonable(x) for k, x in v.items() if not callable(x)}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, (int, float, str, bool)) or v is None:
        return v
    return None


def state_dict(scheduler):
    sd = scheduler.state_dict()
    out = {}
    for k, v in sd.items():
        if k in ("anneal_func", "_scale_fn_ref", "lr_lambdas") or callable(v):
            continue
        if k == "_scale_fn_custom" and v is not None:
            continue
        if k == "_schedulers":
            out[k] = [jsonable({kk: vv for kk, vv in s.items() if kk not in ("anneal_func", "_scale_fn_ref", "lr_lambdas")
                                and not callable(vv)}) for s in v]
            continue
        out[k] = jsonable(v)
    return out


def run(name, optimizer_name, groups, expression, steps, metrics, epochs, resume_at):
    optimizer, scheduler = build(optimizer_name, groups, expression)
    trace = [snapshot(optimizer)]
    for i in range(steps):
        if resume_at is not None and i == resume_at:
            # PyTorch 1.13's CyclicLR keeps a WeakMethod in its state_dict, which cannot be copied or saved.
            sd_s = copy.deepcopy({k: v for k, v in scheduler.state_dict().items() if k != "_scale_fn_ref"})
            sd_o = copy.deepcopy(optimizer.state_dict())
            optimizer, scheduler = build(optimizer_name, groups, expression)
            optimizer.load_state_dict(sd_o)
            scheduler.load_state_dict(sd_s)
        optimizer.step()
        if metrics is not None:
            scheduler.step(metrics[i])
        elif epochs is not None:
            scheduler.step(epochs[i])
        else:
            scheduler.step()
        trace.append(snapshot(optimizer))
    return {
        "name": name,
        "torch_version": torch.__version__,
        "optimizer": optimizer_name,
        "param_groups": groups,
        "scheduler": expression,
        "steps": steps,
        "metrics": [jsonable(m) for m in metrics] if metrics is not None else None,
        "epochs": epochs,
        "resume_at": resume_at,
        "trace": trace,
        "state_dict": state_dict(scheduler),
    }


def from_json(v):
    return float(v) if v in ("nan", "inf", "-inf") else v


def check_public(folder):
    """Re-runs every shared case from its own fields and compares the traces exactly."""
    bad = 0
    for f in sorted(os.listdir(folder)):
        if not f.endswith(".json"):
            continue
        c = json.load(open(os.path.join(folder, f)))
        metrics = [from_json(m) for m in c["metrics"]] if c["metrics"] is not None else None
        got = run(c["name"], c["optimizer"], c["param_groups"], c["scheduler"], c["steps"], metrics, c["epochs"], c["resume_at"])
        same = got["trace"] == c["trace"]
        bad += not same
        print(("same " if same else "DIFF ") + f)
    return bad


def write_case(out, name, case):
    """Writes one case as OUT/NAME.json (the layout every scheduler generator uses)."""
    with open(os.path.join(out, name + ".json"), "w") as fh:
        json.dump(case, fh, indent=1)
        fh.write("\n")
    print("wrote", name)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", help="folder to write the extra cases into")
    ap.add_argument("--check-public", help="folder of shared cases to reproduce")
    ap.add_argument("--torch-tests", action="store_true",
                    help="write PyTorch 1.13's own TestLRScheduler scenarios instead of the extra cases")
    args = ap.parse_args()
    if args.check_public:
        sys.exit(1 if check_public(args.check_public) else 0)
    if not args.out:
        ap.error("give --out or --check-public")
    os.makedirs(args.out, exist_ok=True)
    for name, (opt, groups), expr, steps, metrics, epochs, resume_at in (torch_test_cases() if args.torch_tests else CASES):
        case = run(name, opt, groups, expr, steps, metrics, epochs, resume_at)
        write_case(args.out, name, case)


if __name__ == "__main__":
    main()
