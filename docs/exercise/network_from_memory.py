"""Rebuild the 3-layer network from memory: the blank exercise of toynn's Part 6.

Fill in the six functions below without looking at the chapters, then grade your work:

    toynn check network_from_memory.py

The checker runs your functions one at a time, in the order they appear here, compares
each result with toynn's, and stops at the first one that differs, saying why. It runs
your file in a separate Python process: a step that takes longer than 20 seconds is
stopped (``--time-limit SECONDS`` changes that), and what your code prints is shown only
when a check fails.

Every body says ``raise NotImplementedError("your code here")`` because this is the
blank exercise: replace each one with your own code. (The checker reports a function
that still raises it as "not written yet", so you can fill them in one at a time and
check as you go.) Keep the names and parameters as they are: the checker calls them.

The shapes, for the XOR data: X is (rows, inputs) = (4, 3), y is (rows, 1) = (4, 1),
synapse_0 is (inputs, hidden), synapse_1 is (hidden, 1). Only numpy is needed.
"""

import numpy as np


def sigmoid(x):
    """Squash every number of the array ``x`` into the range (0, 1).

    Return an array of the same shape as ``x``: the logistic sigmoid of each number.

    >>> sigmoid(np.array([0.0]))
    array([0.5])
    """
    raise NotImplementedError("your code here")


def sigmoid_output_to_derivative(output):
    """The slope of the sigmoid, computed from what the sigmoid returned.

    ``output`` is already squashed: it holds sigmoid(x), not x. Return an array of the
    same shape: the sigmoid's slope at each of those points.

    >>> sigmoid_output_to_derivative(np.array([0.5]))
    array([0.25])
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
    came in. Changing the arrays in place is fine, as long as you return them.
    """
    raise NotImplementedError("your code here")


def train(X, y, alpha, hidden_size, iterations, seed):
    """Train the network by full-batch gradient descent.

    Start with ``np.random.seed(seed)``, then draw ``synapse_0`` (inputs, hidden_size)
    and after it ``synapse_1`` (hidden_size, 1), each uniformly from [-1, 1) with
    ``np.random.random``. Then, ``iterations`` times: run the forward pass, record the
    mean absolute error (the mean of |layer_2 - y|), compute the deltas, update.

    Return ``(synapse_0, synapse_1, errors)``: the final weights and a list holding one
    error per iteration, each recorded before that iteration's update.
    """
    raise NotImplementedError("your code here")


if __name__ == "__main__":
    # `python network_from_memory.py` trains your network on the XOR data.
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    synapse_0, synapse_1, errors = train(X, y, alpha=0.5, hidden_size=4, iterations=60_000, seed=1)
    print("Error at the start:", errors[0])
    print("Error at the end:  ", errors[-1])
    print("Output after training:")
    print(forward(X, synapse_0, synapse_1)[1])
