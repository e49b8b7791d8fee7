"""The 3-layer network of ``toynn.network`` in plain Python: every multiplication spelled out.

Lists of floats, ``math`` and ``random``, no numpy: it runs where numpy does not, such as a
browser's Pyodide. The names and the three steps (forward, slope, update) are those of
``toynn.network``; the starting weights are numpy's bit for bit, and ``train`` gives
``toynn.train``'s numbers to within rounding. A matrix is a list of rows: [[0, 0, 1], ...].
"""

from __future__ import annotations

import math
import numbers
import os
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass

# Limits of its own (toynn/_checks.py has numpy's): plain Python takes 2 to 4 times numpy's
# time on the XOR network with 4 hidden nodes, but 10 times with 32 and 80 with 1,000. One
# "operation" below took 0.13 to 0.9 microseconds in CPython 3.10 to 3.13 on 2 cores, so
# the largest run allowed takes a minute or two here, two or three times that in Pyodide.
MAX_ITERATIONS = 1_000_000
MAX_WORK = 100_000_000  # operations: iterations * rows * (hidden_size + 1) * (inputs + 2)
MAX_ELEMENTS = 1_000_000  # numbers in one layer: about 30 MB as lists of floats
NO_LIMITS = "TOYNN_NO_LIMITS"  # set to 1 in the environment to lift every limit, as in toynn


def sigmoid(x: float) -> float:
    """Squash one number into (0, 1): 1 / (1 + e^-x).

    >>> sigmoid(-1000.0), sigmoid(0.0), sigmoid(1000.0)
    (0.0, 0.5, 1.0)
    """
    try:
        return 1 / (1 + math.exp(-x))
    except OverflowError:  # e^1000 is past the largest float: numpy says inf, and 1 / inf = 0
        return 0.0


def sigmoid_output_to_derivative(output: float) -> float:
    """The sigmoid's slope, computed from its output s: s * (1 - s)."""
    return output * (1 - output)


def dot(A: list[list[float]], B: list[list[float]]) -> list[list[float]]:
    """The matrix product: each row of A times each column of B, multiplied and added up.

    >>> dot([[1, 2], [3, 4]], [[5], [6]])  # 1 * 5 + 2 * 6 and 3 * 5 + 4 * 6
    [[17.0], [39.0]]
    """
    product = []
    for row in A:
        product.append([])
        for j in range(len(B[0])):
            total = 0.0  # added one by one: sum() adds floats more exactly since Python 3.12
            for k, a in enumerate(row):
                total += a * B[k][j]
            product[-1].append(total)
    return product


def transpose(A: list[list[float]]) -> list[list[float]]:
    """Rows become columns: numpy's ``A.T``."""
    return [list(column) for column in zip(*A, strict=True)]


def apply(f, A: list[list[float]]) -> list[list[float]]:
    """``f`` of every number in A, as numpy's ``sigmoid`` is of every number in an array."""
    return [[f(a) for a in row] for row in A]


def subtract(A: list[list[float]], B: list[list[float]]) -> list[list[float]]:
    """A - B, number by number."""
    return [[a - b for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(A, B, strict=True)]


def multiply(A: list[list[float]], B: list[list[float]]) -> list[list[float]]:
    """A * B, number by number (the matrix product is ``dot``)."""
    return [[a * b for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(A, B, strict=True)]


def scale(c: float, A: list[list[float]]) -> list[list[float]]:
    """c * A: every number of A times c."""
    return [[c * a for a in row] for row in A]


def starting_weights(shapes: list[tuple[int, int]], seed: int) -> list[list[list[float]]]:
    """Weights drawn uniformly from [-1, 1), exactly as ``np.random.seed(seed)`` then
    ``2 * np.random.random(shape) - 1`` draws them: numpy's seeding fills the Mersenne
    Twister's 624 numbers as below, and ``random.Random`` runs the same Twister.

    >>> [[[round(w, 3) for w in row] for row in m] for m in starting_weights([(1, 2), (2, 1)], 1)]
    [[[-0.166, 0.441]], [[-1.0], [-0.395]]]
    """
    state = [_check_whole(seed, "seed", minimum=0, maximum=2**32 - 1)]
    for i, shape in enumerate(shapes):
        for size in shape:
            _check_whole(size, f"shapes[{i}] (rows, columns)")
    weights = sum(rows * columns for rows, columns in shapes)
    _check_cost(weights, MAX_ELEMENTS, f"shapes {_shown(shapes)} hold {_shown(weights)} weights")
    for i in range(1, 624):
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & 0xFFFFFFFF)
    generator = random.Random()
    generator.setstate((3, (*state, 624), None))  # 624: twist the state before the first draw
    return [
        [[2 * generator.random() - 1 for _ in range(columns)] for _ in range(rows)]
        for rows, columns in shapes
    ]


def mean_absolute_error(error: list[list[float]]) -> float:
    """The number the post prints at every checkpoint: the mean of |output - target|."""
    total = 0.0
    for row in error:
        for e in row:
            total += abs(e)
    return total / sum(len(row) for row in error)


@dataclass
class TrainingRun:
    """What one training run leaves behind: ``toynn.TrainingRun``'s fields, in lists."""

    alpha: float
    hidden_size: int
    checkpoints: list[int]  # the iterations at which the error was recorded
    errors: list[float]  # the mean absolute error at each checkpoint, before that update
    synapse_0: list[list[float]]  # final input -> hidden weights: one row per input
    synapse_1: list[list[float]]  # final hidden -> output weights: one row per hidden node
    seed: int | None = None  # the seed of the starting weights


def train(
    X: list[list[float]],
    y: list[list[float]],
    *,
    alpha: float = 1.0,
    hidden_size: int = 4,
    iterations: int = 60_000,
    seed: int = 1,
    every: int = 10_000,
) -> TrainingRun:
    """Train the 3-layer network by full-batch gradient descent with step size ``alpha``.

    >>> X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    >>> run = train(X, [[0], [1], [1], [0]], alpha=10, iterations=1_001, every=500)
    >>> run.checkpoints, [round(e, 5) for e in run.errors]
    ([0, 500, 1000], [0.49641, 0.01739, 0.01152])
    """
    X, y = _check_data(X, y)
    hidden_size = _check_whole(hidden_size, "hidden_size")
    iterations = _check_whole(iterations, "iterations", minimum=0)
    every = _check_whole(every, "every")
    _check_workload(len(X), len(X[0]), hidden_size, iterations)
    alpha = _check_alpha(alpha)
    synapse_0, synapse_1 = starting_weights([(len(X[0]), hidden_size), (hidden_size, 1)], seed)
    checkpoints, errors = [], []

    # The same three steps as toynn/network.py, between the same "--8<--" markers, so a
    # chapter can show the two side by side.
    for iteration in range(iterations):
        # --8<-- [start:forward]
        # Forward pass: what does the network predict with its current weights?
        layer_0 = X
        layer_1 = apply(sigmoid, dot(layer_0, synapse_0))
        layer_2 = apply(sigmoid, dot(layer_1, synapse_1))
        layer_2_error = subtract(layer_2, y)
        # --8<-- [end:forward]
        if iteration % every == 0:
            checkpoints.append(iteration)
            errors.append(mean_absolute_error(layer_2_error))

        # --8<-- [start:slope]
        # Backpropagation: the slope of the error with respect to every weight.
        layer_2_delta = multiply(layer_2_error, apply(sigmoid_output_to_derivative, layer_2))
        layer_1_error = dot(layer_2_delta, transpose(synapse_1))  # each hidden node's blame
        layer_1_delta = multiply(layer_1_error, apply(sigmoid_output_to_derivative, layer_1))
        synapse_1_slope = dot(transpose(layer_1), layer_2_delta)
        synapse_0_slope = dot(transpose(layer_0), layer_1_delta)
        # --8<-- [end:slope]

        # --8<-- [start:update]
        # Gradient descent: x = x - alpha * slope, for every weight.
        synapse_1 = subtract(synapse_1, scale(alpha, synapse_1_slope))
        synapse_0 = subtract(synapse_0, scale(alpha, synapse_0_slope))
        # --8<-- [end:update]

    return TrainingRun(alpha, hidden_size, checkpoints, errors, synapse_0, synapse_1, seed)


# The checks of toynn/_checks.py, which imports numpy: the same rules and messages.


def _shown(value: object, keep: int = 60) -> str:
    """``repr(value)``, cut to ``keep`` characters; a huge whole number as its size."""
    if isinstance(value, numbers.Integral) and abs(value) >= 10**keep:  # its repr is slow
        return f"about {'-' * (value < 0)}10**{int(int(abs(value)).bit_length() * math.log10(2))}"
    text = repr(value)
    return text if len(text) <= keep else f"{text[:keep]}... ({len(text):,} characters)"


def _check_cost(value: int, limit: int, problem: str) -> None:
    if value > limit and os.environ.get(NO_LIMITS) != "1":
        raise ValueError(f"{problem} (at most {limit:,} in plain Python); set the environment "
                         f"variable {NO_LIMITS}=1 to go past this limit")  # fmt: skip


def _check_alpha(alpha: object) -> float:
    wanted = "alpha must be a positive, finite number"
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"{wanted}, got {_shown(alpha)} ({type(alpha).__name__})")
    if not 0 < alpha <= sys.float_info.max:  # not NaN, infinity, nor 10**400 (no float)
        raise ValueError(f"{wanted}, got {_shown(alpha)}")
    return float(alpha)


def _check_whole(value: object, name: str, minimum: int = 1, maximum: int | None = None) -> int:
    wanted = "a positive whole number" if minimum == 1 else f"a whole number >= {minimum}"
    if maximum is not None:
        wanted = f"a whole number from {minimum} to 2**32 - 1"  # the seed's range
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be {wanted}, got {_shown(value)} ({type(value).__name__})")
    if value < minimum or (maximum is not None and value > maximum):
        raise ValueError(f"{name} must be {wanted}, got {_shown(value)}")
    return int(value)


def _is_list(value: object) -> bool:
    return isinstance(value, Iterable) and not isinstance(value, (str, bytes))


def _check_rows(value: object, name: str, like: str = "[[0, 1], [1, 0]]") -> list[list[float]]:
    """``value`` as a non-empty list of equally long rows of finite floats."""
    rows = list(value) if _is_list(value) else None
    if rows is None or not all(_is_list(row) for row in rows):
        wanted = f"a list of rows of numbers, like {like}"
        raise TypeError(f"{name} must be {wanted}, got {_shown(value)}")
    rows = [list(row) for row in rows]
    if not rows or not all(rows):
        raise ValueError(f"{name} must hold at least one row of numbers, got {_shown(value)}")
    if any(len(row) != len(rows[0]) for row in rows):
        lengths = " and ".join(str(n) for n in sorted({len(row) for row in rows}))
        raise ValueError(f"{name} must be a rectangular array of numbers: rows of {lengths}")
    for v in (v for row in rows for v in row):
        if not isinstance(v, numbers.Real):
            raise TypeError(f"{name} must hold numbers, got {_shown(v)} ({type(v).__name__})")
        if not abs(v) <= sys.float_info.max:  # not NaN, infinity, nor 10**400 (no float)
            raise ValueError(f"{name} must hold only finite numbers (no NaN or infinity)")
    return [[float(v) for v in row] for row in rows]


def _check_data(X: object, y: object) -> tuple[list[list[float]], list[list[float]]]:
    X, y = _check_rows(X, "X"), _check_rows(y, "y", like="[[0], [1]]")
    if len(y[0]) != 1:
        raise ValueError(f"y must be a column: one [target] per row, got rows of {len(y[0])}")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and {len(y)}")
    return X, y


def _check_workload(rows: int, inputs: int, hidden_size: int, iterations: int) -> None:
    """Refuse training that would take more than a few minutes (the limits at the top)."""
    elements = hidden_size * max(rows, inputs + 1)  # the largest list: a layer, or the weights
    _check_cost(elements, MAX_ELEMENTS, f"hidden_size {_shown(hidden_size)} is too large: "
                f"a layer would hold {_shown(elements)} numbers")  # fmt: skip
    _check_cost(iterations, MAX_ITERATIONS, f"iterations {_shown(iterations)} is too many")
    work = iterations * rows * (hidden_size + 1) * (inputs + 2)
    _check_cost(work, MAX_WORK, f"iterations {_shown(iterations)} is too many for hidden_size "
                f"{hidden_size} on {rows} rows of {inputs} inputs: about {work:,} "
                "operations")  # fmt: skip
