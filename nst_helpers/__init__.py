"""nst_helpers: the package behind the nst-notebooks series on neural style transfer.

The notebooks teach; this package does the work. Images are ``[1, H, W, 3]`` float32 in
``[0, 1]`` throughout. Start with :func:`transfer`, :func:`reconstruct_content` and
:func:`reconstruct_style`.
"""

import os as _os
import sys as _sys

# TensorFlow's C++ start-up chatter (oneDNN notices, CPU feature lines) is noise in a classroom.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _quiet_tensorflow_start():
    """Import TensorFlow and create its runtime with file descriptor 2 sent to /dev/null.

    TF 2.21 writes its absl start-up lines ("oneDNN custom operations are on", "Could not find
    cuda drivers", "failed call to cuInit") straight to fd 2, whatever TF_CPP_MIN_LOG_LEVEL says,
    and Jupyter shows them in red under the first cell. Python-level errors still surface as
    exceptions; ``NST_TF_LOGS=1`` keeps the lines. Where a GPU fails to start, ``nst.describe()``
    says "CPU".
    """
    if "tensorflow" in _sys.modules or _os.environ.get("NST_TF_LOGS") == "1":
        return
    try:
        saved, devnull = _os.dup(2), _os.open(_os.devnull, _os.O_WRONLY)
    except OSError:
        return
    try:
        _sys.stderr.flush()
        _os.dup2(devnull, 2)
        import tensorflow as tf

        tf.config.list_logical_devices()  # creates the runtime: the CUDA probe happens here
    finally:
        _os.dup2(saved, 2)
        _os.close(saved)
        _os.close(devnull)


_quiet_tensorflow_start()

from .config import fast_mode, offline, pick  # noqa: E402
from .errors import (  # noqa: E402
    ClassifierWeightsUnavailable,
    ImageError,
    LayerError,
    NSTError,
    WeightsError,
)
from .features import (  # noqa: E402
    CONTENT_LAYERS,
    CONV_LAYERS,
    STYLE_LAYERS,
    FeatureExtractor,
    deprocess,
    preprocess,
    vgg19,
)
from .images import bundled_names, load_image, save_image, to_uint8  # noqa: E402
from .info import describe  # noqa: E402
from .losses import (  # noqa: E402
    Objective,
    content_loss,
    gram_matrix,
    style_loss,
    total_variation_loss,
)
from .optimize import Result, reconstruct_content, reconstruct_style, transfer  # noqa: E402
from .plotting import show_images  # noqa: E402
from .weights import Weights, resolve_weights  # noqa: E402

__version__ = "0.1.0"
#: The one place that names the repository (the notebooks' Colab cell and badges are checked
#: against it by the tests).
REPO_URL = "https://github.com/nst-notebooks/nst-notebooks"

__all__ = [
    "CONTENT_LAYERS", "CONV_LAYERS", "STYLE_LAYERS", "ClassifierWeightsUnavailable",
    "FeatureExtractor", "ImageError", "LayerError", "NSTError", "Objective", "Result", "Weights",
    "WeightsError", "bundled_names", "content_loss", "deprocess", "describe", "fast_mode",
    "gram_matrix", "load_image", "offline", "pick", "preprocess", "reconstruct_content",
    "reconstruct_style", "resolve_weights", "save_image", "show_images", "style_loss",
    "to_uint8", "total_variation_loss", "transfer", "vgg19",
]
