/* Run in this page: an editable copy of a code block, run by Python in the browser.
 *
 * Every <div class="toynn-runnable"> (its python block; see toynn/site/runnable.py) gets a
 * "Run in this page" button, also after Material's instant navigation swaps the page. A
 * <div class="toynn-exercise"> (Part 6) gets one that opens the plain-Python template it
 * links to, and checks the reader's code as `toynn check` does (toynn/exercise_plain.py,
 * against the answers toynn computed at build time).
 * The code runs in a Web Worker (assets/runner-worker.js) with Pyodide from the site's own
 * assets/pyodide/: the page stays responsive through a long run, output shows as it is
 * printed, and Stop ends the worker (the next run starts a fresh one). Nothing of Pyodide
 * is fetched before a reader opens a runner. Without this script the page shows the code
 * and the build's output, as before.
 */
(function () {
  "use strict";
  // Instant navigation runs this file again on every page that has it: the first run's
  // subscription already mounts every page.
  if (window.toynnRunner) return;

  const WORKER = new URL("runner-worker.js", document.currentScript.src);
  // What the worker needs to grade the exercise: the grader and toynn's answers.
  const GRADER = {
    "exercise_plain.py": new URL("exercise_plain.py", WORKER).href,
    "exercise-reference.json":
      new URL("../generated/exercise-reference/reference.json", WORKER).href,
  };
  const WORDS = {
    code: {
      open: "Run in this page", run: "Run", reset: "Back to the page's code",
      label: "The code: edit it, then run it (Ctrl+Enter)",
    },
    exercise: {
      open: "Do the exercise in this page", run: "Check", reset: "Back to the blank template",
      label: "Your network: fill in the six functions, then check them (Ctrl+Enter)",
    },
  };
  const MAX_OUTPUT = 200_000; // characters kept on screen; a runaway print loop stays cheap
  let worker = null; // one Python for the page, started when a reader first opens a runner
  let ready = null; // resolves once that Python has booted
  let active = null; // the runner whose code is running, if any
  let made = 0; // for unique ids

  function el(tag, attributes = {}, parent = null) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    if (parent) parent.appendChild(node);
    return node;
  }

  function startPython(runner) {
    if (worker) return ready;
    const started = performance.now();
    worker = new Worker(WORKER, { type: "module" });
    ready = new Promise((resolve, reject) => {
      worker.onmessage = (event) => {
        const message = event.data;
        if (message.ready) {
          runner.say(`Python is ready (started in ${seconds(performance.now() - started)}).`);
          resolve();
        } else if (message.failed) {
          reject(new Error(message.failed));
        } else if (active) {
          active.receive(message);
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const what = event.message || "the worker failed";
        reject(new Error(`Python could not start: ${what}`));
        if (active) {  // it failed in the middle of a run: end the run, start afresh next time
          const running = active;
          stopPython();
          running.end(`Python stopped: ${what}. The next run starts it afresh.`);
        }
      };
    });
    ready.catch((error) => {
      stopPython();
      runner.say(error.message);
    });
    return ready;
  }

  function stopPython() {
    if (worker) worker.terminate();
    worker = ready = null;
  }

  function seconds(milliseconds) {
    return `${(milliseconds / 1000).toFixed(1)} s`;
  }

  function mount(block, kind) {
    block.dataset.mounted = "";
    const words = WORDS[kind];
    // The exercise's template is fetched when the reader opens it; a code block is here.
    const template = kind === "exercise" ? block.querySelector("a[href$='.py']").href : null;
    let original = template ? "" : block.querySelector("code").textContent;
    const id = `toynn-runner-${++made}`;
    const box = el("div", { class: "toynn-runner" });
    block.after(box);
    const open = el("button", {
      type: "button", class: "md-button toynn-runner__open", "aria-expanded": "false",
      "aria-controls": id, text: words.open,
    }, box);
    const panel = el("div", { class: "toynn-runner__panel", id, hidden: "" }, box);
    el("p", {
      class: "toynn-runner__note",
      text: "Your browser runs this Python itself, with Pyodide, shipped by this site " +
        "(about 6 MB to download, once): nothing you type leaves your computer.",
    }, panel);
    el("label", { for: `${id}-code`, text: words.label }, panel);
    const code = el("textarea", {
      id: `${id}-code`, class: "toynn-runner__code", spellcheck: "false",
      autocapitalize: "off", autocomplete: "off", wrap: "off",
      rows: String(template ? 24 : Math.min(original.split("\n").length, 24)),
    }, panel);
    code.value = original;
    const buttons = el("div", { class: "toynn-runner__buttons" }, panel);
    const run = el("button", {
      type: "button", class: "md-button toynn-runner__run", text: words.run,
    }, buttons);
    const stop = el("button", { type: "button", class: "md-button", text: "Stop" }, buttons);
    stop.disabled = true;
    const reset = el("button", {
      type: "button", class: "md-button", text: words.reset,
    }, buttons);
    const status = el("p", { class: "toynn-runner__status", role: "status" }, panel);
    const output = el("pre", {
      class: "toynn-runner__output", tabindex: "0", "aria-label": "What the code printed",
    }, panel);
    output.hidden = true;
    let started = 0;
    let shown = 0;

    const runner = {
      box,
      say(text) {
        status.textContent = text;
      },
      receive(message) {
        if (message.stream) {
          if (shown >= MAX_OUTPUT) return;
          const text = message.text.slice(0, MAX_OUTPUT - shown);
          shown += text.length;
          if (message.stream === "stderr") el("span", { class: "toynn-runner__error", text }, output);
          else output.append(text);
          if (shown >= MAX_OUTPUT) output.append(`\n[output cut at ${MAX_OUTPUT} characters]\n`);
          output.scrollTop = output.scrollHeight;
        } else if (message.done) {
          if (message.broken) stopPython();
          finish(`Finished in ${seconds(message.seconds * 1000)}.`);
        }
      },
      end(text) {
        finish(text);
      },
    };

    function finish(text) {
      active = null;
      run.disabled = false;
      stop.disabled = true;
      output.setAttribute("aria-busy", "false");
      runner.say(text);
    }

    async function loadTemplate() {
      if (original) return;
      const response = await fetch(template);
      if (!response.ok) throw new Error(`The template did not load: ${response.status}`);
      original = code.value = await response.text();
    }

    open.addEventListener("click", async () => {
      const opening = panel.hidden;
      panel.hidden = !opening;
      open.setAttribute("aria-expanded", String(opening));
      if (opening) {
        code.focus();
        if (template) loadTemplate().catch((error) => runner.say(error.message));
        if (!worker) {
          runner.say("Starting Python…");
          startPython(runner).catch(() => {});
        }
      }
    });

    async function start() {
      if (active) return;
      active = runner;
      run.disabled = true;
      stop.disabled = false;
      output.hidden = false;
      output.textContent = "";
      output.setAttribute("aria-busy", "true");
      shown = 0;
      runner.say(worker ? "Running…" : "Starting Python…");
      try {
        await startPython(runner);
      } catch (error) {
        finish(error.message);
        return;
      }
      if (active !== runner) return; // stopped while Python was starting
      runner.say(template ? "Checking…" : "Running…");
      started = performance.now();
      worker.postMessage(template ? { code: code.value, grade: GRADER } : { code: code.value });
    }

    run.addEventListener("click", start);
    code.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        start();
      }
    });
    stop.addEventListener("click", () => {
      const ran = started ? ` after ${seconds(performance.now() - started)}` : "";
      stopPython(); // a busy worker cannot be asked to stop: it is ended, and restarted later
      started = 0;
      finish(`Stopped${ran}. The next run starts Python afresh.`);
      run.focus();
    });
    reset.addEventListener("click", () => {
      code.value = original;
      code.focus();
    });
  }

  function mountAll() {
    // A run left behind by instant navigation would keep a core busy: end it.
    if (active && !document.body.contains(active.box)) {
      stopPython();
      active = null;
    }
    document.querySelectorAll(".toynn-runnable:not([data-mounted])")
      .forEach((block) => mount(block, "code"));
    document.querySelectorAll(".toynn-exercise:not([data-mounted])")
      .forEach((block) => mount(block, "exercise"));
  }

  window.toynnRunner = { mountAll };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
