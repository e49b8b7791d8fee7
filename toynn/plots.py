"""Figures for the tutorial: numbers toynn already computed in, matplotlib figures out.

Nothing here trains a network or rolls a ball, and nothing is written to disk: each function
draws the data it is given and returns the figure with its alt text and caption. Import it
explicitly (``from toynn import plots``), so that ``import toynn`` never needs matplotlib.
Only the object-oriented API is used (no pyplot), so it runs without a display.
"""

from __future__ import annotations

import functools
import io
import struct
import threading
from collections.abc import Callable
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import SymLogNorm
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch
from matplotlib.patheffects import withStroke
from matplotlib.ticker import FuncFormatter

RED, BLUE, INK = "#d62728", "#1f77b4", "#333333"
# Okabe-Ito, ordered so that neighbouring basins never get two similar colours.
OKABE_ITO = ("#E69F00", "#0072B2", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000")
STYLE = {
    "font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "legend.fontsize": 10,
    "xtick.labelsize": 10, "ytick.labelsize": 10, "axes.edgecolor": INK,
    "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
    "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
}  # fmt: skip
# A phone's column is about 330 CSS px wide. A figure drawn NARROW inches wide (96 CSS px an
# inch) is shown there at about 330 / (96 * NARROW) of its size, so the smallest text, 10
# points (13.3 CSS px), still reads at 11 px or more. Each figure's narrow version stacks its
# panels instead of setting them side by side (toynn.site.outputs serves it to phones).
NARROW = 4.0
HALO = [withStroke(linewidth=3, foreground="white")]  # keeps labels legible over lines
PLAIN = FuncFormatter(lambda value, _: f"{value:g}")  # "0.01" reads better than "10^-2" here
_STYLE_LOCK = threading.RLock()  # rcParams are process-wide: style one figure at a time


class Plot(NamedTuple):
    """A figure, and the words that go with it on the page."""

    figure: Figure
    alt: str  # what is drawn and what it shows, with the key numbers, for readers who can't see it
    caption: str  # one or two sentences under the figure (may use *emphasis*)
    # Draws the same data again for a phone's narrow column (NARROW inches wide, panels
    # stacked), only when called: None for a figure that is narrow already.
    narrow: Callable[[], Figure] | None = None


def _styled(function):
    @functools.wraps(function)
    def styled(*args, **kwargs):
        with _STYLE_LOCK, mpl.rc_context(STYLE):
            result = function(*args, **kwargs)
            if isinstance(result, Plot):
                # Lay out once, then freeze: constrained layout starts from the last positions,
                # so each later save would move things by a hair and change the SVG's bytes.
                result.figure.draw_without_rendering()
                result.figure.set_layout_engine("none")
                if not kwargs.get("narrow"):
                    again = {**kwargs, "narrow": True}
                    result = result._replace(narrow=lambda: styled(*args, **again).figure)
            return result

    return styled


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained", facecolor="white")


def _num(value: float, digits: int = 3) -> str:
    """A number for alt text and captions: a few significant digits, exponents spelled out."""
    value = float(value)
    if not np.isfinite(value):
        return "infinity" if value > 0 else "minus infinity"
    text = f"{value + 0.0:.{digits}g}"  # + 0.0 turns -0.0 into 0.0
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} x 10^{int(exponent)}"
    return text


def _curve(height: Callable, x) -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    return x, _at(height, x)


def _at(height: Callable, x) -> np.ndarray:
    return np.asarray(height(np.asarray(x, dtype=float)), dtype=float)


@_styled
def bucket(
    height: Callable, slope: Callable, ball_at: float, *, x=None, narrow: bool = False
) -> Plot:
    """Part 2: the bucket, a red ball on its wall, and the slope under the ball as a tangent."""
    x, curve = _curve(height, x)
    b = float(ball_at)
    hb, s = float(_at(height, b)), float(np.asarray(slope(b), dtype=float))
    fig = _figure(NARROW, 3.6) if narrow else _figure(8, 4.5)
    ax = fig.subplots()
    ax.plot(x, curve, color=INK, lw=2.5)
    # Fix the tangent's length on screen rather than in x, so a steep slope still draws short.
    half = 0.12 * np.ptp(x) / np.hypot(1, s * np.ptp(x) / (np.ptp(curve) or 1.0))
    ends = np.array([b - half, b + half])
    ax.plot(ends, hb + s * (ends - b), color=BLUE, lw=3.5, solid_capstyle="round", zorder=3)
    ax.plot(b, hb, "o", color=RED, ms=18, mec="white", mew=1.5, zorder=4)
    way = {1: "positive, so downhill is to the left", -1: "negative, so downhill is to the right"}
    way = way.get(int(np.sign(s)), "flat, so the ball is at the bottom")
    tip = b + half if s >= 0 else b - half  # the label, up in the empty bucket, points here
    way_shown = way.replace(", so ", ",\nso ") if narrow else way
    ax.annotate(f"slope = {_num(s)}\n{way_shown}", (tip, hb + s * (tip - b)), xytext=(0.5, 0.95),
                textcoords="axes fraction", ha="center", va="top", color=BLUE, fontsize=12,
                arrowprops={"arrowstyle": "-", "color": BLUE, "lw": 1, "shrinkB": 4})  # fmt: skip
    ax.set(xlabel="x (where the ball is)", ylabel="height", xlim=(x[0], x[-1]))
    if narrow:  # room above the bucket's rim for the three lines of the label
        ax.set_ylim(top=curve.max() + 0.45 * (np.ptp(curve) or 1.0))
    low = int(np.argmin(curve))
    alt = (
        f"A bucket-shaped curve over x from {_num(x[0])} to {_num(x[-1])}, lowest at "
        f"x = {_num(x[low])} (height {_num(curve[low])}). A red ball sits on it at x = {_num(b)}, "
        f"height {_num(hb)}. A short blue line touching the curve at the ball shows the slope "
        f"there: {_num(s)}, {way}."
    )
    caption = (
        f"The ball cannot see the bucket; it only feels the slope under it: here {_num(s)}, {way}."
    )
    return Plot(fig, alt, caption)


def _path_story(path: np.ndarray, low: float, high: float) -> tuple[str, str]:
    """What one descent did: (a sentence for the alt text, a short phrase for the caption)."""
    steps, start, last = len(path) - 1, _num(path[0]), _num(path[-1])
    if steps == 0:
        return f"the ball stays at x = {start}", f"stays at x = {start}"
    inside = np.isfinite(path) & (path >= low) & (path <= high)
    moves = np.abs(np.diff(path[np.isfinite(path)]))
    trend = ""
    if moves.size >= 2 and moves[0] > 0 and moves[-1] != moves[0]:
        verb = "shrink" if moves[-1] < moves[0] else "grow"
        trend = f"; its steps {verb} from {_num(moves[0])} to {_num(moves[-1])}"
    if not inside.all():
        where = f"is at x = {last}" if np.isfinite(path[-1]) else "has overflowed to infinity"
        left = int(np.argmin(inside))
        leaves = f"leaves the drawn range at step {left}" if left else "starts off the chart"
        return (
            f"the ball starts at x = {start}{trend}. It {leaves}; after {steps} steps it {where}",
            f"after {steps} steps the ball {where}",
        )
    story = f"the ball starts at x = {start} and after {steps} steps is at x = {last}"
    if steps >= 3 and path[-1] == path[-3] != path[-2]:
        story += f", hopping back and forth between x = {_num(path[-2])} and x = {last}"
    elif abs(path[-1] - path[0]) < 0.05 * (high - low):
        story += f", only {_num(abs(path[-1] - path[0]))} from where it started"
    elif moves[-1] < 1e-4 * (high - low):
        story += ", where it has come to rest"
    return story + trend, f"ends at x = {last}"


def _draw_path(ax, height: Callable, path: np.ndarray, low: float, high: float) -> None:
    inside = np.isfinite(path) & (path >= low) & (path <= high)
    shown = np.flatnonzero(np.cumprod(inside))  # every position until the ball first leaves
    if shown.size == 0:
        ax.text(0.5, 0.9, f"the ball starts off the chart, at x = {_num(path[0])}", color=RED,
                transform=ax.transAxes, ha="center")  # fmt: skip
        return
    xs, ys = path[shown], _at(height, path[shown])
    arrow = {"arrowstyle": "-|>", "mutation_scale": 11, "lw": 1.2, "shrinkA": 6, "shrinkB": 6}
    for a, ha, b, hb in zip(xs[:-1], ys[:-1], xs[1:], ys[1:], strict=True):
        if abs(b - a) > 0.015 * (high - low):  # a tiny step's arrow would only hide the balls
            bend = 0.25 if b < a else -0.25  # arc3 bends by direction: make every hop arc upwards
            ax.add_patch(FancyArrowPatch((a, ha), (b, hb), color="#777777", zorder=2,
                                         connectionstyle=f"arc3,rad={bend}", **arrow))  # fmt: skip
    shades = mpl.colormaps["Reds"](np.linspace(0.3, 1.0, len(path)))[shown]
    ax.scatter(xs, ys, s=70, c=shades, edgecolors="white", lw=0.8, zorder=3)
    ax.plot(xs[0], ys[0], "o", ms=13, mfc="none", mec="black", mew=1.6, zorder=4)
    label = {"textcoords": "offset points", "fontsize": 10, "path_effects": HALO}
    ax.annotate("start", (xs[0], ys[0]), xytext=(0, 11), ha="center", **label)
    steps = len(path) - 1
    if inside.all():
        ax.plot(xs[-1], ys[-1], "o", ms=14, color=RED, mec="black", mew=1.2, zorder=5)
        ax.annotate(f"after {steps} steps", (xs[-1], ys[-1]), xytext=(0, -20), ha="center",
                    color=RED, **label)  # fmt: skip
        return
    # The step that leaves the chart: a dashed arrow to the edge the ball flew past.
    gone = shown[-1] + 1
    right = path[gone] > xs[-1]
    edge, (bottom, top) = (high if right else low), ax.get_ylim()
    ax.add_patch(FancyArrowPatch((xs[-1], ys[-1]), (edge, bottom + 0.8 * (top - bottom)),
                                 color=RED, ls="--", zorder=2, **arrow))  # fmt: skip
    text = f"step {gone}: x = {_num(path[gone])}, off the chart\n"
    text += f"after {steps} steps: x = {_num(path[-1])}"
    ax.annotate(text, (edge, top), xytext=(-6 if right else 6, -4), ha="right" if right else "left",
                va="top", color=RED, **label)  # fmt: skip


@_styled
def descent(
    height: Callable, paths: dict[str, np.ndarray], *, x=None, title=None, narrow: bool = False
) -> Plot:
    """Parts 2-3: one panel per descent path, every step a ball, light (start) to dark (last)."""
    x, curve = _curve(height, x)
    low, high = float(x[0]), float(x[-1])
    if narrow:  # the panels one above the other
        fig = _figure(NARROW, 0.4 + 3.3 * len(paths))
        axes = np.atleast_1d(fig.subplots(len(paths), 1))
    else:
        fig = _figure(8.0 if len(paths) <= 2 else min(3.7 * len(paths), 12.0), 4.3)
        axes = np.atleast_1d(fig.subplots(1, len(paths)))
    stories, outcomes = [], []
    margin = 0.08 * (np.ptp(curve) or 1.0)
    with np.errstate(all="ignore"):  # a ball that flew off is never drawn; stay quiet about it
        for ax, (name, path) in zip(axes, paths.items(), strict=True):
            path = np.asarray(path, dtype=float).ravel()
            ax.plot(x, curve, color=INK, lw=2)
            below = 2.4 if narrow else 1.6  # room for "after N steps" under the last ball
            ax.set(xlim=(low, high), ylim=(curve.min() - below * margin, curve.max() + 2 * margin))
            ax.set(title=name, xlabel="x")
            if narrow:
                ax.set_ylabel("height")
            _draw_path(ax, height, path, low, high)
            story, outcome = _path_story(path, low, high)
            stories.append(f"Panel '{name}': {story}.")
            outcomes.append(f"*{name}*: {outcome}")
    axes[0].set_ylabel("height")
    if title:
        fig.suptitle(title)
    panels = "One panel" if len(paths) == 1 else f"{len(paths)} panels side by side"
    alt = (
        f"{panels}: a curve over x from {_num(low)} to {_num(high)} (lowest at "
        f"x = {_num(x[np.argmin(curve)])}) with a ball drawn after every step of gradient "
        f"descent, light at the start to dark red at the end, and arrows from each step to the "
        f"next. " + " ".join(stories)
    )
    caption = "Each dot is the ball after one more step, light at the start, darkest at the end. "
    return Plot(fig, alt, caption + "; ".join(outcomes) + ".")


@_styled
def basins(
    height: Callable, starts: np.ndarray, ends: np.ndarray, *, x=None, narrow: bool = False
) -> Plot:
    """Part 3: random starts coloured by the dip they rolled into, and each dip's basin shaded."""
    x, curve = _curve(height, x)
    starts, ends = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    dips, group = np.unique(ends.round(3), return_inverse=True)
    counts = np.bincount(group, minlength=len(dips))
    # Neighbouring basins meet at the highest point of the curve between their two dips.
    bounds = [float(x[0])]
    for left, right in zip(dips[:-1], dips[1:], strict=True):
        between = (x > left) & (x < right)
        bounds.append(
            float(x[between][np.argmax(curve[between])]) if between.any() else (left + right) / 2
        )
    bounds.append(float(x[-1]))
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(dips))]
    fig = _figure(NARROW, 3.8) if narrow else _figure(8, 4.5)
    ax = fig.subplots()
    for i, colour in enumerate(colours):
        ax.axvspan(bounds[i], bounds[i + 1], color=colour, alpha=0.18, lw=0, zorder=0)
    ax.plot(x, curve, color=INK, lw=2, zorder=1)
    ax.scatter(starts, _at(height, starts), s=34, c=[colours[g] for g in group],
               edgecolors="white", lw=0.6, zorder=3)  # fmt: skip
    depths = _at(height, dips)
    for dip, depth, colour, count in zip(dips, depths, colours, counts, strict=True):
        ax.plot(dip, depth, "v", ms=13, color=colour, mec="black", mew=1.3, zorder=4)
        ax.annotate(f"{count}\nballs" if narrow else f"{count} balls", (dip, depth),
                    xytext=(0, -10), textcoords="offset points", ha="center", va="top",
                    fontsize=11 if narrow else 12, fontweight="bold", linespacing=1.0)  # fmt: skip
    span = np.ptp(curve) or 1.0
    below = 0.34 if narrow else 0.22  # room under the deepest dip for its count
    ax.set(xlim=(x[0], x[-1]), ylim=(curve.min() - below * span, curve.max() + 0.08 * span))
    ax.set(xlabel="x (where the ball starts)", ylabel="height")
    inside = (starts >= np.take(bounds, group)) & (starts <= np.take(bounds, group + 1))
    where = ", ".join(
        f"{count} at x = {_num(dip)} (basin {_num(bounds[i])} to {_num(bounds[i + 1])})"
        for i, (dip, count) in enumerate(zip(dips, counts, strict=True))
    )
    alt = (
        f"A curve with {len(dips)} dips over x from {_num(x[0])} to {_num(x[-1])}; the deepest "
        f"is at x = {_num(dips[np.argmin(depths)])}. {len(starts)} balls were dropped at random; "
        f"each start is a dot on the curve, coloured like the dip it rolled into, and each dip's "
        f"basin is a shaded band in that colour. The balls ended in only {len(dips)} places: "
        f"{where}. {int(inside.sum())} of {len(starts)} starts lie in the band of their dip."
    )
    caption = (
        f"{len(starts)} balls dropped at random end in only {len(dips)} places (the triangles). "
        f"Each coloured band is one dip's *basin*: {'every' if inside.all() else 'nearly every'} "
        f"ball that starts there rolls into that dip."
    )
    return Plot(fig, alt, caption)


class _Surface(NamedTuple):
    w1: np.ndarray
    w2: np.ndarray
    errors: np.ndarray
    path: np.ndarray | None
    path_errors: np.ndarray | None
    inside: np.ndarray | None  # which path points lie on the mapped square


def _surface(w1, w2, errors, path, path_errors) -> _Surface:
    w1, w2, errors = (np.asarray(a, dtype=float) for a in (w1, w2, errors))
    if path is None:
        return _Surface(w1, w2, errors, None, None, None)
    path = np.asarray(path, dtype=float).reshape(-1, 2)
    lo, hi = np.array([w1.min(), w2.min()]), np.array([w1.max(), w2.max()])
    if path_errors is None:  # read the height off the grid, bilinearly
        fx = np.interp(path[:, 0], w1, np.arange(w1.size))
        fy = np.interp(path[:, 1], w2, np.arange(w2.size))
        j, i = np.minimum(fx.astype(int), w1.size - 2), np.minimum(fy.astype(int), w2.size - 2)
        tx, ty = fx - j, fy - i
        row = errors[i] * (1 - ty)[:, None] + errors[i + 1] * ty[:, None]
        path_errors = row[np.arange(len(j)), j] * (1 - tx) + row[np.arange(len(j)), j + 1] * tx
        path_errors[~np.all((path >= lo) & (path <= hi), axis=1)] = np.nan  # off the map: unknown
    inside = np.all((path >= lo) & (path <= hi), axis=1)
    return _Surface(w1, w2, errors, path, np.asarray(path_errors, dtype=float).ravel(), inside)


def _error(value: float) -> str:
    return f", error {_num(value)}" if np.isfinite(value) else ""


def _surface_story(s: _Surface) -> str:
    hi = np.unravel_index(np.argmax(s.errors), s.errors.shape)
    lo = np.unravel_index(np.argmin(s.errors), s.errors.shape)
    story = (
        f"The error for every pair of weights, w1 from {_num(s.w1[0])} to {_num(s.w1[-1])} and "
        f"w2 from {_num(s.w2[0])} to {_num(s.w2[-1])}. It is highest, {_num(s.errors[hi])}, at "
        f"(w1, w2) = ({_num(s.w1[hi[1]])}, {_num(s.w2[hi[0]])}) and lowest, "
        f"{_num(s.errors[lo])}, at ({_num(s.w1[lo[1]])}, {_num(s.w2[lo[0]])})."
    )
    if s.path is not None:
        (a1, a2), (b1, b2) = s.path[0], s.path[-1]
        story += (
            f" The red path is gradient descent: {len(s.path) - 1:,} steps from ({_num(a1)}, "
            f"{_num(a2)}){_error(s.path_errors[0])}, to ({_num(b1)}, {_num(b2)})"
            f"{_error(s.path_errors[-1])}."
        )
        if not s.inside.all():
            story += f" {int((~s.inside).sum()):,} of its points lie off the map and are cut off."
    return story


def _draw_surface(ax, s: _Surface, *, long_names: bool = True) -> None:
    grid_1, grid_2 = np.meshgrid(s.w1, s.w2)
    ax.plot_surface(grid_1, grid_2, s.errors, cmap="viridis", rcount=60, ccount=60, lw=0,
                    antialiased=False, alpha=0.95)  # fmt: skip
    if s.path is not None:
        # The path races at first and then crawls: keep the early points, thin out the rest.
        keep = np.unique(np.geomspace(1, len(s.path), 400).astype(int) - 1)
        keep = keep[s.inside[keep]]
        z = s.path_errors + 0.01 * (np.ptp(s.errors) or 1.0)  # just above the surface
        ax.plot(s.path[keep, 0], s.path[keep, 1], z[keep], color=RED, lw=2.5)
        for k, face in ((0, "white"), (-1, RED)):
            if s.inside[k]:
                ax.scatter(*s.path[k], z[k], s=55, c=face, edgecolors="black", depthshade=False)
    ax.set_xlabel("w1 (first input's weight)" if long_names else "w1", labelpad=8)
    ax.set_ylabel("w2", labelpad=6)
    ax.set_zlabel("error", labelpad=6)


@_styled
def surface_3d(
    w1, w2, errors, path=None, *, path_errors=None, elev: float = 30, azim: float = -60,
    narrow: bool = False,
) -> Plot:  # fmt: skip
    """Part 4: the 2-layer network's error as a 3-D surface over its two weights, with a path."""
    s = _surface(w1, w2, errors, path, path_errors)
    fig = _figure(NARROW, 3.8) if narrow else _figure(7, 5.6)
    # computed_zorder=False draws the path after the surface, so the surface never hides it.
    ax = fig.add_subplot(projection="3d", computed_zorder=False)
    _draw_surface(ax, s, long_names=not narrow)
    # A smaller box leaves room for the axis names, which the layout does not see in 3-D.
    ax.set_box_aspect(None, zoom=0.8 if narrow else 0.92)
    ax.view_init(elev=elev, azim=azim)
    caption = (
        "The network's error for every pair of weights: a ball rolling down this surface is "
        "gradient descent with two weights at once."
    )
    return Plot(fig, "A 3-D surface. " + _surface_story(s), caption)


@_styled
def surface_contour(w1, w2, errors, path, path_errors=None, *, narrow: bool = False) -> Plot:
    """Part 4: the error surface as a contour map seen from above, with the descent path."""
    if path is None:
        raise ValueError("surface_contour needs the descent path: train_two_layer(...).path")
    s = _surface(w1, w2, errors, path, path_errors)
    fig = _figure(NARROW, 4.9) if narrow else _figure(7, 5.6)
    ax = fig.subplots()
    filled = ax.contourf(s.w1, s.w2, s.errors, levels=14, cmap="viridis")
    lines = ax.contour(
        s.w1, s.w2, s.errors, levels=filled.levels[2::3], colors="white", linewidths=0.7
    )
    ax.clabel(lines, fmt="%.2f", fontsize=10)
    where = {"location": "bottom", "shrink": 1.0} if narrow else {"shrink": 0.9}
    fig.colorbar(filled, ax=ax, label="error (mean absolute)", **where)
    ax.plot(s.path[:, 0], s.path[:, 1], color=RED, lw=2.5, solid_capstyle="round")
    ax.plot(*s.path[0], "o", ms=10, mfc="white", mec="black", mew=1.5)
    ax.plot(*s.path[-1], "o", ms=11, color=RED, mec="black", mew=1.5)
    box = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "none", "alpha": 0.85}
    for k, text, offset in (
        (0, "start", (-12, 10)),
        (-1, f"after {len(s.path) - 1:,} steps", (0, 14)),
    ):
        ax.annotate(
            text, s.path[k], xytext=offset, textcoords="offset points", ha="center", bbox=box
        )
    # The map exists only on the grid, so the view stays there and a wandering path is cut off.
    ax.set(xlim=(s.w1[0], s.w1[-1]), ylim=(s.w2[0], s.w2[-1]))
    if narrow:
        ax.set(xlabel="w1", ylabel="w2")
    else:
        ax.set(xlabel="w1 (first input's weight)", ylabel="w2 (second input's weight)")
    cut = (
        "" if s.inside.all() else " The path leaves the mapped square; the view is cut at its edge."
    )
    ends = [
        f"{_num(error)} {when}"
        for error, when in zip(s.path_errors[[0, -1]], ("at the start", "at the end"), strict=True)
        if np.isfinite(error)
    ]
    errors_text = f" (error {' and '.join(ends)})" if ends else ""
    caption = (
        "The same error surface seen from above, darker is lower; the red line is gradient "
        f"descent walking downhill{errors_text}.{cut}"
    )
    return Plot(fig, "A contour map seen from above. " + _surface_story(s), caption)


class Animation(NamedTuple):
    """An animated AVIF, its first frame as a still AVIF, and the words that go with them."""

    animated: bytes
    still: bytes  # for readers who ask for reduced motion, until they press play
    width: int
    height: int
    alt: str
    caption: str


@_styled
def rotation_animation(
    w1, w2, errors, *, frames: int = 24, path=None, path_errors=None, elev: float = 30,
    width_px: int = 400, quality: int = 50,
) -> Animation:  # fmt: skip
    """Part 4: the error surface turning once around, as an animated AVIF.

    AVIF, the smallest format every current browser animates: the site's 24 frames at
    400 px take about 140 kB in full colour, where a GIF of them in 32 colours took 230 kB.
    """
    from PIL import Image  # Pillow comes with matplotlib; only this function needs it

    s = _surface(w1, w2, errors, path, path_errors)
    # No layout engine: constrained layout would re-fit every frame and make the picture jitter.
    fig = Figure(figsize=(width_px / 100, width_px * 0.75 / 100), dpi=100, facecolor="white")
    ax = fig.add_axes((0.02, 0.02, 0.96, 0.96), projection="3d", computed_zorder=False)
    _draw_surface(ax, s, long_names=False)
    ax.set_box_aspect(None, zoom=0.88)  # leaves room for the tick labels as the box turns
    canvas = FigureCanvasAgg(fig)
    images = []
    for azim in np.linspace(-60, 300, frames, endpoint=False):
        ax.view_init(elev=elev, azim=azim)
        canvas.draw()
        images.append(Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3].copy()))
    animated, still = io.BytesIO(), io.BytesIO()
    # speed 7 of 10: a fifth of the encoding time of the default 6 (which makes the file
    # half as big again), so the site's build stays quick.
    images[0].save(animated, format="AVIF", save_all=True, append_images=images[1:],
                   duration=110, loop=0, quality=quality, speed=7)  # fmt: skip
    images[0].save(still, format="AVIF", quality=quality, speed=7)
    alt = f"An animation ({frames} frames) of a 3-D surface turning once around. " + _surface_story(
        s
    )
    caption = "The network's error over its two weights, turning once around: lower is better."
    width, height = images[0].size
    return Animation(
        _without_timestamps(animated.getvalue()), still.getvalue(), width, height, alt, caption
    )


def _without_timestamps(avif: bytes) -> bytes:
    """The AVIF with the creation and modification times of its movie, track and media
    headers set to zero: the encoder writes the current time there, and two builds must
    give the same bytes."""
    data = bytearray(avif)

    def walk(start: int, end: int) -> None:
        at = start
        while at + 8 <= end:
            size, kind = struct.unpack(">I4s", data[at : at + 8])
            header = 8
            if size == 1:  # a 64-bit size follows the type
                size, header = struct.unpack(">Q", data[at + 8 : at + 16])[0], 16
            elif size == 0:  # the box runs to the end of its parent
                size = end - at
            if kind in (b"moov", b"trak", b"mdia"):  # boxes that hold boxes
                walk(at + header, at + size)
            elif kind in (b"mvhd", b"tkhd", b"mdhd"):  # version, flags, then the two times
                size_of_time = 8 if data[at + header] == 1 else 4
                times = at + header + 4
                data[times : times + 2 * size_of_time] = bytes(2 * size_of_time)
            at += size

    walk(0, len(data))
    return bytes(data)


# One look per alpha of the post's sweep, smallest first, told apart by colour (Okabe-Ito,
# which colour-blind readers can tell apart too) and by dashes, and named at each line's end.
# alpha = 100 is drawn last, dashed over the rest: with 32 hidden nodes it ends on top of
# alpha = 1000, and the black line shows through its gaps.
ALPHA_STYLES = (
    {"color": "#56B4E9", "ls": ":", "lw": 2.4},  # 0.001: sky blue, dotted
    {"color": "#009E73", "ls": "-."},  # 0.01: bluish green
    {"color": "#E69F00", "ls": "--"},  # 0.1: orange
    {"color": "#CC79A7", "ls": "-"},  # 1: reddish purple
    {"color": "#0072B2", "ls": "-"},  # 10: blue
    {"color": "#D55E00", "ls": (0, (4, 2)), "lw": 2.6, "zorder": 3},  # 100: vermillion
    {"color": "#000000", "ls": "-"},  # 1000: black
)
# Lines that end closer than this factor apart share one label at their end.
_LABEL_SPACING = 1.45


def _end_labels(ax, runs) -> None:
    """Each line's alpha beside its last point; lines that end together share a label."""
    ends = sorted((float(run.errors[-1]), f"{run.alpha:g}") for run in runs)
    groups: list[list[tuple[float, str]]] = []
    for end in ends:
        if groups and end[0] < groups[-1][0][0] * _LABEL_SPACING:
            groups[-1].append(end)
        else:
            groups.append([end])
    last = runs[0].checkpoints[-1]
    for group in groups:
        height = float(np.exp(np.mean(np.log([value for value, _ in group]))))
        names = sorted((name for _, name in group), key=float)
        lines = [", ".join(names[i : i + 2]) for i in range(0, len(names), 2)]  # two a line
        ax.annotate(",\n".join(lines), (last, height), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=10, color=INK, annotation_clip=False)  # fmt: skip


@_styled
def error_curves(
    runs_by_hidden: dict[int, list], published: dict[int, dict] | None = None, *,
    narrow: bool = False,
) -> Plot:  # fmt: skip
    """Part 5: the error during training for every alpha, one panel per hidden-layer size."""
    if any(not run.checkpoints for runs in runs_by_hidden.values() for run in runs):
        raise ValueError("every run needs recorded errors (train with iterations > 0)")
    published = published or {}
    panels = len(runs_by_hidden)
    if narrow:  # the panels one above the other, the key below them
        fig = _figure(NARROW, 1.6 + 3.0 * panels)
        axes = np.atleast_1d(fig.subplots(panels, 1, sharex=True, sharey=True))
    else:
        fig = _figure(8, 4.4)
        axes = np.atleast_1d(fig.subplots(1, panels, sharey=True))
    stories, bests, gaps = [], [], []
    for ax, (hidden, runs) in zip(axes, sorted(runs_by_hidden.items()), strict=True):
        for k, run in enumerate(runs):
            style = {"lw": 2, "zorder": 2} | ALPHA_STYLES[k % len(ALPHA_STYLES)]
            ax.plot(run.checkpoints, run.errors, label=f"{run.alpha:g}", **style)
            ours = dict(zip(run.checkpoints, run.errors, strict=True))
            printed = published.get(hidden, {}).get(run.alpha, {})
            shown = sorted(i for i in printed if i in ours)
            if shown:
                values = [float(printed[i]) for i in shown]
                ax.plot(shown, values, "o", ms=8, mfc="none", mec=style["color"], mew=1.6,
                        label="_post", zorder=4)  # fmt: skip
                gaps += [
                    (abs(ours[i] - v) / v, run.alpha, hidden, i)
                    for i, v in zip(shown, values, strict=True)
                ]
        _end_labels(ax, runs)
        ax.set(yscale="log", title=f"{hidden} hidden nodes")
        if not narrow or ax is axes[-1]:
            ax.set_xlabel("iteration")
        ax.yaxis.set_major_formatter(PLAIN)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v / 1000:g}k" if v else "0"))
        best = min(runs, key=lambda run: run.errors[-1])
        bests.append(f"{_num(best.errors[-1])} with {hidden} hidden nodes (alpha = {best.alpha:g})")
        finals = ", ".join(f"alpha {run.alpha:g}: {_num(run.errors[-1])}" for run in runs)
        last = runs[0].checkpoints[-1]
        stories.append(f"With {hidden} hidden nodes, the error at iteration {last:,} is {finals}.")
    for ax in axes if narrow else axes[:1]:
        ax.set_ylabel("mean absolute error (log scale)")
    handles, labels = axes[0].get_legend_handles_labels()
    if gaps:
        handles.append(Line2D([], [], ls="none", marker="o", ms=8, mfc="none", mec="gray", mew=1.6))
        labels.append("printed\nin the post")
    if narrow:
        fig.legend(handles, labels, title="alpha", loc="outside lower center", ncols=4,
                   handlelength=2.2, columnspacing=0.8)  # fmt: skip
    else:
        fig.legend(handles, labels, title="alpha", loc="outside right upper", handlelength=2.6)
    alt = (
        "Line charts, one panel per hidden-layer size, of the mean absolute error (log scale) "
        "against training iteration, one line per alpha, each named at its end. "
        + " ".join(stories)
    )
    caption = f"How fast each alpha learns. Lowest final error: {' and '.join(bests)}."
    if gaps:
        worst = max(gaps)
        gap = f"{100 * worst[0]:.2g}%" if worst[0] >= 1e-4 else "under 0.01%"
        alt += (
            f" Hollow circles mark the {len(gaps)} values the post printed; they sit on our lines, "
            f"the largest gap {gap} (alpha {worst[1]:g}, {worst[2]} hidden nodes, iteration "
            f"{worst[3]:,})."
        )
        caption += " Hollow circles: the values the post printed."
    return Plot(fig, alt, caption)


@_styled
def direction_changes(runs: list, *, narrow: bool = False) -> Plot:
    """Part 5: per alpha, how often each weight's update turned back, as annotated heatmaps."""
    if any(run.synapse_0_direction_changes is None for run in runs):
        raise ValueError("the runs need direction counts: train with count_direction_changes=True")
    # One matrix per alpha, a row per hidden node: its input weights, then its output weight.
    blocks = [
        np.hstack([r.synapse_0_direction_changes.T, r.synapse_1_direction_changes]) for r in runs
    ]
    hidden, inputs = blocks[0].shape[0], blocks[0].shape[1] - 1
    most = max(1, max(int(block.max()) for block in blocks))
    # Counts run from 0 to tens of thousands: a log-like scale keeps the small ones visible.
    norm = SymLogNorm(linthresh=1, linscale=0.6, vmin=0, vmax=most, base=10)
    if narrow:  # rows of three heatmaps, with larger cells
        columns = min(3, len(runs))
        rows = -(-len(runs) // columns)
        fig = _figure(NARROW, rows * min(1.0 + 0.36 * hidden, 4.0) + 0.9)
        grid = fig.subplots(rows, columns, sharey=True, squeeze=False)
        for ax in grid.ravel()[len(runs) :]:
            ax.remove()
        axes = grid.ravel()[: len(runs)]
    else:
        fig = _figure(8, min(1.9 + 0.32 * hidden, 6.5))
        axes = fig.subplots(1, len(runs), sharey=True, squeeze=False)[0]
    for ax, run, block in zip(axes, runs, blocks, strict=True):
        image = ax.imshow(block, cmap="viridis", norm=norm, aspect="auto", interpolation="nearest")
        ax.axvline(inputs - 0.5, color="white", lw=4)  # the gap between the two weight matrices
        ax.set_xticks(range(inputs + 1), [f"x{i + 1}" for i in range(inputs)] + ["out"])
        ax.tick_params(length=0)
        ax.spines[:].set_visible(False)
        ax.set_title(f"alpha = {run.alpha:g}" if narrow else f"alpha\n{run.alpha:g}", fontsize=11)
        for (row, column), value in np.ndenumerate(block) if hidden <= 8 else ():  # else too small
            ax.text(column, row, f"{value}", ha="center", va="center", fontsize=10,
                    color="black" if norm(value) > 0.55 else "white")  # fmt: skip
    nodes = range(0, hidden, max(1, hidden // 8))
    for ax in axes[:: columns if narrow else len(axes)]:  # the first of each row
        ax.set_yticks(nodes, [f"h{node + 1}" for node in nodes])
        ax.set_ylabel("hidden node")
    ticks = [t for t in (0, 1, 10, 100, 1000, 10_000, 100_000) if t <= most]
    if narrow:
        fig.colorbar(image, ax=axes, ticks=ticks, format="%d", label="direction changes",
                     location="bottom", shrink=0.8, fraction=0.05, pad=0.02)  # fmt: skip
    else:
        fig.colorbar(image, ax=axes, ticks=ticks, format="%d", label="direction changes",
                     shrink=0.9, fraction=0.03, pad=0.01)  # fmt: skip
    fig.get_layout_engine().set(w_pad=0.02, wspace=0.03)  # narrow gutters leave room for labels
    totals = [int(block.sum()) for block in blocks]
    per_alpha = "; ".join(
        f"alpha {run.alpha:g}: {total:,} in all, at most {int(block.max()):,} for one weight"
        for run, total, block in zip(runs, totals, blocks, strict=True)
    )
    low, high = int(np.argmin(totals)), int(np.argmax(totals))
    alt = (
        f"Heatmaps, one per alpha, of how many times each weight's update changed direction "
        f"during training, with {hidden} hidden nodes: a row per hidden node; its first {inputs} "
        f"cells are the weights from inputs x1 to x{inputs} into it, the last cell (after a white "
        f"gap) its weight to the output. Counts: {per_alpha}."
    )
    caption = (
        f"Each cell counts the times one weight's update changed direction (x1 to "
        f"x{inputs}: the weights from the inputs; out: the weight to the output). Fewest at "
        f"alpha = {runs[low].alpha:g} ({totals[low]:,} in all), most at alpha = "
        f"{runs[high].alpha:g} ({totals[high]:,})."
    )
    return Plot(fig, alt, caption)


@_styled
def weight_magnitudes(runs: list, *, narrow: bool = False) -> Plot:
    """Part 5: the mean size of the final weights for each alpha, on a log axis."""
    labels = [f"{run.alpha:g}" for run in runs]
    first = [float(np.mean(np.abs(run.synapse_0))) for run in runs]
    second = [float(np.mean(np.abs(run.synapse_1))) for run in runs]
    fig = _figure(NARROW, 3.6) if narrow else _figure(8, 4.2)
    ax = fig.subplots()
    where = np.arange(len(runs))
    ax.plot(where, first, marker="o", ms=9, lw=1.5, color="#0072B2", label="input → hidden")
    ax.plot(where, second, marker="s", ms=9, lw=1.5, color="#D55E00", label="hidden → output")
    ax.axhline(0.5, color="gray", lw=1, ls=":")
    start = (
        "at the start: mean size 0.5"
        if narrow
        else "at the start: drawn from [-1, 1), mean size 0.5"
    )
    ax.annotate(start, (where[-1], 0.5), xytext=(0, 4),
                textcoords="offset points", ha="right", color="dimgray", fontsize=10)  # fmt: skip
    ax.set_xticks(where, labels)
    ax.set(yscale="log", xlabel="alpha", ylabel="mean |weight| after training")
    ax.set_ylim(bottom=min(0.35, 0.7 * min(first + second)))
    ax.yaxis.set_major_formatter(PLAIN)
    ax.legend(loc="upper left")
    hidden = "/".join(str(size) for size in sorted({run.hidden_size for run in runs}))
    listing = "; ".join(
        f"alpha {label}: {_num(a)} and {_num(b)}"
        for label, a, b in zip(labels, first, second, strict=True)
    )
    alt = (
        f"Dot chart, log scale, of the mean absolute value of the final weights for each alpha "
        f"({hidden} hidden nodes), first input-to-hidden, then hidden-to-output: {listing}. A "
        f"dotted line marks 0.5, their mean size at the start."
    )
    caption = (
        f"How big the weights end up: the input-to-hidden weights average {_num(first[0])} after "
        f"training with alpha = {labels[0]} and {_num(first[-1])} with alpha = {labels[-1]}."
    )
    if all(np.diff(first) > 0) and all(np.diff(second) > 0):
        caption += " Every bigger alpha leaves bigger weights."
    return Plot(fig, alt, caption)
