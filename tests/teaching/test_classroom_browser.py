"""The class gallery's page in a real browser (Debian's Chromium, driven by Playwright): the cards
show their pictures, and the sort buttons reorder them (a second click reverses; a card without
the value goes last), with no script error and nothing fetched from outside the folder."""

import types

import numpy as np
import pytest
from browser_support import CHROMIUM, require_browser

import nst_helpers as nst
from nst_helpers.method.arguments import Settings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


def result(seed, **changes):
    given = dict(kind="transfer", steps=7, optimizer="adam", basis="pixels", init="content", seed=3,
                 size=40, precision="float32", content_layers=("block5_conv2",),
                 style_layers=("block1_conv1", "block2_conv1"), content_weight=1e4, style_weight=1e-2,
                 tv_weight=30.0, styles=1, recipe="tutorial")
    image = np.random.default_rng(seed).random((1, 30, 40, 3), dtype=np.float32)
    return types.SimpleNamespace(image=image, settings=Settings(**{**given, **changes}))


def test_the_page_sorts_its_cards_in_a_browser(tmp_path):
    require_browser("the class gallery's browser test")
    from playwright.sync_api import sync_playwright

    folder = tmp_path / "class"
    # File order a, b, c; β: 1e-2, 1, 1e-3; paintings: starry_night, hubble, great_wave.
    nst.pin(result(1), folder / "a.png", name="Ana", content="chelsea", style="starry_night")
    nst.pin(result(2, style_weight=1.0), folder / "b.png", name="Bo", content="chelsea", style="hubble")
    nst.pin(result(3, style_weight=1e-3), folder / "c.png", name="Cy", content="chelsea", style="great_wave")
    page_path = nst.class_gallery(folder, echo=lambda line: None)

    errors, outside = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: r.url.startswith("file://") or outside.append(r.url))
            page.goto(page_path.as_uri())

            def order():
                return "".join(page.eval_on_selector_all(
                    "#sheet figure", "cards => cards.map(c => c.getAttribute('data-order'))"))

            def pictures_loaded():
                return page.eval_on_selector_all("#sheet img", "imgs => imgs.map(i => i.naturalWidth > 0)")

            assert order() == "012"
            assert pictures_loaded() == [True, True, True]
            beta = page.locator(".bar button[data-key='style-weight']")
            beta.click()
            assert order() == "201"  # β ascending: 1e-3, 1e-2, 1
            assert beta.get_attribute("aria-pressed") == "true"
            beta.click()
            assert order() == "102"  # a second click reverses
            page.locator(".bar button[data-key='style']").click()
            assert order() == "210"  # paintings A→Z: great_wave (c), hubble (b), starry_night (a)
            page.locator(".bar button[data-key='order']").click()
            assert order() == "012"
        finally:
            browser.close()
    assert not errors, errors
    assert not outside, outside
