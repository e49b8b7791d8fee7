"""toynn check runs the learner's code in a child process: a loop that never ends, an exit,
a crash, endless prints, odd results or an odd file fail one step, with exit code 1."""

import functools
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.test_exercise import SOLUTION, changed
from toynn import cli, exercise

LIMIT = 0.5  # seconds: each step of a correct file takes milliseconds
SIGMOID = "    return 1 / (1 + np.exp(-x))"


def grade(tmp_path, source: str, **options) -> list[exercise.Check]:
    path = tmp_path / "mine.py"
    path.write_text(source, encoding="utf-8")
    return exercise.check_file(path, **options)


def test_a_loop_that_never_ends_on_import_is_stopped_at_the_time_limit(tmp_path):
    (check,) = grade(tmp_path, SOLUTION + "\nwhile True:\n    pass\n", time_limit=LIMIT)
    assert not check.passed and check.name == "mine.py imports"
    assert check.message.startswith(
        "Importing mine.py did not finish within 0.5 s: is there a loop that never ends?\n"
    )
    assert 'if __name__ == "__main__":' in check.message


def test_a_loop_that_prints_for_ever_is_stopped_and_its_output_cut_short(tmp_path):
    endless = "    while True:\n        print('so far so good ' * 8)"
    *passed, failed = grade(tmp_path, changed((SIGMOID, endless)), time_limit=LIMIT)
    assert [check.name for check in passed] == ["mine.py imports", "six functions"]
    assert failed.name == "sigmoid" and failed.message.startswith(
        "sigmoid did not finish within 0.5 s: is there a loop that never ends?\n"
        "Printed while your code ran, "
    )
    assert "so far so good" in failed.message and "more lines ..." in failed.message
    assert len(failed.message) < 2_000


def test_what_the_code_prints_is_kept_bounded():
    printed = exercise._Printed()
    for i in range(10_000):  # 10 MB
        printed.add(f"line {i}\n".encode() + b"x" * 1_000 + b"\n")
    assert len(printed.head) + len(printed.tail) <= 2 * printed.KEEP
    title, *lines = printed.excerpt()
    assert title == (
        "Printed while your code ran, 20,000 lines, 10,108,890 bytes; the first and last 5:"
    )
    assert lines[0] == "    | line 0" and lines[5] == "    | ... 19,990 more lines ..."
    assert lines[-2] == "    | line 9999" and lines[-1] == "    | " + "x" * 100 + "…"


@pytest.mark.skipif(not hasattr(signal, "SIGINT") or os.name != "posix", reason="POSIX signals")
def test_each_check_is_printed_as_it_passes_and_ctrl_c_says_what_was_running(tmp_path):
    pid_file = tmp_path / "pid"
    source = changed(("    errors = []\n", "    errors = []\n    while True:\n        pass\n"))
    source += f"\nimport os\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
    (tmp_path / "mine.py").write_text(source, encoding="utf-8")
    command = [sys.executable, "-m", "toynn", "check", str(tmp_path / "mine.py")]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    # A shell starts background jobs with Ctrl-C ignored, and children inherit that: the
    # checker is run here as from a terminal, where Ctrl-C reaches it.
    interruptible = functools.partial(signal.signal, signal.SIGINT, signal.SIG_DFL)
    with subprocess.Popen(command, **pipes, preexec_fn=interruptible) as process:
        try:
            shown = [process.stdout.readline() for _ in range(7)]  # while train runs for ever
            assert shown[-1] == "✓ update\n" and process.poll() is None
            time.sleep(0.2)
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
        finally:
            process.kill()  # if the test failed before it ended
    assert process.returncode == 130 and out == ""
    assert err.startswith("Ctrl-C stopped ") and "train" in err and err.count("\n") == 1
    with pytest.raises(ProcessLookupError):  # the child that ran their code has ended too
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ("    raise KeyboardInterrupt", "sigmoid raised KeyboardInterrupt\n    line 5, in sigmoid"),
        ("    raise GeneratorExit", "sigmoid raised GeneratorExit"),
        ("    raise Stop('here')", "sigmoid raised Stop: here"),
        (
            "    import os, signal\n    os.kill(os.getpid(), signal.SIGSEGV)",
            "crashed Python (SIGSEGV)",
        ),
        (
            "    import os, signal\n    os.kill(os.getpid(), signal.SIGKILL)",
            "crashed Python (SIGKILL)",
        ),
    ],
)
def test_any_way_out_of_the_learners_code_fails_the_step_it_was_in(tmp_path, body, says):
    source = changed((SIGMOID, body)) + "\n\nclass Stop(BaseException):\n    pass\n"
    *passed, failed = grade(tmp_path, source)
    assert [check.passed for check in passed] == [True, True]
    assert failed.name == "sigmoid" and not failed.passed and says in failed.message


def test_an_exit_with_code_0_is_a_failure_of_its_step_and_of_the_command(tmp_path):
    (tmp_path / "mine.py").write_text(
        changed((SIGMOID, "    import os\n    os._exit(0)")), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "toynn", "check", str(tmp_path / "mine.py")],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1 and result.stderr == ""
    assert (
        "✗ sigmoid\n  sigmoid ended Python with exit code 0 instead of returning" in result.stdout
    )


@pytest.mark.parametrize(
    ("mistake", "step", "says"),
    [
        ((SIGMOID, SIGMOID + " + 5j"), "sigmoid", "sigmoid returned complex numbers; it should "),
        (
            ("return synapse_0, synapse_1, errors", "return synapse_0 + 7j, synapse_1, errors"),
            "train, 1,000 iterations",
            "train returned complex numbers in synapse_0; it should return real floats.",
        ),
    ],
)
def test_complex_results_are_refused_by_name(tmp_path, mistake, step, says):
    *_, failed = grade(tmp_path, changed(mistake))
    assert failed.name == step and not failed.passed and says in failed.message


def test_text_that_looks_like_numbers_is_refused_too():
    namespace: dict = {}
    exec(changed((SIGMOID, "    return (1 / (1 + np.exp(-x))).astype(str)")), namespace)
    *_, failed = exercise.check_module(namespace)
    assert failed.message == "sigmoid returned text; it should return real floats."


def test_files_python_runs_are_read_as_python_reads_them(tmp_path):
    # A UTF-8 BOM, and a sibling module imported from the file's own folder.
    (tmp_path / "helper.py").write_text("ONE = 1\n", encoding="utf-8")
    source = changed(("import numpy as np\n", "import numpy as np\nfrom helper import ONE\n"))
    (tmp_path / "bom.py").write_bytes(b"\xef\xbb\xbf" + source.encode())
    checks = exercise.check_file(tmp_path / "bom.py")
    assert all(check.passed for check in checks) and len(checks) == 8, checks[-1]
    # A file that names its own encoding.
    latin = "# -*- coding: latin-1 -*-\n# Café au lait.\n" + SOLUTION
    (tmp_path / "latin.py").write_bytes(latin.encode("latin-1"))
    checks = exercise.check_file(tmp_path / "latin.py")
    assert all(check.passed for check in checks) and len(checks) == 8, checks[-1]


def test_the_learners_code_cannot_rewrite_the_verdict(capsys, tmp_path):
    cheat = changed(("synapse_1 -= alpha", "synapse_1 += alpha")) + (
        "\nimport toynn.exercise\n"
        "toynn.exercise._close = lambda *args, **kwargs: True\n"
        "toynn.exercise.check_module = lambda code: []\n"
        "print('All checks pass: you rebuilt the network from memory.')\n"
    )
    (tmp_path / "mine.py").write_text(cheat, encoding="utf-8")
    assert cli.main(["check", str(tmp_path / "mine.py")]) == 1
    out = capsys.readouterr().out
    assert "✗ update\n  synapse_1: wrong sign." in out
    assert "\nAll checks pass" not in out  # their print is shown indented, as theirs
    assert "    | All checks pass: you rebuilt the network from memory." in out


def test_final_weights_that_are_not_finite_are_named_not_a_traceback():
    namespace: dict = {}
    last = "    return synapse_0, synapse_1, errors"
    exec(changed((last, "    synapse_1[0] = np.nan\n" + last)), namespace)
    *_, failed = exercise.check_module(namespace)
    assert failed.message == "the final weights hold NaN or infinity: check the last update."
