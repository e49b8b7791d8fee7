"""The runner's files, without a browser: Pyodide is fetched, checked and kept as
toynn/site/pyodide.py says, or left out with one plain reason; runnable blocks are found.

No test here touches the network: npm is absent or a stand-in script.
"""

import json
import shutil
import stat
import sys
import tarfile

import pytest

from tests.conftest import ROOT
from toynn.site import pyodide
from toynn.site.runnable import MARKER, runnable_blocks, runnable_code

KEPT = (*pyodide.SHIPPED, pyodide.LOCK_FILE)
BUILDS_CACHE = pyodide.cache_dir()  # where the site's builds keep Pyodide (before any patch)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache folder of our own, and a PATH with only a stand-in bin/ folder."""
    folder = tmp_path / "pyodide"
    monkeypatch.setenv(pyodide.CACHE_VARIABLE, str(folder))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    return folder


def fake_npm(bin_dir, members: dict[str, bytes]) -> None:
    """An `npm` that writes a tarball of ``members`` (under package/) where `npm pack`
    would, as a Python script (the tests' PATH holds nothing else)."""
    script = bin_dir / "npm"
    script.write_text(
        f"#!{sys.executable}\n"
        "import io, sys, tarfile\n"
        "folder = sys.argv[sys.argv.index('--pack-destination') + 1]\n"
        f"with tarfile.open(folder + '/pyodide-{pyodide.VERSION}.tgz', 'w:gz') as tar:\n"
        f"    for name, data in {members!r}.items():\n"
        "        info = tarfile.TarInfo('package/' + name)\n"
        "        info.size = len(data)\n"
        "        tar.addfile(info, io.BytesIO(data))\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_without_npm_the_runner_is_left_out_with_one_line_saying_why(cache):
    said = []
    assert pyodide.runtime(log=said.append) is None
    assert said == [
        "the in-page runner was left out: npm is not installed, so pyodide@314.0.7 could "
        "not be fetched"
    ]
    assert not cache.exists()


def test_a_tarball_that_is_not_the_published_one_is_refused_and_not_kept(cache):
    fake_npm(cache.parent / "bin", {name: b"not pyodide" for name in KEPT})
    said = []
    assert pyodide.runtime(log=said.append) is None
    assert len(said) == 1 and "has integrity sha512-" in said[0], said
    assert said[0].endswith(f"not {pyodide.INTEGRITY}")
    assert not cache.exists()
    assert not list(cache.parent.glob(".fetching-*"))  # no scratch left behind


def test_a_kept_copy_is_used_as_is_and_a_damaged_one_is_not(cache):
    if not (BUILDS_CACHE / "manifest.json").is_file():
        pytest.skip(f"no Pyodide kept at {BUILDS_CACHE} yet (a site build fetches it)")
    shutil.copytree(BUILDS_CACHE, cache)
    said = []
    assert pyodide.runtime(log=said.append) == cache  # no npm needed: nothing fetched
    assert said == []
    with open(cache / "python_stdlib.zip", "r+b") as damaged:
        damaged.seek(1000)
        damaged.write(b"\0")
    assert pyodide.runtime(log=said.append) is None  # refetched (no npm here), not shipped
    assert said and "npm is not installed" in said[0]


def test_the_cache_folder_follows_xdg_cache_home(monkeypatch, tmp_path):
    monkeypatch.delenv(pyodide.CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert pyodide.cache_dir() == tmp_path / "toynn" / "pyodide-314.0.7"


def test_the_kept_lock_file_lists_no_packages_so_none_can_be_fetched():
    if not (BUILDS_CACHE / pyodide.LOCK_FILE).is_file():
        pytest.skip(f"no Pyodide kept at {BUILDS_CACHE} yet (a site build fetches it)")
    lock = json.loads((BUILDS_CACHE / pyodide.LOCK_FILE).read_text(encoding="utf-8"))
    assert lock["packages"] == {} and lock["info"]["python"].startswith("3.")


def test_runnable_blocks_are_found_and_a_malformed_one_is_an_error():
    page = f"text\n\n{MARKER}\n\n```python\nprint(1)\n```\n\n</div>\n\nmore\n"
    assert runnable_blocks(page) == ["print(1)\n"]
    assert runnable_code(page) == "print(1)\n"
    with pytest.raises(ValueError, match="must hold one ```python block"):
        runnable_blocks(f"{MARKER}\n\n```text\nprint(1)\n```\n\n</div>\n")
    with pytest.raises(ValueError, match="expected one runnable block, found 2"):
        runnable_code(page + page)


def test_the_archive_is_read_by_name_only(tmp_path):
    """A tarball member named ../x is never written: only SHIPPED names are extracted."""
    evil = tmp_path / "evil.tgz"
    with tarfile.open(evil, "w:gz") as archive:
        note = tmp_path / "note"
        note.write_bytes(b"x")
        archive.add(note, arcname="../escaped")
    into = tmp_path / "into"
    into.mkdir()
    with pytest.raises(KeyError):
        pyodide._unpack(evil, into)
    assert not (tmp_path / "escaped").exists()


def test_a_build_without_pyodide_ships_none_of_the_runners_files(tmp_path):
    """(With Pyodide, the browser tests load the files it ships.)"""
    from mkdocs.structure.files import File, Files

    from toynn.site.plugin import BuildPlugin

    files = Files([File(uri, str(ROOT / "docs"), str(tmp_path), True)
                   for uri in ("index.md", *pyodide.RUNNER_FILES)])  # fmt: skip
    assert BuildPlugin().pyodide is None  # until a build finds Pyodide
    BuildPlugin()._add_runner(files, config=None)
    assert [f.src_uri for f in files] == ["index.md"]
