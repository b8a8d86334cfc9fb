"""Losses and preprocessing against NumPy written here, gradients against finite differences."""

import numpy as np
import pytest
import tensorflow as tf

import nst_helpers as nst
from nst_helpers import losses


def np_gram(x):
    _, h, w, c = x.shape
    f = x.reshape(h * w, c).astype(np.float64)
    return (f.T @ f)[None] / (h * w)


def test_gram_matrix_matches_numpy(rng):
    x = rng.normal(size=(1, 6, 9, 5)).astype(np.float32)
    got = nst.gram_matrix(tf.constant(x)).numpy()
    assert got.shape == (1, 5, 5)
    np.testing.assert_allclose(got, np_gram(x), rtol=1e-5, atol=1e-6)


def test_gram_matrix_is_symmetric_and_divided_by_locations():
    # All-ones activations: every entry is H·W / (H·W) = 1.
    got = nst.gram_matrix(tf.ones((1, 4, 8, 3))).numpy()
    np.testing.assert_allclose(got, np.ones((1, 3, 3)))


def test_content_loss_is_mean_over_layers_of_mse(rng):
    a = {k: rng.normal(size=(1, 4, 4, 3)).astype(np.float32) for k in ("x", "y")}
    b = {k: rng.normal(size=(1, 4, 4, 3)).astype(np.float32) for k in ("x", "y")}
    want = np.mean([np.mean((a[k].astype(np.float64) - b[k]) ** 2) for k in a])
    got = nst.content_loss({k: tf.constant(v) for k, v in a.items()}, {k: tf.constant(v) for k, v in b.items()})
    assert float(got) == pytest.approx(want, rel=1e-5)


def test_style_loss_with_layer_weights(rng):
    acts = {k: rng.normal(size=(1, 5, 3, 4)).astype(np.float32) for k in ("p", "q")}
    targets = {k: np_gram(rng.normal(size=(1, 2, 2, 4))) for k in ("p", "q")}
    w = {"p": 2.0, "q": 0.5}
    want = np.mean([w[k] * np.mean((np_gram(acts[k]) - targets[k]) ** 2) for k in acts])
    got = nst.style_loss({k: tf.constant(v) for k, v in acts.items()},
                         {k: tf.constant(v, tf.float32) for k, v in targets.items()}, w)
    assert float(got) == pytest.approx(want, rel=1e-5)


def test_total_variation_is_sum_of_absolute_differences(rng):
    x = rng.uniform(size=(1, 7, 5, 3)).astype(np.float32)
    want = np.abs(np.diff(x.astype(np.float64), axis=1)).sum() + np.abs(np.diff(x.astype(np.float64), axis=2)).sum()
    assert float(nst.total_variation_loss(tf.constant(x))) == pytest.approx(want, rel=1e-5)


def test_preprocess_matches_numpy_and_keras(rng):
    import keras

    x = rng.uniform(size=(1, 3, 4, 3)).astype(np.float32)
    want = x[..., ::-1] * 255.0 - np.array([103.939, 116.779, 123.68])
    got = nst.preprocess(tf.constant(x)).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-3)
    np.testing.assert_allclose(got, keras.applications.vgg19.preprocess_input(x * 255.0), atol=1e-3)
    np.testing.assert_allclose(nst.deprocess(tf.constant(got)).numpy(), x, atol=1e-5)


@pytest.mark.parametrize("loss", ["gram", "content", "style", "tv"])
def test_loss_gradients_match_finite_differences(loss, rng):
    # float64 and central differences: the analytic gradient must agree to ~1e-6.
    x0 = rng.normal(size=(1, 3, 4, 3))
    t = tf.constant(rng.normal(size=(1, 3, 4, 3)))
    m = tf.constant(rng.normal(size=(1, 3, 3)))
    fn = {
        "gram": lambda x: tf.reduce_sum(nst.gram_matrix(x) * m),
        "content": lambda x: nst.content_loss({"a": x}, {"a": t}),
        "style": lambda x: nst.style_loss({"a": x}, {"a": nst.gram_matrix(t)}),
        "tv": lambda x: nst.total_variation_loss(x),
    }[loss]
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        value = fn(x)
    grad = tape.gradient(value, x).numpy()
    eps = 1e-6
    numeric = np.zeros_like(x0)
    for idx in np.ndindex(x0.shape):
        d = np.zeros_like(x0)
        d[idx] = eps
        numeric[idx] = (float(fn(tf.constant(x0 + d))) - float(fn(tf.constant(x0 - d)))) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-7)


def test_objective_gradient_matches_directional_difference(content64, style64):
    """The full VGG19 objective: analytic directional derivative against a central difference."""
    content = tf.image.resize(content64, (32, 32))
    style = tf.image.resize(style64, (32, 32))
    obj = losses.Objective(content, style, content_layers=["block2_conv2"],
                           style_layers=["block1_conv1", "block2_conv1"], tv_weight=1.0)
    x = tf.clip_by_value(content + tf.random.stateless_uniform(content.shape, (1, 2), -0.1, 0.1), 0, 1)
    _, _, grad = obj.value_and_grad(x)
    direction = tf.random.stateless_normal(x.shape, (3, 4))
    eps = 1e-3
    plus = float(obj.terms(x + eps * direction)["total"])
    minus = float(obj.terms(x - eps * direction)["total"])
    numeric = (plus - minus) / (2 * eps)
    analytic = float(tf.reduce_sum(grad * direction))
    assert numeric == pytest.approx(analytic, rel=2e-2)


def test_objective_terms_are_weighted_tutorial_losses(content64, style64):
    obj = losses.Objective(content64, style64, content_weight=2.0, style_weight=3.0, tv_weight=5.0)
    acts = obj.extractor(content64)
    raw_style = nst.style_loss({k: acts[k] for k in nst.STYLE_LAYERS},
                               {k: nst.gram_matrix(obj.extractor(style64)[k]) for k in nst.STYLE_LAYERS})
    terms = obj.terms(content64)
    assert float(terms["content"]) == pytest.approx(0.0, abs=1e-6)  # the content image itself
    assert float(terms["style"]) == pytest.approx(3.0 * float(raw_style), rel=1e-4)
    assert float(terms["tv"]) == pytest.approx(5.0 * float(nst.total_variation_loss(content64)), rel=1e-5)
