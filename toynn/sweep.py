"""Many step sizes trained as one computation.

Every array gets a leading axis with one slot per alpha, so numpy does the work of seven
runs in each call. On four rows and four hidden nodes the arithmetic is tiny and the time
goes to calling numpy, so seven runs cost little more than one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from toynn._checks import check_alphas, check_seed, check_training
from toynn.network import TrainingRun, count_direction_change, starting_weights

POST_ALPHAS = (0.001, 0.01, 0.1, 1, 10, 100, 1000)


def sweep(
    X: np.ndarray,
    y: np.ndarray,
    alphas: Sequence[float] = POST_ALPHAS,
    *,
    hidden_size: int = 4,
    iterations: int = 60_000,
    seed: int | Sequence[int] = 1,
    every: int = 10_000,
    count_direction_changes: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[TrainingRun]:
    """Train one network per alpha, all starting from the same seeded weights.

    ``seed`` may also be a list with one seed per alpha, to batch several starting points.
    Gives the same numbers as calling ``toynn.train`` once per alpha, bit for bit.
    ``progress``, if given, is called with the iteration number every 1,000 iterations.

    >>> from toynn.data import xor_data
    >>> runs = sweep(*xor_data(), alphas=[0.1, 10], iterations=10_001)
    >>> [(run.alpha, round(run.errors[-1], 5)) for run in runs]
    [(0.1, 0.04289), (10.0, 0.00313)]
    """
    alpha_values = check_alphas(alphas)
    runs = len(alpha_values)
    X, y, hidden_size, iterations, every = check_training(
        X, y, hidden_size, iterations, every, runs
    )
    seeds = _check_seeds(seed, runs)
    shapes = [(X.shape[1], hidden_size), (hidden_size, 1)]
    starts = {s: starting_weights(shapes, s) for s in set(seeds)}
    synapse_0 = np.stack([starts[s][0] for s in seeds])  # (runs, inputs, hidden)
    synapse_1 = np.stack([starts[s][1] for s in seeds])  # (runs, hidden, 1)

    # Same-shape operands make numpy's small-array calls cheapest, so the constants 1 and
    # alpha are spelled out as full arrays once, outside the loop.
    layer_1_ones = np.ones((runs, X.shape[0], hidden_size))
    layer_2_ones = np.ones((runs, X.shape[0], 1))
    alpha_0 = np.broadcast_to(alpha_values[:, None, None], synapse_0.shape).copy()
    alpha_1 = np.broadcast_to(alpha_values[:, None, None], synapse_1.shape).copy()
    y = np.broadcast_to(y, layer_2_ones.shape).copy()
    X_T = X.T.copy()
    checkpoints, errors = [], []
    changes_0, changes_1 = np.zeros(synapse_0.shape, int), np.zeros(synapse_1.shape, int)
    was_rising_0 = was_rising_1 = None  # the direction of the previous update

    with np.errstate(over="ignore"):  # sigmoid's e^-x overflows to inf for huge alphas; 1/inf = 0
        for iteration in range(iterations):
            layer_1 = layer_1_ones / (layer_1_ones + np.exp(-(X @ synapse_0)))
            layer_2 = layer_2_ones / (layer_2_ones + np.exp(-(layer_1 @ synapse_1)))
            layer_2_error = layer_2 - y
            if iteration % every == 0:
                checkpoints.append(iteration)
                errors.append(np.mean(np.abs(layer_2_error), axis=(1, 2)))

            layer_2_delta = layer_2_error * (layer_2 * (layer_2_ones - layer_2))
            layer_1_delta = (layer_2_delta @ synapse_1.transpose(0, 2, 1)) * (
                layer_1 * (layer_1_ones - layer_1)
            )
            synapse_1_slope = layer_1.transpose(0, 2, 1) @ layer_2_delta
            synapse_0_slope = X_T @ layer_1_delta

            if count_direction_changes:
                was_rising_0 = count_direction_change(synapse_0_slope, was_rising_0, changes_0)
                was_rising_1 = count_direction_change(synapse_1_slope, was_rising_1, changes_1)

            synapse_1 -= alpha_1 * synapse_1_slope
            synapse_0 -= alpha_0 * synapse_0_slope
            if progress is not None and iteration % 1000 == 0:
                progress(iteration)

    errors_by_run = np.array(errors).reshape(len(checkpoints), runs).T
    return [
        TrainingRun(
            float(alpha),
            hidden_size,
            list(checkpoints),
            errors_by_run[i].tolist(),
            synapse_0[i],
            synapse_1[i],
            changes_0[i] if count_direction_changes else None,
            changes_1[i] if count_direction_changes else None,
            seeds[i],
        )
        for i, alpha in enumerate(alpha_values)
    ]


def _check_seeds(seed: int | Sequence[int], runs: int) -> list[int]:
    if isinstance(seed, (list, tuple, np.ndarray)):
        if len(seed) != runs:
            raise ValueError(f"seed must be one number or one per alpha ({runs}), got {len(seed)}")
        return [check_seed(s) for s in seed]
    return [check_seed(seed)] * runs
