"""Numbers that describe a picture, for the experiments' captions: how rough it is, and how much of
that is brightness and how much colour. NumPy only, so figures and experiments can both use them.
"""

import numpy as np

from . import colour


def roughness(image):
    """Mean |difference| between neighbouring pixels, per value: the total variation of ``image``
    (``[1, H, W, 3]`` in [0, 1], a tensor or a NumPy array; horizontal and vertical neighbours, as
    ``tf.image.total_variation``) divided by its number of values. Notebook 4's speckle number:
    the photo's and the painting's (at the same size) are the baselines; pixel-scale speckle
    raises it. A mean, so unlike the total variation itself it hardly changes with the size."""
    x = np.asarray(image, np.float64)
    tv = np.abs(np.diff(x, axis=1)).sum() + np.abs(np.diff(x, axis=2)).sum()
    return float(tv / x.size)


def roughness_parts(image):
    """:func:`roughness` split into brightness and colour: ``{"all", "brightness", "colour"}``.

    ``brightness`` is the roughness of the picture's luminance Y = 0.299 R + 0.587 G + 0.114 B
    (a grey picture with Y in every channel, so a grey picture's ``brightness`` equals its
    ``all``); ``colour`` is the roughness of what is left, the picture minus that grey picture
    (0 for any grey picture, whatever its contrast). ``image``: ``[1, H, W, 3]`` RGB in [0, 1].
    Colour speckle (green and magenta dots) raises ``colour``; fine brushwork in one hue raises
    mostly ``brightness``. The two parts need not add up to ``all`` (|a + b| ≤ |a| + |b|)."""
    x = np.asarray(image, np.float32)
    grey = colour.luminance(x)
    return {"all": roughness(x), "brightness": roughness(grey), "colour": roughness(x - grey)}
