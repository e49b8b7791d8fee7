"""toynn check: a correct rebuild passes, and each usual mistake is caught by name."""

import inspect
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT
from toynn import cli, exercise, train, xor_data

TEMPLATE = ROOT / "docs" / "exercise" / "network_from_memory.py"

SOLUTION = """\
import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def sigmoid_output_to_derivative(output):
    return output * (1 - output)


def forward(X, synapse_0, synapse_1):
    layer_1 = sigmoid(np.dot(X, synapse_0))
    layer_2 = sigmoid(np.dot(layer_1, synapse_1))
    return layer_1, layer_2


def deltas(y, layer_1, layer_2, synapse_1):
    layer_2_delta = (layer_2 - y) * sigmoid_output_to_derivative(layer_2)
    layer_1_delta = layer_2_delta.dot(synapse_1.T) * sigmoid_output_to_derivative(layer_1)
    return layer_1_delta, layer_2_delta


def update(X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha):
    synapse_1 -= alpha * layer_1.T.dot(layer_2_delta)
    synapse_0 -= alpha * X.T.dot(layer_1_delta)
    return synapse_0, synapse_1


def train(X, y, alpha, hidden_size, iterations, seed):
    np.random.seed(seed)
    synapse_0 = 2 * np.random.random((X.shape[1], hidden_size)) - 1
    synapse_1 = 2 * np.random.random((hidden_size, 1)) - 1
    errors = []
    for _ in range(iterations):
        layer_1, layer_2 = forward(X, synapse_0, synapse_1)
        errors.append(np.mean(np.abs(layer_2 - y)))
        layer_1_delta, layer_2_delta = deltas(y, layer_1, layer_2, synapse_1)
        synapse_0, synapse_1 = update(
            X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha
        )
    return synapse_0, synapse_1, errors
"""


def changed(*replacements: tuple[str, str], source: str = SOLUTION) -> str:
    """The solution (or ``source``) with some code replaced: each piece must be there to
    replace."""
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new)
    return source


def grade(tmp_path, source: str) -> list[exercise.Check]:
    path = tmp_path / "mine.py"
    path.write_text(source, encoding="utf-8")
    return exercise.check_file(path)


def grade_here(tmp_path, source: str) -> list[exercise.Check]:
    """The same checks, minus the import, with the functions run in this process: a child
    process costs 0.15 s, and the test below shows that both ways grade alike."""
    path = tmp_path / "mine.py"
    path.write_text(source, encoding="utf-8")
    namespace = {"__name__": "mine"}
    exec(compile(source, str(path), "exec"), namespace)
    return exercise.check_module(namespace)


def test_a_correct_solution_passes_every_check(tmp_path):
    checks = grade(tmp_path, SOLUTION)
    assert [check.passed for check in checks] == [True] * 8
    assert [str(check)[:8] for check in checks[:3]] == ["✓ mine.p", "✓ six fu", "✓ sigmoi"]
    assert "toynn.train's" in str(checks[-1])


def test_the_same_maths_written_differently_passes(tmp_path):
    # @ instead of np.dot, an exp of the positive side, the other sign convention of the
    # post's opening (error = y - output, weights += ...), and a loop of its own in train.
    source = changed(
        ("1 / (1 + np.exp(-x))", "np.exp(x) / (np.exp(x) + 1)"),
        ("(layer_2 - y) * sig", "(y - layer_2) * sig"),
        ("synapse_1 -= alpha * layer_1.T.dot", "synapse_1 = synapse_1 + alpha * layer_1.T @"),
        ("synapse_0 -= alpha * X.T.dot", "synapse_0 = synapse_0 + alpha * X.T @"),
        ("        synapse_0, synapse_1 = update(\n", "        synapse_0, synapse_1 = update_(\n"),
    )
    source += (
        "\n\ndef update_(X, l1, d1, d2, s0, s1, alpha):\n"
        "    return s0 - alpha * (X.T @ d1), s1 - alpha * np.einsum('ri,ro->io', l1, d2)\n"
    )
    source = source.replace("deltas(y, layer_1, layer_2, synapse_1)\n        synapse_0", (
        "deltas(y, layer_1, layer_2, synapse_1)\n"
        "        layer_1_delta, layer_2_delta = -layer_1_delta, -layer_2_delta\n"
        "        synapse_0"
    ))  # fmt: skip
    checks = grade(tmp_path, source)
    assert all(check.passed for check in checks), checks[-1]
    deltas = next(check for check in checks if check.name == "deltas")
    assert "the other sign" in deltas.message


@pytest.mark.parametrize(
    ("mistake", "step", "says"),
    [
        (  # wrong sign of the update
            [("synapse_1 -= alpha", "synapse_1 += alpha")],
            "update",
            ["synapse_1: wrong sign", "moves uphill"],
        ),
        (
            [("synapse_1 -= alpha", "synapse_1 += alpha"), ("synapse_0 -=", "synapse_0 +=")],
            "update",
            ["synapse_0 and synapse_1: wrong sign"],
        ),
        (  # missing derivative in a delta
            [("(layer_2 - y) * sigmoid_output_to_derivative(layer_2)", "(layer_2 - y)")],
            "deltas",
            ["layer_2_delta: missing derivative", "slope of the sigmoid at layer_2"],
        ),
        (
            [(".dot(synapse_1.T) * sigmoid_output_to_derivative(layer_1)", ".dot(synapse_1.T)")],
            "deltas",
            ["layer_1_delta: missing derivative", "at layer_1"],
        ),
        (  # alpha applied to one layer only
            [("synapse_0 -= alpha * X.T", "synapse_0 -= X.T")],
            "update",
            ["synapse_0: alpha is applied to one layer only"],
        ),
        (
            [("synapse_0 -= alpha * X.T", "synapse_0 -= X.T"), ("1 -= alpha *", "1 -=")],
            "update",
            ["alpha is missing"],
        ),
        (  # transposed weights: a slope the wrong way round
            [("X.T.dot(layer_1_delta)", "layer_1_delta.T.dot(X)")],
            "update",
            ["Expected shape (3, 5), got (5, 3)", "wrong way round", "synapse_0 (3, 5)"],
        ),
        (  # transposed weights: a layer the wrong way round
            [("return layer_1, layer_2", "return layer_1.T, layer_2")],
            "forward",
            ["expected layer_1 of shape (4, 5), got (5, 4)", "wrong way round"],
        ),
        (
            [("np.dot(X, synapse_0)", "np.dot(X, synapse_0.T)")],
            "forward",
            ["ValueError", "line 13, in forward", "The shapes do not fit", "X (4, 3)"],
        ),
        (  # a missing function
            [("def forward(", "def forward_pass(")],
            "six functions",
            ["Missing:\n    forward(X, synapse_0, synapse_1)\nKeep the template's names"],
        ),
        (  # an exception inside their function
            [("return output * (1 - output)", "return output * (1 - outptu)")],
            "sigmoid_output_to_derivative",
            ["NameError", "outptu", "line 9, in sigmoid_output_to_derivative"],
        ),
        (  # and the other typical slips
            [("np.exp(-x)", "np.exp(x)")],
            "sigmoid",
            ["1 / (1 + e^x)", "minus sign"],
        ),
        (
            [
                ("import numpy as np\n", "import math\n\nimport numpy as np\n"),
                ("np.exp(-x)", "math.exp(-x)"),
            ],  # fmt: skip
            "sigmoid",
            ["TypeError", "Use np.exp"],
        ),
        (
            [("return output * (1 - output)", "return sigmoid(output) * (1 - sigmoid(output))")],
            "sigmoid_output_to_derivative",
            ["applied twice"],
        ),
        (
            [("layer_1 = sigmoid(np.dot(X, synapse_0))", "layer_1 = np.dot(X, synapse_0)")],
            "forward",
            ["layer_1: the sigmoid is missing"],
        ),
        (
            [("return layer_1, layer_2", "return layer_2, layer_1")],
            "forward",
            ["wrong order"],
        ),
        (
            [("return synapse_0, synapse_1\n", "\n")],
            "update",
            ["returned None", "return synapse_0, synapse_1"],
        ),
        (
            [("def update(X, layer_1,", "def update(layer_1,")],
            "update",
            ["TypeError", "Keep the template's parameters"],
        ),
        (
            [("np.random.seed(seed)", "np.random.seed(seed + 1)")],
            "train, 1,000 iterations",
            ["starting weights differ", "np.random.seed(seed)"],
        ),
        (
            [("alpha\n        )\n", "-alpha\n        )\n")],
            "train, 1,000 iterations",
            ["wrong sign: the error grew", "climbs uphill"],
        ),
        (
            [
                ("        errors.append(np.mean(np.abs(layer_2 - y)))\n", ""),
                (
                    "    return synapse_0, synapse_1, errors",
                    "        layer_2 = forward(X, synapse_0, synapse_1)[1]\n"
                    "        errors.append(np.mean(np.abs(layer_2 - y)))\n"
                    "    return synapse_0, synapse_1, errors",
                ),
            ],  # fmt: skip
            "train, 1,000 iterations",
            ["after the first update"],
        ),
        (
            [("errors.append(np.mean(np.abs(layer_2 - y)))", "errors.append(np.abs(layer_2 - y))")],
            "train, 1,000 iterations",
            ["expected errors of shape (1000,), got (1000, 4, 1)"],
        ),
        (
            [
                (
                    "for _ in range(iterations):",
                    "for _ in range(iterations):\n        alpha *= 0.999",
                )
            ],
            "train, 1,000 iterations",
            ["agree with toynn's until iteration", "your own forward, deltas and update"],
        ),
    ],
)
def test_each_usual_mistake_is_caught_and_named(tmp_path, mistake, step, says):
    checks = grade_here(tmp_path, changed(*mistake))
    *passed, failed = checks
    assert all(check.passed for check in passed)
    assert not failed.passed and failed.name == step, failed
    for words in says:
        assert words in failed.message, failed


@pytest.mark.parametrize(
    "mistake",
    [  # an exception and its hints, a None, and results too large to come back whole
        ("np.dot(X, synapse_0)", "np.dot(X, synapse_0.T)"),
        ("return synapse_0, synapse_1\n", "\n"),
        ("errors.append(np.mean(np.abs(layer_2 - y)))", "errors.append(np.ones(20))"),
    ],
)
def test_the_child_process_grades_a_file_as_check_module_grades_its_functions(tmp_path, mistake):
    source = changed(mistake)
    imports, *checks = grade(tmp_path, source)
    assert imports == exercise.Check("mine.py imports", True)
    assert checks == grade_here(tmp_path, source) and not checks[-1].passed


def test_a_syntax_error_is_reported_with_its_line(tmp_path):
    checks = grade(tmp_path, changed(("return layer_1, layer_2", "return layer_1 layer_2")))
    (check,) = checks
    assert not check.passed and check.name == "mine.py imports"
    assert "line 15" in check.message and "return layer_1 layer_2" in check.message


def test_an_exception_on_import_is_reported_with_advice(tmp_path):
    checks = grade(tmp_path, SOLUTION + "\nprint(1 / 0)\n")
    (check,) = checks
    assert not check.passed and "ZeroDivisionError" in check.message
    assert "line 44, in <module>: print(1 / 0)" in check.message
    assert 'if __name__ == "__main__":' in check.message


def test_the_blank_template_is_reported_kindly():
    checks = exercise.check_file(TEMPLATE)
    assert [check.passed for check in checks] == [True, True, False]
    assert checks[-1].name == "sigmoid"
    assert "sigmoid is not written yet" in checks[-1].message


def test_the_template_asks_for_what_the_checker_calls():
    source = TEMPLATE.read_text(encoding="utf-8")
    namespace: dict = {}
    exec(compile(source, str(TEMPLATE), "exec"), namespace)
    for name, params in exercise.FUNCTIONS.items():
        function = namespace[name]
        assert str(inspect.signature(function)) == f"({params})"
        with pytest.raises(NotImplementedError, match="your code here"):
            function(*params.split(", "))  # every body is blank
    assert "toynn check network_from_memory.py" in source


def test_the_checkers_own_answers_are_toynns_training_step():
    X, y = xor_data()
    run = train(X, y, alpha=exercise.ALPHA, hidden_size=5, iterations=1, seed=2)
    for synapse, start, slope in zip(
        (run.synapse_0, run.synapse_1), (exercise.SYNAPSE_0, exercise.SYNAPSE_1),
        exercise.SLOPES, strict=True,
    ):  # fmt: skip
        assert np.array_equal(synapse, start - exercise.ALPHA * slope)


def test_a_dict_of_functions_can_be_checked_too():
    import toynn

    (check,) = exercise.check_module(vars(toynn))  # toynn has no forward, deltas, update
    assert not check.passed and check.name == "six functions"
    assert "    forward(X, synapse_0, synapse_1)\n    deltas(" in check.message


def run_cli(capsys, *args):
    try:
        code = cli.main(["check", *map(str, args)])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_exits_0_when_all_pass_and_1_at_a_failure(capsys, tmp_path):
    (tmp_path / "good.py").write_text(SOLUTION, encoding="utf-8")
    code, out, err = run_cli(capsys, tmp_path / "good.py")
    assert code == 0 and err == ""
    assert out.count("✓") == 8 and "✗" not in out
    (tmp_path / "bad.py").write_text(changed(("-= alpha", "+= alpha")), encoding="utf-8")
    code, out, _ = run_cli(capsys, tmp_path / "bad.py")
    assert code == 1
    assert out.count("✓") == 6 and out.count("✗ update") == 1
    assert "wrong sign" in out and "docs/exercise/network_from_memory.py" in out


def test_the_command_on_the_blank_template_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "toynn", "check", str(TEMPLATE)], capture_output=True, text=True
    )
    assert result.returncode == 1 and result.stderr == ""
    assert "sigmoid is not written yet" in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda tmp: tmp / "missing.py", "no such file"),
        (lambda tmp: tmp, "is a folder"),
        (lambda tmp: (tmp / "notes.txt").write_text("x") and tmp / "notes.txt", "a .py file"),
    ],
)
def test_bad_arguments_exit_2_with_one_line_naming_the_file(capsys, tmp_path, make, says):
    code, out, err = run_cli(capsys, make(tmp_path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "argument FILE" in err and says in err


def test_the_file_argument_is_required_and_help_works(capsys):
    code, out, err = run_cli(capsys)
    assert code == 2 and err.count("\n") == 1 and "FILE" in err
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "usage: toynn check" in out and "template" in out


def test_the_pages_output_of_the_blank_template_is_what_the_command_prints(capsys, monkeypatch):
    page = (ROOT / "docs" / "part-6-conclusion.md").read_text(encoding="utf-8")
    shown = page.split("<!-- output of the command on the blank template;")[1]
    shown = shown.split("```text\n", 1)[1].split("```", 1)[0]
    command, printed = shown.split("\n", 1)
    assert command == "$ toynn check network_from_memory.py"
    monkeypatch.chdir(TEMPLATE.parent)
    code, out, _ = run_cli(capsys, TEMPLATE.name)
    assert code == 1 and out == printed


def test_a_file_that_is_not_utf8_gets_a_plain_answer(tmp_path):
    from toynn.exercise import check_file

    path = tmp_path / "latin1.py"
    path.write_bytes("# caf\xe9\n".encode("latin-1"))
    (check,) = check_file(path)
    assert not check.passed and "Cannot read it as UTF-8 text" in check.message
