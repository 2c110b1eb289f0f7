"""`lr4j train` against PyTorch doing the same recipe, interleaved; see bench/train-vs-torch and BENCHMARKS.md.

The recipe is lr4j's main job: a 64-256-10 MLP (ReLU) on the digits (lr4j's fixed 1,257/270/270 split, the training
set with its four one-pixel shifts: 6,285 samples), batches of 32 reshuffled each epoch, SGD(lr=0.1, momentum=0.9,
weight_decay=5e-4), OneCycleLR(max_lr=0.1, total_steps=3940) stepped per batch, 20 epochs; a metrics row per step and
per epoch (JSON lines and CSV, as lr4j's MetricsLog writes), validation after every epoch, the test set at the end.

lr4j's time is the `| N s` of `./lr4j train --quiet`'s final line (printed to 0.01 s; an older jar's to 0.1 s): it spans building the model,
optimizer and schedule, the fit and the test evaluation; loading and augmenting the data are left out of it (JIT
warm-up included, JVM start excluded). PyTorch's time spans the same, on one thread (torch.set_num_threads(1)), from
after its data tensors are built (before the model is) to after the test evaluation.

The FLOP floor is the arithmetic the fit needs (forward, weight gradients and the hidden layer's delta for every
training sample; forward for validation and test) divided by the rate of one large single-thread sgemm
(torch.mm of 1024x1024 matrices) measured in the same run.
"""
import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DIGITS = os.path.join(ROOT, "lr4j-train/src/main/resources/io/github/lr4j/train/digits.csv.gz")
EPOCHS, BATCH, HIDDEN = 20, 32, 256


class JavaRandom:
    """java.util.Random, for lr4j's fixed split (Digits.split)."""

    def __init__(self, seed):
        self.seed = (seed ^ 0x5DEECE66D) & ((1 << 48) - 1)

    def next(self, bits):
        self.seed = (self.seed * 0x5DEECE66D + 0xB) & ((1 << 48) - 1)
        r = self.seed >> (48 - bits)
        return r - (1 << 32) if r >= 1 << 31 else r

    def next_int(self, bound):
        if bound & -bound == bound:
            return (bound * self.next(31)) >> 31
        while True:
            bits = self.next(31)
            val = bits % bound
            if bits - val + (bound - 1) < 1 << 31:
                return val


def digits():
    rows = [line.split(",") for line in gzip.open(DIGITS, "rt") if line.strip()]
    x = [[float(v) / 16 for v in r[:64]] for r in rows]
    y = [int(float(r[64])) for r in rows]
    order = list(range(len(rows)))
    rnd = JavaRandom(20_261_128)
    for i in range(len(order) - 1, 0, -1):
        j = rnd.next_int(i + 1)
        order[i], order[j] = order[j], order[i]
    part = lambda ids: (torch.tensor([x[i] for i in ids]), torch.tensor([y[i] for i in ids]))
    return part(order[:1257]), part(order[1257:1527]), part(order[1527:])


def with_shifts(x, y):
    img = x.view(-1, 8, 8)
    out = [img]
    for dr, dc in ((-1, 0), (1, 0), (0, -1), (0, 1)):
        s = torch.zeros_like(img)
        rs, rd = (slice(0, 8 + dr), slice(-dr, 8)) if dr < 0 else (slice(dr, 8), slice(0, 8 - dr)) if dr > 0 else (slice(0, 8), slice(0, 8))
        cs, cd = (slice(0, 8 + dc), slice(-dc, 8)) if dc < 0 else (slice(dc, 8), slice(0, 8 - dc)) if dc > 0 else (slice(0, 8), slice(0, 8))
        # lr4j: dst[r][c] = src[r - dr][c - dc]
        s[:, rs, cs] = img[:, rd, cd]
        out.append(s)
    return torch.cat(out).view(-1, 64), y.repeat(5)


def evaluate(model, x, y):
    with torch.no_grad():
        logits = model(x)
        return F.cross_entropy(logits, y).item(), (logits.argmax(1) == y).float().mean().item()


def torch_fit(train, val, test, logdir):
    torch.manual_seed(0)
    x, y = train
    t0 = time.perf_counter()
    model = torch.nn.Sequential(torch.nn.Linear(64, HIDDEN), torch.nn.ReLU(), torch.nn.Linear(HIDDEN, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    batches = (len(y) + BATCH - 1) // BATCH
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=EPOCHS * batches)
    gen = torch.Generator().manual_seed(0)
    step = 0
    with open(os.path.join(logdir, "steps.jsonl"), "w") as js, open(os.path.join(logdir, "steps.csv"), "w") as cs, \
            open(os.path.join(logdir, "epochs.jsonl"), "w") as ej:
        cs.write("step,epoch,batch,loss,lr,momentum\n")
        for epoch in range(EPOCHS):
            model.train()
            perm = torch.randperm(len(y), generator=gen)
            for b in range(batches):
                idx = perm[b * BATCH:(b + 1) * BATCH]
                opt.zero_grad()
                loss = F.cross_entropy(model(x[idx]), y[idx])
                loss.backward()
                opt.step()
                sched.step()
                step += 1
                g = opt.param_groups[0]
                value = loss.item()
                js.write(json.dumps({"step": step, "epoch": epoch + 1, "batch": b, "loss": value, "lr": g["lr"],
                                     "momentum": g["momentum"]}) + "\n")
                cs.write(f"{step},{epoch + 1},{b},{value!r},{g['lr']!r},{g['momentum']!r}\n")
            model.eval()
            vl, va = evaluate(model, *val)
            ej.write(json.dumps({"epoch": epoch + 1, "val_loss": vl, "val_accuracy": va}) + "\n")
    tl, ta = evaluate(model, *test)
    return time.perf_counter() - t0, ta, step


def lr4j_fit(report, jar=None, java_home=None):
    """`./lr4j train --quiet` (under JAVA_HOME=java_home when given, as the launcher honours it), or an old jar."""
    cmd = ["java", "-Dai.djl.offline=true", "-jar", jar] if jar else [os.path.join(ROOT, "lr4j")]
    env = dict(os.environ, JAVA_HOME=java_home) if java_home else None
    out = subprocess.run(cmd + ["train", "--quiet", "--report", report], check=True, capture_output=True, text=True,
                         env=env).stdout
    line = next(l for l in out.splitlines() if l.startswith("test accuracy"))
    m = re.search(r"test accuracy ([0-9.]+)%.*\| ([0-9.]+) s$", line)
    return float(m.group(2)), float(m.group(1)) / 100, line


def java_version(java_home=None):
    """The feature version of the JDK the launcher would use (its `release` file), e.g. "17"."""
    home = java_home or os.environ.get("JAVA_HOME")
    if not home:
        java = shutil.which("java")
        home = os.path.dirname(os.path.dirname(os.path.realpath(java))) if java else ""
    try:
        with open(os.path.join(home, "release")) as f:
            return re.search(r'JAVA_VERSION="(\d+)', f.read()).group(1)
    except (OSError, AttributeError):
        return "?"


def sgemm_rate():
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2 * 1024 ** 3 / best


def main():
    """Each round: the baseline jar (if given), `./lr4j train --quiet`, the PyTorch loop, the sgemm rate."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--baseline-jar", help="an older lr4j-cli-all.jar, run in each round too (the `before` column)")
    ap.add_argument("--also-java-home", action="append", default=[], metavar="DIR",
                    help="a further JDK: `./lr4j train` under JAVA_HOME=DIR too in each round (a column each)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    train, val, test = digits()
    train = with_shifts(*train)
    n_train, n_val, n_test = len(train[1]), len(val[1]), len(test[1])
    fwd = 2 * (64 * HIDDEN + HIDDEN * 10)  # per sample
    flops = EPOCHS * (n_train * (2 * fwd + 2 * HIDDEN * 10) + n_val * fwd) + n_test * fwd
    print(f"torch {torch.__version__}, {torch.get_num_threads()} thread; train {n_train} samples, "
          f"{EPOCHS} epochs of {(n_train + BATCH - 1) // BATCH} batches; the fit needs {flops / 1e9:.2f} GFLOP")
    base = args.baseline_jar
    also = [(home, java_version(home)) for home in args.also_java_home]
    print(f"lr4j on Java {java_version()}" + "".join(f"; also on Java {v} ({home})" for home, v in also))
    print("| round |" + (" before s | PyTorch / before |" if base else "")
          + " lr4j s | PyTorch s | PyTorch / lr4j |" + "".join(f" lr4j (Java {v}) s | PyTorch / it |" for _, v in also)
          + " sgemm GFLOP/s | floor s | lr4j / floor | lr4j acc | PyTorch acc |")
    print("|---|" + ("---|---|" if base else "") + "---|---|---|" + "---|---|" * len(also) + "---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(1, args.rounds + 1):
            bs, bacc, bline = lr4j_fit(os.path.join(tmp, "before"), base) if base else (None, None, None)
            ls, lacc, line = lr4j_fit(os.path.join(tmp, "report"))
            others = [lr4j_fit(os.path.join(tmp, "also"), java_home=home) for home, _ in also]
            ts, tacc, steps = torch_fit(train, val, test, tmp)
            rate = sgemm_rate()
            floor = flops / rate
            before = f" {bs:.2f} | {ts / bs:.2f}x |" if base else ""
            more = "".join(f" {o[0]:.2f} | {ts / o[0]:.2f}x |" for o in others)
            print(f"| {r} |{before} {ls:.2f} | {ts:.2f} | {ts / ls:.2f}x |{more} {rate / 1e9:.1f} | {floor:.3f} | {ls / floor:.1f}x "
                  f"| {lacc:.2%} | {tacc:.2%} |", flush=True)
            if base:
                print(f"before: {bline}", file=sys.stderr)
            print(f"lr4j:   {line}", file=sys.stderr)
            for (home, v), o in zip(also, others):
                print(f"Java {v}: {o[2]}", file=sys.stderr)


if __name__ == "__main__":
    main()
