"""checks.extractor (notebook 1): the check accepts the TensorFlow tutorial's ``vgg_layers`` and
rejects its usual mistakes; its NumPy first layer is a same-padded cross-correlation."""

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

import nst_helpers as nst  # noqa: E402
from nst_helpers import checks  # noqa: E402


def vgg_layers(layer_names):
    """The solution: the TensorFlow tutorial's multi-output model on the series' frozen VGG19."""
    vgg = nst.vgg19()
    return tf.keras.Model(vgg.input, [vgg.get_layer(name).output for name in layer_names])


def _sorted_layers(layer_names):
    return vgg_layers(sorted(layer_names))


def _without_relu(layer_names):
    vgg = nst.vgg19()

    def linear(conv):  # the layer's convolution and bias, without its ReLU
        return tf.keras.layers.Lambda(lambda t: tf.nn.bias_add(tf.nn.conv2d(t, conv.kernel, 1, "SAME"), conv.bias))

    return tf.keras.Model(vgg.input, [linear(vgg.get_layer(n))(vgg.get_layer(n).input) for n in layer_names])


def _preprocessing_again(layer_names):
    model = vgg_layers(layer_names)
    return lambda x: model(nst.preprocess(x))


def _first_only(layer_names):
    vgg = nst.vgg19()
    return tf.keras.Model(vgg.input, vgg.get_layer(layer_names[0]).output)


def _random_weights(layer_names):
    vgg = tf.keras.applications.VGG19(include_top=False, weights=None)
    return tf.keras.Model(vgg.input, [vgg.get_layer(n).output for n in layer_names])


def _wrong_layer(layer_names):
    return vgg_layers([n.replace("conv1", "conv2") for n in layer_names])


def test_the_numpy_first_layer_is_a_same_padded_cross_correlation():
    """The independent reference itself, on values worked out by hand."""
    x = np.arange(12, dtype=np.float64).reshape(1, 3, 4, 1).repeat(3, axis=-1)
    kernel = np.zeros((3, 3, 3, 2))
    kernel[1, 1, 0, 0] = 1.0     # channel 0: the centre pixel of input channel 0
    kernel[0, 0, 2, 1] = -1.0    # channel 1: minus the up-left neighbour of input channel 2
    out = checks.reference_first_layer(x, kernel, np.array([0.5, 3.0]))
    assert out.shape == (1, 3, 4, 2)
    np.testing.assert_allclose(out[0, ..., 0], x[0, ..., 0] + 0.5)
    up_left = np.zeros((3, 4))
    up_left[1:, 1:] = x[0, :-1, :-1, 2]   # zero padding outside the image
    np.testing.assert_allclose(out[0, ..., 1], np.maximum(3.0 - up_left, 0.0))  # then the ReLU


def test_the_package_first_layer_equals_the_numpy_convolution():
    image = np.random.default_rng(1).uniform(size=(1, 9, 11, 3)).astype(np.float32)
    kernel, bias = nst.resolve_weights(verbose=False).layers["block1_conv1"]
    want = checks.reference_first_layer(nst.preprocess(tf.constant(image)), kernel, bias)
    got = nst.FeatureExtractor(["block1_conv1"])(tf.constant(image))["block1_conv1"].numpy()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-4 * np.abs(want).max())


def test_the_tutorials_vgg_layers_passes(capsys):
    assert checks.check_extractor(vgg_layers) is True
    assert "✓" in capsys.readouterr().out


def test_vgg19_is_frozen_with_the_series_weights():
    vgg = nst.vgg19()
    assert not vgg.trainable and not vgg.trainable_weights
    kernel, bias = nst.resolve_weights(verbose=False).layers["block5_conv4"]
    got_kernel, got_bias = vgg.get_layer("block5_conv4").get_weights()
    np.testing.assert_array_equal(got_kernel, kernel)
    np.testing.assert_array_equal(got_bias, bias)


@pytest.mark.parametrize("broken,message", [
    (_sorted_layers, "another order"),
    (_without_relu, "negative"),
    (_preprocessing_again, "preprocesses its input again"),
    (_first_only, "1 output(s) for 3"),
    (_random_weights, "NumPy convolution"),
    (_wrong_layer, "block1_conv1: these are the features of block1_conv2. Hint: use vgg.get_layer('block1_conv1')"),
], ids=["order", "relu", "preprocessing", "count", "weights", "layer"])
def test_the_usual_mistakes_fail_with_their_hint(broken, message, capsys):
    assert checks.check_extractor(broken) is False
    out = capsys.readouterr().out
    assert message in out and "Hint" in out


def test_a_stub_or_a_crash_is_reported_not_raised(capsys):
    def stub(layer_names):
        raise NotImplementedError

    assert checks.check_extractor(stub) is False
    assert checks.check_extractor(lambda names: 42) is False
    out = capsys.readouterr().out
    assert "not implemented yet" in out and "returned int" in out
