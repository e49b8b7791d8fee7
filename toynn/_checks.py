"""Argument checks shared by the public functions.

Each check names the argument it looks at, so a learner who passes ``alpha=-1`` reads
"alpha must be a positive, finite number, got -1" instead of a NaN twenty lines later.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence

import numpy as np

# Limits that keep one run inside memory and a few minutes of CPU time: a weight array of
# ten million numbers is 80 MB, and two billion weight-updates take minutes on a laptop.
MAX_WEIGHTS = 10_000_000
MAX_WEIGHT_UPDATES = 2_000_000_000


def check_number(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a float, or raise if it is not a finite (positive) real number."""
    wanted = "a positive, finite number" if positive else "a finite number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {wanted}, got {value!r} ({type(value).__name__})")
    try:
        number = float(value)
    except OverflowError:  # an int such as 10**400 has no float
        raise ValueError(f"{name} must be {wanted}, got {value!r}") from None
    if not math.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return number


def check_count(value: object, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= ``minimum``."""
    wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {wanted}, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return int(value)


def check_seed(seed: object) -> int:
    """Return ``seed`` if ``np.random.seed`` would accept it as a single integer."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {seed!r}")
    return int(seed)


def check_alphas(alphas: object) -> np.ndarray:
    """Return a non-empty 1-D float array of positive, finite step sizes."""
    if isinstance(alphas, np.ndarray) and alphas.ndim == 1:
        alphas = alphas.tolist()
    if isinstance(alphas, (str, bytes)) or not isinstance(alphas, Sequence):
        raise TypeError(f"alphas must be a list of positive numbers, got {alphas!r}")
    if len(alphas) == 0:
        raise ValueError("alphas must hold at least one step size, got an empty list")
    return np.array([check_number(a, f"alphas[{i}]", positive=True) for i, a in enumerate(alphas)])


def check_workload(
    hidden_size: int,
    iterations: int,
    runs: int = 1,
    *,
    rows: int = 4,
    names: tuple[str, str] = ("hidden_size", "iterations"),
) -> None:
    """Refuse runs that would not fit in memory or finish in a few minutes.

    ``rows`` is the longer side of the data (rows or inputs); ``names`` are what the caller
    calls hidden_size and iterations (the CLI says --hidden).
    """
    hidden_name, iterations_name = names
    weights = runs * hidden_size * rows  # the largest array: a (rows x hidden) layer per run
    if weights > MAX_WEIGHTS:
        raise ValueError(
            f"{hidden_name} {hidden_size} is too large: {runs} run(s) would hold {weights:,} "
            f"numbers per layer (at most {MAX_WEIGHTS:,})"
        )
    if iterations * weights > MAX_WEIGHT_UPDATES:
        raise ValueError(
            f"{iterations_name} {iterations} is too many for {hidden_name} {hidden_size} and "
            f"{runs} run(s): {iterations * weights:,} updates (at most {MAX_WEIGHT_UPDATES:,})"
        )


def check_array(value: object, name: str, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a float array of finite numbers: non-empty with ``ndim`` axes,
    or of any shape (a single number too) when ``ndim`` is None."""
    try:
        array = np.asarray(value)
    except ValueError:  # ragged nested lists
        raise ValueError(f"{name} must be a rectangular array of numbers") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must hold numbers, got values of type {array.dtype}")
    if ndim is not None and (array.ndim != ndim or array.size == 0):
        raise ValueError(f"{name} must be a non-empty {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold only finite numbers (no NaN or infinity)")
    return array.astype(float)


def check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Return ``X`` and ``y`` as float arrays: X is (rows, inputs), y is a (rows, 1) column."""
    X, y = check_array(X, "X", ndim=2), check_array(y, "y", ndim=2)
    if y.shape[1] != 1:
        raise ValueError(f"y must be a column of shape (rows, 1), got shape {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of rows, got {X.shape[0]} and {y.shape[0]}"
        )
    return X, y


def check_training(
    X: object, y: object, hidden_size: object, iterations: object, every: object, runs: int = 1
) -> tuple[np.ndarray, np.ndarray, int, int, int]:
    """The checks every training function shares, in one place."""
    X, y = check_data(X, y)
    hidden_size = check_count(hidden_size, "hidden_size")
    iterations = check_count(iterations, "iterations", minimum=0)
    every = check_count(every, "every")
    check_workload(hidden_size, iterations, runs, rows=max(X.shape))
    return X, y, hidden_size, iterations, every
