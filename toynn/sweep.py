"""Many networks trained as one computation.

``train`` runs one network; ``sweep`` runs many at once - seven alphas, say - and gets the
same numbers, bit for bit. Every array gets a leading axis with one slot per run, so each
numpy call does the work of all of them. On four rows and a few hidden nodes the arithmetic
is tiny and the time goes to calling numpy, so seven runs cost little more than one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from toynn._checks import check_alphas, check_array, check_seed, check_training
from toynn.network import TrainingRun, starting_weights

POST_ALPHAS = (0.001, 0.01, 0.1, 1, 10, 100, 1000)


def sweep(
    X: np.ndarray,
    y: np.ndarray,
    alphas: Sequence[float] = POST_ALPHAS,
    *,
    hidden_size: int | Sequence[int] = 4,
    iterations: int = 60_000,
    seed: int | Sequence[int] = 1,
    every: int = 10_000,
    count_direction_changes: bool = False,
    progress: Callable[[int], None] | None = None,
) -> list[TrainingRun]:
    """Train one network per alpha, all starting from the same seeded weights.

    ``seed`` and ``hidden_size`` may also be lists with one value per alpha, to batch
    several starting points or layer sizes; ``X`` and ``y`` may be stacks with one data set
    per alpha (shapes (alphas, rows, inputs) and (alphas, rows, 1)), to batch runs on
    differently ordered rows. The numbers equal those of ``toynn.train`` called once per
    alpha, bit for bit. ``progress``, if given, is called with the iteration number every
    1,000 iterations.

    >>> from toynn.data import xor_data
    >>> runs = sweep(*xor_data(), alphas=[0.1, 10], iterations=10_001)
    >>> [(run.alpha, round(run.errors[-1], 5)) for run in runs]
    [(0.1, 0.04289), (10.0, 0.00313)]
    """
    alpha_values = check_alphas(alphas)
    runs = len(alpha_values)
    X, y = _check_stacks(X, y, runs)
    _, _, sizes, iterations, every = check_training(
        X[0], y[0], hidden_size, iterations, every, runs
    )
    sizes = sizes if isinstance(sizes, list) else [sizes] * runs
    seeds = _one_per_run(seed, runs, "seed", check_seed)
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be a function of the iteration number, got {progress!r}")

    # Runs of one hidden size form a group that shares each matrix product. The other steps
    # go element by element, so one numpy call does them for every group at once: a group's
    # arrays are views into shared buffers, allocated once (at this size a fresh array per
    # step costs as much as the arithmetic in it).
    order = sorted(range(runs), key=lambda run: sizes[run])  # each group's runs side by side
    rows, inputs = X.shape[1:]
    if len(X) == runs:
        X, y = X[order], y[order]
    weight_counts = [inputs * sizes[run] + sizes[run] for run in order]
    weights, slopes, step_sizes = np.empty((3, sum(weight_counts)))
    step_sizes[:] = np.repeat(alpha_values[order], weight_counts)
    # The hidden layers of all runs, flat (their shapes differ), and the outputs.
    layer_1s, layer_1_errors, layer_1_deltas = np.empty((3, rows * sum(sizes)))
    layer_2, layer_2_error, layer_2_delta = np.empty((3, runs, rows, 1))
    groups = _groups(
        [sizes[run] for run in order], X, weights, slopes,
        (layer_1s, layer_1_errors, layer_1_deltas), (layer_2, layer_2_delta),
    )  # fmt: skip
    for g in groups:
        for k, run in enumerate(order[g.runs]):
            g.synapse_0[k], g.synapse_1[k] = starting_weights(
                [g.synapse_0[k].shape, g.synapse_1[k].shape], seeds[run]
            )
    checkpoints, errors = [], []
    changes = np.zeros(weights.shape, np.int32)
    rising, was_rising, turned = np.empty((3, *weights.shape), bool)

    # The operations of toynn.train's loop, in the same order, so the same bits come out.
    with np.errstate(over="ignore"):  # sigmoid's e^-x overflows to inf for huge alphas; 1/inf = 0
        for iteration in range(iterations):
            for g in groups:
                np.matmul(g.X, g.synapse_0, out=g.layer_1)
            _sigmoid(layer_1s)
            for g in groups:
                np.matmul(g.layer_1, g.synapse_1, out=g.layer_2)
            _sigmoid(layer_2)
            np.subtract(layer_2, y, out=layer_2_error)
            if iteration % every == 0:
                checkpoints.append(iteration)
                errors.append(np.mean(np.abs(layer_2_error), axis=(1, 2)))

            _times_sigmoid_slope(layer_2_error, layer_2, out=layer_2_delta)
            for g in groups:
                # A product over one term: each number is a single multiplication, so
                # broadcasting gives the same bits as the matrix product, sooner.
                np.multiply(g.layer_2_delta, g.synapse_1_T, out=g.layer_1_error)
            _times_sigmoid_slope(layer_1_errors, layer_1s, out=layer_1_deltas)
            for g in groups:
                np.matmul(g.layer_1_T, g.layer_2_delta, out=g.synapse_1_slope)
                np.matmul(g.X_T, g.layer_1_delta, out=g.synapse_0_slope)

            if count_direction_changes:  # as toynn.network.count_direction_change does
                np.less(slopes, 0, out=rising)
                if iteration > 0:
                    np.add(changes, np.not_equal(rising, was_rising, out=turned), out=changes)
                rising, was_rising = was_rising, rising

            np.multiply(step_sizes, slopes, out=slopes)  # the slopes become the steps
            np.subtract(weights, slopes, out=weights)
            if progress is not None and iteration % 1000 == 0:
                progress(iteration)

    errors_by_run = np.array(errors).reshape(len(checkpoints), runs).T
    results = [None] * runs
    for g in groups:
        counted_0, counted_1 = g.like_weights(changes)
        for k, run in enumerate(order[g.runs]):
            results[run] = TrainingRun(
                float(alpha_values[run]),
                sizes[run],
                list(checkpoints),
                errors_by_run[g.runs][k].tolist(),
                g.synapse_0[k].copy(),
                g.synapse_1[k].copy(),
                counted_0[k].astype(int) if count_direction_changes else None,
                counted_1[k].astype(int) if count_direction_changes else None,
                seeds[run],
            )
    return results


class _Group:
    """The runs of one hidden size: shaped views of their slots in the shared buffers."""

    def __init__(self, size, runs: slice, X, weights, slopes, layer_1s, layer_2s, offsets):
        count, (rows, inputs) = runs.stop - runs.start, X.shape[1:]
        self.size, self.runs = size, runs  # runs: their places in the order sorted by size
        weight_at, layer_at = offsets
        self.weight_slots = slice(weight_at, weight_at + count * (inputs + 1) * size)
        self.layer_slots = slice(layer_at, layer_at + count * rows * size)
        self.X = X[runs] if len(X) > 1 else X
        self.X_T = self.X.transpose(0, 2, 1).copy()
        self.synapse_0, self.synapse_1 = self.like_weights(weights)
        self.synapse_0_slope, self.synapse_1_slope = self.like_weights(slopes)
        self.synapse_1_T = self.synapse_1.transpose(0, 2, 1)
        self.layer_1, self.layer_1_error, self.layer_1_delta = (
            flat[self.layer_slots].reshape(count, rows, size) for flat in layer_1s
        )
        self.layer_1_T = self.layer_1.transpose(0, 2, 1)
        self.layer_2, self.layer_2_delta = (layer[runs] for layer in layer_2s)

    def like_weights(self, flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """This group's part of a flat buffer laid out like the weights: synapse_0 and 1."""
        count, inputs = self.runs.stop - self.runs.start, self.X.shape[2]
        rows = flat[self.weight_slots].reshape(count, (inputs + 1) * self.size)
        return (
            rows[:, : inputs * self.size].reshape(count, inputs, self.size),
            rows[:, inputs * self.size :].reshape(count, self.size, 1),
        )


def _groups(sizes, X, weights, slopes, layer_1s, layer_2s) -> list[_Group]:
    """One _Group per hidden size (``sizes`` is sorted), their slots one after another."""
    groups, start, offsets = [], 0, (0, 0)
    for size in sorted(set(sizes)):
        runs = slice(start, start + sizes.count(size))
        group = _Group(size, runs, X, weights, slopes, layer_1s, layer_2s, offsets)
        groups.append(group)
        start, offsets = runs.stop, (group.weight_slots.stop, group.layer_slots.stop)
    return groups


def _sigmoid(x: np.ndarray) -> None:
    """x <- 1 / (1 + e^-x) in place: toynn.sigmoid's operations, without new arrays."""
    np.negative(x, out=x)
    np.exp(x, out=x)
    np.add(1, x, out=x)
    np.divide(1, x, out=x)


def _times_sigmoid_slope(error: np.ndarray, output: np.ndarray, out: np.ndarray) -> None:
    """out <- error * (output * (1 - output)), the order toynn.train multiplies in."""
    np.subtract(1, output, out=out)
    np.multiply(output, out, out=out)
    np.multiply(error, out, out=out)


def _check_stacks(X: object, y: object, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """X and y as stacks of one data set per run: (runs, rows, inputs) and (runs, rows, 1)."""
    X, y = check_array(X, "X"), check_array(y, "y")
    if X.ndim == 3 or y.ndim == 3:
        if X.ndim != 3 or y.ndim != 3 or len(X) != runs or len(y) != runs:
            raise ValueError(
                f"stacked X and y must hold one data set per alpha ({runs}), "
                f"got shapes {X.shape} and {y.shape}"
            )
        return X, y
    return X[None], y[None]  # one data set, shared by every run


def _one_per_run(value, runs: int, name: str, check: Callable) -> list:
    """``value`` for every run: a single value repeated, or a list with one per run."""
    if isinstance(value, (list, tuple, np.ndarray)):
        if len(value) != runs:
            raise ValueError(
                f"{name} must be one number or one per alpha ({runs}), got {len(value)}"
            )
        return [check(v) for v in value]
    return [check(value)] * runs
