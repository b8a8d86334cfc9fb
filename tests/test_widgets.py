"""The explorers driven in code: sliders, Run, Stop, the cache, the compare view."""

import time

import numpy as np
import pytest

from nst_helpers import widgets


@pytest.fixture(scope="module")
def explorer(content64, style64):
    ex = widgets.TransferExplorer(content64, style64)
    ex.set(size=64, steps=6)
    return ex


def _image(ex):
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(ex.preview.value)), np.float32)


def test_run_uses_the_slider_settings_and_changes_the_preview(explorer):
    explorer.set(content_layer="block4_conv2", style_weight=1.0, optimizer="lbfgs")
    explorer.run_button.click()
    result = explorer.wait(120)
    assert not explorer.running and result is not None
    s = result.settings
    assert s["content_layers"] == ("block4_conv2",) and s["style_weight"] == 1.0
    assert s["size"] == 64 and s["steps"] == 6 and s["optimizer"] == "lbfgs"
    first = _image(explorer)
    explorer.set(style_weight=1e-3)
    explorer.run_button.click()
    explorer.wait(120)
    assert explorer.result.settings["style_weight"] == pytest.approx(1e-3)
    assert np.abs(_image(explorer) - first).mean() > 1.0  # the picture changed
    assert explorer.frames >= 1 and explorer.first_frame_seconds is not None


def test_cached_setting_comes_back_without_recomputation(explorer, monkeypatch):
    explorer.set(style_weight=1.0)  # computed in the test above
    before = explorer.result
    calls = []
    monkeypatch.setattr(explorer, "_compute", lambda *a: calls.append(a))
    t0 = time.perf_counter()
    explorer.set(style_weight=1e-3)
    explorer.run_button.click()
    elapsed = time.perf_counter() - t0
    assert calls == [] and not explorer.running
    assert explorer.result is not before and explorer.result.settings["style_weight"] == pytest.approx(1e-3)
    assert "from cache" in explorer.status.value
    assert elapsed < 0.1


def test_stop_ends_a_run_early_and_keeps_the_partial_image(content64, style64):
    ex = widgets.TransferExplorer(content64, style64, preview_every=1)
    ex.set(size=64, steps=300, optimizer="adam")
    ex.run_button.click()
    deadline = time.time() + 60
    while ex.frames < 3 and time.time() < deadline:
        time.sleep(0.02)
    ex.stop_button.click()
    result = ex.wait(60)
    assert result.interrupted and 3 <= result.steps < 300
    assert result.loss < result.history["total"][0]
    assert ex._key(ex.settings()) not in ex.cache  # a partial run is not mistaken for a result
    assert not ex.run_button.disabled and ex.stop_button.disabled


def test_pin_and_compare(explorer):
    explorer.set(style_weight=1.0)
    explorer.pin_button.click()
    explorer.set(style_weight=1e-3)
    assert len(explorer.compare.children) == 2
    texts = [box.children[2].value for box in explorer.compare.children]
    assert "β=1e+00" in texts[0] and "β=1e-03" in texts[1]


def test_errors_show_in_the_widget_not_as_a_traceback(explorer):
    explorer.set(style_layers=())
    explorer.run_button.click()
    explorer.wait(30)
    assert "Error" in explorer.status.value and "style layer" in explorer.status.value
    explorer.set(style_layers=("block1_conv1",))


def test_content_and_style_explorers(content64, style64):
    ce = widgets.ContentExplorer(content64)
    r = ce.run(layer="block2_conv2", size=64, steps=3)
    assert r.settings["layer"] == "block2_conv2" and r.image.shape[2] == 64
    se = widgets.StyleExplorer(style64)
    r = se.run(layers=2, size=64, steps=3)
    assert r.settings["layers"] == ("block1_conv1", "block2_conv1")
    assert "Style reconstruction explorer" in repr(se)


def test_unknown_control_is_a_clear_error(explorer):
    with pytest.raises(KeyError, match="no control 'colour'"):
        explorer.set(colour="red")
