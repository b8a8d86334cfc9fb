"""nst_helpers: the package behind the nst-notebooks series on neural style transfer.

The notebooks teach; this package does the work. Images are ``[1, H, W, 3]`` float32 in
``[0, 1]`` throughout. Start with :func:`transfer`, :func:`reconstruct_content` and
:func:`reconstruct_style`.

Importing the package is instant and has no side effects: TensorFlow is imported (quietly, see
:mod:`nst_helpers._tf`) the first time a name that needs it is used, and its runtime is not
started, so ``tf.config.experimental.set_memory_growth(...)`` still works afterwards.
"""

import importlib as _importlib

from .config import fast_mode, offline, pick
from .errors import (
    ArgumentError,
    ClassifierWeightsUnavailable,
    ImageError,
    LayerError,
    LossNotFinite,
    NSTError,
    WeightsError,
)

__version__ = "0.2.0"
#: Where the series is published, and the branch the notebooks' Colab setup cell checks out. A
#: branch, not a tag: the Colab badges open main's notebooks, so the package must come from main
#: too; a fixed tag would pin an old package under a new notebook. The tests check the setup cell
#: and the badges against these two and that ``REPO_REF`` exists in this repository; to publish
#: elsewhere, change them here and in every notebook's setup cell and badge together (README, "Colab").
REPO_URL = "https://github.com/nst-notebooks/nst-notebooks"
REPO_REF = "main"

# name → the submodule that holds it; imported on first use (PEP 562).
_LAZY = {
    "CONTENT_LAYERS": "defaults", "STYLE_LAYERS": "defaults", "CONV_LAYERS": "layers",
    "FeatureExtractor": "features", "deprocess": "features", "preprocess": "features",
    "vgg19": "features",
    "fit": "budget", "fit_steps": "budget",
    "bundled_names": "images", "load_image": "images", "save_image": "images", "to_uint8": "images",
    "describe": "info",
    "Objective": "losses", "content_loss": "losses", "gram_matrix": "losses",
    "style_loss": "losses", "total_variation_loss": "losses",
    "Result": "optimize", "reconstruct_content": "optimize", "reconstruct_style": "optimize",
    "transfer": "optimize",
    "show_images": "plotting",
    "Weights": "weights", "resolve_weights": "weights",
    "pin": "pins", "read_pin": "pins", "class_gallery": "classroom",
}
_SUBMODULES = {"arguments", "basis", "budget", "checks", "classifier", "classroom", "cli", "colour", "config", "cpu",
               "deadline", "defaults", "download", "engine", "errors", "experiments", "explorer", "features", "files",
               "frontend", "gallery", "gallery_cache", "gallery_record", "images", "info", "language", "layers", "losses", "measures", "notebook_texts", "optimize",
               "optimizers", "pins", "plotting", "precision", "rescaling", "runner", "torch_legacy", "upload", "weights", "widgets"}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'nst_helpers' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)


__all__ = [
    "REPO_URL", "REPO_REF", "ArgumentError", "ClassifierWeightsUnavailable", "ImageError", "LayerError",
    "LossNotFinite", "NSTError", "WeightsError", "fast_mode", "offline", "pick",
    "CONTENT_LAYERS", "CONV_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "Objective", "Result",
    "Weights", "bundled_names", "class_gallery", "content_loss", "fit", "fit_steps", "deprocess", "describe", "gram_matrix",
    "load_image", "pin", "preprocess", "read_pin", "reconstruct_content", "reconstruct_style", "resolve_weights",
    "save_image", "show_images", "style_loss", "to_uint8", "total_variation_loss", "transfer",
    "vgg19",
]
