"""Baseline for benchmarks/sweep_speed.py: the post's alpha sweep, one alpha at a time.

Our Python 3 re-typing of the algorithm as the post runs it - a fresh seed and a plain
``np.dot`` loop per alpha - printing the same lines as ``toynn sweep``. Deliberately
independent of toynn, so the benchmark compares against the original formulation.

    python benchmarks/post_loop.py [hidden_size]
"""

import sys

import numpy as np

hidden_size = int(sys.argv[1]) if len(sys.argv) > 1 else 4
X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
y = np.array([[0, 1, 1, 0]]).T

for alpha in [0.001, 0.01, 0.1, 1, 10, 100, 1000]:
    print(f"\nTraining With Alpha:{alpha:.12g}")
    np.random.seed(1)
    weights_0 = 2 * np.random.random((3, hidden_size)) - 1
    weights_1 = 2 * np.random.random((hidden_size, 1)) - 1
    with np.errstate(over="ignore"):
        for j in range(60000):
            hidden = 1 / (1 + np.exp(-np.dot(X, weights_0)))
            output = 1 / (1 + np.exp(-np.dot(hidden, weights_1)))
            output_error = output - y
            if j % 10000 == 0:
                print(f"Error after {j} iterations:{np.mean(np.abs(output_error)):.12g}")
            output_delta = output_error * (output * (1 - output))
            hidden_delta = output_delta.dot(weights_1.T) * (hidden * (1 - hidden))
            weights_1 -= alpha * hidden.T.dot(output_delta)
            weights_0 -= alpha * X.T.dot(hidden_delta)
