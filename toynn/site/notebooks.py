"""Execute the playground notebooks so the site shows real, current outputs.

The work happens in a child process (``python -m toynn.site.notebooks PID TIMEOUT NOTEBOOK...``),
so the build can run it beside other experiments without sharing imports or threads.

All the notebooks run in one Jupyter kernel, one after another: starting a kernel (and
importing numpy and matplotlib into it) costs more than running a notebook. Between two
notebooks the kernel is reset to a fresh namespace and execution count, so each notebook
still gets only what it imports itself: a missing import fails the build as it would fail
for a reader.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_RESET = "get_ipython().reset(new_session=True)"  # empty namespace, execution count back to 1


def execute(sources: tuple[Path, ...], timeout: int = 300) -> list[str]:
    """Run every cell of every notebook in ``sources``; return the executed notebooks.

    Raises RuntimeError naming the notebook and the failing cell on the first error.
    """
    child = subprocess.run(
        [sys.executable, "-m", "toynn.site.notebooks", str(os.getpid()), str(timeout)]
        + [str(source) for source in sources],
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise RuntimeError(child.stderr.strip())
    return json.loads(child.stdout)


def _execute_here(sources: list[Path], timeout: int) -> list[str]:
    import nbformat
    from jupyter_client import KernelManager
    from nbclient import NotebookClient

    def client(notebook, scratch):
        return NotebookClient(
            notebook,
            km=kernel,
            timeout=timeout,
            allow_errors=False,
            record_timing=False,  # timestamps would make every build's notebook different
            # One output per stream and cell: how the kernel happened to chunk the text
            # (it depends on timing) must not change the notebook's bytes.
            coalesce_streams=True,
            resources={"metadata": {"path": scratch}},
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no "unencrypted TCP" noise
        )

    kernel = KernelManager(kernel_name="python3")
    executed = []
    # An empty scratch folder as the working directory: a notebook cannot lean on files
    # lying around in the project.
    with tempfile.TemporaryDirectory() as scratch:
        try:
            for source in sources:
                notebook = nbformat.read(source, as_version=4)
                try:
                    client(notebook, scratch).execute()
                except Exception as error:
                    raise RuntimeError(f"{source.name}: {error}") from error
                executed.append(nbformat.writes(notebook) + "\n")
                reset = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(_RESET)])
                cleaner = client(reset, scratch)
                with cleaner.setup_kernel():
                    cleaner.execute_cell(reset.cells[0], 0, store_history=False)
        finally:
            if kernel.has_kernel:
                kernel.shutdown_kernel(now=True)
    return executed


if __name__ == "__main__":
    from nbclient.exceptions import CellExecutionError

    from toynn.site.cache import die_with

    die_with(int(sys.argv[1]))  # the kernel, in turn, ends when this process does
    try:
        sources = [Path(p) for p in sys.argv[3:]]
        sys.stdout.write(json.dumps(_execute_here(sources, int(sys.argv[2]))))
    except RuntimeError as error:
        cause = error.__cause__
        if not isinstance(cause, CellExecutionError):
            raise
        # nbclient's message names the cell and ends with the exception; keep it short.
        lines = str(cause).strip().splitlines()[-12:]
        sys.exit(f"{str(error).split(':')[0]}: a cell failed:\n" + "\n".join(lines))
