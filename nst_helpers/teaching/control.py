"""Notebook 6's experiments, controlling style transfer: colours, blends, masks, the scale of each
painting, the paper's recipe step by step, and the feed-forward network the field moved to.

Like :mod:`~nst_helpers.teaching.experiments`, each figure function returns ``(label, Result)``
pairs in display order for :func:`~nst_helpers.teaching.experiments.show`.
"""

from ..errors import ArgumentError
from ..language import N_, t
from ..method import defaults, features, tasks
from . import plotting


def colour_comparison(content, style, **kwargs):
    """The plain transfer beside both ways of keeping the photo's colours (Gatys et al. 2016)."""
    return [(label, tasks.transfer(content, style, preserve_colour=mode, **kwargs))
            for label, mode in ((N_("painting's colours"), None), ("luminance only", "luminance"),
                                (N_("colours matched first"), "histogram"))]


def blend_strip(content, style_a, style_b, blends=(1.0, 0.75, 0.5, 0.25, 0.0), **kwargs):
    """Transfers with blend weights ``b`` for ``style_a`` and ``1 − b`` for ``style_b``."""
    return [(f"{b:.2g} / {1 - b:.2g}", tasks.transfer(content, [style_a, style_b],
                                                          style_blend=[b, 1.0 - b], **kwargs))
            for b in blends]


#: 6.4's steps from the TensorFlow tutorial's loss to Gatys et al.'s 2016 recipe, one change per
#: panel where ``transfer`` can make it: (label, ``transfer`` arguments). Every run is L-BFGS on the
#: pixels (the paper's optimiser; the tutorial's own Adam loop is notebook 4's), from the photo
#: until the last step. ``transfer`` has no pooling argument (pooling comes only with a recipe), so
#: average pooling arrives together with the paper's layers, normalisation and weights.
RECIPE_STEPS = (
    (N_("tutorial's loss (L-BFGS, from the photo)"), dict(recipe="tutorial", init="content", basis="pixels")),
    (N_("+ rescaled network"), dict(recipe="tutorial", init="content", basis="pixels", rescaled=True)),
    (N_("+ paper's loss, layers, weights, avg pooling"), dict(recipe="gatys2016", init="content")),
    (N_("+ start from noise: paper's recipe"), dict(recipe="gatys2016")),
)


def recipe_comparison(content, style, steps_from=RECIPE_STEPS, **kwargs):
    """From the TensorFlow tutorial's loss to Gatys et al.'s 2016 recipe, one change per panel
    (:data:`RECIPE_STEPS`): the rescaled network; the paper's normalisation, layers and weights with
    average pooling (``recipe="gatys2016"`` from the photo); then its start from white noise (the
    paper's whole recipe). Same size and steps for all; what the steps set is not taken from
    ``kwargs``."""
    for key in ("init", "recipe", "basis", "rescaled"):
        kwargs.pop(key, None)
    return [(label, tasks.transfer(content, style, **extra, **kwargs)) for label, extra in steps_from]


def descent_probe(content, style, moves=(1e-4, 1e-3, 1e-2), recipe="gatys2016"):
    """A recipe's weighted loss terms at the photo and along its steepest-descent direction.

    The photo moves by ``step × (−gradient ÷ its root mean square)``, clipped to [0, 1], for each
    ``step`` in ``moves`` (so ``step`` is the root-mean-square change per pixel value before the
    clip). Returns one dict per point (the photo first): ``step``, ``content``, ``style``, ``tv``,
    ``total``. Shows how little a picture near the photo gains over the photo itself: for §6.4's
    third panel, whose L-BFGS run barely moves from the photo."""
    import numpy as np

    from ..machine._tf import tf
    from ..method import defaults
    from ..method.losses import Objective

    keys = ("content_layers", "style_layers", "content_weight", "style_weight", "tv_weight", "pooling",
            "normalisation", "rescaled")
    settings = defaults.RECIPES[recipe]
    objective = Objective(content, style, **{k: settings[k] for k in keys})
    photo = np.asarray(content, np.float32)
    _, terms, grad = objective.value_and_grad(tf.constant(photo))
    grad = np.asarray(grad, np.float64)
    direction = -grad / np.sqrt(np.mean(np.square(grad)))
    rows = []
    for step in (0.0,) + tuple(moves):
        image = np.clip(photo + step * direction, 0.0, 1.0).astype(np.float32)
        terms = objective.terms(tf.constant(image))
        rows.append({"step": step, **{k: float(v) for k, v in terms.items()}})
    return rows


def sky_mask(image, softness=0.04, analysis_size=256):
    """A soft top/bottom mask ``[H, W]`` in [0, 1] for a photo with sky above: 1 above the horizon.

    The horizon is the row where the picture's blueness (B − (R+G)/2, averaged per row) falls
    most steeply, found on a copy resized to ``analysis_size`` px on its longer side, so that
    the edge sits at nearly the same fraction of the height whatever size the picture is used
    at (the bundled bridge: 70–71 % from 96 to 512 px, but 51 % at 64 px, whose 47 rows are
    enlarged for the search; found on the picture itself, it moved with the size: on the bundled
    bridge photo it cut across the bridge deck at 160 px and sat at the waterline at 256 px).
    ``softness`` is the blend width as a fraction of the height (0: a hard edge, one row).
    """
    import numpy as np

    from ..machine._tf import tf

    arr = np.asarray(image, np.float32)
    h, w = arr.shape[1:3]
    scale = analysis_size / max(h, w)
    small = tf.image.resize(arr, (max(1, round(h * scale)), max(1, round(w * scale))),
                            method="bilinear", antialias=True).numpy()[0].astype(np.float64)
    blue = (small[..., 2] - small[..., :2].mean(-1)).mean(1) + small.mean((1, 2))
    smooth = np.convolve(blue, np.ones(5) / 5, mode="same")
    n = len(smooth)
    lo, hi = int(0.15 * n), int(0.85 * n)
    edge = (lo + int(np.argmin(np.diff(smooth[lo:hi + 1]))) + 1) / n  # fraction of the height
    rows = (np.arange(h) + 0.5 - edge * h) / max(softness * h, 1e-6)
    column = 1.0 / (1.0 + np.exp(np.clip(rows, -50.0, 50.0)))
    return np.repeat(column[:, None], w, axis=1).astype(np.float32)


HUB_MODEL = "https://tfhub.dev/google/magenta/arbitrary-image-stylization-v1-256/2"


def hub_stylize(content, style, model=HUB_MODEL):
    """Ghiasi et al.'s arbitrary-style network from TensorFlow Hub on the same pair, timed.

    Needs ``tensorflow_hub`` and a network; otherwise prints one line saying which is missing
    and returns None (so a notebook runs offline). Returns ``(image, seconds)`` when it ran.
    """
    import time

    from ..machine import config

    if config.offline():
        print(t("TensorFlow Hub skipped: offline (NST_OFFLINE=1)."))
        return None
    try:
        import tensorflow_hub as hub
    except ImportError:
        print(t("TensorFlow Hub skipped: `pip install tensorflow-hub` to compare with a feed-forward network."))
        return None
    from ..machine._tf import tf

    try:
        module = hub.load(model)
    except Exception as exc:  # noqa: BLE001 - no network, a moved model: say so, keep going
        print(t("TensorFlow Hub skipped: could not load {model} ({kind}).", model=model, kind=type(exc).__name__))
        return None
    style_256 = tf.image.resize(style, (256, 256))
    module(tf.constant(content), style_256)  # the first call traces; time the second
    t0 = time.perf_counter()
    image = module(tf.constant(content), style_256)[0]
    seconds = time.perf_counter() - t0
    plotting.show_images([content, image], [N_("photo"), N_("feed-forward network: {ms} ms").format(ms=f"{seconds * 1000:.0f}")], width=5)
    return image, seconds


def scale_blend(coarse=0, fine_until="block2_conv1", style_layers=defaults.STYLE_LAYERS):
    """A per-layer ``style_blend`` for two paintings (Gatys et al. 2017, scale control): painting
    ``coarse`` (0 or 1) at the style layers deeper than ``fine_until``, the other painting at
    ``fine_until`` and the layers before it. ``nst.transfer(photo, [a, b],
    style_blend=scale_blend(0, "block2_conv1"))``: a's coarse structure with b's fine texture."""
    layers = features.canonical_layers(style_layers)
    fine_until = features.canonical_layer(fine_until)
    if coarse not in (0, 1):
        raise ArgumentError(f"coarse is the painting that gives the deep layers: 0 or 1, not {coarse!r}")
    if fine_until not in layers[:-1]:
        raise ArgumentError(f"fine_until must be one of {', '.join(layers[:-1])} (the last style layer "
                            f"would leave the coarse painting no layer), not {fine_until!r}")
    split = layers.index(fine_until) + 1
    coarse_w = (1.0, 0.0) if coarse == 0 else (0.0, 1.0)
    return {k: (coarse_w if i >= split else coarse_w[::-1]) for i, k in enumerate(layers)}


def edge_mask(shape, height=0.5, slant=0.0, softness=0.04):
    """A mask ``[H, W]`` in [0, 1] with 1 above a straight edge and 0 below it, for ``shape`` an
    image ``[1, H, W, 3]`` or ``(H, W)``: the edge crosses the picture's middle column at
    ``height`` (a fraction of the height from the top), dropping by ``slant`` × the height from the
    left border to the right one (negative: rising); ``softness`` is the width of its grey band as a
    fraction of the height (0: from 1 to 0 within one row), the same sigmoid as :func:`sky_mask`."""
    import numpy as np

    h, w = (shape.shape[1:3] if hasattr(shape, "shape") else shape)[:2]
    h, w = int(h), int(w)
    x = (np.arange(w) + 0.5) / w - 0.5
    edge = (height + slant * x) * h  # the edge's row in every column
    below = np.arange(h)[:, None] + 0.5 - edge[None, :]  # how far each row's centre is below it
    if softness <= 0:
        return (below < 0).astype(np.float32)  # exactly 0 and 1
    return (1.0 / (1.0 + np.exp(np.clip(below / (softness * h), -50.0, 50.0)))).astype(np.float32)


def mask_overlay(image, mask, colours=((1.0, 0.55, 0.0), (0.0, 0.55, 1.0))):
    """``image`` ``[1, H, W, 3]`` tinted by ``mask`` ``[H, W]``: orange where it is 1 (the first
    painting's region), blue where it is 0 (the second's); ``[H, W, 3]`` in [0, 1]."""
    import numpy as np

    picture = np.asarray(image, np.float32)[0]
    m = np.asarray(mask, np.float32)[..., None]
    tint = m * np.asarray(colours[0], np.float32) + (1.0 - m) * np.asarray(colours[1], np.float32)
    return np.clip(0.6 * picture + 0.4 * tint, 0.0, 1.0)


def scale_comparison(content, style_a, style_b, fine_until="block2_conv1", names=("painting A", "painting B"),
                     **kwargs):
    """Scale control (Gatys et al. 2017) three ways: ``style_a`` coarse and ``style_b`` fine with the
    layers' equal weights (the tutorial's), the same with balanced layer weights, and the other way
    round (balanced). Each painting gives the style layers up to ``fine_until`` or the deeper ones
    (:func:`scale_blend`); ``kwargs`` go to :func:`~nst_helpers.method.tasks.transfer`."""
    a, b = names
    ab, ba = (N_("coarse: {coarse}, fine: {fine}").format(coarse=x, fine=y) for x, y in ((a, b), (b, a)))
    runs = [(ab + "\n" + N_("equal layer weights"), 0, None),
            (ab + "\n" + N_("balanced layer weights"), 0, "balanced"),
            (ba + "\n" + N_("balanced layer weights"), 1, "balanced")]
    return [(label, tasks.transfer(content, [style_a, style_b], style_blend=scale_blend(coarse, fine_until),
                                      style_layer_weights=weights, **kwargs))
            for label, coarse, weights in runs]
