/* The in-page runner's Python (docs/assets/runner.js starts it as a module Worker).
 *
 * Boots Pyodide from the site's own assets/pyodide/ (toynn/site/pyodide.py ships it), then
 * runs each {code} it is sent, streaming what the code prints as {stream, text} messages and
 * ending with {done: true, seconds}. A long run never blocks the page: it blocks this worker,
 * which the page ends (terminate) when the reader presses Stop.
 */
const PYODIDE = new URL("./pyodide/", import.meta.url).href;

// Runs the reader's code as `python file.py` would: in a fresh __main__, a traceback
// that shows the reader's own lines and none of this wrapper's or Pyodide's frames.
const RUN = `
import linecache, sys, traceback

def _toynn_run(source, filename="<your code>"):
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    try:
        exec(compile(source, filename, "exec"), namespace)
    except SystemExit as stop:  # exit() or sys.exit(): the run ends, as in a terminal
        if stop.code not in (None, 0):
            print(stop.code, file=sys.stderr)
    except BaseException as error:
        tb = error.__traceback__
        if not isinstance(error, SyntaxError):
            tb = tb.tb_next  # the exec() line above is not the reader's
        traceback.print_exception(type(error), error, tb)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
`;

// Part 6's exercise: the reader's code graded step by step, as `toynn check FILE` grades a
// file, by toynn/exercise_plain.py against the answers toynn computed at build time.
const GRADE = `
import json, sys

def _toynn_grade(source, home="/home/pyodide"):
    if home not in sys.path:
        sys.path.insert(0, home)
    import exercise_plain
    with open(f"{home}/exercise-reference.json", encoding="utf-8") as file:
        reference = json.load(file)
    for line in exercise_plain.page_report(source, reference):
        print(line)
`;

let pythonReady = null; // the booted Pyodide
let runCode = null; // the Python function _toynn_run, once booted
let gradeCode = null; // _toynn_grade, once the grader and its answers are in place

async function boot() {
  const started = performance.now();
  const { loadPyodide } = await import("./pyodide/pyodide.mjs");
  // packageBaseUrl: without it Pyodide would look for packages on a CDN; the lock file we
  // ship lists none anyway.
  const python = await loadPyodide({ indexURL: PYODIDE, packageBaseUrl: PYODIDE });
  const decoder = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  for (const stream of ["stdout", "stderr"]) {
    // `write` gets the bytes as Python writes them: no waiting for a full line.
    const write = (bytes) => {
      postMessage({ stream, text: decoder[stream].decode(bytes, { stream: true }) });
      return bytes.length;
    };
    if (stream === "stdout") python.setStdout({ write });
    else python.setStderr({ write });
  }
  python.runPython(RUN);
  runCode = python.globals.get("_toynn_run");
  pythonReady = python;
  // Line-buffered, as in a terminal: each print() reaches the page when it happens.
  python.runPython("sys.stdout.reconfigure(line_buffering=True)");
  postMessage({ ready: true, seconds: (performance.now() - started) / 1000 });
}

const booted = boot().catch((error) => {
  postMessage({ failed: `Python could not start: ${error.message}` });
  throw error;
});

// The grader and toynn's answers, fetched from the site once, into Python's home folder.
async function gradeWith(python, files) {
  if (gradeCode) return gradeCode;
  for (const [name, url] of Object.entries(files)) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
    python.FS.writeFile(`/home/pyodide/${name}`, await response.text());
  }
  python.runPython(GRADE);
  gradeCode = python.globals.get("_toynn_grade");
  return gradeCode;
}

onmessage = async (event) => {
  await booted;
  const started = performance.now();
  let broken = false;
  try {
    if (event.data.grade) {
      const grade = await gradeWith(pythonReady, event.data.grade);
      grade(event.data.code);
    } else {
      runCode(event.data.code);
    }
  } catch (error) {
    // Only a fault of Pyodide itself gets here (the reader's errors are printed above),
    // after which it cannot be trusted: the page starts a fresh one for the next run.
    postMessage({ stream: "stderr", text: `${error.message}\n` });
    broken = true;
  }
  postMessage({ done: true, broken, seconds: (performance.now() - started) / 1000 });
};
