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


def test_gram_matrix_is_symmetric_and_divided_by_locations(rng):
    # Channels with different scales and a non-zero mean, so that a transposed, unscaled or
    # per-channel-normalised Gram matrix would all differ from this one.
    x = (rng.normal(size=(1, 4, 8, 3)) * [1.0, 3.0, 0.2] + [0.5, -1.0, 2.0]).astype(np.float32)
    got = nst.gram_matrix(tf.constant(x)).numpy()
    np.testing.assert_allclose(got, np.transpose(got, (0, 2, 1)), rtol=1e-6)
    f = x.reshape(32, 3).astype(np.float64)
    np.testing.assert_allclose(got[0, 1, 2], (f[:, 1] * f[:, 2]).sum() / 32, rtol=1e-5)
    np.testing.assert_allclose(got[0, 0, 0], (f[:, 0] ** 2).mean(), rtol=1e-5)


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


def _tutorial_port(content, style, image, vgg_weights, alpha, beta, gamma):
    """The TensorFlow tutorial's loss, written out independently: keras.applications' own VGG19
    and preprocess_input, its Gram matrix, its weighting. Returns (content, style, tv) terms."""
    import keras

    from nst_helpers.method.defaults import CONTENT_LAYERS, STYLE_LAYERS
    from nst_helpers.method.weights import CONV_LAYERS

    vgg = keras.applications.VGG19(include_top=False, weights=None)
    for name in CONV_LAYERS:
        vgg.get_layer(name).set_weights(list(vgg_weights.layers[name]))
    model = keras.Model(vgg.input, [vgg.get_layer(n).output for n in STYLE_LAYERS + CONTENT_LAYERS])

    def gram(t):
        return tf.linalg.einsum("bijc,bijd->bcd", t, t) / tf.cast(t.shape[1] * t.shape[2], tf.float32)

    def outputs(x):
        out = model(keras.applications.vgg19.preprocess_input(x * 255.0))
        return [gram(o) for o in out[:5]], out[5:]

    s_t, _ = outputs(style)
    _, c_t = outputs(content)
    s_o, c_o = outputs(image)
    style_term = beta * sum(float(tf.reduce_mean((a - b) ** 2)) for a, b in zip(s_o, s_t)) / 5
    content_term = alpha * float(tf.reduce_mean((c_o[0] - c_t[0]) ** 2))
    tv_term = gamma * float(tf.reduce_sum(tf.image.total_variation(image)))
    return content_term, style_term, tv_term


def test_objective_terms_equal_an_independent_port_of_the_tutorial(content64, style64):
    x = tf.clip_by_value(content64 + tf.random.stateless_uniform(content64.shape, (5, 6), -0.2, 0.2), 0, 1)
    obj = losses.Objective(content64, style64, content_weight=2.0, style_weight=3.0, tv_weight=5.0)
    terms = obj.terms(x)
    want = _tutorial_port(content64, style64, x, obj.extractor.weights, 2.0, 3.0, 5.0)
    assert float(terms["content"]) == pytest.approx(want[0], rel=1e-4)
    assert float(terms["style"]) == pytest.approx(want[1], rel=1e-4)
    assert float(terms["tv"]) == pytest.approx(want[2], rel=1e-5)
    assert float(terms["total"]) == pytest.approx(sum(want), rel=1e-4)


def _np_region_gram(f, m):
    """NumPy: Σᵢ mᵢ² fᵢ fᵢᵀ / Σᵢ mᵢ² for activations f [1, h, w, C] and a mask m [1, h, w, 1]."""
    _, h, w, c = f.shape
    fm = (np.asarray(f, np.float64) * np.asarray(m, np.float64)).reshape(h * w, c)
    return (fm.T @ fm)[None] / (np.asarray(m, np.float64) ** 2).sum()


def _absolute(f, a):  # a student's style loss: mean absolute Gram difference (one layer)
    return tf.reduce_mean(tf.abs(nst.gram_matrix(f) - a))


LAYERS = ("block1_conv1", "block2_conv1")


def _masked_setup(content64, style64):
    content = tf.image.resize(content64, (32, 48))
    styles = [tf.image.resize(style64, (32, 40)), content[:, ::-1]]
    top = np.zeros((32, 48), np.float32)
    top[:20] = 1.0
    return content, styles, [top, 1.0 - top]


def _np_masked_style_terms(obj, image, styles, masks, blend, loss):
    """Per style layer: Σₛ bₛ · loss(region Gram of style s, style s's Gram), in NumPy."""
    acts = {k: v.numpy() for k, v in obj.extractor(image).items()}
    targets = [{k: np_gram(v.numpy()) for k, v in obj.extractor(s).items()} for s in styles]
    out = []
    for k in LAYERS:
        h, w = acts[k].shape[1:3]
        m = [tf.image.resize(tf.constant(mask)[None, :, :, None], (h, w), method="area").numpy() for mask in masks]
        out.append(sum(b * loss(_np_region_gram(acts[k], m[s]), targets[s][k]) for s, b in enumerate(blend)))
    return out


def test_a_students_style_loss_reaches_the_masked_objective_and_the_shares(content64, style64):
    content, styles, masks = _masked_setup(content64, style64)
    x = tf.clip_by_value(content + tf.random.stateless_uniform(content.shape, (7, 8), -0.2, 0.2), 0, 1)
    kw = dict(style_layers=LAYERS, content_weight=0.0, style_weight=1.0, tv_weight=0.0,
              style_masks=masks, style_blend=[3, 1], precision="float32")
    mine = losses.Objective(content, styles, losses={"style_loss": _absolute}, **kw)
    package = losses.Objective(content, styles, **kw)
    for obj, loss in ((mine, lambda g, a: np.abs(g - a).mean()), (package, lambda g, a: ((g - a) ** 2).mean())):
        want = _np_masked_style_terms(obj, x, styles, masks, (0.75, 0.25), loss)
        assert float(obj.terms(x)["style"]) == pytest.approx(np.mean(want), rel=1e-4)
        shares = obj.style_layer_shares(x)
        assert [shares[k][0] for k in LAYERS] == pytest.approx([t / sum(want) for t in want], rel=1e-4)
    # The two losses differ by orders of magnitude here, so a path that ignored mine would fail above.
    assert float(mine.terms(x)["style"]) < 1e-2 * float(package.terms(x)["style"])


def test_a_students_style_loss_reaches_the_shares_of_an_unmasked_objective(content64, style64):
    x = tf.clip_by_value(content64 + 0.1, 0, 1)
    obj = losses.Objective(None, style64, style_layers=LAYERS, losses={"style_loss": _absolute})
    acts = {k: v.numpy() for k, v in obj.extractor(x).items()}
    targets = {k: np_gram(v.numpy()) for k, v in obj.extractor(style64).items()}
    want = [np.abs(np_gram(acts[k]) - targets[k]).mean() for k in LAYERS]
    shares = obj.style_layer_shares(x)
    assert [shares[k][0] for k in LAYERS] == pytest.approx([t / sum(want) for t in want], rel=1e-4)
    # With the package's loss the shares are another pair of numbers.
    package = losses.Objective(None, style64, style_layers=LAYERS).style_layer_shares(x)
    assert abs(package[LAYERS[0]][0] - shares[LAYERS[0]][0]) > 0.05


def test_a_style_layer_weight_for_a_layer_outside_the_style_layers_is_refused():
    """A typo'd key (block2_conv2 for block2_conv1) used to be silently ignored (review 1.3)."""
    style = tf.random.uniform((1, 16, 16, 3), seed=1)
    with pytest.raises(nst.ArgumentError, match="block2_conv2.*not among the style layers"):
        losses.Objective(None, style, style_layer_weights={"block2_conv2": 2.0})
