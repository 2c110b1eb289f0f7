#!/usr/bin/env python3
"""Generates golden traces of Hugging Face transformers' and timm's schedules, run with the libraries' own code.

The format is shared/golden/FORMAT.md plus the fields of shared/golden/peers/README.md. Needs Debian's
PyTorch 1.13 (run with /usr/bin/python3) and scratch copies of the libraries' schedule code, kept OUTSIDE
this repository (none of it is part of lr4j), in one folder SRC laid out as:

    SRC/transformers/optimization.py   huggingface/transformers src/transformers/optimization.py at
                                       005edacb6b5dabbf0843e92c6623de9e07ca6241: the schedule factories,
                                       TYPE_TO_SCHEDULER_FUNCTION and get_scheduler, code verbatim
                                       (docstrings, transformers-internal imports and the layer-wise
                                       optimizer branch of get_scheduler left out)
    SRC/timm_scheduler/*.py            huggingface/pytorch-image-models timm/scheduler/{scheduler,cosine_lr,
                                       step_lr,multistep_lr,poly_lr,tanh_lr,plateau_lr}.py at
                                       aa4b5850c1543fa488abf260f18390eda46cf85d, unchanged except the one
                                       absolute import in multistep_lr.py made relative

    /usr/bin/python3 tools/golden/generate_peers.py --src /tmp/peers-src --check ../shared/golden/peers
    /usr/bin/python3 tools/golden/generate_peers.py --src /tmp/peers-src --check lr4j-core/src/test/resources/golden/peers-extra
    /usr/bin/python3 tools/golden/generate_peers.py --src /tmp/peers-src --out lr4j-core/src/test/resources/golden/peers-extra

--check re-runs every case of a folder (and of its non-portable/ subfolder) from the case's own fields and
compares trace and state_dict exactly (the same JSON numbers). CI never runs this script.

Besides the README's step_call values, the extra cases use "step(metric)": a transformers
ReduceLROnPlateau (get_scheduler("reduce_lr_on_plateau", ...)) stepped as scheduler.step(metrics[i]).
"""
import argparse
import collections
import copy
import enum
import importlib.util
import json
import math
import os
import sys
import types
import warnings

import torch

warnings.filterwarnings("ignore")

HF_COMMIT = "005edacb6b5dabbf0843e92c6623de9e07ca6241"
TIMM_COMMIT = "aa4b5850c1543fa488abf260f18390eda46cf85d"
TIMM_FILES = ["scheduler", "cosine_lr", "step_lr", "multistep_lr", "poly_lr", "tanh_lr", "plateau_lr"]


class SchedulerType(str, enum.Enum):
    """transformers.trainer_utils.SchedulerType, the names get_scheduler takes."""
    LINEAR = "linear"
    COSINE = "cosine"
    COSINE_WITH_RESTARTS = "cosine_with_restarts"
    POLYNOMIAL = "polynomial"
    CONSTANT = "constant"
    CONSTANT_WITH_WARMUP = "constant_with_warmup"
    INVERSE_SQRT = "inverse_sqrt"
    REDUCE_ON_PLATEAU = "reduce_lr_on_plateau"
    COSINE_WITH_MIN_LR = "cosine_with_min_lr"
    COSINE_WARMUP_WITH_MIN_LR = "cosine_warmup_with_min_lr"
    WARMUP_STABLE_DECAY = "warmup_stable_decay"


class LayerWiseDummyOptimizer:
    """Stands in for transformers' layer-wise optimizer, which no case uses."""


def load_libraries(src):
    path = os.path.join(src, "transformers", "optimization.py")
    hf_ns = {"__name__": "hf_optimization", "SchedulerType": SchedulerType,
             "LayerWiseDummyOptimizer": LayerWiseDummyOptimizer}
    with open(path) as fh:
        exec(compile(fh.read(), path, "exec"), hf_ns)
    hf = types.SimpleNamespace(**{k: v for k, v in hf_ns.items() if not k.startswith("__")})

    folder = os.path.join(src, "timm_scheduler")
    package = importlib.util.spec_from_file_location(
        "timm_scheduler", os.path.join(folder, "scheduler.py"), submodule_search_locations=[folder])
    sys.modules["timm_scheduler"] = importlib.util.module_from_spec(package)
    timm = types.SimpleNamespace()
    for name in TIMM_FILES:
        spec = importlib.util.spec_from_file_location("timm_scheduler." + name, os.path.join(folder, name + ".py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules["timm_scheduler." + name] = module
        spec.loader.exec_module(module)
        for k, v in vars(module).items():
            if isinstance(v, type) and k.endswith("Scheduler"):
                setattr(timm, k, v)
    return hf, timm


SGD2 = ("SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.01, "momentum": 0.8}])
SGD3 = ("SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.0}, {"lr": 0.02, "momentum": 0.5}])
ADAM2 = ("Adam", [{"lr": 0.001, "betas": [0.9, 0.999]}, {"lr": 0.0005, "betas": [0.85, 0.99]}])
SCALED = ("SGD", [{"lr": 0.1, "momentum": 0.9}, {"lr": 0.1, "momentum": 0.9, "lr_scale": 0.25},
                  {"lr": 0.05, "momentum": 0.5, "lr_scale": 1.5}])

PLATEAU_MIN = [1.0, 0.9, 0.85, 0.85, 0.86, 0.84, 0.84, 0.85, 0.85, 0.83, 0.83, 0.84, 0.84, 0.84, 0.84, 0.82,
               0.83, 0.83, 0.83, 0.83, 0.8299, 0.8298, 0.83, 0.83, 0.83]
PLATEAU_MAX = [0.5, 0.6, 0.65, 0.65, 0.651, 0.64, 0.66, 0.66, 0.6605, 0.66, 0.659, 0.7, 0.7, 0.7, 0.69, 0.7,
               0.7, 0.71, 0.71, 0.71, 0.70, 0.70, 0.72, 0.72, 0.72]
PLATEAU_GAPS = [1.0, None, 0.9, 0.9, None, 0.95, 0.9, 0.91, None, 0.92, 0.93, 0.94, None, 0.9, 0.95, 0.96]

WSD_TYPES = ["linear", "cosine", "1-sqrt"]

# name, (optimizer, groups), expression, step_call, steps, metrics, resume_at
CASES = [
    # transformers: every SchedulerType through get_scheduler, as the Trainer builds them
    ("hf_get_scheduler_linear", SGD2, "hf.get_scheduler('linear', optimizer, num_warmup_steps=4, num_training_steps=20)", "step()", 30, None, None),
    ("hf_get_scheduler_cosine", SGD3, "hf.get_scheduler('cosine', optimizer, num_warmup_steps=3, num_training_steps=25)", "step()", 35, None, None),
    ("hf_get_scheduler_cosine_with_restarts", SGD2, "hf.get_scheduler('cosine_with_restarts', optimizer, num_warmup_steps=2, num_training_steps=22, scheduler_specific_kwargs={'num_cycles': 4})", "step()", 32, None, None),
    ("hf_get_scheduler_polynomial", SGD3, "hf.get_scheduler('polynomial', optimizer, num_warmup_steps=3, num_training_steps=18, scheduler_specific_kwargs={'lr_end': 0.001, 'power': 3.0})", "step()", 28, None, None),
    ("hf_get_scheduler_constant", SGD2, "hf.get_scheduler('constant', optimizer)", "step()", 12, None, None),
    ("hf_get_scheduler_constant_with_warmup", SGD2, "hf.get_scheduler('constant_with_warmup', optimizer, num_warmup_steps=7)", "step()", 15, None, None),
    ("hf_get_scheduler_inverse_sqrt", SGD2, "hf.get_scheduler('inverse_sqrt', optimizer, num_warmup_steps=6)", "step()", 30, None, None),
    ("hf_get_scheduler_reduce_lr_on_plateau", SGD2, "hf.get_scheduler('reduce_lr_on_plateau', optimizer, scheduler_specific_kwargs={'patience': 2, 'factor': 0.5})", "step(metric)", 25, PLATEAU_MIN, None),
    ("hf_get_scheduler_cosine_with_min_lr", SGD3, "hf.get_scheduler('cosine_with_min_lr', optimizer, num_warmup_steps=5, num_training_steps=30, scheduler_specific_kwargs={'min_lr_rate': 0.05})", "step()", 40, None, None),
    ("hf_get_scheduler_cosine_warmup_with_min_lr", SGD3, "hf.get_scheduler('cosine_warmup_with_min_lr', optimizer, num_warmup_steps=4, num_training_steps=24, scheduler_specific_kwargs={'min_lr': 0.002})", "step()", 34, None, None),
    ("hf_get_scheduler_warmup_stable_decay", SGD2, "hf.get_scheduler('warmup_stable_decay', optimizer, num_warmup_steps=3, num_training_steps=25, scheduler_specific_kwargs={'num_decay_steps': 8, 'min_lr_ratio': 0.05})", "step()", 35, None, None),
    # transformers: the factories with the arguments the 29 shared cases leave at their defaults
    ("hf_constant", SGD3, "hf.get_constant_schedule(optimizer)", "step()", 10, None, None),
    ("hf_linear_no_warmup", SGD2, "hf.get_linear_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps=15)", "step()", 25, None, None),
    ("hf_linear_warmup_equals_training", SGD2, "hf.get_linear_schedule_with_warmup(optimizer, num_warmup_steps=6, num_training_steps=6)", "step()", 12, None, None),
    ("hf_linear_adam_resume", ADAM2, "hf.get_linear_schedule_with_warmup(optimizer, num_warmup_steps=5, num_training_steps=30)", "step()", 40, None, 7),
    ("hf_cosine_cycles_warmup_resume", SGD3, "hf.get_cosine_schedule_with_warmup(optimizer, num_warmup_steps=4, num_training_steps=24, num_cycles=2.0)", "step()", 34, None, 13),
    ("hf_cosine_hard_restarts_default_cycles", SGD2, "hf.get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, num_warmup_steps=3, num_training_steps=20)", "step()", 30, None, None),
    ("hf_cosine_hard_restarts_fractional", SGD2, "hf.get_cosine_with_hard_restarts_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps=17, num_cycles=3)", "step()", 25, None, None),
    ("hf_polynomial_sqrt_3groups", SGD3, "hf.get_polynomial_decay_schedule_with_warmup(optimizer, num_warmup_steps=4, num_training_steps=20, lr_end=0.0005, power=0.5)", "step()", 30, None, None),
    ("hf_polynomial_adam_resume", ADAM2, "hf.get_polynomial_decay_schedule_with_warmup(optimizer, num_warmup_steps=2, num_training_steps=12, lr_end=1e-05, power=2.0)", "step()", 20, None, 6),
    ("hf_inverse_sqrt_timescale", SGD2, "hf.get_inverse_sqrt_schedule(optimizer, num_warmup_steps=5, timescale=20)", "step()", 40, None, None),
    ("hf_inverse_sqrt_no_warmup", SGD2, "hf.get_inverse_sqrt_schedule(optimizer, num_warmup_steps=0)", "step()", 20, None, None),
    ("hf_cosine_min_lr_rate_cycles", SGD3, "hf.get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps=3, num_training_steps=23, num_cycles=1.0, min_lr_rate=0.1)", "step()", 33, None, None),
    ("hf_cosine_min_lr_3groups", SGD3, "hf.get_cosine_with_min_lr_schedule_with_warmup(optimizer, num_warmup_steps=0, num_training_steps=20, min_lr=0.01)", "step()", 28, None, None),
    ("hf_cosine_warmup_lr_rate_zero", SGD2, "hf.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps=5, num_training_steps=25, min_lr_rate=0.0, warmup_lr_rate=0.0)", "step()", 32, None, None),
    ("hf_cosine_warmup_lr_rate_one_warmup_step", SGD2, "hf.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps=1, num_training_steps=12, min_lr_rate=0.2, warmup_lr_rate=0.3)", "step()", 18, None, None),
    ("hf_cosine_warmup_lr_rate_no_warmup", SGD3, "hf.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps=0, num_training_steps=15, min_lr=0.005)", "step()", 22, None, None),
    ("hf_cosine_warmup_lr_rate_cycles_resume", SGD2, "hf.get_cosine_with_min_lr_schedule_with_warmup_lr_rate(optimizer, num_warmup_steps=6, num_training_steps=30, num_cycles=1.5, min_lr_rate=0.05)", "step()", 40, None, 11),
] + [
    ("hf_wsd_%s_%s" % (w.replace("-", ""), d.replace("-", "")), SGD2,
     "hf.get_wsd_schedule(optimizer, num_warmup_steps=5, num_decay_steps=9, num_stable_steps=6, warmup_type='%s', decay_type='%s', min_lr_ratio=0.1)" % (w, d),
     "step()", 30, None, None)
    for w in WSD_TYPES for d in WSD_TYPES
] + [
    ("hf_wsd_both_lengths_cycles", SGD3, "hf.get_wsd_schedule(optimizer, num_warmup_steps=3, num_decay_steps=10, num_training_steps=100, num_stable_steps=4, num_cycles=1.0)", "step()", 25, None, None),
    ("hf_wsd_no_warmup_training_steps", SGD2, "hf.get_wsd_schedule(optimizer, num_warmup_steps=0, num_decay_steps=6, num_training_steps=14, decay_type='linear', min_lr_ratio=0.25)", "step()", 20, None, None),
    ("hf_wsd_resume_mid_decay", ADAM2, "hf.get_wsd_schedule(optimizer, num_warmup_steps=4, num_decay_steps=8, num_stable_steps=5, warmup_type='1-sqrt', decay_type='cosine')", "step()", 22, None, 12),
    # timm: cycles, warm-up prefix, k-decay, update-based stepping
    ("timm_cosine_cycle_limit2_decay", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=8, lr_min=0.001, cycle_decay=0.5, cycle_limit=2, warmup_t=3, warmup_lr_init=0.0001)", "step(epoch)", 25, None, None),
    ("timm_cosine_warmup_prefix_cycles", SGD3, "timm.CosineLRScheduler(optimizer, t_initial=6, lr_min=0.0005, cycle_limit=3, warmup_t=4, warmup_lr_init=0.001, warmup_prefix=True)", "step(epoch)", 28, None, None),
    ("timm_cosine_cycle_mul_fractional", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=5, lr_min=0.0001, cycle_mul=1.5, cycle_decay=0.8, cycle_limit=4, k_decay=0.5)", "step(epoch)", 45, None, None),
    ("timm_cosine_updates_warmup_prefix", ADAM2, "timm.CosineLRScheduler(optimizer, t_initial=30, lr_min=1e-06, warmup_t=10, warmup_lr_init=1e-05, warmup_prefix=True, t_in_epochs=False)", "step_update(num_updates)", 45, None, None),
    ("timm_cosine_epochs_ignores_step_update", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=10, warmup_t=3, warmup_lr_init=0.001)", "step_update(num_updates)", 8, None, None),
    ("timm_cosine_updates_ignores_step", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=10, lr_min=0.001, t_in_epochs=False)", "step(epoch)", 8, None, None),
    ("timm_cosine_lr_scale_resume", SCALED, "timm.CosineLRScheduler(optimizer, t_initial=12, lr_min=0.0002, cycle_limit=2, warmup_t=2, warmup_lr_init=0.002)", "step(epoch)", 30, None, 9),
    ("timm_cosine_cycle_limit0", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=5, lr_min=0.003, cycle_limit=0, warmup_t=2, warmup_lr_init=0.0001)", "step(epoch)", 8, None, None),
    ("timm_cosine_shrinking_cycles", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=20, lr_min=0.0005, cycle_mul=0.5, cycle_limit=3)", "step(epoch)", 39, None, None),
    ("timm_poly_shrinking_cycles_updates", SGD2, "timm.PolyLRScheduler(optimizer, t_initial=16, power=1.0, cycle_mul=0.75, cycle_limit=4, t_in_epochs=False)", "step_update(num_updates)", 60, None, None),
    ("timm_tanh_warmup_prefix_mul2", SGD2, "timm.TanhLRScheduler(optimizer, t_initial=6, lr_min=0.0001, cycle_mul=2.0, cycle_decay=0.7, cycle_limit=3, warmup_t=3, warmup_lr_init=0.0005, warmup_prefix=True)", "step(epoch)", 50, None, None),
    ("timm_tanh_updates_lr_scale", SCALED, "timm.TanhLRScheduler(optimizer, t_initial=20, lb=-5.0, ub=5.0, warmup_t=4, warmup_lr_init=0.001, t_in_epochs=False)", "step_update(num_updates)", 28, None, None),
    ("timm_step_no_prefix_fractional", SGD2, "timm.StepLRScheduler(optimizer, decay_t=2.5, decay_rate=0.7, warmup_t=3, warmup_lr_init=0.001, warmup_prefix=False)", "step(epoch)", 16, None, None),
    ("timm_step_updates_lr_scale", SCALED, "timm.StepLRScheduler(optimizer, decay_t=4, decay_rate=0.5, t_in_epochs=False)", "step_update(num_updates)", 14, None, None),
    ("timm_multistep_no_prefix", SGD3, "timm.MultiStepLRScheduler(optimizer, decay_t=[4, 6, 11], decay_rate=0.3, warmup_t=3, warmup_lr_init=0.0001, warmup_prefix=False)", "step(epoch)", 15, None, None),
    ("timm_multistep_updates", ADAM2, "timm.MultiStepLRScheduler(optimizer, decay_t=[1, 5, 9], decay_rate=0.5, t_in_epochs=False)", "step_update(num_updates)", 12, None, None),
    ("timm_poly_mul2_prefix_k", SGD2, "timm.PolyLRScheduler(optimizer, t_initial=5, power=1.5, lr_min=0.0002, cycle_mul=2.0, cycle_decay=0.6, cycle_limit=3, warmup_t=2, warmup_lr_init=0.0001, warmup_prefix=True, k_decay=2.0)", "step(epoch)", 42, None, None),
    ("timm_poly_default_updates", SGD3, "timm.PolyLRScheduler(optimizer, t_initial=16, t_in_epochs=False)", "step_update(num_updates)", 20, None, None),
    ("timm_poly_resume", SGD2, "timm.PolyLRScheduler(optimizer, t_initial=10, power=1.0, lr_min=0.001, warmup_t=2, warmup_lr_init=0.0001)", "step(epoch)", 16, None, 6),
    # timm: plateau (torch's ReduceLROnPlateau underneath)
    ("timm_plateau_max_cooldown", SGD2, "timm.PlateauLRScheduler(optimizer, decay_rate=0.5, patience_t=1, cooldown_t=2, threshold=0.01, mode='max')", "step(epoch, metric)", 25, PLATEAU_MAX, None),
    ("timm_plateau_min_lr_floor", SGD3, "timm.PlateauLRScheduler(optimizer, decay_rate=0.1, patience_t=1, threshold=0.0, lr_min=0.0005, mode='min')", "step(epoch, metric)", 25, PLATEAU_MIN, None),
    ("timm_plateau_defaults_warmup", SGD2, "timm.PlateauLRScheduler(optimizer, warmup_t=3, warmup_lr_init=0.0001)", "step(epoch, metric)", 25, PLATEAU_MAX, None),
    ("timm_plateau_missing_metrics_lr_scale", SCALED, "timm.PlateauLRScheduler(optimizer, decay_rate=0.5, patience_t=1, warmup_t=2, warmup_lr_init=0.001, mode='min')", "step(epoch, metric)", 16, PLATEAU_GAPS, None),
]

# Cases that draw timm's noise from PyTorch's CPU generator (README: non_portable_rng).
NOISE_CASES = [
    ("timm_step_noise_from_t", SGD2, "timm.StepLRScheduler(optimizer, decay_t=5, decay_rate=0.5, noise_range_t=3, noise_pct=0.2, noise_seed=123)", "step(epoch)", 15, None, None),
    ("timm_cosine_noise_updates_tight_pct", SGD2, "timm.CosineLRScheduler(optimizer, t_initial=30, lr_min=0.0001, noise_range_t=[2, 25], noise_pct=0.05, t_in_epochs=False)", "step_update(num_updates)", 30, None, None),
    ("timm_plateau_uniform_noise", SGD2, "timm.PlateauLRScheduler(optimizer, decay_rate=0.5, patience_t=1, mode='min', noise_range_t=2, noise_type='uniform', noise_pct=0.3, noise_seed=5)", "step(epoch, metric)", 25, PLATEAU_MIN, None),
    ("timm_plateau_normal_noise_warmup", SGD2, "timm.PlateauLRScheduler(optimizer, decay_rate=0.5, patience_t=2, mode='min', warmup_t=3, warmup_lr_init=0.001, noise_range_t=[1, 20], noise_pct=0.4)", "step(epoch, metric)", 25, PLATEAU_MIN, None),
]
NOISE_NOTE = ("timm draws this noise from torch.Generator().manual_seed(noise_seed + t) with torch.randn (normal, "
              "re-drawn until |noise| < noise_pct) or torch.rand (uniform); reproducing it needs PyTorch's CPU generator.")


def momentum_of(group):
    if "betas" in group:
        return group["betas"][0]
    if "momentum" in group:
        return group["momentum"]
    return None


def build(libs, optimizer_name, groups, expression):
    hf, timm = libs
    params = [torch.nn.Parameter(torch.zeros(1)) for _ in groups]
    pg = [dict(g, params=[p]) for g, p in zip(copy.deepcopy(groups), params)]
    for g in pg:
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
    optimizer = getattr(torch.optim, optimizer_name)(pg, lr=groups[0]["lr"])
    scheduler = eval(expression, {"hf": hf, "timm": timm, "optimizer": optimizer, "math": math})
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
    return {k: jsonable(v) for k, v in scheduler.state_dict().items()
            if k not in ("lr_lambdas", "optimizer") and not callable(v)}


def advance(scheduler, step_call, i, metrics):
    if step_call == "step()":
        scheduler.step()
    elif step_call == "step(metric)":
        scheduler.step(metrics[i])
    elif step_call == "step(epoch)":
        scheduler.step(epoch=i + 1)
    elif step_call == "step_update(num_updates)":
        scheduler.step_update(num_updates=i + 1)
    elif step_call == "step(epoch, metric)":
        scheduler.step(epoch=i + 1, metric=metrics[i])
    else:
        raise ValueError("unknown step_call " + step_call)


def run(libs, name, optimizer_name, groups, expression, step_call, steps, metrics, resume_at, noise=False):
    optimizer, scheduler = build(libs, optimizer_name, groups, expression)
    trace = [snapshot(optimizer)]
    for i in range(steps):
        if resume_at is not None and i == resume_at:
            sd_s = copy.deepcopy(scheduler.state_dict())
            sd_s.pop("optimizer", None)
            sd_o = copy.deepcopy(optimizer.state_dict())
            optimizer, scheduler = build(libs, optimizer_name, groups, expression)
            optimizer.load_state_dict(sd_o)
            scheduler.load_state_dict(sd_s)
        optimizer.step()
        advance(scheduler, step_call, i, metrics)
        trace.append(snapshot(optimizer))
    library = "transformers" if expression.startswith("hf.") else "timm"
    case = {
        "name": name,
        "library": library,
        "library_version": HF_COMMIT if library == "transformers" else TIMM_COMMIT,
        "torch_version": torch.__version__,
        "optimizer": optimizer_name,
        "param_groups": groups,
        "scheduler": expression,
        "step_call": step_call,
        "steps": steps,
        "metrics": [jsonable(m) for m in metrics[:steps]] if metrics is not None else None,
        "epochs": None,
        "resume_at": resume_at,
        "trace": trace,
        "state_dict": state_dict(scheduler),
    }
    if noise:
        case["non_portable_rng"] = True
        case["note"] = NOISE_NOTE
    return case


def from_json(v):
    return float(v) if v in ("nan", "inf", "-inf") else v


def check(libs, folder):
    """Re-runs every case of folder (and folder/non-portable) from its own fields; compares trace and state_dict."""
    bad = total = 0
    for sub in ("", "non-portable"):
        path = os.path.join(folder, sub)
        if not os.path.isdir(path):
            continue
        for f in sorted(os.listdir(path)):
            if not f.endswith(".json"):
                continue
            c = json.load(open(os.path.join(path, f)))
            metrics = [from_json(m) for m in c["metrics"]] if c["metrics"] is not None else None
            got = run(libs, c["name"], c["optimizer"], c["param_groups"], c["scheduler"], c["step_call"], c["steps"],
                      metrics, c["resume_at"])
            got = json.loads(json.dumps(got))
            diffs = [k for k in ("trace", "state_dict") if got[k] != c[k]]
            total += 1
            bad += bool(diffs)
            print(("same " if not diffs else "DIFF %s " % ",".join(diffs)) + os.path.join(sub, f))
    print("%d of %d cases reproduced exactly" % (total - bad, total))
    return bad


def write(folder, case):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, case["name"] + ".json"), "w") as fh:
        json.dump(case, fh, indent=1)
        fh.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", required=True, help="folder holding the scratch copies of the libraries' code")
    ap.add_argument("--out", help="folder to write the extra cases into")
    ap.add_argument("--check", help="folder of cases to reproduce exactly")
    args = ap.parse_args()
    libs = load_libraries(args.src)
    if args.check:
        sys.exit(1 if check(libs, args.check) else 0)
    if not args.out:
        ap.error("give --out or --check")
    for name, (opt, groups), expr, step_call, steps, metrics, resume_at in CASES:
        write(args.out, run(libs, name, opt, groups, expr, step_call, steps, metrics, resume_at))
        print("wrote", name)
    for name, (opt, groups), expr, step_call, steps, metrics, resume_at in NOISE_CASES:
        write(os.path.join(args.out, "non-portable"),
              run(libs, name, opt, groups, expr, step_call, steps, metrics, resume_at, noise=True))
        print("wrote non-portable/" + name)


if __name__ == "__main__":
    main()
