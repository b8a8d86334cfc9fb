"""The explorers driven in code: sliders, Run, Stop, the cache, the compare view, failures.

Every test builds its own explorer, so each passes alone and in any order.
"""

import threading
import time

import numpy as np
import pytest
from conftest import execute

import nst_helpers as nst
from nst_helpers import frontend, plotting, widgets


@pytest.fixture
def explorer(content64, style64):
    ex = widgets.TransferExplorer(content64, style64, warm_up=False)
    ex.set(size=64, steps=4)
    return ex


def _image(ex):
    from io import BytesIO

    from PIL import Image

    return np.asarray(Image.open(BytesIO(ex.preview.value)), np.float32)


def _run(ex, **values):
    ex.set(**values)
    ex.run_button.click()
    result = ex.wait(180)
    assert not ex.running
    return result


def test_run_uses_the_slider_settings_and_changes_the_preview(explorer):
    assert explorer.error is None and explorer.result is None  # both exist from the start
    result = _run(explorer, content_layer="block4_conv2", style_weight=1.0, optimizer="lbfgs")
    s = result.settings
    assert s["content_layers"] == ("block4_conv2",) and s["style_weight"] == 1.0
    assert s["size"] == 64 and s["steps"] == 4 and s["optimizer"] == "lbfgs"
    first = _image(explorer)
    _run(explorer, style_weight=1e-3)
    assert explorer.result.settings["style_weight"] == pytest.approx(1e-3)
    assert np.abs(_image(explorer) - first).mean() > 1.0  # the picture changed
    assert explorer.frames >= 1 and explorer.first_frame_seconds is not None


def test_cached_setting_comes_back_without_recomputation(explorer, monkeypatch):
    computed = _run(explorer, style_weight=1e-3)
    _run(explorer, style_weight=1.0)
    calls = []
    monkeypatch.setattr(explorer, "_compute", lambda *a: calls.append(a))
    explorer.set(style_weight=1e-3)  # shown from the cache on the change itself
    explorer.run_button.click()
    assert calls == [] and not explorer.running
    assert explorer.result is computed
    assert "from cache" in explorer.status.value


def test_stop_ends_a_run_early_and_keeps_the_partial_image(content64, style64):
    ex = widgets.TransferExplorer(content64, style64, preview_every=1, warm_up=False)
    ex.set(size=64, steps=300, optimizer="adam")
    ex.run_button.click()
    deadline = time.time() + 120
    while ex.frames < 3 and time.time() < deadline:
        time.sleep(0.02)
    ex.stop_button.click()
    result = ex.wait(120)
    assert result.interrupted and result.stop_reason == "stopped" and 3 <= result.steps < 300
    assert result.steps - ex.runner.stop_step <= 1  # the step under way when Stop came, no more
    assert result.loss < result.history["total"][0]
    assert ex.runner.cached(ex.settings()) is None  # a partial run is not mistaken for a result
    assert not ex.run_button.disabled and ex.stop_button.disabled


def test_pin_and_compare(explorer):
    _run(explorer, style_weight=1.0)
    explorer.pin_button.click()
    _run(explorer, style_weight=1e-3)
    assert len(explorer.compare.children) == 2
    texts = [box.children[2].value for box in explorer.compare.children]
    assert "β=1e+00" in texts[0] and "β=1e-03" in texts[1]


def test_pin_pairs_a_result_with_its_own_settings(explorer):
    """The worker finishes while the UI has moved on: pin must take the finished run's settings."""
    explorer.set(style_weight=1.0)
    explorer.run_button.click()
    explorer.runner._thread.join(180)  # finished, but nothing on the UI side has looked yet
    explorer.set(style_weight=1e-3, steps=5)  # the user moves the sliders meanwhile
    explorer.pin_button.click()
    settings, result = explorer.pinned.settings, explorer.pinned.result
    assert settings["style_weight"] == 1.0 and settings["steps"] == 4
    assert result.settings["style_weight"] == 1.0


def test_a_failed_run_never_returns_the_previous_result(explorer, monkeypatch):
    good = _run(explorer)
    assert good is not None and explorer.error is None

    def broken(settings, callback):
        raise RuntimeError("the machine caught fire")

    monkeypatch.setattr(explorer, "_compute", broken)
    failed = _run(explorer, style_weight=3.0)
    assert failed is None and explorer.result is None
    assert isinstance(explorer.error, RuntimeError)
    assert "Error" in explorer.status.value and "caught fire" in explorer.status.value
    with pytest.raises(RuntimeError, match="caught fire"):
        explorer.run(style_weight=5.0)


def test_errors_show_in_the_widget_not_as_a_traceback(explorer):
    _run(explorer, style_layers=())
    assert "Error" in explorer.status.value and "style layer" in explorer.status.value
    assert explorer.error is not None and explorer.result is None


def test_content_and_style_explorers(content64, style64):
    ce = widgets.ContentExplorer(content64, warm_up=False)
    r = ce.run(layer="block2_conv2", size=64, steps=3)
    assert r.settings["layer"] == "block2_conv2" and r.image.shape[2] == 64
    se = widgets.StyleExplorer(style64, warm_up=False)
    r = se.run(layers=2, size=64, steps=3)
    assert r.settings["layers"] == ("block1_conv1", "block2_conv1")
    assert "Style reconstruction explorer" in repr(se)


def test_unknown_control_is_a_clear_error(explorer):
    with pytest.raises(nst.ArgumentError, match="no control 'colour'"):
        explorer.set(colour="red")


def test_loss_plot_leaves_the_matplotlib_backend_alone():
    import matplotlib

    before = matplotlib.get_backend()
    png = plotting.loss_png({"total": [3.0, 2.0, 1.0], "style": [2.0, 1.0, 0.5]})
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert matplotlib.get_backend() == before


def test_the_loss_curves_are_drawn_once_for_figures_and_explorers():
    """draw_losses (used by plot_losses and by the explorers' loss_png) plots each positive term as
    given, a term that is 0 as a gap, and leaves out terms with no positive value."""
    from matplotlib.figure import Figure

    history = {"total": [3.0, 2.0, 1.0], "content": [0.0, 0.5, 0.25], "style": [2.0, 1.0, 0.5],
               "tv": [0.0, 0.0, 0.0]}
    ax = Figure().add_subplot()
    plotting.draw_losses(ax, history)
    lines = {line.get_label(): line.get_ydata() for line in ax.lines}
    assert set(lines) == {"total", "content", "style"} and ax.get_yscale() == "log"
    np.testing.assert_array_equal(lines["total"], [3.0, 2.0, 1.0])
    np.testing.assert_array_equal(lines["content"], [np.nan, 0.5, 0.25])
    ax = Figure().add_subplot()
    plotting.draw_losses(ax, history, [0.1, 0.2, 0.4], log=False)
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [0.1, 0.2, 0.4])
    np.testing.assert_array_equal(ax.lines[1].get_ydata(), [0.0, 0.5, 0.25])
    assert ax.get_yscale() == "linear"


def test_a_figure_still_displays_in_a_real_kernel_after_an_explorer_run(kernel):
    """In a real IPython kernel (inline backend), run an explorer in its background thread, then
    draw a plain pyplot figure: the kernel must still send it as an image."""
    execute(kernel, "import matplotlib.pyplot as plt\n"
            "import nst_helpers as nst\nfrom nst_helpers import widgets\n"
            "ex = widgets.TransferExplorer(nst.load_image('chelsea', max_dim=64),\n"
            "    nst.load_image('starry_night', max_dim=64), warm_up=False)\n"
            "ex.set(size=64, steps=3)\nex.start()\nassert ex.wait(240) is not None, ex.error\n")
    outputs = execute(kernel, "plt.plot([1, 3, 2])\nplt.show()")
    images = [m for m in outputs if m["msg_type"] == "display_data" and "image/png" in m["content"]["data"]]
    assert len(images) == 1, [m["msg_type"] for m in outputs]


class _Statuses:
    """Every status line an explorer showed (the page sees each of them)."""

    def __init__(self, ex):
        self.seen = []
        ex.status.observe(lambda change: self.seen.append(change["new"]), names="value")

    def any(self, text):
        return any(text in s for s in self.seen)


def _main_mode_in_a_kernel(monkeypatch, content64, style64):
    """A main-thread explorer that believes it runs in a Jupyter kernel with a front end."""
    monkeypatch.setattr(frontend, "has_frontend", lambda: True)
    ex = widgets.TransferExplorer(content64, style64, warm_up=False, mode="main", preview_every=1)
    ex.set(size=64, steps=6, optimizer="adam")
    return ex


def _assert_finished_and_shown(ex, statuses):
    result = ex.result
    assert result is not None and ex.error is None and result.steps == 6 and not result.interrupted
    assert not ex.running and not ex.run_button.disabled and ex.stop_button.disabled
    assert _image(ex).shape[1] >= 256  # the final picture is on the preview
    assert "final loss" in ex.status.value and ex.runner.cached(ex.settings()) is not None
    assert statuses.any("Stop cannot reach this run")  # said during the run, not a silent hang


def test_main_mode_in_vscode_runs_to_the_end_and_shows_the_result(monkeypatch, content64, style64):
    ex = _main_mode_in_a_kernel(monkeypatch, content64, style64)
    monkeypatch.setenv("VSCODE_PID", "4242")
    opened = []
    monkeypatch.setattr(frontend, "_JupyterUiPoll", lambda: opened.append(1))
    statuses = _Statuses(ex)
    ex.run_button.click()  # returns when the run has ended: it ran in this (the click's) thread
    _assert_finished_and_shown(ex, statuses)
    assert opened == [] and not ex.poller.live and "VS Code" in ex.poller.why_not


class _Backend:
    def __init__(self, hang=False):
        self.hang, self.closed, self.release = hang, 0, threading.Event()

    def poll(self):
        if self.hang:
            self.release.wait(60)
        else:
            raise RuntimeError("do_one_iteration is gone")

    def close(self):
        self.closed += 1


@pytest.mark.parametrize("hang", [False, True], ids=["raises", "never-returns"])
def test_main_mode_with_a_broken_poller_still_finishes(monkeypatch, content64, style64, hang):
    ex = _main_mode_in_a_kernel(monkeypatch, content64, style64)
    backend = _Backend(hang)
    monkeypatch.setattr(frontend, "cannot_poll_reason", lambda: None)
    monkeypatch.setattr(frontend, "_JupyterUiPoll", lambda: backend)
    monkeypatch.setattr(frontend, "POLL_DEADLINE", 0.2)
    statuses = _Statuses(ex)
    try:
        ex.run_button.click()
        _assert_finished_and_shown(ex, statuses)
        assert not ex.poller.live and ex.poller.polls == 0 and backend.closed == 1
        assert ("no answer" if hang else "do_one_iteration is gone") in ex.poller.why_not
    finally:
        backend.release.set()


def test_an_interrupt_that_escapes_a_main_thread_run_leaves_the_buttons_usable(content64, style64,
                                                                                monkeypatch):
    ex = widgets.TransferExplorer(content64, style64, warm_up=False, mode="main")

    def interrupted(settings, callback):
        raise KeyboardInterrupt  # the kernel's ■ outside the optimiser's own handling

    monkeypatch.setattr(ex, "_compute", interrupted)
    with pytest.raises(KeyboardInterrupt):
        ex.start()
    assert not ex.running and not ex.run_button.disabled and ex.stop_button.disabled


def test_two_paintings_get_a_blend_slider_and_colour_and_start_controls(content64, style64):
    other = nst.load_image("coffee", max_dim=64)
    ex = widgets.TransferExplorer(content64, [style64, other], warm_up=False)
    assert {"blend", "preserve_colour", "init"} <= set(ex.controls)
    r = ex.run(size=64, steps=3, blend=0.8, preserve_colour="luminance", init="content")
    s = r.settings
    assert s["styles"] == 2 and s["style_blend"] == pytest.approx([0.8, 0.2])
    assert s["preserve_colour"] == "luminance" and s["init"] == "content"
    assert "blend 0.8/0.2" in ex.status.value and "colours kept" in ex.status.value
    assert "blend" not in widgets.TransferExplorer(content64, style64, warm_up=False).controls


def test_show_images_with_a_title_count_that_does_not_match_says_the_fix():
    with pytest.raises(nst.ArgumentError, match="2 images but 1 titles: give one title per image"):
        plotting.show_images([np.zeros((4, 4, 3))] * 2, titles=["a"])


# ---- notebook 6's own-mask and scale controls ------------------------------------------------

def test_a_per_layer_blend_matches_each_layer_to_its_own_painting(content64, style64):
    """Scale control: with ``style_blend={layer: weights}`` the style term is, in NumPy, the mean over
    layers of mean((G − A_l)²) with A_l the Gram matrix of the painting that layer was given."""
    from nst_helpers import control, losses
    from nst_helpers.machine._tf import tf
    layers = ("block1_conv1", "block2_conv1", "block3_conv1")
    other = content64[:, ::-1, ::-1]  # a second "painting" with different statistics
    blend = {"block1_conv1": (0, 1), "block2_conv1": (0, 1), "block3_conv1": (1, 0)}
    x = tf.clip_by_value(content64 + tf.random.stateless_uniform(content64.shape, (3, 4), -0.2, 0.2), 0, 1)
    obj = losses.Objective(content64, [style64, other], style_layers=layers, style_blend=blend,
                           content_weight=0.0, style_weight=1.0, tv_weight=0.0, precision="float32")

    def gram(f):
        f = np.asarray(f, np.float64)[0].reshape(-1, f.shape[-1])
        return f.T @ f / f.shape[0]

    acts, a, b = (obj.extractor(i) for i in (x, style64, other))
    want = np.mean([np.mean((gram(acts[k]) - gram((a if blend[k][0] else b)[k])) ** 2) for k in layers])
    assert float(obj.terms(x)["style"]) == pytest.approx(want, rel=1e-4)
    # and scale_blend builds that dict: painting 0 deeper than block2_conv1, painting 1 up to it
    assert control.scale_blend(0, "conv2_1", layers) == {k: tuple(map(float, v)) for k, v in blend.items()}


def test_scale_control_mistakes_say_the_fix(content64, style64):
    from nst_helpers import control, losses

    with pytest.raises(nst.ArgumentError, match="block3_conv1 has none"):
        losses.Objective(content64, [style64, style64], style_layers=("block1_conv1", "block3_conv1"),
                         style_blend={"block1_conv1": (1, 0)})
    with pytest.raises(nst.ArgumentError, match="fine_until must be one of"):
        control.scale_blend(0, "block5_conv1")  # would leave the coarse painting no layer
    with pytest.raises(nst.ArgumentError, match="drop the masks"):
        nst.transfer(content64, [style64, style64], style_blend=control.scale_blend(0),
                     masks=[np.ones((22, 32)), np.ones((22, 32))], steps=1, size=32, progress=False)


def test_edge_mask_rows_by_hand():
    from nst_helpers import control

    flat = control.edge_mask((10, 4), 0.5, softness=0)
    assert (flat[:5] == 1).all() and (flat[5:] == 0).all()
    # slant 0.5: the edge sits at (0.5 + 0.5·x)·10 rows with x = −0.375 … 0.375 for the four columns
    # (3.125, 4.375, 5.625, 6.875): the rows whose centre lies above it are 3, 4, 6 and 7
    assert (control.edge_mask((10, 4), 0.5, 0.5, softness=0) > 0.5).sum(0).tolist() == [3, 4, 6, 7]
    soft = control.edge_mask((100, 3), 0.3, softness=0.1)
    assert soft[30, 0] == pytest.approx(1 / (1 + np.exp(0.05)), abs=1e-6)  # half a row below the edge


def test_mask_explorer_draws_the_mask_and_refuses_a_sliver(content64, style64):
    ex = widgets.MaskExplorer(content64, [style64, content64[:, ::-1]], names=["A", "B"], height=0.5,
                              warm_up=False)
    first, legend = ex.mask_preview.value, ex.mask_legend.value
    assert "A: 50% of the photo" in legend
    ex.set(height=0.25, slant=0.2)
    assert ex.mask_preview.value != first and "A: 25% of the photo" in ex.mask_legend.value
    from nst_helpers import control

    np.testing.assert_array_equal(ex.mask(), control.edge_mask(content64, 0.25, 0.2, 0.04))
    ex.set(above=1)  # B above the edge now: A gets the rest
    np.testing.assert_allclose(ex.mask(), 1 - control.edge_mask(content64, 0.25, 0.2, 0.04))
    result = _run(ex, size=64, steps=2)
    assert result.settings["masks"] and result.settings["styles"] == 2
    ex.set(height=0.02, slant=0.0, softness=0.0, above=0)  # a hard edge under the first row
    assert _run(ex) is None
    share = float(ex.mask().mean())
    assert 0 < share < 0.05 and f"A gets {share:.1%} of the photo" in str(ex.error)
    assert "move the edge height" in str(ex.error)
    assert "move the edge height" in ex.status.value


def test_scale_explorer_runs_the_blend_its_controls_show(content64, style64):
    from nst_helpers import control

    ex = widgets.ScaleExplorer(content64, [style64, content64[:, ::-1]], names=["A", "B"], warm_up=False)
    table = ex.layer_table.value
    ex.set(coarse=1, fine_until="block3_conv1", layer_weights="equal")
    assert ex.layer_table.value != table and ex.layer_table.value.count("<b>A</b>") == 3
    result = _run(ex, size=64, steps=2)
    assert result.settings["style_blend"] == control.scale_blend(1, "block3_conv1")
    assert result.settings["style_layer_weights"] == {}
    ex.set(layer_weights="balanced")
    assert _run(ex).settings["style_layer_weights"] == "balanced"


def test_the_start_buttons_say_what_the_start_is_in_korean(content64, style64):
    """B-2 of issue 31's second review: the Korean start buttons read "색 맞춤 / 콘텐츠" (the colour
    dropdown's opposite recolouring, the figure word); English keeps the code values its text names."""
    from nst_helpers import language

    ex = widgets.TransferExplorer(content64, style64, warm_up=False)
    assert [label for label, _ in ex.controls["init"].options] == ["colour", "content", "noise"]
    with language.speaking("ko"):
        ex = widgets.TransferExplorer(content64, style64, warm_up=False)
        colours = [label for label, _ in ex.controls["preserve_colour"].options]
    assert [label for label, _ in ex.controls["init"].options] == ["명화 색의 사진", "사진", "잡음"]
    assert colours == ["명화의 색 (보정 없음)", "휘도만", "색 먼저 맞추기"]  # B-1: the names of notebook 6
