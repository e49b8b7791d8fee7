"""The chapters as a reader meets them: every example runs, and runs as pasted.

Sybil (see conftest.py) runs each page's examples in one namespace. These tests add what
Sybil cannot see: fences it would silently ignore, examples skipped without a reason, and
whether a page's code, pasted block by block into Python's interactive prompt, runs there
and shows its results with print() (so that it shows them in a file too).
"""

import json
import re
import subprocess
import sys
import textwrap
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


def fences(page: Path, *, with_lines: bool = False):
    """(info string, body, comment just above the fence) for every fence on the page, the
    body without the fence's indent (a fence in a note or a tab is indented); with
    ``with_lines``, the page's line number of the fence comes first."""
    text = page.read_text(encoding="utf-8")
    for match in FENCE.finditer(text):
        above = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        indent = match["indent"]
        body = re.sub(rf"(?m)^{indent}", "", match["body"]) if indent else match["body"]
        found = match["info"].strip(), body, above
        yield (text.count("\n", 0, match.start()) + 1, *found) if with_lines else found


def copied_blocks(page: Path) -> list[tuple[int, str]]:
    """(line of the fence, what its copy button copies) for every python block on the page,
    top to bottom: a >>> example without its prompts and output (toynn.site.html)."""
    blocks = []
    for line, info, body, above in fences(page, with_lines=True):
        if info == "python" and not SKIP.search(above):
            blocks.append((line, doctest_to_code(body) if body.startswith(">>>") else body))
    return blocks


def runnable_code(page: Path) -> str:
    """What a reader gets by copying every python block on the page, top to bottom."""
    return "\n".join(code for _, code in copied_blocks(page))


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


# Pastes blocks into code.InteractiveConsole line by line, as the standard prompt reads
# them, with an empty line after each block (the Enter that runs the last statement of a
# paste). Reads [[line, code], ...] as JSON on stdin; writes what went wrong to argv[1].
PASTE_INTO_THE_PROMPT = r"""
import code, json, sys

blocks, report = json.load(sys.stdin), {"error": None, "echoes": []}
console = code.InteractiveConsole(filename="<stdin>")
block_line = None
messages = []
console.write = lambda text: (messages.append(text), sys.stderr.write(text))
show = sys.displayhook


def echo(value):
    if value is not None:  # a bare expression: the prompt shows it, a file would not
        report["echoes"].append([block_line, repr(value)[:80]])
    show(value)


sys.displayhook = echo
for block_line, text in blocks:
    for line in text.splitlines() + [""]:
        console.push(line)
        if messages:  # a SyntaxError or an exception: the prompt printed its traceback
            report["error"] = [block_line, line, "".join(messages)[-2000:]]
            break
    if report["error"]:
        break
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(report, f)
"""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_block_pasted_into_the_interactive_prompt_runs_and_prints(page, tmp_path):
    """A reader copies the page's blocks, top to bottom, into ``python`` (the classic
    prompt: a loop or a def ends at an empty line, so a statement right after one is a
    SyntaxError there, though it runs in a file). Every block must run, and show its
    results with print(): a bare expression shows its value at the prompt only."""
    blocks = copied_blocks(page)
    if not blocks:
        pytest.skip(f"{page.name} has no python blocks")
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-c", PASTE_INTO_THE_PROMPT, str(report)],
        input=json.dumps(blocks), cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert report.exists(), f"{page.name}: the interpreter died\n{result.stderr[-3000:]}"
    found = json.loads(report.read_text(encoding="utf-8"))
    if found["error"]:
        line, pasted, message = found["error"]
        pytest.fail(
            f"{page.name}, the python block at line {line}: pasting it into the interactive "
            f"prompt fails at\n    {pasted}\n{textwrap.indent(message, '    ')}",
            pytrace=False,
        )
    echoes = [f"the block at line {line} shows {value} by echo" for line, value in found["echoes"]]
    assert not echoes, f"{page.name}: use print(), a file shows nothing:\n" + "\n".join(echoes)


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
