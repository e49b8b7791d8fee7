"""Grade Part 6's exercise written in plain Python: ``toynn check``'s steps, without numpy.

In the browser there is no numpy, so the page's copy of the exercise uses lists of rows,
as ``toynn.plain`` does: X is [[0, 0, 1], ...] and y is [[0], [1], [1], [0]]. This file
grades those six functions with the checks of ``toynn check``, which are written here,
once, for both: ``Steps`` decides and words every verdict, and each grader says how to
call the reader's functions and compare numbers (numpy arrays in ``toynn.exercise``,
lists here).

The answers are toynn's, computed with numpy by ``toynn.exercise.reference_values()`` and
handed in as plain data: nothing here re-derives them, so the page is graded against
toynn itself. This file imports only the standard library, to run in Pyodide as it is:

    for check in grade_source(source, reference):
        print(check)
"""

from __future__ import annotations

import contextlib
import copy
import linecache
import math
import numbers
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

FUNCTIONS = {  # what the template asks for: name -> parameters
    "sigmoid": "x",
    "sigmoid_output_to_derivative": "output",
    "forward": "X, synapse_0, synapse_1",
    "deltas": "y, layer_1, layer_2, synapse_1",
    "update": "X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha",
    "train": "X, y, alpha, hidden_size, iterations, seed",
}
# One step, written differently but equal in maths, agrees to about 1e-15. Over many
# iterations a different order of the same additions can move the last digits further
# (Part 5's summation-order experiment), so train gets more room; a real mistake moves
# the error by far more than either.
STEP_RTOL = 1e-9
TRAIN_RTOL = 1e-6
ALL_PASS = "All checks pass: you rebuilt the network from memory."  # toynn check's last line
ON_IMPORT = ('Code outside the functions runs on import: put experiments under  '
             'if __name__ == "__main__":')  # fmt: skip


@dataclass
class Check:
    """One graded step: its name, whether it passed, and what to tell the reader."""

    name: str
    passed: bool
    message: str = ""  # a failure: what is wrong and a hint; a pass: an optional note

    def __str__(self) -> str:
        if self.passed:
            return f"✓ {self.name}" + (f": {self.message}" if self.message else "")
        return "\n".join([f"✗ {self.name}", *("  " + line for line in self.message.split("\n"))])


class Wrong(Exception):
    """A check failed: the lines say what is wrong and how to fix it."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))


class Steps:
    """The checks, in order: each method returns a note (or None) or raises ``Wrong``.

    ``reference`` holds toynn's inputs and answers (``reference_values()``); ``run`` calls
    one of the reader's functions and returns what it returned, one value per name;
    ``present`` names the functions the reader wrote. A subclass gives the arithmetic.
    """

    seed_hint = "Draw them with  starting_weights([(3, hidden_size), (hidden_size, 1)], seed)"

    def __init__(self, run: Callable, reference: Mapping, present: set[str]) -> None:
        self.run, self.ref, self.present_functions = run, reference, present
        self.sign = 1  # -1 when the reader's error is y - layer_2: fine if their update adds
        self.step = ""  # the check being made, for Ctrl-C's message

    # --- The arithmetic, for lists of rows; toynn.exercise gives numpy's.

    def shape(self, value) -> tuple[int, ...]:
        return _shape(value)

    def close(self, got, expected, rtol: float = STEP_RTOL) -> bool:
        pairs = zip(_flat(got), _flat(expected), strict=True)
        return _shape(got) == _shape(expected) and all(
            _isclose(g, e, rtol, 1e-12) for g, e in pairs
        )

    def first_apart(self, errors, expected) -> int | None:
        pairs = enumerate(zip(errors, expected, strict=True))
        return next((i for i, (g, e) in pairs if not _isclose(g, e, TRAIN_RTOL, 0)), None)

    def finite(self, value) -> bool:
        return all(math.isfinite(v) for v in _flat(value))

    def error_of(self, synapse_0, synapse_1) -> float:
        """The mean absolute error of the reader's final weights on the XOR data."""
        outputs = _flat(_layer(_layer(self.ref["X"], synapse_0), synapse_1))
        errors = [abs(o - t) for o, t in zip(outputs, _flat(self.ref["Y"]), strict=True)]
        return sum(errors) / len(errors)

    def show(self, value) -> str:
        return _show(list(_flat(value)))

    def copy(self, value):
        return copy.deepcopy(value)

    def quiet(self):
        return _quiet()

    # --- The steps.

    def checks(self) -> Iterator[Check]:
        """Each step's check, in order, up to the first one that fails."""
        iterations = f"train, {self.ref['train']['settings']['iterations']:,} iterations"
        names = {"present": "six functions", "train": iterations}
        for step in ["present", *FUNCTIONS]:  # the methods, in order
            self.step = name = names.get(step, step)
            try:
                with self.quiet():  # their overflows show up as wrong numbers anyway
                    note = getattr(self, step)() or ""
            except Wrong as wrong:
                yield Check(name, False, str(wrong))
                return
            yield Check(name, True, note)

    def call(self, name: str, shapes: dict, *args) -> list:
        """Run the reader's function on copies of ``args``; check what it returns."""
        names, wanted = list(shapes), [tuple(s) for s in shapes.values()]
        values = self.run(name, [self.copy(arg) for arg in args], names)
        got = [self.shape(value) for value in values]
        if len(values) == 2 and got == wanted[::-1] != wanted:
            raise Wrong(f"{name} returned them in the wrong order: return {', '.join(names)}")
        for what, shape, value_shape in zip(names, wanted, got, strict=True):
            if shape and value_shape != shape:
                turned = value_shape == shape[::-1]
                raise Wrong(f"expected {what} of shape {shape}, got {value_shape}"
                            + ": a matrix is used the wrong way round" * turned)  # fmt: skip
        return values

    def expect(self, what: str, got, expected, mistakes: dict | None = None) -> None:
        """Pass if ``got`` matches ``expected``; if not, name the mistake it matches."""
        if self.close(got, expected):
            return
        for explanation, candidate in (mistakes or {}).items():
            if self.close(got, candidate):
                raise Wrong(f"{what}: {explanation}.")
        expected, got = self.show(expected), self.show(got)
        raise Wrong(
            f"{what} differs from toynn's:", f"    expected {expected}", f"    got      {got}"
        )

    def present(self) -> None:
        missing = [f"    {n}({p})" for n, p in FUNCTIONS.items() if n not in self.present_functions]
        if missing:
            raise Wrong("Missing:", *missing, "Keep the template's names and parameters.")

    def sigmoid(self) -> None:
        r = self.ref["sigmoid"]
        (got,) = self.call("sigmoid", {"sigmoid(x)": self.shape(r["x"])}, r["x"])
        self.expect("sigmoid(x)", got, r["expected"], {
            "it is 1 / (1 + e^x).\nThe exponent needs a minus sign": r["without minus"],
            "that is the formula of its slope.\nThe sigmoid itself is 1 / (1 + e^-x)": r["slope"],
        })  # fmt: skip

    def sigmoid_output_to_derivative(self) -> None:
        r = self.ref["sigmoid_output_to_derivative"]
        shapes = {"slope": self.shape(r["output"])}
        (got,) = self.call("sigmoid_output_to_derivative", shapes, r["output"])
        again = (
            "the sigmoid is applied twice.\noutput already is the sigmoid's result: use it as it is"
        )
        self.expect("the slope", got, r["expected"], {again: r["sigmoid twice"]})

    def forward(self) -> None:
        r = self.ref["forward"]
        shapes = {"layer_1": self.shape(r["layer_1"]), "layer_2": self.shape(r["layer_2"])}
        ref = self.ref
        layer_1, layer_2 = self.call(
            "forward", shapes, ref["X"], ref["synapse_0"], ref["synapse_1"]
        )
        squash = "the sigmoid is missing.\nSquash the weighted sums with your sigmoid"
        self.expect("layer_1", layer_1, r["layer_1"], {squash: r["layer_1 unsquashed"]})
        self.expect("layer_2", layer_2, r["layer_2"], {squash: r["layer_2 unsquashed"]})

    def deltas(self) -> str | None:
        f, minus = self.ref["forward"], self.ref["deltas"]["-1"]
        shapes = {k: self.shape(minus[k]) for k in ("layer_1_delta", "layer_2_delta")}
        args = self.ref["Y"], f["layer_1"], f["layer_2"], self.ref["synapse_1"]
        got_1, got_2 = self.call("deltas", shapes, *args)
        other_sign = self.close(got_2, minus["layer_2_delta"]) or self.close(got_2, minus["error"])
        self.sign = -1 if other_sign else 1
        r = self.ref["deltas"][str(self.sign)]
        missing = "missing derivative.\nMultiply by the slope of the sigmoid at {}"
        self.expect("layer_2_delta", got_2, r["layer_2_delta"], {
            missing.format("layer_2"): r["error"],
        })  # fmt: skip
        self.expect("layer_1_delta", got_1, r["layer_1_delta"], {
            missing.format("layer_1"): r["layer_1_delta without slope"],
            "it sends the error back, not the delta.\nSend layer_2_delta back through synapse_1":
                r["layer_1_delta from the error"],
        })  # fmt: skip
        return (
            "your error is y - layer_2, the other sign: then update must add"
            if other_sign
            else None
        )

    def update(self) -> None:
        ref, steps = self.ref, self.ref["update"]  # kind of step -> (synapse_0, synapse_1)
        shapes = {f"synapse_{i}": self.shape(ref[f"synapse_{i}"]) for i in (0, 1)}
        d, f = ref["deltas"][str(self.sign)], ref["forward"]
        args = ref["X"], f["layer_1"], d["layer_1_delta"], d["layer_2_delta"]
        got = self.call("update", shapes, *args, ref["synapse_0"], ref["synapse_1"], ref["alpha"])
        kinds = [next((kind for kind, pair in steps.items() if self.close(new, pair[i])), "")
                 for i, new in enumerate(got)]  # fmt: skip
        downhill = "add alpha times your slope" if self.sign < 0 else "subtract alpha * slope"
        problems = {
            "uphill": f"wrong sign.\nIt moves uphill, so the error grows: {downhill}",
            "no alpha": "alpha is applied to one layer only.\nThe other layer's step needs it too",
            "unchanged": "it did not change.\nUpdate both weight matrices and return them",
        }
        if kinds == ["no alpha"] * 2:
            problems["no alpha"] = "alpha is missing.\nMultiply both steps by alpha"
        for kind, problem in problems.items():
            if kind in kinds:
                names = " and ".join(f"synapse_{i}" for i, k in enumerate(kinds) if k == kind)
                raise Wrong(f"{names}: {problem}.")
        for i, kind in enumerate(kinds):
            if not kind:  # none of the above: show the numbers
                self.expect(f"synapse_{i}", got[i], steps["right"][i])

    def train(self) -> str:
        r = self.ref["train"]  # toynn.train's error at every iteration, and at the end
        expected, hidden = r["errors"], r["settings"]["hidden_size"]
        shapes = {
            "synapse_0": (3, hidden),
            "synapse_1": (hidden, 1),
            "errors": self.shape(expected),
        }
        args = self.ref["X"], self.ref["Y"], *r["settings"].values()
        synapse_0, synapse_1, errors = self.call("train", shapes, *args)
        if not self.close(errors[:1], expected[:1]):
            if self.close(errors[:1], expected[1:2]):
                raise Wrong("errors[0] is measured after the first update.",
                            "Measure each error right after the forward pass.")  # fmt: skip
            raise Wrong(f"the first error is {errors[0]:.6g}, toynn's {expected[0]:.6g}: "
                        "the starting weights differ.", self.seed_hint)  # fmt: skip
        if errors[-1] > errors[0]:
            raise Wrong(f"wrong sign: the error grew from {errors[0]:.4g} to {errors[-1]:.4g}.",
                        "train climbs uphill: check the sign of its update.")  # fmt: skip
        i = self.first_apart(errors, expected)
        if i is not None:
            raise Wrong(f"the errors agree with toynn's until iteration {i:,}, then differ: "
                        f"{errors[i]:.6g}, toynn's {expected[i]:.6g}.",
                        "Does train call your own forward, deltas and update?")  # fmt: skip
        if not (self.finite(synapse_0) and self.finite(synapse_1)):
            raise Wrong("the final weights hold NaN or infinity: check the last update.")
        mine, ours = self.error_of(synapse_0, synapse_1), r["final error"]
        if not self.close(mine, ours, rtol=TRAIN_RTOL):
            raise Wrong(f"the final weights give error {mine:.6g}, toynn's {ours:.6g}.")
        return f"error {mine:.4f} at the end, toynn.train's {ours:.4f}"


# --- The page's entry points.


def grade(namespace: Mapping[str, object], reference: Mapping) -> Iterator[Check]:
    """Grade the six functions in ``namespace`` (a dict such as ``globals()``) against
    ``reference``, one check at a time, ending at the first step that fails."""

    def run(name: str, args: list, names: list[str]) -> list:
        return run_theirs(namespace[name], name, args, names, floats=_floats)

    present = {name for name in FUNCTIONS if callable(namespace.get(name))}
    return Steps(run, reference, present).checks()


def grade_source(
    source: str, reference: Mapping, filename: str = "network_from_memory_plain.py"
) -> Iterator[Check]:
    """``grade`` for the text of a file, as ``toynn check FILE`` grades a file: first a
    check that it runs (a syntax error or an exception is shown with the reader's line),
    then the steps. Its demo under ``if __name__ == "__main__":`` does not run."""
    imports = f"{filename} imports"
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        yield Check(imports, False, "\n".join(cannot_read(error)))
        return
    except ValueError as error:  # a null byte
        yield Check(imports, False, f"Python cannot read it: {error}")
        return
    # So that tracebacks show the reader's lines, as they do for a file on disk.
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "network_from_memory", "__file__": filename}
    try:
        with _quiet():
            exec(code, namespace)
    except BaseException as error:  # SystemExit, KeyboardInterrupt...: all theirs
        yield Check(imports, False, f"Importing it raised {describe(error)}\n{ON_IMPORT}")
        return
    yield Check(imports, True)
    yield from grade(namespace, reference)


def page_report(source: str, reference: Mapping) -> Iterator[str]:
    """What the page's "Check" button prints for ``source``, line by line as each check is
    decided: the checks as ``toynn check`` prints them, then its verdict."""
    passed = True
    for check in grade_source(source, reference):
        yield str(check)
        passed = passed and check.passed
    yield ALL_PASS if passed else "\nFix that, then check again."


# --- Calling the reader's functions, and the words for what went wrong: toynn.exercise
# uses these too.


def run_theirs(
    function: Callable,
    name: str,
    args: list,
    names: list[str],
    *,
    floats: Callable,
    hints: Callable | None = None,
    quiet: Callable | None = None,
    interrupts_are_theirs: bool = False,
    ours: tuple[str, ...] = (),
) -> list:
    """Call the reader's function; return its values, named ``names``, made into numbers
    by ``floats(name, what, value, several)``. ``hints(name, error, args)`` adds advice to
    an exception; ``ours`` are more files whose lines are not the reader's."""
    try:
        with (quiet or _quiet)():
            result = function(*args)
    except NotImplementedError:
        raise Wrong(f"{name} is not written yet.", "Write its body, then check again.") from None
    except BaseException as error:  # sys.exit(), GeneratorExit, ...: all theirs
        if isinstance(error, KeyboardInterrupt) and not interrupts_are_theirs:
            raise  # the reader pressed Ctrl-C in their notebook
        advice = (hints or _hints)(name, error, args)
        raise Wrong(f"{name} raised {describe(error, ours)}", *advice) from None
    if result is None:
        raise Wrong(f"{name} returned None: end it with  return {', '.join(names)}")
    values = list(result) if len(names) > 1 and isinstance(result, (tuple, list)) else [result]
    if len(values) != len(names):
        raise Wrong(f"{name} must return {len(names)} values: {', '.join(names)}.")
    several = len(names) > 1
    return [floats(name, what, value, several) for what, value in zip(names, values, strict=True)]


def describe(error: BaseException, ours: tuple[str, ...] = ()) -> str:
    """The error and the reader's line where it happened (not numpy's, not ours)."""
    frames = traceback.extract_tb(error.__traceback__)
    skip = {__file__, *ours}
    theirs = [f for f in frames if f.filename not in skip and "numpy" not in Path(f.filename).parts]
    where = f"\n    line {theirs[-1].lineno}, in {theirs[-1].name}" if theirs else ""
    code = f": {theirs[-1].line}" if theirs and theirs[-1].line else ""
    text = cut(str(error).strip(), 300)
    return f"{type(error).__name__}{': ' * bool(text)}{text}{where}{code}"


def cannot_read(error: SyntaxError) -> list[str]:
    """A syntax error's lines: where, and the line Python could not read."""
    text = [f"    {error.text.strip()}"] if error.text and error.text.strip() else []
    return [f"Python cannot read line {error.lineno}: {error.msg}", *text]


def parameters_hint(name: str, error: BaseException) -> list[str]:
    if isinstance(error, TypeError) and "argument" in str(error):
        return [f"Keep the template's parameters: {name}({FUNCTIONS[name]})"]
    return []


def returned(name: str, what: str, several: bool, kind: str) -> Wrong:
    """A value that only looks like numbers: complex, text, bytes."""
    where = f" in {what}" if several else ""
    if kind == "complex numbers":  # numpy would drop the imaginary part without a word
        why = "A number such as 5j, or a function with complex results, made them."
        return Wrong(f"{name} returned complex numbers{where}; it should return real floats.", why)
    return Wrong(f"{name} returned {kind}{where}; it should return real floats.")


def not_numbers(name: str) -> Wrong:
    return Wrong(f"{name} must return numbers or arrays of numbers.")


def cut(text: str, keep: int) -> str:
    return text if len(text) <= keep else text[:keep] + "…"


# --- Plain Python's side: lists of rows.


def _hints(name: str, error: BaseException, args: list) -> list[str]:
    """What usually causes this exception in plain Python, in a line or two."""
    if isinstance(error, TypeError) and "'list'" in str(error) and "operand" in str(error):
        return ["Lists do not add or multiply number by number: loop over the rows and the "
                "numbers in them, or use the template's dot and transpose."]  # fmt: skip
    return parameters_hint(name, error)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _floats(name: str, what: str, value: object, several: bool):
    """``value`` as a float or lists of floats, refusing what only looks like numbers."""

    def floats(v):
        if isinstance(v, (list, tuple)):
            return [floats(item) for item in v]
        kind = next((k for t, k in _KINDS if isinstance(v, t)), None)
        if kind:
            raise returned(name, what, several, kind)
        if not isinstance(v, numbers.Real):
            raise not_numbers(name)
        try:
            return float(v)
        except (TypeError, ValueError, OverflowError):
            raise not_numbers(name) from None

    result = floats(value)
    try:
        _shape(result)
    except ValueError:  # rows of different lengths
        raise not_numbers(name) from None
    return result


_KINDS = [(complex, "complex numbers"), (str, "text"), (bytes, "bytes")]


def _shape(value) -> tuple[int, ...]:
    """A list of rows' shape, as numpy gives it: [[1, 2, 3]] is (1, 3), a number is ()."""
    if not isinstance(value, list):
        return ()
    shapes = {_shape(item) for item in value}
    if len(shapes) > 1:
        raise ValueError("ragged")
    return (len(value), *(shapes.pop() if shapes else ()))


def _flat(value) -> Iterator[float]:
    if isinstance(value, list):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def _isclose(got: float, expected: float, rtol: float, atol: float) -> bool:
    """numpy's isclose: NaN is close to nothing, infinity only to itself."""
    if not (math.isfinite(got) and math.isfinite(expected)):
        return got == expected
    return abs(got - expected) <= atol + rtol * abs(expected)


def _layer(inputs: list, weights: list) -> list:
    """sigmoid(inputs @ weights), for the error of the reader's final weights."""
    columns = list(zip(*weights, strict=True))
    sums = [
        [sum(a * w for a, w in zip(row, column, strict=True)) for column in columns]
        for row in inputs
    ]
    return [[1 / (1 + math.exp(-s)) if s > -700 else 0.0 for s in row] for row in sums]


def _show(values: list[float]) -> str:
    """The numbers as ``np.array2string(values, precision=6, separator=", ", threshold=4,
    edgeitems=2)`` writes them: the first and last two of a longer list, one layout for all."""
    summarized = len(values) > 4
    if summarized:
        values = values[:2] + values[-2:]
    finite = [v for v in values if math.isfinite(v)]
    sizes = [abs(v) for v in finite if v]
    big, small = max(sizes, default=0), min(sizes, default=0)
    if sizes and (big >= 1e8 or small < 1e-4 or big / small > 1e3):  # all with one exponent
        digits = max(len(f"{v:.6e}".split("e")[0].rstrip("0").split(".")[1]) for v in finite)
        texts = [f"{v:.{digits}e}" for v in finite]
        width = max(len(t.split("e")[1]) for t in texts)  # of the exponent, with its sign
        texts = [_exponent(t, width) for t in texts]
    else:  # up to 6 digits after the point, fewer if fewer say the same number
        texts = [_positional(v) for v in finite]
    whole, fraction = zip(*(t.split(".") for t in texts), strict=True) if texts else ((), ())
    left = max(map(len, whole), default=0)
    right = max(map(len, fraction), default=0)
    if len(finite) < len(values):  # room for nan and -inf
        left = max(left, 3 + (-math.inf in values) - right - 1)
    padded = iter(f"{w:>{left}}.{f:<{right}}" for w, f in zip(whole, fraction, strict=True))
    shown = [next(padded) if math.isfinite(v) else f"{_nonfinite(v):>{left + right + 1}}"
             for v in values]  # fmt: skip
    if summarized:
        shown[2:2] = ["..."]
    text, line = "", " "  # numpy's lines: 75 characters at most, the next ones indented
    for i, word in enumerate(shown):
        if len(line) + len(word) > 74 and len(line) > 1:
            text, line = text + line.rstrip() + "\n", " "
        line += word + ", " * (i < len(shown) - 1)
    return "[" + (text + line)[1:] + "]"


def _positional(v: float) -> str:
    text = repr(v)  # the shortest digits that give v back; numpy writes 1.0 as "1."
    if len(text.split(".")[1]) > 6:
        text = f"{v:.6f}".rstrip("0")
    return text[:-1] if text.endswith(".0") else text


def _exponent(text: str, width: int) -> str:
    mantissa, power = text.split("e")
    mantissa += "." * ("." not in mantissa)
    return f"{mantissa}e{power[0]}{power[1:].zfill(width - 1)}"


def _nonfinite(v: float) -> str:
    return "nan" if math.isnan(v) else ("-inf" if v < 0 else "inf")
