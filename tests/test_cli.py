"""The toynn command: the post's output format, JSON, progress, and one-line errors."""

import io
import json
import os
import subprocess
import sys

import pytest

from toynn import cli
from toynn.published import published_sweep


def run_cli(capsys, *args):
    """Run ``toynn args`` in this process; return (exit code, stdout, stderr)."""
    try:
        code = cli.main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_sweep_prints_the_posts_format(capsys):
    code, out, err = run_cli(capsys, "sweep", "--alphas", "10", "--iterations", "20001")
    published = published_sweep(4)[10.0]
    assert code == 0 and err == ""
    assert out.splitlines() == [
        "",
        "Training With Alpha:10",
        f"Error after 0 iterations:{published[0]}",
        f"Error after 10000 iterations:{published[10000]}",
        f"Error after 20000 iterations:{published[20000]}",
    ]


def test_closer_look_json_holds_weights_and_counts_of_the_right_shapes(capsys):
    code, out, _ = run_cli(
        capsys, "closer-look", "--alphas", "0.1,10", "--hidden", "5", "--iterations", "300",
        "--every", "100", "--json",
    )  # fmt: skip
    assert code == 0
    result = json.loads(out)
    assert [run["alpha"] for run in result["runs"]] == [0.1, 10.0]
    for run in result["runs"]:
        assert run["checkpoints"] == [0, 100, 200] and len(run["errors"]) == 3
        for name, shape in (("synapse_0", (3, 5)), ("synapse_1", (5, 1))):
            for key in (name, f"{name}_direction_changes"):
                assert (len(run[key]), len(run[key][0])) == shape


def test_closer_look_text_shows_both_weight_matrices_and_counts(capsys):
    code, out, _ = run_cli(capsys, "closer-look", "--alphas", "1", "--iterations", "50")
    assert code == 0
    for label in ("synapse_0:", "synapse_1:", "synapse_0 update direction changes:"):
        assert label in out


def test_train_prints_checkpoints_and_predictions(capsys):
    code, out, _ = run_cli(capsys, "train", "--alpha", "10", "--iterations", "10001", "--json")
    (run,) = json.loads(out)["runs"]
    assert code == 0 and run["alpha"] == 10.0
    assert [round(p[0]) for p in run["predictions"]] == [0, 1, 1, 0]
    code, out, _ = run_cli(capsys, "train", "--iterations", "1")
    assert "Output after training:" in out


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["sweep", "--alphas", "0,1"], "--alphas"),
        (["sweep", "--alphas", "nan"], "--alphas"),
        (["sweep", "--alphas", "1,,2"], "--alphas"),
        (["closer-look", "--alphas", "ten"], "--alphas"),
        (["train", "--alpha", "-1"], "--alpha"),
        (["train", "--alpha", "inf"], "--alpha"),
        (["train", "--alpha", "nan"], "--alpha"),
        (["train", "--alpha", "0"], "--alpha"),
        (["train", "--hidden", "2.5"], "--hidden"),
        (["train", "--hidden", "0"], "--hidden"),
        (["sweep", "--iterations", "-1"], "--iterations"),
        (["sweep", "--every", "0"], "--every"),
        (["sweep", "--seed", "-1"], "--seed"),
        (["sweep", "--seed", str(2**32)], "--seed"),
        (["sweep", "--hidden", "100000000"], "--hidden"),
        (["train", "--hidden", "1000", "--iterations", "100000000"], "--iterations"),
        (["fly"], "invalid choice: 'fly'"),
        ([], "choose a command"),
        (["sweep", "--alpha", "1"], "unrecognized arguments: --alpha"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_naming_the_argument(capsys, args, named):
    code, out, err = run_cli(capsys, *args)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and named in err


def test_a_bad_argument_prints_no_traceback_as_a_whole_process():
    result = subprocess.run(
        [sys.executable, "-m", "toynn", "train", "--alpha", "nan"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith("toynn train: error: argument --alpha")
    assert "Traceback" not in result.stderr


def test_every_command_has_help(capsys):
    for command in ([], ["sweep"], ["closer-look"], ["train"]):
        code, out, _ = run_cli(capsys, *command, "--help")
        assert code == 0 and "usage: toynn" in out


def test_huge_alphas_print_no_warnings():
    result = subprocess.run(
        [sys.executable, "-W", "error", "-m", "toynn", "sweep", "--alphas", "100,1000",
         "--hidden", "32", "--iterations", "20001"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.count("iterations:0.5\n") == 4  # both alphas stuck at 0.5


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_goes_to_a_terminal_only_after_two_seconds(monkeypatch):
    clock = iter([0.0, 1.0, 3.0])
    monkeypatch.setattr(cli.time, "monotonic", lambda: next(clock))
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    report = cli._progress_printer(60_000)
    report(1000)  # one second in: quiet
    assert terminal.getvalue() == ""
    report(2000)  # three seconds in: progress
    assert "2,000 of 60,000 iterations" in terminal.getvalue()


def test_progress_stays_quiet_when_stderr_is_not_a_terminal(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert cli._progress_printer(60_000) is None


@pytest.mark.parametrize(
    ("args", "refused", "limit"),
    [
        (["train", "--hidden", "1", "--iterations", "500000000", "--every", "1"],
         "--iterations 500000000 is too many", "at most 1,000,000"),
        (["sweep", "--hidden", "1", "--iterations", "71428571"],
         "--iterations 71428571 is too many", "at most 1,000,000"),
        (["train", "--hidden", "1000", "--iterations", "1000000"],
         "--iterations 1000000 is too many for --hidden 1000 and 1 run(s)", "multiply-adds"),
        (["sweep", "--alphas", "0.1,1", "--iterations", "1000000", "--every", "1"],
         "--every 1 records too many errors: 2 run(s) x 1,000,000 checkpoints", "at most 1,0"),
    ],
)  # fmt: skip
def test_work_too_long_for_this_machine_is_refused_saying_how_to_go_past_it(
    capsys, args, refused, limit
):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith(f"toynn {args[0]}: error: {refused}")
    assert limit in err and "set the environment variable TOYNN_NO_LIMITS=1" in err


HUGE = "x" * 100_000


@pytest.mark.parametrize(
    "args",
    [
        ["train", "--alpha", HUGE],
        ["sweep", "--alphas", HUGE],
        ["sweep", "--iterations", "9" * 100_000],
        ["check", HUGE + ".py"],
        [HUGE],
    ],
)
def test_a_100_kB_argument_is_not_echoed_whole(capsys, args):
    code, out, err = run_cli(capsys, *args)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert len(err) < 400


def test_an_empty_file_name_is_called_empty(capsys):
    code, _, err = run_cli(capsys, "check", "")
    assert code == 2 and "the file name is empty" in err and "folder" not in err


def test_check_takes_a_time_limit(capsys):
    code, _, err = run_cli(capsys, "check", __file__, "--time-limit", "0")
    assert code == 2 and "argument --time-limit: must be a positive, finite number" in err
    code, out, _ = run_cli(capsys, "check", "--help")
    assert "may run (default: 20)" in " ".join(out.split())


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_ends_with_one_line_not_a_traceback():
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "toynn", "sweep", "--iterations", "100"],
            stdout=full, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr == "toynn: error: cannot write the output: No space left on device\n"
