"""Run experiments, or reuse their outputs when nothing they depend on has changed.

An experiment's key is a hash of everything its outputs depend on: its own source and
arguments and of the module-level helpers and constants it uses, the source of every
``toynn`` module it imports (followed transitively), the keys of the experiments it reads
from, its input files, and the versions of the libraries that shape its bytes.
Outputs live in ``generated/<name>/``; ``cache/<name>.json`` records the key, the run time
and a hash of every output file. A missing, truncated or edited file fails the hash check
and the experiment runs again.

Experiments run side by side in fresh child processes: a child imports toynn from disk, so
under ``mkdocs serve`` an edited module is run as edited, never as the copy the server
imported when it started.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import inspect
import json
import multiprocessing
import os
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from toynn.site.outputs import Outputs

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # the toynn/ folder
# Keys name files relative to the project, so that a clone elsewhere gets the same keys.
PROJECT_DIR = PACKAGE_DIR.parent
# One more worker than cores: the notebooks experiment spends seconds waiting for its Jupyter
# kernel. (On 2 cores, 3 workers built about 5% faster than 2 or 4.)
WORKERS = (os.cpu_count() or 2) + 1
# Files inside the package that a module reads (not Python): part of the key of every
# experiment that depends on the module. tests/test_site_cache.py checks that none is missing.
DATA_FILES = {"published": ("published.json",)}
# What the worker processes import before they start: the libraries, never toynn itself.
PRELOAD = [
    "numpy", "matplotlib.figure", "matplotlib.backends.backend_agg", "mpl_toolkits.mplot3d",
    "PIL.Image",
]  # fmt: skip


@dataclass(frozen=True)
class Experiment:
    name: str  # also the folder its outputs go to
    run: Callable[[Outputs], None]
    modules: tuple[str, ...]  # toynn modules it uses, e.g. ("sweep", "plots")
    needs: tuple[str, ...] = ()  # experiments whose outputs it reads
    inputs: tuple[Path, ...] = ()  # other files it reads, such as a notebook


@dataclass
class Result:
    name: str
    status: str  # "ran" or "cached"
    seconds: float  # how long the run took when it ran


class ExperimentFailed(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _module_path(module: str, package_dir: Path) -> Path:
    return package_dir.joinpath(*module.split(".")).with_suffix(".py")


def _imported_toynn_modules(
    module: str, package_dir: Path, seen: set[str] | None = None
) -> set[str]:
    """The toynn modules that ``module`` imports, directly or through other toynn modules."""
    seen = set() if seen is None else seen
    if module in seen:
        return seen
    path = _module_path(module, package_dir)
    if not path.is_file():
        raise ExperimentFailed(f"no toynn module '{module}' (looked for {path})")
    seen.add(module)
    status = path.stat()
    for name in _direct_imports(path, package_dir, status.st_mtime_ns, status.st_size):
        _imported_toynn_modules(name, package_dir, seen)
    return seen


@functools.cache
def _direct_imports(path: Path, package_dir: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    """The toynn modules that the file at ``path`` imports itself. (Cached while the file's
    time stamp and size stay the same: parsing every module for every experiment's key
    would cost a noticeable part of a build.)"""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "toynn" or node.module.startswith("toynn."):
                parent = node.module.removeprefix("toynn").lstrip(".")
                # `from toynn.site import html` imports a module; `from toynn.x import f` a name
                names = [f"{parent}.{a.name}".lstrip(".") for a in node.names]
                names = [n for n in names if _module_path(n, package_dir).is_file()]
                names += [parent] if parent else ["__init__"]
        elif isinstance(node, ast.Import):
            names = [
                a.name.removeprefix("toynn.") for a in node.names if a.name.startswith("toynn.")
            ]
        found += [name for name in names if _module_path(name, package_dir).is_file()]
    return tuple(found)


def dependencies(experiment: Experiment, package_dir: Path = PACKAGE_DIR) -> list[str]:
    """Every toynn module whose source can change the experiment's outputs."""
    modules: set[str] = set()
    for module in ("site.outputs", *experiment.modules):
        _imported_toynn_modules(module, package_dir, modules)
    return sorted(modules)


def _source_of(run: Callable, seen: set | None = None) -> str:
    """The code behind ``run``: its source, its arguments if it is a partial, and the
    module-level functions and constants of its own module that it refers to."""
    seen = set() if seen is None else seen
    if isinstance(run, functools.partial):
        arguments = repr(_portable(run.args)) + repr(sorted(_portable(run.keywords).items()))
        return _source_of(run.func, seen) + arguments
    seen.add(run)
    parts = [inspect.getsource(run)]
    module = inspect.getmodule(run)
    for name in sorted(set(run.__code__.co_names)):
        value = getattr(module, name, None)
        if inspect.isfunction(value) and value.__module__ == run.__module__:
            if value not in seen:
                parts.append(_source_of(value, seen))
        elif isinstance(value, (int, float, str, tuple, list, dict, Path)):
            parts.append(f"{name} = {_portable(value)!r}")
    return "\n".join(parts)


def _portable(value):
    """``value`` with every path in it made relative to the project, where it lies inside."""
    if isinstance(value, Path):
        return (
            value.relative_to(PROJECT_DIR).as_posix()
            if value.is_relative_to(PROJECT_DIR)
            else str(value)
        )
    if isinstance(value, (tuple, list)):
        return type(value)(_portable(v) for v in value)
    if isinstance(value, dict):
        return {k: _portable(v) for k, v in value.items()}
    return value


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def key_parts(
    experiment: Experiment, keys_of_needs: dict[str, str], package_dir: Path = PACKAGE_DIR
) -> dict:
    """Everything an experiment's outputs depend on, as the key hashes it."""
    modules = dependencies(experiment, package_dir)
    return {
        "name": experiment.name,
        "source": _source_of(experiment.run),
        "modules": {m: _sha256(_module_path(m, package_dir).read_bytes()) for m in modules},
        "data": {
            name: _sha256((package_dir / name).read_bytes())
            for m in modules
            for name in DATA_FILES.get(m, ())
        },
        "needs": {need: keys_of_needs[need] for need in experiment.needs},
        "inputs": {_portable(Path(p)): _sha256(Path(p).read_bytes()) for p in experiment.inputs},
        "versions": [sys.version_info[:2]]
        + [
            _version(p)
            for p in ("numpy", "matplotlib", "pillow", "nbformat", "nbclient", "ipykernel")
        ],
    }


def experiment_key(
    experiment: Experiment, keys_of_needs: dict[str, str], package_dir: Path = PACKAGE_DIR
) -> str:
    parts = key_parts(experiment, keys_of_needs, package_dir)
    return _sha256(json.dumps(parts, sort_keys=True, default=str).encode())


def _hash_files(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): _sha256(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _cached(manifest_path: Path, folder: Path, key: str) -> dict | None:
    """The manifest if the cached outputs are complete and untouched, else None."""
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        complete = isinstance(manifest["seconds"], (int, float)) and manifest["key"] == key
        if complete and folder.is_dir() and _hash_files(folder) == manifest["files"]:
            return manifest
    except (OSError, ValueError, KeyError, TypeError):
        pass  # missing or corrupt manifest: run again
    return None


def _run_in_child(run: Callable[[Outputs], None], name: str, scratch: Path, inputs: dict):
    """In a fresh process: run one experiment into ``scratch``; return its time or its error."""
    started = time.perf_counter()
    try:
        run(Outputs(scratch, name, inputs))
    except Exception as error:  # sent back as text: not every exception can be pickled
        return None, f"{type(error).__name__}: {error}", traceback.format_exc()
    return time.perf_counter() - started, None, None


def _store(name: str, key: str, scratch: Path, seconds: float, generated_dir, cache_dir) -> None:
    """Swap the new outputs in whole (a crash never leaves half of them), then record them."""
    folder, old = generated_dir / name, cache_dir / f".old-{name}-{os.getpid()}"
    with _naming_the_file(f"experiment '{name}'"):
        manifest = {"key": key, "files": _hash_files(scratch), "seconds": seconds}
        if folder.exists():
            os.replace(folder, old)
        os.replace(scratch, folder)
        shutil.rmtree(old, ignore_errors=True)
        _write_atomically(cache_dir / f"{name}.json", json.dumps(manifest, indent=1))


@contextlib.contextmanager
def _naming_the_file(what: str):
    """Turn a failure to read or write a file into one ExperimentFailed that names it."""
    try:
        yield
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        raise ExperimentFailed(f"{what}: {error.strerror or error}{where}") from error


def _fresh_processes():
    """Where experiments run: processes that import toynn afresh, from disk.

    A fork server, started once, imports the libraries (never toynn) and forks a worker
    whenever one is needed, so a worker starts in milliseconds with numpy and matplotlib
    already loaded. Where there is no fork server (Windows), each worker is a new Python.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def die_with(build_pid: int) -> None:
    """End this process soon after the build with pid ``build_pid`` is gone.

    A build killed outright (kill -9, a closed terminal) cannot stop its workers; without
    this they would finish their experiment, then wait for work for ever.
    """

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(build_pid, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _run_in_children(waiting, keys, results, generated_dir, cache_dir, log) -> None:
    """Run the waiting experiments side by side, each once what it needs is done."""
    running = {}
    context = _fresh_processes()
    with ProcessPoolExecutor(
        max_workers=WORKERS, mp_context=context, initializer=die_with, initargs=(os.getpid(),)
    ) as pool:
        try:
            while waiting or running:
                for experiment in [e for e in waiting if set(e.needs) <= results.keys()]:
                    waiting.remove(experiment)
                    scratch = cache_dir / f".running-{experiment.name}-{os.getpid()}"
                    shutil.rmtree(scratch, ignore_errors=True)
                    with _naming_the_file(f"experiment '{experiment.name}'"):
                        scratch.mkdir(parents=True)
                    inputs = {need: generated_dir / need for need in experiment.needs}
                    job = pool.submit(
                        _run_in_child, experiment.run, experiment.name, scratch, inputs
                    )
                    running[job] = (experiment, scratch)
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for job in finished:
                    experiment, scratch = running[job]
                    seconds, error, details = job.result()
                    if error is not None:
                        log(details)
                        raise ExperimentFailed(f"experiment '{experiment.name}' failed: {error}")
                    del running[job]
                    _store(
                        experiment.name,
                        keys[experiment.name],
                        scratch,
                        seconds,
                        generated_dir,
                        cache_dir,
                    )
                    results[experiment.name] = Result(experiment.name, "ran", seconds)
                    log(f"{experiment.name}: ran in {seconds:.1f} s")
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            for _, scratch in running.values():  # a failure, or runs it cut short
                shutil.rmtree(scratch, ignore_errors=True)


def _remove_leftovers(cache_dir: Path) -> None:
    """Scratch folders and half-written files of a build that was killed before it could
    clean up. (The caller holds the folder's BuildLock, so no other build is using them.)"""
    for leftover in cache_dir.glob(".*"):
        if leftover.name.startswith((".running-", ".old-")) or leftover.suffix == ".tmp":
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


class BuildLock:
    """One build at a time in a build folder: a second one waits for the first to finish.

    Two builds at once would run every experiment twice and trip over each other's files
    (and over mkdocs' own site folder). The lock is the operating system's (``flock``), so
    it goes away with a build that is killed. Where there is no ``flock`` (Windows), there
    is no lock.
    """

    def __init__(self, folder: Path, log: Callable[[str], None] = print):
        self.path, self.log, self.file = folder / ".lock", log, None

    def acquire(self) -> None:
        try:
            import fcntl
        except ImportError:
            return
        with _naming_the_file("the build lock"):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = open(self.path, "a")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.log(f"waiting for another build in {self.path.parent} to finish")
            fcntl.flock(self.file, fcntl.LOCK_EX)

    def release(self) -> None:
        if self.file is not None:
            self.file.close()  # closing the file releases the lock
            self.file = None


def build(
    experiments: list[Experiment],
    generated_dir: Path,
    cache_dir: Path,
    log: Callable[[str], None] = print,
    package_dir: Path = PACKAGE_DIR,
) -> dict[str, Result]:
    """Bring every experiment's outputs up to date; return what happened to each.

    Each experiment runs once everything it ``needs`` is up to date, in a child process,
    side by side with others (see WORKERS). ``package_dir`` is where the toynn sources that
    the keys hash are read from.
    """
    with _naming_the_file("the build folder"):
        generated_dir.mkdir(parents=True, exist_ok=True)
        cache_dir.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(cache_dir)
    keys: dict[str, str] = {}
    results: dict[str, Result] = {}
    waiting = []
    for experiment in experiments:
        name = experiment.name
        missing = [need for need in experiment.needs if need not in keys]
        if missing:
            raise ExperimentFailed(f"experiment '{name}' needs {missing} to come first")
        keys[name] = experiment_key(experiment, keys, package_dir)
        manifest = _cached(cache_dir / f"{name}.json", generated_dir / name, keys[name])
        if manifest is None:
            waiting.append(experiment)
        else:
            results[name] = Result(name, "cached", manifest["seconds"])
            log(f"{name}: from the cache (it took {manifest['seconds']:.1f} s to run)")
    if waiting:  # start child processes only when there is work for them
        _run_in_children(waiting, keys, results, generated_dir, cache_dir, log)
    # Outputs of experiments that no longer exist would still be served: remove them.
    known = {e.name for e in experiments}
    for stale in generated_dir.iterdir():
        if stale.is_dir() and stale.name not in known:
            shutil.rmtree(stale)
    return {e.name: results[e.name] for e in experiments}
