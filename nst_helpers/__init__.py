"""nst_helpers: the package behind the nst-notebooks series on neural style transfer.

The notebooks teach; this package does the work. Images are ``[1, H, W, 3]`` float32 in
``[0, 1]`` throughout. Start with :func:`transfer`, :func:`reconstruct_content` and
:func:`reconstruct_style`.

Importing the package is instant and has no side effects: TensorFlow is imported (quietly, see
:mod:`nst_helpers.machine._tf`) the first time a name that needs it is used, and its runtime is not
started, so ``tf.config.experimental.set_memory_growth(...)`` still works afterwards.
"""

import importlib as _importlib

from .errors import (
    ArgumentError,
    ClassifierWeightsUnavailable,
    ImageError,
    LayerError,
    LossNotFinite,
    NSTError,
    WeightsError,
)
from .machine.config import fast_mode, offline, pick

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
    "CONTENT_LAYERS": "method.defaults", "STYLE_LAYERS": "method.defaults", "CONV_LAYERS": "method.layers",
    "FeatureExtractor": "method.features", "deprocess": "method.features", "preprocess": "method.features",
    "vgg19": "method.features",
    "fit": "method.budget", "fit_steps": "method.budget",
    "bundled_names": "images", "load_image": "images", "save_image": "images", "to_uint8": "images",
    "describe": "info",
    "Objective": "method.losses", "content_loss": "method.losses", "gram_matrix": "method.losses",
    "style_loss": "method.losses", "total_variation_loss": "method.losses",
    "Result": "method.tasks", "reconstruct_content": "method.tasks", "reconstruct_style": "method.tasks",
    "transfer": "method.tasks",
    "show_images": "teaching.plotting",
    "Weights": "method.weights", "resolve_weights": "method.weights",
    "pin": "teaching.pins", "read_pin": "teaching.pins", "class_gallery": "teaching.classroom",
}
_SUBMODULES = {  # short name → where the module is
    "arguments": "method.arguments",
    "basis": "method.basis",
    "budget": "method.budget",
    "checks": "teaching.checks",
    "classifier": "teaching.classifier",
    "classroom": "teaching.classroom",
    "cli": "cli",
    "colour": "method.colour",
    "control": "teaching.control",
    "config": "machine.config",
    "cpu": "machine.cpu",
    "deadline": "machine.deadline",
    "defaults": "method.defaults",
    "download": "machine.download",
    "engine": "method.engine",
    "errors": "errors",
    "experiments": "teaching.experiments",
    "explorer": "explorers.explorer",
    "features": "method.features",
    "files": "machine.files",
    "frontend": "explorers.frontend",
    "gallery": "teaching.gallery",
    "gallery_cache": "teaching.gallery_cache",
    "gallery_record": "teaching.gallery_record",
    "images": "images",
    "info": "info",
    "jobs": "explorers.jobs",
    "language": "language",
    "layers": "method.layers",
    "losses": "method.losses",
    "measures": "method.measures",
    "notebook_texts": "teaching.notebook_texts",
    "optimizers": "method.optimizers",
    "pins": "teaching.pins",
    "plotting": "teaching.plotting",
    "precision": "method.precision",
    "rescaling": "method.rescaling",
    "tasks": "method.tasks",
    "torch_legacy": "method.torch_legacy",
    "upload": "explorers.upload",
    "weights": "method.weights",
    "widgets": "explorers.widgets",
}


def __getattr__(name):
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{_SUBMODULES[name]}", __name__)
    else:
        raise AttributeError(f"module 'nst_helpers' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | set(_SUBMODULES))


__all__ = [
    "REPO_URL", "REPO_REF", "ArgumentError", "ClassifierWeightsUnavailable", "ImageError", "LayerError",
    "LossNotFinite", "NSTError", "WeightsError", "fast_mode", "offline", "pick",
    "CONTENT_LAYERS", "CONV_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "Objective", "Result",
    "Weights", "bundled_names", "class_gallery", "content_loss", "fit", "fit_steps", "deprocess", "describe", "gram_matrix",
    "load_image", "pin", "preprocess", "read_pin", "reconstruct_content", "reconstruct_style", "resolve_weights",
    "save_image", "show_images", "style_loss", "to_uint8", "total_variation_loss", "transfer",
    "vgg19",
]
