"""VGG19 as the ImageNet classifier it was trained to be (notebook 1): top-5 predictions.

Style transfer never needs this: it uses the convolution layers only. The classifier head
(``fc1``, ``fc2``, ``predictions``) is in the full Keras weights file alone, so offline
:func:`classify` raises :class:`~nst_helpers.errors.ClassifierWeightsUnavailable`, which says how
to get it.
"""

import numpy as np

from ..machine import config
from ..machine.download import fetch
from ..method import weights as _weights
from ..method.features import preprocess, vgg19

__all__ = ["center_crop", "classify"]

IMAGENET_CLASSES_URL = "https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json"


def center_crop(image, size=224):
    """The largest centred square of ``[1, H, W, 3]`` float32 in [0, 1], resized to
    ``[1, size, size, 3]`` in [0, 1] (VGG's classifier takes 224 × 224)."""
    from ..machine._tf import tf

    _, h, w, _ = image.shape
    side = min(h, w)
    top, left = (h - side) // 2, (w - side) // 2
    square = image[:, top:top + side, left:left + side, :]
    return tf.clip_by_value(tf.image.resize(square, (size, size), method="bicubic", antialias=True), 0.0, 1.0)


def _class_names():
    """ImageNet's 1000 class names from Keras' index file (cached; fetched once if allowed)."""
    import json

    path = _weights.keras_cache_dir() / "imagenet_class_index.json"
    if not path.is_file() and not config.offline():
        try:
            fetch(IMAGENET_CLASSES_URL, path, progress=False)
        except Exception:  # noqa: BLE001 - names are a nicety; indices still answer
            return None
    if not path.is_file():
        return None
    index = json.loads(path.read_text())
    return [index[str(i)][1] for i in range(1000)]


def classify(image, top=5, weights="imagenet"):
    """Top-``top`` ImageNet predictions for ``[1, H, W, 3]`` in [0, 1] (centre crop to 224×224).

    Returns ``[(class_name, probability), …]`` best first; names are ``"class 281"`` when the
    class index cannot be had offline. Raises
    :class:`~nst_helpers.errors.ClassifierWeightsUnavailable` when no full weights file exists.
    """
    model = vgg19(weights, include_top=True)
    probs = np.asarray(model(preprocess(center_crop(image)), training=False))[0]
    best = np.argsort(probs)[::-1][:top]
    names = _class_names()
    return [(names[i] if names else f"class {i}", float(probs[i])) for i in best]
