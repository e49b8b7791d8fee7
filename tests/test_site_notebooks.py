"""Executing the playground notebooks: one kernel for all, yet each notebook on its own."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toynn.site import notebooks


def write(folder, name, *cells):
    path = folder / name
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    return path


def test_each_notebook_starts_counting_afresh_and_its_streams_are_one_output(tmp_path):
    chunks = write(
        tmp_path, "chunks.ipynb",
        'import time\nprint("a", flush=True)\ntime.sleep(0.5)\nprint("b")',
    )  # fmt: skip
    second = write(tmp_path, "second.ipynb", "x = 1", "x + 1")
    first, then = (nbformat.reads(text, 4) for text in notebooks.execute((chunks, second)))
    # The kernel sent "a" and "b" in two messages; the notebook must not depend on that.
    assert first["cells"][0]["outputs"] == [
        {"name": "stdout", "output_type": "stream", "text": "a\nb\n"}
    ]
    assert [cell["execution_count"] for cell in then["cells"]] == [1, 2]


def test_a_notebook_cannot_use_what_the_one_before_it_defined(tmp_path):
    defines = write(tmp_path, "defines.ipynb", "import math\nx = math.pi")
    uses = write(tmp_path, "uses.ipynb", "print(x)")
    with pytest.raises(RuntimeError, match=r"uses\.ipynb: a cell failed(.|\n)*NameError"):
        notebooks.execute((defines, uses))
