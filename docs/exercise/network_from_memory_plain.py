"""Rebuild the 3-layer network from memory, in plain Python: the page's copy of Part 6.

The same six functions as network_from_memory.py, without numpy: a matrix is a list of
rows. X is [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]] and y is [[0], [1], [1], [0]],
a column as a list of one-number rows. Fill them in, then press "Check" in the page: it
runs them one at a time, compares each result with toynn's, and stops at the first one
that differs, saying why.

Every body says ``raise NotImplementedError("your code here")``: the checker reports a
function that still raises it as "not written yet", so you can write and check them one
at a time. Keep the names and parameters as they are: the checker calls them.

The shapes, for the XOR data: X is (rows, inputs) = (4, 3), y is (rows, 1) = (4, 1),
synapse_0 is (inputs, hidden), synapse_1 is (hidden, 1). Only ``math`` is needed, and
the three helpers just below, given so that you can spend your memory on the network.
"""

import math  # noqa: F401  (math.exp, for your sigmoid)
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


# --- Yours.


def sigmoid(x):
    """Squash every number of the matrix ``x`` into the range (0, 1).

    Return a matrix of the same shape as ``x``: the logistic sigmoid of each number.
    sigmoid([[0.0]]) is [[0.5]].
    """
    raise NotImplementedError("your code here")


def sigmoid_output_to_derivative(output):
    """The slope of the sigmoid, computed from what the sigmoid returned.

    ``output`` is already squashed: it holds sigmoid(x), not x. Return a matrix of the
    same shape: the sigmoid's slope at each of those points. Of [[0.5]], it is [[0.25]].
    """
    raise NotImplementedError("your code here")


def forward(X, synapse_0, synapse_1):
    """The forward pass: what the network predicts for every row of ``X``.

    Return ``(layer_1, layer_2)``: the hidden layer, shape (rows, hidden), and the
    output layer, shape (rows, 1). Both go through the sigmoid.
    """
    raise NotImplementedError("your code here")


def deltas(y, layer_1, layer_2, synapse_1):
    """Backpropagation: how much each layer's weighted sums should change.

    Take the error as ``layer_2 - y`` (what the network said minus the target). Return
    ``(layer_1_delta, layer_2_delta)``, shapes (rows, hidden) and (rows, 1): each layer's
    share of the error, scaled by the slope of the sigmoid at that layer.
    """
    raise NotImplementedError("your code here")


def update(X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha):
    """One step of gradient descent on both weight matrices.

    Compute the slope of the error for every weight, from the layer that feeds the
    weight matrix and the delta it feeds into, and step each weight downhill by
    ``alpha`` times its slope. Return ``(synapse_0, synapse_1)``, with the shapes they
    came in.
    """
    raise NotImplementedError("your code here")


def train(X, y, alpha, hidden_size, iterations, seed):
    """Train the network by full-batch gradient descent.

    Start from ``starting_weights([(inputs, hidden_size), (hidden_size, 1)], seed)``:
    synapse_0 and synapse_1. Then, ``iterations`` times: run the forward pass, record the
    mean absolute error (the mean of |layer_2 - y|), compute the deltas, update.

    Return ``(synapse_0, synapse_1, errors)``: the final weights and a list holding one
    error per iteration, each recorded before that iteration's update.
    """
    raise NotImplementedError("your code here")


if __name__ == "__main__":
    # Run as a program, it trains your network on the XOR data.
    X = [[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]]
    y = [[0], [1], [1], [0]]
    synapse_0, synapse_1, errors = train(X, y, alpha=0.5, hidden_size=4, iterations=1_000, seed=1)
    print("Error at the start:", errors[0])
    print("Error at the end:  ", errors[-1])
    print("Output after training:", forward(X, synapse_0, synapse_1)[1])
