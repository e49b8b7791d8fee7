"""The chapters as a reader meets them: every example runs, and runs as pasted.

Sybil (see conftest.py) checks every example against the page pasted into Python's
interactive prompt (tests/paste.py). These tests add what Sybil cannot see: fences it would
silently ignore, examples skipped without a reason, code that runs at the prompt but not in
a file; and they check the paste itself, on small pages made to fail.
"""

import re
from pathlib import Path

import pytest
from sybil import Document
from sybil.example import SybilFailure
from sybil.parsers.markdown import SkipParser

from tests.conftest import ROOT
from tests.paste import FENCE, NOT_RUN, SKIP, ChapterParser, fences, pasted_pieces
from toynn.site.html import doctest_to_code

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))


def text(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def chapter_examples(path: Path) -> list:
    """The examples Sybil finds on a page, as conftest.py configures it."""
    return list(Document.parse(str(path), ChapterParser(), SkipParser()))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_python_fences_run_or_say_why_not(page):
    for info, _, above in fences(text(page)):
        looks_like_python = re.match(r"(py|python|pycon|python3)\b", info)
        if looks_like_python and info != "python":
            # Sybil ignores these silently; a reader may not. Say why it does not run.
            assert NOT_RUN.search(above), f"{page.name}: ```{info} needs <!-- not run: why -->"
        skip = SKIP.search(above)
        if skip:
            assert skip["reason"].strip(' "'), f"{page.name}: a skip needs a reason"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_prose_points_at_code_by_name_not_by_line_number(page):
    prose = FENCE.sub("", text(page))
    assert not re.search(r"\blines? \d+", prose, re.I), page.name


def test_the_chapters_hold_at_least_forty_examples():
    examples = 0
    for page in PAGES:
        for info, body, above in fences(text(page)):
            if info == "python" and not SKIP.search(above):
                examples += body.count("\n>>> ") + body.startswith(">>>") or 1
    assert examples >= 40


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_the_paste_is_what_the_copy_buttons_copy_and_holds_every_example(page):
    pieces = pasted_pieces(text(page))
    blocks, block = [], []
    for piece in pieces:
        block += piece["lines"]
        if piece["ends_block"]:
            blocks.append("\n".join(block).rstrip() + "\n")
            block = []
    copied = [
        doctest_to_code(body) if body.startswith(">>>") else body.rstrip() + "\n"
        for info, body, above in fences(text(page))
        if info == "python" and not SKIP.search(above)
    ]
    assert blocks == copied
    # Each example Sybil checks has its own piece of the paste, found by its line.
    lines = {piece["line"] for piece in pieces}
    assert [e.line for e in chapter_examples(page) if e.line not in lines] == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_page_is_a_python_file_too(page):
    """The whole page's code, copied into a file: the prompt and a file read some code
    differently (a file needs no empty line to end a loop, so the paste checks that)."""
    code = "".join("\n".join(piece["lines"]) + "\n" for piece in pasted_pieces(text(page)))
    compile(code, page.name, "exec")


def line_of(page: str, start: str) -> int:
    return page[: page.index(start)].count("\n") + 1


def outcomes(tmp_path, page: str) -> dict[int, str | None]:
    """Each example of a made-up page, by line: None if it passes, else Sybil's message."""
    path = tmp_path / "page.md"
    path.write_text(page, encoding="utf-8")
    results = {}
    for example in chapter_examples(path):
        try:
            example.evaluate()
            results[example.line] = None
        except SybilFailure as failure:
            results[example.line] = failure.result
    return results


GOOD = """# A page

```python
import numpy as np
weights = np.array([0.5, -0.25])
```

```python
>>> for w in weights:
...     print(w)
...
0.5
-0.25
>>> print(weights.sum() * 4)
1.0
```
"""


def test_a_page_that_pastes_cleanly_passes_example_by_example(tmp_path):
    assert outcomes(tmp_path, GOOD) == {3: None, 9: None, 14: None}


def test_an_example_is_checked_against_its_own_output(tmp_path):
    results = outcomes(tmp_path, GOOD.replace("1.0\n", "2.0\n"))
    assert results[9] is None
    assert "Expected:\n    2.0\nGot:\n    1.0" in results[14]


def test_a_statement_right_after_a_loop_fails_at_the_prompt_and_stops_the_paste(tmp_path):
    page = GOOD.replace("...     print(w)\n...\n", "...     print(w)\n")
    page += "\n```python\nprint('after')\n```\n"
    results = outcomes(tmp_path, page)
    assert results[3] is None
    failed = line_of(page, ">>> print(weights")
    assert results[failed].startswith(
        "pasting it into the interactive prompt fails at\n    print(weights.sum() * 4)\n"
    )
    assert "SyntaxError" in results[failed]
    after = line_of(page, "print('after')") - 1  # its fence
    assert results[after] == f"not run: pasting the page stopped at line {failed}"


def test_a_value_shown_by_echo_fails(tmp_path):
    results = outcomes(
        tmp_path, GOOD.replace(">>> print(weights.sum() * 4)", ">>> weights.sum() * 4")
    )
    assert results[14] == "it shows np.float64(1.0) by echo: use print(), a file shows nothing"


def test_a_warning_fails(tmp_path):
    page = GOOD.replace("weights = np.array", "np.exp(np.array([1000.0]))\nweights = np.array")
    assert outcomes(tmp_path, page)[3].startswith(
        "it warns, and a reader sees that:\n    RuntimeWarning: overflow"
    )


def test_each_page_starts_in_a_fresh_python(tmp_path):
    # The test process has imported numpy, pytest and toynn; a reader's Python has not.
    results = outcomes(tmp_path, "```python\nprint(np.pi)\n```\n")
    assert "NameError: name 'np' is not defined" in results[1]
