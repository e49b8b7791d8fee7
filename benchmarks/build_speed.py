"""How long does the site take to build, from an empty cache and with nothing changed?

Each round builds into a fresh build folder (cold: every experiment runs), then builds
again with the same folder (warm: everything comes from the cache). Prints each build's
wall time and how many experiments ran, then the medians.

    python benchmarks/build_speed.py [--rounds 3]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(build_dir: Path, site_dir: Path) -> tuple[float, str]:
    env = {**os.environ, "TOYNN_BUILD_DIR": str(build_dir), "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    counts = re.search(r"(\d+) experiment\(s\) ran, (\d+) came from the cache", result.stderr)
    return seconds, f"{counts[1]} ran, {counts[2]} from the cache"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as scratch:
            build_dir, site_dir = Path(scratch) / "build", Path(scratch) / "site"
            seconds, what = build(build_dir, site_dir)
            cold.append(seconds)
            print(f"round {round_}: cold build {seconds:5.1f} s ({what})")
            seconds, what = build(build_dir, site_dir)
            warm.append(seconds)
            print(f"round {round_}: warm build {seconds:5.1f} s ({what})")
    cold_median, warm_median = statistics.median(cold), statistics.median(warm)
    print(f"median cold build {cold_median:.1f} s, warm build {warm_median:.1f} s")


if __name__ == "__main__":
    main()
