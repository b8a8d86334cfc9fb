"""The series' experiments as functions, so notebooks and ``make gallery`` run the same code.

Each function returns a list of ``(label, Result)`` pairs in display order; pass them to
:func:`show` for a labelled side-by-side figure.
"""

from ..errors import ArgumentError
from ..language import N_, t
from ..method import defaults, features, tasks
from ..method.measures import roughness, roughness_parts  # noqa: F401 - the notebooks call experiments.roughness
from . import plotting

#: Gatys et al., Fig. 1: one layer per block, the second conv of each.
CONTENT_SERIES = ("block1_conv2", "block2_conv2", "block3_conv2", "block4_conv2", "block5_conv2")


def content_series(image, layers=CONTENT_SERIES, **kwargs):
    """Reconstruct ``image`` from white noise through each layer in turn (same seed, same steps)."""
    return [(layer, tasks.reconstruct_content(image, layer, **kwargs)) for layer in layers]


def style_series(image, depth=5, **kwargs):
    """Textures from ``block1_conv1``, then ``+block2_conv1``, … up to ``depth`` style layers."""
    out = []
    for n in range(1, depth + 1):
        layers = features.STYLE_LAYERS[:n]
        label = "conv1_1" if n == 1 else f"conv1_1 … conv{n}_1"
        out.append((label, tasks.reconstruct_style(image, layers, **kwargs)))
    return out


def content_layer_comparison(content, style, layers=("block5_conv2", "block2_conv1"), *, equal_scale=False,
                             **kwargs):
    """The same transfer with different content layers.

    ``equal_scale=False`` (default) gives every layer the same α. On the raw network that is not a
    fair comparison: a layer's content term is the mean square of its activations' difference, and
    the raw layers' activations differ by orders of magnitude (the targets' mean squares at the
    photo: ``block4_conv2`` ~5e5, ``block2_conv1`` ~3e4, ``block5_conv2`` ~8e3 for ``chelsea`` at
    160 px), so the same α pulls some layers far harder than others. ``equal_scale=True`` divides
    α for each layer by its target's mean square relative to ``layers[0]``'s
    (:func:`content_target_scales`): every layer's term then has the same size relative to its
    own activations, and the runs differ in *which* layer pins the photo, not in how hard. The
    labels give the factor applied to α.
    """
    scales = content_target_scales(content, layers, **kwargs) if equal_scale else [1.0] * len(layers)
    content_weight = kwargs.pop("content_weight", defaults.CONTENT_WEIGHT)
    out = []
    for layer, scale in zip(layers, scales):
        label = (N_("content {layer}, α × {scale}") if equal_scale and scale != 1.0
                 else N_("content {layer}")).format(layer=layer, scale=f"{scale:.3g}")
        out.append((label, tasks.transfer(content, style, content_layers=(layer,),
                                             content_weight=content_weight * scale, **kwargs)))
    return out


def content_target_scales(content, layers, *, size=None, rescaled=None, pooling=None, weights="imagenet",
                          recipe=None, **_ignored):
    """Per content layer, ``mean(P²)`` of ``layers[0]``'s target ÷ this layer's: the factor on α that
    gives each layer's content term the same size relative to its own activations.

    ``P`` is the layer's activations at the photo, at the size the transfer will use (``size``),
    in the same network (``rescaled``, ``pooling``)."""
    from .. import images
    from ..method import arguments

    # The network the transfer will run: the recipe's, with what was given on top.
    net = arguments.resolve_recipe(recipe or "tutorial", {"rescaled": rescaled, "pooling": pooling})
    image = images.fit(content, size) if size else content
    extract = features.FeatureExtractor(tuple(layers), weights, pooling=net["pooling"],
                                        rescaled=bool(net["rescaled"]))
    acts = extract(image)
    ms = [float((acts[layer].numpy() ** 2).mean()) for layer in layers]
    return [ms[0] / max(m, 1e-30) for m in ms]


def style_depth_comparison(content, style, depths=(5, 4, 3), *, equal_start=True, **kwargs):
    """The same transfer with the first 5, 4 and 3 style layers.

    ``equal_start=True`` (default) scales β for each depth so that every run starts with the
    same style loss at its start image as the deepest one (``depths[0]``): the runs then differ
    in *which* layers pull, not in how hard the style pulls in total, and show what Gatys et
    al.'s arXiv 2015 Fig. 3 rows show (fewer layers, smaller-scale texture; notebook 5 shows it at
    ``style_weight=0.1`` with zoomed crops). ``equal_start=False`` keeps
    the tutorial's raw weights: with them one layer (usually ``conv4_1``) carries nearly the
    whole style loss, so dropping it cuts the style strength by orders of magnitude (measured:
    docs/performance.md, "Teaching experiments") and "fewer layers" looks like
    "less style" (what the seed project saw). Pass ``style_layer_weights="balanced"`` to balance
    the layers within each run as well. Labels say the factor applied to β.
    """
    balanced = kwargs.get("style_layer_weights") == "balanced"
    layer_sets = [features.STYLE_LAYERS[:n] for n in depths]
    scales = _equal_start_scales(content, style, layer_sets, **kwargs) if equal_start else [1.0] * len(depths)
    style_weight = kwargs.pop("style_weight", defaults.STYLE_WEIGHT)
    out = []
    for n, scale in zip(depths, scales):
        label = {(False, False): N_("style layers 1–{n}"), (True, False): N_("style layers 1–{n}, balanced"),
                 (False, True): N_("style layers 1–{n}, β × {scale}"),
                 (True, True): N_("style layers 1–{n}, balanced, β × {scale}")}[
            (balanced, equal_start and scale != 1.0)].format(n=n, scale=f"{scale:.3g}")
        out.append((label, tasks.transfer(content, style, style_layers=features.STYLE_LAYERS[:n],
                                             style_weight=style_weight * scale, **kwargs)))
    return out


def _equal_start_scales(content, style, layer_sets, **kwargs):
    """Per list of style layers, the factor on β that gives the same starting style loss as
    ``layer_sets[0]``'s.

    Each start loss is the first style term of a one-step :func:`~nst_helpers.transfer` with the
    same arguments (recipe, precision, preserve_colour, losses, masks, init, size…): the loss
    is measured exactly as the runs will meet it, not by a re-implementation of transfer's setup."""
    probe = {**kwargs, "steps": 1, "progress": False, "callback": None}
    probe.pop("scale_steps", None)
    if probe.get("scales"):
        probe["scale_steps"] = (1,) * len(probe["scales"])
        probe["steps"] = len(probe["scales"])
    for lever in ("min_progress", "max_seconds", "save_every", "save_dir"):
        probe.pop(lever, None)
    start_losses = [float(tasks.transfer(content, style, style_layers=list(layers),
                                            **probe).history["style"][0]) for layers in layer_sets]
    return [start_losses[0] / max(s, 1e-30) for s in start_losses]


def style_layer_shares(content, style, *, rescaled_network=False, **kwargs):
    """``{"tutorial weights": shares, "balanced": shares}`` (and ``"rescaled network": shares``, the
    tutorial's equal weights on Gatys et al.'s rescaled VGG19, with ``rescaled_network=True``): each
    style layer's share of the style loss and of its gradient at the photo (see
    :meth:`~nst_helpers.method.losses.Objective.style_layer_shares`)."""
    from ..method.losses import Objective

    runs = [(N_("tutorial weights"), None, False), ("balanced", "balanced", False)]
    if rescaled_network:
        runs.append((N_("rescaled network"), None, True))
    return {label: Objective(None, style, style_layer_weights=weights, **({"rescaled": True} if r else {}),
                             **kwargs).style_layer_shares(content)
            for label, weights, r in runs}


def shuffle_tiles(image, tile=16, seed=0):
    """``image`` ``[1, H, W, 3]`` cut into ``tile`` × ``tile`` squares that are put back in a seeded
    random order (the layout destroyed, every pixel kept). The image is first cropped to whole
    tiles (its top-left ``tile·⌊H/tile⌋ × tile·⌊W/tile⌋``); returns ``(shuffled, cropped)``, both
    float32 of that size, so the two can be compared position by position."""
    import numpy as np

    x = np.asarray(image, np.float32)
    if x.ndim != 4 or x.shape[0] != 1:
        raise ArgumentError(f"image must be [1, H, W, C], not {x.shape!r}")
    tile = int(tile)
    rows, cols = x.shape[1] // tile, x.shape[2] // tile
    if tile < 1 or rows < 1 or cols < 1:
        raise ArgumentError(f"tile={tile} does not fit an image of {x.shape[1]} × {x.shape[2]} pixels")
    cropped = x[:, :rows * tile, :cols * tile]
    tiles = cropped[0].reshape(rows, tile, cols, tile, -1).transpose(0, 2, 1, 3, 4).reshape(rows * cols, tile, tile, -1)
    order = np.random.default_rng(seed).permutation(rows * cols)
    shuffled = tiles[order].reshape(rows, cols, tile, tile, -1).transpose(0, 2, 1, 3, 4)
    return shuffled.reshape(cropped.shape), cropped


def gram_statistics(images_by_name, layers=defaults.STYLE_LAYERS, weights="imagenet"):
    """Per picture and style layer: the activations' mean, their fraction above zero, and the
    Gram matrix's mean square ``mean(G²)`` (the size of that layer's style term before weights).

    ``images_by_name``: ``{name: [1, H, W, 3] in [0, 1]}``. Returns ``{name: {layer: {"mean",
    "positive", "gram_ms"}}}``. Raw VGG19 activations differ by an order of magnitude between
    layers; ``G`` is quadratic in them and the squared error quadratic again, so ``mean(G²)``
    follows the 4th power of the activation scale (compare ``mean ** 4``): that, not sparsity,
    is why the tutorial-weighted style loss is nearly all one layer.
    """
    from ..method.losses import gram_matrix

    extract = features.extractor(tuple(layers), weights)
    out = {}
    for name, image in images_by_name.items():
        acts = extract(image)
        out[name] = {k: {"mean": float(acts[k].numpy().mean()),
                         "positive": float((acts[k].numpy() > 0).mean()),
                         "gram_ms": float((gram_matrix(acts[k]).numpy() ** 2).mean())} for k in layers}
    return out


def ratio_grid(content, style, ratios=(1e4, 1e6, 1e7, 1e8), content_weight=defaults.CONTENT_WEIGHT, **kwargs):
    """Transfers with content/style weight ratios α/β (Gatys et al. 2016, Fig. 4; arXiv 2015, Fig. 3); α stays fixed.

    The default ratios run from the painting (1e4) through the tutorial's own ratio (1e6, marked
    in its label) to nearly the photo (1e8); below 1e4 nothing changes any more, and 1e9 is the
    photo (measured: docs/performance.md, "Teaching experiments").
    Starts from the photo itself (``init="content"``) unless told otherwise, so that a large
    ratio visibly gives the photo back (the faster colour-matched start would keep the
    painting's colours even where the content term wins).
    """
    kwargs.setdefault("init", "content")
    tutorial = defaults.CONTENT_WEIGHT / defaults.STYLE_WEIGHT

    def label(ratio):
        return (N_("α/β = {ratio} (the tutorial's)") if abs(ratio / tutorial - 1) < 1e-9
                else N_("α/β = {ratio}")).format(ratio=f"{ratio:.0e}")

    return [(label(ratio), tasks.transfer(content, style, content_weight=content_weight,
                                             style_weight=content_weight / ratio, **kwargs))
            for ratio in ratios]


def tv_comparison(content, style, tv_weights=(0.0, 30.0, 3000.0), **kwargs):
    """The same transfer with total-variation weights γ = 0, 30 (the tutorial's) and 3000.

    Run it on the pixels (``basis="pixels"``): the default pyramid basis already removes most
    pixel-scale speckle, so γ would have nothing left to show. The speckle is not a property of
    shallow or deep layers: any style term strong enough to move the pixels leaves it (see
    :func:`speckle_test`). Look at it with
    :func:`~nst_helpers.teaching.plotting.detail` (zoomed crops, high-pass images): at display size the
    panels look alike.
    """
    return [(f"γ = {tv:g}", tasks.transfer(content, style, tv_weight=tv, **kwargs)) for tv in tv_weights]


def show(pairs, *, title=None, ncols=None, width=3.6, path=None):
    """Side-by-side figure of ``(label, Result or image)`` pairs; results say steps and seconds.
    The labels stay English in the pairs (notebooks print them); the figure shows them in the
    notebooks' language (``plotting.show_images`` translates each line)."""
    def caption(label, r):
        if not isinstance(r, tasks.Result):
            return label
        return f"{label}\n" + t("{steps} steps, {seconds} s", steps=r.steps, seconds=f"{r.seconds:.0f}")

    return plotting.show_images([r.image if isinstance(r, tasks.Result) else r for _, r in pairs],
                                [caption(label, r) for label, r in pairs], ncols=ncols, width=width,
                                suptitle=title, path=path)


def adam_run(content, style, *, steps, frames=6, size=None, **kwargs):
    """The TensorFlow tutorial's run: Adam on the pixels from the photo, with a film strip.

    Returns ``(frames, result)``: ``frames`` is ``[(step, image), …]``, the photo as step 0 and
    then ``frames - 1`` steps spread evenly up to ``steps`` (each labelled with its real step
    number), ready for :func:`~nst_helpers.teaching.plotting.film_strip`; ``result`` is the
    :class:`~nst_helpers.method.tasks.Result` (its ``history`` gives the per-term curves).
    Other keyword arguments go to :func:`~nst_helpers.method.tasks.transfer` (e.g. ``precision``).
    """
    import numpy as np

    from .. import images
    from ..machine._tf import tf

    keep = {int(s) for s in np.linspace(1, steps, max(1, frames - 1))}
    strip = [(0, images.prepare(content, size, "content"))]

    def collect(step, image, terms):
        if step in keep:
            strip.append((step, tf.identity(image)))

    kwargs.setdefault("init", "content")
    result = tasks.transfer(content, style, optimizer="adam", steps=steps, size=size, callback=collect,
                               every=1, **kwargs)
    return strip, result


def adam_vs_lbfgs(content, style, adam, *, size=None, **kwargs):
    """L-BFGS on the pixels from the same start, given the same number of loss evaluations as the
    Adam run ``adam`` (a Result, e.g. from :func:`adam_run`): a race of the two optimisers on one loss.

    L-BFGS gets as many steps as Adam took: Adam makes one evaluation per step, L-BFGS one plus
    the rare extra ones of its line search (``Result.evaluations`` counts them). The same budget
    of evaluations rather than of seconds, because seconds depend on what else the machine runs.
    Returns ``[("Adam", adam), ("L-BFGS", result)]`` for :func:`~nst_helpers.teaching.plotting.optimizer_race`;
    other keyword arguments go to :func:`~nst_helpers.method.tasks.transfer`.
    """
    kwargs.setdefault("init", "content")
    kwargs.setdefault("basis", "pixels")
    lbfgs = tasks.transfer(content, style, optimizer="lbfgs", steps=max(1, adam.steps), size=size, **kwargs)
    return [("Adam", adam), ("L-BFGS", lbfgs)]


def speckle_test(content, style, **kwargs):
    """Where the pixel speckle comes from: the same transfer without total variation (γ = 0) with
    ``conv4_1`` as the only style layer; with only ``conv1_1`` and ``conv2_1`` at the tutorial's
    weights; and with the same shallow pair with β scaled so that it starts with ``conv4_1``'s
    style loss (as :func:`style_depth_comparison` does). With the tutorial's weights the shallow
    pair carries a tiny share of the style loss, so the second run alone cannot tell *depth*
    from *strength*: the third can. Returns three ``(label, Result)`` pairs for
    :func:`~nst_helpers.teaching.plotting.detail`; run it on the pixels (``basis="pixels"``), where the
    speckle is not already smoothed away by the pyramid basis."""
    deep, shallow = ["block4_conv1"], list(features.STYLE_LAYERS[:2])
    kwargs = {**kwargs, "tv_weight": 0.0}
    _, scale = _equal_start_scales(content, style, [deep, shallow], **kwargs)
    style_weight = kwargs.pop("style_weight", defaults.STYLE_WEIGHT)
    runs = (("only conv4_1", deep, 1.0), ("only conv1_1 + conv2_1", shallow, 1.0),
            (N_("only {layers}, β × {scale}").format(layers="conv1_1 + conv2_1", scale=f"{scale:.3g}"), shallow, scale))
    return [(label, tasks.transfer(content, style, style_layers=layers, style_weight=style_weight * s,
                                      **kwargs))
            for label, layers, s in runs]


def tv_by_size(content, style, sizes=(128, 256, 512), **kwargs):
    """Why γ's strength depends on the picture's size: the loss terms at the photo (the start of
    every run in notebook 4) with ``content`` and ``style`` loaded at each of ``sizes`` (longest
    side, px). Content and style are means (over positions and channels, Gram matrices ÷ H·W);
    total variation is a **sum** over all neighbour pairs, so the same photo's TV grows about with
    its number of pixels while its :func:`roughness` (the same differences, averaged) does not.

    ``content``/``style``: anything :func:`~nst_helpers.images.load_image` accepts (a bundled
    name, a path) or ``[1, H, W, 3]`` pictures in [0, 1] large enough for the largest size (they
    are resized with :func:`~nst_helpers.images.fit`). Other keyword arguments (``style_weight``,
    ``tv_weight``, layers …) go to :class:`~nst_helpers.method.losses.Objective`. Returns one dict per
    size: ``size``, ``shape`` (H, W), ``pixels`` (H·W), ``tv`` (γ·TV, weighted), ``style``
    (β·style loss, weighted), ``share`` (``tv / (tv + style + content)``; content is 0 at the photo)
    and ``roughness``."""
    from .. import images
    from ..method.losses import Objective

    rows = []
    for size in sizes:
        photo, painting = (images.load_image(x, max_dim=size) if isinstance(x, str) else images.fit(x, size)
                           for x in (content, style))
        terms = {k: float(v) for k, v in Objective(photo, painting, **kwargs).terms(photo).items()}
        h, w = photo.shape[1:3]
        rows.append({"size": size, "shape": (h, w), "pixels": h * w, "tv": terms["tv"], "style": terms["style"],
                     "share": terms["tv"] / (terms["tv"] + terms["style"] + terms["content"]),
                     "roughness": roughness(photo)})
    return rows
