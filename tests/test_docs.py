"""The chapters as a reader meets them: every example runs, and runs as pasted.

Sybil (see conftest.py) runs each page's examples in one namespace. These tests add what
Sybil cannot see: fences it would silently ignore, examples skipped without a reason, and
whether a page's code, copied top to bottom into a fresh Python, runs by itself.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toynn.site.html import doctest_to_code

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```$", re.S | re.M
)
SKIP = re.compile(r"<!--\s*skip:\s*next(?P<reason>[^>]*)-->")
NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>\S[^>]*)-->")


def fences(page: Path):
    """(info string, body, comment just above the fence) for every fence on the page."""
    text = page.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        above = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        yield match["info"].strip(), match["body"], above


def runnable_code(page: Path) -> str:
    """What a reader gets by copying every python block on the page, top to bottom."""
    blocks = []
    for info, body, above in fences(page):
        if info == "python" and not SKIP.search(above):
            blocks.append(doctest_to_code(body) if body.startswith(">>>") else body)
    return "\n".join(blocks)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_fences_run_or_say_why_not(page):
    for info, _, above in fences(page):
        looks_like_python = re.match(r"(py|python|pycon|python3)\b", info)
        if looks_like_python and info != "python":
            # Sybil ignores these silently; a reader may not. Say why it does not run.
            assert NOT_RUN.search(above), f"{page.name}: ```{info} needs <!-- not run: why -->"
        skip = SKIP.search(above)
        if skip:
            assert skip["reason"].strip(' "'), f"{page.name}: a skip needs a reason"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_copying_a_whole_page_runs_in_a_fresh_python(page, tmp_path):
    code = runnable_code(page)
    if not code.strip():
        pytest.skip(f"{page.name} has no python blocks")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_prose_points_at_code_by_name_not_by_line_number(page):
    prose = FENCE.sub("", page.read_text(encoding="utf-8"))
    assert not re.search(r"\blines? \d+", prose, re.I), page.name


def test_the_chapters_hold_at_least_forty_examples():
    examples = 0
    for page in PAGES:
        for info, body, above in fences(page):
            if info == "python" and not SKIP.search(above):
                examples += body.count("\n>>> ") + body.startswith(">>>") or 1
    assert examples >= 40
