"""Shared fixtures: one clean, strict build of the whole site, and a local server for it."""

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class BuiltSite:
    site_dir: Path
    build_dir: Path
    log: str
    url: str  # where the site is served once the `served_site` fixture runs


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> BuiltSite:
    """``mkdocs build --strict`` from an empty cache, as CI and a newcomer run it."""
    tmp = tmp_path_factory.mktemp("site-build")
    url = f"http://127.0.0.1:{_free_port()}/"
    env = {
        **os.environ,
        "TOYNN_BUILD_DIR": str(tmp / "build"),
        "TOYNN_SITE_URL": url,  # instant navigation needs the site's own address
        "NO_MKDOCS_2_WARNING": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp / "site")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return BuiltSite(tmp / "site", tmp / "build", result.stdout + result.stderr, url)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(built_site):
    port = int(built_site.url.rsplit(":", 1)[1].strip("/"))
    handler = functools.partial(_QuietHandler, directory=str(built_site.site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield built_site
    server.shutdown()
    server.server_close()
