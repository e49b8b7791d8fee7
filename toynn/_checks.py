"""Argument checks shared by the public functions.

Each check names the argument it looks at, so a learner who passes ``alpha=-1`` reads
"alpha must be a positive, finite number, got -1" instead of a NaN twenty lines later.
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Sequence

import numpy as np

# The largest path or grid toynn.two_layer keeps: ten million numbers are 80 MB.
MAX_WEIGHTS = 10_000_000

# Limits by cost, so that no call takes more than a few minutes or a few hundred MB on a
# small machine (measured on 2 cores, Python 3.11, numpy 2.4), each for a way it can grow:
# - every iteration costs 17 to 60 microseconds however small the network, in numpy's
#   set-up of each call: a million iterations take under a minute;
MAX_ITERATIONS = 1_000_000
# - every error recorded (one per run and checkpoint) keeps 100 to 250 bytes;
MAX_RECORDED = 1_000_000
# - an array of two million numbers is 16 MB, and train holds about nine of them at once;
MAX_ELEMENTS = 2_000_000
# - a multiply-add takes 2 to 7 ns inside numpy: ten billion take 20 to 70 s.
MAX_WORK = 10_000_000_000
NO_LIMITS = "TOYNN_NO_LIMITS"  # set to 1 in the environment to lift every limit above


def shown(value: object, keep: int = 60) -> str:
    """``repr(value)``, cut to ``keep`` characters: a 100 kB argument is not echoed whole."""
    if isinstance(value, numbers.Integral) and abs(value) >= 10**keep:  # its repr is slow
        power = int(int(abs(value)).bit_length() * math.log10(2))
        return f"about {'-' * (value < 0)}10**{power}"
    text = repr(value)
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text):,} characters)"


def check_cost(value: int, limit: int, problem: str) -> None:
    """Refuse ``value`` above ``limit`` unless TOYNN_NO_LIMITS=1; ``problem`` says what is
    too much, and the error adds the limit and how to go past it."""
    if value > limit and os.environ.get(NO_LIMITS) != "1":
        raise ValueError(
            f"{problem} (at most {limit:,}); set the environment variable {NO_LIMITS}=1 to go "
            "past this limit"
        )


def amount(n: int) -> str:
    """``n`` with thousands separators, or its size in digits if it is huge."""
    return f"{n:,}" if n < 10**30 else shown(n, keep=30)


def check_number(value: object, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a float, or raise if it is not a finite (positive) real number."""
    wanted = "a positive, finite number" if positive else "a finite number"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {wanted}, got {shown(value)} ({type(value).__name__})")
    try:
        number = float(value)
    except OverflowError:  # an int such as 10**400 has no float
        raise ValueError(f"{name} must be {wanted}, got {shown(value)}") from None
    if not math.isfinite(number) or (positive and number <= 0):
        raise ValueError(f"{name} must be {wanted}, got {shown(value)}")
    return number


def check_count(value: object, name: str, *, minimum: int = 1) -> int:
    """Return ``value`` as an int, or raise if it is not a whole number >= ``minimum``."""
    wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {wanted}, got {shown(value)} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{name} must be {wanted}, got {shown(value)}")
    return int(value)


def check_seed(seed: object) -> int:
    """Return ``seed`` if ``np.random.seed`` would accept it as a single integer."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number from 0 to 2**32 - 1, got {shown(seed)}")
    if not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a whole number from 0 to 2**32 - 1, got {shown(seed)}")
    return int(seed)


def check_alphas(alphas: object) -> np.ndarray:
    """Return a non-empty 1-D float array of positive, finite step sizes."""
    if isinstance(alphas, np.ndarray) and alphas.ndim == 1:
        alphas = alphas.tolist()
    if isinstance(alphas, (str, bytes)) or not isinstance(alphas, Sequence):
        raise TypeError(f"alphas must be a list of positive numbers, got {shown(alphas)}")
    if len(alphas) == 0:
        raise ValueError("alphas must hold at least one step size, got an empty list")
    return np.array([check_number(a, f"alphas[{i}]", positive=True) for i, a in enumerate(alphas)])


def check_workload(
    hidden_size: int | Sequence[int],
    iterations: int,
    runs: int = 1,
    *,
    rows: int = 4,
    inputs: int = 3,
    every: int | None = None,
    names: tuple[str, ...] = ("hidden_size", "iterations", "every"),
) -> None:
    """Refuse training that would need more than a few minutes or a few hundred MB.

    ``hidden_size`` is one size for all ``runs``, or a list with one size per run; ``rows``
    and ``inputs`` are the data's shape (the XOR set's by default); ``every`` is how often
    an error is recorded, if it is; ``names`` are what the caller calls hidden_size,
    iterations and every (the command line says --hidden). The limits are in the comments
    at the top of this module; TOYNN_NO_LIMITS=1 lifts them.
    """
    hidden_name, iterations_name, every_name = (*names, "every")[:3]
    hidden = sum(hidden_size) if isinstance(hidden_size, Sequence) else hidden_size * runs
    elements = hidden * max(rows, inputs + 1)  # the largest array: a layer, or the weights
    check_cost(elements, MAX_ELEMENTS, f"{hidden_name} {shown(hidden_size)} is too large: "
               f"{runs} run(s) would hold {amount(elements)} numbers per layer")  # fmt: skip
    check_cost(iterations, MAX_ITERATIONS, f"{iterations_name} {shown(iterations)} is too many")
    work = iterations * hidden * rows * (inputs + 1)  # multiply-adds, roughly
    check_cost(work, MAX_WORK, f"{iterations_name} {shown(iterations)} is too many for "
               f"{hidden_name} {shown(hidden_size)} and {runs} run(s): about "
               f"{amount(work)} multiply-adds")  # fmt: skip
    if every is not None:
        checkpoints = -(-iterations // every)  # an error at 0, every, 2 * every, ...
        check_cost(runs * checkpoints, MAX_RECORDED, f"{every_name} {shown(every)} records too "
                   f"many errors: {runs} run(s) x {amount(checkpoints)} checkpoints")  # fmt: skip


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
    X: object,
    y: object,
    hidden_size: object,
    iterations: object,
    every: object,
    runs: int = 1,
    *,
    size_per_run: bool = True,
) -> tuple[np.ndarray, np.ndarray, int | list[int], int, int]:
    """The checks every training function shares, in one place.

    ``hidden_size`` may be a list with one size per run, unless ``size_per_run`` is False;
    it comes back as a list of ints.
    """
    X, y = check_data(X, y)
    if size_per_run and isinstance(hidden_size, (list, tuple, np.ndarray)):
        if len(hidden_size) != runs:
            raise ValueError(
                f"hidden_size must be one number or one per run ({runs}), got {len(hidden_size)}"
            )
        hidden_size = [check_count(h, f"hidden_size[{i}]") for i, h in enumerate(hidden_size)]
    else:
        hidden_size = check_count(hidden_size, "hidden_size")
    iterations = check_count(iterations, "iterations", minimum=0)
    every = check_count(every, "every")
    rows, inputs = X.shape
    check_workload(hidden_size, iterations, runs, rows=rows, inputs=inputs, every=every)
    return X, y, hidden_size, iterations, every
