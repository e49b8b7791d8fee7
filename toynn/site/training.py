"""Every training run of the 3-layer network that the site shows, and the Explorer's data.

The build trains them with ``toynn.sweep`` in two batches of about equal cost (its
experiments ``training-*`` run side by side); every other experiment only formats them,
so nothing is trained twice. A batch holds:

- the Explorer's grid: every alpha x seed below for its hidden sizes, each for 60,000
  iterations (Part 5's two sweeps are rows of it: seed 1, the post's alphas, 4 and 32
  hidden nodes);
- the landing page's network (alpha 0.5, 4 hidden nodes);
- Part 5's summation-order study (the same networks on the XOR rows in other orders).

The error is recorded every 100 iterations. ``toynn.site.explorer`` compacts the grid for
the browser.
"""

from __future__ import annotations

from typing import NamedTuple

from toynn.data import xor_data
from toynn.network import TrainingRun, mean_absolute_error, predict
from toynn.sweep import sweep

ALPHAS = [0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10, 30, 100, 300, 1000]
HIDDEN_SIZES = [1, 2, 3, 4, 8, 16, 32]
SEEDS = [1, 2]  # two starting points: enough to see that the start matters
ITERATIONS, RECORD_EVERY = 60_000, 100
XOR_ROWS = (0, 1, 2, 3)
# Eight of the 24 orders of the XOR set's four rows, including those that give the lowest
# and highest alpha = 10 error at 10,000 iterations.
ROW_ORDERS = [XOR_ROWS, (0, 2, 1, 3), (1, 0, 2, 3), (2, 0, 1, 3),
              (0, 3, 1, 2), (1, 2, 3, 0), (3, 1, 2, 0), (3, 2, 1, 0)]  # fmt: skip


class Setting(NamedTuple):
    hidden_size: int
    seed: int
    alpha: float
    rows: tuple[int, ...] = XOR_ROWS  # the order of the training rows


OPENING = Setting(4, 1, 0.5)  # the landing page's network
# Part 5's summation-order study: the 32-node network at alpha 1 and 10 in every order, and
# the bouncy 4-node alpha = 100 run backwards (forwards, all are rows of the grid).
ORDER_STUDY = [Setting(32, 1, alpha, rows) for rows in ROW_ORDERS[1:] for alpha in (1, 10)]
ORDER_STUDY.append(Setting(4, 1, 100, ROW_ORDERS[-1]))


def batch_settings(hidden_sizes: tuple[int, ...]) -> list[Setting]:
    """The runs of the batch with these hidden sizes (see the module's docstring)."""
    settings = [Setting(h, s, a) for h in hidden_sizes for s in SEEDS for a in ALPHAS]
    settings += [s for s in (OPENING, *ORDER_STUDY) if s.hidden_size in hidden_sizes]
    return settings


def train_batch(settings: list[Setting]) -> list[dict]:
    """Train every setting in one sweep; each run as a dict with its ``rows`` and the error
    after its last update, ``final_error``."""
    X, y = xor_data()
    hidden, seeds, alphas, orders = zip(*settings, strict=True)
    rows = [list(order) for order in orders]  # one data set per run
    runs = sweep(
        X[rows], y[rows], alphas, hidden_size=hidden, seed=seeds, iterations=ITERATIONS,
        every=RECORD_EVERY, count_direction_changes=True,
    )  # fmt: skip
    records = []
    for run, order in zip(runs, rows, strict=True):
        # The forward pass the loop would make before update 60,001: the same numbers.
        final = predict(X[order], run.synapse_0, run.synapse_1) - y[order]
        records.append({**run.to_dict(), "rows": order, "final_error": mean_absolute_error(final)})
    return records


def setting_of(record: dict) -> Setting:
    return Setting(record["hidden_size"], record["seed"], record["alpha"], tuple(record["rows"]))


def find(records: list[dict], setting: Setting) -> TrainingRun:
    """The run trained with ``setting``, back as a TrainingRun."""
    for record in records:
        if setting_of(record) == setting:
            fields = {k: v for k, v in record.items() if k not in ("rows", "final_error")}
            return TrainingRun.from_dict(fields)
    raise KeyError(f"no run was trained with {setting}")
