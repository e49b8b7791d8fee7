"""Where an experiment writes: text, JSON, figures - each file written deterministically."""

from __future__ import annotations

import json
import re
from pathlib import Path

# Figure files must not change from one build to the next unless the picture does.
SVG_SALT = "toynn"
# Screens at most this wide get a figure's narrow version (toynn.plots.NARROW inches wide,
# its panels stacked): there the wide one would shrink its text below 11 CSS px.
NARROW_SCREEN = "(max-width: 640px)"
# PNGs: pixels an inch, and pixels a CSS px. A narrow PNG is as wide in CSS px as the narrow
# SVGs (96 an inch) and has twice the pixels, sharp on a phone's dense screen.
PNG_DPI, NARROW_PNG_DPI, NARROW_PNG_DENSITY = 100, 192, 2


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
        """Save a ``toynn.plots.Plot`` (SVG or PNG by extension) and its Markdown snippet;
        with its narrow version (``plot.narrow``) beside it as ``<name>-narrow.<ext>``, which
        the snippet shows on screens narrower than NARROW_SCREEN."""
        natural_width, natural_height = self._save(filename, plot.figure, PNG_DPI, 1)
        width = width or natural_width
        height = round(width * natural_height / natural_width)
        narrow = None
        if getattr(plot, "narrow", None) is not None:
            stem, suffix = filename.rsplit(".", 1)
            narrow = f"{stem}-narrow.{suffix}"
            size = self._save(narrow, plot.narrow(), NARROW_PNG_DPI, NARROW_PNG_DENSITY)
            narrow = (narrow, size)
        self._snippet(filename, filename, plot.alt, plot.caption, (width, height), narrow=narrow)

    def _save(self, filename: str, figure, dpi: int, density: int) -> tuple[int, int]:
        """Write a matplotlib figure as SVG or PNG (``dpi`` pixels an inch, ``density`` a CSS
        px), the same bytes every time; return its size in CSS px."""
        import matplotlib

        path = self._path(filename)
        with matplotlib.rc_context({"svg.hashsalt": SVG_SALT}):
            if filename.endswith(".svg"):
                figure.savefig(path, format="svg", metadata={"Date": None})
            else:
                figure.savefig(path, format="png", dpi=dpi, metadata={"Software": None})
        width, height = _pixel_size(path)
        if path.suffix == ".svg":
            return width, height
        return round(width / density), round(height / density)

    def animation(self, filename: str, animation) -> None:
        """Save a ``toynn.plots.Animation`` as ``filename`` (AVIF) and its still frame beside
        it, with a snippet that shows the still frame until assets/toynn.js starts the
        animation, unless the reader asks for reduced motion; a button plays and pauses it."""
        stem, suffix = filename.rsplit(".", 1)
        still = f"{stem}-still.{suffix}"
        self._path(filename).write_bytes(animation.animated)
        self._path(still).write_bytes(animation.still)
        size = (animation.width, animation.height)
        self._snippet(filename, still, animation.alt, animation.caption, size, animated=filename)

    def _snippet(
        self, name: str, image: str, alt: str, caption: str, size: tuple[int, int], *,
        animated: str | None = None, narrow: tuple[str, tuple[int, int]] | None = None,
    ) -> None:  # fmt: skip
        """``<figure>`` Markdown showing ``image``, for the chapters to embed with
        ``--8<-- "experiment/name.md"``.

        The image carries its size, so the page keeps its place while the image loads; it is
        lazy-loaded (toynn.site.html.eager_first_image loads a page's first image at once
        when it is near the top). With ``narrow`` (a file and its size), a ``<picture>``
        offers that file to narrow screens, with its own size; its path is written like the
        image's, and toynn.site.html.picture_sources makes it relative to the page as
        mkdocs does the image's.
        """
        alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
        attributes = f"loading=lazy width={size[0]} height={size[1]}"
        figure, button = "toynn-figure", ""
        if animated:
            # The animation's file name, beside the still frame (assets/toynn.js reads it).
            attributes += f' data-animated="{animated.rsplit("/", 1)[-1]}"'
            figure += " toynn-animation"
            button = '<button type="button" class="toynn-animation__toggle" hidden>Play</button>\n'
        shown = f"![{alt}](generated/{self.name}/{image}){{ {attributes} }}"
        if narrow:
            (source, (width, height)) = narrow
            shown = (
                f'<picture><source media="{NARROW_SCREEN}" '
                f'srcset="generated/{self.name}/{source}" width="{width}" height="{height}">'
                f"{shown}</picture>"
            )
        self.text(
            name.rsplit(".", 1)[0] + ".md",
            f'<figure class="{figure}" markdown="span">\n'
            f"{shown}\n"
            f"{button}"
            f'<figcaption markdown="span">{caption}</figcaption>\n'
            f"</figure>\n",
        )


def _pixel_size(path: Path) -> tuple[int, int]:
    """An image file's size in CSS pixels: a PNG's pixels, an SVG's width and height (which
    matplotlib writes in points, 3/4 of a CSS pixel)."""
    if path.suffix == ".svg":
        head = path.read_text(encoding="utf-8")[:2000]
        svg = re.search(r"<svg\b[^>]*>", head)[0]
        points = [
            float(re.search(rf'\b{name}="([\d.]+)pt"', svg)[1]) for name in ("width", "height")
        ]
        return round(points[0] * 4 / 3), round(points[1] * 4 / 3)
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(path) as image:
        return image.size
