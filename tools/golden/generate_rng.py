#!/usr/bin/env python3
"""Records what PyTorch 1.13's CPU generator draws, for lr4j's TorchGenerator (timm's noise uses it).

For each seed: g = torch.Generator().manual_seed(seed), then a sequence of draws of one kind from that
generator (so the Box-Muller cache of randn is exercised): torch.randn(1, generator=g) and
torch.rand(1, generator=g), each in float32 (the default dtype) and float64. Values are .item(), i.e. a
float32 draw widened to a Python float. Needs Debian's python3-torch (run with /usr/bin/python3):

    /usr/bin/python3 tools/golden/generate_rng.py > lr4j-core/src/test/resources/golden/rng/torch_cpu_generator.json
"""
import json

import torch

SEEDS = [0, 1, 2, 7, 42, 49, 123, 5489, 65535, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 5,
         123456789012, 2 ** 53 + 1, 2 ** 63 - 1] + list(range(1000, 1040))
DRAWS = 9  # odd, so a cached Box-Muller sample is left over at the end


def draws(seed, fn, dtype):
    g = torch.Generator().manual_seed(seed)
    return [fn(1, generator=g, dtype=dtype).item() for _ in range(DRAWS)]


def main():
    cases = []
    for seed in SEEDS:
        cases.append({
            "seed": seed,
            "randn_float32": draws(seed, torch.randn, torch.float32),
            "randn_float64": draws(seed, torch.randn, torch.float64),
            "rand_float32": draws(seed, torch.rand, torch.float32),
            "rand_float64": draws(seed, torch.rand, torch.float64),
        })
    out = {"torch_version": torch.__version__, "draws_per_seed": DRAWS, "cases": cases}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
