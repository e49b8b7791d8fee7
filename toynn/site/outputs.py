"""Where an experiment writes: text, JSON, figures - each file written deterministically."""

from __future__ import annotations

import json
from pathlib import Path

# Figure files must not change from one build to the next unless the picture does.
SVG_SALT = "toynn"


class Outputs:
    """The folder an experiment writes into, and the experiments it may read from."""

    def __init__(self, folder: Path, name: str, inputs: dict[str, Path]):
        self.folder, self.name, self.inputs = folder, name, inputs

    def _path(self, filename: str) -> Path:
        path = self.folder / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    def text(self, filename: str, text: str) -> None:
        self._path(filename).write_text(text, encoding="utf-8")

    def json(self, filename: str, data: object) -> None:
        self.text(filename, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def facts(self, facts: dict[str, object]) -> None:
        """Named values the chapters quote in their prose: ``{{ fact experiment.name }}``."""
        self.json("facts.json", {key: str(value) for key, value in facts.items()})

    def read_json(self, experiment: str, filename: str) -> object:
        """Read a file that an experiment listed in ``needs`` wrote."""
        return json.loads((self.inputs[experiment] / filename).read_text(encoding="utf-8"))

    def figure(self, filename: str, plot, *, width: int | None = None) -> None:
        """Save a ``toynn.plots.Plot`` (SVG or PNG by extension) and its Markdown snippet."""
        import matplotlib

        path = self._path(filename)
        with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
            if filename.endswith(".svg"):
                plot.figure.savefig(path, format="svg", metadata={"Date": None})
            else:
                plot.figure.savefig(path, format="png", dpi=100, metadata={"Software": None})
        self._snippet(filename, plot.alt, plot.caption, width)

    def animation(self, filename: str, gif: bytes, alt: str, caption: str) -> None:
        self._path(filename).write_bytes(gif)
        self._snippet(filename, alt, caption, None)

    def _snippet(self, filename: str, alt: str, caption: str, width: int | None) -> None:
        """``<figure>`` Markdown for the chapters to embed with ``--8<-- "name/file.md"``."""
        alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
        size = f" width={width}" if width else ""
        self.text(
            filename.rsplit(".", 1)[0] + ".md",
            f'<figure class="toynn-figure" markdown="span">\n'
            f"![{alt}](generated/{self.name}/{filename}){{ loading=lazy{size} }}\n"
            f'<figcaption markdown="span">{caption}</figcaption>\n'
            f"</figure>\n",
        )
