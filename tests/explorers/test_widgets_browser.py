"""A real browser: JupyterLab 4 and Notebook 7 on localhost, Debian's Chromium driven by Playwright.

Opens a notebook with a style-transfer explorer and notebook 6's mask and scale explorers (one
page and one kernel per front end); in the style-transfer explorer runs, drags a slider with the
mouse, clicks Run and checks that the preview image changes; then drags the mask's edge and checks
the overlay and the run follow it, switches the scale control's coarse painting and checks the
layer table and the result change. Saves screenshots under
``test-output/browser/``. Skipped when Chromium or Playwright is missing, unless
``NST_REQUIRE_BROWSER=1`` (CI sets it), which turns that into a failure.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import CHROMIUM, require_browser

# pytest-timeout only guards against a hang (a server that never answers): nothing is timed here
# except the page waits Playwright needs to know when to give up on an element.
pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "test-output" / "browser"
TOKEN = "nst-browser-test"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One cell: an execute request sent while the kernel connects can be dropped, and with two cells
# the second could run without the first (seen once); one cell either runs whole or is retried.
# The style-transfer explorer, then notebook 6's own-mask and scale controls on the bundled photo
# (fast mode: 96 px, 10 steps), in one kernel: each front end starts one kernel and one page.
EXPLORERS_CELL = (
    "from IPython.display import display\n"
    "from nst_helpers import widgets\n"
    "explorer = widgets.TransferExplorer('chelsea', 'starry_night')\n"
    "pair = ['starry_night', 'hubble']\n"
    "mask = widgets.MaskExplorer('cincinnati_bridge', pair, names=['Starry', 'Hubble'])\n"
    "scale = widgets.ScaleExplorer('cincinnati_bridge', pair, names=['Starry', 'Hubble'])\n"
    "display(explorer, mask, scale)"
)

APPS = {"lab": "/lab/tree/explorers.ipynb", "notebook": "/notebooks/explorers.ipynb"}


def _write_notebook(root, nbformat_minor=5):
    cell = {"cell_type": "code", "metadata": {}, "source": EXPLORERS_CELL, "outputs": [], "execution_count": None}
    if nbformat_minor >= 5:
        cell["id"] = "c0"
    nb = {"cells": [cell], "nbformat": 4, "nbformat_minor": nbformat_minor,
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}
    (root / "explorers.ipynb").write_text(json.dumps(nb))


@contextlib.contextmanager
def _serve(command, env, root, log_path):
    """Start a Jupyter server on a free localhost port; yield its base URL; stop it afterwards."""
    port = _free_port()
    log = open(log_path, "w")
    proc = subprocess.Popen([a.format(port=port, root=root, token=TOKEN) for a in command],
                            stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    try:
        while True:  # until it answers or exits (a server that hangs is left to pytest-timeout)
            if proc.poll() is not None:
                pytest.fail(f"the Jupyter server exited with code {proc.returncode}: see {log_path}")
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module", params=sorted(APPS))
def lab(request, tmp_path_factory):
    """JupyterLab 4 or Notebook 7 serving the notebook with the three explorers; yields its page URL."""
    require_browser("browser test")
    app = request.param
    root = tmp_path_factory.mktemp("lab")
    _write_notebook(root)
    env = {**os.environ, "NST_FAST": "1", "NST_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "jupyter", app, "--no-browser", "--allow-root", "--port={port}",
               "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token={token}", "--ServerApp.root_dir={root}"]
    with _serve(command, env, root, tmp_path_factory.mktemp("log") / "lab.log") as url:
        yield app, f"{url}{APPS[app]}?token={TOKEN}"


def _chromium(playwright):
    """Debian's Chromium, headless, with no background connections (the network is closed here)."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True,
        args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"])


@contextlib.contextmanager
def _page(name):
    """A Chromium page; a full-page screenshot ``failure-{name}.png`` if the block fails."""
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = _chromium(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        try:
            yield page
        except Exception:
            page.screenshot(path=str(OUT / f"failure-{name}.png"), full_page=True)
            raise
        finally:
            browser.close()


def _wait_for_status(page, text, timeout):
    page.wait_for_function(
        "want => [...document.querySelectorAll('.jupyter-widgets .widget-html-content')]"
        ".some(e => e.textContent.includes('final loss') && e.textContent.includes(want))",
        arg=text, timeout=timeout)


def _run_drag_beta_run(page, handle_selector, timeout):
    """In the style-transfer explorer: Run, drag the β slider's handle to the right with the mouse,
    Run again. Returns (preview before, preview after, β read off the slider)."""
    explorer = page.locator(".nst-transferexplorer")
    run = explorer.locator("button.widget-button", has_text="Run")
    run.wait_for(timeout=timeout)
    preview = explorer.locator(".nst-preview")
    run.click()  # first run with the default settings
    _wait_for_status(page, "β=1e-02", timeout)
    before = preview.screenshot()
    slider = explorer.locator(".widget-hslider", has_text="style β")
    beta = float(_drag(page, slider, handle_selector, 12))
    run.click()
    _wait_for_status(page, f"β={beta:.0e}", timeout)  # the run used the new β
    return before, preview.screenshot(), beta


def _open_and_run(page, app, page_url):
    """Open a notebook in JupyterLab 4 or Notebook 7 and run its one cell. JupyterLab would also
    reopen the notebook an earlier test left open (its saved workspace): ``reset`` starts clean."""
    page.goto(page_url + ("&reset" if app == "lab" else ""), timeout=60_000)
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
    news = page.get_by_role("button", name="No", exact=True)
    if news.count():
        news.click()  # "get notified about Jupyter news?" toast
    if app == "lab":
        page.get_by_text("| Idle").first.wait_for(timeout=90_000)  # kernel connected
    # Run the cell; a request sent while the kernel connects can be dropped, so retry.
    for _attempt in range(6):
        page.locator(".jp-Cell .jp-InputArea-editor").first.click()
        page.keyboard.press("Shift+Enter")
        try:
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-InputPrompt')]"
                ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))", timeout=15_000)
            break
        except Exception:  # noqa: BLE001 - retried, then the wait below fails clearly
            continue


def _drag(page, slider, handle_selector, dx):
    """Drag a slider's handle ``dx`` pixels with the mouse; returns the readout's text after it changed."""
    handle = slider.locator(handle_selector)
    readout = slider.locator(".widget-readout")
    old = readout.text_content().strip()
    handle.scroll_into_view_if_needed()  # the mouse drags what is on screen (three explorers: a long page)
    box = handle.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + dx, y, steps=4)
    page.mouse.up()
    page.wait_for_function("([e, old]) => e.textContent.trim() !== old", arg=[readout.element_handle(), old],
                           timeout=20_000)
    return readout.text_content().strip()


def _image_src(locator):
    return locator.evaluate("e => e.src")


def _drive_controls(page, handle_selector, timeout, name):
    """The mask explorer: drag the edge height, see the mask's overlay and shares change, Run, see
    the run use the new edge. The scale explorer: Run, pick the other painting for the coarse
    layers, see the layer table change, Run, see a different picture."""
    mask, scale = page.locator(".nst-maskexplorer"), page.locator(".nst-scaleexplorer")
    mask.locator(".nst-mask-preview").wait_for(timeout=timeout)
    scale.locator(".nst-preview").wait_for(timeout=timeout)
    overlay = mask.locator(".nst-mask-preview")
    overlay_before = _image_src(overlay)
    legend_before = mask.locator(".widget-html-content", has_text="of the photo").text_content()
    height = float(_drag(page, mask.locator(".widget-hslider", has_text="edge height"), handle_selector, -40))
    page.wait_for_function("([e, old]) => e.src !== old", arg=[overlay.element_handle(), overlay_before],
                           timeout=20_000)
    legend_after = mask.locator(".widget-html-content", has_text="of the photo").text_content()
    assert legend_after != legend_before, "the regions' shares did not change with the edge"
    mask.locator("button.widget-button", has_text="Run").click()
    _wait_for_status(page, f"edge at {height:.2f}", timeout)  # the run used the dragged edge
    page.wait_for_function("e => e.complete && e.naturalWidth > 0",  # the result is drawn
                           arg=mask.locator(".nst-preview").element_handle(), timeout=20_000)

    run = scale.locator("button.widget-button", has_text="Run")
    run.click()
    _wait_for_status(page, "coarse Starry", timeout)
    result_before = _image_src(scale.locator(".nst-preview"))
    table = scale.locator(".widget-html-content", has_text="each style layer matches")
    table_before = table.text_content()
    scale.locator(".widget-toggle-button", has_text="Hubble").first.click()
    page.wait_for_function("([e, old]) => e.textContent !== old", arg=[table.element_handle(), table_before],
                           timeout=20_000)
    run.click()
    _wait_for_status(page, "coarse Hubble", timeout)
    page.screenshot(path=str(OUT / f"controls-{name}.png"), full_page=True)
    assert _image_src(scale.locator(".nst-preview")) != result_before, "the scale run's picture did not change"


def _drive_all(page, handle_selector, timeout, name):
    """The style-transfer explorer (run, drag β, run: the preview changes), then the mask and scale
    explorers (_drive_controls), on one page."""
    before, after, beta = _run_drag_beta_run(page, handle_selector, timeout)
    assert beta > 1e-2
    page.screenshot(path=str(OUT / f"explorer-{name}.png"), full_page=True)
    assert before != after, "the preview did not change after Run"
    _drive_controls(page, handle_selector, timeout, name)


def test_explorers_in_the_browser(lab):
    app, page_url = lab
    with _page(app) as page:
        _open_and_run(page, app, page_url)
        _drive_all(page, "[role=slider]", 120_000, app)  # ipywidgets 8's slider handle has role="slider"


# ---- classic Notebook 6.5.7 with ipywidgets 7.7.1: the closest front end to Colab's -------------

CLASSIC_PYTHON = os.environ.get("NST_CLASSIC_PYTHON")  # .venv-colab/bin/python, set by `make colab-browser`


@pytest.fixture(scope="module")
def classic(tmp_path_factory):
    """Classic Notebook 6.5.7 from the Colab-pinned environment, the explorer in main-thread mode."""
    require_browser("browser test")
    if not CLASSIC_PYTHON:
        pytest.skip("needs the Colab-pinned environment (notebook 6.5.7, ipywidgets 7.7.1): "
                    "`make colab-test` runs this test")
    root = tmp_path_factory.mktemp("classic")
    _write_notebook(root, nbformat_minor=4)
    env = {**os.environ, "NST_FAST": "1", "NST_OFFLINE": "1", "PYTHONPATH": str(ROOT),
           "NST_EXPLORER_MODE": "main", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    command = [CLASSIC_PYTHON, "-m", "notebook", "--no-browser", "--allow-root", "--port={port}",
               "--NotebookApp.ip=127.0.0.1", "--NotebookApp.token={token}", "--notebook-dir={root}"]
    with _serve(command, env, root, tmp_path_factory.mktemp("log") / "classic.log") as url:
        yield f"{url}/notebooks/explorers.ipynb?token={TOKEN}"


def test_explorers_in_classic_notebook_with_ipywidgets_7(classic):
    """The three explorers in classic Notebook 6.5.7 with ipywidgets 7.7.1 (jQuery-UI sliders), in
    main-thread mode."""
    with _page("classic") as page:
        page.goto(classic, timeout=60_000)
        page.wait_for_function("() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel"
                               " && Jupyter.notebook.kernel.is_connected()", timeout=90_000)
        # The widget manager fetches the kernel's widget state once the kernel connects;
        # models opened during that fetch are lost (a race no person clicks fast enough to
        # hit), so let it settle first.
        page.wait_for_function("() => Jupyter.WidgetManager && Jupyter.WidgetManager._managers.length > 0",
                               timeout=60_000)
        page.wait_for_timeout(5_000)
        page.evaluate("Jupyter.notebook.execute_all_cells()")
        _drive_all(page, ".ui-slider-handle", 180_000, "classic")
