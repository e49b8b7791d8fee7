"""The mkdocs plugin ``toynn-build``: the site's build step.

- before the build: bring every experiment's outputs in ``build/generated`` up to date;
- ``on_files``: add those outputs to the site, and swap each playground notebook for its
  freshly executed copy (so mkdocs-jupyter, listed after this plugin, renders real outputs);
- ``on_page_markdown``: fill in ``{{ fact experiment.name }}`` and ``<!-- run-time: name -->``;
- ``on_page_content``: math to MathML, prompt-free copy text, notebooks kept offline.
"""

from __future__ import annotations

import importlib
import json
import logging
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from toynn.site import html
from toynn.site.cache import ExperimentFailed, Result, build

log = logging.getLogger("mkdocs.plugins.toynn")

_FACT = re.compile(r"\{\{\s*fact\s+([\w-]+)\.([\w.]+?)\s*\}\}")
_RUN_TIME = re.compile(r"<!--\s*run-time:\s*([\w-]+)\s*-->")
_PYTHON_EXAMPLE = re.compile(r"^```python\n(?=>>> )", re.MULTILINE)
_SITE_SUFFIXES = {".svg", ".png", ".gif", ".json", ".txt"}  # not .md snippets, not notebooks


class BuildConfig(Config):
    build_dir = config_options.Type(str, default="build")  # relative to mkdocs.yml


class BuildPlugin(BasePlugin[BuildConfig]):
    def __init__(self):
        super().__init__()
        self.facts: dict[str, dict] = {}  # each experiment's facts.json, read once per build

    def on_config(self, config):
        build_dir = Path(config.config_file_path).resolve().parent / self.config.build_dir
        self.generated, self.cache = build_dir / "generated", build_dir / "cache"
        self.results: dict[str, Result] = {}
        # Pages embed outputs by their path under generated/; a missing one fails the build.
        snippets = config.mdx_configs.get("pymdownx.snippets")
        if snippets is None or not snippets.get("check_paths"):
            raise PluginError("toynn-build needs pymdownx.snippets with check_paths: true")
        snippets["base_path"] = [str(self.generated), *snippets.get("base_path", [])]
        return config

    def on_pre_build(self, config) -> None:
        # Re-read the list of experiments on every build: `mkdocs serve` keeps this process
        # alive while experiments.py is edited. (The experiments themselves run in fresh
        # child processes; see toynn.site.cache.)
        experiments = importlib.reload(importlib.import_module("toynn.site.experiments"))
        try:
            self.results = build(
                experiments.experiments(), self.generated, self.cache, log=log.info
            )
        except ExperimentFailed as error:
            raise PluginError(f"toynn-build: {error}") from error
        self.facts = {}  # the outputs may have changed: read them afresh
        ran = [r.name for r in self.results.values() if r.status == "ran"]
        log.info(
            f"{len(ran)} experiment(s) ran, {len(self.results) - len(ran)} came from the cache"
        )

    def on_files(self, files: Files, config) -> Files:
        for path in sorted(self.generated.rglob("*")):
            if path.is_file() and path.suffix in _SITE_SUFFIXES:
                uri = "generated/" + path.relative_to(self.generated).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        for file in list(files):
            if file.src_uri.startswith("notebooks/") and file.src_uri.endswith(".ipynb"):
                # A real File rooted in the experiment's folder: mkdocs-jupyter's wrapper
                # cannot read virtual files made with File.generated.
                executed_root = self.generated / f"notebook-{Path(file.src_uri).stem}"
                if not (executed_root / file.src_uri).is_file():
                    raise PluginError(f"toynn-build: no executed copy of {file.src_uri}")
                files.remove(file)
                files.append(
                    File(
                        file.src_uri, str(executed_root), config.site_dir, config.use_directory_urls
                    )
                )
        return files

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
        result = self.results.get(match.group(1))
        if result is None:
            raise PluginError(
                f"toynn-build: {page.file.src_uri} names unknown experiment {match.group(1)}"
            )
        how = (
            "computed by this build"
            if result.status == "ran"
            else "computed, then reused from the cache"
        )
        return (
            f'<p class="toynn-run-time" markdown="span">Experiment `{result.name}`: '
            f"{result.seconds:.1f} s, {how}.</p>"
        )

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        markdown = _FACT.sub(lambda m: self._fact(m, page), markdown)
        leftover = re.search(r"\{\{\s*fact\b[^}]*\}?\}?", markdown)
        if leftover:  # a typo must not reach the page as raw template text
            raise PluginError(f"toynn-build: {page.file.src_uri} has a malformed {leftover[0]!r}")
        markdown = _RUN_TIME.sub(lambda m: self._run_time(m, page), markdown)
        # Show >>> examples with prompts and output styled apart (the source stays `python`,
        # the info string Sybil collects).
        return _PYTHON_EXAMPLE.sub("```pycon\n", markdown)

    def on_page_content(self, content: str, page, config, files) -> str:
        content = html.prompt_free_copy(html.math_to_mathml(content))
        if page.file.src_uri.endswith(".ipynb"):
            content = html.offline_notebook(content, Path(page.file.src_uri).name)
        return content
