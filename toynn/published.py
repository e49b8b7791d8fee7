"""The numbers the original post printed, and how closely a re-run matches them.

``published.json`` (copied beside this module) holds both of the post's alpha sweeps as
printed: Python 2's ``str()`` of a float, 12 significant digits.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from toynn.network import TrainingRun


@cache
def _published() -> dict:
    return json.loads(files("toynn").joinpath("published.json").read_text())


def published_sweep(hidden_size: int) -> dict[float, dict[int, str]]:
    """{alpha: {iteration: error as printed}} for the post's sweep with ``hidden_size`` nodes.

    >>> published_sweep(4)[10.0][10000]
    '0.00312938876301'
    """
    key = f"alpha_sweep_hidden_{hidden_size}"
    if key not in _published():
        raise ValueError(f"the post published sweeps for hidden_size 4 and 32, not {hidden_size}")
    return {
        row["alpha"]: {int(iteration): text for iteration, text in row["as_printed"].items()}
        for row in _published()[key]["rows"]
    }


def matching_digits(ours: float, printed: str) -> int:
    """How many significant digits of ``ours``, rounded, equal the printed number (0 to 12).

    >>> matching_digits(0.125476983853, "0.125476983855")
    10
    >>> matching_digits(0.5, "0.5")
    12
    """
    theirs = float(printed)
    return max((n for n in range(1, 13) if f"{ours:.{n}g}" == f"{theirs:.{n}g}"), default=0)


def compare_with_published(runs: list[TrainingRun]) -> list[dict]:
    """One record per published value: alpha, iteration, printed, ours, digits, relative gap.

    Raises ValueError if the runs do not cover every value the post printed.
    """
    records = []
    for run in runs:
        published = published_sweep(run.hidden_size).get(run.alpha)
        if published is None:
            raise ValueError(f"the post published no sweep row for alpha {run.alpha:g}")
        for iteration, printed in published.items():
            ours = run.error_at(iteration)
            records.append(
                {
                    "alpha": run.alpha,
                    "iteration": iteration,
                    "printed": printed,
                    "ours": ours,
                    "digits": matching_digits(ours, printed),
                    "relative_gap": abs(ours - float(printed)) / float(printed),
                }
            )
    return records
