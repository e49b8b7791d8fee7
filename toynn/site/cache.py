"""Run experiments, or reuse their outputs when nothing they depend on has changed.

An experiment's key is a hash of everything its outputs depend on: its own source and
arguments, the source of every ``toynn`` module it imports (followed transitively), the
keys of the experiments it reads from, its input files, and the numpy, matplotlib and
Python versions. Outputs live in ``generated/<name>/``; ``cache/<name>.json`` records the
key, the run time and a hash of every output file. A missing, truncated or edited file
fails the hash check and the experiment runs again.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import inspect
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from toynn.site.outputs import Outputs

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the toynn/ folder


@dataclass(frozen=True)
class Experiment:
    name: str  # also the folder its outputs go to
    run: Callable[[Outputs], None]
    modules: tuple[str, ...]  # toynn modules it uses, e.g. ("sweep", "plots")
    needs: tuple[str, ...] = ()  # experiments whose outputs it reads
    inputs: tuple[Path, ...] = ()  # other files it reads, such as a notebook
    # Does its work in another process (a notebook's kernel), so it can overlap the others.
    in_own_process: bool = False


@dataclass
class Result:
    name: str
    status: str  # "ran" or "cached"
    seconds: float  # how long the run took when it ran
    key: str


class ExperimentFailed(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _module_path(module: str, package_dir: Path) -> Path:
    return package_dir.joinpath(*module.split(".")).with_suffix(".py")


def _imported_toynn_modules(module: str, package_dir: Path) -> frozenset[str]:
    """The toynn modules that ``module`` imports, directly or through other toynn modules."""
    found = {module}
    tree = ast.parse(_module_path(module, package_dir).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("toynn."):
            names = [node.module.removeprefix("toynn.")]
        elif isinstance(node, ast.Import):
            names = [
                a.name.removeprefix("toynn.") for a in node.names if a.name.startswith("toynn.")
            ]
        for name in names:
            if _module_path(name, package_dir).exists():
                found |= _imported_toynn_modules(name, package_dir)
    return frozenset(found)


def dependencies(experiment: Experiment, package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every toynn module whose source can change the experiment's outputs."""
    modules = set(_imported_toynn_modules("site.outputs", package_dir))
    for module in experiment.modules:
        modules |= _imported_toynn_modules(module, package_dir)
    return sorted(modules)


def _source_of(run: Callable) -> str:
    if isinstance(run, functools.partial):
        return _source_of(run.func) + repr(run.args) + repr(sorted(run.keywords.items()))
    return inspect.getsource(run)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def experiment_key(
    experiment: Experiment, keys_of_needs: dict[str, str], package_dir: Path = PACKAGE_DIR
) -> str:
    modules = dependencies(experiment, package_dir)
    parts = {
        "name": experiment.name,
        "source": _source_of(experiment.run),
        "modules": {m: _sha256(_module_path(m, package_dir).read_bytes()) for m in modules},
        "needs": {need: keys_of_needs[need] for need in experiment.needs},
        "inputs": {str(p): _sha256(Path(p).read_bytes()) for p in experiment.inputs},
        "versions": [_version("numpy"), _version("matplotlib"), sys.version_info[:2]],
    }
    return _sha256(json.dumps(parts, sort_keys=True, default=str).encode())


def _hash_files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): _sha256(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _cached(manifest_path: Path, folder: Path, key: str) -> dict | None:
    """The manifest if the cached outputs are complete and untouched, else None."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest["key"] == key and folder.is_dir() and _hash_files(folder) == manifest["files"]:
            return manifest
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or corrupt manifest: run again
    return None


def _run(experiment: Experiment, folder: Path, cache_dir: Path, generated_dir: Path) -> dict:
    """Run into a scratch folder, then swap it in whole: a crash never leaves half outputs."""
    scratch = cache_dir / f".running-{experiment.name}-{os.getpid()}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    inputs = {need: generated_dir / need for need in experiment.needs}
    started = time.perf_counter()
    try:
        experiment.run(Outputs(scratch, experiment.name, inputs))
    except Exception as error:
        shutil.rmtree(scratch, ignore_errors=True)
        raise ExperimentFailed(
            f"experiment '{experiment.name}' failed: {type(error).__name__}: {error}"
        ) from error
    seconds = time.perf_counter() - started
    files = _hash_files(scratch)
    old = cache_dir / f".old-{experiment.name}-{os.getpid()}"
    if folder.exists():
        os.replace(folder, old)
    os.replace(scratch, folder)
    shutil.rmtree(old, ignore_errors=True)
    return {"files": files, "seconds": seconds}


def _bring_up_to_date(
    experiment: Experiment, key: str, generated_dir: Path, cache_dir: Path, log
) -> Result:
    folder = generated_dir / experiment.name
    manifest_path = cache_dir / f"{experiment.name}.json"
    manifest = _cached(manifest_path, folder, key)
    if manifest is not None:
        log(f"{experiment.name}: from the cache (it took {manifest['seconds']:.1f} s to run)")
        return Result(experiment.name, "cached", manifest["seconds"], key)
    outcome = _run(experiment, folder, cache_dir, generated_dir)
    _write_atomically(manifest_path, json.dumps({"key": key, **outcome}, indent=1))
    log(f"{experiment.name}: ran in {outcome['seconds']:.1f} s")
    return Result(experiment.name, "ran", outcome["seconds"], key)


def build(
    experiments: list[Experiment],
    generated_dir: Path,
    cache_dir: Path,
    log: Callable[[str], None] = print,
    package_dir: Path = PACKAGE_DIR,
) -> dict[str, Result]:
    """Bring every experiment's outputs up to date; return what happened to each.

    Experiments run in list order, each after the ones it ``needs``. Those that work in
    their own process (notebooks) run on two background threads meanwhile; the rest stay
    on this thread, because matplotlib's settings are global to the process.
    ``package_dir`` is where the toynn sources that the keys hash are read from.
    """
    generated_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys: dict[str, str] = {}
    for experiment in experiments:
        missing = [need for need in experiment.needs if need not in keys]
        if missing:
            raise ExperimentFailed(f"experiment '{experiment.name}' needs {missing} to come first")
        keys[experiment.name] = experiment_key(experiment, keys, package_dir)

    results: dict[str, Result] = {}
    with ThreadPoolExecutor(max_workers=2) as pool:
        background = {
            e.name: pool.submit(_bring_up_to_date, e, keys[e.name], generated_dir, cache_dir, log)
            for e in experiments
            if e.in_own_process and not e.needs
        }
        for experiment in experiments:
            if experiment.name not in background:
                results[experiment.name] = _bring_up_to_date(
                    experiment, keys[experiment.name], generated_dir, cache_dir, log
                )
        for name, future in background.items():
            results[name] = future.result()  # re-raises ExperimentFailed
    # Outputs of experiments that no longer exist would still be served: remove them.
    known = {e.name for e in experiments}
    for stale in generated_dir.iterdir():
        if stale.is_dir() and stale.name not in known:
            shutil.rmtree(stale)
    return {e.name: results[e.name] for e in experiments}
