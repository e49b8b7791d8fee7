"""Lighthouse on every page of the site: mobile performance and layout shift (CLS).

Builds the site (or takes a built one), serves it on 127.0.0.1 gzip-compressed as a static
host such as GitHub Pages serves it, and runs Lighthouse's performance audit on each page
with its default mobile settings (a mid-range phone on a slow 4G link, simulated). Prints,
per page, the median over the runs of the performance score, CLS, LCP, total blocking time
and the bytes transferred, then whether every page meets the targets (performance >= 90,
CLS <= 0.02); the exit status is 1 if one does not.

    npm ci --prefix benchmarks/node     # Lighthouse 12, pinned (Node 20 or newer)
    python benchmarks/lighthouse.py [--runs 3] [--desktop] [--site-dir DIR] [--page PATH]

It needs Chromium (CHROME_PATH, default /usr/bin/chromium) and nothing from the network:
the page and all it loads come from the local server. Run it on an idle machine: Lighthouse
scales its simulated timings from the CPU work it observes.
"""

import argparse
import functools
import gzip
import http.server
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "benchmarks" / "node" / "node_modules" / ".bin" / "lighthouse"
TARGET_SCORE, TARGET_CLS = 90, 0.02
# What static hosts compress; fonts and images are compressed already.
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files as a static host does: text gzip-compressed when the browser asks."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        kind = self.guess_type(str(path))
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (path.is_file() and wants_gzip and kind.startswith(COMPRESSED_TYPES)):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return _Body(body)

    def log_message(self, *args):
        pass


class _Body:
    """What send_head returns: copyfile() reads it like a file."""

    def __init__(self, data: bytes):
        self.data = data

    def read(self, size=-1):
        data, self.data = (self.data, b"") if size < 0 else (self.data[:size], self.data[size:])
        return data

    def close(self):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build(site_dir: Path, url: str) -> None:
    env = {
        **os.environ,
        "TOYNN_BUILD_DIR": str(site_dir.parent / "build"),
        "TOYNN_SITE_URL": url,  # instant navigation needs the site's own address
        "NO_MKDOCS_2_WARNING": "1",
    }
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def pages(site_dir: Path) -> list[str]:
    """Every page's path: index.html as its folder, plus the theme's 404 page."""
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        found.append(relative.removesuffix("index.html") if page.name == "index.html" else relative)
    return found


def lighthouse(url: str, desktop: bool, out: Path) -> dict:
    command = [
        str(LIGHTHOUSE), url, "--only-categories=performance", "--output=json",
        f"--output-path={out}", "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ] + (["--preset=desktop"] if desktop else [])  # fmt: skip
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True, timeout=300)
    report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    return {
        "score": round(100 * report["categories"]["performance"]["score"]),
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt": audits["total-blocking-time"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per page (the median is shown)")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset")
    parser.add_argument("--site-dir", type=Path, help="a built site (built with site_url here)")
    parser.add_argument("--page", action="append", help="only these pages, e.g. explorer/")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"no Lighthouse at {LIGHTHOUSE}: run `npm ci --prefix benchmarks/node`")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryDirectory() as scratch:
        site_dir = args.site_dir
        if site_dir is None:
            site_dir = Path(scratch) / "site"
            print(f"building the site for {url} ...", flush=True)
            build(site_dir, url)
        handler = functools.partial(GzipHandler, directory=str(site_dir))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        form = "desktop" if args.desktop else "mobile"
        print(f"Lighthouse {form}, median of {args.runs} run(s) per page")
        print(f"{'page':42} {'perf':>4} {'CLS':>6} {'LCP s':>6} {'TBT ms':>7} {'KiB':>6}")
        missed = []
        for path in args.page or pages(site_dir):
            runs = [
                lighthouse(url + path, args.desktop, Path(scratch) / "report.json")
                for _ in range(args.runs)
            ]
            median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
            scores = "/".join(str(run["score"]) for run in runs)
            print(
                f"{path or '(landing)':42} {median['score']:4.0f} {median['cls']:6.3f} "
                f"{median['lcp']:6.1f} {median['tbt']:7.0f} {median['kib']:6.0f}  ({scores})",
                flush=True,
            )
            if median["score"] < TARGET_SCORE or median["cls"] > TARGET_CLS:
                missed.append(path or "(landing)")
        server.shutdown()
    if missed:
        print(f"below the targets (performance >= {TARGET_SCORE}, CLS <= {TARGET_CLS}): {missed}")
        return 1
    print(f"every page meets the targets (performance >= {TARGET_SCORE}, CLS <= {TARGET_CLS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
