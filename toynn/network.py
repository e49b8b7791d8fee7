"""The 3-layer network (inputs -> hidden -> one output) and its gradient descent.

``train`` is the loop the chapters build by hand, one step size at a time. ``toynn.sweep``
runs the same arithmetic for many step sizes at once; the tests check the two agree bit
for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toynn._checks import (
    MAX_ELEMENTS,
    MAX_WORK,
    amount,
    check_array,
    check_cost,
    check_count,
    check_number,
    check_seed,
    check_training,
    shown,
)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Squash any number into (0, 1): 1 / (1 + e^-x).

    >>> sigmoid(np.array([-1000.0, 0.0, 1000.0]))
    array([0. , 0.5, 1. ])
    """
    if not isinstance(x, (np.ndarray, np.generic)):
        x = np.asarray(x)  # a list, or a plain number
    if x.dtype.kind in "biu":  # -x of a uint8 wraps round, and e^x of an int8 is a float16
        x = x.astype(float)
    elif x.dtype.kind not in "fc":
        raise TypeError(f"sigmoid needs numbers, got values of type {x.dtype}")
    # e^1000 overflows to inf and 1 / inf is exactly 0, the right limit: the huge alphas
    # of Part 5 do this on purpose, so the overflow is not worth a warning.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-x))


def sigmoid_output_to_derivative(output: np.ndarray) -> np.ndarray:
    """The sigmoid's slope, computed from its output s: s * (1 - s).

    >>> sigmoid_output_to_derivative(sigmoid(np.array([0.0])))
    array([0.25])
    """
    return output * (1 - output)


def starting_weights(shapes: list[tuple[int, int]], seed: int) -> list[np.ndarray]:
    """Weights drawn uniformly from [-1, 1), exactly as ``np.random.seed(seed)`` then
    ``2 * np.random.random(shape) - 1`` draws them, without touching numpy's global state.

    >>> [w.round(3).tolist() for w in starting_weights([(1, 2), (2, 1)], seed=1)]
    [[[-0.166, 0.441]], [[-1.0], [-0.395]]]
    """
    generator = np.random.RandomState(check_seed(seed))
    for i, shape in enumerate(shapes):
        for size in shape:
            check_count(size, f"shapes[{i}] (rows, columns)")
    weights = sum(rows * columns for rows, columns in shapes)
    check_cost(weights, MAX_ELEMENTS, f"shapes {shown(shapes)} hold {amount(weights)} weights")
    return [2 * generator.random_sample(shape) - 1 for shape in shapes]


def mean_absolute_error(error: np.ndarray) -> float:
    """The number the post prints at every checkpoint: the mean of |output - target|."""
    error = np.asarray(error)
    if error.size == 0:  # the mean of nothing is NaN, with two warnings
        raise ValueError("error must hold at least one number, got an empty array")
    return float(np.mean(np.abs(error)))


@dataclass
class TrainingRun:
    """What one training run leaves behind."""

    alpha: float
    hidden_size: int
    checkpoints: list[int]  # the iterations at which the error was recorded
    errors: list[float]  # the mean absolute error at each checkpoint, before that update
    synapse_0: np.ndarray  # final input -> hidden weights, (inputs, hidden_size)
    synapse_1: np.ndarray  # final hidden -> output weights, (hidden_size, 1)
    # How often each weight's update changed sign between consecutive iterations: each
    # change means the weight stepped over a minimum and turned back. None if not counted.
    synapse_0_direction_changes: np.ndarray | None = None
    synapse_1_direction_changes: np.ndarray | None = None
    seed: int | None = None  # the seed of the starting weights

    def error_at(self, iteration: int) -> float:
        """The error recorded at ``iteration`` (one of the checkpoints)."""
        if iteration not in self.checkpoints:
            raise ValueError(f"iteration {iteration} is not a checkpoint of this run")
        return self.errors[self.checkpoints.index(iteration)]

    def to_dict(self) -> dict:
        """Plain lists and numbers, ready for ``json.dumps``."""
        return {
            key: value.tolist() if isinstance(value, np.ndarray) else value
            for key, value in self.__dict__.items()
            if value is not None
        }

    @classmethod
    def from_dict(cls, record: dict) -> TrainingRun:
        """The run that ``to_dict`` wrote, with its arrays back as arrays."""
        arrays = {k: np.array(v) for k, v in record.items() if k.startswith("synapse")}
        return cls(**{**record, **arrays})


def count_direction_change(
    slope: np.ndarray, was_rising: np.ndarray | None, changes: np.ndarray
) -> np.ndarray:
    """Add 1 to ``changes`` wherever a weight's update turned round; return the directions.

    A negative slope moves its weight up (x <- x - alpha * slope), so ``slope < 0`` is the
    direction. A turn means the weight stepped over a minimum and came back.
    """
    rising = slope < 0
    if was_rising is not None:
        changes += rising != was_rising
    return rising


def predict(X: np.ndarray, synapse_0: np.ndarray, synapse_1: np.ndarray) -> np.ndarray:
    """The forward pass: the network's output for every row of X."""
    X, synapse_0, synapse_1 = (
        check_array(a, name, ndim=2)
        for a, name in ((X, "X"), (synapse_0, "synapse_0"), (synapse_1, "synapse_1"))
    )
    if synapse_0.shape[0] != X.shape[1] or synapse_1.shape != (synapse_0.shape[1], 1):
        raise ValueError(
            f"the shapes do not fit: X {X.shape} needs synapse_0 of shape ({X.shape[1]}, hidden) "
            f"and synapse_1 of shape (hidden, 1), got {synapse_0.shape} and {synapse_1.shape}"
        )
    layer = X.shape[0] * synapse_0.shape[1]  # the hidden layer's numbers
    sizes = f"X {X.shape} and synapse_0 {synapse_0.shape} are too large"
    check_cost(layer, MAX_ELEMENTS, f"{sizes}: the hidden layer would hold {layer:,} numbers")
    check_cost(layer * X.shape[1], MAX_WORK, f"{sizes}: {layer * X.shape[1]:,} multiply-adds")
    return sigmoid(sigmoid(X @ synapse_0) @ synapse_1)


def train(
    X: np.ndarray,
    y: np.ndarray,
    *,
    alpha: float = 1.0,
    hidden_size: int = 4,
    iterations: int = 60_000,
    seed: int = 1,
    every: int = 10_000,
    count_direction_changes: bool = False,
) -> TrainingRun:
    """Train the 3-layer network by full-batch gradient descent with step size ``alpha``.

    >>> from toynn.data import xor_data
    >>> run = train(*xor_data(), alpha=10, iterations=10_001)
    >>> run.checkpoints, [round(e, 5) for e in run.errors]
    ([0, 10000], [0.49641, 0.00313])
    """
    X, y, hidden_size, iterations, every = check_training(
        X, y, hidden_size, iterations, every, size_per_run=False
    )
    alpha, seed = check_number(alpha, "alpha", positive=True), check_seed(seed)
    synapse_0, synapse_1 = starting_weights([(X.shape[1], hidden_size), (hidden_size, 1)], seed)
    checkpoints, errors = [], []
    changes_0, changes_1 = np.zeros(synapse_0.shape, int), np.zeros(synapse_1.shape, int)
    was_rising_0 = was_rising_1 = None  # the direction of the previous update

    # The chapters show the three steps of this loop by name: the "--8<--" markers below
    # delimit them, and the site's build fails if one goes missing.
    for iteration in range(iterations):
        # --8<-- [start:forward]
        # Forward pass: what does the network predict with its current weights?
        layer_0 = X
        layer_1 = sigmoid(np.dot(layer_0, synapse_0))
        layer_2 = sigmoid(np.dot(layer_1, synapse_1))
        layer_2_error = layer_2 - y
        # --8<-- [end:forward]
        if iteration % every == 0:
            checkpoints.append(iteration)
            errors.append(mean_absolute_error(layer_2_error))

        # --8<-- [start:slope]
        # Backpropagation: the slope of the error with respect to every weight.
        layer_2_delta = layer_2_error * sigmoid_output_to_derivative(layer_2)
        layer_1_error = layer_2_delta.dot(synapse_1.T)  # how much each hidden node is to blame
        layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
        synapse_1_slope = layer_1.T.dot(layer_2_delta)
        synapse_0_slope = layer_0.T.dot(layer_1_delta)
        # --8<-- [end:slope]

        if count_direction_changes:
            was_rising_0 = count_direction_change(synapse_0_slope, was_rising_0, changes_0)
            was_rising_1 = count_direction_change(synapse_1_slope, was_rising_1, changes_1)

        # --8<-- [start:update]
        # Gradient descent: x = x - alpha * slope, for every weight at once.
        synapse_1 -= alpha * synapse_1_slope
        synapse_0 -= alpha * synapse_0_slope
        # --8<-- [end:update]

    return TrainingRun(
        alpha, hidden_size, checkpoints, errors, synapse_0, synapse_1,
        changes_0 if count_direction_changes else None,
        changes_1 if count_direction_changes else None,
        seed,
    )  # fmt: skip
