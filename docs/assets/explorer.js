/* toynn Explorer: scrub through training runs that the site's build computed with toynn.
 *
 * Mounts on every <div class="toynn-explorer" data-view="network|ball">, also after
 * Material's instant navigation swaps the page. The network view only draws numbers from
 * generated/explorer-grid/grid.json; nothing about training is re-implemented here. The
 * ball view does compute gradient descent on four small curves in the browser; the tests
 * check it against toynn.descend.
 */
(function () {
  "use strict";
  // Instant navigation runs this file again on every page that has it: the first run's
  // subscription already mounts every page, so a second one would mount them twice.
  if (window.toynnExplorer) return;

  const SVG = "http://www.w3.org/2000/svg";
  // The site's root, from this script's own address (works at any depth and any host path).
  const ROOT = new URL("..", document.currentScript.src);
  let gridPromise = null;

  function loadGrid() {
    if (!gridPromise) {
      const url = new URL("generated/explorer-grid/grid.json", ROOT);
      gridPromise = fetch(url).then((response) => {
        if (!response.ok) throw new Error(`could not load ${url}: ${response.status}`);
        return response.json();
      });
    }
    return gridPromise;
  }

  /* ---------- small helpers ---------- */

  function el(tag, attributes = {}, parent = null, namespace = null) {
    const node = namespace ? document.createElementNS(namespace, tag) : document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) {
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value);
    }
    if (parent) parent.appendChild(node);
    return node;
  }
  const svgEl = (tag, attributes, parent) => el(tag, attributes, parent, SVG);

  // Like Python's f"{x:.4g}": four significant digits, no trailing zeros.
  function fourDigits(x) {
    if (x === 0) return "0";
    const exponent = Math.floor(Math.log10(Math.abs(x)));
    if (exponent < -4 || exponent >= 4) {
      const [mantissa, power] = x.toExponential(3).split("e");
      const sign = power[0] === "-" ? "-" : "+";
      const digits = power.replace(/[+-]/, "").padStart(2, "0");
      return `${parseFloat(mantissa)}e${sign}${digits}`;
    }
    return String(parseFloat(x.toPrecision(4)));
  }
  const alphaLabel = (alpha) => String(alpha);

  function slider(parent, label, values, index, format) {
    const wrapper = el("label", { class: "toynn-control" }, parent);
    el("span", { class: "toynn-control__name", text: label }, wrapper);
    const input = el("input", {
      type: "range", min: 0, max: values.length - 1, step: 1, value: index,
      "aria-label": label,
    }, wrapper);
    const output = el("span", { class: "toynn-control__value" }, wrapper);
    const show = () => {
      output.textContent = format(values[+input.value]);
      input.setAttribute("aria-valuetext", `${label} ${output.textContent}`);
    };
    show();
    input.addEventListener("input", show);
    return input;
  }

  // A chart frame: maps data to a viewBox of 640 x height with margins for axes.
  function frame(parent, height, xRange, yRange, labels) {
    const width = 640, margin = { left: 84, right: 14, top: 12, bottom: 44, ...labels.margin };
    // A chart with a control inside (the ball) is a group: an image's insides are hidden.
    const svg = svgEl("svg", {
      viewBox: `0 0 ${width} ${height}`, class: "toynn-chart", role: labels.role || "img",
      "aria-label": labels.aria,
    }, parent);
    const x = (v) => margin.left + ((v - xRange[0]) / (xRange[1] - xRange[0])) *
      (width - margin.left - margin.right);
    const y = (v) => margin.top + (1 - (v - yRange[0]) / (yRange[1] - yRange[0])) *
      (height - margin.top - margin.bottom);
    const axes = svgEl("g", { class: "toynn-axes" }, svg);
    svgEl("line", { x1: x(xRange[0]), x2: x(xRange[1]), y1: y(yRange[0]), y2: y(yRange[0]) }, axes);
    svgEl("line", { x1: x(xRange[0]), x2: x(xRange[0]), y1: y(yRange[0]), y2: y(yRange[1]) }, axes);
    for (const [value, text] of labels.xTicks) {
      svgEl("text", { x: x(value), y: y(yRange[0]) + 20, "text-anchor": "middle", text }, axes);
    }
    for (const [value, text] of labels.yTicks) {
      svgEl("line", { x1: x(xRange[0]), x2: x(xRange[1]), y1: y(value), y2: y(value),
                      class: "toynn-grid" }, axes);
      svgEl("text", { x: x(xRange[0]) - 6, y: y(value) + 4, "text-anchor": "end", text }, axes);
    }
    svgEl("text", { x: (x(xRange[0]) + x(xRange[1])) / 2, y: height - 4,
                    "text-anchor": "middle", text: labels.x }, axes);
    svgEl("text", { x: 16, y: (y(yRange[0]) + y(yRange[1])) / 2, "text-anchor": "middle",
                    transform: `rotate(-90 16 ${(y(yRange[0]) + y(yRange[1])) / 2})`,
                    text: labels.y }, axes);
    // The data x under a pointer, for dragging.
    const xFromClient = (clientX) => {
      const box = svg.getBoundingClientRect();
      const viewX = ((clientX - box.left) / box.width) * width;
      return xRange[0] + ((viewX - margin.left) / (width - margin.left - margin.right)) *
        (xRange[1] - xRange[0]);
    };
    return { svg, x, y, xFromClient, margin, height, layer: svgEl("g", {}, svg) };
  }

  // Every line's name at its right end, in the chart's right margin, pushed apart so that
  // none overlap (lines that end together get a fan of leaders); the chosen line's in bold.
  // lines: [{ end: y of the line's last point, text, current }].
  function labelLines(chart, right, lines, heading) {
    const labels = svgEl("g", { class: "toynn-labels" }, chart.layer);
    svgEl("text", { class: "toynn-label", x: right + 8, y: chart.margin.top - 8, text: heading },
      labels);
    const gap = parseFloat(getComputedStyle(labels.firstChild).fontSize) + 1;
    const sorted = [...lines].sort((a, b) => a.end - b.end);
    let previous = -Infinity;
    for (const line of sorted) previous = line.at = Math.max(line.end, previous + gap);
    let next = chart.height - chart.margin.bottom + gap; // too low: push the stack back up
    for (const line of sorted.reverse()) next = line.at = Math.min(line.at, next - gap);
    for (const line of lines) {
      svgEl("line", { class: "toynn-leader", x1: right + 1, y1: line.end, x2: right + 6,
                      y2: line.at }, labels);
      svgEl("text", { class: `toynn-label${line.current ? " toynn-label--current" : ""}`,
                      x: right + 8, y: line.at + gap * 0.35, text: line.text }, labels);
    }
  }

  // A line that names itself when the pointer rests on it.
  function titled(path, text) {
    svgEl("title", { text }, path);
    return path;
  }

  const pathData = (points) =>
    points.map(([px, py], i) => `${i ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`).join("");

  /* ---------- the network view ---------- */

  const LOG_ERROR = [-4, 0]; // the charts show errors from 0.0001 to 1
  const ERROR_TICKS = [[-4, "0.0001"], [-3, "0.001"], [-2, "0.01"], [-1, "0.1"], [0, "1"]];
  const clampLog = (v) => Math.max(LOG_ERROR[0], Math.min(LOG_ERROR[1], v));

  // The network view's frame: controls, readout, charts and captions, in place before the
  // data arrives, so that nothing below moves when it does. The Explorer page has it in its
  // markup (docs/explorer.md); a page without it (Part 5) gets the same one made here.
  const CAPTIONS = {
    curve: "Error during training, log scale. Faint lines: the other alphas with the same " +
      "hidden size and seed. Circles: the values the post printed.",
    alpha: "Error after 60,000 iterations against alpha, one line per hidden size (the " +
      "chosen one bold, its best alpha starred). Far right: alphas so big that training breaks.",
    heat: "How many times each weight's update changed direction during training: rows are " +
      "hidden nodes; columns the weights from inputs x1, x2, x3 and the weight to the output.",
  };
  const HELP = "Drag a slider, or click one and press the arrow keys: the readout and the " +
    "charts follow. Rest the pointer on a line to see its name.";

  // The colour keys: which mark means what. docs/explorer.md has the same in its markup.
  const SWATCHES = {
    current: '<line class="toynn-line toynn-line--current" x1="0" y1="6" x2="24" y2="6"/>',
    faint: '<line class="toynn-line toynn-line--faint" x1="0" y1="6" x2="24" y2="6"/>',
    published: '<circle class="toynn-published" cx="12" cy="6" r="4.5"/>',
    best: '<text class="toynn-best" x="12" y="11" text-anchor="middle">★</text>',
    marker: '<line class="toynn-marker" x1="12" y1="0" x2="12" y2="12"/>',
    ball: '<circle class="toynn-ball" cx="12" cy="6" r="5.5"/>',
    step: '<circle class="toynn-step" cx="6" cy="6" r="2.5" fill-opacity="0.4"/>' +
      '<circle class="toynn-step" cx="18" cy="6" r="2.5"/>',
    roller: '<circle class="toynn-roller" cx="12" cy="6" r="4.5"/>',
    leave: '<path class="toynn-leave" d="M4,1L20,6L4,11Z"/>',
  };
  const KEYS = {
    curve: [["current", "the chosen run"], ["faint", "the other alphas"],
            ["published", "the post's printed values"]],
    alpha: [["current", "the chosen hidden nodes"], ["faint", "the other hidden nodes"],
            ["best", "their best alpha"], ["marker", "the chosen alpha"]],
    ball: [["ball", "the start: drag it"], ["step", "the ball after each step, later darker"],
           ["roller", "the ball, rolling"], ["leave", "it left the chart this way"]],
  };

  function colourKey(parent, name) {
    const list = el("ul", { class: "toynn-key" }, parent);
    for (const [swatch, text] of KEYS[name]) {
      const item = el("li", {}, list);
      item.innerHTML = '<svg class="toynn-key__swatch" viewBox="0 0 24 12" aria-hidden="true">' +
        `${SWATCHES[swatch]}</svg>`;
      item.append(text);
    }
  }

  function networkFrame(root) {
    const compact = root.hasAttribute("data-compact");
    if (!root.querySelector(".toynn-controls")) {
      root.textContent = "";
      el("p", { class: "toynn-help", text: HELP }, root);
      const controls = el("div", { class: "toynn-controls" }, root);
      for (const name of ["alpha", "hidden nodes", "seed"]) {
        const label = el("label", { class: "toynn-control" }, controls);
        el("span", { class: "toynn-control__name", text: name }, label);
        el("input", { type: "range", disabled: "", "aria-label": name }, label);
        el("span", { class: "toynn-control__value" }, label);
      }
      el("p", { class: "toynn-readout", "aria-live": "polite" }, root);
      for (const chart of ["curve", "alpha"]) {
        const figure = el("figure", { class: "toynn-panel", "data-chart": chart }, root);
        svgEl("svg", { class: "toynn-chart", viewBox: "0 0 640 300", "aria-hidden": "true" },
          figure);
        colourKey(figure, chart);
        el("figcaption", { text: CAPTIONS[chart] }, figure);
      }
      if (!compact) {
        const figure = el("figure", { class: "toynn-panel toynn-heatmap" }, root);
        el("div", { class: "toynn-heatmap__grid" }, figure);
        el("figcaption", { text: CAPTIONS.heat }, figure);
      }
    }
    return {
      controls: root.querySelector(".toynn-controls"),
      readout: root.querySelector(".toynn-readout"),
      curve: root.querySelector("[data-chart=curve]"),
      alpha: root.querySelector("[data-chart=alpha]"),
      heat: root.querySelector(".toynn-heatmap__grid"),
    };
  }

  // A chart in the frame's figure, in place of what holds its place there.
  function chartIn(figure, height, xRange, yRange, labels) {
    const placeholder = figure.querySelector("svg");
    const chart = frame(figure, height, xRange, yRange, labels);
    if (placeholder) figure.replaceChild(chart.svg, placeholder);
    else figure.insertBefore(chart.svg, figure.firstChild);
    return chart;
  }

  // Only the Explorer page's own view keeps its setting in the address
  // (#alpha=10&hidden=4&seed=1): a link opens the same view, and Back and Forward step
  // through the settings tried. The compact copies in the chapters leave the address alone.
  const settingInAddress = () => Object.fromEntries(new URLSearchParams(location.hash.slice(1)));

  function mountNetwork(root, parts, grid) {
    const inAddress = !root.hasAttribute("data-compact");
    const wanted = inAddress ? settingInAddress() : {};
    const indexOf = (values, name, fallback) => {
      const i = values.indexOf(+wanted[name]);
      return i >= 0 ? i : values.indexOf(+(root.dataset[name] || fallback));
    };
    const start = {
      alpha: indexOf(grid.alphas, "alpha", 10),
      hidden: indexOf(grid.hidden_sizes, "hidden", 4),
      seed: indexOf(grid.seeds, "seed", 1),
    };
    const controls = parts.controls;
    controls.textContent = "";
    const alpha = slider(controls, "alpha", grid.alphas, start.alpha, alphaLabel);
    const hidden = slider(controls, "hidden nodes", grid.hidden_sizes, start.hidden, String);
    const seed = slider(controls, "seed", grid.seeds, start.seed, String);
    const readout = parts.readout;

    const checkpoints = grid.runs["1"]["1"][0].curve.map((_, i) => i * grid.every);
    // Room on the right for the lines' names, on top for the names' heading. On a phone the
    // chart shrinks to half size and its names grow to stay readable: 13 of them need a
    // taller chart to stand apart (explorer.css gives the empty frame the same shape).
    const margin = { right: 66, top: 26 };
    const height = window.matchMedia("(max-width: 600px)").matches ? 420 : 300;
    const curveChart = chartIn(parts.curve, height, [0, grid.iterations], LOG_ERROR, {
      aria: "Error curve of the chosen run", margin, x: "iteration", y: "mean absolute error",
      xTicks: [0, 20000, 40000, 60000].map((v) => [v, v ? `${v / 1000}k` : "0"]),
      yTicks: ERROR_TICKS,
    });
    const alphaChart = chartIn(parts.alpha, height, [0, grid.alphas.length - 1], LOG_ERROR, {
      aria: "Error after training for every alpha and hidden size", x: "alpha", margin,
      y: "error after training",
      xTicks: grid.alphas.map((a, i) => [i, alphaLabel(a)]).filter((_, i) => i % 2 === 0),
      yTicks: ERROR_TICKS,
    });
    const heat = parts.heat;

    function draw() {
      const a = +alpha.value, h = grid.hidden_sizes[+hidden.value], s = grid.seeds[+seed.value];
      const runs = grid.runs[h][s];
      const run = runs[a];
      const logs = run.curve.map((v) => v / 1000);

      // Readout: the number toynn computed, to four significant digits.
      root.dataset.final = fourDigits(run.final);
      readout.innerHTML = "";
      el("span", { text: `alpha ${alphaLabel(grid.alphas[a])}, ${h} hidden ` +
        `node${h > 1 ? "s" : ""}, seed ${s}: error after 60,000 iterations ` }, readout);
      el("strong", { class: "toynn-final", title: String(run.final),
                     text: fourDigits(run.final) }, readout);
      el("span", { text: `; mean weight size ${run.weights[0]} (input to hidden), ` +
        `${run.weights[1]} (hidden to output).` }, readout);

      curveChart.layer.textContent = "";
      runs.forEach((other, i) => {
        if (i === a) return;
        titled(svgEl("path", { class: "toynn-line toynn-line--faint", d: pathData(other.curve.map(
          (v, j) => [curveChart.x(checkpoints[j]), curveChart.y(clampLog(v / 1000))])) },
          curveChart.layer), `alpha ${alphaLabel(grid.alphas[i])}`);
      });
      titled(svgEl("path", { class: "toynn-line toynn-line--current", d: pathData(logs.map(
        (v, j) => [curveChart.x(checkpoints[j]), curveChart.y(clampLog(v))])) }, curveChart.layer),
        `alpha ${alphaLabel(grid.alphas[a])}, the chosen run`);
      labelLines(curveChart, curveChart.x(grid.iterations), runs.map((other, i) => ({
        end: curveChart.y(clampLog(other.curve[other.curve.length - 1] / 1000)),
        text: alphaLabel(grid.alphas[i]), current: i === a,
      })), "alpha");
      const printed = s === 1 && grid.published[h] && grid.published[h][alphaLabel(grid.alphas[a])];
      if (printed) {
        printed.forEach((value, j) => svgEl("circle", {
          class: "toynn-published", r: 5, cx: curveChart.x(j * 10000),
          cy: curveChart.y(clampLog(Math.log10(value))),
        }, curveChart.layer));
      }

      alphaChart.layer.textContent = "";
      grid.hidden_sizes.forEach((size) => {
        const finals = grid.runs[size][s].map((r) => Math.log10(Math.max(r.final, 1e-12)));
        const current = size === h;
        titled(svgEl("path", {
          class: `toynn-line ${current ? "toynn-line--current" : "toynn-line--faint"}`,
          d: pathData(finals.map((v, i) => [alphaChart.x(i), alphaChart.y(clampLog(v))])),
        }, alphaChart.layer), `${size} hidden node${size > 1 ? "s" : ""}`);
        if (current) {
          const best = finals.indexOf(Math.min(...finals));
          svgEl("text", { class: "toynn-best", x: alphaChart.x(best), y: alphaChart.y(
            clampLog(finals[best])) + 6, "text-anchor": "middle", text: "★" }, alphaChart.layer);
          root.dataset.bestAlpha = alphaLabel(grid.alphas[best]);
        }
      });
      svgEl("line", { class: "toynn-marker", x1: alphaChart.x(a), x2: alphaChart.x(a),
                      y1: alphaChart.y(LOG_ERROR[0]), y2: alphaChart.y(LOG_ERROR[1]) },
            alphaChart.layer);
      labelLines(alphaChart, alphaChart.x(grid.alphas.length - 1), grid.hidden_sizes.map(
        (size) => ({ end: alphaChart.y(clampLog(Math.log10(Math.max(
          grid.runs[size][s][grid.alphas.length - 1].final, 1e-12)))),
        text: String(size), current: size === h })), "hidden");

      if (heat) drawHeatmap(heat, run, h);
    }

    for (const input of [alpha, hidden, seed]) input.addEventListener("input", draw);
    if (inAddress) keepInAddress(root, grid, [alpha, hidden, seed]);
    draw();
  }

  function keepInAddress(root, grid, inputs) {
    const [alpha, hidden, seed] = inputs;
    const address = () => `#alpha=${alphaLabel(grid.alphas[+alpha.value])}` +
      `&hidden=${grid.hidden_sizes[+hidden.value]}&seed=${grid.seeds[+seed.value]}`;
    // A drag makes one history entry: the first move adds it, the others replace it, until
    // the slider settles ("change": the pointer let go, or one arrow key).
    let settled = true, restoring = false;
    for (const input of inputs) {
      input.addEventListener("input", () => {
        if (restoring || location.hash === address()) return;
        history[settled ? "pushState" : "replaceState"](history.state, "", address());
        settled = false;
      });
      input.addEventListener("change", () => { settled = true; });
    }
    const restore = () => {
      if (!root.isConnected) return window.removeEventListener("popstate", restore);
      const wanted = settingInAddress();
      restoring = true; // the address already holds this setting: no new entry
      [[alpha, grid.alphas, "alpha"], [hidden, grid.hidden_sizes, "hidden"],
       [seed, grid.seeds, "seed"]].forEach(([input, values, name]) => {
        const i = values.indexOf(+(wanted[name] ?? root.dataset[name]));
        if (i >= 0 && i !== +input.value) {
          input.value = i;
          input.dispatchEvent(new Event("input"));
        }
      });
      restoring = false;
      settled = true;
    };
    window.addEventListener("popstate", restore);
  }

  // Counts from 0 to the largest in the grid, on a square-root scale so small counts show.
  function heatColour(count, largest) {
    const t = Math.sqrt(count / Math.max(largest, 1));
    const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
    const position = t * (stops.length - 1), i = Math.min(Math.floor(position), stops.length - 2);
    const f = position - i;
    const rgb = stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
    // Black or white, whichever stands out more from this fill (WCAG contrast): white text
    // on the middle of the scale was down to 3:1.
    const light = luminance(rgb);
    const text = (light + 0.05) / 0.05 >= 1.05 / (light + 0.05) ? "#000" : "#fff";
    return { fill: `rgb(${rgb})`, text };
  }

  // WCAG's relative luminance of an sRGB colour given as [r, g, b] from 0 to 255.
  function luminance(rgb) {
    const [r, g, b] = rgb.map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function drawHeatmap(container, run, hidden) {
    container.textContent = "";
    container.style.gridTemplateColumns = "auto repeat(3, 1fr) 0.4rem 1fr";
    const largest = Math.max(...run.changes_0, ...run.changes_1);
    const header = ["", "x1", "x2", "x3", "", "out"];
    header.forEach((text) => el("span", { class: "toynn-heatmap__label", text }, container));
    for (let node = 0; node < hidden; node += 1) {
      el("span", { class: "toynn-heatmap__label", text: `h${node + 1}` }, container);
      const cells = [0, 1, 2].map((input) => run.changes_0[input * hidden + node]);
      cells.push(null, run.changes_1[node]);
      for (const count of cells) {
        if (count === null) { el("span", {}, container); continue; }
        const colour = heatColour(count, largest);
        const cell = el("span", { class: "toynn-heatmap__cell", title: `${count} changes`,
                                  text: hidden <= 8 ? String(count) : "" }, container);
        cell.style.background = colour.fill;
        cell.style.color = colour.text;
      }
    }
  }

  /* ---------- the ball view: gradient descent on a curve, in the browser ---------- */

  // The same curves as toynn/bucket.py (tests compare the steps with toynn.descend).
  const RUT = { depth: 0.5, width: 0.05, at: 3.0 };
  const CURVES = {
    bowl: { name: "gentle bowl", height: (x) => x ** 2 / 4, slope: (x) => x / 2 },
    steep_bowl: { name: "steep bowl", height: (x) => 1.5 * x ** 2, slope: (x) => 3 * x },
    five_dips: {
      name: "five dips",
      height: (x) => -(1 + x / 10) * Math.cos(Math.PI * x) / Math.PI +
        Math.sin(Math.PI * x) / (10 * Math.PI ** 2),
      slope: (x) => Math.sin(Math.PI * x) * (1 + x / 10),
    },
    rutted_bowl: {
      name: "bowl with a rut",
      height: (x) => x ** 2 / 4 - RUT.depth * Math.exp(-((x - RUT.at) ** 2) / RUT.width),
      slope: (x) => x / 2 + (2 * RUT.depth / RUT.width) * (x - RUT.at) *
        Math.exp(-((x - RUT.at) ** 2) / RUT.width),
    },
  };

  // x <- x - alpha * slope(x); a ball that flies off to infinity stays there, like toynn's.
  function descend(curve, start, alpha, steps) {
    const path = [start];
    let x = start;
    for (let i = 0; i < steps; i += 1) {
      if (Number.isFinite(x)) x = x - alpha * CURVES[curve].slope(x);
      path.push(x);
    }
    return path;
  }

  const BALL_ALPHAS = [0.001, 0.01, 0.03, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3];
  const STEPS = 20;

  const BALL_HELP = "Drag the red ball along the curve, or click or tap where it should " +
    "start. With the keyboard: Tab to the ball and press the arrow keys. Then pick a curve " +
    "and an alpha, and watch where the steps go.";
  const EDGE = 5; // the chart shows x from -5 to 5
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

  function mountBall(root) {
    root.textContent = "";
    el("p", { class: "toynn-help", text: BALL_HELP }, root);
    const controls = el("div", { class: "toynn-controls" }, root);
    const curveLabel = el("label", { class: "toynn-control" }, controls);
    el("span", { class: "toynn-control__name", text: "curve" }, curveLabel);
    const curveSelect = el("select", { "aria-label": "curve" }, curveLabel);
    for (const [key, curve] of Object.entries(CURVES)) {
      el("option", { value: key, text: curve.name }, curveSelect);
    }
    curveSelect.value = root.dataset.curve || "bowl";
    const alpha = slider(controls, "alpha", BALL_ALPHAS,
      Math.max(0, BALL_ALPHAS.indexOf(+(root.dataset.alpha || 1))), String);
    const starts = Array.from({ length: 97 }, (_, i) => Math.round((-4.8 + i * 0.1) * 10) / 10);
    const start = slider(controls, "start", starts,
      Math.max(0, starts.indexOf(+(root.dataset.start || 4))), (v) => v.toFixed(1));
    const readout = el("p", { class: "toynn-readout", "aria-live": "polite" }, root);
    const figure = el("figure", { class: "toynn-panel" }, root);
    const chartHolder = el("div", { class: "toynn-ball-chart" }, figure);
    colourKey(figure, "ball");
    el("figcaption", { text: `Each dot is the ball after one more step, ${STEPS} steps in ` +
      "all, worked out in your browser with the rule x ← x − alpha · slope(x)." }, figure);

    // The ball, a wider invisible target around it for fingers, and a second ball that rolls
    // down the steps. They outlive redraws: a ball taken out of the page would lose the focus.
    const target = svgEl("circle", { class: "toynn-ball-target", r: 40 });
    const roller = svgEl("circle", { class: "toynn-roller", r: 6 });
    const ball = svgEl("circle", { class: "toynn-ball", r: 9, tabindex: 0, role: "slider",
      "aria-label": "start of the ball", "aria-valuemin": starts[0],
      "aria-valuemax": starts[starts.length - 1] });
    let chart = null, chartCurve = null, rolling = null, dragging = false, shown = [];

    // The chart's scale depends on the curve only: drawn again when the curve changes.
    function chartFor(key) {
      if (chartCurve === key) return chart;
      const curve = CURVES[key];
      const xs = Array.from({ length: 201 }, (_, i) => -EDGE + i * 0.05);
      const heights = xs.map(curve.height);
      const low = Math.min(...heights), high = Math.max(...heights);
      chartHolder.textContent = "";
      chart = frame(chartHolder, 280, [-EDGE, EDGE], [low - 0.05 * (high - low), high], {
        aria: `Ball on the ${curve.name}`, x: "x", y: "height", role: "group",
        xTicks: [-4, -2, 0, 2, 4].map((v) => [v, String(v)]), yTicks: [],
      });
      titled(svgEl("path", { class: "toynn-line", d: pathData(xs.map((x, i) =>
        [chart.x(x), chart.y(heights[i])])) }, chart.layer), `the ${curve.name}`);
      chart.steps = svgEl("g", {}, chart.svg); // above the curve
      chart.svg.append(roller, target, ball);
      chartCurve = key;
      return chart;
    }

    function draw() {
      const key = curveSelect.value, curve = CURVES[key];
      const a = BALL_ALPHAS[+alpha.value], x0 = starts[+start.value];
      const path = descend(key, x0, a, STEPS);
      const at = (x) => [chart.x(x), chart.y(curve.height(x))];
      chartFor(key);
      chart.svg.setAttribute("aria-label", `Ball on the ${curve.name}, alpha ${a}, ` +
        `starting at ${x0}`);
      chart.steps.textContent = "";
      // The steps until the ball leaves the chart, if it does; then an arrow at that edge.
      const out = path.findIndex((x) => !(Math.abs(x) <= EDGE));
      shown = out < 0 ? path : path.slice(0, out);
      svgEl("path", { class: "toynn-steps", d: pathData(shown.map(at)) }, chart.steps);
      shown.forEach((x, i) => svgEl("circle", {
        class: "toynn-step", r: 3.5, cx: chart.x(x), cy: chart.y(curve.height(x)),
        "fill-opacity": (0.25 + 0.75 * i / Math.max(shown.length - 1, 1)).toFixed(2),
      }, chart.steps));
      root.dataset.leaves = "";
      if (out >= 0) {
        // NaN (infinity minus infinity) has no side: the step before it had one.
        const side = Math.sign(Number.isNaN(path[out]) ? path[out - 1] : path[out]);
        const [edgeX, edgeY] = [chart.x(side * EDGE), chart.y(curve.height(side * EDGE))];
        const [lastX, lastY] = at(shown[shown.length - 1]);
        svgEl("line", { class: "toynn-steps toynn-steps--out", x1: lastX, y1: lastY,
                        x2: edgeX, y2: edgeY }, chart.steps);
        titled(svgEl("path", { class: "toynn-leave", d: `M${edgeX},${edgeY - 10}` +
          `L${edgeX + side * 18},${edgeY}L${edgeX},${edgeY + 10}Z` }, chart.steps),
          `after step ${out} the ball left the chart to the ${side < 0 ? "left" : "right"}`);
        root.dataset.leaves = side < 0 ? "left" : "right";
      }
      for (const circle of [ball, target]) {
        circle.setAttribute("cx", chart.x(x0));
        circle.setAttribute("cy", chart.y(curve.height(x0)));
      }
      ball.setAttribute("aria-valuenow", x0);
      ball.setAttribute("aria-valuetext", `start x = ${x0.toFixed(1)}`);
      const last = path[path.length - 1];
      root.dataset.path = JSON.stringify(path);
      const where = Number.isFinite(last) && Math.abs(last) < 1e6
        ? `x = ${fourDigits(last)}` : "flown off the chart";
      readout.textContent = `After ${STEPS} steps with alpha ${a} from x = ${x0.toFixed(1)}: ` +
        `${where}. First steps: ${path.slice(0, 5).map(fourDigits).join(", ")}…`;
      roll();
    }

    // The second ball rolls from the start down the steps, one step every 60 ms, so that a
    // change shows as motion; while dragging, and for readers who asked for less motion, it
    // waits at the last step.
    function roll() {
      clearTimeout(rolling);
      const place = (i) => {
        const [cx, cy] = [chart.x(shown[i]), chart.y(CURVES[chartCurve].height(shown[i]))];
        roller.setAttribute("cx", cx);
        roller.setAttribute("cy", cy);
        root.dataset.rolled = i;
        if (i + 1 < shown.length) rolling = setTimeout(() => place(i + 1), 60);
      };
      place(dragging || reducedMotion.matches ? shown.length - 1 : 0);
    }

    const moveTo = (index) => {
      index = Math.max(0, Math.min(starts.length - 1, index));
      if (index === +start.value) return;
      start.value = index;
      start.dispatchEvent(new Event("input"));
    };
    const nearest = (clientX) => {
      const x = chart.xFromClient(clientX);
      return starts.reduce((best, v, i) =>
        Math.abs(v - x) < Math.abs(starts[best] - x) ? i : best, 0);
    };

    // A press anywhere on the chart puts the ball there, and a drag carries it along. No
    // default action: the press would otherwise start selecting the page's text.
    chartHolder.addEventListener("pointerdown", (event) => {
      if (!event.isPrimary || event.button !== 0) return;
      event.preventDefault();
      ball.focus({ preventScroll: true });
      dragging = true;
      root.classList.add("toynn-dragging");
      chartHolder.setPointerCapture(event.pointerId);
      moveTo(nearest(event.clientX));
    });
    chartHolder.addEventListener("pointermove", (event) => {
      if (dragging) moveTo(nearest(event.clientX));
    });
    const stop = () => {
      if (!dragging) return;
      dragging = false;
      root.classList.remove("toynn-dragging");
      roll();
    };
    chartHolder.addEventListener("pointerup", stop);
    chartHolder.addEventListener("pointercancel", stop);
    // The ball is a slider too: arrow keys step the start by 0.1, Page keys by 1.
    const KEYS_MOVE = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1,
                        PageDown: -10, PageUp: 10, Home: -Infinity, End: Infinity };
    ball.addEventListener("keydown", (event) => {
      const by = KEYS_MOVE[event.key];
      if (by === undefined) return;
      event.preventDefault();
      const index = +start.value + by;
      moveTo(Number.isFinite(index) ? index : by < 0 ? 0 : starts.length - 1);
    });

    for (const input of [alpha, start]) input.addEventListener("input", draw);
    curveSelect.addEventListener("change", draw);
    chartFor(curveSelect.value);
    draw();
    // Roll again when the reader first scrolls to it: the first roll happened out of sight.
    const seen = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      seen.disconnect();
      roll();
    });
    seen.observe(chartHolder);
  }

  /* ---------- mounting ---------- */

  function mountAll() {
    // Each view once: a page's document can be announced twice (see the end of this file).
    const fresh = (view) => [...document.querySelectorAll(
      `.toynn-explorer[data-view='${view}']:not([data-mounted])`)];
    for (const root of fresh("ball")) {
      root.dataset.mounted = "";
      mountBall(root);
    }
    const networks = fresh("network").map((root) => {
      root.dataset.mounted = "";
      return [root, networkFrame(root)];
    });
    if (!networks.length) return;
    loadGrid().then((grid) => {
      for (const [root, parts] of networks) mountNetwork(root, parts, grid);
    }).catch((error) => {
      for (const [, parts] of networks) {
        parts.readout.textContent = `The explorer could not load its data: ${error.message}`;
      }
      console.error(error);
    });
  }

  window.toynnExplorer = { descend, curves: CURVES, fourDigits };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll); // Material: every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
