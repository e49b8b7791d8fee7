"""Grade a network rebuilt from memory, one step at a time: ``toynn check FILE``.

Part 6 asks you to write the 3-layer network again without looking. The blank template,
``docs/exercise/network_from_memory.py``, holds six functions to fill in. ``check_file``
imports your file; ``check_module`` runs each function on the XOR data and small fixed
weights, compares the result with toynn's own arithmetic, and stops at the first
difference, naming the usual mistake when it recognises one.

toynn's own network would not pass: its steps live inside ``train``, not in functions.

>>> import toynn.network
>>> for check in check_module(toynn.network):
...     print(check)
✗ six functions
  Missing:
      forward(X, synapse_0, synapse_1)
      deltas(y, layer_1, layer_2, synapse_1)
      update(X, layer_1, layer_1_delta, layer_2_delta, synapse_0, synapse_1, alpha)
  Keep the template's names and parameters.
"""

from __future__ import annotations

import re
import sys
import traceback
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np

from toynn.data import xor_data
from toynn.network import mean_absolute_error, predict, sigmoid, starting_weights, train
from toynn.network import sigmoid_output_to_derivative as slope_of

TEMPLATE = "docs/exercise/network_from_memory.py (Part 6 of the site)"
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
TRAIN_SETTINGS = {"alpha": 0.5, "hidden_size": 4, "iterations": 1_000, "seed": 1}

# The step checks' fixed inputs and toynn's answers. Five hidden nodes, so no matrix is
# square: a matrix used the wrong way round shows up as a wrong shape.
X, Y = xor_data()
SYNAPSE_0, SYNAPSE_1 = starting_weights([(3, 5), (5, 1)], seed=2)
LAYER_1 = sigmoid(X @ SYNAPSE_0)
LAYER_2 = sigmoid(LAYER_1 @ SYNAPSE_1)
ERROR = LAYER_2 - Y
LAYER_2_DELTA = ERROR * slope_of(LAYER_2)
LAYER_1_DELTA = LAYER_2_DELTA @ SYNAPSE_1.T * slope_of(LAYER_1)
SLOPES = (X.T @ LAYER_1_DELTA, LAYER_1.T @ LAYER_2_DELTA)  # of synapse_0, synapse_1
ALPHA = 0.5  # not 1, so that a missing alpha shows


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


class _Wrong(Exception):
    """A check failed: the lines say what is wrong and how to fix it."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))


def check_file(path: str | Path) -> list[Check]:
    """Import the Python file at ``path`` and grade it with ``check_module``.

    A syntax error, or an exception while importing, becomes a failed first check.
    """
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [Check(f"{path.name} imports", False, f"Cannot read it as UTF-8 text: {error}")]
    module = ModuleType(f"_toynn_exercise_{path.stem}")  # not "__main__": no demo runs
    module.__file__ = str(path)
    sys.modules[module.__name__] = module  # some code (dataclasses) looks itself up there
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(source, str(path), "exec"), vars(module))
    except SyntaxError as error:
        problem = f"Python cannot read line {error.lineno}: {error.msg}\n    {error.text or ''}"
    except (Exception, SystemExit) as error:
        problem = (f"Importing it raised {_describe(error)}\nCode outside the functions runs "
                   'on import: put experiments under  if __name__ == "__main__":')  # fmt: skip
    else:
        return [Check(f"{path.name} imports", True), *check_module(module)]
    finally:
        sys.modules.pop(module.__name__, None)
    return [Check(f"{path.name} imports", False, problem.rstrip())]


def check_module(code: ModuleType | Mapping[str, object]) -> list[Check]:
    """Grade the six functions of a module, or of a dict of them such as ``globals()``.

    Returns one ``Check`` per step, in order, ending at the first step that failed.
    """
    grader = _Grader(vars(code) if isinstance(code, ModuleType) else dict(code))
    iterations = f"train, {TRAIN_SETTINGS['iterations']:,} iterations"
    names = {"present": "six functions", "train": iterations}
    checks = []
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # their overflows show up as wrong numbers anyway
        for step in ["present", *FUNCTIONS]:  # the grader's methods, in order
            name = names.get(step, step)
            try:
                checks.append(Check(name, True, getattr(grader, step)() or ""))
            except _Wrong as wrong:
                checks.append(Check(name, False, str(wrong)))
                break
    return checks


def _describe(error: BaseException) -> str:
    """The error and the reader's line where it happened (not numpy's, not ours)."""
    frames = traceback.extract_tb(error.__traceback__)
    theirs = [f for f in frames if f.filename != __file__ and "numpy" not in Path(f.filename).parts]
    where = f"\n    line {theirs[-1].lineno}, in {theirs[-1].name}" if theirs else ""
    code = f": {theirs[-1].line}" if theirs and theirs[-1].line else ""
    return f"{type(error).__name__}: {str(error).strip()}{where}{code}"


def _close(got: np.ndarray, expected: np.ndarray, rtol: float = STEP_RTOL) -> bool:
    return got.shape == expected.shape and np.allclose(got, expected, rtol=rtol, atol=1e-12)


def _expect(what: str, got: np.ndarray, expected: np.ndarray, mistakes: dict | None = None):
    """Pass if ``got`` matches ``expected``; if not, name the mistake it matches."""
    if _close(got, expected):
        return
    for explanation, candidate in (mistakes or {}).items():
        if _close(got, candidate):
            raise _Wrong(f"{what}: {explanation}.")
    show = {"precision": 6, "separator": ", ", "threshold": 4, "edgeitems": 2}
    expected, got = (np.array2string(a.ravel(), **show) for a in (expected, got))
    raise _Wrong(f"{what} differs from toynn's:", f"    expected {expected}", f"    got      {got}")


class _Grader:
    """The checks, in order: each returns a note (or None) or raises ``_Wrong``."""

    def __init__(self, functions: dict) -> None:
        self.functions = functions
        self.sign = 1  # -1 when the reader's error is y - layer_2: fine if their update adds

    def call(self, name: str, shapes: dict, *args) -> list[np.ndarray]:
        """Run the reader's function on copies of ``args``; check what it returns."""
        args = [arg.copy() if isinstance(arg, np.ndarray) else arg for arg in args]
        try:
            result = self.functions[name](*args)
        except NotImplementedError:
            raise _Wrong(
                f"{name} is not written yet.", "Write its body, then check again."
            ) from None
        except (Exception, SystemExit) as error:
            raise _Wrong(f"{name} raised {_describe(error)}", *_hints(name, error, args)) from None
        names, wanted = list(shapes), list(shapes.values())
        if result is None:
            raise _Wrong(f"{name} returned None: end it with  return {', '.join(names)}")
        values = list(result) if len(names) > 1 and isinstance(result, (tuple, list)) else [result]
        if len(values) != len(names):
            raise _Wrong(f"{name} must return {len(names)} values: {', '.join(names)}.")
        try:
            arrays = [np.asarray(value, dtype=float) for value in values]
        except (TypeError, ValueError):
            raise _Wrong(f"{name} must return numbers or arrays of numbers.") from None
        if len(arrays) == 2 and [a.shape for a in arrays] == wanted[::-1] != wanted:
            raise _Wrong(f"{name} returned them in the wrong order: return {', '.join(names)}")
        for what, shape, array in zip(names, wanted, arrays, strict=True):
            if shape and array.shape != shape:
                turned = array.shape == shape[::-1]
                raise _Wrong(f"expected {what} of shape {shape}, got {array.shape}"
                             + ": a matrix is used the wrong way round" * turned)  # fmt: skip
        return arrays

    def present(self) -> None:
        missing = [
            f"    {n}({p})" for n, p in FUNCTIONS.items() if not callable(self.functions.get(n))
        ]
        if missing:
            raise _Wrong("Missing:", *missing, "Keep the template's names and parameters.")

    def sigmoid(self) -> None:
        x = np.array([[-4.0, -1.0, 0.0], [0.5, 2.0, 30.0]])
        (got,) = self.call("sigmoid", {"sigmoid(x)": x.shape}, x)
        _expect("sigmoid(x)", got, sigmoid(x), {
            "it is 1 / (1 + e^x).\nThe exponent needs a minus sign": 1 / (1 + np.exp(x)),
            "that is the formula of its slope.\nThe sigmoid itself is 1 / (1 + e^-x)": slope_of(x),
        })  # fmt: skip

    def sigmoid_output_to_derivative(self) -> None:
        output = sigmoid(np.linspace(-3, 3, 6).reshape(2, 3))
        (got,) = self.call("sigmoid_output_to_derivative", {"slope": output.shape}, output)
        again = (
            "the sigmoid is applied twice.\noutput already is the sigmoid's result: use it as it is"
        )
        _expect("the slope", got, slope_of(output), {again: slope_of(sigmoid(output))})

    def forward(self) -> None:
        shapes = {"layer_1": LAYER_1.shape, "layer_2": LAYER_2.shape}
        layer_1, layer_2 = self.call("forward", shapes, X, SYNAPSE_0, SYNAPSE_1)
        squash = "the sigmoid is missing.\nSquash the weighted sums with your sigmoid"
        _expect("layer_1", layer_1, LAYER_1, {squash: X @ SYNAPSE_0})
        _expect("layer_2", layer_2, LAYER_2, {squash: LAYER_1 @ SYNAPSE_1})

    def deltas(self) -> str | None:
        shapes = {"layer_1_delta": LAYER_1_DELTA.shape, "layer_2_delta": LAYER_2_DELTA.shape}
        got_1, got_2 = self.call("deltas", shapes, Y, LAYER_1, LAYER_2, SYNAPSE_1)
        s = self.sign = -1 if _close(got_2, -LAYER_2_DELTA) or _close(got_2, -ERROR) else 1
        missing = "missing derivative.\nMultiply by the slope of the sigmoid at {}"
        _expect("layer_2_delta", got_2, s * LAYER_2_DELTA, {missing.format("layer_2"): s * ERROR})
        _expect("layer_1_delta", got_1, s * LAYER_1_DELTA, {
            missing.format("layer_1"): s * LAYER_2_DELTA @ SYNAPSE_1.T,
            "it sends the error back, not the delta.\nSend layer_2_delta back through synapse_1":
                s * ERROR @ SYNAPSE_1.T * slope_of(LAYER_1),
        })  # fmt: skip
        return "your error is y - layer_2, the other sign: then update must add" if s < 0 else None

    def update(self) -> None:
        shapes = {"synapse_0": SYNAPSE_0.shape, "synapse_1": SYNAPSE_1.shape}
        deltas = self.sign * LAYER_1_DELTA, self.sign * LAYER_2_DELTA
        got = self.call("update", shapes, X, LAYER_1, *deltas, SYNAPSE_0, SYNAPSE_1, ALPHA)
        steps = {"right": -ALPHA, "uphill": ALPHA, "no alpha": -1, "unchanged": 0}
        pairs = zip(got, (SYNAPSE_0, SYNAPSE_1), SLOPES, strict=True)
        kinds = [next((kind for kind, a in steps.items() if _close(new, old + a * slope)), "")
                 for new, old, slope in pairs]  # fmt: skip
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
                raise _Wrong(f"{names}: {problem}.")
        for i, kind in enumerate(kinds):
            if not kind:  # none of the above: show the numbers
                _expect(f"synapse_{i}", got[i], (SYNAPSE_0, SYNAPSE_1)[i] - ALPHA * SLOPES[i])

    def train(self) -> str:
        run = train(X, Y, every=1, **TRAIN_SETTINGS)  # toynn's error at every iteration
        expected, hidden = np.array(run.errors), TRAIN_SETTINGS["hidden_size"]
        shapes = {"synapse_0": (3, hidden), "synapse_1": (hidden, 1), "errors": expected.shape}
        synapse_0, synapse_1, errors = self.call("train", shapes, X, Y, *TRAIN_SETTINGS.values())
        if not _close(errors[:1], expected[:1]):
            if _close(errors[:1], expected[1:2]):
                raise _Wrong("errors[0] is measured after the first update.",
                             "Measure each error right after the forward pass.")  # fmt: skip
            raise _Wrong(f"the first error is {errors[0]:.6g}, toynn's {expected[0]:.6g}: "
                         "the starting weights differ.", "Seed with np.random.seed(seed), "
                         "then draw synapse_0 and synapse_1, in that order.")  # fmt: skip
        if errors[-1] > errors[0]:
            raise _Wrong(f"wrong sign: the error grew from {errors[0]:.4g} to {errors[-1]:.4g}.",
                         "train climbs uphill: check the sign of its update.")  # fmt: skip
        apart = np.flatnonzero(~np.isclose(errors, expected, rtol=TRAIN_RTOL, atol=0))
        if apart.size:
            i = apart[0]
            raise _Wrong(f"the errors agree with toynn's until iteration {i:,}, then differ: "
                         f"{errors[i]:.6g}, toynn's {expected[i]:.6g}.",
                         "Does train call your own forward, deltas and update?")  # fmt: skip
        mine = mean_absolute_error(predict(X, synapse_0, synapse_1) - Y)
        ours = mean_absolute_error(predict(X, run.synapse_0, run.synapse_1) - Y)
        if not _close(np.array(mine), np.array(ours), rtol=TRAIN_RTOL):
            raise _Wrong(f"the final weights give error {mine:.6g}, toynn's {ours:.6g}.")
        return f"error {mine:.4f} at the end, toynn.train's {ours:.4f}"


def _hints(name: str, error: BaseException, args: list) -> list[str]:
    """What usually causes this exception here, in a line or two."""
    text = str(error)
    if re.search(r"shape|align|mismatch|broadcast", text):
        params = zip(FUNCTIONS[name].split(", "), args, strict=True)
        given = ", ".join(f"{p} {a.shape}" for p, a in params if hasattr(a, "shape"))
        hint = [f"It was given {given}.", "In A @ B, A's columns must match B's rows."]
        found = list(dict.fromkeys(re.findall(r"\((\d+), ?(\d+)\)", text)))  # in order, once
        if len(found) == 2 and found[0] == found[1][::-1]:  # numpy names the target first
            (rows, columns), got = found
            return [f"Expected shape ({rows}, {columns}), got ({columns}, {rows}): a matrix is "
                    "used the wrong way round.", *hint]  # fmt: skip
        return ["The shapes do not fit.", *hint]
    if "Python scalars" in text:
        return ["Use np.exp: it works on whole arrays, math.exp on one number only."]
    if isinstance(error, TypeError) and "argument" in text:
        return [f"Keep the template's parameters: {name}({FUNCTIONS[name]})"]
    return []
