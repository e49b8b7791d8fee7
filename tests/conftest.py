"""Shared fixtures: one clean, strict build of the whole site, a local server for it, and
headless Chromium to look at it.

The browser needs Debian's Chromium at /usr/bin/chromium (``apt-get install -y chromium``;
another Chromium-based browser can be named with TOYNN_CHROMIUM) and the ``playwright``
Python package; no browser download. Without a browser the browser tests skip, except when
TOYNN_REQUIRE_BROWSER=1 (``.ci/run`` sets it), where they fail instead.
"""

import functools
import http.server
import os
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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


CHROMIUM = Path(os.environ.get("TOYNN_CHROMIUM", "/usr/bin/chromium"))
REQUIRED = os.environ.get("TOYNN_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM} and the playwright package"
        if REQUIRED:
            pytest.fail(f"TOYNN_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}")
        pytest.skip(f"{reason} (apt-get install -y chromium; pip install playwright)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                # Nothing but the local server resolves: a request elsewhere fails, and is seen.
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
            ],
        )  # fmt: skip
        yield browser
        browser.close()


class Visit:
    """One page load, with everything the page logged or asked the network for."""

    def __init__(self, browser, url, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.errors, self.foreign_requests = [], []
        host = urlsplit(url).netloc
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on(
            "request",
            lambda r: (
                urlsplit(r.url).scheme in ("http", "https")
                and urlsplit(r.url).netloc != host
                and self.foreign_requests.append(r.url)
            ),
        )
        self.response = self.page.goto(url, wait_until="networkidle")

    def close(self):
        self.context.close()


@pytest.fixture
def visit(browser, served_site):
    visits = []

    def open_page(path, **options):
        visits.append(Visit(browser, served_site.url + path, **options))
        return visits[-1]

    yield open_page
    for v in visits:
        v.close()
