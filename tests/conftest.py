"""Shared fixtures: clean, strict builds of the whole site, a local server for one, and
headless Chromium to look at it.

A site build takes seconds of work on every core, so it starts in the background as soon as
the tests are collected, and the tests that look at it run last: the unit tests and the
chapters' examples run meanwhile. Both builds set ``SOURCE_DATE_EPOCH`` and go into folders
of their own; the first is served to the browser, and the two are compared byte for byte.

The browser needs Debian's Chromium at /usr/bin/chromium (``apt-get install -y chromium``;
another Chromium-based browser can be named with TOYNN_CHROMIUM) and the ``playwright``
Python package; no browser download. Without a browser the browser tests skip, except when
TOYNN_REQUIRE_BROWSER=1 (``.ci/run`` sets it), where they fail instead.
"""

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DATE_EPOCH = "1437955200"  # 27 July 2015, the day the post came out
_SUMMARY = pytest.StashKey[list]()
_BUILDS = pytest.StashKey[dict]()


@pytest.fixture(scope="session")
def summary_lines(request) -> list[str]:
    """Lines a test wants shown at the end of the run (what this machine measured)."""
    return request.config.stash.setdefault(_SUMMARY, [])


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(_SUMMARY, []):
        terminalreporter.write_line(line)


@dataclass
class BuiltSite:
    site_dir: Path
    build_dir: Path
    log: str
    url: str  # where the site is served once the `served_site` fixture runs


class _Build:
    """``mkdocs build --strict`` as CI and a newcomer run it, in a folder of its own, running
    in the background until ``result()`` is asked for.

    Built ``after`` another build, it starts once that one is done, with that build's
    training runs copied into its cache (the slowest experiments; whether they repeat bit for
    bit is tested in test_network.py). The copy is used only if the cache keys, which must
    not depend on the folder, come out the same.
    """

    def __init__(self, url: str, after: "_Build | None" = None):
        self.folder = Path(tempfile.mkdtemp(prefix="toynn-site-"))
        self.url, self.process, self._result = url, None, None
        self._started = threading.Thread(target=self._start, args=(after,), daemon=True)
        self._started.start()

    def _start(self, after: "_Build | None") -> None:
        if after is not None:
            after._started.join()
            if after.process.wait() != 0:
                return
            for kind in ("generated", "cache"):
                for path in (after.folder / "build" / kind).glob("training-*"):
                    copy = shutil.copytree if path.is_dir() else shutil.copy2
                    (self.folder / "build" / kind).mkdir(parents=True, exist_ok=True)
                    copy(path, self.folder / "build" / kind / path.name)
        env = {
            **os.environ,
            "TOYNN_BUILD_DIR": str(self.folder / "build"),
            "TOYNN_SITE_URL": self.url,  # instant navigation needs the site's own address
            "NO_MKDOCS_2_WARNING": "1",
            "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        }
        command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
        self.process = subprocess.Popen(
            [*command, "--site-dir", str(self.folder / "site")],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip

    def result(self) -> BuiltSite:
        if self._result is None:
            self._started.join()
            assert self.process is not None, "the build it waited for failed"
            log, _ = self.process.communicate()
            assert self.process.returncode == 0, log
            self._result = BuiltSite(self.folder / "site", self.folder / "build", log, self.url)
        return self._result

    def discard(self) -> None:
        self._started.join()
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


# Which fixture needs which build: the served site, and a second one to compare it with.
_NEEDS = {"built_site": "first", "served_site": "first", "visit": "first", "second_site": "second"}


@pytest.hookimpl(trylast=True)  # after pytest's own ordering, which this keeps
def pytest_collection_modifyitems(session, config, items):
    """Put the tests that need a built site last, and start the builds they need."""
    wanted = {_NEEDS[f] for item in items for f in item.fixturenames if f in _NEEDS}
    items.sort(key=lambda item: any(f in _NEEDS for f in item.fixturenames))  # stable
    if not wanted or config.option.collectonly:
        return
    url = f"http://127.0.0.1:{_free_port()}/"  # the same address for both: same bytes
    first = _Build(url)
    config.stash[_BUILDS] = {"first": first}
    if "second" in wanted:
        config.stash[_BUILDS]["second"] = _Build(url, after=first)


def pytest_unconfigure(config):
    for build in config.stash.get(_BUILDS, {}).values():
        build.discard()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _build(request, name: str) -> BuiltSite:
    builds = request.config.stash.setdefault(_BUILDS, {})
    if name not in builds:  # not foreseen at collection (e.g. a fixture asked for late)
        first = builds.get("first") or _Build(f"http://127.0.0.1:{_free_port()}/")
        builds[name] = first if name == "first" else _Build(first.url, after=first)
    return builds[name].result()


@pytest.fixture(scope="session")
def built_site(request) -> BuiltSite:
    """The site, built strictly from an empty cache; served by ``served_site``."""
    return _build(request, "first")


@pytest.fixture(scope="session")
def second_site(request) -> BuiltSite:
    """Another build from scratch, in another folder, with the same SOURCE_DATE_EPOCH."""
    return _build(request, "second")


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
    """One page load, with everything the page logged or asked the network for.

    ``wait_until="load"`` is enough for most tests; the offline check waits for the
    network to go quiet, so that a late request cannot slip past it.
    """

    def __init__(self, browser, url, wait_until="load", **context_options):
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
        self.response = self.page.goto(url, wait_until=wait_until)

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
