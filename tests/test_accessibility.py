"""Accessibility beyond what every page is checked for in tests/test_site_pages.py (axe-core
in both colour schemes, a visible keyboard focus): the theme's search box open with
results, an animation that respects reduced motion, and valid HTML (html-validate) from our
own content.

axe-core and html-validate come from npm, pinned in tests/node/package-lock.json:

    npm ci --prefix tests/node

Without them these tests skip, saying so, except when TOYNN_REQUIRE_BROWSER=1 (.ci/run),
where they fail. The browser itself is set up in tests/conftest.py.
"""

import json
import subprocess

import pytest

from tests import test_site_pages as site_pages

HTML_VALIDATE = site_pages.AXE.parents[1] / "html-validate" / "bin" / "html-validate.mjs"

# html-validate's rules that only the theme's own markup breaks, with the reason; our pages'
# content must pass every rule of its "standard" preset.
THEME_MARKUP = {
    # mkdocs-material's drawer and search toggles: <input type="checkbox" autocomplete="off">,
    # which Firefox needs to forget their state on reload; the theme's base.html.
    "valid-autocomplete": "the theme's hidden checkboxes carry autocomplete=off",
}


@pytest.fixture(scope="module")
def markup_report(built_site, tmp_path_factory):
    """html-validate on every page, started at once: it runs while the browser works. Its
    report goes to a file (node may exit before a long report through a pipe is written)."""
    site_pages.need_checker(HTML_VALIDATE)
    folder = tmp_path_factory.mktemp("html-validate")
    config, report = folder / "config.json", folder / "report.json"
    # "standard": every rule about what HTML allows, none about how it is laid out.
    config.write_text(json.dumps({"extends": ["html-validate:standard"]}))
    pages = sorted(str(p) for p in built_site.site_dir.rglob("*.html"))
    process = subprocess.Popen(
        ["node", str(HTML_VALIDATE), "--formatter", f"json={report}", "--config", str(config),
         *pages],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    yield process, report
    process.kill()
    process.communicate()


@pytest.fixture(scope="module")
def search_audit(browser, served_site):
    """The theme's search box, open, with results: axe-core as for the pages."""
    site_pages.need_checker()
    context = browser.new_context(viewport=site_pages.DESKTOP)
    page = context.new_page()
    page.goto(served_site.url, wait_until="load")
    page.add_script_tag(path=str(site_pages.AXE))
    # Colours as they end up, not halfway through the theme's fades.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    search = page.locator(".md-search__input")
    search.focus()
    page.wait_for_function(  # the search index is loaded
        "!document.querySelector('.md-search-result__meta').textContent.includes('Initializing')"
    )
    search.press_sequentially("gradient")
    page.wait_for_selector(".md-search-result__item")
    results = {}
    for kind, size, rules in [
        ("dark", site_pages.DESKTOP, site_pages.DARK_RULES),
        ("light", site_pages.PHONE, None),
    ]:
        page.emulate_media(color_scheme=kind)
        page.set_viewport_size(size)
        results[kind] = page.evaluate(site_pages.RUN_AXE, rules)
    context.close()
    return results


@pytest.mark.parametrize("kind", ["light", "dark"])
def test_axe_finds_no_violations_in_the_open_search_box(search_audit, kind):
    assert site_pages.unexplained(search_audit[kind]) == []


def test_the_animation_respects_reduced_motion_and_plays_from_the_keyboard(browser, served_site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(served_site.url + "part-4-inside-a-network/")
    figure = page.locator("figure.toynn-animation")
    image, button = figure.locator("img"), figure.locator("button")
    button.wait_for()  # shown once assets/toynn.js has set the animation up
    still = lambda: image.evaluate("i => i.src").endswith("-still.avif")  # noqa: E731
    assert still() and button.inner_text() == "Play the animation"
    button.focus()
    button.press("Enter")
    assert not still() and button.inner_text() == "Pause the animation"
    button.press(" ")
    assert still() and button.inner_text() == "Play the animation"
    page.emulate_media(reduced_motion="no-preference")  # a reader who does not mind motion
    page.wait_for_function("document.querySelector('.toynn-animation button').textContent"
                           ".startsWith('Pause')")  # fmt: skip
    assert not still()
    figure.scroll_into_view_if_needed()  # a lazy image: loaded when near the screen
    image.evaluate("i => i.decode()")  # the animation's file is there and the browser shows it
    context.close()


def test_our_html_is_valid(markup_report):
    process, report = markup_report
    _, err = process.communicate(timeout=120)
    assert process.returncode in (0, 1), err  # 1: problems found, listed below
    problems = [
        f"{page['filePath']}:{m['line']}: {m['ruleId']}: {m['message']}"
        for page in json.loads(report.read_text(encoding="utf-8"))
        for m in page["messages"]
        if m["ruleId"] not in THEME_MARKUP
    ]
    assert problems == []
