"""The Explorer's data: the grid of training runs (see toynn.site.training), compacted.

For every alpha x hidden size x seed of the grid, the browser gets:

- the error curve every 500 iterations as round(1000 * log10(error)), enough for a smooth
  line on a log axis and about 0.2 % precise;
- the error after 60,000 updates at full precision, the number the page prints;
- the mean size of each layer's final weights, and every weight's direction-change count.
"""

from __future__ import annotations

import math

import numpy as np

from toynn.published import published_sweep
from toynn.site.training import ALPHAS, HIDDEN_SIZES, ITERATIONS, SEEDS, Setting, find, setting_of

EVERY = 500


def _compact(record: dict) -> dict:
    run = find([record], setting_of(record))
    curve = [e for i, e in zip(run.checkpoints, run.errors, strict=True) if i % EVERY == 0]
    curve.append(record["final_error"])
    return {
        "curve": [round(1000 * math.log10(max(e, 1e-12))) for e in curve],
        "final": record["final_error"],
        "weights": [float(f"{np.abs(w).mean():.4g}") for w in (run.synapse_0, run.synapse_1)],
        "changes_0": run.synapse_0_direction_changes.ravel().tolist(),  # row-major (3, hidden)
        "changes_1": run.synapse_1_direction_changes.ravel().tolist(),
    }


def explorer_data(records: list[dict]) -> dict:
    """The grid as the Explorer loads it: runs[hidden][seed][alpha index], compacted."""
    grid = {setting_of(r): r for r in records}
    runs = {
        str(hidden): {
            str(seed): [_compact(grid[Setting(hidden, seed, alpha)]) for alpha in ALPHAS]
            for seed in SEEDS
        }
        for hidden in HIDDEN_SIZES
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
