"""Everything the site shows that a computer had to work out, as named experiments.

Each experiment writes its outputs through ``Outputs``; ``toynn.site.cache`` re-runs it
only when something it depends on changes. The chapters embed the outputs by path
(``--8<-- "sweep-hidden-4/sweep.txt"``) and quote its facts (``{{ fact sweep-hidden-4.x }}``).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from toynn.site.cache import Experiment
from toynn.site.outputs import Outputs

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs"


def opening(out: Outputs) -> None:
    """The landing page's network: alpha 0.5, 4 hidden nodes, 60,000 iterations, seed 1."""
    from toynn import predict, train, xor_data
    from toynn.report import sweep_text

    X, y = xor_data()
    run = train(X, y, alpha=0.5, hidden_size=4, iterations=60_000)
    output = predict(X, run.synapse_0, run.synapse_1)
    out.text("errors.txt", sweep_text([run], headers=False))
    out.text("output.txt", np.array2string(output, precision=8) + "\n")
    out.facts(
        {"final_error": f"{run.errors[-1]:.4f}", "worst_row": f"{np.abs(output - y).max():.3f}"}
    )


def ball_in_bucket(out: Outputs) -> None:
    """Part 2: the bucket, the slope the ball senses, and the first two versions of descent."""
    from toynn import bowl, bowl_slope, descend, descend_by_sign, plots

    out.figure("bucket.svg", plots.bucket(bowl, bowl_slope, ball_at=3.0))
    by_sign = descend_by_sign(bowl_slope, start=3.2, step=0.5, steps=10)
    naive = descend(bowl_slope, start=4.0, alpha=1.0, steps=10)
    paths = {"sign only: fixed steps of 0.5": by_sign, "naive: x ← x − slope": naive}
    out.figure("versions.svg", plots.descent(bowl, paths))
    out.facts(
        {
            "naive_steps": ", ".join(f"{x:g}" for x in naive[:5]),
            "naive_after_10": f"{naive[-1]:.4f}",
            "sign_last": ", ".join(f"{x:g}" for x in by_sign[-4:]),
        }
    )


def breaking(out: Outputs) -> None:
    """Part 3: overshoot and alpha, many random starts on a bumpy curve, a rut, a crawl."""
    from toynn import (
        descend,
        drop_balls,
        five_dips,
        five_dips_slope,
        plots,
        rutted_bowl,
        rutted_bowl_slope,
        steep_bowl,
        steep_bowl_slope,
    )  # fmt: skip

    overshoot = descend(steep_bowl_slope, start=1.0, alpha=1.0, steps=6)
    fixed = descend(steep_bowl_slope, start=1.0, alpha=0.1, steps=6)
    out.figure(
        "overshoot.svg",
        plots.descent(steep_bowl, {"alpha = 1: overshoots": overshoot, "alpha = 0.1": fixed}),
    )
    starts, ends = drop_balls(five_dips_slope, count=100, alpha=0.1, steps=200, seed=0)
    out.figure("basins.svg", plots.basins(five_dips, starts, ends))
    stuck = descend(rutted_bowl_slope, start=4.5, alpha=0.1, steps=40)
    escaped = descend(rutted_bowl_slope, start=4.5, alpha=0.3, steps=40)
    out.figure(
        "rut.svg",
        plots.descent(
            rutted_bowl, {"alpha = 0.1: stuck in the rut": stuck, "alpha = 0.3": escaped}
        ),
    )
    crawl = descend(steep_bowl_slope, start=1.0, alpha=0.001, steps=6)
    out.figure("crawl.svg", plots.descent(steep_bowl, {"alpha = 0.001: a crawl": crawl}))
    dips, counts = np.unique(ends.round(3), return_counts=True)
    out.facts(
        {
            "overshoot_path": ", ".join(f"{x:g}" for x in overshoot),
            "fixed_after_6": f"{fixed[-1]:.4f}",
            "balls": len(starts),
            "dips": ", ".join(f"{d:g}" for d in dips),
            "dip_counts": ", ".join(f"{c} at x = {d:g}" for d, c in zip(dips, counts, strict=True)),
            "stuck_at": f"{stuck[-1]:.3f}",
            "escaped_to": f"{escaped[-1]:.3f}",
            "crawl_after_6": f"{crawl[-1]:.4f}",
        }
    )


def error_surface(out: Outputs) -> None:
    """Part 4: the 2-layer network's error over (w1, w2) and its descent path on it."""
    from toynn import error_surface as surface
    from toynn import first_input_data, plots, train_two_layer

    X, y = first_input_data()
    run = train_two_layer(X, y, alpha=1.0, iterations=10_000, seed=1)
    w = np.linspace(-10, 10, 101)
    errors = surface(X, y, w, w)
    out.figure(
        "surface-3d.png", plots.surface_3d(w, w, errors, path=run.path, path_errors=run.errors)
    )
    out.figure("surface-contour.svg", plots.surface_contour(w, w, errors, run.path, run.errors))
    gif, alt, caption = plots.rotation_gif(w, w, errors, path=run.path, path_errors=run.errors)
    out.animation("surface-rotation.gif", gif, alt, caption)
    out.facts(
        {
            "start": f"({run.path[0, 0]:.3f}, {run.path[0, 1]:.3f})",
            "end": f"({run.path[-1, 0]:.2f}, {run.path[-1, 1]:.2f})",
            "start_error": f"{run.errors[0]:.3f}",
            "end_error": f"{run.errors[-1]:.4f}",
        }
    )


def alpha_sweep(out: Outputs, hidden_size: int) -> None:
    """Part 5: the post's seven alphas, with the error every 100 iterations and the closer look."""
    from toynn import sweep, xor_data
    from toynn.report import closer_look_text, sweep_text

    runs = sweep(*xor_data(), hidden_size=hidden_size, every=100, count_direction_changes=True)
    out.json("runs.json", [run.to_dict() for run in runs])
    out.text("sweep.txt", sweep_text(runs, every=10_000))
    for run in runs:  # one alpha at a time, for pages that show a single block
        out.text(f"alpha-{run.alpha:g}.txt", sweep_text([run], every=10_000).lstrip("\n"))
    out.text("closer-look.txt", closer_look_text(runs, every=10_000))

    at_10000 = {run.alpha: run.error_at(10_000) for run in runs}
    at_50000 = {run.alpha: run.error_at(50_000) for run in runs}
    facts = {
        "best_alpha_at_10000": f"{min(at_10000, key=at_10000.get):g}",
        "best_alpha_at_50000": f"{min(at_50000, key=at_50000.get):g}",
        "best_error_at_50000": f"{min(at_50000.values()):.4f}",
        "last_checkpoint": f"{runs[0].checkpoints[-1]:,}",
        "starting_error": f"{runs[0].errors[0]:.4g}",  # the same for every alpha: same start
    }
    for run in runs:
        alpha = f"{run.alpha:g}"
        weights = np.concatenate([run.synapse_0.ravel(), run.synapse_1.ravel()])
        changes = run.synapse_0_direction_changes.sum() + run.synapse_1_direction_changes.sum()
        facts |= {
            f"error_10000_{alpha}": f"{run.error_at(10_000):.4g}",
            f"error_50000_{alpha}": f"{run.error_at(50_000):.4g}",
            f"error_last_{alpha}": f"{run.errors[-1]:.4g}",
            f"weight_size_{alpha}": f"{np.abs(weights).mean():.3g}",
            f"largest_weight_{alpha}": f"{np.abs(weights).max():.3g}",
            f"direction_changes_{alpha}": int(changes),
            f"most_changes_one_weight_{alpha}": int(
                max(run.synapse_0_direction_changes.max(), run.synapse_1_direction_changes.max())
            ),
        }
    out.facts(facts)


def _load_runs(out: Outputs, experiment: str):
    from toynn.network import TrainingRun

    return [TrainingRun.from_dict(record) for record in out.read_json(experiment, "runs.json")]


def sweep_figures(out: Outputs) -> None:
    """Part 5's pictures: error curves for 4 and 32 hidden nodes, the closer look."""
    from toynn import plots
    from toynn.published import published_sweep

    runs = {4: _load_runs(out, "sweep-hidden-4"), 32: _load_runs(out, "sweep-hidden-32")}
    published = {hidden: published_sweep(hidden) for hidden in runs}
    out.figure("error-curves.svg", plots.error_curves(runs, published))
    out.figure("direction-changes.svg", plots.direction_changes(runs[4]))
    out.figure("weight-magnitudes.svg", plots.weight_magnitudes(runs[4]))


def published_comparison(out: Outputs) -> None:
    """The post's printed numbers beside this re-run, value by value."""
    from toynn.published import compare_with_published
    from toynn.report import comparison_summary, comparison_table

    facts = {}
    for hidden in (4, 32):
        records = compare_with_published(_load_runs(out, f"sweep-hidden-{hidden}"))
        out.text(f"table-hidden-{hidden}.md", comparison_table(records))
        summary = comparison_summary(records)
        out.json(f"summary-hidden-{hidden}.json", summary)
        facts |= {
            f"values_{hidden}": summary["values"],
            f"all_12_digits_{hidden}": summary["all_12_digits"],
            f"at_least_10_digits_{hidden}": summary["at_least_10_digits"],
            f"largest_gap_percent_{hidden}": f"{100 * summary['largest_relative_gap']:.2f}",
        }
    out.facts(facts)


# Eight of the 24 orders of the XOR set's four rows, including those that give the lowest
# and highest alpha = 10 error at 10,000 iterations (all 24 take half a minute to run).
ROW_ORDERS = [(0, 1, 2, 3), (0, 2, 1, 3), (1, 0, 2, 3), (2, 0, 1, 3),
              (0, 3, 1, 2), (1, 2, 3, 0), (3, 1, 2, 0), (3, 2, 1, 0)]  # fmt: skip


def summation_order(out: Outputs) -> None:
    """Part 5: why the 32-node alpha = 10 row differs from the post - the order of additions.

    Shuffling the rows of the training set changes nothing mathematically (the updates sum
    over all rows) but changes the order in which floating-point numbers are added.
    """
    from toynn import sweep, xor_data
    from toynn.published import published_sweep
    from toynn.report import post_number

    X, y = xor_data()
    published = published_sweep(32)
    rows = [
        "| order of the 4 rows | alpha = 1, error at 50,000 | alpha = 10, at 10,000 "
        "| alpha = 10, at 50,000 |",
        "| --- | ---: | ---: | ---: |",
    ]
    calm, chaotic = [], []
    for order in ROW_ORDERS:
        rows_first = list(order)
        one, ten = sweep(X[rows_first], y[rows_first], [1, 10], hidden_size=32)
        calm.append(one.error_at(50_000))
        chaotic.append(ten.error_at(10_000))
        name = " ".join(str(i + 1) for i in order) + (
            " (the post's)" if order == (0, 1, 2, 3) else ""
        )
        rows.append(
            f"| {name} | `{post_number(calm[-1])}` | `{post_number(chaotic[-1])}` "
            f"| `{post_number(ten.error_at(50_000))}` |"
        )
    rows.append(
        f"| *printed in the post* | `{published[1.0][50000]}` | `{published[10.0][10000]}` "
        f"| `{published[10.0][50000]}` |"
    )
    out.text("orders.md", "\n".join(rows) + "\n")
    post_value = float(published[10.0][10000])
    out.facts(
        {
            "orders": len(ROW_ORDERS),
            "calm_relative_spread": f"{(max(calm) - min(calm)) / min(calm):.0e}",
            "chaotic_low": f"{min(chaotic):.7f}",
            "chaotic_high": f"{max(chaotic):.7f}",
            "chaotic_spread_percent": f"{100 * (max(chaotic) - min(chaotic)) / min(chaotic):.1f}",
            "post_inside_range": "inside"
            if min(chaotic) <= post_value <= max(chaotic)
            else "outside",
        }
    )


def explorer_grid(out: Outputs) -> None:
    """The Explorer's grid of training runs (see toynn.site.grid)."""
    import json

    from toynn.site.grid import grid

    data = grid()
    text = json.dumps(data, separators=(",", ":"))
    out.text("grid.json", text)
    best = {}
    for hidden in ("4", "32"):
        finals = [run["final"] for run in data["runs"][hidden]["1"]]
        best[hidden] = min(range(len(finals)), key=finals.__getitem__)
    out.facts(
        {
            "size_kb": f"{len(text.encode()) / 1000:.0f}",
            "runs": sum(len(s) * len(data["alphas"]) for s in data["runs"].values()),
            "best_alpha_4": f"{data['alphas'][best['4']]:g}",
            "best_alpha_32": f"{data['alphas'][best['32']]:g}",
        }
    )


def notebook(out: Outputs, source: Path) -> None:
    """Execute a playground notebook top to bottom; any error fails the build."""
    from toynn.site.notebooks import execute

    out.text(f"notebooks/{source.name}", execute(source))  # mirrors docs/notebooks/


def experiments() -> list[Experiment]:
    """Every experiment, each after the ones it reads from; the slowest first, so that on a
    cold build they start at once and the quick ones fill the other core around them."""
    sweeps = [
        Experiment(
            f"sweep-hidden-{hidden}",
            functools.partial(alpha_sweep, hidden_size=hidden),
            modules=("sweep", "data", "report"),
        )
        for hidden in (4, 32)
    ]
    notebooks = [
        Experiment(
            f"notebook-{path.stem}",
            functools.partial(notebook, source=path),
            modules=("__init__", "plots", "site.notebooks"),
            inputs=(path,),
        )
        for path in sorted((DOCS_DIR / "notebooks").glob("*.ipynb"))
    ]
    return [
        Experiment("explorer-grid", explorer_grid, modules=("site.grid",)),
        Experiment(
            "summation-order", summation_order, modules=("sweep", "data", "published", "report")
        ),
        Experiment("opening", opening, modules=("network", "data", "report")),
        Experiment("ball-in-bucket", ball_in_bucket, modules=("bucket", "plots")),
        Experiment("breaking", breaking, modules=("bucket", "plots")),
        Experiment("error-surface", error_surface, modules=("two_layer", "data", "plots")),
        *sweeps,
        Experiment(
            "sweep-figures",
            sweep_figures,
            modules=("plots", "network", "published"),
            needs=("sweep-hidden-4", "sweep-hidden-32"),
        ),
        Experiment(
            "published-comparison",
            published_comparison,
            modules=("published", "report", "network"),
            needs=("sweep-hidden-4", "sweep-hidden-32"),
        ),
        *notebooks,
    ]
