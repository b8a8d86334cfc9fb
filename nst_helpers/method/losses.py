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

import functools

from ..errors import ArgumentError
from ..machine._tf import tf
from . import arguments, defaults, features


def gram_matrix(x):
    """``[1, H, W, C]`` activations → ``[1, C, C]`` channel correlations, divided by ``H·W``."""
    gram = tf.linalg.einsum("bijc,bijd->bcd", x, x)
    locations = tf.cast(tf.shape(x)[1] * tf.shape(x)[2], x.dtype)
    return gram / locations


def layer_content_loss(f, p):
    """One layer's content loss: ``mean((F - P)²)`` for activations ``F`` and target ``P``,
    both ``[1, h, w, C]``; a scalar. The one formula of the content term."""
    return tf.reduce_mean(tf.square(f - p))


def layer_style_loss(f, a, gram=gram_matrix):
    """One layer's style loss: ``mean((G - A)²)`` for ``G = gram(F)`` of activations ``F``
    ``[1, h, w, C]`` and a target Gram matrix ``A`` ``[1, C, C]``; a scalar. The one formula of
    the style term."""
    return tf.reduce_mean(tf.square(gram(f) - a))


def content_loss(outputs, targets):
    """Mean over layers of :func:`layer_content_loss`.

    ``outputs`` and ``targets`` map layer names to ``[1, h, w, C]`` tensors (same keys).
    """
    return tf.add_n([layer_content_loss(outputs[k], targets[k]) for k in targets]) / len(targets)


def style_loss(outputs, targets, layer_weights=None):
    """Mean over layers of ``w_l ·`` :func:`layer_style_loss`, i.e. ``w_l · mean((G_l - A_l)²)``.

    ``outputs`` map layer names to activations ``[1, h, w, C]``; ``targets`` map the same names
    to target Gram matrices ``[1, C, C]``; ``layer_weights`` (optional) maps names to ``w_l``
    (default 1).
    """
    layer_weights = layer_weights or {}
    terms = [layer_weights.get(k, 1.0) * layer_style_loss(outputs[k], targets[k]) for k in targets]
    return tf.add_n(terms) / len(terms)


def total_variation_loss(image):
    """Sum of absolute differences between neighbouring pixels of ``[1, H, W, 3]`` (a scalar)."""
    return tf.reduce_sum(tf.image.total_variation(image))


def region_activations(x, mask):
    """Activations of a region (Gatys et al. 2017, spatial control), scaled so that
    :func:`gram_matrix` of them is the region's Gram matrix ``Σᵢ mᵢ² fᵢ fᵢᵀ / Σᵢ mᵢ²``.

    ``x``: ``[1, H, W, C]`` activations; ``mask``: ``[1, H, W, 1]`` weights in [0, 1] at the same
    resolution. Returns ``[1, H, W, C]``: ``x · m · sqrt(H·W / Σᵢ mᵢ²)``. For a 0/1 mask the Gram
    matrix is the region's divided by its area, so it is comparable to :func:`gram_matrix` of a
    whole picture; any style loss applied to these activations is that loss on the region.
    """
    locations = tf.cast(tf.shape(x)[1] * tf.shape(x)[2], x.dtype)
    return x * mask * tf.sqrt(locations / (tf.reduce_sum(tf.square(mask)) + 1e-8))


def guided_gram_matrix(x, mask):
    """The Gram matrix of a region: ``[1, C, C]`` = Σᵢ mᵢ² fᵢ fᵢᵀ / Σᵢ mᵢ² for activations ``x``
    ``[1, H, W, C]`` and a mask ``[1, H, W, 1]`` (see :func:`region_activations`)."""
    return gram_matrix(region_activations(x, mask))


def check_arguments(style_layers, style_layer_weights, style_blend, n_styles, losses):
    """The :class:`Objective` arguments that need no picture, checked as Objective checks them:
    :func:`~nst_helpers.method.tasks.transfer` calls this before it loads or times anything."""
    check_style_layer_weights(style_layer_weights, style_layers)
    layer_blends(style_blend, n_styles, features.canonical_layers(style_layers))
    _own_losses(losses)


def layer_blends(blend, n, style_layers):
    """One normalised blend per style layer: ``style_blend`` may be one blend for every layer, or
    ``{layer: blend}`` (Gatys et al. 2017's scale control: e.g. one painting's Gram matrices at the
    deep, coarse layers and the other's at the shallow, fine ones). A dict must name every style
    layer: a layer left out would get no clear share of either painting."""
    if not isinstance(blend, dict):
        return (_normalise_blend(blend, n),) * len(style_layers)
    given = {features.canonical_layer(k): v for k, v in blend.items()}
    unknown = sorted(set(given) - set(style_layers))
    missing = [k for k in style_layers if k not in given]
    if unknown or missing:
        raise ArgumentError(f"a per-layer style_blend needs one blend for each style layer "
                            f"({', '.join(style_layers)}): "
                            + (f"{', '.join(unknown)} is not a style layer" if unknown
                               else f"{', '.join(missing)} has none")
                            + "; e.g. control.scale_blend(coarse=0, fine_until='block2_conv1') builds one")
    return tuple(_normalise_blend(given[k], n) for k in style_layers)


def _normalise_blend(blend, n):
    if blend is None:
        return (1.0 / n,) * n
    blend = [float(w) for w in blend]
    if len(blend) != n or any(not w >= 0 for w in blend) or sum(blend) <= 0:
        raise ArgumentError(f"style_blend needs {n} non-negative weights (not all zero), one per "
                            f"style, got {blend}")
    return tuple(w / sum(blend) for w in blend)


def check_style_layer_weights(weights, style_layers):
    """``"balanced"``, or one float weight per layer of ``style_layers`` (canonical names; 1.0 for
    a layer ``weights`` leaves out) from ``None``, ``"balanced"`` or ``{layer: weight}``.

    A key that is not one of ``style_layers`` (a typo such as ``block2_conv2``) is an ArgumentError:
    ignoring it would silently drop the weight you meant to give."""
    if isinstance(weights, str):
        if weights != "balanced":
            raise ArgumentError(f"style_layer_weights must be a dict or 'balanced', not {weights!r}")
        return weights
    given = {features.canonical_layer(k): float(v) for k, v in (weights or {}).items()}
    stray = [k for k in given if k not in style_layers]
    if stray:
        raise ArgumentError(f"style_layer_weights names {', '.join(stray)}, which "
                            f"{'is' if len(stray) == 1 else 'are'} not among the style layers "
                            f"{', '.join(style_layers)}: fix the key or add the layer to style_layers")
    return tuple(given.get(k, 1.0) for k in style_layers)


def balanced_layer_weights(target_norms):
    """``w_l = S / n_l`` for the target Gram matrices' mean squares ``n_l`` (``S`` = their mean):
    the weights that make every layer's style term a *relative* error of the same size."""
    norms = [float(n) for n in target_norms]
    mean = sum(norms) / len(norms)
    return tuple(mean / max(n, 1e-30) for n in norms)


class Objective:
    """The weighted sum ``α·content + β·style + γ·TV`` for fixed target images.

    Targets (content activations and style Gram matrices) are computed once, here. The compiled
    loss-and-gradient function is shared by every objective on the same layers, and takes the
    targets and weights as tensors, so changing a weight or a target never retraces.

    Args:
        content: ``[1, H, W, 3]`` in [0, 1], or None for a style-only objective.
        style: ``[1, H', W', 3]`` in [0, 1] (any size), a list of such pictures (several styles),
            or None for a content-only objective.
        content_layers, style_layers: layer names (see :mod:`nst_helpers.method.features`).
        content_weight, style_weight, tv_weight: α, β, γ.
        style_layer_weights: optional ``{layer: w_l}``, or ``"balanced"``: ``w_l = S / mean(A_l²)``
            with ``A_l`` the target Gram matrix of layer l and ``S`` the mean of ``mean(A_l²)`` over
            the layers. VGG19's raw activations differ in scale from layer to layer, and a
            layer's term grows with the 4th power of that scale (the Gram matrix is quadratic in
            the activations, the squared error quadratic again), so with equal weights one layer
            (``conv4_1`` on the series' pictures) carries nearly all of the style loss and
            ``conv1_1`` almost none (notebooks 3 and 5 show it). Balanced, every layer's term
            measures its *relative* mismatch and pulls about equally at the start, the idea
            behind Gatys et al.'s rescaled network, while the total keeps the tutorial's scale
            (β keeps its meaning). See :func:`balanced_layer_weights`.
        style_blend: with several styles, their weights (normalised to sum 1; default equal).
            The style term is ``Σₖ bₖ · style_lossₖ``; computed as the distance to the blended
            Gram matrices ``Σₖ bₖ Aₖ`` plus a constant per layer, which is the same number.
            ``{layer: weights}`` gives each style layer its own blend (scale control, Gatys et
            al. 2017: see :func:`layer_blends`; not with masks).
        style_masks: with several styles, one ``[H, W]`` mask in [0, 1] per style at the content's
            size: style k is matched only inside mask k, through :func:`guided_gram_matrix`
            (masks are area-averaged down to each layer's resolution).
        weights: VGG19 weights (``"imagenet"``, a path, a Weights, or None for random).
        precision: the network's compute precision, ``"float32"``, ``"bfloat16"`` or ``"float16"``
            (``"auto"`` is chosen before, by :func:`~nst_helpers.method.precision.choose`); losses stay float32.
        pooling: ``"max"`` (Keras' VGG19) or ``"avg"`` (Gatys et al. 2016).
        rescaled: Gatys et al.'s rescaled VGG19 (:mod:`nst_helpers.method.rescaling`) instead of Keras'.
        losses: your own functions in place of the package's, e.g. from the notebooks'
            exercises: ``{"gram_matrix": f(x [1,H,W,C]) -> [1,C,C], "content_loss": f(F, P) ->
            scalar (one layer), "style_loss": f(F, A) -> scalar (one layer, A a target Gram
            matrix), "total_variation": f(image) -> scalar}`` (any subset). The package still
            averages over layers and applies the weights; targets use your ``gram_matrix``.
            Your losses reach every path: masked styles (your style loss on each region's
            activations, see :func:`region_activations`), several styles and
            :meth:`style_layer_shares`.
        normalisation: ``"tutorial"`` (this module's) or ``"gatys2016"``: the paper's content
            ½·Σ(F−P)² and style Σ_l (1/L)·Σ(G−A)²/(4N²M²) with unnormalised G. With the
            tutorial's Gram (÷ M = H·W) these are exact rescalings: the paper's style loss is the
            tutorial's ÷ 4, its content loss the tutorial's × N·M/2 (N·M = the content layer's
            number of activations). They are applied to α and β, so the terms reported are the
            paper's numbers.
    """

    def __init__(self, content=None, style=None, *, content_layers=features.CONTENT_LAYERS,
                 style_layers=features.STYLE_LAYERS, content_weight=defaults.CONTENT_WEIGHT,
                 style_weight=defaults.STYLE_WEIGHT, tv_weight=defaults.TV_WEIGHT,
                 style_layer_weights=None, weights="imagenet", precision="float32",
                 style_blend=None, style_masks=None, pooling="max", normalisation="tutorial", rescaled=False,
                 losses=None):
        styles = [] if style is None else (list(style) if isinstance(style, (list, tuple)) else [style])
        self.losses = _own_losses(losses)
        gram = self.losses["gram_matrix"]
        if normalisation not in defaults.NORMALISATIONS:
            raise ArgumentError(f"normalisation must be one of {defaults.NORMALISATIONS}, not {normalisation!r}")
        self.content_layers = features.canonical_layers(content_layers) if content is not None else ()
        self.style_layers = features.canonical_layers(style_layers) if styles else ()
        if content is not None:
            arguments.check_normalisation(None, normalisation, self.content_layers)
        layer_weights = check_style_layer_weights(style_layer_weights, self.style_layers)
        balanced = layer_weights == "balanced"
        self.style_layer_weights = (1.0,) * len(self.style_layers) if balanced else layer_weights
        blends = layer_blends(style_blend, len(styles), self.style_layers) if styles else ()
        self.blend = blends[0] if blends else ()
        layers = tuple(dict.fromkeys(self.content_layers + self.style_layers))
        self.extractor = features.extractor(layers, weights, precision, pooling, rescaled)
        self.content_targets = ()
        content_scale = style_scale = 1.0
        if content is not None:
            acts = self.extractor(content)
            self.content_targets = tuple(acts[k] for k in self.content_layers)
            if normalisation == "gatys2016":
                content_scale = float(tf.size(self.content_targets[0])) / 2.0
        if normalisation == "gatys2016":
            style_scale = 0.25
        grams = [[gram(a[k]) for k in self.style_layers]
                 for a in (self.extractor(s) for s in styles)]
        self.masked = style_masks is not None
        if self.masked and content is None:
            raise ArgumentError("style_masks need a content image (they are drawn on it)")
        # Σₖ bₖ·mean((G − Aₖ)²) = mean((G − Ā)²) + mean(Σₖ bₖAₖ² − Ā²), Ā = Σₖ bₖAₖ: for the
        # package's style formula, several unmasked styles cost one Gram difference per layer.
        # Masks, or a style loss of your own (for which this identity need not hold), take every
        # style's term one by one.
        self.per_style = self.masked or (len(styles) > 1 and "style_loss" in dict(losses or {}))
        if self.per_style and isinstance(style_blend, dict):
            raise ArgumentError("a per-layer style_blend (scale control) cannot be combined with masks "
                                "or your own style_loss: give one blend for all layers, or drop the masks")
        if self.per_style:
            self.style_targets = tuple(tuple(g[i] for g in grams) for i in range(len(self.style_layers)))
            self.style_offsets = (0.0,) * len(self.style_layers)
            self.style_blend = self.blend
        else:
            targets, offsets = [], []
            for i in range(len(self.style_layers)):
                a, blend = [g[i] for g in grams], blends[i]
                mean = tf.add_n([b * t for b, t in zip(blend, a)])
                spread = tf.add_n([b * tf.square(t) for b, t in zip(blend, a)]) - tf.square(mean)
                targets.append((mean,))
                offsets.append(float(tf.reduce_mean(spread)))
            self.style_targets, self.style_offsets, self.style_blend = tuple(targets), tuple(offsets), (1.0,)
        self.masks = self._layer_masks(style_masks, acts) if self.masked else ()
        if balanced and self.style_layers:
            self.style_layer_weights = balanced_layer_weights(
                [tf.add_n([tf.reduce_mean(tf.square(t)) for t in per_layer]) for per_layer in self.style_targets])
        self.coefficients = (float(content_weight) * content_scale if content is not None else 0.0,
                             float(style_weight) * style_scale if styles else 0.0, float(tv_weight))
        self._compiled = _compiled_for(self.extractor, self.content_layers, self.style_layers,
                                       self.masked, self.losses)

    def _layer_masks(self, masks, acts):
        """Per style layer, per style: the mask area-averaged to that layer's ``[1, h, w, 1]``."""
        masks = [tf.convert_to_tensor(mask, tf.float32)[None, :, :, None] for mask in masks]
        return tuple(tuple(tf.image.resize(m, acts[k].shape[1:3], method="area") for m in masks)
                     for k in self.style_layers)

    def _args(self):
        return (self.content_targets, self.style_targets,
                tf.constant(self.coefficients, tf.float32),
                tf.constant(self.style_layer_weights or (1.0,), tf.float32),
                tf.constant(self.style_offsets or (0.0,), tf.float32),
                tf.constant(self.style_blend, tf.float32), self.masks)

    def terms(self, image):
        """``{"total", "content", "style", "tv"}`` as scalar tensors (weighted) for ``image``."""
        total, terms, _ = self._compiled(image, *self._args())
        return {"total": total, **terms}

    def value_and_grad(self, image):
        """``(total, {term: value}, gradient [1, H, W, 3])``; compiled, no retracing per shape."""
        return self._compiled(image, *self._args())

    def style_layer_shares(self, image):
        """Each style layer's share of the style term and of its gradient at ``image``.

        Returns ``{layer: (share of the loss, share of the gradient's norm)}``; each column sums
        to 1. With equal weights the shares follow the 4th power of each layer's activation
        scale, so they are far from equal (see ``style_layer_weights`` in :class:`Objective`).
        The terms are the objective's own (your ``losses=``, masks and blend included). Computed
        eagerly, one gradient per layer (a diagnostic, not for the optimisation loop).
        """
        if not self.style_layers:
            raise ArgumentError("style_layer_shares needs an objective with style layers")
        image = tf.convert_to_tensor(image, tf.float32)
        terms, norms = [], []
        for i, k in enumerate(self.style_layers):
            with tf.GradientTape() as tape:
                tape.watch(image)
                term = self.style_layer_weights[i] * _style_layer_term(
                    self.losses["style_loss"], self.extractor(image)[k], self.style_targets[i],
                    self.masks[i] if self.masks else (), self.style_blend, self.style_offsets[i])
            terms.append(float(term))
            norms.append(float(tf.norm(tape.gradient(term, image))))
        return {k: (t / sum(terms), g / sum(norms)) for k, t, g in zip(self.style_layers, terms, norms)}

    @property
    def tracing_count(self):
        return self._compiled.experimental_get_tracing_count()


LOSS_NAMES = ("gram_matrix", "content_loss", "style_loss", "total_variation")


def _own_losses(losses):
    """The four loss functions: the package's, with ``losses``' replacing any of them."""
    losses = dict(losses or {})
    unknown = set(losses) - set(LOSS_NAMES)
    if unknown:
        raise ArgumentError(f"losses: unknown {sorted(unknown)}; you can replace {', '.join(LOSS_NAMES)}")
    gram = losses.get("gram_matrix", gram_matrix)
    style = layer_style_loss
    if gram is not gram_matrix and "style_loss" not in losses:
        style = functools.partial(layer_style_loss, gram=gram)  # the package's formula on your Gram
    # Module-level functions by default: their ids key the compiled function, so every objective
    # on the same layers shares one trace.
    return {"gram_matrix": gram,
            "content_loss": losses.get("content_loss", layer_content_loss),
            "style_loss": losses.get("style_loss", style),
            "total_variation": losses.get("total_variation", total_variation_loss)}


def _style_layer_term(style_loss, act, targets, masks, blend, offset):
    """One style layer's term before its weight: ``Σₛ bₛ · style_loss(Fₛ, Aₛ) + offset``.

    ``act``: the layer's activations; ``targets``: one Gram matrix per style (one blended target
    when the objective folds several styles into it, with ``offset`` the constant that folding
    leaves); ``masks``: one per style, or ``()``: ``Fₛ`` is then ``act`` itself, else the
    activations of region s (:func:`region_activations`)."""
    terms = [blend[s] * tf.reshape(style_loss(region_activations(act, masks[s]) if masks else act, a), ())
             for s, a in enumerate(targets)]
    return tf.add_n(terms) + offset


_COMPILED = {}


def _compiled_for(extractor, content_layers, style_layers, masked=False, own=None):
    own = own or _own_losses(None)
    key = (id(extractor), content_layers, style_layers, masked, tuple(id(own[k]) for k in LOSS_NAMES))
    if key in _COMPILED:
        return _COMPILED[key]

    @tf.function(reduce_retracing=True)
    def loss_and_grad(image, content_targets, style_targets, coefficients, layer_weights,
                      offsets, blend, masks):
        with tf.GradientTape() as tape:
            tape.watch(image)
            acts = extractor(image)
            zero = tf.constant(0.0, image.dtype)
            content = zero
            if content_layers:
                content = tf.add_n([tf.reshape(own["content_loss"](acts[k], p), ())
                                    for k, p in zip(content_layers, content_targets)]) / len(content_layers)
            style = zero
            if style_layers:
                style = tf.add_n([layer_weights[i] * _style_layer_term(
                    own["style_loss"], acts[k], style_targets[i], masks[i] if masked else (), blend, offsets[i])
                    for i, k in enumerate(style_layers)]) / len(style_layers)
            tv = tf.reshape(own["total_variation"](image), ())
            terms = {"content": coefficients[0] * content, "style": coefficients[1] * style,
                     "tv": coefficients[2] * tv}
            total = terms["content"] + terms["style"] + terms["tv"]
        return total, terms, tape.gradient(total, image)

    _COMPILED[key] = loss_and_grad
    return loss_and_grad
