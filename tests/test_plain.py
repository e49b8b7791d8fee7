"""toynn.plain, the network in plain Python: numpy's starting weights bit for bit,
toynn.train's numbers to within rounding, the same argument checks, and no numpy."""

import ast
import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

import toynn
from toynn import plain

PLAIN = Path(plain.__file__)
X, Y = toynn.xor_data()
XOR = X.tolist(), Y.tolist()


def largest_relative_difference(got, expected) -> float:
    """The largest |got - expected| / max(|got|, |expected|), element by element."""
    got, expected = np.asarray(got, float), np.asarray(expected, float)
    assert got.shape == expected.shape
    scale = np.maximum(np.abs(got), np.abs(expected))
    difference = np.abs(got - expected)
    return float(np.max(np.where(scale > 0, difference / np.where(scale > 0, scale, 1), 0)))


@pytest.mark.parametrize("seed", [0, 1, 2, 12345, 2**32 - 1])
@pytest.mark.parametrize("shapes", [[(3, 4), (4, 1)], [(1, 1)], [(2, 8), (8, 1), (5, 3)]], ids=str)
def test_starting_weights_are_numpys_legacy_draws_bit_for_bit(seed, shapes):
    state = np.random.get_state()
    try:
        np.random.seed(seed)
        expected = [2 * np.random.random(shape) - 1 for shape in shapes]
    finally:
        np.random.set_state(state)
    got = plain.starting_weights(shapes, seed)
    assert [np.shape(g) for g in got] == [e.shape for e in expected]
    assert got == [e.tolist() for e in expected]  # exact float equality, weight by weight
    assert got == [w.tolist() for w in toynn.starting_weights(shapes, seed)]


# alpha, hidden_size, seed, iterations: runs that are not chaotic, where rounding differences
# (numpy's BLAS fuses multiply-adds; its exp is not the C library's) stay at rounding size.
RUNS = [
    (0.1, 4, 1, 1_500),
    (1, 4, 1, 1_500),
    (10, 4, 1, 1_500),
    (1, 1, 0, 1_500),
    (1, 3, 2, 1_500),
    (10, 8, 12345, 1_000),
    (1, 4, 2**32 - 1, 1_500),
    (10, 4, 1, 10_000),  # longer: the agreement grows, with alpha, as the errors fall
]


@pytest.fixture(scope="module")
def agreement(summary_lines):
    """The differences the runs below measured, shown in one line at the end of the run."""
    measured = {}
    yield measured
    if measured:
        summary_lines.append(
            "toynn.plain vs toynn.train, largest relative difference per run (alpha, hidden, "
            "seed, iterations: speed): " + "; ".join(f"{k}: {v}" for k, v in measured.items())
        )


@pytest.mark.parametrize(("alpha", "hidden_size", "seed", "iterations"), RUNS)
def test_train_equals_toynn_train_to_within_rounding(
    alpha, hidden_size, seed, iterations, agreement
):
    settings = dict(alpha=alpha, hidden_size=hidden_size, seed=seed, iterations=iterations)
    every = iterations // 10
    start = time.perf_counter()
    got = plain.train(*XOR, every=every, **settings)
    seconds = time.perf_counter() - start
    expected = toynn.train(X, Y, every=every, **settings)
    assert got.checkpoints == expected.checkpoints
    assert (got.alpha, got.hidden_size, got.seed) == (alpha, hidden_size, seed)
    differences = {
        name: largest_relative_difference(getattr(got, name), getattr(expected, name))
        for name in ("errors", "synapse_0", "synapse_1")
    }
    assert max(differences.values()) <= 1e-12, differences
    run = f"{alpha}, {hidden_size}, {seed}, {iterations}"
    agreement[run] = f"{max(differences.values()):.1e} ({iterations / seconds:,.0f} it/s)"


def test_a_run_has_the_fields_of_toynns_training_run():
    got = plain.train(*XOR, iterations=3, every=2).__dict__
    expected = toynn.train(X, Y, iterations=3, every=2).to_dict()
    assert got.keys() == expected.keys()
    assert json.loads(json.dumps(got)).keys() == got.keys()  # plain lists and numbers


def test_sigmoid_is_0_or_1_exactly_where_numpys_is_and_never_raises():
    x = [-1e308, -1e4, -1000.0, -745.2, -710.0, -709.7, -700.0, -40.0, 0.0, 36.0, 37.0, 1e308]
    expected = toynn.sigmoid(np.array(x))
    got = [plain.sigmoid(v) for v in x]
    for g, e in zip(got, expected, strict=True):
        if g in (0.0, 1.0) or e in (0.0, 1.0):
            assert g == e
    assert got[:3] == [0.0, 0.0, 0.0] and got[-2:] == [1.0, 1.0]
    assert 0 < got[5] < 1e-307  # e^709.7 is still a float: not 0 yet, as in numpy
    assert plain.sigmoid(float("inf")) == 1.0 and plain.sigmoid(-float("inf")) == 0.0


@pytest.mark.parametrize("alpha", [1e6, 1e300])
def test_huge_alphas_saturate_as_in_numpy(alpha):
    got = plain.train(*XOR, alpha=alpha, iterations=50, every=10)
    expected = toynn.train(X, Y, alpha=alpha, iterations=50, every=10)
    for name in ("errors", "synapse_0", "synapse_1"):
        assert largest_relative_difference(getattr(got, name), getattr(expected, name)) <= 1e-12
    hidden = [[plain.sigmoid(v) for v in row] for row in plain.dot(XOR[0], got.synapse_0)]
    numpy_hidden = toynn.sigmoid(X @ expected.synapse_0)
    saturated = np.isin(numpy_hidden, (0.0, 1.0))
    assert saturated.any()
    assert np.array_equal(np.array(hidden)[saturated], numpy_hidden[saturated])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"alpha": -1}, ValueError, "alpha must be a positive, finite number, got -1"),
        ({"alpha": 0}, ValueError, "alpha must be a positive"),
        ({"alpha": float("nan")}, ValueError, "alpha must be"),
        ({"alpha": float("inf")}, ValueError, "alpha must be"),
        (
            {"alpha": 10**400},
            ValueError,
            r"alpha must be a positive, finite number, got about 10\*\*400",
        ),
        (
            {"alpha": "0.1"},
            TypeError,
            r"alpha must be a positive, finite number, got '0.1' \(str\)",
        ),
        ({"alpha": True}, TypeError, "alpha must be"),
        ({"hidden_size": 2.5}, TypeError, "hidden_size must be a positive whole number, got 2.5"),
        ({"hidden_size": 0}, ValueError, "hidden_size must be a positive whole number"),
        ({"iterations": -1}, ValueError, "iterations must be a whole number >= 0"),
        ({"iterations": 1.0}, TypeError, "iterations must be a whole number >= 0"),
        ({"every": 0}, ValueError, "every must be a positive whole number"),
        ({"seed": -1}, ValueError, r"seed must be a whole number from 0 to 2\*\*32 - 1, got -1"),
        ({"seed": 2**32}, ValueError, "seed must be"),
        ({"seed": 1.5}, TypeError, "seed must be"),
    ],
)
def test_bad_settings_are_named(kwargs, error, message):
    with pytest.raises(error, match=message):
        plain.train(*XOR, **kwargs)
    with pytest.raises(error, match=message.split(",")[0]):  # as toynn says it
        toynn.train(X, Y, **kwargs)


@pytest.mark.parametrize(
    ("X", "y", "error", "message"),
    [
        (XOR[0], XOR[1][:3], ValueError, "X and y must have the same number of rows, got 4 and 3"),
        (
            XOR[0],
            [0, 1, 1, 0],
            TypeError,
            r"y must be a list of rows of numbers, like \[\[0\], \[1\]\]",
        ),
        (XOR[0], [[0, 0], [1, 1], [1, 1], [0, 0]], ValueError, "y must be a column"),
        (XOR[0][0], XOR[1], TypeError, r"X must be a list of rows of numbers, like .*, got \[0.0"),
        ("0011", XOR[1], TypeError, "X must be a list of rows of numbers"),
        (["001", "011"], XOR[1], TypeError, "X must be a list of rows of numbers"),
        ([], [], ValueError, r"X must hold at least one row of numbers, got \[\]"),
        ([[], []], XOR[1][:2], ValueError, "X must hold at least one row"),
        ([[0, 1], [1]], XOR[1][:2], ValueError, "X must be a rectangular array of numbers"),
        ([[0, "1"]], [[1]], TypeError, r"X must hold numbers, got '1' \(str\)"),
        ([[0, None]], [[1]], TypeError, r"X must hold numbers, got None \(NoneType\)"),
        ([[0, float("nan")]], [[1]], ValueError, "X must hold only finite numbers"),
        ([[0, 10**400]], [[1]], ValueError, "X must hold only finite numbers"),
        (XOR[0], [[float("inf")]] * 4, ValueError, "y must hold only finite numbers"),
    ],
)
def test_bad_data_is_named(X, y, error, message):
    with pytest.raises(error, match=message):
        plain.train(X, y)


def test_numpy_arrays_and_tuples_are_lists_of_rows_too():
    expected = plain.train(*XOR, iterations=20, every=5)
    assert plain.train(X, Y, iterations=20, every=5) == expected
    assert plain.train(tuple(map(tuple, XOR[0])), XOR[1], iterations=20, every=5) == expected


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"iterations": 10**9}, "iterations 1000000000 is too many (at most 1,000,000 in plain"),
        ({"hidden_size": 10**7}, "hidden_size 10000000 is too large: a layer would hold"),
        (  # about ten minutes in CPython, half an hour in Pyodide
            {"hidden_size": 1000, "iterations": 100_000},
            "iterations 100000 is too many for hidden_size 1000 on 4 rows of 3 inputs: about "
            "2,002,000,000 operations (at most 100,000,000 in plain Python)",
        ),
    ],
)
def test_the_cost_limits_refuse_long_runs_at_once(kwargs, message, monkeypatch):
    monkeypatch.delenv(plain.NO_LIMITS, raising=False)
    start = time.perf_counter()
    with pytest.raises(ValueError, match="TOYNN_NO_LIMITS=1 to go past this limit") as raised:
        plain.train(*XOR, **kwargs)
    assert message in str(raised.value)
    assert time.perf_counter() - start < 0.1


def test_the_posts_runs_fit_the_limits_and_toynn_no_limits_lifts_them(monkeypatch):
    monkeypatch.delenv(plain.NO_LIMITS, raising=False)
    plain._check_workload(rows=4, inputs=3, hidden_size=32, iterations=60_000)
    with pytest.raises(ValueError, match="too many"):
        plain._check_workload(rows=4, inputs=3, hidden_size=4, iterations=10**7)
    monkeypatch.setenv(plain.NO_LIMITS, "1")
    plain._check_workload(rows=4, inputs=3, hidden_size=4, iterations=10**7)


def test_the_module_imports_only_the_standard_library():
    imported = set()
    for node in ast.walk(ast.parse(PLAIN.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module)
    assert imported <= {
        "__future__", "collections.abc", "dataclasses", "math", "numbers", "os", "random", "sys"
    }  # fmt: skip
    # ... and none by other means either
    assert not re.search(r"import\s+numpy|__import__|importlib", PLAIN.read_text(encoding="utf-8"))


def test_the_module_runs_on_its_own_with_numpy_blocked():
    """As in a browser's Pyodide: the file alone, and no numpy to import."""
    script = textwrap.dedent(f"""
        import doctest, importlib.util, json, sys
        sys.modules["numpy"] = None  # "import numpy" now raises ImportError
        spec = importlib.util.spec_from_file_location("plain", {str(PLAIN)!r})
        plain = importlib.util.module_from_spec(spec)
        sys.modules["plain"] = plain
        spec.loader.exec_module(plain)
        assert doctest.testmod(plain) == (0, 6)  # failed, attempted
        run = plain.train({XOR[0]!r}, {XOR[1]!r}, alpha=10, iterations=200, every=50)
        print(json.dumps(run.__dict__))
        assert not [name for name, module in sys.modules.items() if "numpy" in name and module]
    """)
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    expected = plain.train(*XOR, alpha=10, iterations=200, every=50)
    assert json.loads(result.stdout) == json.loads(json.dumps(expected.__dict__))
