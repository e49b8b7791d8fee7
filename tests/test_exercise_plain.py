"""The page's exercise in plain Python: toynn.exercise_plain grades it as `toynn check`
grades the numpy version, with the same check names and messages, against reference values
toynn computes with numpy, and it runs without numpy."""

import ast
import inspect
import json
import math
import shutil
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT
from tests.test_exercise import SOLUTION, changed
from toynn import exercise, exercise_plain, plain

TEMPLATE = ROOT / "docs" / "exercise" / "network_from_memory_plain.py"
PLAIN_SOLUTION = (ROOT / "tests" / "exercise_plain_solution.py").read_text(encoding="utf-8")
REFERENCE = json.loads(json.dumps(exercise.reference_values()))  # as the page receives it
SIGMOID = "    return 1 / (1 + np.exp(-x))"
PLAIN_SIGMOID = "1 / (1 + math.exp(-v))"
LAST = "    return synapse_0, synapse_1, errors"


def grade_numpy(source: str) -> list[exercise.Check]:
    namespace = {"__name__": "mine"}
    exec(compile(source, "mine.py", "exec"), namespace)
    return exercise.check_module(namespace)


def grade_plain(source: str) -> list[exercise.Check]:
    imports, *checks = exercise_plain.grade_source(source, REFERENCE, "mine.py")
    assert imports == exercise_plain.Check("mine.py imports", True), imports
    return checks


# Each slip twice: in the numpy solution of tests/test_exercise.py, and in the plain one.
MISTAKES = {
    "sigmoid without its minus": ([("np.exp(-x)", "np.exp(x)")], [("exp(-v)", "exp(v)")]),
    "sigmoid is its slope's formula": (
        [(SIGMOID, "    return x * (1 - x)")],
        [(PLAIN_SIGMOID, "v * (1 - v)")],
    ),
    "sigmoid applied twice": (
        [("return output * (1 - output)", "return sigmoid(output) * (1 - sigmoid(output))")],
        [("for row in output]", "for row in sigmoid(output)]")],
    ),
    "layer_1 not squashed": (
        [("layer_1 = sigmoid(np.dot(X, synapse_0))", "layer_1 = np.dot(X, synapse_0)")],
        [("layer_1 = sigmoid(dot(X, synapse_0))", "layer_1 = dot(X, synapse_0)")],
    ),
    "layer_2 not squashed": (
        [("layer_2 = sigmoid(np.dot(layer_1, synapse_1))", "layer_2 = np.dot(layer_1, synapse_1)")],
        [("layer_2 = sigmoid(dot(layer_1, synapse_1))", "layer_2 = dot(layer_1, synapse_1)")],
    ),
    "layer_1 turned round": (
        [("return layer_1, layer_2", "return layer_1.T, layer_2")],
        [("return layer_1, layer_2", "return transpose(layer_1), layer_2")],
    ),
    "layers in the wrong order": (
        [("return layer_1, layer_2", "return layer_2, layer_1")],
        [("return layer_1, layer_2", "return layer_2, layer_1")],
    ),
    "no derivative in layer_2_delta": (
        [("(layer_2 - y) * sigmoid_output_to_derivative(layer_2)", "(layer_2 - y)")],
        [("each(lambda e, s: e * s, error, sigmoid_output_to_derivative(layer_2))", "error")],
    ),
    "no derivative in layer_1_delta": (
        [(".dot(synapse_1.T) * sigmoid_output_to_derivative(layer_1)", ".dot(synapse_1.T)")],
        [
            (
                "each(lambda e, s: e * s, layer_1_error, sigmoid_output_to_derivative(layer_1))",
                "layer_1_error",
            )
        ],
    ),  # fmt: skip
    "the error sent back, not the delta": (
        [("layer_2_delta.dot(synapse_1.T)", "(layer_2 - y).dot(synapse_1.T)")],
        [("dot(layer_2_delta, transpose(synapse_1))", "dot(error, transpose(synapse_1))")],
    ),
    "the other sign, and an update that subtracts": (
        [("(layer_2 - y) * sig", "(y - layer_2) * sig")],
        [("out, target: out - target", "out, target: target - out")],
    ),
    "synapse_1 uphill": (
        [("synapse_1 -= alpha", "synapse_1 += alpha")],
        [("w - alpha * s, synapse_1,", "w + alpha * s, synapse_1,")],
    ),
    "both uphill": (
        [("synapse_1 -= alpha", "synapse_1 += alpha"), ("synapse_0 -=", "synapse_0 +=")],
        [
            ("w - alpha * s, synapse_1,", "w + alpha * s, synapse_1,"),
            ("w - alpha * s, synapse_0,", "w + alpha * s, synapse_0,"),
        ],
    ),  # fmt: skip
    "alpha on one layer only": (
        [("synapse_0 -= alpha * X.T", "synapse_0 -= X.T")],
        [("w - alpha * s, synapse_0,", "w - s, synapse_0,")],
    ),
    "no alpha": (
        [("synapse_0 -= alpha * X.T", "synapse_0 -= X.T"), ("1 -= alpha *", "1 -=")],
        [
            ("w - alpha * s, synapse_0,", "w - s, synapse_0,"),
            ("w - alpha * s, synapse_1,", "w - s, synapse_1,"),
        ],
    ),  # fmt: skip
    "synapse_1 unchanged": (
        [("synapse_1 -= alpha", "synapse_1 - alpha")],
        [("synapse_1 = each(lambda w, s: w - alpha", "_ = each(lambda w, s: w - alpha")],
    ),
    "a step of another size: the numbers are shown": (
        [("synapse_0 -= alpha * X.T", "synapse_0 -= 0.3 * X.T")],
        [("w - alpha * s, synapse_0,", "w - 0.3 * s, synapse_0,")],
    ),
    "another sigmoid: the numbers are shown": (
        [("1 / (1 + np.exp(-x))", "1 / (2 + np.exp(-x))")],
        [(PLAIN_SIGMOID, "1 / (2 + math.exp(-v))")],
    ),
    "another layer_2: the numbers are shown": (
        [("return layer_1, layer_2", "return layer_1, layer_2 * 1.5")],
        [("return layer_1, layer_2", "return layer_1, [[1.5 * v for v in r] for r in layer_2]")],
    ),
    "a missing function": ([("def forward(", "def forward_pass(")],) * 2,
    "not written yet": (
        [(SIGMOID, '    raise NotImplementedError("your code here")')],
        [
            (
                f"    return [[{PLAIN_SIGMOID} for v in row] for row in x]",
                '    raise NotImplementedError("your code here")',
            )
        ],
    ),  # fmt: skip
    "returned None": ([("return synapse_0, synapse_1\n", "\n")],) * 2,
    "parameters changed": ([("def update(X, layer_1,", "def update(layer_1,")],) * 2,
    "complex numbers": ([(SIGMOID, SIGMOID + " + 5j")], [(PLAIN_SIGMOID, PLAIN_SIGMOID + " + 5j")]),
    "complex numbers in train": (
        [(LAST, "    return synapse_0 + 7j, synapse_1, errors")],
        [(LAST, "    return [[w + 7j for w in r] for r in synapse_0], synapse_1, errors")],
    ),
    "text": (
        [(SIGMOID, "    return (1 / (1 + np.exp(-x))).astype(str)")],
        [(PLAIN_SIGMOID, f"str({PLAIN_SIGMOID})")],
    ),
    "train uphill": ([("alpha\n        )\n", "-alpha\n        )\n")],) * 2,
    "errors measured after the update": (
        [
            ("        errors.append(np.mean(np.abs(layer_2 - y)))\n", ""),
            (
                LAST,
                "        layer_2 = forward(X, synapse_0, synapse_1)[1]\n"
                "        errors.append(np.mean(np.abs(layer_2 - y)))\n" + LAST,
            ),
        ],
        [
            (
                "zip(layer_2, y, strict=True)",
                "zip(forward(X, *update(X, layer_1, *deltas(y, layer_1, layer_2, synapse_1), "
                "synapse_0, synapse_1, alpha))[1], y, strict=True)",
            )
        ],
    ),  # fmt: skip
    "an error per row": (
        [("errors.append(np.mean(np.abs(layer_2 - y)))", "errors.append(np.abs(layer_2 - y))")],
        [
            (
                "        errors.append(\n            sum(",
                "        errors.append(each(lambda o, t: "
                "abs(o - t), layer_2, y))\n        (\n            sum(",
            )
        ],
    ),  # fmt: skip
    "errors that drift away": (
        [("in range(iterations):", "in range(iterations):\n        alpha *= 0.999")],
    )
    * 2,  # noqa: E501
    "NaN in the final weights": (
        [(LAST, "    synapse_1[0] = np.nan\n" + LAST)],
        [(LAST, "    synapse_1[0] = [math.nan]\n" + LAST)],
    ),
    "final weights of another error": (
        [(LAST, "    return synapse_0, 2 * synapse_1, errors")],
        [(LAST, "    return synapse_0, [[2 * w for w in r] for r in synapse_1], errors")],
    ),
    "the other sign throughout: it passes": (
        [
            ("(layer_2 - y) * sig", "(y - layer_2) * sig"),
            ("synapse_1 -= alpha", "synapse_1 += alpha"),
            ("synapse_0 -=", "synapse_0 +="),
        ],
        [
            ("out, target: out - target", "out, target: target - out"),
            ("w - alpha * s, synapse_1,", "w + alpha * s, synapse_1,"),
            ("w - alpha * s, synapse_0,", "w + alpha * s, synapse_0,"),
        ],
    ),  # fmt: skip
}
# Where the advice names a numpy function, the page's names its plain counterpart: the
# first line must match, and the advice must point to the template's own helper.
FIRST_LINE_ONLY = {
    "other starting weights": (
        [("np.random.seed(seed)", "np.random.seed(seed + 1)")],
        [("(hidden_size, 1)], seed)", "(hidden_size, 1)], seed + 1)")],
        "starting_weights([(3, hidden_size), (hidden_size, 1)], seed)",
    ),
    "an exception: it shows the reader's line": (
        [("return output * (1 - output)", "return output * (1 - outptu)")],
        [("for row in output]", "for row in outptu]")],
        "in sigmoid_output_to_derivative: return [[s * (1 - s) for s in row] for row in outptu]",
    ),
}


def test_a_correct_solution_passes_every_check_as_the_numpy_one_does():
    checks = grade_plain(PLAIN_SOLUTION)
    assert all(check.passed for check in checks) and len(checks) == 7, checks[-1]
    assert checks == grade_numpy(SOLUTION)  # names, and the note of train's numbers
    assert str(checks[-1]).startswith("✓ train, 1,000 iterations: error 0.0989 at the end")


@pytest.mark.parametrize(("numpy_slip", "plain_slip"), MISTAKES.values(), ids=list(MISTAKES))
def test_each_mistake_is_named_as_toynn_check_names_it(numpy_slip, plain_slip):
    expected, got = (
        grade_numpy(changed(*numpy_slip)),
        grade_plain(changed(*plain_slip, source=PLAIN_SOLUTION)),
    )
    assert [str(check) for check in got] == [str(check) for check in expected]
    assert got == expected


@pytest.mark.parametrize(
    ("numpy_slip", "plain_slip", "says"), FIRST_LINE_ONLY.values(), ids=list(FIRST_LINE_ONLY)
)
def test_advice_about_numpy_becomes_advice_about_the_page(numpy_slip, plain_slip, says):
    *passed, expected = grade_numpy(changed(*numpy_slip))
    *passed_plain, got = grade_plain(changed(*plain_slip, source=PLAIN_SOLUTION))
    assert passed_plain == passed and got.name == expected.name and not got.passed
    assert got.message.split("\n")[0] == expected.message.split("\n")[0]
    assert says in got.message


def test_the_blank_template_is_reported_kindly_as_the_numpy_one_is():
    checks = list(exercise_plain.grade_source(TEMPLATE.read_text(encoding="utf-8"), REFERENCE))
    numpy_checks = exercise.check_file(TEMPLATE.with_name("network_from_memory.py"))
    assert checks[0] == exercise_plain.Check("network_from_memory_plain.py imports", True)
    assert checks[1:] == numpy_checks[1:]
    assert "sigmoid is not written yet" in checks[-1].message


def test_the_template_asks_for_what_the_checker_calls_and_its_helpers_are_toynns():
    namespace: dict = {}
    exec(compile(TEMPLATE.read_text(encoding="utf-8"), str(TEMPLATE), "exec"), namespace)
    for name, params in exercise_plain.FUNCTIONS.items():
        assert str(inspect.signature(namespace[name])) == f"({params})"
        with pytest.raises(NotImplementedError, match="your code here"):
            namespace[name](*params.split(", "))
    shapes = [(3, 4), (4, 1)]
    for seed in (0, 1, 2, 2**32 - 1):
        assert namespace["starting_weights"](shapes, seed) == plain.starting_weights(shapes, seed)
    A, B = plain.starting_weights([(4, 3), (3, 5)], 7)
    assert namespace["dot"](A, B) == pytest.approx(np.array(A) @ np.array(B), rel=1e-15)
    assert namespace["transpose"](A) == np.array(A).T.tolist()


@pytest.mark.parametrize(
    ("source", "says"),
    [
        (PLAIN_SOLUTION.replace("return layer_1, layer_2", "return layer_1 layer_2"), "line "),
        (PLAIN_SOLUTION + "\nprint(1 / 0)\n", "in <module>: print(1 / 0)"),
    ],
    ids=["a syntax error", "an exception on import"],
)
def test_a_file_that_does_not_run_is_reported_as_toynn_check_reports_it(tmp_path, source, says):
    (tmp_path / "mine.py").write_text(source, encoding="utf-8")
    (expected,) = exercise.check_file(tmp_path / "mine.py")
    (got,) = exercise_plain.grade_source(source, REFERENCE, "mine.py")
    assert got == expected and says in got.message


def test_the_reference_is_toynns_numbers_and_survives_json():
    values = exercise.reference_values()
    assert json.loads(json.dumps(values)) == values  # every float read back bit for bit
    assert values["forward"]["layer_1"] == exercise.LAYER_1.tolist()
    assert values["update"]["right"][0] == (exercise.SYNAPSE_0 - 0.5 * exercise.SLOPES[0]).tolist()
    assert len(values["train"]["errors"]) == exercise.TRAIN_SETTINGS["iterations"]


@pytest.mark.parametrize(
    "values",
    [
        [0.5], [1.0, -2.0], [0.0, -0.0, 1.0, 100.0], [1e-5, 1.0, 2.0], [1.5, 10.25, -3.0, 2e8],
        [math.nan, 1.5], [-math.inf, 0.25, math.inf], [math.nan], [-math.inf, math.nan],
        [1 / 3, 2 / 3, 1e3, 12345.678901234, -0.0001], [123456789.5], [1e-300, 1e300],
        [0.12345650000000001, 0.1234565, 7.0, 8.0, 9.0, 10.0], [-1e-5, 3e-7, -2.5e-10],
    ],
)  # fmt: skip
def test_numbers_are_shown_as_numpy_shows_them(values):
    show = {"precision": 6, "separator": ", ", "threshold": 4, "edgeitems": 2}
    assert exercise_plain._show(values) == np.array2string(np.array(values), **show)


def test_numbers_of_every_size_are_shown_as_numpy_shows_them():
    generator = np.random.default_rng(12)
    show = {"precision": 6, "separator": ", ", "threshold": 4, "edgeitems": 2}
    for _ in range(300):
        size, scale = generator.integers(1, 8), 10.0 ** generator.integers(-6, 10)
        values = generator.normal(size=size) * scale
        assert exercise_plain._show(values.tolist()) == np.array2string(values, **show), values


def test_the_grader_imports_only_the_standard_library():
    tree = ast.parse(inspect.getsource(exercise_plain))
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else [
                node.module]  # fmt: skip
            assert all(name.split(".")[0] in sys.stdlib_module_names for name in names), names


# The page's way: the module file and the reference JSON, numpy out of reach.
IN_THE_PAGE = """
import importlib.util, json, sys
sys.modules["numpy"] = None  # import numpy now fails
spec = importlib.util.spec_from_file_location("exercise_plain", sys.argv[1])
exercise_plain = importlib.util.module_from_spec(spec)
sys.modules["exercise_plain"] = exercise_plain  # dataclasses looks the module up
spec.loader.exec_module(exercise_plain)
reference = json.load(open(sys.argv[2], encoding="utf-8"))
for path in sys.argv[3:]:
    for check in exercise_plain.grade_source(open(path, encoding="utf-8").read(), reference):
        print(check)
"""
PYTHONS = [sys.executable, *filter(None, map(shutil.which, ["python3.10", "python3.11"]))]
PYTHONS = [p for p in PYTHONS if subprocess.run([p, "-c", ""], capture_output=True).returncode == 0]


@pytest.mark.parametrize("python", dict.fromkeys(PYTHONS))
def test_it_grades_without_numpy_from_a_json_file(tmp_path, python):
    (tmp_path / "reference.json").write_text(json.dumps(REFERENCE), encoding="utf-8")
    (tmp_path / "solution.py").write_text(PLAIN_SOLUTION, encoding="utf-8")
    args = [
        exercise_plain.__file__,
        tmp_path / "reference.json",
        tmp_path / "solution.py",
        TEMPLATE,
    ]
    result = subprocess.run(
        [python, "-I", "-c", IN_THE_PAGE, *map(str, args)], capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    blank = TEMPLATE.read_text(encoding="utf-8")
    here = [*exercise_plain.grade_source(PLAIN_SOLUTION, REFERENCE),
            *exercise_plain.grade_source(blank, REFERENCE)]  # fmt: skip
    assert result.stdout == "".join(f"{check}\n" for check in here)
    assert result.stdout.count("✓") == 8 + 2 and result.stdout.count("✗") == 1
