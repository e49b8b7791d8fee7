"""Executing the playground notebooks: one kernel for all, yet each notebook on its own."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from toynn.site import notebooks


def write(folder, name, *cells):
    path = folder / name
    nbformat.write(new_notebook(cells=[new_code_cell(c) for c in cells]), path)
    return path


def test_notebooks_share_a_kernel_but_not_a_namespace_and_streams_are_one_output(tmp_path):
    chunks = write(
        tmp_path, "chunks.ipynb",
        'import time\nprint("a", flush=True)\ntime.sleep(0.5)\nprint("b")',
    )  # fmt: skip
    defines = write(tmp_path, "defines.ipynb", "import math\nx = math.pi")
    looks = write(tmp_path, "looks.ipynb", 'print("x" in dir(), "math" in dir())', "1 + 1")
    executed = notebooks.execute((chunks, defines, looks))
    first, _, last = (nbformat.reads(text, 4) for text in executed)
    # The kernel sent "a" and "b" in two messages; the notebook must not depend on that.
    assert first.cells[0].outputs == [{"name": "stdout", "output_type": "stream", "text": "a\nb\n"}]
    # Nothing the notebook before defined or imported is left; counting starts afresh.
    assert last.cells[0].outputs[0]["text"] == "False False\n"
    assert [cell.execution_count for cell in last.cells] == [1, 2]


def test_a_failing_cell_names_its_notebook(tmp_path):
    fails = write(tmp_path, "fails.ipynb", "x = 1", "print(y)")
    with pytest.raises(RuntimeError, match=r"fails\.ipynb: a cell failed(.|\n)*NameError"):
        notebooks.execute((fails,))
