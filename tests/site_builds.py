"""Build the site for the tests, in the background, and serve it.

    python tests/site_builds.py RUN URL [second]


Runs ``mkdocs build --strict`` from an empty cache, as CI and a newcomer run it, into
``RUN/first``, with ``SOURCE_DATE_EPOCH`` set; with ``second``, then builds again into
``RUN/second``. The second build starts with the first one's training runs and its run of
the landing page's plain Python in its cache (the slowest experiments; whether they repeat
bit for bit is tested in test_network.py and test_runner_browser.py): they are used only if
the cache keys, which must not depend on the folder, come out the same.

Each build leaves ``log.txt`` and, last of all, ``exit-code`` in its folder; tests/conftest.py
waits for that file. Once the first build is done, it is served at URL (its site_url, which
instant navigation needs) until this process is ended, and ``RUN/serving`` says so.
"""

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
REUSED = ("training-", "opening-plain")  # experiments the second build takes from the first
SOURCE_DATE_EPOCH = "1437955200"  # 27 July 2015, the day the post came out


def build(folder: Path, url: str) -> int:
    env = {
        **os.environ,
        "TOYNN_BUILD_DIR": str(folder / "build"),
        "TOYNN_SITE_URL": url,  # instant navigation needs the site's own address
        "NO_MKDOCS_2_WARNING": "1",
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
    }
    command = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    with open(folder / "log.txt", "w", encoding="utf-8") as log:
        code = subprocess.run(
            [*command, "--site-dir", str(folder / "site")],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=False,
        ).returncode  # fmt: skip
    (folder / "exit-code.tmp").write_text(str(code))
    os.replace(folder / "exit-code.tmp", folder / "exit-code")
    return code


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(site: Path, url: str, run: Path) -> None:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", urlsplit(url).port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    (run / "serving").write_text(url)


def main(run: Path, url: str, second: bool) -> None:
    first_folder, second_folder = run / "first", run / "second"
    first_folder.mkdir(parents=True, exist_ok=True)
    if build(first_folder, url) != 0:
        if second:  # nothing to compare it with: say so, rather than leave a test waiting
            second_folder.mkdir(parents=True, exist_ok=True)
            (second_folder / "log.txt").write_text("not built: the first build failed\n")
            (second_folder / "exit-code").write_text("1")
        return
    serve(first_folder / "site", url, run)
    if second:
        build_second(first_folder, second_folder, url)
    threading.Event().wait()  # serve until ended


def build_second(first_folder: Path, second_folder: Path, url: str) -> None:
    for kind in ("generated", "cache"):
        (second_folder / "build" / kind).mkdir(parents=True, exist_ok=True)
        reused = [p for p in (first_folder / "build" / kind).iterdir() if p.name.startswith(REUSED)]
        for path in reused:
            copy = shutil.copytree if path.is_dir() else shutil.copy2
            copy(path, second_folder / "build" / kind / path.name)
    build(second_folder, url)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], second=sys.argv[3:] == ["second"])
