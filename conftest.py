"""Sybil collects every example: the docstrings in toynn/ and the code blocks in docs/.

In docs/, a fence whose info string is exactly `python` runs; a block starting with `>>>`
runs as a doctest. Blocks on one page share a namespace, top to bottom, as a reader who
pastes them in order would.
"""

from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers import markdown, rest

docstrings = Sybil(parsers=[rest.DocTestParser()], patterns=["*.py"], path="toynn")
chapters = Sybil(
    parsers=[
        markdown.PythonCodeBlockParser(doctest_optionflags=ELLIPSIS | NORMALIZE_WHITESPACE),
        markdown.SkipParser(),
    ],
    patterns=["*.md"],
    path="docs",
)

pytest_collect_file = (docstrings + chapters).pytest()
