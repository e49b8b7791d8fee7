"""The Explorer's data: the 3-layer network on the XOR set for a grid of settings.

Every alpha x hidden size x seed, trained for 60,000 iterations with toynn.sweep (one
batched call per hidden size), stored compactly for the browser:

- error curves every 500 iterations as round(1000 * log10(error)), enough for a smooth
  line on a log axis and about 0.2 % precise;
- the error after 60,000 updates at full precision, the number the page prints;
- the mean size of each layer's final weights, and every weight's direction-change count.
"""

from __future__ import annotations

import math

import numpy as np

from toynn.data import xor_data
from toynn.published import published_sweep
from toynn.sweep import sweep

ALPHAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]
HIDDEN_SIZES = [1, 2, 3, 4, 8, 16, 32]
SEEDS = [1, 2, 3]
ITERATIONS, EVERY = 60_000, 500


def _compact(run) -> dict:
    return {
        "curve": [round(1000 * math.log10(max(e, 1e-12))) for e in run.errors],
        "final": run.errors[-1],
        "weights": [float(f"{np.abs(w).mean():.4g}") for w in (run.synapse_0, run.synapse_1)],
        "changes_0": run.synapse_0_direction_changes.ravel().tolist(),  # row-major (3, hidden)
        "changes_1": run.synapse_1_direction_changes.ravel().tolist(),
    }


def grid() -> dict:
    X, y = xor_data()
    runs: dict[str, dict[str, list]] = {}
    for hidden in HIDDEN_SIZES:
        settings = [(alpha, seed) for seed in SEEDS for alpha in ALPHAS]
        # ITERATIONS + 1, so that the last checkpoint is the error after 60,000 updates.
        results = sweep(
            X, y, [a for a, _ in settings], seed=[s for _, s in settings], hidden_size=hidden,
            iterations=ITERATIONS + 1, every=EVERY, count_direction_changes=True,
        )  # fmt: skip
        runs[str(hidden)] = {
            str(seed): [_compact(r) for r in results if r.seed == seed] for seed in SEEDS
        }
    published = {
        str(hidden): {
            f"{alpha:g}": list(row.values()) for alpha, row in published_sweep(hidden).items()
        }
        for hidden in (4, 32)
    }
    return {
        "alphas": ALPHAS,
        "hidden_sizes": HIDDEN_SIZES,
        "seeds": SEEDS,
        "iterations": ITERATIONS,
        "every": EVERY,
        "runs": runs,  # runs[hidden][seed][alpha index]
        "published": published,  # the post's printed errors at 0, 10000, ..., 50000 (seed 1)
    }
