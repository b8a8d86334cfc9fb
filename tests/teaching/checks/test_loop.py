"""checks.check_loop: the student's whole Adam loop against an independent reference loop, and the
common mistakes it names; experiments.adam_run's film strip."""

import numpy as np
import pytest
from loop_support import make_loop

from nst_helpers import checks, experiments
from nst_helpers.machine._tf import tf


def test_reference_loss_matches_numpy_on_known_activations():
    rng = np.random.default_rng(0)
    acts = {"c": rng.normal(size=(1, 2, 3, 4)), "s": rng.normal(size=(1, 3, 2, 5))}
    image = rng.uniform(size=(1, 3, 4, 3))
    content_t = {"c": rng.normal(size=(1, 2, 3, 4))}
    style_t = {"s": rng.normal(size=(1, 5, 5))}
    # by hand: mean squared differences, Gram / (h·w), sum of |neighbour differences|
    f = acts["s"].reshape(6, 5)
    want = (1e4 * np.mean((acts["c"] - content_t["c"]) ** 2)
            + 1e-2 * np.mean((f.T @ f / 6 - style_t["s"][0]) ** 2)
            + 30 * (np.abs(image[:, 1:] - image[:, :-1]).sum() + np.abs(image[:, :, 1:] - image[:, :, :-1]).sum()))
    cast = {k: tf.constant(v, tf.float32) for k, v in acts.items()}
    got = checks.reference_loss(cast, tf.constant(image, tf.float32),
                                {"c": tf.constant(content_t["c"], tf.float32)},
                                {"s": tf.constant(style_t["s"], tf.float32)})
    assert float(got) == pytest.approx(want, rel=1e-5)


def test_the_solution_passes(capsys):
    assert checks.check_loop(make_loop())
    assert "✓ loop is correct" in capsys.readouterr().out


def test_the_reference_is_keras_adam_on_a_quadratic():
    """The reference's written-out Adam is Keras' Adam (tutorial settings) on a loss with a known
    gradient, independent of VGG: x ← Adam(x, 2(x − target)), clipped."""
    rng = np.random.default_rng(1)
    x0 = rng.uniform(size=(1, 2, 3, 3)).astype(np.float32)
    target = rng.uniform(-1, 2, size=x0.shape).astype(np.float32)
    var = tf.Variable(x0)
    opt = tf.keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)
    x, m, v = x0.astype(np.float64), 0.0, 0.0
    for t in range(1, 6):
        opt.apply_gradients([(2 * (var - target), var)])
        var.assign(tf.clip_by_value(var, 0.0, 1.0))
        g = 2 * (x - target)
        m, v = 0.99 * m + 0.01 * g, 0.999 * v + 0.001 * g * g
        x = np.clip(x - 0.02 * np.sqrt(1 - 0.999 ** t) / (1 - 0.99 ** t) * m / (np.sqrt(v) + 0.1), 0, 1)
    np.testing.assert_allclose(var.numpy(), x, atol=1e-6)


@pytest.mark.parametrize("broken, hint", [
    (dict(clip=False), "clip_by_value"),
    (dict(fresh=True), "create it once"),
    (dict(adam=dict(learning_rate=0.001, beta_1=0.99, epsilon=1e-1)), "learning_rate=0.02"),
    (dict(adam=dict()), "learning_rate=0.02"),  # Keras' defaults: lr 0.001, β₁ 0.9, ε 1e-7
    (dict(start="style"), "start from the photo"),
    (dict(uphill=True), "uphill"),
    (dict(wrong_variable=True), "tape.gradient(loss, image)"),
])
def test_common_mistakes_fail_with_their_hint(broken, hint, capsys):
    assert not checks.check_loop(make_loop(**broken))
    out = capsys.readouterr().out
    assert "✗ loop" in out and hint in out, out


def test_epsilon_alone_does_not_change_the_picture():
    """Why check_loop cannot name a wrong ε alone: at these loss scales |gradient| ≫ 0.1."""
    content, style = checks.loop._loop_pictures()
    tutorial, _ = checks.reference_loop(content, style, 5)
    keras_eps, _ = checks.reference_loop(content, style, 5, epsilon=1e-7)
    assert np.max(np.abs(tutorial - keras_eps)) < 2e-3


def test_a_wrong_loss_history_fails(capsys):
    loop = make_loop()

    def shifted(content, style, steps):
        image, losses = loop(content, style, steps)
        return image, losses[1:] + [losses[-1]]  # the loss after each step, not before it

    assert not checks.check_loop(shifted)
    assert "loss history" in capsys.readouterr().out


def test_not_implemented_and_bad_returns(capsys):
    def stub(content, style, steps):
        raise NotImplementedError

    assert not checks.check_loop(stub)
    assert not checks.check_loop(lambda c, s, n: np.zeros((1, 3, 3, 3)))
    out = capsys.readouterr().out
    assert "not implemented yet" in out and "shape" in out


def test_the_students_loop_is_the_packages_adam():
    """The solution's picture equals nst.transfer's Adam from the photo (float32, pixels) up to
    float rounding: the package's Adam is the tutorial's (tolerance ≫ rounding, ≪ one step's 0.02)."""
    rng = np.random.default_rng(3)
    content = rng.uniform(size=(1, 32, 40, 3)).astype(np.float32)
    style = rng.uniform(size=(1, 32, 40, 3)).astype(np.float32)
    frames, result = experiments.adam_run(content, style, steps=8, precision="float32", progress=False)
    mine, losses = make_loop()(tf.constant(content), tf.constant(style), 8)
    assert [s for s, _ in frames] == [0, 1, 2, 4, 6, 8]  # real step numbers, the photo first
    np.testing.assert_array_equal(np.asarray(frames[0][1]), content)
    assert np.max(np.abs(np.asarray(frames[-1][1]) - mine.numpy())) < 1e-4
    np.testing.assert_allclose(result.history["total"][:8], losses, rtol=1e-4)


def test_the_race_gives_lbfgs_the_adam_runs_budget():
    """experiments.adam_vs_lbfgs: L-BFGS from the same photo, on the pixels, with as many steps as
    Adam took (so about as many loss evaluations: Adam makes steps + 1)."""
    rng = np.random.default_rng(4)
    content = rng.uniform(size=(1, 32, 40, 3)).astype(np.float32)
    style = rng.uniform(size=(1, 32, 40, 3)).astype(np.float32)
    _, adam = experiments.adam_run(content, style, steps=4, precision="float32", progress=False)
    (label_a, a), (label_l, lbfgs) = experiments.adam_vs_lbfgs(content, style, adam, precision="float32",
                                                                progress=False)
    assert (label_a, label_l) == ("Adam", "L-BFGS") and a is adam
    assert adam.evaluations == 5 and lbfgs.steps == 4 and lbfgs.evaluations >= 5
    assert lbfgs.settings["basis"] == "pixels" and lbfgs.settings["init"] == "content"
    # both start at the photo's loss
    assert lbfgs.history["total"][0] == pytest.approx(adam.history["total"][0], rel=1e-5)


def test_the_speckle_test_runs_without_tv_on_one_deep_or_two_shallow_layers_at_two_strengths():
    rng = np.random.default_rng(5)
    content = rng.uniform(size=(1, 32, 40, 3)).astype(np.float32)
    pairs = experiments.speckle_test(content, content[:, ::-1], steps=1, init="content", basis="pixels",
                                     precision="float32", progress=False)
    (deep_label, deep), (weak_label, weak), (strong_label, strong) = pairs
    assert (deep_label, weak_label) == ("only conv4_1", "only conv1_1 + conv2_1")
    assert [tuple(r.settings["style_layers"]) for _, r in pairs] == [("block4_conv1",)] + [
        ("block1_conv1", "block2_conv1")] * 2
    assert all(r.settings["tv_weight"] == 0.0 and r.history["tv"][0] == 0.0 for _, r in pairs)
    # the strong shallow run starts with conv4_1's style loss: β scaled by the ratio of the two
    # weak starting losses, and the label says that factor
    scale = deep.history["style"][0] / weak.history["style"][0]
    assert strong.settings["style_weight"] == pytest.approx(weak.settings["style_weight"] * scale, rel=1e-4)
    assert strong.history["style"][0] == pytest.approx(deep.history["style"][0], rel=1e-4)
    assert strong_label == f"only conv1_1 + conv2_1, β × {scale:.3g}"
