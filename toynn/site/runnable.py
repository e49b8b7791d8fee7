"""Code a reader can run in the page: the python blocks inside
``<div class="toynn-runnable" markdown>`` (docs/assets/runner.js adds the Run button).

The build runs the same text in CPython (experiment ``opening-plain``), so the page shows
what the code really prints, and the browser tests compare the two.
"""

from __future__ import annotations

import re

MARKER = '<div class="toynn-runnable" markdown>'
_BLOCK = re.compile(
    re.escape(MARKER) + r"\s*^```python\n(?P<code>.*?)^```\s*^</div>", re.DOTALL | re.MULTILINE
)


def runnable_blocks(markdown: str) -> list[str]:
    """The code of every runnable block in ``markdown``, top to bottom."""
    blocks = [match["code"] for match in _BLOCK.finditer(markdown)]
    if len(blocks) != markdown.count(MARKER):  # a marker the pattern missed would go untested
        raise ValueError(
            f"each {MARKER} must hold one ```python block and end with </div> on its own line"
        )
    return blocks


def runnable_code(markdown: str) -> str:
    """The code of the one runnable block in ``markdown``."""
    blocks = runnable_blocks(markdown)
    if len(blocks) != 1:
        raise ValueError(f"expected one runnable block, found {len(blocks)}")
    return blocks[0]
