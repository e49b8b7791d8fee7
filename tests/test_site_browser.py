"""The built site in headless Chromium, page by page, the way a reader's browser sees it.

The browser and its skip rules are set up in tests/conftest.py.
"""

import pytest

from tests.conftest import ROOT, Visit

PAGES = [""] + [
    f"{path.relative_to(ROOT / 'docs').with_suffix('').as_posix()}/"
    for path in sorted((ROOT / "docs").rglob("*"))
    if path.suffix in {".md", ".ipynb"} and path.name != "index.md"
]


LOAD_EVERY_IMAGE = """async () => {
    const images = [...document.querySelectorAll('img')];
    images.forEach(img => { img.loading = 'eager'; });
    await Promise.all(images.map(img => img.decode().catch(() => null)));
    return images.filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.src);
}"""

MATH_SIZES = """async () => {
    await document.fonts.ready;
    const maths = [...document.querySelectorAll('math')];
    return {
        count: maths.length,
        empty: maths.filter(m => { const r = m.getBoundingClientRect();
                                   return r.width === 0 || r.height === 0; }).length,
        fontLoaded: document.fonts.check('16px "STIX Two Math"'),
    };
}"""


@pytest.fixture(scope="module")
def every_page(browser, served_site):
    """Every page, loaded side by side, each until its network has gone quiet (so that a
    late request to another host cannot slip past the test)."""
    visits = {path: Visit(browser, served_site.url + path, wait_until="commit") for path in PAGES}
    for view in visits.values():
        view.page.wait_for_load_state("networkidle")
    yield visits
    for view in visits.values():
        view.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_cleanly_and_offline(every_page, path):
    page = every_page[path]
    assert page.response.status == 200
    assert page.errors == []
    assert page.foreign_requests == []
    assert page.page.evaluate(LOAD_EVERY_IMAGE) == []  # no broken images
    assert page.foreign_requests == []
    math = page.page.evaluate(MATH_SIZES)
    if math["count"]:
        assert math["empty"] == 0 and math["fontLoaded"]
    code_blocks = page.page.locator(".md-typeset pre > code").count()
    copy_buttons = page.page.locator(".md-typeset .md-code__button[data-md-type='copy']").count()
    assert copy_buttons >= code_blocks


def test_math_renders_on_the_gradient_descent_page(visit):
    math = visit("part-2-gradient-descent/").page.evaluate(MATH_SIZES)
    assert math["count"] >= 2 and math["empty"] == 0 and math["fontLoaded"]


def test_the_dark_mode_toggle_switches_the_colour_scheme(visit):
    page = visit("", color_scheme="light").page
    scheme = 'document.body.getAttribute("data-md-color-scheme")'
    assert page.evaluate(scheme) == "default"
    page.locator("label.md-header__button[for='__palette_1']").click()
    page.wait_for_function(f'{scheme} === "slate"')
    page.locator("label.md-header__button[for='__palette_0']").click()
    page.wait_for_function(f'{scheme} === "default"')


def test_instant_navigation_swaps_pages_without_a_reload(visit):
    page = visit("").page
    page.evaluate("window.toynnMarker = 42")
    page.locator("a.md-footer__link--next").click()  # "Next: 1. Optimization"
    page.wait_for_url("**/part-1-optimization/")
    page.wait_for_function("document.querySelector('h1').textContent.includes('Optimization')")
    assert page.evaluate("window.toynnMarker") == 42  # the same document: no full reload


def test_copying_a_doctest_gives_code_without_prompts_or_output(visit):
    view = visit("part-2-gradient-descent/", permissions=["clipboard-read", "clipboard-write"])
    page = view.page
    block = page.locator("div.highlight[data-copy]").first
    block.hover()
    block.locator(".md-code__button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert ">>>" not in copied and "array(" not in copied
    assert "import toynn" in copied
    compile(copied, "<copied>", "exec")  # it is valid Python as pasted
