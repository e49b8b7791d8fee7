"""The 3-layer network: its pieces, and the batched sweep against one-at-a-time training."""

import numpy as np
import pytest

import toynn
from toynn import sigmoid, sigmoid_output_to_derivative, starting_weights, sweep, train, xor_data


def test_sigmoid_derivative_matches_a_numerical_slope():
    x = np.linspace(-6, 6, 25)
    h = 1e-6
    numerical = (sigmoid(x + h) - sigmoid(x - h)) / (2 * h)
    np.testing.assert_allclose(sigmoid_output_to_derivative(sigmoid(x)), numerical, atol=1e-9)


def test_starting_weights_equal_the_posts_legacy_global_seeding():
    np.random.seed(7)
    expected = [2 * np.random.random((3, 5)) - 1, 2 * np.random.random((5, 1)) - 1]
    state_before = np.random.get_state()[1].copy()
    got = starting_weights([(3, 5), (5, 1)], seed=7)
    assert all(np.array_equal(g, e) for g, e in zip(got, expected, strict=True))
    # ... without disturbing numpy's global generator
    assert np.array_equal(np.random.get_state()[1], state_before)


def test_training_lowers_the_error_and_predicts_xor():
    X, y = xor_data()
    run = train(X, y, alpha=10, iterations=20_000)
    assert run.errors[-1] < run.errors[0] / 100
    assert np.array_equal(toynn.predict(X, run.synapse_0, run.synapse_1).round(), y)


def test_checkpoints_follow_every():
    run = train(*xor_data(), iterations=25, every=10)
    assert run.checkpoints == [0, 10, 20]
    assert len(run.errors) == 3
    assert train(*xor_data(), iterations=0).checkpoints == []


@pytest.mark.parametrize("hidden_size", [4, 32])
def test_batched_sweep_equals_one_run_per_alpha_bit_for_bit(hidden_size):
    X, y = xor_data()
    settings = dict(hidden_size=hidden_size, iterations=3_000, every=100, seed=3)
    batched = sweep(X, y, toynn.POST_ALPHAS, count_direction_changes=True, **settings)
    for alpha, together in zip(toynn.POST_ALPHAS, batched, strict=True):
        alone = train(X, y, alpha=alpha, count_direction_changes=True, **settings)
        assert together.errors == alone.errors  # exact float equality, not approximate
        for name in ("synapse_0", "synapse_1"):
            assert np.array_equal(getattr(together, name), getattr(alone, name))
            changes = f"{name}_direction_changes"
            assert np.array_equal(getattr(together, changes), getattr(alone, changes))


def test_a_sweep_can_batch_several_seeds_and_still_match_train():
    X, y = xor_data()
    alphas, seeds = [1.0, 1.0, 10.0], [1, 2, 2]
    batched = sweep(X, y, alphas, seed=seeds, iterations=1_000, every=250, hidden_size=3)
    for alpha, seed, together in zip(alphas, seeds, batched, strict=True):
        alone = train(X, y, alpha=alpha, seed=seed, iterations=1_000, every=250, hidden_size=3)
        assert together.seed == alone.seed == seed
        assert together.errors == alone.errors
        assert np.array_equal(together.synapse_0, alone.synapse_0)
    assert batched[0].errors != batched[1].errors  # different seeds, different runs


def test_direction_changes_count_sign_flips_of_the_update():
    # Counted by hand on a short run: record every update, then count sign flips.
    X, y = xor_data()
    counted = train(X, y, alpha=10, iterations=200, count_direction_changes=True)
    rising = []
    for iterations in range(1, 201):
        # the update at step k is the difference between the weights after k and k - 1 steps
        before = train(X, y, alpha=10, iterations=iterations - 1).synapse_1
        after = train(X, y, alpha=10, iterations=iterations).synapse_1
        rising.append(after > before)
    flips = sum((a != b).astype(int) for a, b in zip(rising, rising[1:], strict=False))
    assert np.array_equal(counted.synapse_1_direction_changes, flips)


def test_direction_changes_are_not_counted_unless_asked():
    run = train(*xor_data(), iterations=10)
    assert run.synapse_0_direction_changes is None
    assert "synapse_0_direction_changes" not in run.to_dict()


def test_huge_alpha_saturates_at_exactly_one_half_without_warnings(recwarn):
    (run,) = sweep(*xor_data(), [1000], iterations=20_001, every=10_000)
    assert run.errors[1:] == [0.5, 0.5]
    assert np.all(np.isfinite(run.synapse_0))
    assert len(recwarn) == 0


def test_progress_is_reported_every_thousand_iterations():
    seen = []
    sweep(*xor_data(), [1.0], iterations=2_500, progress=seen.append)
    assert seen == [0, 1000, 2000]


def test_a_sweep_can_batch_hidden_sizes_and_row_orders_and_still_match_train():
    # The build trains every network of the site this way, in two batches.
    X, y = xor_data()
    orders = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 0, 3, 2], [0, 1, 2, 3]]
    sizes, alphas, seeds = [2, 5, 2, 1], [10.0, 1.0, 100.0, 0.5], [1, 2, 3, 1]
    batched = sweep(
        X[orders], y[orders], alphas, hidden_size=sizes, seed=seeds,
        iterations=600, every=100, count_direction_changes=True,
    )  # fmt: skip
    for order, size, alpha, seed, together in zip(
        orders, sizes, alphas, seeds, batched, strict=True
    ):
        alone = train(
            X[order], y[order], alpha=alpha, hidden_size=size, seed=seed,
            iterations=600, every=100, count_direction_changes=True,
        )  # fmt: skip
        assert (together.alpha, together.hidden_size, together.seed) == (alpha, size, seed)
        assert together.errors == alone.errors
        for name in ("synapse_0", "synapse_1", "synapse_0_direction_changes"):
            assert np.array_equal(getattr(together, name), getattr(alone, name)), name
