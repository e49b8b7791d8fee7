"""The in-page runner's Python: Pyodide, pinned, fetched once from the npm registry.

The site ships the files a Web Worker needs to boot Pyodide's interpreter and standard
library from the site itself (assets/pyodide/), nothing from a CDN. ``runtime`` gets the
pinned package with ``npm pack`` (so npm's registry, proxy and cache settings apply), checks
the tarball against the registry's published integrity, and keeps the unpacked files in a
per-user cache outside any build folder: a build from scratch does not download them again.

Without npm or the network, ``runtime`` says why and returns None: the build goes on
without the runner. TOYNN_REQUIRE_RUNNER=1 (set in CI) makes that an error instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from pathlib import Path

VERSION = "314.0.7"
PACKAGE = f"pyodide@{VERSION}"
# The registry's integrity for pyodide-314.0.7.tgz (`npm view pyodide@314.0.7 dist.integrity`).
INTEGRITY = (
    "sha512-0YvXxEhfEdpLfb/XkM2BFAeMROq0iMUX2bzzH9pOttyMcWkwq+"
    "HbE5uyuGD82LN7y2q+SNvi/6V5JEsOlD2R1A=="
)
# What the worker loads (found by booting it offline with only these): the ES module and the
# interpreter it starts, the standard library, and a lock file. Left out: pyodide.js (the
# classic-script twin of pyodide.mjs), source maps, type declarations, the demo consoles.
SHIPPED = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
# Pyodide reads its lock file at start for the versions it lists under "info". Ours lists no
# packages (the real one lists the whole distribution, 119 kB): none can be fetched, from
# here or a CDN.
LOCK_FILE = "pyodide-lock.json"
LICENSE = Path(__file__).with_name("pyodide-LICENSE.txt")  # MPL-2.0; the package has none
# The runner's own files in docs/, shipped only with Pyodide.
RUNNER_FILES = ("assets/runner.js", "assets/runner-worker.js", "assets/runner.css")
CACHE_VARIABLE = "TOYNN_PYODIDE_DIR"  # where the unpacked files are kept, if not the default
REQUIRE_VARIABLE = "TOYNN_REQUIRE_RUNNER"  # 1: a build without the runner fails
_MANIFEST = "manifest.json"  # each kept file's sha256, and the tarball's integrity


class RunnerUnavailable(Exception):
    """Pyodide could not be had; the message says why."""


def cache_dir() -> Path:
    """Where the unpacked files are kept: $TOYNN_PYODIDE_DIR, or under the user's cache."""
    if os.environ.get(CACHE_VARIABLE):
        return Path(os.environ[CACHE_VARIABLE]).expanduser()
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "toynn" / f"pyodide-{VERSION}"


def required() -> bool:
    return os.environ.get(REQUIRE_VARIABLE) == "1"


def runtime(log: Callable[[str], None]) -> Path | None:
    """The folder holding ``SHIPPED`` and ``LOCK_FILE``, fetched if not kept already; None,
    after one line to ``log`` saying why, if it cannot be had."""
    folder = cache_dir()
    if _intact(folder):
        return folder
    try:
        _fetch(folder)
    except RunnerUnavailable as error:
        log(f"the in-page runner was left out: {error}")
        return None
    log(f"fetched {PACKAGE} into {folder}")
    return folder


def _intact(folder: Path) -> bool:
    """Whether ``folder`` holds every file, unchanged since it was unpacked (a damaged or
    half-written copy is fetched again, never shipped). Hashing the 12 MB takes ~30 ms."""
    try:
        manifest = json.loads((folder / _MANIFEST).read_text(encoding="utf-8"))
        return manifest["integrity"] == INTEGRITY and all(
            _sha256(folder / name) == manifest["files"][name] for name in (*SHIPPED, LOCK_FILE)
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fetch(folder: Path) -> None:
    """``npm pack`` the pinned package, check its integrity, unpack what the site ships into
    a scratch folder beside ``folder``, then move it into place in one step."""
    npm = shutil.which("npm")
    if npm is None:
        raise RunnerUnavailable(f"npm is not installed, so {PACKAGE} could not be fetched")
    folder.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".fetching-") as scratch:
        scratch = Path(scratch)
        try:
            packed = subprocess.run(
                [npm, "pack", PACKAGE, "--json", "--pack-destination", str(scratch)],
                cwd=scratch, capture_output=True, text=True, timeout=300, check=False,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise RunnerUnavailable(f"`npm pack {PACKAGE}` took more than 5 minutes") from None
        if packed.returncode != 0:
            last = (packed.stderr.strip().splitlines() or ["no message"])[-1]
            raise RunnerUnavailable(f"`npm pack {PACKAGE}` failed: {last}")
        tarball = scratch / f"pyodide-{VERSION}.tgz"
        if not tarball.is_file():
            raise RunnerUnavailable(f"`npm pack {PACKAGE}` left no {tarball.name}")
        digest = hashlib.sha512(tarball.read_bytes()).digest()
        integrity = "sha512-" + base64.b64encode(digest).decode()
        if integrity != INTEGRITY:  # never ship what the registry did not publish
            raise RunnerUnavailable(f"{tarball.name} has integrity {integrity}, not {INTEGRITY}")
        unpacked = scratch / "unpacked"
        unpacked.mkdir()
        _unpack(tarball, unpacked)
        try:
            os.replace(unpacked, folder)
        except OSError:
            # Another build unpacked it first (a folder cannot replace a full one): use
            # theirs if it is whole, else put ours in its place.
            if not _intact(folder):
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(unpacked, folder)


def _unpack(tarball: Path, into: Path) -> None:
    """Write the shipped files and our lock file into ``into``, with their manifest last."""
    with tarfile.open(tarball) as archive:
        for name in SHIPPED:
            member = archive.extractfile(f"package/{name}")  # by name: no path from the archive
            if member is None:
                raise RunnerUnavailable(f"{PACKAGE} has no file {name}")
            with member, open(into / name, "wb") as out:
                shutil.copyfileobj(member, out)
        lock = json.load(archive.extractfile(f"package/{LOCK_FILE}"))
    (into / LOCK_FILE).write_text(
        json.dumps({"info": lock["info"], "packages": {}}, indent=1) + "\n", encoding="utf-8"
    )
    files = {name: _sha256(into / name) for name in (*SHIPPED, LOCK_FILE)}
    manifest = {"package": PACKAGE, "integrity": INTEGRITY, "files": files}
    (into / _MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
