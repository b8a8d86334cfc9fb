"""Gatys et al.'s rescaled VGG19: every filter's mean activation made 1, without changing the net.

Gatys, Ecker & Bethge (CVPR 2016, §2): "We normalized the network by scaling the weights such
that the mean activation of each convolutional filter over images and positions is equal to one.
Such re-scaling can be done for the VGG network without changing its output, because it contains
only rectifying linear activation functions and no normalization or pooling over feature maps."

With ``m_l[c]`` the raw network's mean activation of filter ``c`` of conv layer ``l``, layer
``l``'s kernel is multiplied by ``m_{l-1}[c_in] / m_l[c_out]`` and its bias divided by
``m_l[c_out]``. ReLU and both poolings commute with a positive factor per channel, so every
rescaled activation is the raw one divided by ``m_l[c]``: the same pictures, the same
classifier decisions, only the units change. Why it matters: a layer's style term grows with the
4th power of its activations' scale, so on the raw network equal layer weights hand nearly the
whole loss to one layer; rescaled, the layers are comparable.

Filters that rarely fire on the measurement set are floored (:data:`FLOOR`). The means are measured once, over :data:`PICTURES` (the six bundled pictures: photos of a cat,
a face, a cup, a bridge, a galaxy field, and a painting) at two sizes each, on Keras' network
(max pooling), and kept in :data:`MEANS_FILE`, each size apart, with how they were made. The file holds the means
of the weights it was measured on (the offline copy's, by default); other weights (the official
Keras download) are measured when first needed, once per process, the same way (about 20 s on a
laptop CPU). Remake the file with ``make filter-means`` (``python ci/filter_means.py``).

This module is the arithmetic and the file; :mod:`nst_helpers.method.features` measures (it owns the
network) and builds the rescaled network (``rescaled=True``).

Means are per filter, not per picture: on any one picture a filter's mean varies (a "sky"
filter is quiet on a cat), which is why six varied pictures at two sizes are used. Checked in
the tests on pictures not in the set: each layer's median filter mean stays within [0.5, 2].
"""

import hashlib
import json
from pathlib import Path

import numpy as np

from .layers import CONV_LAYERS

#: The measurement set: bundled picture names, each at these longest sides (pixels).
PICTURES = ("chelsea", "astronaut", "coffee", "cincinnati_bridge", "hubble", "starry_night")
SIDES = (224, 448)
#: A filter that rarely fires on the measurement set (mean below this fraction of its layer's
#: median filter mean) is divided by that fraction of the median instead of its own mean: dividing
#: by a near-zero mean would amplify whatever it does on other pictures. Without it, one
#: ``conv2_1`` filter (mean 0.066 against the layer's median 137) is amplified about 2000× beyond
#: its neighbours and its Gram terms swamp the rest: the rescaled textures from ``conv2_1`` on
#: come out flat grey (measured: docs/performance.md). 16 of the 5504 filters are floored.
FLOOR = 0.1

MEANS_FILE = Path(__file__).parent.with_name("data") / "vgg19_filter_means.json"


def weights_digest(weights):
    """SHA-256 (first 16 hex digits) of the 16 conv layers' kernels and biases: which weights."""
    h = hashlib.sha256()
    for name in CONV_LAYERS:
        for array in weights.layers[name]:
            h.update(np.ascontiguousarray(array, np.float32).tobytes())
    return h.hexdigest()[:16]


def measure_by_side(activations, pictures=PICTURES, sides=SIDES):
    """Each conv filter's mean activation at each size: ``{side: {layer: [C] float64}}``.

    ``activations(image)`` maps ``[1, H, W, 3]`` float32 in [0, 1] to ``{layer: [1, h, w, C]}``
    (e.g. a :class:`~nst_helpers.method.features.FeatureExtractor` on :data:`CONV_LAYERS` of the raw
    network, max pooling). At each side: the mean over pictures (each weighted equally) of each
    filter's mean over positions, after the ReLU.
    """
    from .. import images

    sums = {side: {name: 0.0 for name in CONV_LAYERS} for side in sides}
    for picture in pictures:
        image = images.load_image(picture)
        for side in sides:
            acts = activations(images.fit(image, side))
            for name in CONV_LAYERS:
                sums[side][name] = sums[side][name] + np.asarray(acts[name], np.float64).mean(axis=(0, 1, 2))
    return {side: {name: sums[side][name] / len(pictures) for name in CONV_LAYERS} for side in sides}


def over_sides(by_side):
    """The means over all pictures and sizes (each weighted equally): ``{layer: [C] float64}``
    from :func:`measure_by_side`'s ``{side: {layer: [C]}}``."""
    return {name: np.mean([np.asarray(means[name], np.float64) for means in by_side.values()], axis=0)
            for name in CONV_LAYERS}


def measure(activations, pictures=PICTURES, sides=SIDES):
    """Each conv filter's mean activation over pictures and sizes: ``{layer: [C] float64}`` (see
    :func:`measure_by_side`); what the rescaled network divides each filter by."""
    return over_sides(measure_by_side(activations, pictures, sides))


def divisors(means):
    """What each filter of one layer is divided by: its mean, floored at :data:`FLOOR` × the
    layer's median mean (``[C]`` float64; all positive for a layer with any active filter)."""
    m = np.asarray(means, np.float64)
    floor = FLOOR * float(np.median(m))
    return np.maximum(m, floor) if floor > 0 else np.where(m > 0, m, 1.0)


def rescale(weights, means):
    """``weights`` with every conv filter divided by its mean activation (see the module's text).

    Args:
        weights: a :class:`~nst_helpers.method.weights.Weights`.
        means: ``{layer: [C]}`` raw mean activations (:func:`measure`); each is floored at
            :data:`FLOOR` × its layer's median (see :func:`divisors`).
    Returns a new Weights whose conv activations are the raw ones divided by ``means``.
    """
    from .weights import Weights

    layers = dict(weights.layers)
    previous = np.ones(3, np.float64)  # the input: pixels keep their scale
    for name in CONV_LAYERS:
        kernel, bias = (np.asarray(a, np.float64) for a in weights.layers[name])
        m = divisors(means[name])
        layers[name] = ((kernel * previous[None, None, :, None] / m).astype(np.float32),
                        (bias / m).astype(np.float32))
        previous = m
    return Weights(layers=layers, source=f"{weights.source}, rescaled (Gatys et al. 2016: each "
                   "filter's mean activation 1)", kind=weights.kind, path=weights.path)


def stored_means():
    """The means file as a dict: ``{"weights_digest", "pictures", "sides", "means_by_side": {side:
    {layer: [C]}}, …}`` (sides as strings: JSON's keys)."""
    return json.loads(MEANS_FILE.read_text(encoding="utf-8"))


def stored_for(weights):
    """The stored means ``{layer: [C] float64}`` when :data:`MEANS_FILE` was measured on
    ``weights``, else None (then measure them: :func:`nst_helpers.method.features.filter_means`)."""
    stored = stored_means() if MEANS_FILE.is_file() else {}
    if stored.get("weights_digest") != weights_digest(weights):
        return None
    return over_sides(stored["means_by_side"])


def record(weights, by_side, machine=""):
    """What :data:`MEANS_FILE` holds: :func:`measure_by_side`'s means of ``weights`` and how they
    were made. Kept per size so that a test can check the file by measuring one size."""
    import datetime

    return {
        "what": "mean activation of every VGG19 conv filter (after ReLU) over the pictures below at each "
                "side, raw network, max pooling, float32; nst_helpers.method.rescaling divides each filter "
                "by its mean over the sides",
        "command": "make filter-means (python ci/filter_means.py)",
        "date": datetime.date.today().isoformat(),
        "machine": machine,
        "weights": weights.source,
        "weights_digest": weights_digest(weights),
        "pictures": list(PICTURES),
        "sides": list(SIDES),
        "means_by_side": {str(side): {name: [float(f"{v:.6g}") for v in means[name]] for name in CONV_LAYERS}
                          for side, means in by_side.items()},
    }
