"""Limits by cost: nothing toynn accepts should take more than a few minutes or a few hundred
MB on a small machine, the tutorial's own experiments must fit, and TOYNN_NO_LIMITS=1 lifts
the limits. Every refusal below comes before any work or allocation."""

import numpy as np
import pytest

from toynn import (
    bowl_slope,
    descend,
    drop_balls,
    error_surface,
    first_input_data,
    five_dips_slope,
    predict,
    starting_weights,
    sweep,
    train,
    train_two_layer,
    xor_data,
)
from toynn._checks import check_training, check_workload

X, y = xor_data()


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (  # each iteration's fixed cost: 1.7 hours and 75 GB before
            lambda: train(X, y, hidden_size=1, iterations=500_000_000, every=1),
            "iterations 500000000 is too many (at most 1,000,000)",
        ),
        (  # 12 minutes before
            lambda: sweep(X, y, hidden_size=1, iterations=71_428_571),
            "iterations 71428571 is too many (at most 1,000,000)",
        ),
        (  # the errors kept: one per run and checkpoint
            lambda: sweep(X, y, [0.1, 1], iterations=1_000_000, every=1),
            "every 1 records too many errors: 2 run(s) x 1,000,000 checkpoints (at most 1,000,000)",
        ),
        (  # the arithmetic: few weights, but a thousand inputs feed each of them
            lambda: train(np.zeros((1000, 1000)), np.zeros((1000, 1)), hidden_size=1000,
                          iterations=100),
            "iterations 100 is too many for hidden_size 1000 and 1 run(s): about "
            "100,100,000,000 multiply-adds (at most 10,000,000,000)",
        ),
        (  # 15.6 GB before it raised
            lambda: drop_balls(bowl_slope, count=10**9),
            "1,000,000,000 balls x 200 steps is too many: the path would hold "
            "201,000,000,000 positions (at most 2,000,000)",
        ),
        (
            lambda: descend(bowl_slope, start=1.0, steps=10**7),
            "steps 10000000 is too many (at most 1,000,000)",
        ),
        (  # 7.2 GB before
            lambda: starting_weights([(30000, 30000)], 1),
            "shapes [(30000, 30000)] hold 900,000,000 weights (at most 2,000,000)",
        ),
        (  # hours: a million rows, five million steps
            lambda: train_two_layer(np.zeros((1_000_000, 2)), np.zeros((1_000_000, 1)),
                                    iterations=5_000_000),
            "iterations 5000000 is too many",
        ),
        (  # 80 GB: small arrays, a huge product
            lambda: predict(np.zeros((100_000, 1)), np.zeros((1, 100_000)), np.zeros((100_000, 1))),
            "the hidden layer would hold 10,000,000,000 numbers (at most 2,000,000)",
        ),
    ],
)  # fmt: skip
def test_costly_calls_are_refused_up_front_saying_how_to_go_past_the_limit(call, says):
    with pytest.raises(ValueError) as refused:
        call()
    assert says in str(refused.value)
    assert str(refused.value).endswith(
        "; set the environment variable TOYNN_NO_LIMITS=1 to go past this limit"
    )


def test_the_tutorials_experiments_fit_in_the_limits():
    check_workload(4, 60_000, 7, every=10_000)  # the command line's defaults
    check_training(X, y, 32, 60_000, 1, runs=7)  # every error of the post's sweep
    # The Explorer's grid: 13 alphas x 3 seeds for each hidden size up to 32, at once.
    check_training(X, y, 32, 60_001, 100, runs=273)
    sizes = [hidden for hidden in (1, 2, 3, 4, 8, 16, 32) for _ in range(39)]
    check_training(X, y, sizes, 60_001, 100, runs=273)
    starts, ends = drop_balls(five_dips_slope, count=100, steps=200)
    assert ends.shape == (100,)
    w = np.linspace(-10, 10, 101)
    assert error_surface(*first_input_data(), u=w, v=w).shape == (101, 101)


def test_hidden_sizes_may_be_one_per_run():
    _, _, sizes, _, _ = check_training(X, y, np.array([1, 2]), 10, 1, runs=2)
    assert sizes == [1, 2] and all(type(size) is int for size in sizes)
    with pytest.raises(ValueError, match=r"hidden_size must be one number or one per run \(3\)"):
        check_training(X, y, [1, 2], 10, 1, runs=3)
    with pytest.raises(ValueError, match=r"hidden_size\[1\] must be a positive whole number"):
        check_training(X, y, [1, 0], 10, 1, runs=2)
    with pytest.raises(ValueError, match=r"hidden_size \[1, 600000\] is too large: 2 run"):
        check_training(X, y, [1, 600_000], 10, 1, runs=2)
    with pytest.raises(TypeError, match=r"hidden_size must be a positive whole number, got \[4\]"):
        train(X, y, hidden_size=[4])  # one run: one size


def test_toynn_no_limits_1_lifts_them(monkeypatch):
    monkeypatch.setenv("TOYNN_NO_LIMITS", "1")
    check_workload(1, 500_000_000, 1, every=1)  # accepted (and not run)
    weights = starting_weights([(2001, 1000)], seed=1)  # 2,001,000 weights: one too many
    assert predict(np.ones((2001, 1)), weights[0][:1], np.ones((1000, 1))).shape == (2001, 1)
    monkeypatch.setenv("TOYNN_NO_LIMITS", "0")
    with pytest.raises(ValueError, match="TOYNN_NO_LIMITS=1"):
        starting_weights([(2001, 1000)], seed=1)


def test_huge_whole_numbers_are_named_without_printing_them_whole():
    with pytest.raises(ValueError, match=r"iterations about 10\*\*5000 is too many"):
        train(X, y, iterations=10**5000)
    with pytest.raises(ValueError, match=r"must be a whole number >= 0, got about -10\*\*5000$"):
        train(X, y, iterations=-(10**5000))
