"""Every page of the built site, visited once in headless Chromium the way a reader on a
phone sees it, and checked for everything a page owes that reader:

- it loads cleanly and offline: no error in the console, no request to another host, no
  broken image, its math drawn in the shipped font, a copy button on every code block;
- axe-core finds no violation, with all its rules on a phone in the light scheme, and with
  those that the scheme or the width changes at a desktop's width in the dark one;
- wherever the keyboard goes, the focus shows;
- it weighs at most BUDGET_KIB before the reader scrolls, and its images keep their place;
- nothing is wider than the screen or cut off, on 360 px and 390 px phones or a 1280 px
  desktop;
- the text in every figure and drawing is large enough to read on a 360 px phone.

The weight of a page is what it asks for while it loads in a 360 x 640 viewport (its HTML,
style sheets, scripts, fonts, data, the images in view and any it loads eagerly, and what
the theme fetches at once: its search index), each file counted gzip-compressed as a static
host such as GitHub Pages serves text, and as it is for images and fonts, which are
compressed already. Lazy images below the fold are left out: the browser may fetch them
early, but a reader who does not scroll does not need them.

One visit per page does it all: loading a page costs more than any one check of it. LANES
tabs take turns over the pages, each in a browser context of its own (a tab in the
background gets its frames late) and each going from page to page in one renderer; each step
starts in every tab before any is waited for.

axe-core comes from npm, pinned in tests/node/package-lock.json (``npm ci --prefix
tests/node``); without it the axe tests skip, saying so, except when
TOYNN_REQUIRE_BROWSER=1 (.ci/run), where they fail. Lighthouse's timings are in
benchmarks/lighthouse.py, run on demand.
"""

import functools
import gzip
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.conftest import REQUIRED, ROOT, SITE_PAGES, foreign

AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
INSTALL = "npm ci --prefix tests/node"
BUDGET_KIB = 300
MIN_TEXT_PX = 10  # a figure's smallest text on a 360 px phone, in CSS pixels
LANES = 3  # tabs side by side: while one waits for its network to go quiet, the others work
PHONE = {"width": 360, "height": 640}
LARGER_PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 720}
# At a desktop's width in the dark scheme, axe runs the rules whose outcome the scheme or the
# width changes: colours, and what scrolls sideways (which the keyboard must reach).
DARK_RULES = ["color-contrast", "link-in-text-block", "scrollable-region-focusable"]

# axe-core rules the theme breaks and we cannot fix, with the reason: none at the moment.
# (The theme's unnamed search dialog and progress bar, its unnamed code-button landmarks,
# its contrast and its missing focus styles are fixed in toynn/site/theme, toynn.css and
# toynn.js.) An entry here must name an upstream limitation, not a page of ours.
THEME_LIMITATIONS: dict[str, str] = {}

# What a static host such as GitHub Pages sends compressed; images and fonts are already.
COMPRESSED_BY_THE_HOST = {".html", ".css", ".js", ".json", ".svg", ".txt", ".xml"}


def need_checker(checker: Path = AXE) -> None:
    """Skip, or fail under TOYNN_REQUIRE_BROWSER=1, without axe-core (or ``checker``)."""
    if not checker.exists():
        reason = f"needs {checker.relative_to(ROOT)}: run `{INSTALL}`"
        if REQUIRED:
            pytest.fail(f"TOYNN_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)


def unexplained(violations: list) -> list:
    return [v for v in violations if v["id"] not in THEME_LIMITATIONS]


RUN_AXE = """(rules) => {
    axe.configure({ noHtml: true });  // no copy of each element's HTML: a tenth faster
    const options = { resultTypes: ["violations"] };
    if (rules) options.runOnly = rules;
    // Two frames first: the page's own ResizeObservers (assets/toynn.js) settle in them.
    return new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))
        .then(() => axe.run(document, options))
        .then((result) => result.violations.map((v) => ({
            id: v.id, help: v.help,
            nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        })));
}"""

# Code is hundreds of highlighted words, and most of axe-core's time: it checks one word of
# each kind (its class, in a notebook's code or the theme's, on a highlighted line or not),
# which has the same colours on the same background as every other of its kind. The rest
# are hidden from it (visibility only: nothing moves).
ONE_WORD_OF_EACH_KIND = """() => {
    const kinds = new Set();
    for (const word of document.querySelectorAll("pre code span, .highlight-ipynb pre span")) {
        if (word.children.length) continue;
        const kind = [word.className, !!word.closest(".jupyter-wrapper"),
                      !!word.closest(".hll")].join(" ");
        if (kinds.has(kind)) word.style.visibility = "hidden";
        else kinds.add(kind);
    }
}"""

# Every element the keyboard can reach, focused in turn, each time from the one before: its
# look must change, or that of what shows its focus for it: its label or the next element
# (the theme's radio buttons are hidden behind labels), its parent (the theme's search box,
# a few frames later). Transitions are off, so that the look is read at once, not as a fade
# starts.
FOCUS_STYLES = """async () => {
    const still = document.createElement("style");
    still.textContent = "*, *::before, *::after { transition: none !important; }";
    document.head.append(still);
    const look = (el) => {
        if (!el) return "";
        const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.color,
                s.backgroundColor, s.textDecorationLine, s.borderColor].join("|");
    };
    const around = (el) => {
        const label = el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null;
        return [el, label, el.nextElementSibling, el.parentElement].map(look).join("/");
    };
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // One element of each kind: the same tag and classes, in the same kind of parent, get
    // the same focus style (the theme's 20 navigation links are checked once).
    const kinds = new Set();
    const kind = (el) => [el.tagName, el.className, el.type, el.parentElement.tagName,
                          el.parentElement.className].join(" ");
    const candidates = [...document.querySelectorAll(
        "a[href], button, input, select, textarea, summary, [tabindex]")]
        .filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0)
        .filter((el) => !kinds.has(kind(el)) && kinds.add(kind(el)));
    candidates[candidates.length - 1].focus();  // so that the first one starts unfocused
    const unseen = [];
    let reachable = 0;
    for (const el of candidates) {
        const before = around(el);
        el.focus();
        if (document.activeElement !== el) continue;  // hidden (a closed menu): not reachable
        reachable += 1;
        for (let wait = 0; wait < 10 && around(el) === before; wait += 1) await frame();
        if (around(el) === before) unseen.push(el.outerHTML.slice(0, 120));
    }
    still.remove();
    return { reachable, unseen };
}"""

# Images that load before the reader scrolls though they need not, images without a size
# (the page jumps when they arrive), and lazy images in view (they wait for the layout).
IMAGES = """() => {
    const images = [...document.querySelectorAll(".md-content img")];
    const below = (i) => i.getBoundingClientRect().top >= innerHeight;
    return {
        lazyBelow: images.filter((i) => i.loading === "lazy" && below(i)).map((i) => i.src),
        unsized: images.filter((i) => !i.getAttribute("width") || !i.getAttribute("height"))
            .map((i) => i.src.slice(0, 80)),
        lazyInView: images.filter((i) => i.loading === "lazy" && !below(i)).map((i) => i.src),
    };
}"""

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

# What a reader could not see without zooming out: the page wider than the screen, or a
# block (code, a table, a formula, a figure) wider than its box with nothing to scroll it.
LAYOUT = """async () => {
    // Two frames first: the theme lays the page out again after the window changes size.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const problems = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) {
        const wide = [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 1)
            .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
        problems.push(`the page is ${root.scrollWidth} px wide on a ${root.clientWidth} px ` +
                      `screen: ${wide.slice(-3).join(", ")}`);
    }
    const overflow = (e) => getComputedStyle(e).overflowX;
    const article = document.querySelector("article");
    if (!article) return problems;
    for (const block of article.querySelectorAll("pre, table, math[display=block], img, svg")) {
        if (block.parentElement.closest("svg")) continue;  // a part of a drawing
        const left = block.getBoundingClientRect().left;
        const right = ["IMG", "svg"].includes(block.tagName)
            ? block.getBoundingClientRect().right : left + block.scrollWidth;
        // Fine if it scrolls, or a box around it scrolls, before a box that clips it.
        for (let box = block; box && box !== document.body; box = box.parentElement) {
            if (["auto", "scroll"].includes(overflow(box))) break;
            const edge = box === block ? Infinity : box.getBoundingClientRect().right;
            if (["hidden", "clip"].includes(overflow(box)) && right > edge + 1) {
                const what = (block.textContent || block.getAttribute("src") || "").trim();
                problems.push(`a ${block.tagName.toLowerCase()} cut off ` +
                              `${Math.round(right - edge)} px short: ${what.slice(0, 60)}`);
                break;
            }
        }
    }
    return problems;
}"""

# The drawings as the reader sees them: each SVG figure's width on the screen (its text
# sizes are in the file: figure_text_sizes) and each inline drawing's text, as drawn.
DRAWN_TEXT = """async () => {
    const images = [...document.querySelectorAll("article img")];
    images.forEach((img) => { img.loading = "eager"; });  // the source a phone picks, loaded
    await Promise.all(images.map((img) => img.decode().catch(() => null)));
    const figures = images.filter((img) => new URL(img.currentSrc).pathname.endsWith(".svg"))
        .map((img) => ({ src: img.currentSrc, width: img.getBoundingClientRect().width }));
    const inline = [...document.querySelectorAll("article svg text")]
        .filter((t) => t.textContent.trim() && t.getClientRects().length)
        .map((t) => {
            const m = t.getScreenCTM();
            return { text: t.textContent.trim().slice(0, 30),
                     px: parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b) };
        });
    return { figures, inline };
}"""

CODE_AND_COPY_BUTTONS = """() => [
    document.querySelectorAll(".md-typeset pre > code").length,
    document.querySelectorAll(".md-typeset .md-code__button[data-md-type='copy']").length,
]"""


@functools.cache  # the theme's script and styles, and the search index, come with every page
def served_size(site_dir: Path, url: str) -> int:
    """A file's size as a static host serves it: text compressed, the rest as it is."""
    path = unquote(urlsplit(url).path).lstrip("/")
    file = site_dir / path
    if not path or path.endswith("/") or file.is_dir():
        file = file / "index.html"
    data = file.read_bytes()
    compressed = file.suffix in COMPRESSED_BY_THE_HOST
    return len(gzip.compress(data, 6, mtime=0)) if compressed else len(data)


# matplotlib writes text as glyph outlines, each string scaled from 100-unit glyphs to its
# size in points (the SVG's units), or, with svg.fonttype "none", as text with a font size.
_GLYPH_SCALE = re.compile(r"scale\(([\d.]+) -[\d.]+\)")
_FONT_SIZE = re.compile(r"font(?:-size)?:[^;\"]*?([\d.]+)px")


@functools.cache
def figure_text_sizes(file: Path) -> tuple[float, float]:
    """An SVG figure's smallest text, in its own units, and its width in the same units."""
    svg = file.read_text(encoding="utf-8")
    sizes = [100 * float(s) for s in _GLYPH_SCALE.findall(svg)]
    sizes += [float(s) for s in _FONT_SIZE.findall(svg)]
    view_box = re.search(r'viewBox="[\d.-]+ [\d.-]+ ([\d.]+) [\d.]+"', svg)
    assert sizes and view_box, f"{file.name}: no text sizes or no viewBox found"
    return min(sizes), float(view_box[1])


def smallest_text(site_dir: Path, drawn: dict) -> list[str]:
    """Every figure or inline drawing whose smallest text is under MIN_TEXT_PX on screen."""
    small = []
    for figure in drawn["figures"]:
        file = site_dir / unquote(urlsplit(figure["src"]).path).lstrip("/")
        size, width = figure_text_sizes(file)
        px = size * figure["width"] / width
        if px < MIN_TEXT_PX:
            small.append(f"{file.name}: text {px:.1f} px at {figure['width']:.0f} px wide")
    tiny = [t for t in drawn["inline"] if t["px"] < MIN_TEXT_PX]
    if tiny:
        small.append(f"{len(tiny)} drawn labels under {MIN_TEXT_PX} px, e.g. "
                     f"{tiny[0]['text']!r} at {tiny[0]['px']:.1f} px")  # fmt: skip
    return small


class Lane:
    """A tab of its own, with what its current page logged and asked the network for."""

    def __init__(self, browser, host: str):
        self.context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        if AXE.exists():
            self.context.add_init_script(path=str(AXE))  # part of every page load
        self.tab = self.context.new_page()
        self.host = host
        self.errors, self.requested, self.status = [], [], None
        self.tab.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.on("request", lambda r: self.requested.append(r.url))

    def go(self, url: str) -> None:
        self.errors, self.requested = [], []
        self.tab.emulate_media(color_scheme="light")
        self.tab.set_viewport_size(PHONE)
        self.status = self.tab.goto(url, wait_until="commit").status

    def start(self, script: str, argument=None) -> None:
        """Start a script that returns a promise; ``result`` waits for it."""
        self.tab.evaluate(f"(a) => {{ window.toynnResult = ({script})(a); }}", argument)

    def result(self):
        return self.tab.evaluate("window.toynnResult")

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requested if foreign(u, self.host)]


@pytest.fixture(scope="module")
def tour(browser, served_site, summary_lines):
    """Every page, once: what each check needs, gathered in one visit."""
    host = urlsplit(served_site.url).netloc
    lanes = [Lane(browser, host) for _ in range(LANES)]
    seen: dict[str, dict] = {}
    axe = AXE.exists()

    for first in range(0, len(SITE_PAGES), len(lanes)):
        pairs = list(zip(lanes, SITE_PAGES[first : first + len(lanes)], strict=False))

        def each(step, pairs=pairs):
            return [step(lane) for lane, _ in pairs]

        for lane, path in pairs:
            lane.go(served_site.url + path)
        for lane, path in pairs:
            # Until the network is quiet: a late request to another host cannot slip past,
            # and the weight counts what the theme fetches at once (its search index).
            lane.tab.wait_for_load_state("networkidle")
            if lane.tab.locator(".toynn-explorer[data-view=network]").count():
                lane.tab.wait_for_selector(".toynn-final")  # the network view, with its data
            images = lane.tab.evaluate(IMAGES)
            files = {u for u in lane.requested if urlsplit(u).netloc == host}
            counted = {
                u: served_size(served_site.site_dir, u) for u in files - set(images["lazyBelow"])
            }
            seen[path] = {
                "status": lane.status, "files": counted, "kib": sum(counted.values()) / 1024,
                "unsized": images["unsized"], "lazy_in_view": images["lazyInView"],
                "code_and_copy": lane.tab.evaluate(CODE_AND_COPY_BUTTONS),
            }  # fmt: skip
            seen[path]["layout"] = lane.tab.evaluate(LAYOUT)
            if axe:
                lane.tab.evaluate(ONE_WORD_OF_EACH_KIND)
        if axe:
            each(lambda lane: lane.start(RUN_AXE))
            for lane, path in pairs:
                seen[path]["axe light"] = lane.result()
        each(lambda lane: lane.start(MATH_SIZES))
        for lane, path in pairs:
            seen[path]["math"] = lane.result()
        each(lambda lane: lane.tab.set_viewport_size(LARGER_PHONE))
        for lane, path in pairs:
            seen[path]["layout"] += lane.tab.evaluate(LAYOUT)
        each(lambda lane: lane.tab.set_viewport_size(DESKTOP))
        for lane, path in pairs:
            seen[path]["lazy_in_view"] += lane.tab.evaluate(IMAGES)["lazyInView"]
            seen[path]["layout"] += lane.tab.evaluate(LAYOUT)
        each(lambda lane: lane.tab.keyboard.press("Tab"))  # the keyboard moved focus
        each(lambda lane: lane.start(FOCUS_STYLES))
        for lane, path in pairs:
            seen[path]["focus"] = lane.result()
        each(lambda lane: lane.tab.keyboard.press("Escape"))  # a search box opened
        if axe:
            each(lambda lane: lane.tab.emulate_media(color_scheme="dark"))
            each(lambda lane: lane.start(RUN_AXE, DARK_RULES))
            for lane, path in pairs:
                seen[path]["axe dark"] = lane.result()
        each(lambda lane: lane.start(LOAD_EVERY_IMAGE))
        for lane, path in pairs:
            seen[path]["broken images"] = lane.result()
        each(lambda lane: lane.tab.set_viewport_size(PHONE))
        each(lambda lane: lane.start(DRAWN_TEXT))
        for lane, path in pairs:
            seen[path]["small text"] = smallest_text(served_site.site_dir, lane.result())
            seen[path]["errors"], seen[path]["foreign"] = lane.errors, lane.foreign
    for lane in lanes:
        lane.context.close()
    summary_lines.append(
        f"page weight before scrolling (KiB, gzip, 360 x 640; budget {BUDGET_KIB}): "
        + ", ".join(f"{p or 'landing'} {seen[p]['kib']:.0f}" for p in SITE_PAGES)
    )
    return seen


@pytest.mark.parametrize("path", SITE_PAGES)
def test_page_loads_cleanly_and_offline(tour, path):
    page = tour[path]
    assert page["status"] == 200
    assert page["errors"] == []
    assert page["foreign"] == []
    assert page["broken images"] == []
    if page["math"]["count"]:
        assert page["math"]["empty"] == 0 and page["math"]["fontLoaded"]
    code_blocks, copy_buttons = page["code_and_copy"]
    assert copy_buttons >= code_blocks


@pytest.mark.parametrize("path", SITE_PAGES)
@pytest.mark.parametrize("kind", ["light", "dark"])
def test_axe_finds_no_violations(tour, path, kind):
    need_checker()
    assert unexplained(tour[path][f"axe {kind}"]) == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_the_keyboard_focus_is_visible_on_every_control(tour, path):
    focus = tour[path]["focus"]
    assert focus["reachable"] > 5  # the theme's header and navigation at least
    assert focus["unseen"] == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_no_page_loads_more_than_the_budget_before_scrolling(tour, path):
    page = tour[path]
    largest = sorted(page["files"].items(), key=lambda item: -item[1])[:5]
    listing = ", ".join(f"{urlsplit(u).path} {size / 1024:.0f} KiB" for u, size in largest)
    assert page["kib"] <= BUDGET_KIB, f"{page['kib']:.0f} KiB, the largest: {listing}"


@pytest.mark.parametrize("path", SITE_PAGES)
def test_nothing_is_cut_off_or_wider_than_the_screen_on_phones_or_a_desktop(tour, path):
    assert tour[path]["layout"] == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_every_figure_and_drawing_has_text_a_phone_can_read(tour, path):
    assert tour[path]["small text"] == []


@pytest.mark.parametrize("path", SITE_PAGES)
def test_images_keep_their_place_and_those_in_view_load_at_once(tour, path):
    assert tour[path]["unsized"] == []
    assert tour[path]["lazy_in_view"] == []
