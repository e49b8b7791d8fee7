"""Execute a playground notebook so the site shows real, current outputs.

The work happens in a child process (``python -m toynn.site.notebooks NOTEBOOK``), so the
build can run notebooks side by side without sharing imports or threads with them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path


def execute(source: Path, timeout: int = 300) -> str:
    """Run every cell of ``source`` in a fresh Python kernel; return the executed notebook.

    Raises RuntimeError naming the failing cell on the first error.
    """
    child = subprocess.run(
        [sys.executable, "-m", "toynn.site.notebooks", str(source), str(timeout)],
        capture_output=True,
        text=True,
    )
    if child.returncode != 0:
        raise RuntimeError(f"{source.name}: {child.stderr.strip()}")
    return child.stdout


def _execute_here(source: Path, timeout: int) -> str:
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(source, as_version=4)
    # An empty scratch folder as the working directory: a notebook cannot lean on files
    # lying around in the project.
    with tempfile.TemporaryDirectory() as scratch:
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            allow_errors=False,
            record_timing=False,  # timestamps would make every build's notebook different
            resources={"metadata": {"path": scratch}},
            extra_arguments=["--IPKernelApp.log_level=ERROR"],  # no "unencrypted TCP" noise
        )
        client.execute()
    return nbformat.writes(notebook) + "\n"


if __name__ == "__main__":
    from nbclient.exceptions import CellExecutionError

    try:
        sys.stdout.write(_execute_here(Path(sys.argv[1]), int(sys.argv[2])))
    except CellExecutionError as error:
        # nbclient's message names the cell and ends with the exception; keep it short.
        sys.exit("a cell failed:\n" + "\n".join(str(error).strip().splitlines()[-12:]))
