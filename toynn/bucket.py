"""The ball in the bucket: gradient descent on curves of one variable (Parts 2 and 3).

Each curve comes as two functions: its height, which only the reader sees, and its slope,
the one thing the ball can sense. Every function takes a number or a numpy array of
positions, so a hundred balls roll as easily as one.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from toynn._checks import (
    MAX_ELEMENTS,
    MAX_ITERATIONS,
    amount,
    check_array,
    check_cost,
    check_count,
    check_number,
    check_seed,
    shown,
)

Position = float | np.ndarray  # one ball, or many at once
Slope = Callable[[Position], Position]


def bowl(x: Position) -> Position:
    """A gentle, round bucket with its bottom at x = 0: x^2 / 4."""
    return x**2 / 4


def bowl_slope(x: Position) -> Position:
    """The bowl's slope, x / 2: steep far from the bottom, flat at it."""
    return x / 2


def steep_bowl(x: Position) -> Position:
    """The same bucket, six times steeper: 1.5 x^2."""
    return 1.5 * x**2


def steep_bowl_slope(x: Position) -> Position:
    """The steep bowl's slope, 3x: big enough that x - slope overshoots the bottom."""
    return 3 * x


def five_dips(x: Position) -> Position:
    """A bumpy bucket on [-5, 5] with five dips, at x = -4, -2, 0, 2 and 4, the rightmost deepest.

    Its bumps (local maxima) sit at the odd numbers, so each dip's basin - the starting
    points that roll into it - is the stretch between its two neighbouring odd numbers.
    """
    return -(1 + x / 10) * np.cos(np.pi * x) / np.pi + np.sin(np.pi * x) / (10 * np.pi**2)


def five_dips_slope(x: Position) -> Position:
    """sin(pi x) (1 + x / 10): zero at every whole number, negative just left of each dip."""
    return np.sin(np.pi * x) * (1 + x / 10)


RUT_DEPTH, RUT_WIDTH, RUT_AT = 0.5, 0.05, 3.0


def rutted_bowl(x: Position) -> Position:
    """The gentle bowl with a small rut worn into its right wall, near x = 2.9."""
    return x**2 / 4 - RUT_DEPTH * np.exp(-((x - RUT_AT) ** 2) / RUT_WIDTH)


def rutted_bowl_slope(x: Position) -> Position:
    """The rutted bowl's slope: the bowl's x / 2 plus the rut's steep little walls."""
    rut = (2 * RUT_DEPTH / RUT_WIDTH) * (x - RUT_AT) * np.exp(-((x - RUT_AT) ** 2) / RUT_WIDTH)
    return x / 2 + rut


def _check_descent(slope: object, start: object, alpha: object, steps: object):
    if not callable(slope):
        raise TypeError(f"slope must be a function of the position, got {shown(slope)}")
    positions = check_array(start, "start")
    alpha = check_number(alpha, "alpha", positive=True)
    steps = check_count(steps, "steps", minimum=0)
    _check_path(positions.size, steps)
    return positions, alpha, steps


def _check_path(balls: int, steps: int) -> None:
    """Refuse a path too long to keep: every step of every ball is kept, as a new array."""
    check_cost(steps, MAX_ITERATIONS, f"steps {shown(steps)} is too many")
    kept = balls * (steps + 1)
    too_many = f"{amount(balls)} balls x {amount(steps)} steps is too many"
    check_cost(kept, MAX_ELEMENTS, f"{too_many}: the path would hold {amount(kept)} positions")


def _slope_at(slope: Slope, x: np.ndarray, steps: int) -> np.ndarray:
    """``slope(x)`` as a float array, refusing None and NaN: a ball cannot roll on those."""
    value = slope(x)
    if value is None:
        raise TypeError(
            f"slope returned None at the position reached after {steps} steps: it must return "
            "the slope there (does it end with return?)"
        )
    try:
        value = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"slope must return numbers, got {shown(value)}") from None
    bad = np.isnan(value) & np.isfinite(x)  # a ball that has flown off may see NaN: it stays
    if np.any(bad):
        where = np.broadcast_to(x, bad.shape)[bad].flat[0]
        raise ValueError(
            f"slope returned NaN at x = {where:g}, the position reached after {steps} steps: "
            "it must return a number at every position the ball reaches"
        )
    return value


def descend(slope: Slope, start: Position, *, alpha: float = 1.0, steps: int = 20) -> np.ndarray:
    """Gradient descent: x <- x - alpha * slope(x), ``steps`` times.

    Returns the path: the start and every position after it, shape (steps + 1, *start's
    shape). A ball that flies off to infinity stays at infinity (no NaN, no warning).

    >>> descend(bowl_slope, start=4.0, steps=4)
    array([4.  , 2.  , 1.  , 0.5 , 0.25])
    >>> descend(steep_bowl_slope, start=1.0, steps=4)
    array([ 1., -2.,  4., -8., 16.])
    """
    x, alpha, steps = _check_descent(slope, start, alpha, steps)
    path = [x]
    # A diverging ball overflows to inf, and inf - inf would be NaN: keep it at inf instead.
    with np.errstate(over="ignore", invalid="ignore"):
        for done in range(steps):
            step = alpha * _slope_at(slope, x, done)
            x = np.where(np.isfinite(x), x - step, x)
            path.append(x)
    return np.array(path)


def descend_by_sign(
    slope: Slope, start: Position, *, step: float = 0.5, steps: int = 20
) -> np.ndarray:
    """The oversimplified version: look only at the slope's sign and move a fixed ``step``.

    It cannot settle: near the bottom it hops back and forth by ``step`` for ever.

    >>> descend_by_sign(bowl_slope, start=1.6, step=0.5, steps=5)
    array([ 1.6,  1.1,  0.6,  0.1, -0.4,  0.1])
    """
    x, step, steps = _check_descent(slope, start, step, steps)
    path = [x]
    for done in range(steps):
        x = x - step * np.sign(_slope_at(slope, x, done))
        path.append(x)
    return np.array(path)


def drop_balls(
    slope: Slope,
    *,
    count: int = 100,
    low: float = -5.0,
    high: float = 5.0,
    alpha: float = 0.1,
    steps: int = 200,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Drop ``count`` balls at random in [low, high) and let every one of them descend.

    Returns (starts, ends). Where the curve has several dips, the ends pile up in a few
    places - one per dip - and each start tells which dip's basin it fell in.

    >>> starts, ends = drop_balls(five_dips_slope)
    >>> np.unique(ends.round(6))
    array([-4., -2.,  0.,  2.,  4.])
    """
    count = check_count(count, "count")
    _check_path(count, check_count(steps, "steps", minimum=0))  # before drawing the starts
    low, high = check_number(low, "low"), check_number(high, "high")
    if not low < high:
        raise ValueError(f"low must be below high, got low={low} and high={high}")
    starts = low + (high - low) * np.random.RandomState(check_seed(seed)).random_sample(count)
    return starts, descend(slope, starts, alpha=alpha, steps=steps)[-1]
