"""The build's cache: re-run exactly what changed, never trust a damaged entry."""

import dataclasses
import shutil

import pytest
from mkdocs.exceptions import PluginError

from tests.conftest import ROOT
from toynn.site import cache, experiments
from toynn.site.cache import Experiment, ExperimentFailed

NOTEBOOKS = {"notebooks"}
TRAINED = {e.name for e in experiments.experiments() if e.name.startswith("training-")}
# ... and every experiment that reads the training runs, directly or not
FROM_TRAINING = TRAINED | {
    "sweep-hidden-4", "sweep-hidden-32", "opening", "summation-order", "explorer-grid",
    "sweep-figures", "closer-look", "published-comparison",
}  # fmt: skip
GREETING = "hello"  # read by `greet`: the key must notice when it changes


def write_one(out):
    out.text("value.txt", "1\n")


def greet(out):
    out.text("greeting.txt", GREETING)


def explode(out):
    out.text("half.txt", "written before the failure")
    raise ZeroDivisionError("division by zero")


@pytest.fixture
def project(tmp_path):
    """A copy of toynn's sources for the keys to hash, so tests can edit them safely."""
    package = tmp_path / "toynn"
    shutil.copytree(ROOT / "toynn", package, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path, package


def run(tmp_path, package, chosen):
    lines = []
    results = cache.build(
        chosen, tmp_path / "generated", tmp_path / "cache", log=lines.append, package_dir=package
    )
    return {name for name, r in results.items() if r.status == "ran"}, lines


def touch(package, module):
    with open(package / module, "a") as source:
        source.write("\n# touched\n")


def real(*names):
    return [e for e in experiments.experiments() if e.name in names]


def test_a_second_build_reruns_nothing_and_says_so(project):
    tmp_path, package = project
    chosen = real("ball-in-bucket")  # a real experiment: the quickest with figures
    ran, log = run(tmp_path, package, chosen)
    assert ran == {"ball-in-bucket"}
    assert any(line.startswith("ball-in-bucket: ran in") for line in log)
    ran, log = run(tmp_path, package, chosen)
    assert ran == set()
    assert all("from the cache (it took" in line for line in log)


def test_touching_one_module_reruns_exactly_the_experiments_that_use_it(project):
    # The site's real experiments with their real dependencies, each doing a tiny job.
    tmp_path, package = project
    chosen = [dataclasses.replace(e, run=write_one) for e in experiments.experiments()]
    everything = {e.name for e in chosen}
    assert run(tmp_path, package, chosen)[0] == everything
    touch(package, "bucket.py")  # toynn/__init__.py imports it, so the notebooks use it too
    assert run(tmp_path, package, chosen)[0] == {"ball-in-bucket", "breaking"} | NOTEBOOKS
    touch(package, "two_layer.py")
    assert run(tmp_path, package, chosen)[0] == {"error-surface"} | NOTEBOOKS
    touch(package, "published.py")  # the post's numbers: not the training, only the reports
    assert run(tmp_path, package, chosen)[0] == {
        "sweep-hidden-4", "sweep-hidden-32", "summation-order", "explorer-grid",
        "sweep-figures", "closer-look", "published-comparison",
    }  # fmt: skip
    touch(package, "sweep.py")
    assert run(tmp_path, package, chosen)[0] == FROM_TRAINING | NOTEBOOKS
    touch(package, "_checks.py")  # every function that trains checks its arguments with it
    # (but for opening-plain, which runs the landing page's plain Python: no toynn in it)
    assert run(tmp_path, package, chosen)[0] == everything - {"opening-plain"}
    assert run(tmp_path, package, chosen)[0] == set()


def test_a_changed_experiment_reruns_what_reads_it(project):
    tmp_path, package = project
    first = Experiment("first", write_one, modules=("data",))
    second = Experiment("second", write_one, modules=("report",), needs=("first",))
    run(tmp_path, package, [first, second])
    touch(package, "data.py")  # only `first` uses data.py; `second` reads first's outputs
    assert run(tmp_path, package, [first, second])[0] == {"first", "second"}


def test_the_key_covers_helpers_constants_and_library_versions(monkeypatch):
    experiment = Experiment("greet", greet, modules=("data",))
    before = cache.experiment_key(experiment, {})
    monkeypatch.setitem(globals(), "GREETING", "bonjour")
    after_constant = cache.experiment_key(experiment, {})
    assert after_constant != before
    monkeypatch.setattr(cache, "_version", lambda package: "99.0")
    assert cache.experiment_key(experiment, {}) != after_constant


def test_dependencies_follow_imports():
    (error_surface,) = real("error-surface")
    modules = cache.dependencies(error_surface)
    assert {"two_layer", "network", "_checks", "data", "plots", "site.outputs"} <= set(modules)
    assert "bucket" not in modules and "sweep" not in modules


def test_the_import_walker_survives_cycles_and_names_unknown_modules(tmp_path):
    package = tmp_path / "toynn"
    (package / "site").mkdir(parents=True)
    (package / "site" / "outputs.py").write_text("")
    (package / "a.py").write_text("from toynn.b import f\n")
    (package / "b.py").write_text("def f():\n    from toynn import a\n")
    chosen = Experiment("cycle", write_one, modules=("a",))
    assert cache.dependencies(chosen, package) == ["a", "b", "site.outputs"]
    typo = Experiment("typo", write_one, modules=("bukcet",))
    with pytest.raises(ExperimentFailed, match="no toynn module 'bukcet'"):
        cache.dependencies(typo, package)


def write_two(out):
    out.text("value.txt", "1\n")
    out.json("nested/values.json", {"alpha": [0.001, 1000]})


@pytest.mark.parametrize("damage", ["truncate", "delete", "manifest"])
def test_a_damaged_cache_entry_is_recomputed(project, damage):
    tmp_path, package = project
    chosen = [Experiment("small", write_two, modules=("data",))]
    run(tmp_path, package, chosen)
    output = tmp_path / "generated" / "small" / "nested" / "values.json"
    good = output.read_bytes()
    if damage == "truncate":
        output.write_bytes(good[: len(good) // 2])
    elif damage == "delete":
        output.unlink()
    else:
        (tmp_path / "cache" / "small.json").write_text('{"key": "abc", "fil')
    assert run(tmp_path, package, chosen)[0] == {"small"}
    assert output.read_bytes() == good


def test_a_failing_experiment_names_itself_and_leaves_no_half_outputs(project):
    tmp_path, package = project
    broken = Experiment("explodes", explode, modules=("data",))
    with pytest.raises(ExperimentFailed, match="experiment 'explodes' failed: ZeroDivisionError"):
        run(tmp_path, package, [broken])
    assert not (tmp_path / "generated" / "explodes").exists()
    assert not list((tmp_path / "cache").glob(".running-*"))


def test_the_plugin_turns_a_failure_into_a_build_error(monkeypatch, tmp_path):
    from toynn.site import plugin as plugin_module

    def failing_build(*args, **kwargs):
        raise ExperimentFailed("experiment 'sweep-broken' failed: ValueError: bad alpha")

    monkeypatch.setattr(plugin_module, "build", failing_build)
    plugin = plugin_module.BuildPlugin()
    plugin.generated, plugin.cache = tmp_path / "generated", tmp_path / "cache"
    plugin.lock = cache.BuildLock(tmp_path)
    with pytest.raises(PluginError, match="experiment 'sweep-broken' failed: ValueError"):
        plugin.on_pre_build(config=None)
    plugin.on_build_error(error=None)  # as mkdocs calls it: the lock is let go
    assert plugin.lock.file is None


def test_experiments_are_listed_after_what_they_need():
    seen = set()
    for experiment in experiments.experiments():
        assert set(experiment.needs) <= seen, experiment.name
        seen.add(experiment.name)


def test_editing_the_posts_numbers_reruns_what_reads_them(project):
    tmp_path, package = project
    chosen = [dataclasses.replace(e, run=write_one) for e in experiments.experiments()]
    run(tmp_path, package, chosen)
    with open(package / "published.json", "a") as data:
        data.write("\n")
    assert run(tmp_path, package, chosen)[0] == {
        "sweep-hidden-4", "sweep-hidden-32", "summation-order", "explorer-grid",
        "sweep-figures", "closer-look", "published-comparison",
    }  # fmt: skip
