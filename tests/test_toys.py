"""The ball-in-a-bucket toys (Parts 2 and 3) and Part 4's 2-layer network and error surface."""

import subprocess
import sys

import numpy as np

from toynn import (
    bowl,
    bowl_slope,
    descend,
    descend_by_sign,
    drop_balls,
    error_surface,
    first_input_data,
    five_dips,
    five_dips_slope,
    rutted_bowl,
    rutted_bowl_slope,
    steep_bowl,
    steep_bowl_slope,
    train_two_layer,
)


def numerical_slope(height, x, h=1e-6):
    return (height(x + h) - height(x - h)) / (2 * h)


def test_every_slope_is_the_derivative_of_its_height():
    x = np.linspace(-5, 5, 201)
    for height, slope in [
        (bowl, bowl_slope),
        (steep_bowl, steep_bowl_slope),
        (five_dips, five_dips_slope),
        (rutted_bowl, rutted_bowl_slope),
    ]:
        np.testing.assert_allclose(slope(x), numerical_slope(height, x), atol=1e-6)


def test_naive_steps_shrink_and_converge_on_the_gentle_bowl():
    path = descend(bowl_slope, start=4.0, steps=30)
    steps = np.abs(np.diff(path))
    assert np.all(steps[1:] < steps[:-1])
    assert abs(path[-1]) < 1e-8


def test_naive_steps_overshoot_and_diverge_on_the_steep_bowl(recwarn):
    path = descend(steep_bowl_slope, start=1.0, steps=2000)
    assert np.all(np.sign(path[1:5]) == [-1, 1, -1, 1])  # it lands on the other side each time
    assert np.all(steep_bowl(path[1:10]) > steep_bowl(path[:9]))  # ... each time higher
    assert np.isinf(path[-1]) and not np.any(np.isnan(path))
    assert len(recwarn) == 0


def test_a_small_alpha_fixes_the_overshoot_and_a_tiny_one_crawls():
    assert abs(descend(steep_bowl_slope, start=1.0, alpha=0.1, steps=50)[-1]) < 1e-6
    crawl = descend(steep_bowl_slope, start=1.0, alpha=0.001, steps=50)
    assert 0.8 < crawl[-1] < 1.0


def test_the_oversimplified_version_hops_around_the_bottom_for_ever():
    path = descend_by_sign(bowl_slope, start=3.0, step=0.4, steps=40)
    assert set(np.round(path[-6:], 6)) == {0.2, -0.2}


def test_many_balls_end_in_the_dip_whose_basin_they_started_in():
    starts, ends = drop_balls(five_dips_slope, count=100, seed=0)
    nearest_even = 2 * np.round(starts / 2)  # basins are bounded by the odd numbers
    np.testing.assert_allclose(ends, nearest_even, atol=1e-6)
    assert sorted(set(np.round(ends, 6))) == [-4, -2, 0, 2, 4]
    heights = five_dips(np.array([-4.0, -2, 0, 2, 4]))
    assert np.all(np.diff(heights) < 0)  # the rightmost dip is the deepest


def test_a_small_alpha_sticks_in_the_rut_and_a_larger_one_escapes():
    stuck = descend(rutted_bowl_slope, start=4.5, alpha=0.1, steps=200)[-1]
    escaped = descend(rutted_bowl_slope, start=4.5, alpha=0.3, steps=200)[-1]
    assert 2.5 < stuck < 3.0 and abs(rutted_bowl_slope(stuck)) < 1e-9
    assert abs(escaped) < 1e-6


def test_two_layer_path_starts_at_the_seeded_weights_and_ends_low():
    run = train_two_layer(*first_input_data())
    np.random.seed(1)  # the post's own way of drawing the starting weights
    assert np.array_equal(run.path[0], (2 * np.random.random((2, 1)) - 1)[:, 0])
    assert run.path.shape == (10_001, 2) and run.errors.shape == (10_001,)
    assert run.errors[-1] < run.errors[0] / 50
    assert run.path[-1, 0] > 0 > run.path[-1, 1]  # the output follows the first input


def test_the_error_surface_agrees_with_the_network_along_its_path():
    X, y = first_input_data()
    run = train_two_layer(X, y, iterations=50)
    for (u, v), expected in zip(run.path[::10], run.errors[::10], strict=True):
        surface = error_surface(X, y, np.array([u]), np.array([v]))
        assert surface.shape == (1, 1)
        np.testing.assert_allclose(surface[0, 0], expected, rtol=1e-14)


def test_the_error_falls_as_the_first_weight_grows():
    w = np.linspace(-10, 10, 41)
    surface = error_surface(*first_input_data(), u=w, v=w)
    assert surface.shape == (41, 41)
    assert np.all(np.diff(surface, axis=1) < 0)


def test_import_toynn_loads_numpy_but_not_matplotlib():
    code = "import sys, toynn; print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.split() == ["False", "True"]


def test_a_ball_that_flew_off_may_meet_a_nan_slope_at_infinity(recwarn):
    path = descend(lambda x: 3 * x + np.sin(x), start=1.0, steps=2000)  # sin(inf) is NaN
    assert np.isinf(path[-1]) and not np.any(np.isnan(path))
    assert len(recwarn) == 0
