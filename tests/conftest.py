"""Shared fixtures: clean, strict builds of the whole site, a local server for one, and
headless Chromium to look at it.

The tests run in two processes or more (pytest-xdist: ``-n auto --dist loadfile`` in
pyproject.toml), each file's tests in one process: the examples of a chapter share their
names. A site build takes seconds of work on every core, so it starts in the background as
soon as the tests are collected (tests/site_builds.py, once for all the processes), and
the tests that look at it come last: the others run meanwhile. The builder serves the first
build at its site_url to every process; each process that has browser tests starts its own
browser.

Both builds set ``SOURCE_DATE_EPOCH`` and go into folders of their own; the first is served
to the browser, and the two are compared byte for byte.

The browser needs Debian's Chromium at /usr/bin/chromium (``apt-get install -y chromium``;
another Chromium-based browser can be named with TOYNN_CHROMIUM) and the ``playwright``
Python package; no browser download. Without a browser the browser tests skip, except when
TOYNN_REQUIRE_BROWSER=1 (``.ci/run`` sets it), where they fail instead.
"""

import atexit
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
_RUN = "TOYNN_TEST_RUN"  # a folder shared by every process of one test run
_SUMMARY = pytest.StashKey[list]()
# Which fixture needs which build: the served site, and a second one to compare it with.
_NEEDS = {"built_site": "first", "served_site": "first", "visit": "first", "second_site": "second"}
# Every page of the site, by its address under the site's root, and the theme's own page for
# a missing address.
SITE_PAGES = (
    [""]
    + [
        f"{path.relative_to(ROOT / 'docs').with_suffix('').as_posix()}/"
        for path in sorted((ROOT / "docs").rglob("*"))
        if path.suffix in {".md", ".ipynb"} and path.name != "index.md"
    ]
    + ["404.html"]
)


@pytest.fixture(scope="session")
def summary_lines(request) -> list[str]:
    """Lines a test wants shown at the end of the run (what this machine measured)."""
    return request.config.stash.setdefault(_SUMMARY, [])


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the process that starts the others, if any
        os.environ[_RUN] = tempfile.mkdtemp(prefix="toynn-tests-")
        config.stash[_SUMMARY] = []


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # hand the lines to the main process
        session.config.workeroutput["toynn_summary"] = session.config.stash.get(_SUMMARY, [])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    node.config.stash[_SUMMARY] += node.workeroutput.get("toynn_summary", [])


def pytest_terminal_summary(terminalreporter, config):
    for line in config.stash.get(_SUMMARY, []):
        terminalreporter.write_line(line)


def pytest_unconfigure(config):
    if hasattr(config, "workerinput") or _RUN not in os.environ:
        return
    run = Path(os.environ.pop(_RUN))
    builder = run / "builder.pid"
    if builder.exists():  # the builds, if they are still going
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(builder.read_text()), signal.SIGTERM)
    shutil.rmtree(run, ignore_errors=True)


# The site's test files that take longest (about 26 s and 15 s of a 2-core run), longest first:
# they start first, one in each process, and the short ones fill in beside them.
_LONGEST_SITE_FILES = ["test_site_pages.py", "test_runner_browser.py"]


def _needs_site(item) -> bool:
    return any(f in _NEEDS for f in item.fixturenames)


@pytest.hookimpl(trylast=True)  # after pytest's own ordering, which this keeps
def pytest_collection_modifyitems(session, config, items):
    """Put the files with site tests last, and start the builds they need: they run
    meanwhile. (pytest-xdist hands out whole files, in this order: --no-loadscope-reorder.)"""
    site_files = {item.path for item in items if _needs_site(item)}
    # A stable sort; of the site's files the longest first, so that the others fill in
    # beside it rather than leave it running alone at the end.
    longest = {name: rank for rank, name in enumerate(_LONGEST_SITE_FILES)}
    items.sort(key=lambda item: (item.path in site_files, longest.get(item.path.name, 99)))
    wanted = {_NEEDS[f] for item in items for f in item.fixturenames if f in _NEEDS}
    if wanted and not config.option.collectonly:
        _start_builds("second" in wanted)


def _start_builds(second: bool) -> None:
    """Start tests/site_builds.py, once per test run, whichever process collects first."""
    run = Path(os.environ[_RUN])
    try:
        os.close(os.open(run / "builder.claimed", os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return  # another process started them
    url = f"http://127.0.0.1:{_free_port()}/"  # site_url of both builds; the first is served there
    (run / "url").write_text(url)
    with open(run / "builder-log.txt", "w") as log:  # each build also keeps a log of its own
        builder = subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "site_builds.py"), str(run), url]
            + (["second"] if second else []),
            stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,  # a process group: ending the run ends its builds
        )  # fmt: skip
    (run / "builder.pid").write_text(str(builder.pid))
    atexit.register(_stop, builder)


def _stop(builder: subprocess.Popen) -> None:
    """End the builds if they still run (an interrupted test run) and reap the builder."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(builder.pid, signal.SIGTERM)
    builder.wait()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class BuiltSite:
    site_dir: Path
    build_dir: Path
    log: str
    url: str  # its site_url; where `served_site` is served


def _built(name: str) -> BuiltSite:
    """Wait for the build ``name`` (started at collection) to finish; it must succeed."""
    run = Path(os.environ[_RUN])
    if not (run / "builder.claimed").exists():  # not foreseen at collection
        _start_builds(second=name == "second")
    folder = run / name
    while not (folder / "exit-code").exists():
        time.sleep(0.2)
    log = (folder / "log.txt").read_text(encoding="utf-8")
    assert (folder / "exit-code").read_text() == "0", log
    return BuiltSite(folder / "site", folder / "build", log, (run / "url").read_text())


@pytest.fixture(scope="session")
def built_site() -> BuiltSite:
    """The site, built strictly from an empty cache; served by ``served_site``."""
    return _built("first")


@pytest.fixture(scope="session")
def second_site() -> BuiltSite:
    """Another build from scratch, in another folder, with the same SOURCE_DATE_EPOCH."""
    return _built("second")


@pytest.fixture(scope="session")
def served_site(built_site) -> BuiltSite:
    """The first build, served at its site_url (instant navigation needs that address) by
    tests/site_builds.py, for every test process."""
    serving = Path(os.environ[_RUN]) / "serving"
    while not serving.exists():
        time.sleep(0.1)
    return built_site


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


def foreign(url: str, host: str) -> bool:
    """Whether the browser asked another host than ``host`` (data: URLs and the like ask none)."""
    return urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != host


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
            "request", lambda r: foreign(r.url, host) and self.foreign_requests.append(r.url)
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
