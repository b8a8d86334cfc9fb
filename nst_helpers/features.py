"""VGG19, its preprocessing, and a feature extractor that returns named activations.

Layer names are Keras': ``block4_conv2`` is the paper's ``conv4_2`` (the Keras layer includes
its ReLU, so its output is the paper's ``relu4_2``). Short names ``conv4_2`` are accepted too.
"""

import functools

from . import cpu
from . import weights as _weights
from .defaults import CONTENT_LAYERS, PRECISIONS, STYLE_LAYERS
from .errors import ArgumentError, LayerError, WeightsError

CONV_LAYERS = _weights.CONV_LAYERS
__all__ = ["CONTENT_LAYERS", "CONV_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "preprocess",
           "deprocess", "vgg19", "resolve_precision"]

#: ImageNet mean pixel in BGR order, on the 0–255 scale (Simonyan & Zisserman; Caffe).
VGG_MEAN_BGR = (103.939, 116.779, 123.68)


def canonical_layer(name):
    """``"conv4_2"`` or ``"block4_conv2"`` → ``"block4_conv2"``; anything else: :class:`LayerError`."""
    if isinstance(name, str):
        if name in CONV_LAYERS:
            return name
        if name.startswith("conv") and "_" in name:
            block, _, index = name[4:].partition("_")
            alias = f"block{block}_conv{index}"
            if alias in CONV_LAYERS:
                return alias
    raise LayerError(
        f"{name!r} is not a VGG19 convolution layer. Valid names: {', '.join(CONV_LAYERS)} "
        "(or the paper's conv1_1 … conv5_4)."
    )


def canonical_layers(names):
    """A name or a list of names → tuple of canonical names (order kept, duplicates dropped)."""
    if isinstance(names, str):
        names = [names]
    out = []
    for name in names:
        name = canonical_layer(name)
        if name not in out:
            out.append(name)
    return tuple(out)


def preprocess(image):
    """VGG's own input convention: ``[1, H, W, 3]`` RGB in [0, 1] → BGR, 0–255, mean subtracted.

    Identical to ``keras.applications.vgg19.preprocess_input(image * 255)``.
    """
    from ._tf import tf

    bgr = tf.reverse(image, axis=[-1]) * 255.0
    return bgr - tf.constant(VGG_MEAN_BGR, dtype=bgr.dtype)


def deprocess(x):
    """Inverse of :func:`preprocess`: BGR mean-subtracted → RGB in [0, 1] (clipped)."""
    from ._tf import tf

    rgb = tf.reverse(x + tf.constant(VGG_MEAN_BGR, dtype=x.dtype), axis=[-1]) / 255.0
    return tf.clip_by_value(rgb, 0.0, 1.0)


def _resolve(weights):
    """``"imagenet"`` / a path / a :class:`Weights` / ``None`` (random) → Weights or None."""
    if weights is None or isinstance(weights, _weights.Weights):
        return weights
    if weights == "imagenet":
        return _weights.resolve_weights()
    return _weights.resolve_weights(path=weights)


def resolve_precision(precision="auto", size=None):
    """The network's compute precision for a run at ``size`` (``(height, width)`` or a longest side).

    ``"float32"`` and ``"bfloat16"`` are returned as they are. ``"auto"``: float32 on a GPU (many,
    such as Colab's T4, have no fast bfloat16) and on CPUs without native bf16 dot products; on a
    CPU with them (AVX512-BF16 or AMX) it is **measured**, not assumed — on an AMD EPYC (Zen 4)
    bf16 took 0.23 s per evaluation against float32's 0.44 s at 256 px, on an Intel Xeon with
    AVX512-BF16 but no AMX it was *slower* (0.59 vs 0.56 s). See :func:`choose_precision`.
    """
    return choose_precision(precision, size)[0]


def choose_precision(precision="auto", size=None):
    """``(precision, reason)``: as :func:`resolve_precision`, with the reason in words.

    On a CPU with native bf16, ``"auto"`` times one loss-and-gradient evaluation of VGG19 (up to
    ``block5_conv2``) in each precision at the run's size class (longest side rounded up to 128,
    256, 512, 1024 or 2048 px) after a warm-up, and keeps the faster; when the two are within
    :data:`DECISIVE` of each other it takes the best of three samples each. The answer is
    cached per CPU model and flags, TensorFlow version and size class, in memory and in
    ``~/.cache/nst_helpers/precision.json``, so it costs a few seconds once per machine.
    """
    if precision not in PRECISIONS:
        raise ArgumentError(f"precision must be one of {PRECISIONS}, not {precision!r}")
    if precision != "auto":
        return precision, "as asked"
    if _on_gpu():
        return "float32", "auto: float32 on a GPU"
    if not _cpu_has_bf16():
        return "float32", f"auto: float32 ({cpu.model()} has no native bfloat16)"
    side = _size_class(size)
    key = _precision_key(side)
    cache = _precision_cache()
    if key not in cache:
        hw = tuple(int(d) for d in size) if hasattr(size, "__iter__") else None
        shape = hw if hw and max(hw) == side else None
        timers = {p: _evaluation_timer(p, side, shape=shape) for p in ("float32", "bfloat16")}
        times = {p: timer() for p, timer in timers.items()}
        if max(times.values()) < DECISIVE * min(times.values()):
            # Close: two more samples each, so that noise does not decide (and get cached).
            times = {p: min(times[p], timer(), timer()) for p, timer in timers.items()}
        cache[key] = {"float32": times["float32"], "bfloat16": times["bfloat16"]}
        _save_precision_cache(cache)
    times = cache[key]
    best = min(("float32", "bfloat16"), key=lambda p: times[p])
    return best, (f"auto: {best} measured faster on {cpu.model()} at {side} px "
                  f"(float32 {times['float32']:.3f} s, bfloat16 {times['bfloat16']:.3f} s per evaluation)")


SIZE_CLASSES = (128, 256, 512, 1024, 2048)
#: One sample each decides when one precision is at least this many times faster (1.8× on this
#: project's AMD EPYC; 1.04× at 256 px and 1.38× at 512 px on issue 12's Intel Xeon without AMX).
DECISIVE = 1.25


def _size_class(size):
    if size is None:
        return 256
    side = max(int(d) for d in size) if hasattr(size, "__iter__") else int(size)
    return next((c for c in SIZE_CLASSES if side <= c), SIZE_CLASSES[-1])


@functools.lru_cache(maxsize=1)
def _on_gpu():
    from ._tf import tf

    return bool(tf.config.list_physical_devices("GPU"))


@functools.lru_cache(maxsize=1)
def _cpu_has_bf16():
    return cpu.has_native_bf16()


def _precision_key(side):
    import hashlib

    from ._tf import tf

    flags = hashlib.sha1(" ".join(sorted(cpu.flags())).encode()).hexdigest()[:10]
    return f"{cpu.model()}|{flags}|tf{tf.__version__}|{side}"


_PRECISION_CACHE = {}


def _precision_file():
    import os
    from pathlib import Path

    return Path(os.environ.get("NST_CACHE_DIR") or Path.home() / ".cache" / "nst_helpers") / "precision.json"


def _precision_cache():
    if not _PRECISION_CACHE:
        import json

        try:
            _PRECISION_CACHE.update(json.loads(_precision_file().read_text()))
        except (OSError, ValueError):
            pass
    return _PRECISION_CACHE


def _save_precision_cache(cache):
    import json

    path = _precision_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(cache, indent=1, sort_keys=True))
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: measured again next time, never an error


def _evaluation_timer(precision, side, shape=None):
    """A function that returns the seconds one loss-and-gradient evaluation takes at ``shape``
    ``(H, W)``, by default ``3/4·side × side`` (traced and warmed up once, here). Measured at the
    run's own shape, the trace it makes is the one the run then uses (objectives on the same
    layers share their compiled function)."""
    import time

    import numpy as np

    from . import losses

    rng = np.random.default_rng(0)
    shape = (1, *shape, 3) if shape else (1, max(32, side * 3 // 4), side, 3)
    x = rng.uniform(size=shape).astype(np.float32)
    objective = losses.Objective(x, x[:, ::-1], precision=precision)
    objective.value_and_grad(x)  # trace and warm up

    def seconds():
        t0 = time.perf_counter()
        _, _, grad = objective.value_and_grad(x)
        grad.numpy()
        return time.perf_counter() - t0

    return seconds


POOLINGS = ("max", "avg")


@functools.lru_cache(maxsize=8)
def _build(weights, include_top, precision="float32", pooling="max"):
    """VGG19 (Simonyan & Zisserman, configuration E) with Keras' layer names, filled with ``weights``.

    Built layer by layer rather than by ``keras.applications.VGG19`` so that the compute
    precision is set on each layer (``dtype=`` policy) instead of Keras' global policy, which
    another thread (an explorer building its model) may be reading, and so that ``pooling`` can
    be ``"avg"``, as in Gatys et al. 2016.
    """
    import keras

    from ._tf import tf  # noqa: F401 - the quiet import, before Keras imports TensorFlow

    if pooling not in POOLINGS:
        raise ArgumentError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    policy = "mixed_bfloat16" if precision == "bfloat16" else "float32"
    shape = (224, 224, 3) if include_top else (None, None, 3)
    inputs = keras.Input(shape=shape, name="input_layer")
    x = inputs
    pool = keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
    for block, convs in ((1, 2), (2, 2), (3, 4), (4, 4), (5, 4)):
        for i in range(1, convs + 1):
            x = keras.layers.Conv2D(_weights.EXPECTED_SHAPES[f"block{block}_conv{i}"][1][0], 3,
                                    padding="same", activation="relu", dtype=policy,
                                    name=f"block{block}_conv{i}")(x)
        x = pool(2, strides=2, dtype=policy, name=f"block{block}_pool")(x)
    if include_top:
        x = keras.layers.Flatten(name="flatten", dtype=policy)(x)
        x = keras.layers.Dense(4096, activation="relu", name="fc1", dtype=policy)(x)
        x = keras.layers.Dense(4096, activation="relu", name="fc2", dtype=policy)(x)
        x = keras.layers.Dense(1000, activation="softmax", name="predictions", dtype="float32")(x)
    model = keras.Model(inputs, x, name="vgg19")
    if weights is not None:
        names = CONV_LAYERS + (_weights.CLASSIFIER_LAYERS if include_top else ())
        for name in names:
            model.get_layer(name).set_weights(list(weights.layers[name]))
    model.trainable = False
    return model


def vgg19(weights="imagenet", include_top=False):
    """A frozen Keras VGG19 (float32).

    Args:
        weights: ``"imagenet"`` (resolved by :func:`~nst_helpers.weights.resolve_weights`), a path
            to a Keras ``.h5`` file, a :class:`~nst_helpers.weights.Weights`, or ``None`` for
            random weights (only when asked for explicitly).
        include_top: add the classifier (``fc1``, ``fc2``, ``predictions``); input
            ``[N, 224, 224, 3]``. Needs a full weights file, else
            :class:`~nst_helpers.errors.ClassifierWeightsUnavailable`.

    The model takes VGG-preprocessed input (see :func:`preprocess`). Built once per weights.
    """
    if include_top and (weights is None or isinstance(weights, _weights.Weights)):
        resolved = weights
    elif include_top:
        resolved = _weights.resolve_weights(None if weights == "imagenet" else weights,
                                            classifier=True)
    else:
        resolved = _resolve(weights)
    if include_top and resolved is not None and not resolved.has_classifier:
        raise WeightsError("these weights have no classifier layers; see resolve_weights(classifier=True)")
    return _build(resolved, include_top)


class FeatureExtractor:
    """Named VGG19 activations of an image, computing only up to the deepest layer needed.

    ``extractor(image)`` takes ``[1, H, W, 3]`` float32 RGB in [0, 1] (preprocessing is applied
    inside) and returns ``{layer_name: [1, h, w, C]}`` with ``h ≈ H / 2**(block-1)``.
    """

    def __init__(self, layers, weights="imagenet", precision="float32", pooling="max"):
        import keras

        self.layers = canonical_layers(layers)
        if not self.layers:
            raise LayerError("at least one layer is needed")
        self.weights = _resolve(weights)
        self.precision = resolve_precision(precision)
        self.pooling = pooling
        base = _build(self.weights, False, self.precision, pooling)
        # A functional model on the needed outputs drops every layer after the deepest one.
        self.model = keras.Model(base.input, [base.get_layer(n).output for n in self.layers])

    @property
    def weights_source(self):
        return "random (weights=None)" if self.weights is None else self.weights.source

    def __call__(self, image):
        from ._tf import tf

        outputs = self.model(preprocess(image), training=False)
        if len(self.layers) == 1:
            outputs = [outputs]
        # Losses are always computed in float32, whatever the network's compute precision.
        return {name: tf.cast(out, tf.float32) for name, out in zip(self.layers, outputs)}


def extractor(layers, weights="imagenet", precision="float32", pooling="max"):
    """A cached :class:`FeatureExtractor` for a tuple of layer names (so compiled steps are reused).
    ``"imagenet"`` and the weights it resolves to give the same extractor."""
    return _extractor(tuple(layers), _resolve(weights), resolve_precision(precision), pooling)


@functools.lru_cache(maxsize=32)
def _extractor(layers, weights, precision, pooling):
    return FeatureExtractor(layers, weights, precision, pooling)


def layer_table(height=224, width=224):
    """VGG19's 16 conv layers for an input of ``height × width``.

    Returns rows ``{"block", "layer", "output_shape" (h, w, C), "params"}``; parameters are
    ``3·3·C_in·C_out + C_out`` (kernel plus bias).
    """
    rows, c_in = [], 3
    for name in CONV_LAYERS:
        block = int(name[5])
        c_out = _weights.EXPECTED_SHAPES[name][1][0]
        scale = 2 ** (block - 1)
        rows.append({"block": block, "layer": name, "output_shape": (height // scale, width // scale, c_out),
                     "params": 9 * c_in * c_out + c_out})
        c_in = c_out
    return rows
