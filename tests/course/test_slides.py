"""Slides with no network in the room: a deck made as `make slides` makes them (ci/slides_build.py)
opens in headless Chromium with every non-local request refused, and reveal.js starts, MathJax
typesets the formulas and a stored widget is drawn. The notebook is a tiny synthetic one, not
executed, so the test takes seconds.

Skipped with a reason when the npm assets are not installed (`npm ci --ignore-scripts --prefix
ci/slides`), Chromium or Playwright is missing, unless NST_REQUIRE_BROWSER=1 (CI), which turns any
of these into a failure.
"""

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browser_support import CHROMIUM, require_browser
from conftest import load_script

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]


# reveal.js as the deck's RequireJS loaded it (the synchronous form returns a loaded module).
REVEAL = "(() => { try { return require('vendor/reveal.js/dist/reveal.js'); } catch (e) { return {isReady: () => false}; } })()"


def _builder():
    return load_script(ROOT / "ci" / "slides_build.py")


def _require(builder):
    assets = [f"the offline slide assets (`{builder.INSTALL}`)"] if builder.missing_assets() else []
    require_browser("the slides test", assets)


# A widget as an executed notebook stores it: the model's state in the notebook's metadata and a
# view of it in the cell's output (what nbclient writes for `widgets.IntSlider(value=7)`).
SLIDER_ID = "0123456789abcdef0123456789abcdef"
BUTTON_ID = "fedcba9876543210fedcba9876543210"
WIDGET_STATE = {"application/vnd.jupyter.widget-state+json": {
    "version_major": 2, "version_minor": 0,
    "state": {
        SLIDER_ID: {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"value": 7, "max": 10, "description": "steps", "layout": "IPY_MODEL_" + "1" * 32,
                              "style": "IPY_MODEL_" + "2" * 32}},
        "1" * 32: {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
                   "model_module_version": "2.0.0", "state": {}},
        "2" * 32: {"model_name": "SliderStyleModel", "model_module": "@jupyter-widgets/controls",
                   "model_module_version": "2.0.0", "state": {"description_width": ""}},
        # A button with an icon: its glyph comes from the renderer's own icon font, a local file.
        BUTTON_ID: {"model_name": "ButtonModel", "model_module": "@jupyter-widgets/controls",
                    "model_module_version": "2.0.0",
                    "state": {"description": "Run", "icon": "play", "layout": "IPY_MODEL_" + "1" * 32,
                              "style": "IPY_MODEL_" + "3" * 32}},
        "3" * 32: {"model_name": "ButtonStyleModel", "model_module": "@jupyter-widgets/controls",
                   "model_module_version": "2.0.0", "state": {}},
    }}}


def _notebook(path):
    cells = [
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}},
         "source": "# A tiny deck\n\n[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
                   "(https://colab.research.google.com/github/x/y/blob/main/tiny.ipynb)\n\nThe Gram matrix $G_{ij} = \\sum_k F_{ik} F_{jk}$ of the features."},
        {"cell_type": "markdown", "metadata": {"slideshow": {"slide_type": "slide"}},
         "source": "## The loss\n\n$$\\mathcal{L} = \\alpha \\mathcal{L}_c + \\beta \\mathcal{L}_s$$"},
        {"cell_type": "code", "metadata": {"slideshow": {"slide_type": "-"}}, "execution_count": 1,
         "source": "widgets.IntSlider(value=7, max=10, description='steps')",
         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {
             "text/plain": "IntSlider(value=7, description='steps', max=10)",
             "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                          "model_id": SLIDER_ID}}},
                     {"output_type": "display_data", "metadata": {}, "data": {
             "text/plain": "Button(description='Run', icon='play')",
             "application/vnd.jupyter.widget-view+json": {"version_major": 2, "version_minor": 0,
                                                          "model_id": BUTTON_ID}}}]},
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"c{i}"
    nb = {"cells": cells, "nbformat": 4, "nbformat_minor": 5,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
                       "widgets": WIDGET_STATE}}
    path.write_text(json.dumps(nb))


def test_deck_works_with_no_network(tmp_path):
    builder = _builder()
    _require(builder)
    from playwright.sync_api import sync_playwright

    _notebook(tmp_path / "tiny.ipynb")
    # Built into its own folder, then moved: the deck must depend on nothing but that folder.
    (deck,) = builder.build([tmp_path / "tiny.ipynb"], tmp_path / "built")
    moved = tmp_path / "usb-stick"
    shutil.move(tmp_path / "built", moved)
    deck = moved / deck.name

    refused, local, errors = [], [], []

    def route(r):
        url = urlsplit(r.request.url)
        if url.scheme in ("file", "data", "blob") or url.hostname in ("localhost", "127.0.0.1"):
            local.append(r.request.url)
            return r.continue_()
        refused.append(r.request.url)
        return r.abort("internetdisconnected")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.route("**/*", route)
            page = context.new_page()
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("requestfailed", lambda r: r.url in refused or errors.append(f"{r.url}: {r.failure}"))
            page.goto(deck.as_uri())
            # The template loads reveal.js through RequireJS, which keeps it out of `window`.
            page.wait_for_function(f"() => {REVEAL}.isReady()", timeout=30_000)
            assert page.evaluate(f"{REVEAL}.getTotalSlides()") == 2
            # The Colab badge (a picture from the web) became a text link.
            assert page.get_by_role("link", name="Open In Colab").get_attribute("href").endswith("tiny.ipynb")
            assert page.locator(".reveal .slides section").count() >= 2
            # MathJax 2 (what the template drives): both formulas typeset, none left as TeX. (reveal.js
            # copies the current slide's text into an aria-live region: a formula may count twice.)
            page.wait_for_function("() => window.MathJax && MathJax.Hub && MathJax.Hub.queue.pending === 0"
                                   " && MathJax.Hub.getAllJax().length >= 2", timeout=30_000)
            typeset = page.evaluate("[...new Set(MathJax.Hub.getAllJax().map(j => j.originalText))].sort()")
            assert typeset == ["G_{ij} = \\sum_k F_{ik} F_{jk}",
                               "\\mathcal{L} = \\alpha \\mathcal{L}_c + \\beta \\mathcal{L}_s"]
            assert page.locator(".reveal .slides .MathJax_CHTML").count() >= 2
            assert "\\sum_k" not in page.inner_text(".reveal .slides")
            # The stored widget, drawn by the widgets' HTML manager from vendor/.
            page.evaluate(f"{REVEAL}.slide(1)")
            page.wait_for_selector(".widget-subarea .widget-slider", timeout=30_000)
            assert page.locator(".widget-subarea .widget-readout").first.inner_text().strip() == "7"
            page.wait_for_function("() => document.fonts.status === 'loaded'", timeout=30_000)
            loaded = page.evaluate("[...document.fonts].filter(f => /awesome/i.test(f.family)"
                                   " && f.status === 'loaded').length")
            assert loaded >= 1, "the widgets' icon font did not load"
        finally:
            browser.close()

    assert refused == [], f"the deck asked the network for {refused}"
    assert any("vendor/mathjax/" in u for u in local) and any("vendor/reveal.js/" in u for u in local)
    assert errors == [], errors
