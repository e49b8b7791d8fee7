"""The built site: strict, complete, offline, and the same bytes every time."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.conftest import ROOT
from toynn.site import cache, experiments


class _References(HTMLParser):
    def __init__(self):
        super().__init__()
        self.references: list[tuple[str, str]] = []
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("href", "src"):
            if attributes.get(name):
                self.references.append((tag, attributes[name]))
        if tag == "img":
            self.images.append(attributes)


def _pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("*.html"))


def _parse(page: Path) -> _References:
    parser = _References()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_the_build_is_strict_and_warning_free(built_site):
    assert "WARNING" not in built_site.log
    assert "experiment(s) ran" in built_site.log


def test_every_chapter_and_notebook_is_a_page(built_site):
    nav = [
        "index.html", "part-1-optimization/index.html", "part-2-gradient-descent/index.html",
        "part-3-when-it-breaks/index.html", "part-4-inside-a-network/index.html",
        "part-5-improving-the-network/index.html", "part-6-conclusion/index.html",
        "appendix-reproducing-the-post/index.html", "explorer/index.html",
    ]  # fmt: skip
    for page in nav:
        assert (built_site.site_dir / page).is_file(), page
    for notebook in (ROOT / "docs" / "notebooks").glob("*.ipynb"):
        assert (built_site.site_dir / "notebooks" / notebook.stem / "index.html").is_file()


def test_every_internal_link_and_image_resolves(built_site):
    site = built_site.site_dir
    broken = []
    for page in _pages(site):
        for tag, reference in _parse(page).references:
            parts = urlsplit(reference)
            if parts.scheme or reference.startswith(("#", "mailto:", "data:")):
                continue
            base = site if parts.path.startswith("/") else page.parent  # 404.html is absolute
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: <{tag}> {reference}")
    assert broken == []


def test_no_page_loads_anything_from_another_host(built_site):
    loads = re.compile(
        r'<(?:script|img|link|iframe|source)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I
    )
    for page in _pages(built_site.site_dir):
        html = page.read_text(encoding="utf-8")
        for match in loads.finditer(html):
            tag = html[match.start() : html.index(">", match.start()) + 1]
            # <link rel="canonical"> names the page's own public address; it loads nothing.
            assert 'rel="canonical"' in tag, f"{page}: {tag}"
    for css in built_site.site_dir.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", css.read_text()), css


def test_every_image_has_alt_text_and_every_figure_a_caption(built_site):
    for page in _pages(built_site.site_dir):
        html = page.read_text(encoding="utf-8")
        for image in _parse(page).images:
            if "generated/" in image.get("src", ""):
                assert len(image.get("alt", "")) > 20, f"{page}: {image}"
        assert html.count("<figure") == html.count("<figcaption")  # the Explorer's too


def test_the_required_figures_are_generated(built_site):
    generated = built_site.build_dir / "generated"
    for figure in [
        "ball-in-bucket/bucket.svg", "ball-in-bucket/versions.svg", "breaking/overshoot.svg",
        "breaking/crawl.svg", "breaking/basins.svg", "breaking/rut.svg",
        "error-surface/surface-3d.png", "error-surface/surface-contour.svg",
        "error-surface/surface-rotation.avif", "error-surface/surface-rotation-still.avif",
        "sweep-figures/error-curves.svg",
        "closer-look/direction-changes.svg", "closer-look/weight-magnitudes.svg",
        "published-comparison/table-hidden-4.md", "published-comparison/table-hidden-32.md",
    ]:  # fmt: skip
        assert (generated / figure).stat().st_size > 1000, figure
    assert (generated / "error-surface/surface-rotation.avif").stat().st_size < 200_000


def test_math_is_mathml_and_its_font_ships_with_the_site(built_site):
    site = built_site.site_dir
    pages_with_math = [p for p in _pages(site) if "<math" in p.read_text(encoding="utf-8")]
    assert pages_with_math
    for page in pages_with_math:
        assert 'class="arithmatex"' not in page.read_text(encoding="utf-8")  # none left as TeX
    assert (site / "assets/fonts/stix-two-math.woff2").stat().st_size > 5_000  # a subset


def test_notebooks_are_executed_and_downloadable(built_site):
    for page in (built_site.site_dir / "notebooks").glob("*/index.html"):
        name = page.parent.name + ".ipynb"
        assert f'href="{name}" download' in page.read_text(encoding="utf-8")
        notebook = json.loads((page.parent / name).read_text(encoding="utf-8"))
        code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
        assert code_cells and all(c["execution_count"] for c in code_cells)
        assert any(c["outputs"] for c in code_cells)


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_the_plain_python_network_prints_the_numpy_networks_answers(built_site):
    # The landing page says so: the same four answers, to the 8 decimals both print.
    generated = built_site.build_dir / "generated"
    numpy_printed = (generated / "opening" / "output.txt").read_text(encoding="utf-8")
    plain_printed = (generated / "opening-plain" / "output.txt").read_text(encoding="utf-8")
    numpy_answers = [float(v) for v in re.findall(r"\d+\.\d+(?:e[+-]\d+)?", numpy_printed)]
    assert len(numpy_answers) == 4
    assert [float(v) for v in plain_printed.split()] == numpy_answers


def test_two_builds_in_two_folders_are_byte_identical(built_site, second_site):
    # Both set SOURCE_DATE_EPOCH, the reproducible-builds convention; nothing may differ,
    # not the generated figures, not the pages, not the sitemap.
    assert built_site.build_dir != second_site.build_dir
    for part in ("site", "build/generated"):
        first = _files(built_site.site_dir.parent / part)
        second = _files(second_site.site_dir.parent / part)
        assert sorted(first) == sorted(second)
        assert [name for name in first if first[name] != second[name]] == []
    assert "<loc>" in (built_site.site_dir / "sitemap.xml").read_text(encoding="utf-8")
    # the second build found the first one's training runs under the same keys
    assert "training-8-to-32: from the cache" in second_site.log


def test_no_cache_key_names_the_folder_of_the_checkout():
    keys: dict[str, str] = {}
    for experiment in experiments.experiments():
        parts = cache.key_parts(experiment, keys)
        assert str(ROOT) not in json.dumps(parts, default=str), experiment.name
        keys[experiment.name] = cache.experiment_key(experiment, keys)


def test_the_explorer_data_is_light(built_site):
    grid = built_site.site_dir / "generated/explorer-grid/grid.json"
    assert grid.stat().st_size < 1_000_000  # the only data the Explorer page loads
