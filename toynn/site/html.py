"""Rewrites of each page's HTML: math to MathML, clean copies of >>> examples, notebooks
kept offline and light, figures sized and loaded when they are needed.
"""

from __future__ import annotations

import base64
import functools
import html
import re
import struct
from dataclasses import dataclass
from typing import NamedTuple

from latex2mathml.converter import convert

_INLINE_MATH = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.DOTALL)
_BLOCK_MATH = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.DOTALL)
_CODE_BLOCK = re.compile(r'<div class="((?:[\w-]+ )*highlight)">(.*?)</div>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL)
# What nbconvert's page template loads from CDNs: MathJax 2 (with its config script) and,
# only when a notebook has a diagram, mermaid. Our notebooks need neither.
_FETCHES_ELSEWHERE = re.compile(
    r'src="(?:(?:https?:)?//[^"]*)?"|import\(\s*["\']https?:|x-mathjax-config'
)


# mkdocs-jupyter 0.27 (the version pip picks on Python 3.12 and newer) adds to every page an
# inline script that fetches MathJax from a CDN once a notebook appears. Our math is MathML.
_MATHJAX_LOADER = re.compile(
    r'<script data-mkdocs-jupyter-mathjax="[^"]*">.*?</script>\n?', re.DOTALL
)


def without_mathjax_loader(page_html: str) -> str:
    """The page without mkdocs-jupyter's MathJax loader (see _MATHJAX_LOADER)."""
    return _MATHJAX_LOADER.sub("", page_html)


def finished_page(page_html: str) -> str:
    """Rewrites that need the whole page: style sheets in its head, its first image loaded
    at once if it is near the top."""
    return eager_first_image(picture_sources(styles_in_head(page_html)))


_PICTURE = re.compile(r"<picture>.*?</picture>", re.DOTALL)
_IMAGE_PREFIX = re.compile(r'<img\b[^>]*\ssrc="([^"]*?)generated/')


def picture_sources(page_html: str) -> str:
    """Give each ``<picture>``'s ``srcset="generated/..."`` the prefix mkdocs gave its
    ``<img>``'s src (``../`` on a chapter's page): mkdocs makes an image's src relative to
    the page, never a srcset (toynn.site.outputs writes both the same way)."""

    def relative(match: re.Match) -> str:
        image = _IMAGE_PREFIX.search(match[0])
        prefix = image[1] if image else ""
        return match[0].replace('srcset="generated/', f'srcset="{prefix}generated/')

    return _PICTURE.sub(relative, page_html)


def styles_in_head(page_html: str) -> str:
    """Move the <style> blocks of the body (a notebook's) to the end of the head, the only
    place HTML allows them. (Instant navigation carries a new page's head elements over.)"""
    body = page_html.find("<body")
    head_end = page_html.find("</head>")
    if body < 0 or head_end < 0 or head_end > body:
        return page_html
    styles = _STYLE.findall(page_html, body)
    if not styles:
        return page_html
    moved = "".join(f"<style>{css}</style>\n" for css in styles)
    return (
        page_html[:head_end] + moved + page_html[head_end:body] + _STYLE.sub("", page_html[body:])
    )


# How much text may come before a page's first image for it to be loaded at once: about a
# phone screen. Part 2's first figure (after about 700 characters) is then the largest thing
# a reader sees first, and a lazy image would load only after the page's layout is done;
# further down, images load as the reader scrolls (tests/test_page_weight.py checks both).
EAGER_WITHIN_CHARACTERS = 1000
_LAZY_IMAGE = re.compile(r'<img\b[^>]*\sloading="lazy"[^>]*>')
_HIDDEN_TEXT = re.compile(r"<(script|style|math)\b.*?</\1>", re.DOTALL)


def eager_first_image(page_html: str) -> str:
    """Drop ``loading="lazy"`` from the article's first image when little text precedes it."""
    article = page_html.find("<article")
    image = _LAZY_IMAGE.search(page_html, article if article >= 0 else 0)
    if article < 0 or image is None or page_html.find("<img", article) < image.start():
        return page_html  # no article, no lazy image, or the first image is eager already
    before = _TAG.sub(" ", _HIDDEN_TEXT.sub(" ", page_html[article : image.start()]))
    if len(" ".join(html.unescape(before).split())) >= EAGER_WITHIN_CHARACTERS:
        return page_html
    eager = image[0].replace(' loading="lazy"', "")
    return page_html[: image.start()] + eager + page_html[image.end() :]


def math_to_mathml(page_html: str) -> str:
    """Replace arithmatex's \\(...\\) and \\[...\\] with MathML the browser draws itself."""

    def mathml(match: re.Match, display: str) -> str:
        latex = html.unescape(match.group(1)).strip()
        return convert(latex, display=display)

    page_html = _BLOCK_MATH.sub(
        lambda m: f'<div class="toynn-math">{mathml(m, "block")}</div>', page_html
    )
    return _INLINE_MATH.sub(lambda m: mathml(m, "inline"), page_html)


def doctest_to_code(example: str) -> str:
    r"""The code of a >>> example without prompts or output: what a reader pastes.

    >>> print(doctest_to_code(">>> x = [1,\n...      2]\n>>> x\n[1, 2]"), end="")
    x = [1,
         2]
    x
    """
    lines = example.splitlines()
    code = [line[4:] for line in lines if line[:4] in (">>> ", "... ") or line in (">>>", "...")]
    return "\n".join(code).rstrip() + "\n"


def prompt_free_copy(page_html: str) -> str:
    """Give every >>> example a ``data-copy`` text without prompts or output lines.

    Material's copy button copies ``data-copy`` of the nearest ancestor when there is one,
    so a reader pastes code that runs instead of ``>>> `` prompts and printed results.
    """

    def add_copy_text(match: re.Match) -> str:
        text = html.unescape(_TAG.sub("", match.group(2)))
        if not text.startswith(">>>"):
            return match.group(0)
        copy = html.escape(doctest_to_code(text), quote=True)
        return f'<div class="{match.group(1)}" data-copy="{copy}">{match.group(2)}</div>'

    return _CODE_BLOCK.sub(add_copy_text, page_html)


def offline_notebook(page_html: str, download_name: str) -> str:
    """Drop the CDN scripts nbconvert adds and the stylesheet rules nothing on the page uses;
    give the notebook's images their sizes; put a visible download link on top."""
    link = (
        f'<p class="toynn-download"><a href="{download_name}" download>'
        f"Download this notebook ({download_name})</a> and run it with Jupyter, "
        "or copy its cells into Python.</p>\n"
    )
    kept = _SCRIPT.sub(
        lambda m: "" if _FETCHES_ELSEWHERE.search(m.group(0)) else m.group(0), page_html
    )
    return link + sized_data_images(used_styles_only(kept))


# ---- Notebook pages without the JupyterLab stylesheet they do not use ----
#
# nbconvert inlines all of JupyterLab's CSS (about 580 KiB, 3,200 rules) into every notebook
# page, for widgets, menus and editors that a static page never has; about 4% of the rules
# match anything. A rule stays if any of its selectors could match an element of the page in
# either colour scheme, in any state: pseudo-classes such as :hover and :not() are dropped
# before matching, which only ever keeps more. A custom property (--jp-*) stays if a kept
# rule uses it, directly or through another one.

_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.DOTALL)
_ATTRIBUTE = re.compile(r"\[[^\]]*\]")
_PSEUDO = re.compile(r"::?[A-Za-z-]+(?:\((?:[^()]|\([^()]*\))*\))?")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
# Custom properties of JupyterLab's own namespaces (its palette is --md-red-500 and so on;
# the theme's variables, such as --md-default-fg-color, are not touched).
_PRUNABLE_PROPERTY = re.compile(r"--(?:jp|xr)-|--md-[a-z-]+-(?:50|[1-9]00|A[1247]00)$")
# Where the theme puts a page's content, and the attributes it sets around it.
_PAGE_AROUND = (
    '<html class="js" lang="en"><body dir="ltr" data-md-color-scheme="{scheme}" '
    'data-md-color-primary="deep-purple" data-md-color-accent="red">'
    '<div class="md-container"><main class="md-main"><div class="md-main__inner md-grid">'
    '<div class="md-content"><article class="md-content__inner md-typeset">{content}'
    "</article></div></div></main></div></body></html>"
)


def used_styles_only(page_html: str) -> str:
    """The page with its <style> blocks merged into one that keeps only the rules its
    elements can use."""
    sheets = _STYLE.findall(page_html)
    if not sheets:
        return page_html
    body = _STYLE.sub("", page_html)
    pages = _as_rendered(body)
    rules = [rule for sheet in sheets for rule in _parsed(sheet)]
    css = _serialized(_kept_rules(rules, pages))
    return f"<style>{css}</style>\n{body}"


@dataclass(frozen=True)
class _Rule:
    """A rule of a stylesheet: ``prelude { body }``, or a statement such as @import."""

    prelude: str  # the selectors, or "@media ..." and the like
    body: str | None  # the declarations, or the inner rules' text; None for a statement
    inner: tuple[_Rule, ...] = ()  # @media and @supports: the rules inside

    @property
    def at(self) -> str:
        return self.prelude[1:].split(None, 1)[0].lower() if self.prelude[:1] == "@" else ""


# What can hold a brace that is not one: strings and comments.
_CSS_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|/\*.*?\*/|[{};]', re.DOTALL)


@functools.lru_cache(maxsize=8)
def _parsed(sheet: str) -> tuple[_Rule, ...]:
    """A stylesheet's rules, parsed once per build (every notebook page has the same 580 KiB
    stylesheet). Only braces and semicolons are found here, with a regular expression; the
    declarations of the rules that stay are parsed later, by tinycss2."""
    rules, depth, start = [], 0, 0
    prelude_end = 0
    for token in _CSS_TOKEN.finditer(sheet):
        kind = token[0]
        if kind == "{":
            if depth == 0:
                prelude_end = token.start()
            depth += 1
        elif kind == "}" and depth:
            depth -= 1
            if depth == 0:
                prelude = _without_comments(sheet[start:prelude_end]).strip()
                body = sheet[prelude_end + 1 : token.start()]
                at = prelude[:1] == "@" and prelude[1:].split(None, 1)[0].lower()
                inner = _parsed(body) if at in ("media", "supports") else ()
                rules.append(_Rule(prelude, body, inner))
                start = token.end()
        elif kind == ";" and depth == 0:  # a statement: @charset, @import
            rules.append(_Rule(_without_comments(sheet[start : token.start()]).strip(), None))
            start = token.end()
    return tuple(r for r in rules if r.prelude)


def _without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)


def _as_rendered(content: str) -> list:
    """The content inside the theme's page, in the light and the dark scheme, with the
    wrappers the theme's script adds around tables."""
    from bs4 import BeautifulSoup

    pages = []
    for scheme in ("default", "slate"):
        page = BeautifulSoup(_PAGE_AROUND.format(scheme=scheme, content=content), "html.parser")
        for table in page.select("article table:not([class])"):
            table.wrap(page.new_tag("div", attrs={"class": "md-typeset__table"}))
            table.parent.wrap(page.new_tag("div", attrs={"class": "md-typeset__scrollwrap"}))
        pages.append(page)
    return pages


def _loosened(selector: str) -> str:
    """The selector without pseudo-classes and pseudo-elements: it matches wherever the
    original could match, in some state."""
    # Attribute selectors first stand aside (their values may hold colons and brackets).
    attributes = _ATTRIBUTE.findall(selector)
    numbered = iter(range(len(attributes)))
    masked = _ATTRIBUTE.sub(lambda _: f"[\0{next(numbered)}]", selector)

    def dropped(match: re.Match) -> str:
        # A pseudo-class alone in its compound (":root", "> :hover") stands for any element.
        return "*" if match.start() == 0 or masked[match.start() - 1] in " >+~" else ""

    bare = _PSEUDO.sub(dropped, masked).strip()
    return re.sub(r"\[\0(\d+)\]", lambda m: attributes[int(m[1])], bare)


@functools.cache
def _loosened_and_classes(selector: str) -> tuple[str, frozenset[str] | None]:
    """``_loosened(selector)`` and the classes it names (None if it escapes characters),
    worked out once per build: every notebook page has the same 580 KiB stylesheet."""
    loose = _loosened(selector)
    return loose, None if "\\" in loose else frozenset(re.findall(r"\.([\w-]+)", loose))


def _could_match(selector: str, pages: list, classes: set[str]) -> bool:
    loose, named = _loosened_and_classes(selector)
    if named is not None and not named <= classes:
        return False  # a class that no element has: no need to ask the selector engine
    # The two pages differ only in their colour scheme: the dark one matters only to
    # selectors that ask for it.
    asked = pages if "color-scheme" in loose else pages[:1]
    try:
        return any(page.select_one(loose) is not None for page in asked)
    except Exception:  # a selector the engine does not know: keep it rather than guess
        return True


def _kept_rules(rules, pages: list, classes: set[str] | None = None) -> list[_Rule]:
    if classes is None:
        classes = {c for page in pages for tag in page.find_all(class_=True) for c in tag["class"]}
    kept = []
    for rule in rules:
        if rule.at in ("media", "supports"):
            inner = _kept_rules(rule.inner, pages, classes)
            if inner:
                kept.append(_Rule(rule.prelude, rule.body, tuple(inner)))
        elif rule.at == "charset":
            continue  # only at the very start of a file, and the page is UTF-8 anyway
        elif rule.at:
            kept.append(rule)  # keyframes and the like: dropped below if nothing uses them
        elif any(_could_match(s.strip(), pages, classes) for s in rule.prelude.split(",")):
            kept.append(rule)
    return kept


class _Declaration(NamedTuple):
    name: str
    value: str  # as text
    important: bool


@functools.lru_cache(maxsize=4096)
def _declarations(rule: _Rule) -> tuple[_Declaration, ...]:
    """A rule's declarations, parsed once per build: the notebook pages keep mostly the
    same rules of the same stylesheet."""
    import tinycss2

    return tuple(
        _Declaration(d.name, tinycss2.serialize(d.value).strip(), d.important)
        for d in tinycss2.parse_blocks_contents(rule.body, True, True)
        if d.type == "declaration"
    )


def _serialized(kept: list[_Rule]) -> str:
    """The kept rules as CSS, without JupyterLab's custom properties and keyframes that no
    kept declaration uses."""

    def styles(rules):
        for rule in rules:
            if rule.inner:
                yield from styles(rule.inner)
            elif not rule.at and rule.body is not None:
                yield rule

    parsed = {rule: _declarations(rule) for rule in styles(kept)}
    defined: dict[str, list[str]] = {}
    for declarations in parsed.values():
        for d in declarations:
            if d.name.startswith("--"):
                defined.setdefault(d.name, []).append(d.value)

    def prunable(d) -> bool:
        return bool(_PRUNABLE_PROPERTY.match(d.name))

    text = [d.value for ds in parsed.values() for d in ds if not prunable(d)]
    used: set[str] = set()
    pending = [name for chunk in text for name in _VAR.findall(chunk)]
    while pending:  # properties used by used properties
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending += [n for value in defined.get(name, []) for n in _VAR.findall(value)]
    everything = " ".join(text)

    def css(rules) -> str:
        out: list[str] = []
        for rule in rules:
            if rule.inner:
                inside = css(rule.inner)
                if inside:
                    out.append(f"{rule.prelude}{{{inside}}}")
            elif rule.body is None:
                out.append(f"{rule.prelude};")
            elif rule.at:
                name = rule.prelude.split(None, 1)[-1]
                if "keyframes" not in rule.at or re.search(
                    rf"(?<![\w-]){re.escape(name)}(?![\w-])", everything
                ):
                    out.append(f"{rule.prelude}{{{rule.body}}}")
            else:
                body = ";".join(
                    f"{d.name}:{d.value}" + ("!important" if d.important else "")
                    for d in parsed[rule]
                    if not prunable(d) or d.name in used
                )
                if body:
                    out.append(f"{rule.prelude}{{{body}}}")
        # nbconvert repeats whole blocks of rules; an earlier copy of a rule that comes
        # again later changes nothing, since the later one wins wherever the first applied.
        last = {rule: at for at, rule in enumerate(out)}
        return "".join(rule for at, rule in enumerate(out) if last[rule] == at)

    return css(kept)


_DATA_PNG = re.compile(r'<img\b(?![^>]*\bwidth=)([^>]*?)src="data:image/png;base64,([^"]+)"')


def sized_data_images(page_html: str) -> str:
    """Give inline PNG images (notebook outputs) their width and height, so that the page
    does not jump when they are decoded."""

    def sized(match: re.Match) -> str:
        attributes, data = match.groups()
        header = base64.b64decode(data[:32])  # the PNG signature, then IHDR: width, height
        width, height = struct.unpack(">II", header[16:24])
        return (
            f'<img{attributes}width="{width}" height="{height}" src="data:image/png;base64,{data}"'
        )

    return _DATA_PNG.sub(sized, page_html)
