"""Sybil collects every example: the docstrings in toynn/ and the code blocks in docs/.

In docs/, a fence whose info string is exactly `python` runs; a block starting with `>>>`
runs as a doctest. A page's blocks run top to bottom in one fresh Python, pasted into its
interactive prompt as a reader pastes them (tests/paste.py), and each example is checked
against what its part of the paste printed.
"""

from sybil import Sybil
from sybil.parsers import markdown, rest

from tests.paste import ChapterParser

docstrings = Sybil(parsers=[rest.DocTestParser()], patterns=["*.py"], path="toynn")
chapters = Sybil(
    parsers=[
        ChapterParser(),
        markdown.SkipParser(),
    ],
    patterns=["*.md"],
    path="docs",
)

pytest_collect_file = (docstrings + chapters).pytest()
