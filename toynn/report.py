"""Text and Markdown views of experiment results: what the CLI prints and the site embeds.

Nothing here trains; every function formats runs that were already computed.
"""

from __future__ import annotations

import numpy as np

from toynn.network import TrainingRun


def post_number(value: float) -> str:
    """A number the way the post printed it: Python 2's ``str()``, 12 significant digits.

    >>> post_number(0.1), post_number(1000.0), post_number(0.00858452565325123)
    ('0.1', '1000', '0.00858452565325')
    """
    return f"{value:.12g}"


def sweep_text(runs: list[TrainingRun], every: int | None = None, *, headers: bool = True) -> str:
    """The post's output format: "Training With Alpha:..." then "Error after N iterations:...".

    ``every`` keeps only the checkpoints that are multiples of it, so a run recorded every
    100 iterations prints like the post's every 10,000.
    """
    lines = []
    for run in runs:
        if headers:
            lines += ["", f"Training With Alpha:{post_number(run.alpha)}"]
        for iteration, error in zip(run.checkpoints, run.errors, strict=True):
            if every is None or iteration % every == 0:
                lines.append(f"Error after {iteration} iterations:{post_number(error)}")
    return "\n".join(lines) + "\n"


def closer_look_text(runs: list[TrainingRun], every: int | None = None) -> str:
    """The sweep's text, plus each run's final weights and direction-change counts."""
    parts = []
    for run in runs:
        parts.append(sweep_text([run], every).rstrip("\n"))
        for layer in ("synapse_0", "synapse_1"):
            changes = getattr(run, f"{layer}_direction_changes")
            parts.append(f"{layer}:\n{getattr(run, layer)}")
            parts.append(f"{layer} update direction changes:\n{changes}")
    return "\n".join(parts) + "\n"


def _marked_difference(ours: str, printed: str) -> str:
    """``ours`` with the digits that differ from ``printed`` wrapped in <mark>."""
    same = 0
    while same < min(len(ours), len(printed)) and ours[same] == printed[same]:
        same += 1
    if same == len(ours) == len(printed):
        return f"`{ours}`"
    return f"`{ours[:same]}`<mark>`{ours[same:]}`</mark>"


def comparison_table(records: list[dict]) -> str:
    """Markdown table of published vs reproduced values, one row per (alpha, iteration).

    ``records`` come from ``toynn.published.compare_with_published``. Digits that differ
    from the post are highlighted; the last columns say how many significant digits agree
    and the relative gap.
    """
    rows = [
        "| alpha | iteration | published | this re-run | digits that agree | relative gap |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in records:
        ours = post_number(r["ours"])
        gap = "0" if r["relative_gap"] == 0 else f"{r['relative_gap']:.1e}"
        rows.append(
            f"| {post_number(r['alpha'])} | {r['iteration']:,} | `{r['printed']}` "
            f"| {_marked_difference(ours, r['printed'])} | {r['digits']} of 12 | {gap} |"
        )
    return "\n".join(rows) + "\n"


def comparison_summary(records: list[dict]) -> dict:
    """Counts for prose: how many values agree to all 12 digits, to 10, the largest gap."""
    digits = np.array([r["digits"] for r in records])
    return {
        "values": len(records),
        "all_12_digits": int(np.sum(digits == 12)),
        "at_least_10_digits": int(np.sum(digits >= 10)),
        "fewest_digits": int(digits.min()),
        "largest_relative_gap": max(r["relative_gap"] for r in records),
        "differing_alphas": sorted({r["alpha"] for r in records if r["digits"] < 12}),
    }
