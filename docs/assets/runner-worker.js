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

let runCode = null; // the Python function _toynn_run, once booted

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
  // Line-buffered, as in a terminal: each print() reaches the page when it happens.
  python.runPython("sys.stdout.reconfigure(line_buffering=True)");
  postMessage({ ready: true, seconds: (performance.now() - started) / 1000 });
}

const booted = boot().catch((error) => {
  postMessage({ failed: `Python could not start: ${error.message}` });
  throw error;
});

onmessage = async (event) => {
  await booted;
  const started = performance.now();
  let broken = false;
  try {
    runCode(event.data.code);
  } catch (error) {
    // Only a fault of Pyodide itself gets here (the reader's errors are printed above),
    // after which it cannot be trusted: the page starts a fresh one for the next run.
    postMessage({ stream: "stderr", text: `${error.message}\n` });
    broken = true;
  }
  postMessage({ done: true, broken, seconds: (performance.now() - started) / 1000 });
};
