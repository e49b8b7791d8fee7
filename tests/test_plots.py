"""toynn.plots: every figure draws the data it is given, says what it shows, and is reproducible."""

import io
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.axis import Tick
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

import toynn
from toynn import plots
from toynn.published import published_sweep


@pytest.fixture(scope="module")
def sweeps():
    X, y = toynn.xor_data()
    return {
        hidden: toynn.sweep(
            X, y, hidden_size=hidden, iterations=2000, every=100, count_direction_changes=True
        )
        for hidden in (4, 32)
    }


@pytest.fixture(scope="module")
def surface():
    X, y = toynn.first_input_data()
    w = np.linspace(-10, 10, 21)
    run = toynn.train_two_layer(X, y, iterations=300)
    return w, toynn.error_surface(X, y, w, w), run


def all_plots(sweeps, surface):
    """One of every figure, the way the site builds them."""
    w, errors, run = surface
    starts, ends = toynn.drop_balls(toynn.five_dips_slope, count=100, seed=0)
    return {
        "bucket": plots.bucket(toynn.bowl, toynn.bowl_slope, 3.0),
        "descent": plots.descent(
            toynn.rutted_bowl,
            {
                "alpha = 0.1: stuck in the rut": toynn.descend(
                    toynn.rutted_bowl_slope, start=4.5, alpha=0.1, steps=30
                ),
                "alpha = 0.3: escapes": toynn.descend(
                    toynn.rutted_bowl_slope, start=4.5, alpha=0.3, steps=30
                ),
            },
        ),
        "basins": plots.basins(toynn.five_dips, starts, ends),
        "surface_3d": plots.surface_3d(w, w, errors, run.path, path_errors=run.errors),
        "surface_contour": plots.surface_contour(w, w, errors, run.path, run.errors),
        "error_curves": plots.error_curves(sweeps, {4: published_sweep(4)}),
        "direction_changes": plots.direction_changes(sweeps[4]),
        "weight_magnitudes": plots.weight_magnitudes(sweeps[4]),
    }


@pytest.fixture(scope="module")
def built(sweeps, surface):
    return all_plots(sweeps, surface)


def test_importing_toynn_leaves_matplotlib_alone_and_plots_never_loads_pyplot():
    code = (
        "import sys, toynn; assert 'matplotlib' not in sys.modules\n"
        "from toynn import plots; plots.bucket(toynn.bowl, toynn.bowl_slope, 2.0)\n"
        "assert 'matplotlib.pyplot' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    assert "plots" not in toynn.__all__


def test_every_plot_has_alt_text_a_caption_and_a_white_readable_figure(built):
    for name, plot in built.items():
        assert isinstance(plot, plots.Plot), name
        assert len(plot.alt) > 80 and plot.caption, name
        assert "$" not in plot.alt + plot.caption, name
        assert mpl.colors.to_hex(plot.figure.get_facecolor()) == "#ffffff", name
        sizes = [t.get_fontsize() for t in plot.figure.findobj(Text) if t.get_text().strip()]
        assert min(sizes) >= 10, name


def test_svg_output_is_byte_for_byte_reproducible(built):
    # Saving a figure twice gives the same bytes. (Drawing it again in another process,
    # from the same data, is checked on the site's figures by the two builds that
    # test_site_build.py compares.)
    def svg(plot):
        buffer = io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": "toynn"}):
            plot.figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    for name, plot in built.items():
        assert svg(plot) == svg(plot), name


def test_bucket_draws_the_tangent_with_the_slope_at_the_ball():
    plot = plots.bucket(toynn.bowl, toynn.bowl_slope, 3.0)
    (ax,) = plot.figure.axes
    tangent = next(line for line in ax.lines if line.get_color() == plots.BLUE)
    (x0, x1), (y0, y1) = tangent.get_xdata(), tangent.get_ydata()
    assert (y1 - y0) / (x1 - x0) == pytest.approx(1.5)
    assert "x = 3" in plot.alt and "1.5" in plot.alt and "left" in plot.caption


def test_descent_shows_every_step_and_reports_where_the_ball_ended():
    path = toynn.descend(toynn.bowl_slope, start=4.0, steps=8)
    plot = plots.descent(toynn.bowl, {"naive": path}, title="x = x - slope")
    (ax,) = plot.figure.axes
    assert len(ax.collections[0].get_offsets()) == 9  # the start and eight steps
    assert "after 8 steps is at x = 0.0156" in plot.alt and "shrink" in plot.alt
    assert "0.0156" in plot.caption


def test_descent_of_a_ball_flying_off_to_infinity_neither_raises_nor_warns():
    path = toynn.descend(toynn.steep_bowl_slope, start=1.0, steps=1100)
    assert np.isinf(path[-1])
    with np.errstate(all="raise"):
        plot = plots.descent(toynn.steep_bowl, {"alpha = 1": path})
        plot.figure.savefig(io.BytesIO(), format="png")
    (ax,) = plot.figure.axes
    assert ax.get_xlim() == (-5, 5)
    assert "leaves the drawn range at step 3" in plot.alt and "infinity" in plot.alt


def test_descent_names_the_hopping_of_the_sign_only_version_and_a_crawl():
    plot = plots.descent(
        toynn.bowl,
        {
            "sign only": toynn.descend_by_sign(toynn.bowl_slope, start=1.6, step=0.5, steps=8),
            "tiny alpha": toynn.descend(toynn.bowl_slope, start=4.0, alpha=0.001, steps=20),
        },
    )
    assert [ax.get_title() for ax in plot.figure.axes] == ["sign only", "tiny alpha"]
    assert "back and forth between x = 0.1 and x = -0.4" in plot.alt
    assert "only 0.0398 from where it started" in plot.alt


def test_basins_counts_every_ball_once_and_names_the_five_dips():
    starts, ends = toynn.drop_balls(toynn.five_dips_slope, count=100, seed=0)
    plot = plots.basins(toynn.five_dips, starts, ends)
    counts = dict(re.findall(r"(\d+) at x = (-?\d+) \(basin", plot.alt))
    assert sorted(int(dip) for dip in counts.values()) == [-4, -2, 0, 2, 4]
    assert sum(int(count) for count in counts) == 100
    assert "100 of 100 starts lie in the band of their dip" in plot.alt
    (ax,) = plot.figure.axes
    bands = [patch for patch in ax.patches if patch.get_alpha() == pytest.approx(0.18)]
    assert len(bands) == 5
    edges = sorted(
        {round(p.get_x(), 6) for p in bands} | {round(p.get_x() + p.get_width(), 6) for p in bands}
    )
    assert edges == [-5, -3, -1, 1, 3, 5]  # the bumps between the dips, found on the curve


def test_surface_3d_has_labelled_axes_and_the_descent_path(surface):
    w, errors, run = surface
    plot = plots.surface_3d(w, w, errors, run.path, path_errors=run.errors)
    (ax,) = plot.figure.axes
    assert ax.name == "3d"
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()) == (
        "w1 (first input's weight)", "w2", "error",
    )  # fmt: skip
    assert len(ax.lines) == 1 and "300 steps" in plot.alt
    assert f"error {float(run.errors[-1]):.3g}" in plot.alt


def test_surface_contour_cuts_a_path_that_leaves_the_map_and_says_so(surface):
    w, errors, run = surface
    plot = plots.surface_contour(w, w, errors, run.path * 4)  # ends near (w1, w2) = (12, -12)
    ax, colorbar = plot.figure.axes
    assert (ax.get_xlim(), ax.get_ylim()) == ((-10, 10), (-10, 10))
    assert "leaves the mapped square" in plot.caption and "off the map" in plot.alt
    assert colorbar.get_ylabel() == "error (mean absolute)"


def test_rotation_animation_is_small_deterministic_and_has_every_frame(surface):
    w, errors, _ = surface
    animation = plots.rotation_animation(w, w, errors, frames=6, width_px=200)
    assert animation.animated[4:12] == b"ftypavis"  # an AVIF image sequence
    same = plots.rotation_animation(w, w, errors, frames=6, width_px=200)
    assert animation == same  # no timestamps
    image = Image.open(io.BytesIO(animation.animated))
    assert image.n_frames == 6 and image.size == (animation.width, animation.height) == (200, 150)
    still = Image.open(io.BytesIO(animation.still))
    assert still.size == image.size and getattr(still, "n_frames", 1) == 1
    assert "6 frames" in animation.alt and animation.caption


def test_rotation_animation_has_the_frames_asked_for(surface):
    # The site's own animation, from the full surface, is weighed in test_site_build.py.
    w, errors, _ = surface
    animation = plots.rotation_animation(w, w, errors, frames=3, width_px=120)
    image = Image.open(io.BytesIO(animation.animated))
    assert image.n_frames == 3 and image.width == 120 and "3 frames" in animation.alt


def test_error_curves_draw_one_line_per_alpha_per_panel_on_a_log_scale(sweeps):
    plot = plots.error_curves(sweeps, {4: published_sweep(4), 32: published_sweep(32)})
    assert len(plot.figure.axes) == 2
    for ax, hidden in zip(plot.figure.axes, (4, 32), strict=True):
        ours = [line for line in ax.lines if not line.get_label().startswith("_")]
        assert [line.get_label() for line in ours] == [
            "0.001", "0.01", "0.1", "1", "10", "100", "1000"
        ]  # fmt: skip
        assert ax.get_yscale() == "log" and ax.get_title() == f"{hidden} hidden nodes"
        printed = [line for line in ax.lines if line.get_label() == "_post"]
        assert len(printed) == 7  # the post's value at iteration 0, the only one this short run has
    assert "14 values the post printed" in plot.alt and "largest gap under 0.01%" in plot.alt
    assert "0.5" in plot.alt and "Hollow circles" in plot.caption


def test_direction_changes_annotates_every_count_on_one_shared_scale(sweeps):
    runs = sweeps[4]
    plot = plots.direction_changes(runs)
    *panels, colorbar = plot.figure.axes
    assert len(panels) == 7 and colorbar.get_ylabel() == "direction changes"
    assert len({id(ax.images[0].norm) for ax in panels}) == 1
    for ax, run in zip(panels, runs, strict=True):
        written = sorted(int(t.get_text()) for t in ax.texts)
        counts = np.concatenate(
            [run.synapse_0_direction_changes.ravel(), run.synapse_1_direction_changes.ravel()]
        )
        assert written == sorted(counts.tolist())
        assert f"alpha {run.alpha:g}: {int(counts.sum()):,} in all" in plot.alt


def test_weight_magnitudes_plots_both_layers_for_every_alpha(sweeps):
    runs = sweeps[4]
    plot = plots.weight_magnitudes(runs)
    (ax,) = plot.figure.axes
    assert ax.get_yscale() == "log"
    first, second = ax.lines[:2]
    np.testing.assert_allclose(first.get_ydata(), [np.abs(r.synapse_0).mean() for r in runs])
    np.testing.assert_allclose(second.get_ydata(), [np.abs(r.synapse_1).mean() for r in runs])
    biggest = np.abs(runs[-1].synapse_0).mean()
    assert f"alpha 1000: {biggest:.3g}" in plot.alt


def test_figures_can_be_built_in_threads():
    def png(ball_at):
        buffer = io.BytesIO()
        plots.bucket(toynn.bowl, toynn.bowl_slope, ball_at).figure.savefig(buffer, format="png")
        return buffer.getvalue()

    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(png, [2.0, 2.0, 2.0, 2.0]))
    assert len(set(images)) == 1


# A phone's column at 360 px: the width the site's figures are shown at there (measured in
# Chromium, and checked on the built site by tests/test_site_figures.py).
PHONE_COLUMN_PX = 328
SMALLEST_TEXT_PX = 11  # the smallest text a reader of a figure should meet on that phone


def _texts(figure):
    return [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]


@pytest.fixture(scope="module")
def narrowed(built):
    """Every figure's narrow version, drawn once for the tests below."""
    return {name: plot.narrow() for name, plot in built.items()}


def _cut_off(figure) -> list[str]:
    """The titles, axis names, keys and notes that reach past the picture's edge. (Tick
    labels aside: matplotlib keeps some for ticks off the axis, never drawn.)"""
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    frame = figure.bbox.padded(1)
    ticks = {id(t) for tick in figure.findobj(Tick) for t in (tick.label1, tick.label2)}
    return [
        t.get_text()
        for t in _texts(figure)
        if id(t) not in ticks
        and not (
            frame.contains(*t.get_window_extent(renderer).min)
            and frame.contains(*t.get_window_extent(renderer).max)
        )
    ]


def test_every_plot_has_a_narrow_version_readable_on_a_phone(built, narrowed):
    for name, plot in built.items():
        narrow = narrowed[name]
        width_px = narrow.get_figwidth() * 96  # matplotlib's inch is 96 CSS px
        assert narrow.get_figwidth() == plots.NARROW, name
        assert narrow.get_figwidth() < plot.figure.get_figwidth(), name
        assert mpl.colors.to_hex(narrow.get_facecolor()) == "#ffffff", name
        smallest = min(t.get_fontsize() for t in _texts(narrow)) * 4 / 3  # points to px
        shown = smallest * min(1.0, PHONE_COLUMN_PX / width_px)
        assert shown >= SMALLEST_TEXT_PX, (name, shown)
        assert _cut_off(narrow) == [] and _cut_off(plot.figure) == [], name
        # The same panels, colour bars and keys, drawn again (nothing dropped to fit).
        assert len(narrow.axes) == len(plot.figure.axes), name
        assert len(narrow.legends) == len(plot.figure.legends), name


def test_a_narrow_version_is_byte_for_byte_reproducible(built):
    # Drawn twice from the same data (and in two builds, by test_site_build.py).
    def svg(figure):
        buffer = io.BytesIO()
        with mpl.rc_context({"svg.hashsalt": "toynn"}):
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()

    assert svg(built["bucket"].narrow()) == svg(built["bucket"].narrow())


def test_narrow_panels_are_stacked(built, narrowed):
    for name in ("descent", "error_curves"):
        wide, narrow = built[name].figure.axes, narrowed[name].axes
        boxes = [ax.get_position() for ax in narrow if ax.get_label() != "<colorbar>"]
        assert len(boxes) == len([ax for ax in wide if ax.get_label() != "<colorbar>"]) == 2
        assert boxes[0].x0 == pytest.approx(boxes[1].x0) and boxes[0].y0 > boxes[1].y1, name


def test_the_narrow_heatmaps_have_larger_cells_in_rows_of_three(built, narrowed):
    wide, narrow = built["direction_changes"].figure, narrowed["direction_changes"]
    *panels, _ = narrow.axes
    assert len(panels) == 7 and len({round(ax.get_position().y0, 3) for ax in panels}) == 3

    def cell_px_on_a_phone(figure):  # a cell's width, once the figure fits the phone's column
        ax = figure.axes[0]
        width = ax.get_position().width * figure.get_figwidth() * 96 / len(ax.get_xticks())
        return width * min(1.0, PHONE_COLUMN_PX / (figure.get_figwidth() * 96))

    assert cell_px_on_a_phone(narrow) > 2 * cell_px_on_a_phone(wide)
    written = sorted(int(t.get_text()) for ax in panels for t in ax.texts)
    assert written == sorted(int(t.get_text()) for ax in wide.axes[:-1] for t in ax.texts)


def test_every_alpha_has_its_own_colour_and_dashes_and_a_label_at_its_end(sweeps, built, narrowed):
    for figure in (built["error_curves"].figure, narrowed["error_curves"]):
        for ax in figure.axes:
            lines = [line for line in ax.lines if not line.get_label().startswith("_")]
            looks = {(mpl.colors.to_hex(line.get_color()), line.get_linestyle()) for line in lines}
            assert len(looks) == len(lines) == 7
            rgb = np.array([mpl.colors.to_rgb(line.get_color()) for line in lines])
            gaps = np.linalg.norm(rgb[:, None] - rgb[None], axis=-1)[np.triu_indices(7, 1)]
            assert gaps.min() > 0.25  # no two near-identical colours (alpha = 1 and 10 were)
            named = ",".join(t.get_text().replace("\n", "") for t in ax.texts).split(",")
            assert sorted(float(n) for n in named) == sorted(run.alpha for run in sweeps[4])


def test_alpha_100_is_drawn_dashed_above_the_lines_it_can_lie_on(built):
    for ax in built["error_curves"].figure.axes:
        lines = {line.get_label(): line for line in ax.lines}
        wild = lines["100"]
        assert wild.get_zorder() > max(
            line.get_zorder() for name, line in lines.items() if name not in ("100", "_post")
        )
        assert wild.get_linestyle() not in ("-", "solid") and lines["1000"].get_linestyle() == "-"
