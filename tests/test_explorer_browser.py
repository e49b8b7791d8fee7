"""The Explorer in headless Chromium: its controls work, and its numbers are toynn's."""

import itertools
import json

import numpy as np
import pytest

import toynn
from tests.conftest import Visit
from toynn.site.training import ALPHAS, HIDDEN_SIZES, ITERATIONS, SEEDS

SET_NETWORK = """([alpha, hidden, seed]) => {
    const inputs = document.querySelectorAll('.toynn-explorer[data-view=network] input');
    [alpha, hidden, seed].forEach((value, i) => {
        inputs[i].value = value;
        inputs[i].dispatchEvent(new Event('input'));
    });
    return document.querySelector('.toynn-explorer[data-view=network]').dataset.final;
}"""


def _explorer(browser, served_site) -> Visit:
    view = Visit(browser, served_site.url + "explorer/")
    view.page.wait_for_selector(".toynn-final")
    return view


@pytest.fixture
def explorer(browser, served_site):
    """The Explorer as a reader first sees it."""
    view = _explorer(browser, served_site)
    yield view
    view.close()


@pytest.fixture(scope="module")
def shared_explorer(browser, served_site):
    """One Explorer page for the tests that set every control they read."""
    view = _explorer(browser, served_site)
    yield view
    view.close()


def shown(page):
    network = page.locator(".toynn-explorer[data-view=network]")
    return {
        "final": network.locator(".toynn-final").inner_text(),
        "curve": network.locator("path.toynn-line--current").first.get_attribute("d"),
        "heat_cells": network.locator(".toynn-heatmap__cell").count(),
        "readout": network.locator(".toynn-readout").inner_text(),
    }


def test_each_network_control_changes_what_is_shown(explorer):
    page = explorer.page
    sliders = page.locator(".toynn-explorer[data-view=network] input[type=range]")
    before = shown(page)
    assert before["heat_cells"] == 4 * 4  # 4 hidden nodes x (3 inputs + 1 output)
    sliders.nth(0).press("ArrowRight")  # alpha: 10 -> 30, with the keyboard
    after_alpha = shown(page)
    assert after_alpha["final"] != before["final"] and after_alpha["curve"] != before["curve"]
    assert "alpha 30" in after_alpha["readout"]
    sliders.nth(1).press("ArrowRight")  # hidden nodes: 4 -> 8
    after_hidden = shown(page)
    assert after_hidden["heat_cells"] == 8 * 4 and after_hidden["final"] != after_alpha["final"]
    sliders.nth(2).press("ArrowRight")  # seed: 1 -> 2
    after_seed = shown(page)
    assert after_seed["final"] != after_hidden["final"] and "seed 2" in after_seed["readout"]
    assert explorer.errors == [] and explorer.foreign_requests == []


SETTINGS = [(10, 4, 1), (0.3, 2, 2), (1000, 32, 1), (3, 8, 2), (0.001, 1, 2)]


@pytest.fixture(scope="module")
def toynn_finals():
    """toynn's error after 60,000 updates for each of SETTINGS, trained in one batch."""
    alphas, hidden, seeds = zip(*SETTINGS, strict=True)
    runs = toynn.sweep(
        *toynn.xor_data(), alphas, hidden_size=hidden, seed=seeds,
        iterations=ITERATIONS + 1, every=ITERATIONS,
    )  # fmt: skip
    assert all(run.checkpoints[-1] == ITERATIONS for run in runs)
    return dict(zip(SETTINGS, (run.errors[-1] for run in runs), strict=True))


@pytest.mark.parametrize("setting", SETTINGS)
def test_the_number_shown_is_the_one_toynn_computes(shared_explorer, toynn_finals, setting):
    alpha, hidden, seed = setting
    indices = [ALPHAS.index(alpha), HIDDEN_SIZES.index(hidden), SEEDS.index(seed)]
    on_page = shared_explorer.page.evaluate(SET_NETWORK, indices)
    assert on_page == f"{toynn_finals[setting]:.4g}"


def test_the_star_marks_the_best_alpha_for_the_chosen_hidden_size(shared_explorer, served_site):
    explorer = shared_explorer
    explorer.page.evaluate(SET_NETWORK, [ALPHAS.index(10), HIDDEN_SIZES.index(4), 0])
    grid = json.loads((served_site.site_dir / "generated/explorer-grid/grid.json").read_text())
    finals = [run["final"] for run in grid["runs"]["4"]["1"]]
    best = explorer.page.locator(".toynn-explorer[data-view=network]").get_attribute(
        "data-best-alpha"
    )
    assert float(best) == ALPHAS[int(np.argmin(finals))]


SAMPLES = [
    ("bowl", 1.0, 4.0),
    ("steep_bowl", 1.0, 1.0),  # overshoots and flies off
    ("steep_bowl", 0.3, -2.5),
    ("five_dips", 0.1, 0.7),
    ("rutted_bowl", 0.1, 4.5),  # stuck in the rut
    ("rutted_bowl", 0.3, 4.5),  # escapes
]


@pytest.mark.parametrize(("curve", "alpha", "start"), SAMPLES)
def test_the_ball_takes_the_same_steps_as_toynn_descend(shared_explorer, curve, alpha, start):
    in_browser = shared_explorer.page.evaluate(
        "([c, a, s]) => window.toynnExplorer.descend(c, s, a, 20)", [curve, alpha, start]
    )
    expected = toynn.descend(getattr(toynn, f"{curve}_slope"), start=start, alpha=alpha, steps=20)
    in_browser = np.array([np.inf if v is None else v for v in in_browser], dtype=float)
    finite = np.isfinite(expected)
    assert np.array_equal(finite, np.isfinite(in_browser))
    np.testing.assert_allclose(in_browser[finite], expected[finite], rtol=1e-9, atol=1e-12)


def test_ball_controls_and_dragging_change_the_steps(explorer):
    page = explorer.page
    ball_view = page.locator(".toynn-explorer[data-view=ball]")
    path = lambda: json.loads(ball_view.get_attribute("data-path"))  # noqa: E731
    first = path()
    ball_view.locator("select").select_option("five_dips")
    assert path() != first
    sliders = ball_view.locator("input[type=range]")
    sliders.nth(1).press("ArrowRight")  # start 1.0 (the top of a bump) -> 1.1
    moved = path()
    assert moved[0] == 1.1 and moved[-1] != 1.1  # off the bump, it rolls
    sliders.nth(0).press("ArrowLeft")  # alpha 0.3 -> 0.2
    assert path() != moved
    box = ball_view.locator(BALL).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] - 120, box["y"] - 300, steps=5)  # over the text above, too
    assert page.evaluate("getSelection().toString()") == ""  # dragging selects no text
    page.mouse.up()
    dragged = path()
    assert dragged[0] < first[0] - 0.5  # the start moved left with the pointer
    expected = toynn.descend(toynn.five_dips_slope, start=dragged[0], alpha=0.2, steps=20)
    np.testing.assert_allclose(dragged, expected, rtol=1e-9, atol=1e-12)


BALL = "circle.toynn-ball[role=slider]"  # not the one in the colour key


def test_the_ball_is_placed_by_a_click_moved_by_keys_and_shows_where_it_went(shared_explorer):
    explorer = shared_explorer  # every setting read here is set here first
    page = explorer.page
    ball_view = page.locator(".toynn-explorer[data-view=ball]")
    start = lambda: json.loads(ball_view.get_attribute("data-path"))[0]  # noqa: E731
    # The instructions come first, and every chart has a colour key.
    assert ball_view.locator(":scope > *").first.get_attribute("class") == "toynn-help"
    assert ball_view.locator(".toynn-key li").count() == 4
    # A click anywhere on the chart puts the ball there: here x = -3 on the x axis.
    chart = ball_view.locator("svg.toynn-chart")
    chart.scroll_into_view_if_needed()
    tick = chart.locator("text", has_text="-4").bounding_box()
    zero = chart.locator("text", has_text="0").first.bounding_box()
    x = zero["x"] + zero["width"] / 2 - (zero["x"] - tick["x"]) * 3 / 4
    page.mouse.click(x, chart.bounding_box()["y"] + 20)  # high above the curve
    assert start() == pytest.approx(-3, abs=0.11)
    # The keyboard reaches the ball; it shows its focus and moves with the arrow keys.
    ball = ball_view.locator(BALL)
    ball_view.locator("input[type=range]").nth(1).focus()
    page.keyboard.press("Tab")
    assert ball.evaluate("b => b === document.activeElement && b.matches(':focus-visible')")
    assert ball.evaluate("b => getComputedStyle(b).strokeWidth") == "4px"
    before = start()
    page.keyboard.press("ArrowRight")
    assert start() == pytest.approx(before + 0.1)
    # After a change the second ball rolls down the steps, from the start.
    page.wait_for_function(
        "document.querySelector('.toynn-explorer[data-view=ball]').dataset.rolled > 2"
    )
    # A ball that overshoots leaves the chart: an arrow at the edge it left by.
    ball_view.locator("select").select_option("steep_bowl")
    ball_view.locator("input[type=range]").nth(0).fill(str(BALL_ALPHAS.index(1)))
    assert ball_view.get_attribute("data-leaves") in {"left", "right"}
    assert ball_view.locator("svg.toynn-chart path.toynn-leave").count() == 1
    ball_view.locator("input[type=range]").nth(0).fill(str(BALL_ALPHAS.index(0.1)))
    assert ball_view.get_attribute("data-leaves") == ""
    assert ball_view.locator("svg.toynn-chart path.toynn-leave").count() == 0
    assert explorer.errors == []


BALL_ALPHAS = [0.001, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3]  # explorer.js's

# Each line's name: its text, its place, and whether it is the chosen one (in bold).
LINE_NAMES = """(chart) => [...document.querySelectorAll(
    `[data-chart=${chart}] .toynn-labels .toynn-label`)].slice(1).map((t) => ({
        text: t.textContent, y: +t.getAttribute("y"),
        current: t.classList.contains("toynn-label--current"),
        size: parseFloat(getComputedStyle(t).fontSize),
    }))"""


def test_every_line_has_a_name_and_every_chart_a_key(shared_explorer):
    page = shared_explorer.page
    page.evaluate(SET_NETWORK, [ALPHAS.index(30), HIDDEN_SIZES.index(8), SEEDS.index(2)])
    network = page.locator(".toynn-explorer[data-view=network]")
    assert network.locator(":scope > .toynn-help").count() == 1
    assert network.locator(".toynn-help ~ .toynn-controls").count() == 1  # above the widget
    assert network.locator("figure .toynn-key").count() == 3  # two charts and the heatmap
    lines = network.locator("path.toynn-line")
    assert lines.count() == len(ALPHAS) + len(HIDDEN_SIZES)
    assert lines.evaluate_all("ls => ls.every((l) => l.querySelector('title').textContent)")
    for chart, names, chosen in [("curve", ALPHAS, "30"), ("alpha", HIDDEN_SIZES, "8")]:
        labels = page.evaluate(LINE_NAMES, chart)
        assert sorted(label["text"] for label in labels) == sorted(f"{v:g}" for v in names)
        assert [label["text"] for label in labels if label["current"]] == [chosen]
        ys = sorted(label["y"] for label in labels)
        assert min(b - a for a, b in itertools.pairwise(ys)) >= labels[0]["size"]  # none overlap


def test_the_setting_lives_in_the_address(browser, served_site):
    view = Visit(browser, served_site.url + "explorer/#alpha=0.3&hidden=2&seed=2")
    page = view.page
    page.wait_for_selector(".toynn-final")
    readout = page.locator(".toynn-explorer[data-view=network] .toynn-readout")
    assert "alpha 0.3, 2 hidden nodes, seed 2" in readout.inner_text()  # a link opens it
    alpha = page.locator(".toynn-explorer[data-view=network] input[type=range]").first
    alpha.press("ArrowRight")  # one step, one history entry
    assert page.evaluate("location.hash") == "#alpha=1&hidden=2&seed=2"
    # A drag: many moves, then it settles; one entry for all of them.
    entries = page.evaluate("history.length")
    alpha.evaluate("""(input) => {
        for (const i of [7, 8, 9]) {
            input.value = i;
            input.dispatchEvent(new Event("input"));
        }
        input.dispatchEvent(new Event("change"));
    }""")
    assert page.evaluate("[location.hash, history.length]") == [
        f"#alpha={ALPHAS[9]:g}&hidden=2&seed=2",
        entries + 1,
    ]
    page.go_back()
    page.wait_for_function("location.hash === '#alpha=1&hidden=2&seed=2'")
    assert "alpha 1, 2 hidden nodes" in readout.inner_text()
    page.go_back()
    assert "alpha 0.3, 2 hidden nodes" in readout.inner_text()
    page.go_forward()
    page.go_forward()
    assert f"alpha {ALPHAS[9]:g}, 2 hidden nodes" in readout.inner_text()
    assert view.errors == [] and page.url.startswith(served_site.url + "explorer/")
    view.close()
