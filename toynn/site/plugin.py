"""The mkdocs plugin ``toynn-build``: the site's build step.

- before the build: bring every experiment's outputs in ``site-build/generated`` up to date,
  one build at a time per build folder;
- ``on_files``: add those outputs to the site, and swap each playground notebook for its
  freshly executed copy (so mkdocs-jupyter, listed after this plugin, renders real outputs);
  add the in-page runner's Pyodide (toynn.site.pyodide) under ``assets/pyodide/``;
- ``on_page_markdown``: fill in ``{{ fact experiment.name }}``, ``<!-- run-time: name -->``
  and ``{{ repository }}``;
- ``on_page_content``: math to MathML, prompt-free copy text, notebooks kept offline;
- ``on_post_page``: no MathJax loader from a CDN on any page.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from toynn.site import html, pyodide
from toynn.site.cache import BuildLock, ExperimentFailed, Result, build

log = logging.getLogger("mkdocs.plugins.toynn")

_FACT = re.compile(r"\{\{\s*fact\s+([\w-]+)\.([\w.]+?)\s*\}\}")
_RUN_TIME = re.compile(r"<!--\s*run-time:\s*([\w-]+)\s*-->")
_PYTHON_EXAMPLE = re.compile(r"^```python\n(?=>>> )", re.MULTILINE)
_SITE_SUFFIXES = {".svg", ".png", ".avif", ".json", ".txt"}  # not .md snippets, not notebooks


class BuildConfig(Config):
    build_dir = config_options.Type(str, default="site-build")  # relative to mkdocs.yml


class BuildPlugin(BasePlugin[BuildConfig]):
    def __init__(self):
        super().__init__()
        self.facts: dict[str, dict] = {}  # each experiment's facts.json, read once per build
        self.needs: dict[str, tuple[str, ...]] = {}  # what each experiment reads from
        self.pyodide: Path | None = None  # the runner's Pyodide files, if the build has them

    def on_config(self, config):
        build_dir = Path(config.config_file_path).resolve().parent / self.config.build_dir
        self.generated, self.cache = build_dir / "generated", build_dir / "cache"
        self.lock = BuildLock(build_dir, log=log.info)
        self.results: dict[str, Result] = {}
        # Pages embed outputs by their path under generated/; a missing one fails the build.
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is None or not snippets.get("check_paths"):
            raise PluginError("toynn-build needs pymdownx.snippets with check_paths: true")
        snippets["base_path"] = [str(self.generated), *snippets.get("base_path", [])]
        return config

    def on_pre_build(self, config) -> None:
        # One build at a time in this build folder, from here to the last page written.
        try:
            self.lock.acquire()
        except ExperimentFailed as error:
            raise PluginError(f"toynn-build: {error}") from error
        # Re-read the list of experiments on every build: `mkdocs serve` keeps this process
        # alive while experiments.py is edited. (The experiments themselves run in fresh
        # child processes; see toynn.site.cache.)
        experiments = importlib.reload(
            importlib.import_module("toynn.site.experiments")
        ).experiments()
        self.needs = {e.name: e.needs for e in experiments}
        try:
            self.results = build(experiments, self.generated, self.cache, log=log.info)
        except ExperimentFailed as error:
            raise PluginError(f"toynn-build: {error}") from error
        self.facts = {}  # the outputs may have changed: read them afresh
        self.pyodide = pyodide.runtime(log=log.info)  # None: the runner is left out
        if self.pyodide is None and pyodide.required():
            raise PluginError(
                f"toynn-build: {pyodide.REQUIRE_VARIABLE}=1 but the in-page runner was left out"
            )
        # The theme adds the runner's script and Run buttons only where it can run.
        config.extra["toynn_runner"] = self.pyodide is not None
        ran = [r.name for r in self.results.values() if r.status == "ran"]
        log.info(
            f"{len(ran)} experiment(s) ran, {len(self.results) - len(ran)} came from the cache"
        )

    def on_build_error(self, error) -> None:
        self.lock.release()

    def on_files(self, files: Files, config) -> Files:
        for path in sorted(self.generated.rglob("*")):
            if path.is_file() and path.suffix in _SITE_SUFFIXES:
                uri = "generated/" + path.relative_to(self.generated).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        self._add_runner(files, config)
        for file in list(files):
            if file.src_uri.startswith("notebooks/") and file.src_uri.endswith(".ipynb"):
                # A real File rooted in the experiment's folder: mkdocs-jupyter's wrapper
                # cannot read virtual files made with File.generated.
                executed_root = self.generated / "notebooks"
                if not (executed_root / file.src_uri).is_file():
                    raise PluginError(f"toynn-build: no executed copy of {file.src_uri}")
                files.remove(file)
                files.append(
                    File(
                        file.src_uri, str(executed_root), config.site_dir, config.use_directory_urls
                    )
                )
        return files

    def _add_runner(self, files: Files, config) -> None:
        """The in-page runner's Pyodide under assets/pyodide/, with its license; without
        Pyodide, none of the runner's files (the theme then adds no Run button)."""
        if self.pyodide is None:
            for file in [f for f in files if f.src_uri in pyodide.RUNNER_FILES]:
                files.remove(file)
            return
        shipped = {name: self.pyodide / name for name in (*pyodide.SHIPPED, pyodide.LOCK_FILE)}
        shipped["LICENSE.txt"] = pyodide.LICENSE
        for name, path in shipped.items():
            files.append(File.generated(config, f"assets/pyodide/{name}", abs_src_path=str(path)))
        # Part 6's grader, which the worker loads for the exercise in the page.
        grader = Path(__file__).resolve().parent.parent / "exercise_plain.py"
        files.append(File.generated(config, "assets/exercise_plain.py", abs_src_path=str(grader)))

    def _fact(self, match: re.Match, page) -> str:
        experiment, name = match.groups()
        if experiment not in self.facts:
            path = self.generated / experiment / "facts.json"
            self.facts[experiment] = json.loads(path.read_text("utf-8")) if path.is_file() else {}
        facts = self.facts[experiment]
        if name not in facts:
            raise PluginError(
                f"toynn-build: {page.file.src_uri} quotes unknown fact {experiment}.{name}"
            )
        return facts[name]

    def _run_time(self, match: re.Match, page) -> str:
        name = match.group(1)
        if name not in self.results:
            raise PluginError(f"toynn-build: {page.file.src_uri} names unknown experiment {name}")
        if os.environ.get("SOURCE_DATE_EPOCH"):
            # A reproducible build prints nothing that differs between two builds: no times.
            return f'<p class="toynn-run-time" markdown="span">Computed by experiment `{name}`.</p>'
        chain = self._with_needs(name)
        seconds = sum(self.results[n].seconds for n in chain)
        reads = [f"`{n}`" for n in chain if n != name]
        with_needs = f" with {', '.join(reads)}, which it reads" if reads else ""
        if all(self.results[n].status == "ran" for n in chain):
            how = "computed by this build"
        else:
            how = "computed, then reused from the cache"
        return (
            f'<p class="toynn-run-time" markdown="span">Experiment `{name}`: '
            f"{seconds:.1f} s{with_needs}, {how}.</p>"
        )

    def _with_needs(self, name: str) -> list[str]:
        """``name`` and every experiment it reads from, directly or not, each once."""
        chain = [name]
        for need in self.needs.get(name, ()):
            chain += [n for n in self._with_needs(need) if n not in chain]
        return chain

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        # Where to get the code: the published site knows its repository (repo_url); a
        # local build is read by someone who has the code already.
        where = f"[its repository]({config.repo_url})" if config.repo_url else "its repository"
        markdown = markdown.replace("{{ repository }}", where)
        markdown = _FACT.sub(lambda m: self._fact(m, page), markdown)
        leftover = re.search(r"\{\{\s*fact\b[^}]*\}?\}?", markdown)
        if leftover:  # a typo must not reach the page as raw template text
            raise PluginError(f"toynn-build: {page.file.src_uri} has a malformed {leftover[0]!r}")
        markdown = _RUN_TIME.sub(lambda m: self._run_time(m, page), markdown)
        # Show >>> examples with prompts and output styled apart (the source stays `python`,
        # the info string Sybil collects).
        return _PYTHON_EXAMPLE.sub("```pycon\n", markdown)

    @event_priority(-100)  # after mkdocs-jupyter's on_post_page, which adds the loader
    def on_post_page(self, output: str, page, config) -> str:
        return html.finished_page(html.without_mathjax_loader(output))

    def on_post_build(self, config) -> None:
        if not config.site_url:
            # Without the site's address a sitemap lists no pages: better none than an empty one.
            for name in ("sitemap.xml", "sitemap.xml.gz"):
                Path(config.site_dir, name).unlink(missing_ok=True)
            log.info("no sitemap.xml: it needs site_url (TOYNN_SITE_URL)")
        self.lock.release()

    def on_page_content(self, content: str, page, config, files) -> str:
        content = html.prompt_free_copy(html.math_to_mathml(content))
        if page.file.src_uri.endswith(".ipynb"):
            content = html.offline_notebook(content, Path(page.file.src_uri).name)
        return content
