"""What a page costs a reader on a phone, beyond the weight and image checks that every page
gets in tests/test_site_pages.py: an Explorer that does not jump while its data loads, a
math font cut to what the math uses, notebook pages without the stylesheet rules they do not
use, and images near the top loaded at once. Lighthouse's timings are in
benchmarks/lighthouse.py, run on demand.
"""

import base64
import io

import pytest

from tests.conftest import ROOT
from tests.test_site_pages import DESKTOP, PHONE
from toynn.site import html, math_font

# Sums the layout shifts that no input caused, as CLS does, from the very start of the page.
COUNT_SHIFTS = """
window.toynnShifts = 0;
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.toynnShifts += entry.value;
    }
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_explorer_keeps_its_place_while_its_data_loads(browser, served_site, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.add_init_script(COUNT_SHIFTS)
    held = []  # grid.json waits here until the page has been shown without it
    page.route("**/grid.json", lambda route: held.append(route))
    page.goto(served_site.url + "explorer/", wait_until="load")
    page.wait_for_function("document.querySelector('.toynn-explorer[data-view=network] svg')")
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    while not held:  # the request may start after the load event
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_selector(".toynn-final")
    page.evaluate("new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    shifted = page.evaluate("window.toynnShifts")
    context.close()
    assert shifted <= 0.001  # CLS counts as good below 0.1; the Explorer does not move at all


def test_the_math_font_has_every_character_the_math_uses(built_site):
    font = built_site.site_dir / "assets/fonts/stix-two-math.woff2"
    missing = math_font.characters_used(built_site.site_dir) - math_font.font_characters(font)
    assert not missing, (
        f"the site's math uses characters its font subset lacks: {math_font.describe(missing)}; "
        "cut the font again with `python -m toynn.site.math_font` (toynn/site/math_font.py)"
    )


def test_the_math_font_is_a_subset_and_keeps_its_licence():
    fonts = ROOT / "docs/assets/fonts"
    assert (fonts / "stix-two-math.woff2").stat().st_size < 40_000  # the whole font: 403 kB
    assert "SIL Open Font License" in (fonts / "STIX-TWO-MATH-LICENSE.txt").read_text()


def test_a_new_symbol_in_a_chapter_would_fail_the_font_check():
    page = '<p><math><mrow><mo>∫</mo><mi>x</mi><mi mathvariant="normal">d</mi></mrow></math></p>'
    used = math_font.characters_in(page)
    assert used == {"∫", "x", "𝑥", "d"}  # a one-letter <mi> is drawn in italic
    font = ROOT / "docs/assets/fonts/stix-two-math.woff2"
    assert "∫" in used - math_font.font_characters(font)


NOTEBOOK_PAGE = """<style>
.jupyter-wrapper{--jp-used:#111;--jp-unused:#222;--jp-chain:var(--jp-used)}
.jupyter-wrapper .jp-Cell{color:var(--jp-chain)}
.jupyter-wrapper .jp-Toolbar{color:red}
.jupyter-wrapper .jp-Cell:hover .jp-InputPrompt::before{content:"x"}
[data-md-color-scheme=slate] .jp-Cell{color:white}
@media (max-width:600px){.jp-Menu{display:none}.jp-Cell{padding:0}}
@keyframes spin{to{transform:rotate(1turn)}}
</style>
<div class="jupyter-wrapper"><div class="jp-Cell"><div class="jp-InputPrompt">In</div></div>
</div>"""


def test_notebook_pages_keep_only_the_styles_their_elements_use():
    page = html.used_styles_only(NOTEBOOK_PAGE)
    css = page[: page.index("</style>")]
    assert ".jp-Cell{color:var(--jp-chain)}" in css  # used
    assert ".jp-Cell:hover .jp-InputPrompt::before" in css  # used when hovered
    assert "[data-md-color-scheme=slate] .jp-Cell" in css  # used in the dark scheme
    assert "@media (max-width:600px){.jp-Cell{padding:0}}" in css  # used on a phone
    assert "--jp-used:#111" in css and "--jp-chain" in css  # used through another property
    assert "jp-Toolbar" not in css and "jp-Menu" not in css  # no such element
    assert "--jp-unused" not in css and "spin" not in css  # nothing refers to them
    assert page.count("<style>") == 1 and page.endswith("</div>")


def test_inline_images_get_their_size():
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(png, format="PNG")
    image = f'<img alt="" src="data:image/png;base64,{base64.b64encode(png.getvalue()).decode()}">'
    assert '<img alt="" width="3" height="2" src="data:image/png' in html.sized_data_images(image)


def _page(before_image: str) -> str:
    image = '<img alt="a" src="a.svg" width="4" height="3" loading="lazy">'
    later = '<img alt="b" src="b.svg" width="4" height="3" loading="lazy">'
    return f"<body><article><h1>Title</h1><p>{before_image}</p>{image}<p>more</p>{later}</article>"


def test_the_first_image_loads_at_once_only_when_it_is_near_the_top():
    near = html.eager_first_image(_page("A short introduction."))
    assert near.count('loading="lazy"') == 1 and 'src="a.svg" width="4" height="3">' in near
    far = _page("word " * (html.EAGER_WITHIN_CHARACTERS // 5 + 1))
    assert html.eager_first_image(far) == far


def test_styles_of_the_body_move_to_the_head():
    page = "<html><head><title>t</title></head><body><style>.a{color:red}</style><p>x</p></body>"
    moved = html.styles_in_head(page)
    assert moved.index("<style>.a{color:red}</style>") < moved.index("</head>")
    assert moved.count("<style>") == 1 and "<body><p>x</p>" in moved
