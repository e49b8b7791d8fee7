"""The ``toynn`` command: re-run the post's experiments from the shell.

Bad arguments end with exit code 2 and one line on stderr naming the argument.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path

import numpy as np

from toynn._checks import (
    check_alphas,
    check_count,
    check_number,
    check_seed,
    check_workload,
    shown,
)
from toynn.data import xor_data
from toynn.exercise import TEMPLATE, TIME_LIMIT, Interrupted, grade_file
from toynn.exercise_plain import ALL_PASS
from toynn.network import TrainingRun, predict
from toynn.report import closer_look_text, sweep_text
from toynn.sweep import POST_ALPHAS, sweep


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line on stderr and exit code 2."""

    def error(self, message: str):
        # argparse quotes what it could not use: a 100 kB argument is cut, not echoed whole.
        message = re.sub(r"\S{201,}", lambda word: word.group()[:200] + "...", message)
        message = message if len(message) <= 500 else message[:500] + "..."
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _checked(convert, check):
    """Turn one of toynn's argument checks into an argparse ``type=`` function."""

    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            kind = "a whole number" if convert is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {shown(text)}") from None
        try:
            return check(value)
        except (TypeError, ValueError) as error:  # "alpha must be ..." -> "must be ..."
            raise argparse.ArgumentTypeError("must" + str(error).split(" must", 1)[-1]) from None

    return parse


def _alpha_list(text: str) -> list[float]:
    try:
        alphas = [float(part) for part in text.split(",")]
        return check_alphas(alphas).tolist()
    except (TypeError, ValueError):
        raise argparse.ArgumentTypeError(
            f"expected comma-separated positive, finite numbers such as 0.1,1,10; got {shown(text)}"
        ) from None


def _python_file(text: str) -> Path:
    if not text:
        raise argparse.ArgumentTypeError("the file name is empty; give the path of your .py file")
    path = Path(text)
    try:
        exists, folder = path.exists(), path.is_dir()
    except (OSError, ValueError) as error:  # a name too long, or with a null byte
        reason = getattr(error, "strerror", None) or error
        raise argparse.ArgumentTypeError(f"cannot use {shown(text, 200)}: {reason}") from None
    if not exists:
        raise argparse.ArgumentTypeError(f"no such file: {shown(text, 200)}")
    if folder:
        raise argparse.ArgumentTypeError(f"{shown(text, 200)} is a folder; give the .py file in it")
    if path.suffix != ".py":
        raise argparse.ArgumentTypeError(f"expected a .py file, got {shown(text, 200)}")
    return path


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="toynn",
        allow_abbrev=False,
        description="Re-run the experiments of 'A Neural Network in 13 lines of Python "
        "(Part 2 - Gradient Descent)' on the 4-row XOR set.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    helps = {
        "sweep": "train once per alpha and print the error every --every iterations",
        "closer-look": "the sweep, plus the final weights and how often each weight's update "
        "changed direction",
        "train": "one run: the error at each checkpoint and the final predictions",
    }
    alpha = _checked(float, lambda a: check_number(a, "alpha", positive=True))
    hidden = _checked(int, lambda n: check_count(n, "hidden"))
    iterations = _checked(int, lambda n: check_count(n, "iterations", minimum=0))
    every = _checked(int, lambda n: check_count(n, "every"))
    for name, help_text in helps.items():
        command = commands.add_parser(
            name, help=help_text, description=help_text, allow_abbrev=False
        )
        if name == "train":
            command.add_argument(
                "--alpha", type=alpha, default=0.5, help="step size (default: 0.5)"
            )
        else:
            command.add_argument(
                "--alphas",
                type=_alpha_list,
                default=list(POST_ALPHAS),
                help="comma-separated step sizes (default: 0.001,0.01,0.1,1,10,100,1000)",
            )
        add = command.add_argument
        add("--hidden", type=hidden, default=4, help="hidden layer size (default: 4)")
        add("--iterations", type=iterations, default=60_000, help="iterations (default: 60000)")
        add("--every", type=every, default=10_000, help="record the error every N iterations")
        add("--seed", type=_checked(int, check_seed), default=1, help="0 to 2**32-1 (default: 1)")
        add("--json", action="store_true", help="print one JSON object instead of the post's text")
    check_help = "grade your network, rebuilt from memory, step by step against toynn"
    check = commands.add_parser(
        "check",
        help=check_help,
        description=f"{check_help}. Exit code 0 when every check passes, 1 when one fails.",
        epilog=f"The blank template: {TEMPLATE}",
        allow_abbrev=False,
    )
    check.add_argument("file", metavar="FILE", type=_python_file, help="your .py file")
    check.add_argument(
        "--time-limit",
        type=_checked(float, lambda t: check_number(t, "time limit", positive=True)),
        default=TIME_LIMIT,
        metavar="SECONDS",
        help=f"the longest a step of your code may run (default: {TIME_LIMIT:g})",
    )
    return parser


def _check(path: Path, time_limit: float) -> int:
    """Print each check as soon as it is decided and, at the first failure, what went wrong."""
    passed, last = True, None
    try:
        with contextlib.closing(grade_file(path, time_limit=time_limit)) as checks:
            for last in checks:
                print(last, flush=True)  # now, in case a later step hangs
                passed = passed and last.passed
    except KeyboardInterrupt as stop:  # Interrupted names the step; between steps, say so
        after = f" after the check of {last.name}" if last else ""
        print(stop if isinstance(stop, Interrupted) else f"Ctrl-C stopped the checker{after}.",
              file=sys.stderr)  # fmt: skip
        return 130
    if passed:
        print(ALL_PASS)
        return 0
    print(f"\nFix that, then run  toynn check {path}  again.")
    print(f"The blank template: {TEMPLATE}")
    return 1


def _progress_printer(total: int):
    """Report progress on stderr, but only to a person: a terminal, after two seconds."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def report(iteration: int) -> None:
        if time.monotonic() - started > 2:
            sys.stderr.write(f"\rtraining: {iteration:,} of {total:,} iterations")
            sys.stderr.flush()

    return report


def _print_text(command: str, runs: list[TrainingRun], X: np.ndarray) -> None:
    if command == "sweep":
        print(sweep_text(runs), end="")
    elif command == "closer-look":
        print(closer_look_text(runs), end="")
    else:
        (run,) = runs
        print(sweep_text(runs, headers=False), end="")
        print(f"Output after training:\n{predict(X, run.synapse_0, run.synapse_1)}")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.error("choose a command: sweep, closer-look, train or check")
    if args.command == "check":
        return _check(args.file, args.time_limit)
    alphas = [args.alpha] if args.command == "train" else args.alphas
    try:
        check_workload(args.hidden, args.iterations, len(alphas), every=args.every,
                       names=("--hidden", "--iterations", "--every"))  # fmt: skip
    except ValueError as error:
        parser.exit(2, f"toynn {args.command}: error: {error}\n")

    X, y = xor_data()
    progress = _progress_printer(args.iterations)
    runs = sweep(
        X, y, alphas, hidden_size=args.hidden, iterations=args.iterations, seed=args.seed,
        every=args.every, count_direction_changes=args.command == "closer-look", progress=progress,
    )  # fmt: skip
    if progress is not None:
        sys.stderr.write("\r\033[K")  # wipe the progress line
    if args.json:
        records = [run.to_dict() for run in runs]
        if args.command == "train":
            records[0]["predictions"] = predict(X, runs[0].synapse_0, runs[0].synapse_1).tolist()
        settings = {"hidden_size": args.hidden, "iterations": args.iterations,
                    "every": args.every, "seed": args.seed}  # fmt: skip
        print(json.dumps({"command": args.command, **settings, "runs": records}))
    else:
        _print_text(args.command, runs, X)
    return 0


def console() -> None:
    """Entry point of the ``toynn`` script: quiet on Ctrl-C and on a closed pipe, one line
    when the output cannot be written."""
    try:
        code = main()
        sys.stdout.flush()  # a full disk shows here, not in a traceback at exit
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()  # `toynn sweep | head` closed the pipe: nothing left to say
        sys.exit(0)
    except OSError as error:  # `toynn sweep > /dev/full`
        with contextlib.suppress(OSError, ValueError):  # Python's own flush at exit would fail
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write(f"toynn: error: cannot write the output: {error.strerror or error}\n")
        sys.exit(1)
    sys.exit(code)
