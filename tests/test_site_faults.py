"""The build step under faults: killed, run twice at once, short of disk or permission."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ROOT
from toynn.site import cache
from toynn.site.cache import BuildLock, Experiment, ExperimentFailed


def write_one(out):
    out.text("value.txt", "1\n")


def remove_the_build_folder(out):
    import shutil

    shutil.rmtree(out.folder.parent.parent)  # build/ itself, with cache/ and generated/ in it
    out.text("value.txt", "1\n")


def _processes_marked(mark: str) -> list[int]:
    """The processes whose environment holds ``mark``: a build and everything it started."""
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if mark.encode() in environ.read_bytes():
                found.append(int(environ.parent.name))
        except OSError:
            pass  # gone meanwhile, or not ours
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="looks for processes in /proc (Linux)")
def test_a_killed_build_leaves_no_process_and_the_next_build_equals_a_clean_one(tmp_path):
    (tmp_path / "slow.py").write_text(
        textwrap.dedent(
            """
            import time

            def slow(out):
                out.text("half.txt", "written before the kill")
                time.sleep(60)

            def quick(out):
                out.text("done.txt", "done")
            """
        )
    )
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from toynn.site.cache import Experiment, build
        import slow
        run = getattr(slow, sys.argv[1])
        folder = Path(sys.argv[2])
        experiments = [Experiment("one", run, ("data",)), Experiment("two", slow.quick, ("data",))]
        if __name__ == "__main__":
            build(experiments, folder / "generated", folder / "cache", log=lambda m: None)
        """
    )
    (tmp_path / "build_it.py").write_text(script)
    mark = f"TOYNN_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, "PYTHONPATH": str(tmp_path), mark.split("=")[0]: mark.split("=")[1]}
    command = [sys.executable, str(tmp_path / "build_it.py")]
    interrupted = tmp_path / "interrupted"
    build = subprocess.Popen([*command, "slow", str(interrupted)], env=env, cwd=tmp_path)
    deadline = time.monotonic() + 30
    while not list((interrupted / "cache").glob(".running-one-*/half.txt")):
        assert time.monotonic() < deadline and build.poll() is None, "the slow experiment never ran"
        time.sleep(0.1)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + 5
    while _processes_marked(mark):  # the workers notice within half a second
        assert time.monotonic() < deadline, f"still running: {_processes_marked(mark)}"
        time.sleep(0.2)

    for folder in (interrupted, tmp_path / "clean"):  # again after the kill, and from scratch
        subprocess.run([*command, "quick", str(folder)], env=env, cwd=tmp_path, check=True)
    assert list((interrupted / "cache").glob(".*")) == []  # no scratch folders, no .tmp files
    for part in ("generated", "cache"):
        after_kill, clean = interrupted / part, tmp_path / "clean" / part
        files = sorted(p.relative_to(clean) for p in clean.rglob("*") if p.is_file())
        assert files == sorted(
            p.relative_to(after_kill) for p in after_kill.rglob("*") if p.is_file()
        )
        if part == "generated":
            assert all((clean / f).read_bytes() == (after_kill / f).read_bytes() for f in files)


def test_a_second_build_of_the_same_folder_waits_for_the_first(tmp_path):
    waiter = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from toynn.site.cache import BuildLock
        lock = BuildLock(Path(sys.argv[1]), log=lambda m: print(m, flush=True))
        lock.acquire()
        print("got it", flush=True)
        """
    )
    lock = BuildLock(tmp_path)
    lock.acquire()
    command = [sys.executable, "-c", waiter, str(tmp_path)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as second:
        assert second.stdout.readline() == f"waiting for another build in {tmp_path} to finish\n"
        time.sleep(0.3)
        assert second.poll() is None  # still waiting
        lock.release()
        assert second.stdout.readline() == "got it\n"
        assert second.wait(timeout=10) == 0


@pytest.fixture
def folders(tmp_path):
    return tmp_path / "build" / "generated", tmp_path / "build" / "cache"


def test_a_manifest_that_cannot_be_written_is_named_and_leaves_no_temporary_file(
    folders, monkeypatch
):
    generated, cache_dir = folders
    real_replace = os.replace

    def read_only_manifest(source, target):
        if str(target).endswith("one.json"):
            raise PermissionError(13, "Permission denied", str(target))
        real_replace(source, target)

    monkeypatch.setattr(cache.os, "replace", read_only_manifest)
    with pytest.raises(ExperimentFailed, match=r"experiment 'one': Permission denied: .*one\.json"):
        cache.build([Experiment("one", write_one, ("data",))], generated, cache_dir, log=print)
    assert not list(cache_dir.glob("*.tmp")) and not list(cache_dir.glob(".*.tmp"))
    monkeypatch.undo()  # the disk is fixed: the cache is usable again
    ran = cache.build([Experiment("one", write_one, ("data",))], generated, cache_dir, log=print)
    assert ran["one"].status == "ran"


def test_a_build_folder_that_cannot_be_created_is_named(folders, monkeypatch):
    generated, cache_dir = folders

    def read_only(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only)
    with pytest.raises(ExperimentFailed, match=r"the build folder: Permission denied: .*generated"):
        cache.build([Experiment("one", write_one, ("data",))], generated, cache_dir, log=print)


def test_a_build_folder_deleted_during_the_build_is_named_then_rebuilt(folders):
    generated, cache_dir = folders
    experiment = Experiment("one", remove_the_build_folder, ("data",))
    with pytest.raises(ExperimentFailed, match=r"experiment 'one': No such file or directory"):
        cache.build([experiment], generated, cache_dir, log=print)
    ran = cache.build([Experiment("one", write_one, ("data",))], generated, cache_dir, log=print)
    assert ran["one"].status == "ran" and (generated / "one" / "value.txt").is_file()


def test_a_manifest_without_a_run_time_is_recomputed(folders):
    generated, cache_dir = folders
    chosen = [Experiment("one", write_one, ("data",))]
    cache.build(chosen, generated, cache_dir, log=print)
    manifest = json.loads((cache_dir / "one.json").read_text())
    (cache_dir / "one.json").write_text(json.dumps({**manifest, "seconds": None}))
    assert cache.build(chosen, generated, cache_dir, log=print)["one"].status == "ran"


def test_every_data_file_in_the_package_is_part_of_some_key():
    data = {
        path.relative_to(ROOT / "toynn").as_posix()
        for path in (ROOT / "toynn").rglob("*")
        if path.is_file() and path.suffix not in {".py", ".pyc"} and "site" not in path.parts
    }
    claimed = {name for names in cache.DATA_FILES.values() for name in names}
    assert data <= claimed, f"add them to toynn.site.cache.DATA_FILES: {data - claimed}"
