"""A real browser: JupyterLab on localhost, Debian's Chromium driven by Playwright.

Opens a notebook with a style-transfer explorer, runs it, moves a slider with the keyboard,
clicks Run and checks that the preview image changes. Saves screenshots under
``test-output/browser/``. Skipped when Chromium or Playwright is missing, unless
``NST_REQUIRE_BROWSER=1`` (CI sets it), which turns that into a failure.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-output" / "browser"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
TOKEN = "nst-browser-test"


def _require():
    missing = []
    if CHROMIUM is None:
        missing.append("Chromium (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install -r requirements-dev.txt)")
    if missing:
        message = "browser test needs " + " and ".join(missing)
        if os.environ.get("NST_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


NOTEBOOK_CELLS = [
    "import nst_helpers as nst\nfrom nst_helpers import widgets",
    "explorer = widgets.TransferExplorer('chelsea', 'starry_night')  # fast mode: 96 px, 10 steps\nexplorer",
]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    _require()
    root = tmp_path_factory.mktemp("lab")
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None,
                     "id": f"c{i}"} for i, src in enumerate(NOTEBOOK_CELLS)],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    (root / "explorer.ipynb").write_text(json.dumps(nb))
    port = _free_port()
    env = {**os.environ, "NST_FAST": "1", "NST_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    log = open(tmp_path_factory.mktemp("log") / "lab.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", f"--port={port}",
         "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        pytest.fail(f"JupyterLab did not start: see {log.name}")
    yield url
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_explorer_in_jupyterlab(lab):
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        try:
            page.goto(f"{lab}/lab/tree/explorer.ipynb?token={TOKEN}", timeout=60_000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=60_000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
            news = page.get_by_role("button", name="No", exact=True)
            if news.count():
                news.click()  # "get notified about Jupyter news?" toast
            page.get_by_text("| Idle").first.wait_for(timeout=90_000)  # kernel connected
            # Run both cells; a request sent while the kernel connects can be dropped, so retry.
            for _attempt in range(3):
                page.locator(".jp-Cell .jp-InputArea-editor").first.click()
                page.keyboard.press("Shift+Enter")
                page.keyboard.press("Shift+Enter")
                try:
                    page.wait_for_function(
                        "() => [...document.querySelectorAll('.jp-InputPrompt')]"
                        ".some(e => /\\[(\\*|\\d+)\\]/.test(e.textContent))", timeout=15_000)
                    break
                except Exception:  # noqa: BLE001 - retried, then the wait below fails clearly
                    continue

            run = page.locator(".jupyter-widgets button.widget-button", has_text="Run")
            run.wait_for(timeout=120_000)
            status = page.locator(".jupyter-widgets .widget-html-content").last
            preview = page.locator(".jupyter-widgets img").first

            run.click()  # first run with the default settings
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jupyter-widgets .widget-html-content')]"
                ".some(e => e.textContent.includes('final loss'))", timeout=120_000)
            before = preview.screenshot()
            first_status = status.text_content()

            # Move the style-weight slider two notches right with the keyboard (role="slider").
            handle = page.locator(".widget-hslider", has_text="style β").locator("[role=slider]")
            handle.focus()
            handle.press("ArrowRight")
            handle.press("ArrowRight")
            page.wait_for_function(
                "() => [...document.querySelectorAll('.widget-hslider')].some("
                "e => e.textContent.includes('style β') && e.textContent.includes('3.2e-2'))", timeout=20_000)

            run.click()
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jupyter-widgets .widget-html-content')]"
                ".some(e => e.textContent.includes('final loss') && e.textContent.includes('β=3e-02'))",
                timeout=120_000)
            after = preview.screenshot()
            page.screenshot(path=str(OUT / "explorer.png"), full_page=True)
            assert before != after, "the preview did not change after Run"
            assert "β=1e-02" in first_status
        except Exception:
            page.screenshot(path=str(OUT / "failure.png"), full_page=True)
            raise
        finally:
            browser.close()
