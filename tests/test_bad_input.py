"""Every public function names the argument that is wrong and says what it expected."""

import numpy as np
import pytest

from toynn import (
    bowl_slope,
    descend,
    descend_by_sign,
    drop_balls,
    error_surface,
    first_input_data,
    mean_absolute_error,
    predict,
    sigmoid,
    starting_weights,
    sweep,
    train,
    train_two_layer,
    xor_data,
)

X, y = xor_data()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"alpha": -1}, ValueError, "alpha must be a positive, finite number"),
        ({"alpha": 0}, ValueError, "alpha must be a positive"),
        ({"alpha": float("nan")}, ValueError, "alpha must be"),
        ({"alpha": float("inf")}, ValueError, "alpha must be"),
        ({"alpha": "0.1"}, TypeError, "alpha must be"),
        ({"alpha": True}, TypeError, "alpha must be"),
        ({"hidden_size": 2.5}, TypeError, "hidden_size must be a positive whole number"),
        ({"hidden_size": 0}, ValueError, "hidden_size must be a positive whole number"),
        ({"iterations": -1}, ValueError, "iterations must be a whole number >= 0"),
        ({"every": 0}, ValueError, "every must be a positive whole number"),
        ({"seed": -1}, ValueError, "seed must be a whole number from 0 to 2**32 - 1"),
        ({"seed": 2**32}, ValueError, "seed must be"),
        ({"seed": 1.5}, TypeError, "seed must be"),
        ({"hidden_size": 10**8}, ValueError, "hidden_size 100000000 is too large"),
        ({"hidden_size": 1000, "iterations": 10**7}, ValueError, "iterations 10000000 is too many"),
    ],
)
def test_bad_settings_are_named(kwargs, error, message):
    with pytest.raises(error, match=message.replace("*", r"\*")):
        train(X, y, **kwargs)


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ((X, y[:3]), ValueError, "X and y must have the same number of rows, got 4 and 3"),
        ((X, y.ravel()), ValueError, r"y must be a non-empty 2-D array, got shape \(4,\)"),
        ((X, np.hstack([y, y])), ValueError, r"y must be a column of shape \(rows, 1\)"),
        ((X[0], y), ValueError, "X must be a non-empty 2-D array"),
        ((X.astype(str), y), TypeError, "X must hold numbers"),
        (([[0, 1], [1]], y), ValueError, "X must be a rectangular array of numbers"),
        ((np.where(X == 1, np.nan, X), y), ValueError, "X must hold only finite numbers"),
        ((X, y + np.inf), ValueError, "y must hold only finite numbers"),
        ((X, [["a"], ["b"], ["c"], ["d"]]), TypeError, "y must hold numbers"),
    ],
)
def test_bad_data_is_named(data, error, message):
    with pytest.raises(error, match=message):
        train(*data)
    with pytest.raises(error, match=message):
        sweep(*data, alphas=[1.0])


@pytest.mark.parametrize(
    ("alphas", "error", "message"),
    [
        ([], ValueError, "alphas must hold at least one step size"),
        ("0.1,1", TypeError, "alphas must be a list of positive numbers"),
        (0.1, TypeError, "alphas must be a list"),
        ([0.1, -1], ValueError, r"alphas\[1\] must be a positive, finite number"),
        ([0.1, float("nan")], ValueError, r"alphas\[1\] must be"),
    ],
)
def test_bad_alpha_lists_are_named(alphas, error, message):
    with pytest.raises(error, match=message):
        sweep(X, y, alphas)


def test_a_seed_list_must_match_the_alphas():
    with pytest.raises(ValueError, match=r"seed must be one number or one per alpha \(2\), got 3"):
        sweep(X, y, [0.1, 1], seed=[1, 2, 3])
    with pytest.raises(ValueError, match="seed must be a whole number from 0 to 2"):
        sweep(X, y, [0.1, 1], seed=[1, -2])


def test_too_many_alphas_for_the_hidden_size_is_refused():
    with pytest.raises(ValueError, match="hidden_size 500000 is too large: 7 run"):
        sweep(X, y, hidden_size=500_000)


def test_two_layer_and_surface_check_their_arguments():
    X2, y2 = first_input_data()
    with pytest.raises(ValueError, match="alpha must be a positive"):
        train_two_layer(X2, y2, alpha=0)
    with pytest.raises(ValueError, match="X must have two columns"):
        error_surface(X, y, np.zeros(3), np.zeros(3))
    with pytest.raises(ValueError, match="v must hold only finite numbers"):
        error_surface(X2, y2, np.zeros(3), np.array([np.nan]))
    with pytest.raises(TypeError, match="u must hold numbers"):
        error_surface(X2, y2, ["a", "b"], [0.0])
    with pytest.raises(ValueError, match="u must be a rectangular array"):
        error_surface(X2, y2, [[1.0], [1.0, 2.0]], [0.0])
    with pytest.raises(ValueError, match="iterations 1000000000 is too many"):
        train_two_layer(X2, y2, iterations=10**9)
    with pytest.raises(ValueError, match="too large"):
        error_surface(X2, y2, np.zeros(2000), np.zeros(2000))


def test_bucket_functions_check_their_arguments():
    with pytest.raises(TypeError, match="slope must be a function"):
        descend(3.0, start=1.0)
    with pytest.raises(ValueError, match="start must hold only finite numbers"):
        descend(bowl_slope, start=np.nan)
    with pytest.raises(TypeError, match="start must hold numbers"):
        descend(bowl_slope, start="left")
    with pytest.raises(ValueError, match="alpha must be a positive"):
        descend(bowl_slope, start=1.0, alpha=-0.1)
    with pytest.raises(ValueError, match="steps must be a whole number >= 0"):
        descend(bowl_slope, start=1.0, steps=-2)
    with pytest.raises(ValueError, match="low must be below high"):
        drop_balls(bowl_slope, low=3, high=-3)
    with pytest.raises(ValueError, match="count must be a positive whole number"):
        drop_balls(bowl_slope, count=0)


def test_starting_weights_checks_the_seed_and_the_shapes():
    with pytest.raises(ValueError, match="seed must be"):
        starting_weights([(2, 2)], seed=-5)
    with pytest.raises(ValueError, match=r"shapes\[1\] \(rows, columns\) must be a positive"):
        starting_weights([(3, 4), (4, -1)], seed=1)


def test_huge_numbers_and_odd_containers_are_named():
    with pytest.raises(ValueError, match="alpha must be a positive, finite number"):
        train(X, y, alpha=10**400)
    with pytest.raises(TypeError, match="alphas must be a list"):
        sweep(X, y, np.array(0.1))
    with pytest.raises(ValueError, match="start must be a rectangular array of numbers"):
        descend(bowl_slope, start=[[1.0], [1.0, 2.0]])


def test_predict_says_which_shapes_do_not_fit():
    run = train(X, y, iterations=1)
    with pytest.raises(ValueError, match=r"the shapes do not fit: X \(4, 3\) needs synapse_0"):
        predict(X, run.synapse_1, run.synapse_0)


def test_many_rows_count_towards_the_size_limit():
    many = np.zeros((200_000, 3))
    with pytest.raises(ValueError, match="hidden_size 100 is too large"):
        train(many, np.zeros((200_000, 1)), hidden_size=100)


def test_a_numpy_integer_seed_still_gives_json_ready_runs():
    import json

    run = train(X, y, iterations=2, seed=np.int64(1))
    assert json.loads(json.dumps(run.to_dict()))["seed"] == 1


def test_sigmoid_computes_whole_numbers_and_bools_in_float64_and_takes_lists():
    assert sigmoid(np.array([5], np.uint8)).round(4).tolist() == [0.9933]  # not -5 wrapped round
    assert sigmoid(np.array([-5, 5], np.int8)).dtype == np.float64  # not float16
    assert sigmoid(np.array([True, False])).tolist() == sigmoid(np.array([1.0, 0.0])).tolist()
    assert sigmoid([1, 2]).tolist() == sigmoid(np.array([1.0, 2.0])).tolist()
    x = np.linspace(-40, 40, 81)  # float64 keeps toynn.train's very operations, bit for bit
    assert sigmoid(x).tobytes() == (1 / (1 + np.exp(-x))).tobytes()
    with pytest.raises(TypeError, match="sigmoid needs numbers, got values of type <U1"):
        sigmoid(["a"])


def test_the_mean_absolute_error_of_nothing_is_refused():
    with pytest.raises(ValueError, match="error must hold at least one number"):
        mean_absolute_error([])
    assert mean_absolute_error([-1, 3]) == 2.0


@pytest.mark.parametrize("descent", [descend, descend_by_sign])
def test_a_slope_that_returns_none_or_nan_is_named_with_the_step(descent):
    with pytest.raises(TypeError, match="slope returned None at the position reached after 0 "):
        descent(lambda x: None, start=1.0)
    nan_below_0 = r"slope returned NaN at x = -[\d.]+, the position reached after \d steps"
    with pytest.raises(ValueError, match=nan_below_0):  # not an all-NaN path
        descent(lambda x: np.where(x < 0, np.nan, 1.0), start=[3.0, 2.0], steps=10)
    with pytest.raises(TypeError, match="slope must return numbers, got 'up'"):
        descent(lambda x: "up", start=1.0)
