"""Rewrites of each page's HTML: math to MathML, clean copies of >>> examples, notebooks
kept offline.
"""

from __future__ import annotations

import html
import re

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
    """Drop the CDN scripts nbconvert adds; put a visible download link on top."""
    link = (
        f'<p class="toynn-download"><a href="{download_name}" download>'
        f"Download this notebook ({download_name})</a> and run it with Jupyter, "
        "or copy its cells into Python.</p>\n"
    )
    kept = _SCRIPT.sub(
        lambda m: "" if _FETCHES_ELSEWHERE.search(m.group(0)) else m.group(0), page_html
    )
    return link + kept
