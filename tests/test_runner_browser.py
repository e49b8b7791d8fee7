"""The in-page runner in headless Chromium: Pyodide, from the site's own files, prints
what CPython prints, bit for bit; Stop ends a run; errors show as tracebacks; Part 6's
exercise is graded in the page as toynn check grades it.

One page and one Python for the whole file (booting Pyodide takes seconds): the tests run
in order, each leaving the runner idle for the next. The build leaves the runner out when
it cannot get Pyodide (no npm); then these tests skip and say why, or fail under
TOYNN_REQUIRE_BROWSER=1 or TOYNN_REQUIRE_RUNNER=1, as in CI.
"""

import ast
import json
import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import numpy as np
import pytest

from tests import test_site_pages as site_pages
from tests.conftest import ROOT, Visit
from toynn.exercise_plain import ALL_PASS, page_report
from toynn.site import pyodide
from toynn.site.runnable import runnable_code

INDEX = ROOT / "docs" / "index.md"
SECONDS = 120_000  # milliseconds to wait for a run: 60,000 iterations take ~4 s in Pyodide


def cpython(code: str) -> str:
    """What CPython prints running ``code`` as a file, stdout and stderr as they come."""
    done = subprocess.run(
        [sys.executable, "-I", "-"], input=code, capture_output=True, text=True, timeout=120
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def runner(browser, served_site, summary_lines):
    """The landing page with its runner open and its Python booted."""
    if not (served_site.site_dir / "assets/pyodide/pyodide.mjs").is_file():
        why = re.search(r"the in-page runner was left out: .*", served_site.log)
        reason = why[0] if why else "the build shipped no assets/pyodide/"
        if os.environ.get("TOYNN_REQUIRE_BROWSER") == "1" or pyodide.required():
            pytest.fail(f"the runner's tests must run here, but {reason}")
        pytest.skip(reason)
    view = Visit(browser, served_site.url)
    page = view.page
    # Nothing of Pyodide before the reader asks for it (the page's runner.js and .css is all).
    loaded = page.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    runner_files = sorted(urlsplit(url).path for url in loaded if "runner" in url)
    assert runner_files == ["/assets/runner.css", "/assets/runner.js"]
    assert not [url for url in loaded if "pyodide" in url], loaded
    view.requests = []  # what the page and its worker ask for from here on
    page.on("request", lambda request: view.requests.append(request.url))
    page.get_by_role("button", name="Run in this page").click()
    view.measured = [status(page, "Python is ready")]
    yield view
    view.close()
    summary_lines.append("in-page runner (Chromium, Pyodide): " + " ".join(view.measured))


def status(page, starts_with: str, timeout: int = SECONDS) -> str:
    """Wait until the runner's status line starts with ``starts_with``; return it."""
    line = page.locator(".toynn-runner__status")
    page.wait_for_function(
        "([element, text]) => element.textContent.startsWith(text)",
        arg=[line.element_handle(), starts_with],
        timeout=timeout,
    )
    return line.text_content()


def run(page, code: str | None = None, *, keyboard: bool = False) -> str:
    """Run ``code`` (or the code as it stands) with the Run button, or from the keyboard
    (Ctrl+Enter in the editor), and return what it printed."""
    editor = page.get_by_label("The code: edit it, then run it")
    if code is not None:
        editor.fill(code)
    if keyboard:
        editor.press("Control+Enter")
    else:
        page.get_by_role("button", name="Run", exact=True).click()
    status(page, "Finished")
    return page.locator(".toynn-runner__output").text_content()


def test_the_landing_page_network_prints_what_the_build_printed(runner, served_site):
    page = runner.page
    code = page.get_by_label("The code: edit it, then run it").input_value()
    built = served_site.build_dir / "generated" / "opening-plain"
    # The editor holds the page's code, which is what the build ran with CPython...
    assert code == (built / "code.py").read_text(encoding="utf-8")
    assert code == runnable_code(INDEX.read_text(encoding="utf-8"))
    # ...and Pyodide prints exactly what CPython printed.
    assert run(page) == (built / "output.txt").read_text(encoding="utf-8")
    runner.measured.append(f"The landing page's network: {status(page, 'Finished')}")


def test_edited_code_prints_what_cpython_prints(runner, served_site):
    code = runner.page.get_by_label("The code: edit it, then run it").input_value()
    edited = code.replace("0.5 *", "2 *").replace("60_000", "3_000")
    assert edited.count("2 *") >= 2 and "3_000" in edited  # the edit took
    edited += "print(synapse_0)\nprint(synapse_1)\n"
    printed, expected = run(runner.page, edited, keyboard=True), cpython(edited)
    # The answers, 8 decimals as the code prints them: the same text.
    assert printed.splitlines()[:4] == expected.splitlines()[:4]
    # Every weight at full precision: within rounding, not bit for bit. Pyodide's math.exp
    # (Emscripten's musl) and CPython's (glibc) differ in the last bit for about 1 input
    # in 1,400, and 3,000 steps carry that into the last digits of the weights.
    weights = [ast.literal_eval(line) for line in printed.splitlines()[4:]]
    expected_weights = [ast.literal_eval(line) for line in expected.splitlines()[4:]]
    assert np.allclose(weights[0], expected_weights[0], rtol=1e-12, atol=0)
    assert np.allclose(weights[1], expected_weights[1], rtol=1e-12, atol=0)
    unedited = served_site.build_dir / "generated/opening-plain/output.txt"
    assert printed.splitlines()[:4] != unedited.read_text(encoding="utf-8").splitlines()


def test_a_python_error_shows_its_traceback(runner):
    code = "print('before')\n\ndef f(x):\n    return 1 / x\n\nf(0)\n"
    printed = run(runner.page, code)
    assert printed.startswith("before\nTraceback (most recent call last):\n")
    assert 'File "<your code>", line 6, in <module>' in printed
    assert 'File "<your code>", line 4, in f\n    return 1 / x' in printed
    assert printed.endswith("ZeroDivisionError: division by zero\n")
    assert "pyodide" not in printed.lower() and "exec(" not in printed  # only the reader's lines
    assert runner.page.locator(".toynn-runner__error").count() > 0  # shown as an error


AXE_ON_THE_RUNNER = """() => axe.run({ include: [[".toynn-runner"]] }, {
    resultTypes: ["violations"],
}).then((result) => result.violations.map((v) => ({
    id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
})))"""


# Each control of the runner that the keyboard can reach, focused in turn: its look changes.
UNSEEN_FOCUS = """() => {
    const look = (el) => { const s = getComputedStyle(el);
        return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow].join("|"); };
    const controls = [...document.querySelectorAll(".toynn-runner :is(button, textarea, pre)")]
        .filter((el) => el.tabIndex >= 0 && !el.disabled);
    return controls.filter((el) => {
        document.activeElement.blur();
        const before = look(el);
        el.focus();
        return document.activeElement !== el || look(el) === before;
    }).map((el) => el.outerHTML.slice(0, 80));
}"""


def test_the_open_runner_is_accessible_and_fits_a_phone(runner):
    """axe-core in both schemes, with the editor, the buttons, and output with an error in
    it (tests/test_site_pages.py sees the page with the runner closed); a visible focus on
    each control; nothing wider than a 360 px screen."""
    site_pages.need_checker()
    page = runner.page
    assert page.locator(".toynn-runner__error").count() > 0  # the test before left one
    page.add_script_tag(path=str(site_pages.AXE))
    # Colours as they end up, not halfway through the theme's fades.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    for scheme in ("slate", "default"):  # dark, then light; as the theme's toggle sets them
        page.evaluate(f"document.body.dataset.mdColorScheme = '{scheme}'")
        violations = site_pages.unexplained(page.evaluate(AXE_ON_THE_RUNNER))
        assert not violations, f"{scheme}: {violations}"
    page.keyboard.press("Shift")  # from here the focus is the keyboard's, and must show
    assert page.evaluate(UNSEEN_FOCUS) == []
    page.set_viewport_size(site_pages.PHONE)
    try:
        assert page.evaluate(site_pages.LAYOUT) == []
    finally:
        page.set_viewport_size(site_pages.DESKTOP)


def test_stop_ends_a_run_and_the_next_run_works(runner):
    page = runner.page
    code = "import time\nn = 0\nwhile True:\n    print(n)\n    n += 1\n    time.sleep(0.05)\n"
    page.get_by_label("The code: edit it, then run it").fill(code)
    page.get_by_role("button", name="Run", exact=True).click()
    output = page.locator(".toynn-runner__output")
    # Printed lines arrive while the run goes on.
    page.wait_for_function(
        "element => element.textContent.split('\\n').length > 5", arg=output.element_handle()
    )
    page.get_by_role("button", name="Stop").click()
    assert status(page, "Stopped", timeout=1_000).endswith("The next run starts Python afresh.")
    assert page.get_by_role("button", name="Stop").is_disabled()
    stopped_at = output.text_content()
    page.wait_for_timeout(300)
    assert output.text_content() == stopped_at  # nothing more came
    assert run(page, "print('after', 6 * 7)\n") == "after 42\n"


def check(page, code: str) -> str:
    """Check ``code`` with the exercise's Check button; return what the page printed."""
    page.get_by_label("Your network: fill in the six functions").fill(code)
    page.get_by_role("button", name="Check", exact=True).click()
    status(page, "Finished")
    return page.locator(".toynn-runner__output").text_content()


def test_the_exercise_in_part_6_is_graded_as_toynn_check_grades_it(runner, served_site):
    """Part 6, reached by instant navigation (the Python booted above goes on): the blank
    template, a correct solution and a typical mistake get the lines that the same grader
    prints in CPython against the same answers, which the build computed with toynn."""
    page = runner.page
    page.get_by_role("link", name="6. Conclusion").first.click()
    page.get_by_role("button", name="Do the exercise in this page").click()
    editor = page.get_by_label("Your network: fill in the six functions")
    template = (ROOT / "docs/exercise/network_from_memory_plain.py").read_text(encoding="utf-8")
    page.wait_for_function("e => e.value.length > 0", arg=editor.element_handle())
    assert editor.input_value() == template
    built = served_site.build_dir / "generated/exercise-reference/reference.json"
    reference = json.loads(built.read_text(encoding="utf-8"))
    solution = (ROOT / "tests/exercise_plain_solution.py").read_text(encoding="utf-8")
    wrong_sign = solution.replace("math.exp(-v)", "math.exp(v)")
    assert wrong_sign != solution
    for code, verdict in [(template, "✗ sigmoid"), (solution, ALL_PASS), (wrong_sign, "✗")]:
        printed = check(page, code)
        assert printed == "".join(f"{line}\n" for line in page_report(code, reference))
        assert verdict in printed
    assert "exponent needs a minus sign" in printed  # the mistake, named


def test_nothing_left_the_local_server(runner):
    assert runner.foreign_requests == []
    assert runner.errors == []
    fetched = {urlsplit(url).path.rsplit("/", 1)[-1] for url in runner.requests}
    # The worker booted from the site's own copy: twice (Stop started a fresh one).
    assert {*pyodide.SHIPPED, pyodide.LOCK_FILE} <= fetched
    assert {"exercise_plain.py", "reference.json"} <= fetched  # Part 6's grader, from here
