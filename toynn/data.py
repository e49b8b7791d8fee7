"""The two toy data sets the tutorial trains on."""

from __future__ import annotations

import numpy as np


def xor_data() -> tuple[np.ndarray, np.ndarray]:
    """The four-row set of the 3-layer network: y is x1 XOR x2.

    The third input is always 1: it stands in for a bias, so the network can shift
    its thresholds without a separate bias weight.

    >>> X, y = xor_data()
    >>> X
    array([[0., 0., 1.],
           [0., 1., 1.],
           [1., 0., 1.],
           [1., 1., 1.]])
    >>> y.T
    array([[0., 1., 1., 0.]])
    """
    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    return X, y


def first_input_data() -> tuple[np.ndarray, np.ndarray]:
    """Part 4's set for the 2-layer network: the output copies the first input.

    >>> X, y = first_input_data()
    >>> X.tolist(), y.T.tolist()
    ([[0.0, 1.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.0]], [[0.0, 0.0, 1.0, 1.0]])
    """
    X = np.array([[0, 1], [0, 1], [1, 0], [1, 0]], dtype=float)
    y = np.array([[0], [0], [1], [1]], dtype=float)
    return X, y
