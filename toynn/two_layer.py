"""Part 4: the 2-layer network (no hidden layer) and the error surface over its two weights.

With only two weights, u and v, the error is a surface over the (u, v) plane, and gradient
descent is a ball rolling on it - the bucket of Part 2 in one more dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from toynn._checks import (
    MAX_WEIGHTS,
    check_array,
    check_count,
    check_data,
    check_number,
    check_workload,
)
from toynn.network import sigmoid, sigmoid_output_to_derivative, starting_weights


@dataclass
class TwoLayerRun:
    """Every weight the 2-layer network passed through, and its error there."""

    path: np.ndarray  # (iterations + 1, inputs): the weights before each update, then the last
    errors: np.ndarray  # (iterations + 1,): the mean absolute error at each row of ``path``


def train_two_layer(
    X: np.ndarray, y: np.ndarray, *, alpha: float = 1.0, iterations: int = 10_000, seed: int = 1
) -> TwoLayerRun:
    """Train inputs -> one sigmoid output, recording the weights at every step.

    >>> from toynn.data import first_input_data
    >>> run = train_two_layer(*first_input_data())
    >>> run.path[-1].round(2), round(float(run.errors[-1]), 4)
    (array([ 5.28, -5.28]), 0.0051)
    """
    X, y = check_data(X, y)
    alpha = check_number(alpha, "alpha", positive=True)
    iterations = check_count(iterations, "iterations", minimum=0)
    # Costs like a 3-layer network with one hidden node: one weighted sum per row per step.
    check_workload(1, iterations, rows=X.shape[0], inputs=X.shape[1])
    if (iterations + 1) * X.shape[1] > MAX_WEIGHTS:  # the path keeps every step's weights
        raise ValueError(
            f"iterations must be at most {MAX_WEIGHTS // X.shape[1] - 1:,} to record every "
            f"step's weights, got {iterations:,}"
        )
    (synapse_0,) = starting_weights([(X.shape[1], 1)], seed)
    path = np.empty((iterations + 1, X.shape[1]))
    errors = np.empty(iterations + 1)
    for iteration in range(iterations + 1):
        # --8<-- [start:forward]
        layer_1 = sigmoid(X @ synapse_0)
        layer_1_error = layer_1 - y
        # --8<-- [end:forward]
        path[iteration], errors[iteration] = synapse_0[:, 0], np.mean(np.abs(layer_1_error))
        if iteration == iterations:
            break  # the last row records where training stopped; no update follows it
        # --8<-- [start:slope]
        layer_1_delta = layer_1_error * sigmoid_output_to_derivative(layer_1)
        synapse_0_slope = X.T @ layer_1_delta
        # --8<-- [end:slope]
        # --8<-- [start:update]
        synapse_0 -= alpha * synapse_0_slope
        # --8<-- [end:update]
    return TwoLayerRun(path, errors)


def error_surface(X: np.ndarray, y: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Mean absolute error of the 2-input network for every pair of weights (u[j], v[i]).

    Returns an array of shape (len(v), len(u)), the layout ``plt.contour(u, v, E)``
    expects. Computed for the whole grid at once, without a Python loop.

    >>> from toynn.data import first_input_data
    >>> E = error_surface(*first_input_data(), u=np.array([-10.0, 0, 10]), v=np.array([0.0]))
    >>> E.round(3)
    array([[0.75, 0.5 , 0.25]])
    """
    X, y = check_data(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have two columns (one per weight), got {X.shape[1]}")
    u, v = check_array(u, "u", ndim=1), check_array(v, "v", ndim=1)
    if u.size * v.size * X.shape[0] > MAX_WEIGHTS:
        raise ValueError(
            f"the grid of {v.size} x {u.size} weights is too large "
            "(at most 10 million grid points times rows)"
        )
    # One output per (row, v, u): broadcasting stands in for a loop over the grid.
    weighted_sum = X[:, 0, None, None] * u[None, None, :] + X[:, 1, None, None] * v[None, :, None]
    output = sigmoid(weighted_sum)
    return np.mean(np.abs(output - y[:, :, None]), axis=0)
