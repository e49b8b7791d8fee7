"""A correct solution of docs/exercise/network_from_memory_plain.py, for the tests: the
template's given helpers as they are, its six functions filled in."""

import math
import random

# --- Given: numpy's np.dot, .T and starting weights, in plain Python.


def dot(A, B):
    """The matrix product A @ B: each row of A times each column of B, added up."""
    columns = list(zip(*B, strict=True))
    return [
        [sum(a * b for a, b in zip(row, column, strict=True)) for column in columns] for row in A
    ]


def transpose(A):
    """Rows become columns: numpy's A.T."""
    return [list(column) for column in zip(*A, strict=True)]


def starting_weights(shapes, seed):
    """Weights drawn from [-1, 1), as np.random.seed(seed) and then one
    2 * np.random.random(shape) - 1 per shape draw them, in order, bit for bit."""
    state = [seed]
    for i in range(1, 624):  # numpy's seeding of the Mersenne Twister, which random runs too
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & 0xFFFFFFFF)
    generator = random.Random()
    generator.setstate((3, (*state, 624), None))
    return [
        [[2 * generator.random() - 1 for _ in range(columns)] for _ in range(rows)]
        for rows, columns in shapes
    ]


# --- Filled in.


def each(f, A, B):
    """f of the numbers at the same place in A and B."""
    return [[f(a, b) for a, b in zip(ra, rb, strict=True)] for ra, rb in zip(A, B, strict=True)]


def sigmoid(x):
    return [[1 / (1 + math.exp(-v)) for v in row] for row in x]


def sigmoid_output_to_derivative(output):
    return [[s * (1 - s) for s in row] for row in output]


def forward(X, synapse_0, synapse_1):
    layer_1 = sigmoid(dot(X, synapse_0))
    layer_2 = sigmoid(dot(layer_1, synapse_1))
    return layer_1, layer_2


def deltas(y, layer_1, layer_2, synapse_1):
    error = each(lambda out, target: out - target, layer_2, y)
    layer_2_delta = each(lambda e, s: e * s, error, sigmoid_output_to_derivative(layer_2))
    layer_1_error = dot(layer_2_delta, transpose(synapse_1))
    layer_1_delta = each(lambda e, s: e * s, layer_1_error, sigmoid_output_to_derivative(layer_1))
    return layer_1_delta, layer_2_delta


def update(X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha):
    synapse_1_slope = dot(transpose(layer_1), layer_2_delta)
    synapse_0_slope = dot(transpose(X), layer_1_delta)
    synapse_1 = each(lambda w, s: w - alpha * s, synapse_1, synapse_1_slope)
    synapse_0 = each(lambda w, s: w - alpha * s, synapse_0, synapse_0_slope)
    return synapse_0, synapse_1


def train(X, y, alpha, hidden_size, iterations, seed):
    synapse_0, synapse_1 = starting_weights([(len(X[0]), hidden_size), (hidden_size, 1)], seed)
    errors = []
    for _ in range(iterations):
        layer_1, layer_2 = forward(X, synapse_0, synapse_1)
        errors.append(
            sum(abs(out[0] - target[0]) for out, target in zip(layer_2, y, strict=True)) / len(y)
        )
        layer_1_delta, layer_2_delta = deltas(y, layer_1, layer_2, synapse_1)
        synapse_0, synapse_1 = update(
            X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha
        )
    return synapse_0, synapse_1, errors
