#!/usr/bin/env python3
"""PyTorch 2.x's own scheduler tests as golden cases, run by PyTorch 2.x's own scheduler code.

The scenarios are those of test/optim/test_lrscheduler.py (TestLRScheduler) that have numeric or error expectations.
The test file read is pytorch/pytorch's as stored at 01f9ef32eae5ef513002dd44902c23cbe6be3aae (Sep 2025; the copy at
the pinned 008f727 was not reachable; the later copy adds only test_sequentiallr_does_not_alias_lr_and_initial_lr, a
Tensor-lr test). Each scenario is re-run here with the pinned lr_scheduler.py (008f727, the scratch copy that
generate_pytorch2.py loads, on Debian's torch 1.13) and written in the FORMAT.md format with these extra fields:

- pytorch_test: the test function (a parametrized one: name[param]) the case ports;
- lr_scheduler_source, error, error_at, resume_state, resume_groups: as in generate_pytorch2.py;
- state_edit: the attributes the test set on the scheduler by hand before its state was saved (resume_at);
  resume_state then holds the edited state. lr4j loads it (SchedulerState.fromPyTorch) and must continue with
  PyTorch's numbers; such a case has no uninterrupted run to replay.

The fixture is the test's own: SGD with two groups, lr 0.05 and 0.5 (a Tensor in 2.x's setUp; a float here: lr4j has
no Tensor lrs), momentum 0. Where a test stepped several schedulers on one optimizer (test_compound_*), the case
is a ChainedScheduler of them (the same calls in the same order). Where a test checked the schedule against a
closed form or a target list, the case holds PyTorch's own values (never the test's targets).
The README's fidelity section maps every ported test to its cases and lists those that cannot apply.

    /usr/bin/python3 tools/golden/generate_pytorch2_tests.py --src /tmp/pt2-src --out lr4j-core/src/test/resources/golden/pytorch2-tests
    /usr/bin/python3 tools/golden/generate_pytorch2_tests.py --src /tmp/pt2-src --check lr4j-core/src/test/resources/golden/pytorch2-tests

CI never runs this script.
"""
import argparse
import copy
import json
import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as g13  # noqa: E402
import generate_pytorch2 as g2  # noqa: E402

warnings.filterwarnings("ignore")

TEST_SOURCE = "pytorch/pytorch@01f9ef32eae5ef513002dd44902c23cbe6be3aae test/optim/test_lrscheduler.py"

T_SGD = ("SGD", [{"lr": 0.05, "momentum": 0.0}, {"lr": 0.5, "momentum": 0.0}])
T_SGD_HALF = ("SGD", [{"lr": 0.5, "momentum": 0.0}, {"lr": 0.5, "momentum": 0.0}])
T_SGD_LAMBDA = ("SGD", [{"lr": 0.05, "momentum": 0.0}, {"lr": 0.4, "momentum": 0.0}])
T_SGD_ONE = ("SGD", [{"lr": 0.1, "momentum": 0.0}])
T_ADAM = ("Adam", [{"lr": 0.05}, {"lr": 0.5}])
T_ADAM_DEFAULT = ("Adam", [{"lr": 0.001}])
T_RPROP = ("Rprop", [{"lr": 0.01}])
T_COSINE = "CosineAnnealingLR(optimizer, T_max=10, eta_min=1e-10)"


class Case:
    def __init__(self, test, name, groups, expr, steps, metrics=None, epochs=None, resume_at=None, state_edit=None):
        self.test, self.name, self.groups, self.expr = test, name, groups, expr
        self.steps, self.metrics, self.epochs, self.resume_at, self.state_edit = steps, metrics, epochs, resume_at, state_edit


def cases(ns):
    c = []

    def add(test, groups, expr, steps, suffix="", **kw):
        c.append(Case(test, "p2t_" + test[len("test_"):] + suffix, groups, expr, steps, **kw))

    # --- one scheduler, stepped ---
    add("test_step_lr", T_SGD, "StepLR(optimizer, gamma=0.1, step_size=3)", 10)
    add("test_get_last_lr_step_lr", T_SGD_ONE, "StepLR(optimizer, 3, gamma=0.1)", 10)
    add("test_get_last_lr_multi_step_lr", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10)
    add("test_multi_step_lr", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10)
    add("test_multi_step_lr_with_epoch", T_SGD, "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", 10, epochs=list(range(10)))
    add("test_get_last_lr_constantlr", T_SGD, "ConstantLR(optimizer, factor=1.0 / 2, total_iters=5)", 10)
    add("test_get_last_lr_linearlr", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 4, end_factor=3.0 / 5, total_iters=4)", 10)
    add("test_constantlr", T_SGD, "ConstantLR(optimizer, factor=1.0 / 2, total_iters=5)", 10)
    add("test_linearlr", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 2, total_iters=4)", 10)
    add("test_linearlr_start_factor_limits1", T_SGD, "LinearLR(optimizer, start_factor=0.0, total_iters=4)", 4)
    add("test_linearlr_start_factor_limits2", T_SGD, "LinearLR(optimizer, start_factor=1.1, total_iters=4)", 4)
    add("test_constantlr_with_epoch", T_SGD, "ConstantLR(optimizer, factor=1.0 / 2, total_iters=5)", 10, epochs=list(range(10)))
    add("test_linearlr_with_epoch", T_SGD, "LinearLR(optimizer, start_factor=1.0 / 2, total_iters=4)", 10, epochs=list(range(10)))
    add("test_exp_lr", T_SGD, "ExponentialLR(optimizer, gamma=0.9)", 10)
    add("test_poly_lr", T_SGD, "PolynomialLR(optimizer, power=0.9, total_iters=5)", 10)
    add("test_cos_anneal_lr", T_SGD, T_COSINE, 10)
    add("test_lambda_lr", T_SGD_LAMBDA, "LambdaLR(optimizer, lr_lambda=[lambda x1: 0.9 ** x1, lambda x2: 0.8 ** x2])", 10)
    add("test_multiplicative_lr", T_SGD_LAMBDA, "MultiplicativeLR(optimizer, lr_lambda=[lambda x1: 0.9, lambda x2: 0.8])", 10)
    add("test_multiplicative_lr_with_lr_lambda", T_SGD, "MultiplicativeLR(optimizer, 0.95)", 3)
    add("test_multiplicative_lr_with_lr_lambda", T_SGD, "MultiplicativeLR(optimizer, [0.95, 0.95])", 3, "_list")
    add("test_raise_error_when_last_epoch_is_greater_than_0_and_initial_lr_is_not_specified",
        ("SGD", [{"lr": 0.1, "momentum": 0.0}]), "StepLR(optimizer, step_size=3, gamma=0.1, last_epoch=1)", 3)
    # the warning tests step StepLR 35 times (the warnings themselves have no lr4j counterpart); the resuming ones
    # build it with last_epoch=10 on groups whose initial_lr was set to 0.01
    add("test_new_pattern_no_warning", T_SGD, "StepLR(optimizer, gamma=0.1, step_size=3)", 35)
    add("test_old_pattern_warning_resuming", ("SGD", [{"lr": 0.05, "initial_lr": 0.01, "momentum": 0.0},
                                                      {"lr": 0.5, "initial_lr": 0.01, "momentum": 0.0}]),
        "StepLR(optimizer, gamma=0.1, step_size=3, last_epoch=10)", 35)
    for name, expr in [("step_lr", "StepLR(optimizer, 2)"), ("exponential_lr", "ExponentialLR(optimizer, gamma=0.9)"),
                       ("constantlr", "ConstantLR(optimizer)"), ("linear_linearlr", "LinearLR(optimizer)"),
                       ("polynomial_lr", "PolynomialLR(optimizer, power=0.9)")]:
        add("test_%s_is_constant_for_constant_epoch" % name, T_SGD, expr, 10, epochs=[2] * 10)
    for name, expr in [("step_lr", "StepLR(optimizer, gamma=0.1, step_size=3)"),
                       ("linearlr", "LinearLR(optimizer, start_factor=1.0 / 3, end_factor=0.7, total_iters=4)"),
                       ("constantlr", "ConstantLR(optimizer, factor=1.0 / 3, total_iters=4)"),
                       ("multi_step_lr", "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])"),
                       ("exp_lr", "ExponentialLR(optimizer, gamma=0.9)"),
                       ("poly_lr", "PolynomialLR(optimizer, power=0.9)"),
                       ("cos_anneal_lr", "CosineAnnealingLR(optimizer, T_max=5, eta_min=1e-10)")]:
        add("test_closed_form_" + name, T_SGD, expr, 20, "_stepped")
        add("test_closed_form_" + name, T_SGD, expr, 20, "_epochs", epochs=list(range(20)))
    # test_cos_anneal_lr_continue: a second CosineAnnealingLR(last_epoch=0) on the groups the first left after a step
    groups = groups_after(ns, T_SGD, "CosineAnnealingLR(optimizer, T_max=5, eta_min=0.1)", 1)
    add("test_cos_anneal_lr_continue", ("SGD", groups), "CosineAnnealingLR(optimizer, T_max=5, eta_min=0.1, last_epoch=0)", 8)

    # --- ReduceLROnPlateau ---
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
        add("test_reduce_lr_on_plateau%d" % k, T_SGD_HALF, "ReduceLROnPlateau(optimizer, %s)" % args, epochs,
            metrics=[float(m) for m in metrics[:epochs]])
    add("test_reduce_lr_on_plateau_get_last_lr_before_step", T_SGD_HALF, "ReduceLROnPlateau(optimizer)", 0, metrics=[])

    # --- SequentialLR ---
    add("test_sequentiallr1", T_SGD, "SequentialLR(optimizer, schedulers=[ExponentialLR(optimizer, gamma=0.8), StepLR(optimizer, gamma=0.1, step_size=4)], milestones=[3])", 19)
    add("test_sequentiallr2", T_SGD, "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=3), ExponentialLR(optimizer, gamma=0.9)], milestones=[3])", 13)
    add("test_sequentiallr3", T_SGD, "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=3), ExponentialLR(optimizer, gamma=0.8), StepLR(optimizer, gamma=0.1, step_size=2)], milestones=[3, 6])", 12)
    add("test_sequentiallr4", T_SGD_ONE, "SequentialLR(optimizer, [ConstantLR(optimizer, factor=1), ConstantLR(optimizer, factor=0.1)], milestones=[10])", 15)
    add("test_sequentiallr5", T_SGD, "SequentialLR(optimizer, schedulers=[ChainedScheduler([LinearLR(optimizer=optimizer, start_factor=0.1, total_iters=5), ConstantLR(optimizer=optimizer, factor=0.1, total_iters=5)]), ConstantLR(optimizer=optimizer, factor=0.5, total_iters=5)], milestones=[5])", 10)
    add("test_sequentiallr_no_warnings", T_SGD, "SequentialLR(optimizer, schedulers=[LinearLR(optimizer, start_factor=0.5, end_factor=0.1, total_iters=5), ExponentialLR(optimizer, gamma=0.9)], milestones=[5])", 10)
    add("test_get_last_lr_sequentiallr", T_SGD, "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer, factor=0.1, total_iters=3), ExponentialLR(optimizer, gamma=0.8), StepLR(optimizer, gamma=0.1, step_size=2)], milestones=[3, 6])", 12)
    add("test_sequentiallr_does_not_alias_lr_and_initial_lr", ("SGD", [{"lr": 2.0, "momentum": 0.0}]),
        "SequentialLR(optimizer, [LinearLR(optimizer, 0.1, 0.8, total_iters=4), LinearLR(optimizer, 0.8, 0.1, total_iters=4)], milestones=[4])", 8)

    # --- ChainedScheduler, and several schedulers stepped on one optimizer ---
    add("test_chained_lr2_get_last_lr_before_step", T_SGD, "ChainedScheduler([LinearLR(optimizer, start_factor=0.4, total_iters=3), MultiStepLR(optimizer, milestones=[4, 8, 10], gamma=0.1)])", 0)
    add("test_chained_lr1", T_SGD, "ChainedScheduler([StepLR(optimizer, gamma=0.1, step_size=3)])", 10)
    add("test_chained_lr2", T_SGD, "ChainedScheduler([LinearLR(optimizer, start_factor=0.4, total_iters=3)])", 10)
    add("test_chained_lr3", T_SGD, "ChainedScheduler([LinearLR(optimizer, start_factor=0.4, total_iters=3), MultiStepLR(optimizer, milestones=[4, 8, 10], gamma=0.1)])", 10)
    add("test_chained_lr4", T_SGD, "ChainedScheduler([ExponentialLR(optimizer, gamma=0.9), ConstantLR(optimizer, factor=0.2, total_iters=4), StepLR(optimizer, gamma=0.1, step_size=3)])", 9)
    add("test_chained_lr5", T_SGD, "ChainedScheduler([PolynomialLR(optimizer, power=0.9, total_iters=5), ConstantLR(optimizer, factor=0.1)])", 10)
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
        add("test_compound_" + name, T_SGD, "ChainedScheduler([%s])" % members, 10)

    # --- CyclicLR ---
    cyc = "CyclicLR(optimizer, base_lr=%s, max_lr=%s, step_size_up=%s, %scycle_momentum=%s, %smode='%s'%s)"
    add("test_cycle_lr_invalid_mode", T_SGD, "CyclicLR(optimizer, base_lr=0, max_lr=0, mode='CATS')", 1)
    add("test_cycle_lr_triangular_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "triangular", ""), 11)
    add("test_cycle_lr_triangular_mode_one_lr_no_momentum", T_SGD, cyc % (1, 5, 4, "", False, "", "triangular", ""), 11)
    add("test_cycle_lr_triangular2_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "triangular2", ""), 22)
    add("test_cycle_lr_exp_range_mode_one_lr", T_SGD, cyc % (1, 5, 4, "", True, "base_momentum=1, max_momentum=5, ", "exp_range", ", gamma=0.9"), 13)
    add("test_cycle_lr_triangular_mode", T_SGD, cyc % ("[1, 2]", "[5, 6]", 4, "", True, "base_momentum=[1, 2], max_momentum=[5, 6], ", "triangular", ""), 11)
    add("test_cycle_lr_triangular2_mode", T_SGD, cyc % ("[1, 3]", "[5, 7]", 4, "", True, "base_momentum=[1, 3], max_momentum=[5, 7], ", "triangular2", ""), 22)
    add("test_cycle_lr_exp_range_mode", T_SGD, cyc % ("[1, 5]", "[5, 12]", 4, "", True, "base_momentum=[1, 5], max_momentum=[5, 12], ", "exp_range", ", gamma=0.9"), 13)
    add("test_cycle_lr_triangular_mode_step_size_up_down", T_SGD, cyc % (1, 5, 4, "step_size_down=6, ", True, "base_momentum=1, max_momentum=5, ", "triangular", ""), 11)
    add("test_cycle_lr_triangular2_mode_step_size_up_down", T_SGD, cyc % ("[1, 3]", "[5, 7]", 2, "step_size_down=6, ", True, "base_momentum=[1, 3], max_momentum=[5, 7], ", "triangular2", ""), 24)
    add("test_cycle_lr_exp_range_mode_step_size_up_down", T_SGD, cyc % (1, 5, 2, "step_size_down=6, ", True, "base_momentum=1, max_momentum=5, ", "exp_range", ", gamma=0.9"), 13)
    add("test_cycle_lr_with_momentumless_optimizer", T_ADAM, cyc % (1, 5, 4, "", False, "", "triangular", ""), 11)
    add("test_cycle_lr_cycle_momentum_fail_with_momentumless_optimizer", T_RPROP, "CyclicLR(optimizer, base_lr=1, max_lr=5, cycle_momentum=True)", 1)
    add("test_cycle_lr_cycle_momentum_with_beta1_optimizer", T_ADAM_DEFAULT, "CyclicLR(optimizer, base_lr=1, max_lr=5, cycle_momentum=True)", 10)
    # test_cycle_lr_scale_fn_restored_from_state_dict, case 1: a triangular2 state saved and loaded (lr4j: into a
    # scheduler built with the saved arguments, see the README); step_size_up=2 (the test's 2000 would take 8000 steps
    # to reach triangular2's second cycle)
    add("test_cycle_lr_scale_fn_restored_from_state_dict", T_ADAM_DEFAULT,
        "CyclicLR(optimizer, base_lr=1, max_lr=5, step_size_up=2, cycle_momentum=False, mode='triangular2')", 14, resume_at=5)

    # --- OneCycleLR (the tests check steps 0-9 of total_steps=10) ---
    add("test_onecycle_lr_invalid_anneal_strategy", T_SGD, "OneCycleLR(optimizer, max_lr=1e-3, total_steps=10, anneal_strategy='CATS')", 1)
    add("test_onecycle_lr_invalid_pct_start", T_SGD, "OneCycleLR(optimizer, max_lr=1e-3, total_steps=10, pct_start=1.1)", 1)
    add("test_onecycle_lr_cannot_calculate_total_steps", T_SGD, "OneCycleLR(optimizer, max_lr=1e-3)", 1)
    add("test_onecycle_lr_linear_annealing", T_SGD, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear')", 9)
    add("test_onecycle_lr_linear_annealing_three_phases", T_SGD, "OneCycleLR(optimizer, max_lr=25, div_factor=25, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear', pct_start=0.4, final_div_factor=4, three_phase=True)", 9)
    add("test_onecycle_lr_cosine_annealing", T_SGD, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10)", 9)
    add("test_cycle_lr_with_adam", T_ADAM, "OneCycleLR(optimizer, max_lr=25, final_div_factor=2, base_momentum=1, max_momentum=22, total_steps=10, anneal_strategy='linear')", 9)

    # --- CosineAnnealingWarmRestarts ---
    for t_mult in (1, 2, 4):
        add("test_CosineAnnealingWarmRestarts_lr1", T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, 100, "_T_mult_%d" % t_mult)
    fractional = g13.cawr_fractional_epochs()
    for t_mult in (1, 2, 4):
        add("test_CosineAnnealingWarmRestarts_lr2", T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, len(fractional),
            "_T_mult_%d" % t_mult, epochs=fractional)
    for t_mult, epochs in g13.CAWR_INTERLEAVED:
        add("test_CosineAnnealingWarmRestarts_lr3", T_SGD,
            "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=%d, eta_min=1e-10)" % t_mult, len(epochs),
            "_T_mult_%d" % t_mult, epochs=epochs)
    for t_cur in (7, 8, 9):  # sch.T_cur = epoch; sch.step(): T_cur = (epoch + 1) % T_0
        add("test_CosineAnnealingWarmRestarts_T_cur_reset", T_SGD, "CosineAnnealingWarmRestarts(optimizer, T_0=4)", 6,
            "_%d" % t_cur, resume_at=0, state_edit={"T_cur": t_cur})

    # --- state_dict tests: saved after 10 steps, loaded into a scheduler built with the same arguments ---
    for test, expr, metrics in [
            ("test_step_lr_state_dict", "StepLR(optimizer, gamma=0.1, step_size=3)", None),
            ("test_multi_step_lr_state_dict", "MultiStepLR(optimizer, gamma=0.1, milestones=[2, 5, 9])", None),
            ("test_exp_step_lr_state_dict", "ExponentialLR(optimizer, gamma=0.1)", None),
            ("test_cosine_lr_state_dict", "CosineAnnealingLR(optimizer, T_max=10, eta_min=1e-10)", None),
            ("test_CosineAnnealingWarmRestarts_lr_state_dict", "CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2)", None),
            ("test_lambda_lr_state_dict_fn", "LambdaLR(optimizer, lr_lambda=lambda x: x)", None),
            ("test_reduce_lr_on_plateau_state_dict", "ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=2)",
             [1.0, 2.0, 3.0, 4.0, 3.0, 4.0, 5.0, 3.0, 2.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0])]:
        add(test, T_SGD, expr, 15, resume_at=10, metrics=metrics)

    # --- test_lr_scheduler_state_dict_load: every type's state right after construction, saved and loaded ---
    for label, expr, metrics in [
            ("LambdaLR", "LambdaLR(optimizer, lr_lambda=lambda e: e // 10)", None),
            ("MultiplicativeLR", "MultiplicativeLR(optimizer, lr_lambda=lambda: 0.95)", None),
            ("StepLR", "StepLR(optimizer, step_size=30)", None),
            ("MultiStepLR", "MultiStepLR(optimizer, milestones=[30, 80])", None),
            ("ConstantLR", "ConstantLR(optimizer)", None),
            ("LinearLR", "LinearLR(optimizer)", None),
            ("ExponentialLR", "ExponentialLR(optimizer, gamma=0.9)", None),
            ("PolynomialLR", "PolynomialLR(optimizer)", None),
            ("CosineAnnealingLR", "CosineAnnealingLR(optimizer, T_max=10)", None),
            ("ChainedScheduler", "ChainedScheduler(schedulers=[ConstantLR(optimizer), ConstantLR(optimizer)])", None),
            ("SequentialLR", "SequentialLR(optimizer, schedulers=[ConstantLR(optimizer), ConstantLR(optimizer)], milestones=[2])", None),
            ("ReduceLROnPlateau", "ReduceLROnPlateau(optimizer)", [1.0] * 14),
            ("CyclicLR", "CyclicLR(optimizer, base_lr=0.01, max_lr=0.1)", None),
            ("OneCycleLR", "OneCycleLR(optimizer, max_lr=0.01, total_steps=10, anneal_strategy='linear')", None),
            ("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts(optimizer, T_0=20)", None)]:
        add("test_lr_scheduler_state_dict_load", T_SGD, expr, 9 if label == "OneCycleLR" else 14, "_" + label,
            resume_at=0, metrics=metrics)

    # --- test_constant_initial_lr and the cycle/onecycle variants: step(0), step(1) on lr 0.1 (floats here) ---
    for label, expr in [
            ("LambdaLR", "LambdaLR(optimizer, lr_lambda=lambda e: e // 10)"),
            ("MultiplicativeLR", "MultiplicativeLR(optimizer, lr_lambda=lambda: 0.95)"),
            ("StepLR", "StepLR(optimizer, step_size=30)"),
            ("MultiStepLR", "MultiStepLR(optimizer, milestones=[30, 80])"),
            ("ConstantLR", "ConstantLR(optimizer)"),
            ("LinearLR", "LinearLR(optimizer)"),
            ("ExponentialLR", "ExponentialLR(optimizer, gamma=0.9)"),
            ("PolynomialLR", "PolynomialLR(optimizer)"),
            ("CosineAnnealingLR", "CosineAnnealingLR(optimizer, T_max=10)"),
            ("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts(optimizer, T_0=20)")]:
        add("test_constant_initial_lr", ("SGD", [{"lr": 0.1}]), expr, 2, "_" + label, epochs=[0, 1])
    add("test_constant_initial_params_cyclelr", ("SGD", [{"lr": 0.1}]),
        "CyclicLR(optimizer, base_lr=0.1, max_lr=0.2, base_momentum=0.8, max_momentum=0.9)", 2, epochs=[0, 1])
    add("test_constant_initial_params_onecyclelr", ("SGD", [{"lr": 0.1}]),
        "OneCycleLR(optimizer, max_lr=0.1, total_steps=10, base_momentum=0.85, max_momentum=0.95)", 2, epochs=[0, 1])

    # --- test_lr_scheduler_checkpoint: AdamW, one step, the optimizer's state loaded into a new one, then the
    #     scheduler built again with last_epoch=0 on the loaded groups (they hold initial_lr, and for CyclicLR and
    #     OneCycleLR their max_lr/min_lr/momentum keys) ---
    for label, expr, steps in [
            ("ExponentialLR", "ExponentialLR(optimizer, gamma=0.999%s)", 10),
            ("LambdaLR", "LambdaLR(optimizer, lr_lambda=lambda epoch: epoch // 30%s)", 40),
            ("MultiplicativeLR", "MultiplicativeLR(optimizer, lr_lambda=lambda epoch: 0.95%s)", 10),
            ("StepLR", "StepLR(optimizer, step_size=30%s)", 40),
            ("MultiStepLR", "MultiStepLR(optimizer, milestones=[30, 80]%s)", 90),
            ("ConstantLR", "ConstantLR(optimizer%s)", 8),
            ("LinearLR", "LinearLR(optimizer%s)", 8),
            ("PolynomialLR", "PolynomialLR(optimizer%s)", 8),
            ("CosineAnnealingLR", "CosineAnnealingLR(optimizer, T_max=10%s)", 25),
            ("CosineAnnealingWarmRestarts", "CosineAnnealingWarmRestarts(optimizer, T_0=20%s)", 45),
            ("CyclicLR", "CyclicLR(optimizer, base_lr=0.01, max_lr=0.1%s)", 30),
            ("OneCycleLR", "OneCycleLR(optimizer, max_lr=0.01, total_steps=10%s)", 9)]:
        groups = groups_after(ns, ("AdamW", [{"lr": 0.001}]), expr % "", 1)
        add("test_lr_scheduler_checkpoint", ("AdamW", groups), expr % ", last_epoch=0", steps, "_" + label)
    groups = groups_after(ns, ("AdamW", [{"lr": 0.001}]), "ReduceLROnPlateau(optimizer, mode='min')", 1, metrics=[1.0])
    add("test_lr_scheduler_checkpoint_on_plateau", ("AdamW", groups), "ReduceLROnPlateau(optimizer, mode='min')", 14,
        metrics=[1.0] * 14)
    return c


def groups_after(ns, opt_groups, expression, steps, metrics=None):
    """The optimizer's param groups (hyper-parameters, as its state_dict() keeps them) after STEPS steps."""
    optimizer_name, groups = opt_groups
    optimizer, scheduler = g2.build(ns, optimizer_name, groups, expression)
    for i in range(steps):
        optimizer.step()
        scheduler.step(metrics[i]) if metrics is not None else scheduler.step()
    out = []
    for g in optimizer.state_dict()["param_groups"]:
        g = {k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items()
             if k in ("lr", "initial_lr", "momentum", "betas", "max_lr", "min_lr", "max_momentum", "base_momentum")}
        out.append(g)
    return out


def run_edited(ns, case):
    """A case whose saved state the test edited by hand (state_edit) before it was loaded into a new scheduler."""
    optimizer_name, groups = case.groups
    out = {"name": case.name, "torch_version": torch.__version__, "lr_scheduler_source": g2.SOURCE,
           "optimizer": optimizer_name, "param_groups": groups, "scheduler": case.expr, "steps": case.steps,
           "metrics": None, "epochs": None, "resume_at": case.resume_at, "state_edit": case.state_edit}
    optimizer, scheduler = g2.build(ns, optimizer_name, groups, case.expr)
    trace = [g13.snapshot(optimizer)]
    for i in range(case.steps):
        if i == case.resume_at:
            for k, v in case.state_edit.items():
                setattr(scheduler, k, v)
            sd_s = copy.deepcopy(scheduler.state_dict())
            sd_o = copy.deepcopy(optimizer.state_dict())
            out["resume_state"] = g2.state_to_json(scheduler.state_dict())
            out["resume_groups"] = g2.group_values(optimizer)
            optimizer, scheduler = g2.build(ns, optimizer_name, groups, case.expr)
            optimizer.load_state_dict(sd_o)
            scheduler.load_state_dict(sd_s)
        optimizer.step()
        scheduler.step()
        trace.append(g13.snapshot(optimizer))
    out["trace"] = trace
    out["state_dict"] = g13.state_dict(scheduler)
    return out


def run_case(ns, case):
    if case.state_edit:
        out = run_edited(ns, case)
    else:
        opt, groups = case.groups
        out = g2.run(ns, case.name, opt, groups, case.expr, case.steps, case.metrics, case.epochs, case.resume_at)
    out["pytorch_test"] = case.test
    out["pytorch_test_source"] = TEST_SOURCE
    return out


# The tests of the file that are not ported, and why (TESTS.md lists them under the ported ones).
NOT_PORTED = [
    ("test_error_when_getlr_has_epoch", "a Python subclass whose get_lr takes an argument (lr4j's own schedules are Java classes)"),
    ("test_no_cyclic_references, test_no_cyclic_references_in_step, test_cycle_lr_removed_after_out_of_scope",
     "garbage collection of Python reference cycles"),
    ("test_old_pattern_warning, test_old_pattern_warning_with_arg, test_old_pattern_warning_resuming_with_arg, "
     "test_old_pattern_warning_with_overridden_optim_step, test_new_pattern_no_warning_with_arg, "
     "test_new_pattern_no_warning_with_overridden_optim_step",
     "warnings about the order of optimizer.step() and scheduler.step() (lr4j does not wrap an optimizer); their "
     "numbers are those of test_new_pattern_no_warning and test_old_pattern_warning_resuming, which are ported"),
    ("test_reduce_lr_on_plateau_preserves_lr_type, test_constant_initial_lr's aliasing, "
     "test_sequentiallr_does_not_alias_lr_and_initial_lr's aliasing", "Tensor lrs (their numbers are ported with float lrs)"),
    ("test_compound_reduce_lr_on_plateau1-5, test_cosine_then_cyclic",
     "two schedulers stepped by hand on one optimizer, one of them ReduceLROnPlateau or switched by an if: no single "
     "schedule expresses it (PyTorch's ChainedScheduler and SequentialLR refuse ReduceLROnPlateau, and so do lr4j's)"),
    ("test_cycle_lr_state_dict_picklable, test_lr_scheduler_state_dict_load[weights_only=True/False] (torch.save/load), "
     "test_lambda_lr_state_dict_obj, test_onecycle_lr_legacy_state_dict, test_cycle_lr_scale_fn_restored_from_state_dict "
     "(case 2)", "pickling, or Python callables kept in a state (lr4j's states are JSON; the state round trip of every "
     "type is ported as test_lr_scheduler_state_dict_load_*)"),
    ("test_swalr_no_anneal, test_swalr_cosine_anneal_after_multiplicative, test_swalr_linear_anneal_after_multiplicative, "
     "test_swalr_hypers, test_swa_lr_state_dict, test_constant_initial_params_swalr, the SWALR parameter of "
     "test_lr_scheduler_state_dict_load and test_lr_scheduler_checkpoint",
     "SWALR lives in torch/optim/swa_utils.py, not in the pinned lr_scheduler.py (1.13's SWALR: golden/swa)"),
    ("test_add_param_group_does_not_break_reduce_lr_on_plateau[scalar/list], test_add_param_group_errors_reduce_lr_on_plateau",
     "optimizer.add_param_group during a run: lr4j's groups are fixed in number (README, deliberate differences)"),
]


def write_index(out, all_cases):
    """OUT/TESTS.md: every ported test with its cases, then the tests not ported and why."""
    by_test = {}
    for case in all_cases:
        by_test.setdefault(case.test, []).append(case.name)
    lines = ["# PyTorch 2.x's scheduler tests, ported", "",
             "Written by tools/golden/generate_pytorch2_tests.py (do not edit): %d cases from %d test functions of %s, "
             "run with %s." % (len(all_cases), len(by_test), TEST_SOURCE, g2.SOURCE), "",
             "| PyTorch test | cases |", "|---|---|"]
    for test in sorted(by_test):
        lines.append("| `%s` | %s |" % (test, ", ".join("`%s`" % n for n in by_test[test])))
    lines += ["", "Not ported:", "", "| PyTorch tests | why |", "|---|---|"]
    lines += ["| %s | %s |" % (tests, why) for tests, why in NOT_PORTED]
    with open(os.path.join(out, "TESTS.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="folder holding the scratch copy lr_scheduler.py")
    ap.add_argument("--out", help="folder to write the cases into")
    ap.add_argument("--check", help="folder of cases to compare with a fresh run")
    args = ap.parse_args()
    ns = g2.load(args.src)
    all_cases = cases(ns)
    names = [c.name for c in all_cases]
    assert len(names) == len(set(names)), "duplicate case names"
    if args.check:
        bad = 0
        for case in all_cases:
            path = os.path.join(args.check, case.name + ".json")
            got = json.loads(json.dumps(run_case(ns, case)))
            same = os.path.exists(path) and json.load(open(path)) == got
            bad += not same
            print(("same " if same else "DIFF ") + case.name)
        sys.exit(1 if bad else 0)
    if not args.out:
        ap.error("give --out or --check")
    os.makedirs(args.out, exist_ok=True)
    for case in all_cases:
        g13.write_case(args.out, case.name, run_case(ns, case))
    write_index(args.out, all_cases)
    print("%d cases from %d tests" % (len(all_cases), len({c.test for c in all_cases})))


if __name__ == "__main__":
    main()
