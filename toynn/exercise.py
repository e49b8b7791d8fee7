"""Grade a network rebuilt from memory, one step at a time: ``toynn check FILE``.

Part 6 asks you to write the 3-layer network again without looking. The blank template,
``docs/exercise/network_from_memory.py``, holds six functions to fill in. ``check_file``
runs your file in a separate Python process and calls each function there, on the XOR
data and small fixed weights; this process compares the results with toynn's own
arithmetic and stops at the first difference, naming the usual mistake when it
recognises one. ``check_module`` grades functions already defined here (a notebook's
``globals()``), in this process. The checks and their words live in
``toynn/exercise_plain.py``, which grades the page's plain-Python exercise with them too.

Your code runs apart so that nothing it does can hang or end the checker, or rewrite its
verdict: a step that runs longer than ``time_limit`` seconds is stopped, whatever your
code prints is kept (its first and last few lines are shown at a failure), and only
arrays come back from it, never code.

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

import base64
import contextlib
import faulthandler
import functools
import io
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import tokenize
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import ModuleType

import numpy as np

from toynn._checks import check_number
from toynn.data import xor_data
from toynn.exercise_plain import (
    FUNCTIONS,
    ON_IMPORT,
    STEP_RTOL,
    TRAIN_RTOL,
    Check,
    Steps,
    cannot_read,
    cut,
    describe,
    not_numbers,
    parameters_hint,
    returned,
    run_theirs,
)
from toynn.exercise_plain import Wrong as _Wrong
from toynn.network import mean_absolute_error, predict, sigmoid, starting_weights, train
from toynn.network import sigmoid_output_to_derivative as slope_of

TEMPLATE = "docs/exercise/network_from_memory.py (Part 6 of the site)"
TRAIN_SETTINGS = {"alpha": 0.5, "hidden_size": 4, "iterations": 1_000, "seed": 1}
# Seconds each step of your code may run. toynn's own 1,000 iterations take a twentieth of
# a second: a step that needs this long is almost surely a loop that never ends.
TIME_LIMIT = 20.0

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


class Interrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``grade_file``: the message says which step was running."""


def reference_values() -> dict:
    """Every answer the checks compare with, and every mistake they recognise, as plain
    lists: what ``toynn.exercise_plain`` grades the page's plain-Python exercise against.
    It survives JSON: ``json.dumps`` writes each float so that it reads back the same."""
    return _as_lists(_reference())


@functools.cache
def _reference() -> dict:
    """The same, as numpy arrays: what ``check_file`` and ``check_module`` compare with."""
    x = np.array([[-4.0, -1.0, 0.0], [0.5, 2.0, 30.0]])
    output = sigmoid(np.linspace(-3, 3, 6).reshape(2, 3))
    run = train(X, Y, every=1, **TRAIN_SETTINGS)  # toynn's error at every iteration

    def deltas(s: int) -> dict:  # for the error layer_2 - y (s = 1) and y - layer_2 (s = -1)
        return {
            "error": s * ERROR,
            "layer_2_delta": s * LAYER_2_DELTA,
            "layer_1_delta": s * LAYER_1_DELTA,
            "layer_1_delta without slope": s * LAYER_2_DELTA @ SYNAPSE_1.T,
            "layer_1_delta from the error": s * ERROR @ SYNAPSE_1.T * slope_of(LAYER_1),
        }

    steps = {"right": -ALPHA, "uphill": ALPHA, "no alpha": -1, "unchanged": 0}
    pairs = list(zip((SYNAPSE_0, SYNAPSE_1), SLOPES, strict=True))
    update = {kind: [old + a * slope for old, slope in pairs] for kind, a in steps.items()}
    return {
        "X": X, "Y": Y, "synapse_0": SYNAPSE_0, "synapse_1": SYNAPSE_1, "alpha": ALPHA,
        "sigmoid": {"x": x, "expected": sigmoid(x), "without minus": 1 / (1 + np.exp(x)),
                    "slope": slope_of(x)},
        "sigmoid_output_to_derivative": {"output": output, "expected": slope_of(output),
                                         "sigmoid twice": slope_of(sigmoid(output))},
        "forward": {"layer_1": LAYER_1, "layer_2": LAYER_2, "layer_1 unsquashed": X @ SYNAPSE_0,
                    "layer_2 unsquashed": LAYER_1 @ SYNAPSE_1},
        "deltas": {"1": deltas(1), "-1": deltas(-1)},
        "update": update,  # kind of step -> (synapse_0, synapse_1)
        "train": {"settings": TRAIN_SETTINGS, "errors": np.array(run.errors),
                  "final error": mean_absolute_error(predict(X, run.synapse_0, run.synapse_1) - Y)},
    }  # fmt: skip


def _as_lists(value: object) -> object:
    if isinstance(value, dict):
        return {key: _as_lists(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_as_lists(item) for item in value]
    return value.tolist() if isinstance(value, (np.ndarray, np.generic)) else value


def check_file(path: str | Path, *, time_limit: float = TIME_LIMIT) -> list[Check]:
    """Run the Python file at ``path`` in a child process and grade its six functions.

    Returns one ``Check`` per step, in order, ending at the first step that failed: a
    syntax error, an exception or a crash while importing, or a step that runs longer
    than ``time_limit`` seconds, is a failed step too.
    """
    return list(grade_file(path, time_limit=time_limit))


def grade_file(path: str | Path, *, time_limit: float = TIME_LIMIT) -> Iterator[Check]:
    """``check_file``, one check at a time: each is yielded as soon as it is decided, so a
    step that hangs cannot hide the ones that passed before it."""
    path = Path(path)
    time_limit = check_number(time_limit, "time_limit", positive=True)
    imports = f"{path.name} imports"
    try:
        child = _Child(path, time_limit)
    except OSError as error:
        yield Check(imports, False, f"The checker cannot start Python to run it: {error}")
        return
    with child:
        grader = _Grader(child.call, set())
        grader.step = imports
        try:
            try:
                grader.present_functions = child.start()
            except _Wrong as wrong:
                yield child.failed(imports, str(wrong))
                return
            yield Check(imports, True)
            for check in grader.checks():
                yield check if check.passed else child.failed(check.name, check.message)
        except KeyboardInterrupt:
            raise Interrupted(child.interrupted(grader.step)) from None


def check_module(code: ModuleType | Mapping[str, object]) -> list[Check]:
    """Grade the six functions of a module, or of a dict of them such as ``globals()``.

    They run here, in this process, without a time limit. Returns one ``Check`` per step,
    in order, ending at the first step that failed.
    """
    functions = vars(code) if isinstance(code, ModuleType) else dict(code)

    def run(name: str, args: list, names: list[str]) -> list[np.ndarray]:
        return _run(functions[name], name, args, names)

    present = {name for name in FUNCTIONS if callable(functions.get(name))}
    return list(_Grader(run, present).checks())


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No numpy or Python warnings: a reader's overflow shows up as a wrong number."""
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _close(got: np.ndarray, expected: np.ndarray, rtol: float = STEP_RTOL) -> bool:
    got, expected = np.asarray(got), np.asarray(expected)
    return got.shape == expected.shape and np.allclose(got, expected, rtol=rtol, atol=1e-12)


Runner = Callable[[str, list, list[str]], list[np.ndarray]]  # (name, args, result names)


class _Grader(Steps):
    """The checks of ``toynn.exercise_plain``, with numpy's arithmetic.

    ``run`` calls one of the reader's functions, here or in the child process, and returns
    what it returned as float arrays; ``present`` names the functions the reader wrote.
    """

    seed_hint = "Seed with np.random.seed(seed), then draw synapse_0 and synapse_1, in that order."

    def __init__(self, run: Runner, present: set[str]) -> None:
        super().__init__(run, _reference(), present)

    def shape(self, value: np.ndarray) -> tuple[int, ...]:
        return np.shape(value)

    def close(self, got, expected, rtol: float = STEP_RTOL) -> bool:
        return _close(got, expected, rtol)

    def first_apart(self, errors: np.ndarray, expected: np.ndarray) -> int | None:
        apart = np.flatnonzero(~np.isclose(errors, expected, rtol=TRAIN_RTOL, atol=0))
        return apart[0] if apart.size else None

    def finite(self, value: np.ndarray) -> bool:
        return bool(np.all(np.isfinite(value)))

    def error_of(self, synapse_0: np.ndarray, synapse_1: np.ndarray) -> float:
        return mean_absolute_error(predict(X, synapse_0, synapse_1) - Y)

    def show(self, value: np.ndarray) -> str:
        show = {"precision": 6, "separator": ", ", "threshold": 4, "edgeitems": 2}
        return np.array2string(np.asarray(value).ravel(), **show)

    def copy(self, value):
        return value.copy() if isinstance(value, np.ndarray) else value

    def quiet(self):
        return _quiet()


# --- Calling the reader's functions: the same code here (check_module) and in the child.

_IN_CHILD = False  # True in the child process, where even KeyboardInterrupt is theirs
_LARGEST = 10_000  # numbers per returned value worth sending: toynn's largest is 1,000
_KINDS = {"U": "text", "S": "bytes", "M": "dates", "m": "time spans", "V": "raw bytes"}


def _run(function: Callable, name: str, args: list, names: list[str]) -> list[np.ndarray]:
    """Call the reader's function; return its values, named ``names``, as float arrays."""
    return run_theirs(function, name, args, names, floats=_floats, hints=_hints, quiet=_quiet,
                      interrupts_are_theirs=_IN_CHILD, ours=(__file__,))  # fmt: skip


def _floats(name: str, what: str, value: object, several: bool) -> np.ndarray:
    """``value`` as a float array, refusing what only looks like numbers (complex, text)."""
    try:
        array = np.asarray(value)
    except Exception:  # ragged lists, or an object numpy cannot read
        raise not_numbers(name) from None
    if array.dtype.kind == "c":
        raise returned(name, what, several, "complex numbers")
    if array.dtype.kind in _KINDS:
        raise returned(name, what, several, _KINDS[array.dtype.kind])
    if array.size > _LARGEST:  # wrong anyway: only its shape is reported, so keep no copy
        return np.broadcast_to(np.nan, array.shape)
    try:
        return array.astype(float)
    except (TypeError, ValueError):
        raise not_numbers(name) from None


# --- The child process. The checker sends it one line of JSON per call, on its stdin, and
# reads one line per answer from its stdout: only float arrays and messages, so the
# answers can be wrong but cannot run code here. The reader's prints go to stderr, which
# this process keeps (bounded); Ctrl-C reaches this process only, which ends the child.

_BOOT = "import sys; sys.path.append(sys.argv.pop(1)); from toynn.exercise import _serve; _serve()"
_STARTUP_LIMIT = 120.0  # seconds for Python and numpy to start: not the reader's time
_LONGEST_REPLY = 1_000_000  # bytes: three arrays of _LARGEST numbers fit easily


class _Child:
    """The reader's file, imported in a child Python process that runs one function at a
    time and is killed at the first failure, at a time limit, or at the end."""

    def __init__(self, path: Path, time_limit: float) -> None:
        self.path, self.time_limit = path, time_limit
        self.printed = _Printed()
        self.replies: queue.Queue[bytes | None] = queue.Queue()
        self.running: tuple[str, float] | None = None  # what runs, and since when
        toynn_home = str(Path(__file__).resolve().parent.parent)  # if toynn is not installed
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-c", _BOOT, toynn_home, str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,  # a Ctrl-C in the terminal reaches the checker only
        )  # fmt: skip
        self.threads = [
            threading.Thread(target=self._read_replies, daemon=True),
            threading.Thread(target=self._keep_output, daemon=True),
        ]
        for thread in self.threads:
            thread.start()

    def __enter__(self) -> _Child:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def start(self) -> set[str]:
        """Wait for the child to import the file; return the names of its functions."""
        try:
            ready = "ready" in self._receive("Starting Python", _STARTUP_LIMIT)
        except _Wrong:
            ready = False
        if not ready:
            raise _Wrong("The checker could not start a Python process to run it.")
        doing = f"Importing {self.path.name}"
        reply = self._receive(doing, self.time_limit, f"the import of {self.path.name}")
        if "wrong" in reply:
            raise _Wrong(str(reply["wrong"]))
        if not isinstance(reply.get("present"), list):
            raise _Wrong(f"{doing}: the child process sent something the checker cannot read.")
        return {name for name in FUNCTIONS if name in reply["present"]}

    def call(self, name: str, args: list, names: list[str]) -> list[np.ndarray]:
        """Run the reader's function ``name`` in the child: a ``Runner`` for ``_Grader``."""
        self._send({"call": name, "args": [_encode(a) for a in args], "names": names})
        reply = self._receive(name, self.time_limit, name)
        if "wrong" in reply:
            raise _Wrong(str(reply["wrong"]))
        try:
            arrays = [_decode(value) for value in reply["arrays"]]
        except (KeyError, TypeError, ValueError):
            arrays = []
        if len(arrays) != len(names):
            raise _Wrong(f"{name}: the child process sent something the checker cannot read.")
        return arrays

    def failed(self, name: str, message: str) -> Check:
        """The failed check ``name``, with the end of what the reader's code printed."""
        self.stop()  # it has printed all it will: show it
        return Check(name, False, "\n".join([message, *self.printed.excerpt()]))

    def interrupted(self, step: str) -> str:
        """Ctrl-C's message: what was running, and for how long."""
        if self.running is None:
            return f"Ctrl-C stopped the checker while it checked {step}."
        what, since = self.running
        return f"Ctrl-C stopped {what} after {time.monotonic() - since:.1f} s."

    def stop(self) -> int:
        """End the child and everything it started; return its exit code."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)  # its own children too
            except (AttributeError, OSError):  # no process groups (Windows), or gone
                self.process.kill()
        code = self.process.wait()
        with contextlib.suppress(OSError):
            self.process.stdin.close()
        for thread in self.threads:
            thread.join(timeout=1)
        return code

    def _send(self, message: dict) -> None:
        try:
            self.process.stdin.write(json.dumps(message).encode() + b"\n")
            self.process.stdin.flush()
        except OSError:  # it has ended: _receive says how
            pass

    def _receive(self, doing: str, limit: float, running: str | None = None) -> dict:
        """The child's next answer, or a failure that says why none came in time."""
        self.running = (running, time.monotonic()) if running else None  # for Ctrl-C
        try:
            line = self.replies.get(timeout=limit)
        except queue.Empty:
            self.stop()
            never = f"{doing} did not finish within {limit:g} s: is there a loop that never ends?"
            raise _Wrong(never, *_on_import(doing)) from None
        self.running = None
        if line is None:  # the child closed its end: it has ended
            raise _Wrong(_ended(doing, self.stop()), *_on_import(doing))
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            raise _Wrong(f"{doing}: the child process sent something the checker cannot read.")
        return reply

    def _read_replies(self) -> None:
        with self.process.stdout as replies:
            while (line := replies.readline(_LONGEST_REPLY)).endswith(b"\n"):
                self.replies.put(line)
        if line:
            self.replies.put(line)  # too long: _receive says it cannot read it
        self.replies.put(None)  # the end

    def _keep_output(self) -> None:
        with self.process.stderr as output:
            while chunk := output.read1(65536):
                self.printed.add(chunk)


def _on_import(doing: str) -> list[str]:
    """Advice for a failure while importing: code outside the functions runs then."""
    return [ON_IMPORT] if doing.startswith("Importing") else []


def _ended(doing: str, code: int) -> str:
    """Why the child ended without answering, from its exit code."""
    if code >= 0:
        return (f"{doing} ended Python with exit code {code} instead of returning: "
                "does it call os._exit()?")  # fmt: skip
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    why = ": killed, perhaps for using too much memory" if name == "SIGKILL" else ""
    return f"{doing} crashed Python ({name}){why}."


class _Printed:
    """What the reader's code printed: its start and its end, however much it printed."""

    KEEP = 4096  # bytes kept at each end
    LINES = 5  # lines shown at each end

    def __init__(self) -> None:
        self.head, self.tail = bytearray(), b""
        self.size, self.lines, self.last = 0, 0, b"\n"

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.lines += chunk.count(b"\n")
        self.last = chunk[-1:]
        room = self.KEEP - len(self.head)
        if room > 0:
            self.head += chunk[:room]
            chunk = chunk[room:]
        if chunk:
            self.tail = (self.tail + chunk)[-self.KEEP :]

    def excerpt(self) -> list[str]:
        """Lines for a failure message: all of it if short, else its first and last lines."""
        if not self.size:
            return []
        lines = self.lines + (self.last != b"\n")  # an unfinished last line counts too
        plural = "s" * (lines != 1)
        first = self.head.decode(errors="replace").splitlines()
        last = self.tail.decode(errors="replace").splitlines()
        if not last and len(first) <= 2 * self.LINES:  # short: show all of it
            return [f"Printed while your code ran, {lines} line{plural}:", *map(_quote, first)]
        if not last:  # it all fits in the head, in too many lines to show
            first, last = first[: self.LINES], first[self.LINES :]
        first, last = first[: self.LINES], last[-self.LINES :]
        left = f"... {lines - len(first) - len(last):,} more lines ..."
        return [f"Printed while your code ran, {lines:,} lines, {self.size:,} bytes; the first "
                f"and last {self.LINES}:", *map(_quote, [*first, left, *last])]  # fmt: skip


def _quote(line: str) -> str:
    return f"    | {cut(line, 100)}"


def _encode(value: object) -> object:
    """An argument or a result, as JSON: arrays exactly, as their float64 bytes."""
    if not isinstance(value, np.ndarray):
        return value  # alpha, hidden_size, iterations, seed
    data = None if value.size > _LARGEST else base64.b64encode(value.astype(float).tobytes())
    return {"shape": list(value.shape), "data": data and data.decode()}


def _decode(value: object) -> object:
    if not isinstance(value, dict):
        return value
    shape = tuple(int(n) for n in value["shape"])
    if value["data"] is None:  # too large to send: only its shape counts
        return np.broadcast_to(np.nan, shape)
    return np.frombuffer(base64.b64decode(value["data"]), dtype=float).reshape(shape).copy()


def _serve() -> None:
    """The child process's side: import the file, then run each function asked for."""
    global _IN_CHILD
    _IN_CHILD = True
    path = Path(sys.argv[1])
    requests, replies = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    # Only the checker talks on those two copies. The reader's code reads an empty stdin
    # and prints into stderr, which the checker keeps and shows at a failure.
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(2, 1)
    sys.stdout.reconfigure(line_buffering=True)  # lines printed before a crash are kept
    faulthandler.enable()  # a crash in C code still prints the reader's line

    def send(reply: dict) -> None:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):  # they may have replaced or closed it
                stream.flush()
        replies.write(json.dumps(reply).encode() + b"\n")
        replies.flush()

    send({"ready": True})
    try:
        functions = _import(path)
    except _Wrong as wrong:
        send({"wrong": str(wrong)})
        return
    send({"present": [name for name in FUNCTIONS if callable(functions.get(name))]})
    for line in requests:
        request = json.loads(line)
        name, names = request["call"], request["names"]
        try:
            arrays = _run(functions[name], name, [_decode(a) for a in request["args"]], names)
        except _Wrong as wrong:
            send({"wrong": str(wrong)})
        else:
            send({"arrays": [_encode(array) for array in arrays]})


def _import(path: Path) -> dict:
    """Run the file as ``python FILE`` would (its encoding, its folder on the import path),
    but under another name than "__main__", so its demo does not run. Return its names."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _Wrong(f"Cannot read it: {error.strerror or error}") from None
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)  # BOM, coding line
    except SyntaxError as error:  # not UTF-8 in its first lines, or an unknown coding line
        advice = "Save it as UTF-8, or name its encoding:  # -*- coding: latin-1 -*-"
        raise _Wrong(f"Cannot read it as UTF-8 text: {error.msg}", advice) from None
    try:
        source = data.decode(encoding)
        code = compile(source, str(path), "exec", dont_inherit=True)
    except UnicodeDecodeError as error:
        shown = "UTF-8" if encoding.startswith("utf-8") else encoding
        raise _Wrong(f"Cannot read it as {shown} text: {error}") from None
    except SyntaxError as error:
        raise _Wrong(*cannot_read(error)) from None
    except ValueError as error:  # a null byte
        raise _Wrong(f"Python cannot read it: {error}") from None
    sys.argv = [str(path)]
    sys.path.insert(0, str(path.resolve().parent))  # so `import helper` finds helper.py
    module = ModuleType(f"_toynn_exercise_{path.stem}")
    module.__file__ = str(path)
    sys.modules[module.__name__] = module  # some code (dataclasses) looks itself up there
    try:
        with _quiet():
            exec(code, vars(module))
    except BaseException as error:  # SystemExit, KeyboardInterrupt...: all theirs
        raise _Wrong(
            f"Importing it raised {describe(error, (__file__,))}", *_on_import("Importing")
        ) from None
    return vars(module)


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
    return parameters_hint(name, error)
