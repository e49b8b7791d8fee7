"""How much faster is ``toynn sweep`` than the post's loop? Whole processes, same machine.

Runs each command ``--repeat`` times, alternating them so drifting machine load hits both,
checks that both print exactly the same numbers, and prints the median wall time of each
and their ratio. Also times the in-process formulations (toynn.train per alpha vs sweep).

    python benchmarks/sweep_speed.py [--hidden 4] [--repeat 5]
"""

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import toynn

HERE = Path(__file__).parent


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - started, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hidden", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    commands = {
        "post's loop (python benchmarks/post_loop.py)": [
            sys.executable, str(HERE / "post_loop.py"), str(args.hidden)
        ],
        "toynn sweep (python -m toynn sweep)": [
            sys.executable, "-m", "toynn", "sweep", "--hidden", str(args.hidden)
        ],
    }  # fmt: skip
    times: dict[str, list[float]] = {name: [] for name in commands}
    outputs = {}
    for _ in range(args.repeat):
        for name, command in commands.items():
            seconds, outputs[name] = timed(command)
            times[name].append(seconds)
    baseline, ours = (statistics.median(t) for t in times.values())
    same = len(set(outputs.values())) == 1
    print(
        f"hidden size {args.hidden}, {args.repeat} runs each, median wall time of a whole process"
    )
    for name, samples in times.items():
        print(f"  {name:48s} {statistics.median(samples):6.2f} s  (min {min(samples):.2f})")
    print(f"  speed-up: {baseline / ours:.1f}x   identical output: {same}")

    X, y = toynn.xor_data()
    started = time.perf_counter()
    for alpha in toynn.POST_ALPHAS:
        toynn.train(X, y, alpha=alpha, hidden_size=args.hidden)
    one_at_a_time = time.perf_counter() - started
    started = time.perf_counter()
    toynn.sweep(X, y, hidden_size=args.hidden)
    batched = time.perf_counter() - started
    print("in-process, one run each:")
    print(f"  toynn.train once per alpha  {one_at_a_time:6.2f} s")
    print(f"  toynn.sweep, batched        {batched:6.2f} s   ({one_at_a_time / batched:.1f}x)")


if __name__ == "__main__":
    main()
