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
NOTEBOOKS = tuple(sorted((DOCS_DIR / "notebooks").glob("*.ipynb")))
# Every training run of the 3-layer network, in two batches by hidden size that run side by
# side (see toynn.site.training). The first costs less, so that the figures it feeds are
# drawn while the second still trains.
TRAINING = {"training-1-to-4": (1, 2, 3, 4), "training-8-to-32": (8, 16, 32)}


def opening(out: Outputs) -> None:
    """The landing page's network: alpha 0.5, 4 hidden nodes, 60,000 iterations, seed 1."""
    from toynn import predict, xor_data
    from toynn.report import sweep_text
    from toynn.site.training import OPENING, find

    X, y = xor_data()
    run = find(out.read_json("training-1-to-4", "runs.json"), OPENING)
    output = predict(X, run.synapse_0, run.synapse_1)
    out.text("errors.txt", sweep_text([run], every=10_000, headers=False))
    out.text("output.txt", np.array2string(output, precision=8) + "\n")
    out.facts(
        {
            "final_error": f"{run.error_at(50_000):.4f}",
            "worst_row": f"{np.abs(output - y).max():.3f}",
        }
    )


def opening_plain(out: Outputs) -> None:
    """The landing page's plain-Python network, run as a reader runs it: its code, taken
    from the page, in a CPython of its own. The in-page runner must print the same."""
    import subprocess
    import sys

    from toynn.site.runnable import runnable_code

    code = runnable_code((DOCS_DIR / "index.md").read_text(encoding="utf-8"))
    printed = subprocess.run(
        [sys.executable, "-I", "-"], input=code, capture_output=True, text=True, check=False
    )
    if printed.returncode != 0:
        raise RuntimeError(f"the plain-Python network on index.md failed:\n{printed.stderr}")
    out.text("code.py", code)
    out.text("output.txt", printed.stdout)


def exercise_reference(out: Outputs) -> None:
    """Part 6's exercise in the page: every answer and every recognised mistake, computed by
    toynn, for toynn.exercise_plain to grade the reader's plain Python against in Pyodide."""
    from toynn.exercise import reference_values

    out.json("reference.json", reference_values())


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
    dips, counts = np.unique(ends.round().astype(int), return_counts=True)  # no "-0"
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
    """Part 4: the 2-layer network's error over its weights (u, v) and its descent path."""
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
    out.animation(
        "surface-rotation.avif",
        plots.rotation_animation(w, w, errors, path=run.path, path_errors=run.errors),
    )
    out.facts(
        {
            "start": f"({run.path[0, 0]:.3f}, {run.path[0, 1]:.3f})",
            "end": f"({run.path[-1, 0]:.2f}, {run.path[-1, 1]:.2f})",
            "start_error": f"{run.errors[0]:.3f}",
            "end_error": f"{run.errors[-1]:.4f}",
        }
    )


def training(out: Outputs, hidden_sizes: tuple[int, ...]) -> None:
    """One batch of the site's training runs (see toynn.site.training)."""
    from toynn.site.training import batch_settings, train_batch

    out.json("runs.json", train_batch(batch_settings(hidden_sizes)))


def alpha_sweep(out: Outputs, hidden_size: int, batch: str) -> None:
    """Part 5: the post's seven alphas, with the error every 100 iterations and the closer
    look: rows of the training batch ``batch``."""
    from toynn import predict, xor_data
    from toynn.published import published_sweep
    from toynn.report import closer_look_text, sweep_text
    from toynn.site.training import Setting, find

    X, _ = xor_data()
    records = out.read_json(batch, "runs.json")
    runs = [find(records, Setting(hidden_size, 1, alpha)) for alpha in published_sweep(hidden_size)]
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
    wild = runs[-1]  # alpha = 1000: every answer pinned near 0 (Part 5)
    answers = predict(X, wild.synapse_0, wild.synapse_1).ravel()
    facts["answers_1000"] = ", ".join(f"{a:.3g}" for a in answers)
    sizes = []  # what Part 5's loop over the weight sizes prints
    for run in runs:
        alpha = f"{run.alpha:g}"
        weights = np.concatenate([run.synapse_0.ravel(), run.synapse_1.ravel()])
        size = np.abs(weights)
        sizes.append(f"{run.alpha:>5g}: mean {size.mean():.3g}, largest {size.max():.3g}")
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
    out.text("weight-sizes.txt", "\n".join(sizes) + "\n")
    out.facts(facts)


def _load_runs(out: Outputs, experiment: str):
    from toynn.network import TrainingRun

    return [TrainingRun.from_dict(record) for record in out.read_json(experiment, "runs.json")]


def sweep_figures(out: Outputs) -> None:
    """Part 5's error curves, for 4 and 32 hidden nodes."""
    from toynn import plots
    from toynn.published import published_sweep

    runs = {4: _load_runs(out, "sweep-hidden-4"), 32: _load_runs(out, "sweep-hidden-32")}
    published = {hidden: published_sweep(hidden) for hidden in runs}
    out.figure("error-curves.svg", plots.error_curves(runs, published))


def closer_look(out: Outputs) -> None:
    """Part 5's closer look at 4 hidden nodes: direction changes and final weights."""
    from toynn import plots

    runs = _load_runs(out, "sweep-hidden-4")
    out.figure("direction-changes.svg", plots.direction_changes(runs))
    out.figure("weight-magnitudes.svg", plots.weight_magnitudes(runs))


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
            f"fewest_digits_{hidden}": summary["fewest_digits"],
        }
    out.facts(facts)


def summation_order(out: Outputs) -> None:
    """Part 5: why the 32-node alpha = 10 row differs from the post - the order of additions.

    Shuffling the rows of the training set changes nothing mathematically (the updates sum
    over all rows) but changes the order in which floating-point numbers are added. The
    page shows the code of the first two tables; this prints what that code prints.
    """
    from toynn import sweep, xor_data
    from toynn.published import published_sweep
    from toynn.report import post_number
    from toynn.site.training import ROW_ORDERS, Setting, find

    records = [r for batch in TRAINING for r in out.read_json(batch, "runs.json")]
    published = published_sweep(32)

    # Two orders, after 10,000 iterations: the calm run, the bouncy one, the wild one.
    two_orders, at_10000 = [], []
    for order in ((0, 1, 2, 3), (3, 2, 1, 0)):
        settings = [Setting(32, 1, 1, order), Setting(4, 1, 100, order), Setting(32, 1, 10, order)]
        at_10000.append([find(records, s).error_at(10_000) for s in settings])
        two_orders.append(f"{list(order)} " + " ".join(f"{e:.12g}" for e in at_10000[-1]))
    out.text("two-orders.txt", "\n".join(two_orders) + "\n")
    moved = {}
    for name, forwards, backwards in zip(("calm", "bouncy", "wild"), *at_10000, strict=True):
        same = _same_leading_digits(post_number(forwards), post_number(backwards))
        if same == 12:
            moved[f"{name}_digits_moved"] = "not one printed digit moves"
        elif same == 11:
            moved[f"{name}_digits_moved"] = "only the last printed digit moves"
        else:
            moved[f"{name}_digits_moved"] = f"the {_ordinal(same + 1)} significant digit moves"

    # The wild run's first 600 iterations in both orders, and the gap between them.
    X, y = xor_data()
    backwards = [3, 2, 1, 0]
    ours, other = sweep(
        np.stack([X, X[backwards]]), np.stack([y, y[backwards]]), [10, 10],
        hidden_size=32, iterations=601, every=50,
    )  # fmt: skip
    gaps = [abs(a - b) / a for a, b in zip(ours.errors, other.errors, strict=True)]
    out.text(
        "gap.txt",
        "".join(
            f"{i:>3}: {a:.6f} {b:.6f}  gap {gap:.0e}\n"
            for i, a, b, gap in zip(ours.checkpoints, ours.errors, other.errors, gaps, strict=True)
        ),
    )
    down = next(k for k, error in enumerate(ours.errors) if error < 0.4)  # it finds its way down

    rows = [
        "| order of the 4 rows | alpha = 1, error at 50,000 | alpha = 10, at 10,000 "
        "| alpha = 10, at 50,000 |",
        "| --- | ---: | ---: | ---: |",
    ]
    calm, chaotic = [], []
    for order in ROW_ORDERS:
        one, ten = (find(records, Setting(32, 1, alpha, order)) for alpha in (1, 10))
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
            **moved,
            "gap_before_descent_at": ours.checkpoints[down - 1],
            "gap_before_descent": f"{gaps[down - 1]:.0e}",
            "descent_at": ours.checkpoints[down],
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


def _same_leading_digits(a: str, b: str) -> int:
    """How many significant digits two printed numbers share before the first difference
    (12, all the post printed, if they are the same)."""
    if a == b:
        return 12
    same = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        same += x.isdigit() and (same > 0 or x != "0")
    return same


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def explorer_grid(out: Outputs) -> None:
    """The Explorer's data: the whole grid of runs, compacted (see toynn.site.grid)."""
    import json

    from toynn.site.explorer import explorer_data

    records = [r for batch in TRAINING for r in out.read_json(batch, "runs.json")]
    data = explorer_data(records)
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


def notebooks(out: Outputs) -> None:
    """Execute every playground notebook top to bottom; any error fails the build."""
    from toynn.site.notebooks import execute

    for path, executed in zip(NOTEBOOKS, execute(NOTEBOOKS), strict=True):
        out.text(f"notebooks/{path.name}", executed)  # mirrors docs/notebooks/


def experiments() -> list[Experiment]:
    """Every experiment, each after the ones it reads from; the slowest first, so that on a
    cold build they start at once and the quick ones fill the other cores around them."""
    training_batches = [
        Experiment(name, functools.partial(training, hidden_sizes=sizes), ("site.training",))
        for name, sizes in TRAINING.items()
    ]
    sweeps = [
        Experiment(
            f"sweep-hidden-{hidden}",
            functools.partial(alpha_sweep, hidden_size=hidden, batch=batch),
            modules=("report", "published", "site.training"),
            needs=(batch,),
        )
        for hidden, batch in ((4, "training-1-to-4"), (32, "training-8-to-32"))
    ]
    notebook_modules = ("__init__", "plots", "site.notebooks")
    return [
        *training_batches,
        Experiment("notebooks", notebooks, modules=notebook_modules, inputs=NOTEBOOKS),
        # 1.5 s of plain Python, early: it overlaps the training instead of ending the build.
        Experiment(
            "opening-plain",
            opening_plain,
            modules=("site.runnable",),
            inputs=(DOCS_DIR / "index.md",),
        ),
        Experiment(
            "exercise-reference",
            exercise_reference,
            modules=("exercise",),
        ),
        Experiment("error-surface", error_surface, modules=("two_layer", "data", "plots")),
        Experiment("breaking", breaking, modules=("bucket", "plots")),
        Experiment("ball-in-bucket", ball_in_bucket, modules=("bucket", "plots")),
        *sweeps,
        Experiment(
            "opening", opening, modules=("site.training", "report"), needs=("training-1-to-4",)
        ),
        Experiment(
            "summation-order",
            summation_order,
            modules=("site.training", "sweep", "published", "report"),
            needs=tuple(TRAINING),
        ),
        Experiment("explorer-grid", explorer_grid, ("site.explorer",), needs=tuple(TRAINING)),
        Experiment("closer-look", closer_look, ("plots", "network"), needs=("sweep-hidden-4",)),
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
    ]
