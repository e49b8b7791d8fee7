"""What a reader does on the built site, in headless Chromium: read math, switch the colour
scheme, follow a link without a reload, copy an example. (What every page owes a reader is
checked page by page in tests/test_site_pages.py.)

The browser and its skip rules are set up in tests/conftest.py.
"""

from tests.test_site_pages import MATH_SIZES


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
