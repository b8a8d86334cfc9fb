"""Notebook 1's ``my_vgg_layers`` exercise, checked against the package's extractor and a NumPy
convolution of the first layer."""

import numpy as np

from ...language import t
from .verdicts import TOLERANCE, _call, _close

#: (or returns Keras' layer order) is caught, and block1_conv1 first for the NumPy comparison.
EXTRACTOR_LAYERS = ("block1_conv1", "block3_conv1", "block2_conv2")


def reference_first_layer(x, kernel, bias):
    """NumPy ``block1_conv1``: a 3 × 3 'same' convolution (zero padding, cross-correlation as in
    Keras) of ``x [1, H, W, 3]`` (VGG-preprocessed) with ``kernel [3, 3, 3, 64]``, plus ``bias``,
    then the ReLU. Returns ``[1, H, W, 64]`` float64."""
    x = np.asarray(x, np.float64)[0]
    h, w, _ = x.shape
    padded = np.pad(x, ((1, 1), (1, 1), (0, 0)))
    out = np.zeros((h, w, kernel.shape[-1]))
    for i in range(3):
        for j in range(3):
            out += padded[i:i + h, j:j + w] @ np.asarray(kernel[i, j], np.float64)
    return np.maximum(out + bias, 0.0)[None]


def check_extractor(fn):
    """Check ``fn(layer_names) -> tf.keras.Model`` from VGG-preprocessed images ``[1, H, W, 3]``
    to one output per name, in the order of the names (the TensorFlow tutorial's ``vgg_layers``).

    Its outputs on a fixed random image are compared with the package's ``FeatureExtractor``
    and, for ``block1_conv1``, with a NumPy convolution of the series' own weights
    (:func:`reference_first_layer`), so a bug the package shared would not pass either.
    """
    from ...machine._tf import tf
    from ...method.features import FeatureExtractor, preprocess
    from ...method.weights import resolve_weights

    names = list(EXTRACTOR_LAYERS)
    image = np.random.default_rng(9).uniform(size=(1, 20, 28, 3)).astype(np.float32)
    x = preprocess(tf.constant(image))
    ok, model = _call("my_vgg_layers", fn, names)
    if not ok:
        return False
    if not callable(model):
        print(t("✗ my_vgg_layers returned {kind}: return tf.keras.Model(vgg.input, outputs)",
                kind=type(model).__name__))
        return False
    ok, got = _call(t("your model"), model, x)
    if not ok:
        return False
    got = list(got) if isinstance(got, (list, tuple)) else [got]
    if len(got) != len(names):
        print(t("✗ the model has {outputs} output(s) for {names} layer names. Hint: one output per "
                "name: [vgg.get_layer(name).output for name in layer_names]", outputs=len(got), names=len(names)))
        return False
    got = [np.asarray(g, np.float64) for g in got]
    want = [np.asarray(v, np.float64) for v in FeatureExtractor(names)(tf.constant(image)).values()]
    shapes = [g.shape for g in got]
    if sorted(map(str, shapes)) == sorted(str(w.shape) for w in want) and shapes != [w.shape for w in want]:
        print(t("✗ the outputs come in another order than the names (shapes {shapes}, expected {want}). "
                "Hint: build the list in the order of layer_names", shapes=shapes, want=[w.shape for w in want]))
        return False
    for name, g, w in zip(names, got, want):
        if g.shape != w.shape:
            print(t("✗ {name}: shape {got}, expected {want}. Hint: {hint}", name=name, got=g.shape, want=w.shape,
                    hint=t("use vgg.get_layer({layer}).output", layer=repr(name))))
            return False
    if any(g.min() < 0 for g in got):
        print(t("✗ some features are negative: VGG's features are taken after the ReLU. Hint: take "
                "vgg.get_layer(name).output (Keras' Conv2D applies its ReLU inside the layer)"))
        return False
    kernel, bias = resolve_weights(verbose=False).layers["block1_conv1"]
    numpy_first = reference_first_layer(x, kernel, bias)
    twice = reference_first_layer(preprocess(x), kernel, bias)
    if np.max(np.abs(got[0] - twice)) <= TOLERANCE * np.max(np.abs(twice)):
        print(t("✗ your model preprocesses its input again: it receives nst.preprocess(image) already, "
                "as Keras' VGG19 expects. Hint: tf.keras.Model(vgg.input, outputs), nothing in between"))
        return False
    others = None  # a model built on the right network with a wrong layer: name the layer it took
    for name, g, w in zip(names, got, want):
        if np.max(np.abs(g - w)) <= TOLERANCE * max(1e-6, float(np.max(np.abs(w)))):
            continue
        if others is None:
            from ...method.layers import CONV_LAYERS

            others = FeatureExtractor(list(CONV_LAYERS))(tf.constant(image))
        for other, v in others.items():
            v = np.asarray(v, np.float64)
            if other != name and v.shape == g.shape and np.max(np.abs(g - v)) <= TOLERANCE * max(
                    1e-6, float(np.max(np.abs(v)))):
                print(t("✗ {name}: these are the features of {other}. Hint: {hint}", name=name, other=other,
                        hint=t("use vgg.get_layer({layer}).output", layer=repr(name))))
                return False
    if not _close(t("block1_conv1 against a NumPy convolution"), got[0], numpy_first,
                  t("build on nst.vgg19(), the frozen VGG19 with the series' weights "
                    "(tf.keras.applications.VGG19(weights=None) has random ones)")):
        return False
    for name, g, w in zip(names[1:], got[1:], want[1:]):
        if not _close(name, g, w, t("vgg.get_layer({layer}).output of nst.vgg19()", layer=repr(name))):
            return False
    print(t("✓ my_vgg_layers is correct: {count} outputs, in order, equal to the package's and "
            "(block1_conv1) to a NumPy convolution", count=len(names)))
    return True
