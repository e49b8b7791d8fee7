"""The build's cache: re-run exactly what changed, never trust a damaged entry."""

import shutil

import pytest
from mkdocs.exceptions import PluginError

from tests.conftest import ROOT
from toynn.site import cache, experiments
from toynn.site.cache import Experiment, ExperimentFailed


def quick_experiments(names=("opening", "ball-in-bucket", "breaking", "error-surface")):
    """Some of the real experiments: not the notebooks, not Part 5's sweeps."""
    return [e for e in experiments.experiments() if e.name in names]


@pytest.fixture
def project(tmp_path):
    """A copy of toynn's sources for the keys to hash, so tests can edit them safely."""
    package = tmp_path / "toynn"
    shutil.copytree(ROOT / "toynn", package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path, package


def run(tmp_path, package, chosen=None):
    lines = []
    results = cache.build(
        chosen or quick_experiments(), tmp_path / "generated", tmp_path / "cache",
        log=lines.append, package_dir=package,
    )  # fmt: skip
    return {name for name, r in results.items() if r.status == "ran"}, lines


def test_a_second_build_reruns_nothing_and_says_so(project):
    tmp_path, package = project
    chosen = quick_experiments(("opening", "breaking"))
    ran, _ = run(tmp_path, package, chosen)
    assert ran == {"opening", "breaking"}
    ran, log = run(tmp_path, package, chosen)
    assert ran == set()
    assert all("from the cache (it took" in line for line in log)


def test_touching_one_module_reruns_exactly_the_experiments_that_use_it(project):
    tmp_path, package = project
    run(tmp_path, package)
    with open(package / "bucket.py", "a") as source:
        source.write("\n# touched\n")
    ran, log = run(tmp_path, package)
    assert ran == {"ball-in-bucket", "breaking"}
    assert any(line.startswith("breaking: ran in") for line in log)
    with open(package / "two_layer.py", "a") as source:
        source.write("\n# touched\n")
    assert run(tmp_path, package)[0] == {"error-surface"}
    with open(package / "_checks.py", "a") as source:  # imported by everything that trains
        source.write("\n# touched\n")
    assert run(tmp_path, package)[0] == {"opening", "ball-in-bucket", "breaking", "error-surface"}


def test_dependencies_follow_imports():
    (error_surface,) = [e for e in experiments.experiments() if e.name == "error-surface"]
    modules = cache.dependencies(error_surface)
    assert {"two_layer", "network", "_checks", "data", "plots", "site.outputs"} <= set(modules)
    assert "bucket" not in modules and "sweep" not in modules


@pytest.mark.parametrize("damage", ["truncate", "delete", "manifest"])
def test_a_damaged_cache_entry_is_recomputed(project, damage):
    tmp_path, package = project
    chosen = quick_experiments(("ball-in-bucket", "breaking"))
    run(tmp_path, package, chosen)
    figure = tmp_path / "generated" / "breaking" / "basins.svg"
    good = figure.read_bytes()
    if damage == "truncate":
        figure.write_bytes(good[: len(good) // 2])
    elif damage == "delete":
        figure.unlink()
    else:
        (tmp_path / "cache" / "breaking.json").write_text('{"key": "abc", "fil')
    assert run(tmp_path, package, chosen)[0] == {"breaking"}
    assert figure.read_bytes() == good


def test_a_failing_experiment_names_itself_and_leaves_no_half_outputs(project):
    tmp_path, package = project

    def explode(out):
        out.text("half.txt", "written before the failure")
        raise ZeroDivisionError("division by zero")

    broken = Experiment("explodes", explode, modules=("data",))
    with pytest.raises(ExperimentFailed, match="experiment 'explodes' failed: ZeroDivisionError"):
        run(tmp_path, package, [broken])
    assert not (tmp_path / "generated" / "explodes").exists()


def test_the_plugin_turns_a_failure_into_a_build_error(monkeypatch, tmp_path):
    from toynn.site.plugin import BuildPlugin

    def explode(out):
        raise ValueError("bad alpha")

    monkeypatch.setattr(
        experiments, "experiments", lambda: [Experiment("sweep-broken", explode, ("data",))]
    )
    plugin = BuildPlugin()
    plugin.generated, plugin.cache = tmp_path / "generated", tmp_path / "cache"
    with pytest.raises(
        PluginError, match="experiment 'sweep-broken' failed: ValueError: bad alpha"
    ):
        plugin.on_pre_build(config=None)


def test_experiments_are_listed_after_what_they_need():
    seen = set()
    for experiment in experiments.experiments():
        assert set(experiment.needs) <= seen, experiment.name
        seen.add(experiment.name)
