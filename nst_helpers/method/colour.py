"""Colour spaces and colour statistics for preserving a photo's colours (Gatys, Bethge, Hertzmann &
Shechtman, "Preserving Color in Neural Artistic Style Transfer", 2016).

Two methods, both used by ``transfer(..., preserve_colour=…)``:

* **luminance**: split each picture into luminance Y and chrominance I, Q (the YIQ space of NTSC
  television), transfer the style on Y alone, then put the photo's I and Q back;
* **histogram**: recolour the painting to the photo's colour mean and covariance
  (:func:`~nst_helpers.images.match_colours`) before transferring.

Images are ``[1, H, W, 3]`` float32 RGB in [0, 1] (NumPy arrays or tensors).
"""

import numpy as np

#: RGB → YIQ (FCC NTSC). Rows give Y (luminance, in [0, 1]), I and Q (chrominance, signed).
RGB_TO_YIQ = np.array([[0.299, 0.587, 0.114],
                       [0.595716, -0.274453, -0.321263],
                       [0.211456, -0.522591, 0.311135]])
YIQ_TO_RGB = np.linalg.inv(RGB_TO_YIQ)


def rgb_to_yiq(image):
    """``[..., 3]`` RGB → YIQ (same shape, float32): Y in [0, 1], I ∈ [-0.6, 0.6], Q ∈ [-0.53, 0.53]."""
    return (np.asarray(image, np.float64) @ RGB_TO_YIQ.T).astype(np.float32)


def yiq_to_rgb(yiq):
    """Inverse of :func:`rgb_to_yiq` (not clipped: out-of-gamut values can leave [0, 1])."""
    return (np.asarray(yiq, np.float64) @ YIQ_TO_RGB.T).astype(np.float32)


def luminance(image):
    """``[1, H, W, 3]`` RGB → ``[1, H, W, 3]`` grey picture of its luminance Y (Y in every channel)."""
    y = rgb_to_yiq(image)[..., :1]
    return np.repeat(y, 3, axis=-1)


def match_luminance(image, reference):
    """Shift and scale ``image``'s luminance to ``reference``'s mean and standard deviation
    (the paper's luminance matching), returned as a grey ``[1, H, W, 3]`` picture in [0, 1]."""
    y = rgb_to_yiq(image)[..., 0].astype(np.float64)
    r = rgb_to_yiq(reference)[..., 0].astype(np.float64)
    matched = (y - y.mean()) * (r.std() / max(y.std(), 1e-6)) + r.mean()
    return np.repeat(np.clip(matched, 0.0, 1.0)[..., None], 3, axis=-1).astype(np.float32)


def with_luminance(colours, grey):
    """The picture with ``grey``'s luminance and ``colours``' chrominance (I, Q), clipped to [0, 1].

    ``grey`` may be any picture (its Y is used); it is resized to ``colours``' size first if needed.
    """
    from ..machine._tf import tf

    colours = np.asarray(colours, np.float32)
    grey = np.asarray(grey, np.float32)
    if grey.shape[1:3] != colours.shape[1:3]:
        grey = tf.image.resize(grey, colours.shape[1:3], method="bicubic", antialias=True).numpy()
    yiq = rgb_to_yiq(colours)
    yiq[..., 0] = rgb_to_yiq(grey)[..., 0]
    return np.clip(yiq_to_rgb(yiq), 0.0, 1.0)


def chroma_distance(a, b):
    """Mean absolute difference of the chrominance (I, Q) of two same-size pictures: 0 when their
    colours agree, whatever their brightness."""
    return float(np.abs(rgb_to_yiq(a)[..., 1:] - rgb_to_yiq(b)[..., 1:]).mean())
