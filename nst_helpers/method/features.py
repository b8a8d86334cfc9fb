"""VGG19, its preprocessing, and a feature extractor that returns named activations.

Layer names are Keras' (``block4_conv2`` is the paper's ``conv4_2``; see :mod:`nst_helpers.method.layers`,
where they are written once). Short names ``conv4_2`` are accepted too.

The network runs in one of :data:`~nst_helpers.method.defaults.COMPUTE_PRECISIONS`, set per layer;
whatever it runs in, the activations it hands out are float32, so Gram matrices and losses are
always computed in float32. Which precision is fastest on a machine is measured elsewhere
(:mod:`nst_helpers.method.precision`, above the losses): here the precision is always a concrete one.
"""

import functools

from ..errors import ArgumentError, LayerError, WeightsError
from . import arguments, rescaling
from . import weights as _weights
from .defaults import CONTENT_LAYERS, STYLE_LAYERS
from .layers import (
    CLASSIFIER_LAYERS,
    CONV_LAYERS,
    block,
    canonical_layer,
    canonical_layers,
    channels,
    ends_block,
)

__all__ = ["CONTENT_LAYERS", "CONV_LAYERS", "STYLE_LAYERS", "FeatureExtractor", "canonical_layer",
           "canonical_layers", "preprocess", "deprocess", "vgg19"]

#: ImageNet mean pixel in BGR order, on the 0–255 scale (Simonyan & Zisserman; Caffe).
VGG_MEAN_BGR = (103.939, 116.779, 123.68)

#: Each compute precision as a Keras dtype policy: the "mixed" policies keep the variables in
#: float32 and compute in the 16-bit type.
POLICIES = {"float32": "float32", "bfloat16": "mixed_bfloat16", "float16": "mixed_float16"}


def preprocess(image):
    """VGG's own input convention: ``[1, H, W, 3]`` RGB in [0, 1] → BGR, 0–255, mean subtracted.

    Identical to ``keras.applications.vgg19.preprocess_input(image * 255)``.
    """
    from ..machine._tf import tf

    bgr = tf.reverse(image, axis=[-1]) * 255.0
    return bgr - tf.constant(VGG_MEAN_BGR, dtype=bgr.dtype)


def deprocess(x):
    """Inverse of :func:`preprocess`: BGR mean-subtracted → RGB in [0, 1] (clipped)."""
    from ..machine._tf import tf

    rgb = tf.reverse(x + tf.constant(VGG_MEAN_BGR, dtype=x.dtype), axis=[-1]) / 255.0
    return tf.clip_by_value(rgb, 0.0, 1.0)


def _resolve(weights, rescaled=False):
    """``"imagenet"`` / a path / a :class:`Weights` / ``None`` (random) → Weights or None;
    ``rescaled=True``: Gatys et al.'s rescaled copy (:mod:`nst_helpers.method.rescaling`)."""
    if weights is None or isinstance(weights, _weights.Weights):
        resolved = weights
    elif weights == "imagenet":
        resolved = _weights.resolve_weights()
    else:
        resolved = _weights.resolve_weights(path=weights)
    if rescaled:
        if resolved is None:
            raise ArgumentError("rescaled=True needs trained weights: random weights (weights=None) "
                                "have no meaningful mean activations to rescale by")
        resolved = rescaled_weights(resolved)
    return resolved


def filter_means(weights):
    """Each conv filter's mean activation on the raw network with ``weights`` (``{layer: [C]}``):
    from :data:`nst_helpers.method.rescaling.MEANS_FILE` when it was measured on these weights, else
    measured now on the same pictures (once per process)."""
    stored = rescaling.stored_for(weights)
    return stored if stored is not None else _measured_means(weights)


@functools.lru_cache(maxsize=4)
def _measured_means(weights):
    print("Measuring the rescaled VGG19's filter means for these weights (once per session) …", flush=True)
    return rescaling.measure(FeatureExtractor(CONV_LAYERS, weights=weights, precision="float32"))


@functools.lru_cache(maxsize=4)
def rescaled_weights(weights):
    """Gatys et al.'s rescaled copy of ``weights`` (one object per weights, so built networks are
    reused): see :mod:`nst_helpers.method.rescaling`."""
    return rescaling.rescale(weights, filter_means(weights))


#: Where float16's backward pass puts the largest incoming gradient (see
#: :meth:`FeatureExtractor._float16_network`): 256 leaves room for a 256-fold growth on the way
#: back to the input below float16's 65504, and keeps values 10⁻⁷ of the largest above its floor.
FLOAT16_GRADIENT_PEAK = 256.0

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

    from ..machine._tf import tf  # noqa: F401 - the quiet import, before Keras imports TensorFlow

    if pooling not in POOLINGS:
        raise ArgumentError(f"pooling must be one of {POOLINGS}, not {pooling!r}")
    policy = POLICIES[arguments.check_precision(precision, allow_auto=False)]
    shape = (224, 224, 3) if include_top else (None, None, 3)
    inputs = keras.Input(shape=shape, name="input_layer")
    x = inputs
    pool = keras.layers.MaxPooling2D if pooling == "max" else keras.layers.AveragePooling2D
    for name in CONV_LAYERS:
        x = keras.layers.Conv2D(channels(name), 3, padding="same", activation="relu", dtype=policy,
                                name=name)(x)
        if ends_block(name):
            x = pool(2, strides=2, dtype=policy, name=name.replace("conv", "pool")[:-1])(x)
    if include_top:
        x = keras.layers.Flatten(name="flatten", dtype=policy)(x)
        x = keras.layers.Dense(4096, activation="relu", name="fc1", dtype=policy)(x)
        x = keras.layers.Dense(4096, activation="relu", name="fc2", dtype=policy)(x)
        x = keras.layers.Dense(1000, activation="softmax", name="predictions", dtype="float32")(x)
    model = keras.Model(inputs, x, name="vgg19")
    if weights is not None:
        names = CONV_LAYERS + (CLASSIFIER_LAYERS if include_top else ())
        for name in names:
            model.get_layer(name).set_weights(list(weights.layers[name]))
    model.trainable = False
    return model


def vgg19(weights="imagenet", include_top=False):
    """A frozen Keras VGG19 (float32).

    Args:
        weights: ``"imagenet"`` (resolved by :func:`~nst_helpers.method.weights.resolve_weights`), a path
            to a Keras ``.h5`` file, a :class:`~nst_helpers.method.weights.Weights`, or ``None`` for
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
    inside) and returns ``{layer_name: [1, h, w, C]}`` float32 with ``h ≈ H / 2**(block-1)``.

    ``rescaled=True`` is Gatys et al.'s network (:mod:`nst_helpers.method.rescaling`): every filter
    divided by its mean activation, so every layer's activations are about 1 on average and layers
    can be compared; ``False`` (default) is Keras' VGG19, as in the TensorFlow tutorial.

    ``precision`` is the network's compute precision, one of
    :data:`~nst_helpers.method.defaults.COMPUTE_PRECISIONS` (``"auto"`` is resolved before this, by
    :func:`nst_helpers.method.precision.choose`). In ``"bfloat16"`` and ``"float16"`` the activations
    are cast to float32 on the way out: a float16 Gram matrix sums ``H·W`` products of
    activations in the hundreds and overflows float16's 65504 (ProGamerGov/neural-style-pt#97).
    """

    def __init__(self, layers, weights="imagenet", precision="float32", pooling="max", rescaled=False):
        import keras

        self.precision = arguments.check_precision(precision, allow_auto=False)
        self.layers = canonical_layers(layers)
        if not self.layers:
            raise LayerError("at least one layer is needed")
        self.rescaled = arguments.check_flag(rescaled, "rescaled")
        self.weights = _resolve(weights, self.rescaled)
        self.pooling = pooling
        base = _build(self.weights, False, self.precision, pooling)
        # A functional model on the needed outputs drops every layer after the deepest one.
        self.model = keras.Model(base.input, [base.get_layer(n).output for n in self.layers])

    @property
    def weights_source(self):
        return "random (weights=None)" if self.weights is None else self.weights.source

    def __call__(self, image):
        from ..machine._tf import tf

        x = preprocess(image)
        outputs = self._float16_network(x) if self.precision == "float16" else self._network(x)
        # Gram matrices and losses are always computed in float32 (see the class docstring).
        return {name: tf.cast(out, tf.float32) for name, out in zip(self.layers, outputs)}

    def _network(self, x):
        outputs = self.model(x, training=False)
        return [outputs] if len(self.layers) == 1 else list(outputs)

    def _float16_network(self, x):
        """The network in float16, with its backward pass scaled into float16's range.

        The loss's gradient with respect to the activations reaches 10⁴ and grows on its way
        back to the input, past float16's largest number (65504): unscaled, the image's gradient
        is ``inf``. So the incoming gradient is multiplied by the power of two that brings its
        largest value to :data:`FLOAT16_GRADIENT_PEAK`, sent back through the network in float16,
        and divided by the same power in float32 at the input (loss scaling, as in
        mixed-precision training, applied to this one backward pass). Powers of two scale exactly.
        """
        from ..machine._tf import tf

        @tf.custom_gradient
        def network(x):
            with tf.GradientTape() as tape:
                tape.watch(x)
                outputs = self._network(x)

            def backward(*upstream, variables=None):
                upstream = [tf.zeros_like(o, tf.float32) if g is None else g
                            for g, o in zip(upstream, outputs)]
                peak = tf.reduce_max(tf.stack([tf.reduce_max(tf.abs(g)) for g in upstream]))
                power = tf.clip_by_value(tf.floor(tf.math.log(FLOAT16_GRADIENT_PEAK / peak) / tf.math.log(2.0)),
                                         -100.0, 100.0)
                scale = tf.where(peak > 0, tf.pow(2.0, power), 1.0)
                scaled = [tf.cast(g * scale, o.dtype) for g, o in zip(upstream, outputs)]
                grad = tape.gradient(outputs, x, output_gradients=scaled) / scale
                return grad, [None] * len(variables or ())

            return [tf.cast(o, tf.float32) for o in outputs], backward

        return network(x)


def extractor(layers, weights="imagenet", precision="float32", pooling="max", rescaled=False):
    """A cached :class:`FeatureExtractor` for a tuple of layer names (so compiled steps are reused).
    ``"imagenet"`` and the weights it resolves to give the same extractor."""
    return _extractor(tuple(layers), _resolve(weights), arguments.check_precision(precision, allow_auto=False),
                      pooling, arguments.check_flag(rescaled, "rescaled"))


@functools.lru_cache(maxsize=32)
def _extractor(layers, weights, precision, pooling, rescaled):
    return FeatureExtractor(layers, weights, precision, pooling, rescaled)


def layer_table(height=224, width=224):
    """VGG19's 16 conv layers for an input of ``height × width``.

    Returns rows ``{"block", "layer", "output_shape" (h, w, C), "params"}``; parameters are
    ``3·3·C_in·C_out + C_out`` (kernel plus bias).
    """
    rows, c_in = [], 3
    for name in CONV_LAYERS:
        c_out = channels(name)
        scale = 2 ** (block(name) - 1)
        rows.append({"block": block(name), "layer": name, "output_shape": (height // scale, width // scale, c_out),
                     "params": 9 * c_in * c_out + c_out})
        c_in = c_out
    return rows
