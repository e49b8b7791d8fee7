"""The built site's figures on a phone: each offers a narrow version through <picture>, with
its own size, and a 360 px phone gets it, shown large enough that the smallest text of the
figure (10 points, tests/test_plots.py) reads at 11 CSS px or more; a desktop gets the wide
one. Tables with four or more columns wrap their rows instead of scrolling sideways."""

import re
from pathlib import Path

from tests.test_plots import PHONE_COLUMN_PX, SMALLEST_TEXT_PX
from toynn.site.outputs import NARROW_PNG_DENSITY, NARROW_SCREEN, _pixel_size

FIGURE_PAGES = (
    "part-2-gradient-descent/", "part-3-when-it-breaks/", "part-4-inside-a-network/",
    "part-5-improving-the-network/",
)  # fmt: skip
PICTURE = re.compile(
    r'<picture><source media="([^"]+)" srcset="([^"]+)" width="(\d+)" height="(\d+)">'
    r'<img\b[^>]*\bheight="(\d+)"[^>]*\bsrc="([^"]+)"[^>]*\bwidth="(\d+)"'
)
SMALLEST_TEXT_PT_PX = 10 * 4 / 3  # the narrow figures' smallest text, in CSS px at full size


def _css_size(path: Path) -> tuple[int, int]:
    width, height = _pixel_size(path)
    if path.suffix == ".png":  # a narrow PNG has more pixels than CSS px
        return round(width / NARROW_PNG_DENSITY), round(height / NARROW_PNG_DENSITY)
    return width, height


def test_every_figure_offers_a_narrow_version_with_its_own_size(built_site):
    site, found = built_site.site_dir, 0
    for page in FIGURE_PAGES:
        html = (site / page / "index.html").read_text(encoding="utf-8")
        figures = html.count('<figure class="toynn-figure">')  # not the animation
        pictures = PICTURE.findall(html)
        assert len(pictures) == figures > 0, page
        for media, narrow, width, height, img_height, wide, img_width in pictures:
            assert media == NARROW_SCREEN
            narrow_file, wide_file = site / page / narrow, site / page / wide
            assert narrow_file.is_file() and narrow_file.stem == f"{wide_file.stem}-narrow"
            assert _css_size(narrow_file) == (int(width), int(height))
            assert int(width) < int(img_width) and _pixel_size(wide_file)[0] == int(img_width)
            assert int(img_height) > 0
            found += 1
    assert found >= 10


SHOWN = """async () => {
    const pictures = [...document.querySelectorAll("article picture")];
    pictures.forEach((p) => { p.querySelector("img").loading = "eager"; });
    await Promise.all(pictures.map((p) => p.querySelector("img").decode().catch(() => null)));
    return pictures.map((p) => {
        const img = p.querySelector("img");
        const source = p.querySelector("source");
        return { src: img.currentSrc, shown: img.getBoundingClientRect().width,
                 natural: img.naturalWidth, narrowWidth: +source.getAttribute("width"),
                 narrowHeight: +source.getAttribute("height"),
                 height: img.getBoundingClientRect().height };
    });
}"""


def test_a_phone_gets_the_narrow_figures_large_enough_to_read_a_desktop_the_wide(visit):
    for page in FIGURE_PAGES[2:3]:  # Part 4: a PNG and an SVG (the others: just above)
        phone = visit(page, viewport={"width": 360, "height": 640}, device_scale_factor=2)
        shown = phone.page.evaluate(SHOWN)
        assert shown, page
        for figure in shown:
            assert "-narrow." in figure["src"], figure
            assert abs(figure["shown"] - PHONE_COLUMN_PX) <= 2, figure
            scale = figure["shown"] / figure["narrowWidth"]
            assert SMALLEST_TEXT_PT_PX * min(1.0, scale) >= SMALLEST_TEXT_PX, figure
            # The narrow size the page reserved is the one the image has: no layout shift.
            ratio = figure["narrowHeight"] / figure["narrowWidth"]
            assert abs(figure["height"] - figure["shown"] * ratio) <= 1, figure
        phone.page.set_viewport_size({"width": 1280, "height": 720})  # a desktop's width
        phone.page.wait_for_function(WIDE_SHOWN)


WIDE_SHOWN = """() => [...document.querySelectorAll("article picture img")]
    .every((img) => img.complete && img.naturalWidth > 0 && !img.currentSrc.includes("-narrow."))"""

WIDE_TABLES = """() => [...document.querySelectorAll("article table")]
    .filter((t) => t.rows[0].cells.length >= 4)
    .map((t) => ({ columns: t.rows[0].cells.length, scrolls: t.scrollWidth > t.clientWidth + 1,
                   right: Math.max(...[...t.querySelectorAll("td, th")]
                       .map((c) => c.getBoundingClientRect().right)),
                   screen: document.documentElement.clientWidth }))"""


def test_tables_with_four_or_more_columns_wrap_their_rows_on_a_phone(visit):
    page = visit("appendix-reproducing-the-post/", viewport={"width": 360, "height": 640})
    tables = page.page.evaluate(WIDE_TABLES)
    assert {table["columns"] for table in tables} >= {4, 6}
    for table in tables:
        assert not table["scrolls"] and table["right"] <= table["screen"], table
