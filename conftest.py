"""Sybil collects every example: the docstrings in toynn/ and the code blocks in docs/."""

from sybil import Sybil
from sybil.parsers import rest

docstrings = Sybil(parsers=[rest.DocTestParser()], patterns=["*.py"], path="toynn")

pytest_collect_file = docstrings.pytest()
