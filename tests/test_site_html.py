"""The page rewrites of the build step, on small pieces of HTML."""

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from toynn.site import html
from toynn.site.cache import Result
from toynn.site.plugin import BuildPlugin


def test_inline_and_block_math_become_mathml():
    page = (
        '<p>Step: <span class="arithmatex">\\(x \\leftarrow x - \\alpha s\\)</span></p>'
        '<div class="arithmatex">\\[\\sigma(x) = \\frac{1}{1 + e^{-x}} &lt; 1\\]</div>'
    )
    converted = html.math_to_mathml(page)
    assert "arithmatex" not in converted
    assert converted.count("<math") == 2
    assert 'display="block"' in converted and "<mfrac>" in converted
    assert "&#x0003C;" in converted  # the escaped < became a MathML operator


def test_doctest_blocks_get_prompt_free_copy_text_and_others_do_not():
    doctest = (
        '<div class="highlight"><pre><span></span><code><span class="gp">&gt;&gt;&gt; </span>'
        'x = 2 &lt; 3\n<span class="gp">&gt;&gt;&gt; </span>x\n<span class="go">True</span>\n'
        "</code></pre></div>"
    )
    plain = '<div class="language-python highlight"><pre><code>y = 1\n</code></pre></div>'
    rewritten = html.prompt_free_copy(doctest + plain)
    assert 'data-copy="x = 2 &lt; 3\nx\n"' in rewritten
    assert rewritten.count("data-copy") == 1


def test_notebook_pages_lose_cdn_scripts_and_gain_a_download_link():
    page = (
        '<script src="https://cdnjs.cloudflare.com/mathjax.js"> </script>'
        '<script src=""> </script>'
        '<script type="text/x-mathjax-config">init_mathjax()</script>'
        '<script type="module">const m = await import("https://cdn.example/mermaid.mjs")</script>'
        "<script>copyButtons()</script><p>cells</p>"
    )
    offline = html.offline_notebook(page, "part-2-bucket.ipynb")
    assert "http" not in offline and "mathjax" not in offline
    assert "<script>copyButtons()</script>" in offline
    assert 'href="part-2-bucket.ipynb" download' in offline


NO_REPOSITORY = SimpleNamespace(repo_url="")


class FakePage:
    class file:
        src_uri = "part-5.md"


def plugin_with(tmp_path, facts):
    plugin = BuildPlugin()
    plugin.generated = tmp_path
    (tmp_path / "sweep").mkdir()
    (tmp_path / "sweep" / "facts.json").write_text(facts)
    plugin.results = {"sweep": Result("sweep", "cached", 1.25)}
    return plugin


def test_facts_and_run_times_are_filled_in(tmp_path):
    plugin = plugin_with(tmp_path, '{"best_alpha": "10", "error_0.001": "0.486"}')
    markdown = (
        "Best: {{ fact sweep.best_alpha }}; tiny: {{fact sweep.error_0.001}}.\n\n"
        "<!-- run-time: sweep -->\n"
    )
    out = plugin.on_page_markdown(markdown, FakePage, NO_REPOSITORY, None)
    assert "Best: 10; tiny: 0.486." in out
    assert "Experiment `sweep`: 1.2 s, computed, then reused from the cache." in out


@pytest.mark.parametrize(
    ("markdown", "message"),
    [
        ("{{ fact sweep.nothing }}", "part-5.md quotes unknown fact sweep.nothing"),
        ("{{ fact gone.best_alpha }}", "part-5.md quotes unknown fact gone.best_alpha"),
        ("<!-- run-time: gone -->", "part-5.md names unknown experiment gone"),
        ("{{ fact sweep }}", "part-5.md has a malformed '{{ fact sweep }}'"),
        ("{{ fact sweep.best alpha }}", "part-5.md has a malformed"),
    ],
)
def test_unknown_facts_and_experiments_fail_the_build(tmp_path, markdown, message):
    plugin = plugin_with(tmp_path, '{"best_alpha": "10"}')
    with pytest.raises(PluginError, match=message):
        plugin.on_page_markdown(markdown, FakePage, NO_REPOSITORY, None)


def test_doctest_fences_are_shown_as_console_sessions(tmp_path):
    plugin = plugin_with(tmp_path, "{}")
    markdown = "```python\n>>> 1 + 1\n2\n```\n\n```python\nx = 1\n```\n"
    out = plugin.on_page_markdown(markdown, FakePage, NO_REPOSITORY, None)
    assert out == "```pycon\n>>> 1 + 1\n2\n```\n\n```python\nx = 1\n```\n"


def test_run_times_count_what_an_experiment_reads_and_vanish_in_reproducible_builds(
    tmp_path, monkeypatch
):
    plugin = plugin_with(tmp_path, "{}")
    plugin.results |= {
        "training": Result("training", "ran", 5.0),
        "figures": Result("figures", "ran", 0.25),
    }
    plugin.needs = {"figures": ("sweep", "training"), "sweep": ("training",)}
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    out = plugin.on_page_markdown("<!-- run-time: figures -->", FakePage, NO_REPOSITORY, None)
    assert "`figures`: 6.5 s with `sweep`, `training`, which it reads" in out
    assert "computed, then reused from the cache" in out  # `sweep` came from the cache
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1437955200")
    out = plugin.on_page_markdown("<!-- run-time: figures -->", FakePage, NO_REPOSITORY, None)
    assert "Computed by experiment `figures`." in out and " s" not in out.split("`figures`")[1]


def test_mkdocs_jupyters_mathjax_loader_is_removed_from_every_page():
    loader = (
        '<script data-mkdocs-jupyter-mathjax="{&#34;url&#34;: &#34;https://cdn.jsdelivr.net'
        '/npm/mathjax@4/tex-mml-chtml.js&#34;}">\n(() => { load(); })();\n</script>\n'
    )
    page = f"<body><p>text</p>\n{loader}<script>keep()</script></body>"
    assert html.without_mathjax_loader(page) == "<body><p>text</p>\n<script>keep()</script></body>"


def test_pages_say_where_the_code_lives_when_the_build_knows(tmp_path):
    plugin = plugin_with(tmp_path, "{}")
    text = "Clone {{ repository }}."
    known = SimpleNamespace(repo_url="https://example.org/toynn")
    assert plugin.on_page_markdown(text, FakePage, known, None) == (
        "Clone [its repository](https://example.org/toynn)."
    )
    assert plugin.on_page_markdown(text, FakePage, NO_REPOSITORY, None) == "Clone its repository."
