"""The site's math font, cut down to the characters its MathML uses.

The browser draws the site's MathML with STIX Two Math (SIL Open Font License, no reserved
font name, so a subset may keep the name; the licence ships beside it). The whole font is
394 KiB; the site's math uses a few dozen characters, so ``docs/assets/fonts`` holds a
subset of them (about 15 KiB). When a chapter uses a new symbol, ``tests/test_page_weight.py``
fails and names it; regenerate the subset with

    pip install -e ".[docs]"                  # fontTools with brotli, for WOFF2
    python -m toynn.site.math_font            # builds the site, then cuts the font to it
    python -m toynn.site.math_font --site-dir SITE   # an already built site instead

The full font is read from ``--source`` if given, otherwise from this repository's history
(the blob below is the complete STIX Two Math 2.12 the site shipped at first; upstream:
https://github.com/stipub/stixfonts, ``fonts/static_otf_woff2/STIXTwoMath-Regular.woff2``).
"""

from __future__ import annotations

import argparse
import html
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SUBSET = ROOT / "docs" / "assets" / "fonts" / "stix-two-math.woff2"
FULL_FONT_BLOB = "00c3920487bde10860b3bac74873e7e6372d7e03"  # git rev-parse <commit>:<path>

_MATH = re.compile(r"<math\b.*?</math>", re.DOTALL)
_MI = re.compile(r"<mi\b([^>]*)>([^<]*)</mi>")
_TAG = re.compile(r"<[^>]+>")


def italic_form(character: str) -> str:
    """What the browser draws for a one-letter ``<mi>``: MathML's automatic italic.

    MathML Core maps a single Latin or Greek letter (and a few symbols such as ∂ and ∇) to
    its MATHEMATICAL ITALIC code point, whose Unicode name is the letter's with the script
    replaced; h is the exception (the italic h was encoded earlier, as PLANCK CONSTANT).
    Anything without an italic form is drawn as it is.

    >>> [italic_form(c) for c in "xhα∂1′"] == ["𝑥", "ℎ", "𝛼", "𝜕", "1", "′"]
    True
    """
    if character == "h":
        return "\u210e"
    name = unicodedata.name(character, "").removeprefix("LATIN ").removeprefix("GREEK ")
    name = name.replace("LETTER ", "").replace("LUNATE EPSILON", "EPSILON")
    try:
        return unicodedata.lookup("MATHEMATICAL ITALIC " + name)
    except KeyError:
        return character


def characters_in(page_html: str) -> set[str]:
    """Every character the page's MathML draws, with the italic forms of one-letter <mi>."""
    used: set[str] = set()
    for math in _MATH.findall(page_html):
        used |= set(html.unescape(_TAG.sub("", math)))
        for attributes, text in _MI.findall(math):
            letter = html.unescape(text)
            if len(letter) == 1 and "mathvariant" not in attributes:
                used.add(italic_form(letter))
    return {c for c in used if c not in "\n\r\t"}


def characters_used(site_dir: Path) -> set[str]:
    """Every character that the MathML of the built site at ``site_dir`` draws."""
    used: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        used |= characters_in(page.read_text(encoding="utf-8"))
    return used


def describe(characters: set[str]) -> str:
    return ", ".join(
        f"U+{ord(c):04X} {c} ({unicodedata.name(c, '?').lower()})" for c in sorted(characters)
    )


def font_characters(font_file: Path) -> set[str]:
    """The characters a font file maps to glyphs (WOFF2 needs the brotli package)."""
    from fontTools.ttLib import TTFont

    with TTFont(font_file) as font:
        return {chr(code) for code in font.getBestCmap()}


def subset(source: Path, destination: Path, characters: set[str]) -> None:
    """Write the part of ``source`` that draws ``characters`` to ``destination`` (WOFF2).

    Every layout feature and the MATH table stay: the browser takes the stretched brackets,
    display-size sums and script-size variants of the kept characters from them.
    """
    from fontTools import subset as fontsubset
    from fontTools.ttLib import TTFont

    options = fontsubset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]  # keep the copyright and licence notices the OFL requires
    options.notdef_outline = True
    # The font's own glyph boxes and dates: nothing but the cut differs from upstream, and
    # the same characters give the same bytes.
    with TTFont(source, recalcBBoxes=False, recalcTimestamp=False) as font:
        subsetter = fontsubset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in characters])
        subsetter.subset(font)
        font.flavor = "woff2"
        destination.parent.mkdir(parents=True, exist_ok=True)
        font.save(destination, reorderTables=False)


def _full_font(source: Path | None, scratch: Path) -> Path:
    if source is not None:
        return source
    blob = subprocess.run(
        ["git", "cat-file", "blob", FULL_FONT_BLOB], cwd=ROOT, capture_output=True, check=False
    )
    if blob.returncode != 0:
        sys.exit(
            f"the full font (git blob {FULL_FONT_BLOB}) is not in this clone; download "
            "STIXTwoMath-Regular.woff2 from https://github.com/stipub/stixfonts and pass --source"
        )
    path = scratch / "STIXTwoMath-Regular.woff2"
    path.write_bytes(blob.stdout)
    return path


def _build(site_dir: Path) -> None:
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "TOYNN_BUILD_DIR": str(site_dir.parent / "build"),
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", type=Path, help="a built site (default: build one)")
    parser.add_argument("--source", type=Path, help="the full STIX Two Math font")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        site_dir = args.site_dir
        if site_dir is None:
            site_dir = Path(scratch) / "site"
            _build(site_dir)
        characters = characters_used(site_dir)
        source = _full_font(args.source, Path(scratch))
        missing = characters - font_characters(source)
        if missing:  # the browser would fall back to another font: better to know now
            sys.exit(f"STIX Two Math itself has no glyph for {describe(missing)}")
        before = SUBSET.stat().st_size if SUBSET.exists() else 0
        subset(source, SUBSET, characters)
    print(
        f"{SUBSET.relative_to(ROOT)}: {len(characters)} characters, "
        f"{before / 1024:.1f} KiB -> {SUBSET.stat().st_size / 1024:.1f} KiB"
    )


if __name__ == "__main__":
    main()
