"""How long does the README's test command take, and does it give the same verdict every time?

Runs ``python -m pytest -q`` (the README's command, without its pip install) several times in
a row and prints each run's wall time and result, then the median. A test that passes in one
run and fails in another is flaky: the script lists it and exits with 1.

    python benchmarks/suite_speed.py [--rounds 5]
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    seconds, failures = [], []
    for round_ in range(1, args.rounds + 1):
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rf"],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        seconds.append(time.perf_counter() - started)
        failed = set(re.findall(r"^FAILED (\S+)", result.stdout, re.MULTILINE))
        failures.append(failed)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "no output"
        print(f"round {round_}: {seconds[-1]:5.1f} s  {summary}")
        for test in sorted(failed):
            print(f"  failed: {test}")
    print(f"median {statistics.median(seconds):.1f} s over {args.rounds} rounds")
    flaky = set().union(*failures) - set.intersection(*failures)
    for test in sorted(flaky):
        print(f"flaky: {test}")
    sys.exit(1 if flaky else 0)


if __name__ == "__main__":
    main()
