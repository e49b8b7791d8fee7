"""The chapters' code, pasted into Python's interactive prompt as a reader pastes it: what
Sybil checks every example of docs/ against (see conftest.py).

A reader copies a page's python blocks, top to bottom, into ``python``: the classic prompt,
where a loop or a def ends at an empty line, so a statement right after one is a
SyntaxError there though it runs in a file. So each page runs once, in a fresh Python with
only toynn installed (not in the test process, whose imports and settings a reader does
not have): its blocks are pushed line by line into ``code.InteractiveConsole``, with an
empty line after each block (the Enter that runs the last statement of a paste).

What each block or ``>>>`` example printed is kept apart, and Sybil's evaluator compares
it with the example's expected output. An example fails if pasting it fails, if it warns,
or if it shows a value by echo: a bare expression shows its value at the prompt only, a
file shows nothing, so the chapters print what they show.
"""

from __future__ import annotations

import doctest
import json
import re
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from sybil.evaluators.doctest import OutputChecker
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.parsers.markdown import CodeBlockParser, PythonCodeBlockParser

FENCE = re.compile(
    r"^(?P<indent> *)```(?P<info>[^\n`]*)\n(?P<body>.*?)^(?P=indent)```$", re.S | re.M
)
SKIP = re.compile(r"<!--\s*skip:\s*next(?P<reason>[^>]*)-->")
NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>\S[^>]*)-->")
_PROMPT = re.compile(r"(>>>|\.\.\.)( |$)")


def fences(text: str, *, with_lines: bool = False):
    """(info string, body, comment just above the fence) for every fence of a page's text,
    the body without the fence's indent (a fence in a note or a tab is indented); with
    ``with_lines``, the page's line number of the fence comes first."""
    for match in FENCE.finditer(text):
        above = text[: match.start()].rstrip().rsplit("\n", 1)[-1]
        indent = match["indent"]
        body = re.sub(rf"(?m)^{indent}", "", match["body"]) if indent else match["body"]
        found = match["info"].strip(), body, above
        yield (text.count("\n", 0, match.start()) + 1, *found) if with_lines else found


def pasted_pieces(text: str) -> list[dict]:
    """What a reader pastes, in order: for each python block that runs, its lines; a >>>
    block in one piece per example, without prompts or output (what its copy button copies,
    toynn.site.html.doctest_to_code). Each piece has the page's line of its example (a
    block's: its fence), as Sybil numbers them, and whether the block ends with it."""
    pieces = []
    for line, info, body, above in fences(text, with_lines=True):
        if info != "python" or SKIP.search(above):
            continue
        if not body.startswith(">>>"):
            pieces.append({"line": line, "lines": body.splitlines(), "ends_block": True})
            continue
        for offset, row in enumerate(body.splitlines(), start=1):
            prompt = _PROMPT.match(row)
            if prompt and prompt[1] == ">>>":
                pieces.append({"line": line + offset, "lines": [], "ends_block": False})
            if prompt:
                pieces[-1]["lines"].append(row[4:])
        pieces[-1]["ends_block"] = True
    return pieces


# Reads the pieces as JSON on stdin and writes, for each, what it printed, its echoes and
# warnings, and the traceback if pasting it failed (then it stops: so would the reader).
PASTE_INTO_THE_PROMPT = r"""
import code, contextlib, io, json, sys, warnings

pieces, results = json.load(sys.stdin), []
console = code.InteractiveConsole({"__name__": "__main__", "__doc__": None}, filename="<stdin>")
messages = []
console.write = messages.append  # where the prompt prints a traceback or a SyntaxError
show = sys.displayhook


def echo(value):
    if value is not None:  # a bare expression: the prompt shows it, a file would not
        results[-1]["echoes"].append(repr(value)[:80])
    show(value)


sys.displayhook = echo
for piece in pieces:
    results.append({"line": piece["line"], "echoes": [], "error": None})
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), warnings.catch_warnings(record=True) as caught:
        for line in piece["lines"] + ([""] if piece["ends_block"] else []):
            console.push(line)
            if messages:
                results[-1]["error"] = [line, "".join(messages)[-2000:]]
                break
    results[-1]["printed"] = printed.getvalue()
    results[-1]["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    if results[-1]["error"]:
        break
with open(sys.argv[1], "w", encoding="utf-8") as f:
    json.dump(results, f)
"""


def paste(text: str) -> dict[int, dict]:
    """Paste a page's code into the prompt of a fresh Python; what each piece did, by line.
    A piece after one that failed is missing: the paste stopped there."""
    with tempfile.TemporaryDirectory(prefix="toynn-paste-") as scratch:
        report = Path(scratch) / "report.json"
        done = subprocess.run(
            [sys.executable, "-c", PASTE_INTO_THE_PROMPT, str(report)],
            input=json.dumps(pasted_pieces(text)), cwd=scratch,
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if not report.exists():
            raise RuntimeError(f"the interpreter died\n{done.stderr[-3000:]}")
        return {result["line"]: result for result in json.loads(report.read_text("utf-8"))}


class PastedIntoThePrompt:
    """Sybil's evaluator for the chapters: the page is pasted once, at its first example
    (the results wait in the page's namespace), and each example checks its own piece."""

    def __init__(self, optionflags: int) -> None:
        self.optionflags = optionflags
        self.checker = OutputChecker()

    def __call__(self, example) -> str | None:
        namespace = example.namespace
        if "pasted" not in namespace:
            namespace["pasted"] = paste(example.document.text)
        result = namespace["pasted"].get(example.line)
        if result is None:
            stopped = [line for line, r in namespace["pasted"].items() if r["error"]]
            if stopped and stopped[0] < example.line:
                return f"not run: pasting the page stopped at line {stopped[0]}"
            return "this example is missing from what tests/paste.py pastes: fix pasted_pieces"
        if result["error"]:
            pasted, message = result["error"]
            return (
                f"pasting it into the interactive prompt fails at\n    {pasted}\n"
                + textwrap.indent(message, "    ")
            )
        if result["warnings"]:
            return "it warns, and a reader sees that:\n    " + "\n    ".join(result["warnings"])
        if result["echoes"]:
            shown = ", ".join(result["echoes"])
            return f"it shows {shown} by echo: use print(), a file shows nothing"
        wanted = example.parsed
        if isinstance(wanted, doctest.Example):
            flags = self.optionflags
            for flag, on in wanted.options.items():
                flags = flags | flag if on else flags & ~flag
            if not self.checker.check_output(wanted.want, result["printed"], flags):
                return self.checker.output_difference(wanted, result["printed"], flags)
        return None


class ChapterParser(PythonCodeBlockParser):
    """Python blocks and >>> examples, as Sybil finds them, checked against the paste; a
    >>> example's output may use ... and differ in whitespace."""

    def __init__(self) -> None:
        super().__init__()
        evaluator = PastedIntoThePrompt(doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        self.doctest_parser = DocTestStringParser(evaluator)
        self.codeblock_parser = CodeBlockParser("python", evaluator)
