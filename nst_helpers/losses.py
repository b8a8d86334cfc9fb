"""The losses of Gatys et al., normalised as in the TensorFlow tutorial.

With these normalisations the tutorial's weights (content 1e4, style 1e-2, total variation 30)
mean the same here:

* Gram matrix ``G = Fᵀ F / (H·W)``, ``F`` the ``[H·W, C]`` activations of one layer;
* content loss: mean over layers of ``mean((F - P)²)``;
* style loss: mean over layers of ``w_l · mean((G - A)²)``;
* total variation: ``tf.image.total_variation`` (sum of absolute neighbour differences).

Other projects divide by ``C·H·W`` or ``4·C²·(H·W)²`` instead; their weights then differ by
orders of magnitude for the same picture (notebook 04 shows why).
"""

from . import defaults, features
from ._tf import tf


def gram_matrix(x):
    """``[1, H, W, C]`` activations → ``[1, C, C]`` channel correlations, divided by ``H·W``."""
    gram = tf.linalg.einsum("bijc,bijd->bcd", x, x)
    locations = tf.cast(tf.shape(x)[1] * tf.shape(x)[2], x.dtype)
    return gram / locations


def content_loss(outputs, targets):
    """Mean over layers of the mean squared difference of activations.

    ``outputs`` and ``targets`` map layer names to ``[1, h, w, C]`` tensors (same keys).
    """
    terms = [tf.reduce_mean(tf.square(outputs[k] - targets[k])) for k in targets]
    return tf.add_n(terms) / len(terms)


def style_loss(outputs, targets, layer_weights=None):
    """Mean over layers of ``w_l · mean((G_l - A_l)²)``.

    ``outputs`` map layer names to activations ``[1, h, w, C]``; ``targets`` map the same names
    to target Gram matrices ``[1, C, C]``; ``layer_weights`` (optional) maps names to ``w_l``
    (default 1).
    """
    layer_weights = layer_weights or {}
    terms = [
        layer_weights.get(k, 1.0) * tf.reduce_mean(tf.square(gram_matrix(outputs[k]) - targets[k]))
        for k in targets
    ]
    return tf.add_n(terms) / len(terms)


def total_variation_loss(image):
    """Sum of absolute differences between neighbouring pixels of ``[1, H, W, 3]`` (a scalar)."""
    return tf.reduce_sum(tf.image.total_variation(image))


class Objective:
    """The weighted sum ``α·content + β·style + γ·TV`` for fixed target images.

    Targets (content activations and style Gram matrices) are computed once, here. The compiled
    loss-and-gradient function is shared by every objective on the same layers, and takes the
    targets and weights as tensors, so changing a weight or a target never retraces.

    Args:
        content: ``[1, H, W, 3]`` in [0, 1], or None for a style-only objective.
        style: ``[1, H', W', 3]`` in [0, 1] (any size), or None for a content-only objective.
        content_layers, style_layers: layer names (see :mod:`nst_helpers.features`).
        content_weight, style_weight, tv_weight: α, β, γ.
        style_layer_weights: optional ``{layer: w_l}``.
        weights: VGG19 weights (``"imagenet"``, a path, a Weights, or None for random).
        precision: the network's compute precision, ``"float32"``, ``"bfloat16"`` or ``"auto"``
            (see :func:`~nst_helpers.features.resolve_precision`); losses stay float32.
    """

    def __init__(self, content=None, style=None, *, content_layers=features.CONTENT_LAYERS,
                 style_layers=features.STYLE_LAYERS, content_weight=defaults.CONTENT_WEIGHT,
                 style_weight=defaults.STYLE_WEIGHT, tv_weight=defaults.TV_WEIGHT,
                 style_layer_weights=None, weights="imagenet", precision="float32"):
        self.content_layers = features.canonical_layers(content_layers) if content is not None else ()
        self.style_layers = features.canonical_layers(style_layers) if style is not None else ()
        layers = tuple(dict.fromkeys(self.content_layers + self.style_layers))
        self.extractor = features.extractor(layers, weights, precision)
        slw = {features.canonical_layer(k): float(v) for k, v in (style_layer_weights or {}).items()}
        self.style_layer_weights = tuple(slw.get(k, 1.0) for k in self.style_layers)
        self.content_targets = ()
        self.style_targets = ()
        if content is not None:
            acts = self.extractor(content)
            self.content_targets = tuple(acts[k] for k in self.content_layers)
        if style is not None:
            acts = self.extractor(style)
            self.style_targets = tuple(gram_matrix(acts[k]) for k in self.style_layers)
        self.coefficients = (float(content_weight) if content is not None else 0.0,
                             float(style_weight) if style is not None else 0.0, float(tv_weight))
        self._compiled = _compiled_for(self.extractor, self.content_layers, self.style_layers)

    def _args(self):
        return (self.content_targets, self.style_targets,
                tf.constant(self.coefficients, tf.float32),
                tf.constant(self.style_layer_weights or (1.0,), tf.float32))

    def terms(self, image):
        """``{"total", "content", "style", "tv"}`` as scalar tensors (weighted) for ``image``."""
        total, terms, _ = self._compiled(image, *self._args())
        return {"total": total, **terms}

    def value_and_grad(self, image):
        """``(total, {term: value}, gradient [1, H, W, 3])``; compiled, no retracing per shape."""
        return self._compiled(image, *self._args())

    @property
    def tracing_count(self):
        return self._compiled.experimental_get_tracing_count()


_COMPILED = {}


def _compiled_for(extractor, content_layers, style_layers):
    key = (id(extractor), content_layers, style_layers)
    if key in _COMPILED:
        return _COMPILED[key]

    @tf.function(reduce_retracing=True)
    def loss_and_grad(image, content_targets, style_targets, coefficients, layer_weights):
        with tf.GradientTape() as tape:
            tape.watch(image)
            acts = extractor(image)
            zero = tf.constant(0.0, image.dtype)
            content = zero
            if content_layers:
                content = content_loss({k: acts[k] for k in content_layers},
                                       dict(zip(content_layers, content_targets)))
            style = zero
            if style_layers:
                style = style_loss({k: acts[k] for k in style_layers},
                                   dict(zip(style_layers, style_targets)),
                                   {k: layer_weights[i] for i, k in enumerate(style_layers)})
            tv = total_variation_loss(image)
            terms = {"content": coefficients[0] * content, "style": coefficients[1] * style,
                     "tv": coefficients[2] * tv}
            total = terms["content"] + terms["style"] + terms["tv"]
        return total, terms, tape.gradient(total, image)

    _COMPILED[key] = loss_and_grad
    return loss_and_grad
