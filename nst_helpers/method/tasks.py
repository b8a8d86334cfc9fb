"""The three things the notebooks do: style transfer, and the two reconstructions of Gatys et al.

Each function checks its arguments once (:mod:`nst_helpers.method.arguments`), loads and checks the
pictures, builds the loss (:class:`~nst_helpers.method.losses.Objective`) and hands it to the engine
(:mod:`nst_helpers.method.engine`), once per coarse-to-fine stage. Every one returns a :class:`Result`
at the content's size, also when interrupted (Ctrl-C) at any moment.
"""

import time

import numpy as np

from .. import images
from ..errors import ArgumentError
from ..language import N_, shown
from ..machine import config
from ..machine._tf import tf
from . import arguments, colour, defaults, engine, features
from . import losses as loss_terms  # `losses` is also transfer's argument
from . import precision as precision_choice  # `precision` is also transfer's argument
from .defaults import ADAM_RECIPE, DEFAULT_STEPS, FAST_STEPS, INITS, OPTIMIZERS
from .engine import Result
from .losses import Objective

__all__ = ["Result", "transfer", "reconstruct_content", "reconstruct_style", "initial_image",
           "OPTIMIZERS", "INITS", "ADAM_RECIPE", "DEFAULT_STEPS", "FAST_STEPS"]


def transfer(content, style, *, content_layers=None, style_layers=None, style_layer_weights=None,
             content_weight=None, style_weight=None, tv_weight=None, steps=None, optimizer=None,
             init=None, seed=0, size=None, scales=None, scale_steps=None, callback=None, every=10,
             progress=True, weights="imagenet", precision="auto", style_blend=None, masks=None,
             preserve_colour=None, recipe="tutorial", losses=None, min_progress=None,
             max_seconds=None, basis=None, rescaled=None):
    """Neural style transfer (Gatys et al.): an image with ``content``'s layout in ``style``'s style.

    Args:
        content: ``[1, H, W, 3]`` float32 in [0, 1], or anything :func:`load_image` takes.
        style: the same, or a list of them (several paintings: see ``style_blend`` and ``masks``).
        content_layers, style_layers: VGG19 layer names (defaults: ``block5_conv2`` and
            ``block1_conv1 … block5_conv1``).
        style_layer_weights: optional ``{layer: weight}``, or ``"balanced"`` (every layer's term
            divided by its target Gram matrix's mean square, rescaled so the total keeps the
            tutorial's scale: see :class:`~nst_helpers.method.losses.Objective`).
        content_weight, style_weight, tv_weight: α, β and γ of the TensorFlow tutorial (1e4,
            1e-2, 30 by default; see :mod:`nst_helpers.method.losses` for the normalisation).
        steps: L-BFGS iterations or Adam steps (default 100 / 500; 10 / 20 in fast mode): the
            most the run takes.
        optimizer: ``"lbfgs"`` (default: SciPy's L-BFGS-B on ``clip(x, 0, 1)``, see
            :func:`nst_helpers.method.optimizers.lbfgs`) or ``"adam"`` (the tutorial's recipe: lr 0.02,
            β₁ 0.99, ε 0.1, clipped).
        basis: what L-BFGS optimises: ``"pyramid"`` (default for L-BFGS: a Laplacian pyramid of
            the image, which reaches the recipe's losses in fewer evaluations, measured:
            docs/performance.md) or ``"pixels"``; Adam works on the pixels.
        min_progress, max_seconds: stopping rules that can end the run sooner, per stage: see
            :func:`nst_helpers.method.engine.run` (e.g. ``min_progress=(0.01, 10)``: stop once 10 steps
            lowered the loss by less than 1 %).
        init: ``"colour"`` (default: the content with the style's colour mean and covariance,
            which reaches a given loss sooner than ``"content"``, measured: docs/performance.md;
            with several styles, the content itself), ``"content"`` (the TensorFlow tutorial's
            start), ``"noise"`` or an image. ``seed`` makes noise repeatable.
        size: longest side in pixels for the content (the style keeps its aspect ratio).
        scales: coarse-to-fine, e.g. ``(0.5, 1.0)``: optimise at half size first, upsample, refine.
            Steps are split evenly between scales unless ``scale_steps`` gives them per scale.
        precision: the network's compute precision: ``"auto"`` (the faster of float32 and
            bfloat16 on a CPU with native bf16, of float32 and float16 on a GPU, measured at this
            size: see :func:`~nst_helpers.method.precision.choose`; float32 on other CPUs), ``"float32"``,
            ``"bfloat16"`` or ``"float16"``. Losses and the image stay float32; bf16 losses come
            out slightly below float32 ones (measured: docs/performance.md).
            ``settings["precision_reason"]`` says what was chosen and why.
        style_blend: with several styles, one weight each (normalised to sum 1; default equal):
            the style term is the weighted sum of each painting's style loss. ``[1, 0]`` is
            exactly the transfer of the first painting alone.
        masks: with several styles, one ``[H, W]`` mask in [0, 1] per style, at the content's
            aspect ratio (any size: resized with the image): painting k is matched only inside
            mask k (Gatys et al. 2017, guided Gram matrices).
        preserve_colour: ``None``, ``"luminance"`` (transfer on the luminance Y only, then put the
            photo's chrominance back) or ``"histogram"`` (recolour the painting to the photo's
            colour mean and covariance first); see :mod:`nst_helpers.method.colour`.
        rescaled: ``True`` runs Gatys et al.'s rescaled VGG19 (every filter's mean activation 1,
            so layers are comparable; :mod:`nst_helpers.method.rescaling`); default ``False``, Keras'
            network as in the TensorFlow tutorial. The tutorial's weights α, β were chosen for
            the raw network: on the rescaled one the style term is far smaller.
        recipe: ``"tutorial"`` (the TensorFlow tutorial's choices, the defaults above) or
            ``"gatys2016"`` (the paper's: the rescaled network, average pooling, ``conv4_2``
            content, its normalisation, α = 1, β = 1e3, γ = 0, L-BFGS on the pixels from white
            noise; see :data:`nst_helpers.method.defaults.RECIPES`).
            The recipe fills the arguments you leave out; any you give win
            (``recipe="gatys2016", init="content"`` starts from the photo). A combination that
            cannot work (the paper's normalisation with two content layers) is an ArgumentError.
        losses: your own loss functions in place of the package's (see
            :class:`~nst_helpers.method.losses.Objective`), e.g. the notebooks' exercises.
        callback: ``callback(step, image, terms)`` every ``every`` steps; return True to stop.
        weights: VGG19 weights, see :func:`~nst_helpers.method.features.vgg19`.

    Returns a :class:`Result` at the content's size, also when interrupted (Ctrl-C) at any
    moment after the images are loaded; ``result.settings`` says what produced it and
    ``result.stop_reason`` why it ended.
    """
    # Every argument that needs no picture is checked here, before any picture is loaded or any
    # work (such as timing precision="auto") starts; masks need the content's shape, checked after.
    r = arguments.resolve_recipe(recipe, dict(
        content_layers=content_layers, style_layers=style_layers, content_weight=content_weight,
        style_weight=style_weight, tv_weight=tv_weight, init=init, optimizer=optimizer,
        basis=basis, rescaled=rescaled))
    arguments.check_choice(preserve_colour, "preserve_colour", defaults.PRESERVE_COLOUR)
    optimizer = arguments.check_optimizer(r["optimizer"])
    content_layers = features.canonical_layers(r["content_layers"])
    style_layers = features.canonical_layers(r["style_layers"])
    arguments.check_normalisation(recipe, r["normalisation"], content_layers)
    init = arguments.check_init(r["init"])
    scales, scale_steps = arguments.check_steps_split(steps, scales, scale_steps)
    steps = sum(scale_steps) if scale_steps else _steps(steps, optimizer)
    min_progress, max_seconds = arguments.check_stopping(min_progress, max_seconds)
    basis = arguments.check_basis(defaults.DEFAULT_BASIS[optimizer] if r["basis"] is None else r["basis"], optimizer)
    rescaled = arguments.check_flag(r["rescaled"], "rescaled")
    size = arguments.check_size(size)
    arguments.check_precision(precision)
    several = isinstance(style, (list, tuple))
    style = list(style) if several else [style]
    if not style:
        raise ArgumentError("at least one style image is needed")
    loss_terms.check_arguments(style_layers, style_layer_weights, style_blend, len(style), losses)

    content = images.prepare(content, size, "content")
    styles = [images.prepare(s, size, f"style {i + 1}" if several else "style") for i, s in enumerate(style)]
    masks = _check_masks(masks, len(styles), content) if masks is not None else None
    photo = content
    if preserve_colour == "histogram":
        styles = [images.match_colours(s, content) for s in styles]
    elif preserve_colour == "luminance":
        styles = [tf.constant(colour.match_luminance(s, content)) for s in styles]
        content = tf.constant(colour.luminance(content))
    precision, reason = _choose_precision(precision, content.shape[1:3])
    settings = arguments.Settings(
        kind="transfer", steps=steps, optimizer=optimizer, basis=basis, min_progress=min_progress,
        max_seconds=max_seconds, init=init if isinstance(init, str) else "image", seed=seed,
        size=max(int(d) for d in content.shape[1:3]), precision=precision, precision_reason=reason,
        rescaled=rescaled, scales=scales, stage_steps=scale_steps or _split(steps, len(scales or (1.0,))),
        recipe=recipe, content_layers=content_layers, style_layers=style_layers,
        style_layer_weights=(style_layer_weights if isinstance(style_layer_weights, str)
                             else dict(style_layer_weights or {})),
        content_weight=r["content_weight"], style_weight=r["style_weight"], tv_weight=r["tv_weight"],
        styles=len(styles), style_blend=style_blend, masks=masks is not None,
        preserve_colour=preserve_colour)
    loss_kwargs = dict(content_layers=content_layers, style_layers=style_layers,
                       content_weight=r["content_weight"], style_weight=r["style_weight"],
                       tv_weight=r["tv_weight"], style_layer_weights=style_layer_weights,
                       weights=weights, precision=precision, style_blend=style_blend,
                       pooling=r["pooling"], normalisation=r["normalisation"], losses=losses,
                       rescaled=rescaled)
    result = _stages(content, styles, loss_kwargs, settings, init, callback, every, progress,
                     N_("transfer"), masks=masks)
    if preserve_colour == "luminance":
        result.luminance = result.image
        result.image = tf.constant(colour.with_luminance(photo, result.image))
    return result


def reconstruct_content(image, layer, *, steps=None, optimizer="lbfgs", init="noise", seed=0,
                        size=None, callback=None, every=10, progress=True, weights="imagenet",
                        precision="float32", rescaled=False, basis=None):
    """Find an image whose ``layer`` activations match those of ``image`` (Gatys et al. Fig. 1).

    Starts from seeded white noise as Gatys et al.'s code makes it (``init="noise"``: the mean
    colour plus faint noise; ``init="uniform"`` shows why: full-range noise that the first
    layers barely see stays in the picture). L-BFGS works on a Laplacian pyramid by default
    (``basis``, as in :func:`transfer`), which reaches a given loss in fewer steps than on the
    pixels. No style or total-variation term, so what survives is exactly what the layer keeps. float32 by default: bfloat16's rounding visibly limits how
    exactly a shallow layer can be inverted, which is the point of this experiment.
    ``rescaled`` as in :func:`transfer` (a content-only loss ends at the same picture either
    way, up to the optimiser's path: a per-filter scale weights each filter's error differently).
    Returns a :class:`Result`.
    """
    optimizer, rescaled, basis, steps, init, size = _checked(optimizer, rescaled, basis, steps, init, size, precision)
    layer = features.canonical_layer(layer)
    image = images.prepare(image, size, "image")
    precision, reason = _choose_precision(precision, image.shape[1:3])
    settings = arguments.Settings(
        kind="content", steps=steps, optimizer=optimizer, basis=basis, init=init if isinstance(init, str) else "image",
        seed=seed, size=max(int(d) for d in image.shape[1:3]), precision=precision,
        precision_reason=reason, rescaled=rescaled, stage_steps=(steps,), layer=layer)
    loss_kwargs = dict(content_layers=(layer,), content_weight=1.0, style_weight=0.0,
                       tv_weight=0.0, weights=weights, precision=precision, rescaled=rescaled)
    return _stages(image, None, loss_kwargs, settings, init, callback, every, progress,
                   N_("content {layer}").format(layer=layer))


def reconstruct_style(image, layers, *, steps=None, optimizer="lbfgs", init="noise", seed=0,
                      size=None, shape=None, callback=None, every=10, progress=True,
                      weights="imagenet", precision="float32", style_layer_weights=None,
                      rescaled=False, basis=None):
    """Synthesise a texture whose Gram matrices on ``layers`` match those of ``image``.

    Starts from seeded white noise of ``shape`` (``[1, H, W, 3]``; default: the image's own
    size; ``init`` and ``basis`` as in :func:`reconstruct_content`). No content term, so the layout is lost and only the style survives.
    ``style_layer_weights`` as in :func:`transfer` (``"balanced"`` included). ``rescaled=True``:
    Gatys et al.'s rescaled VGG19, on which equal layer weights give every layer a comparable
    say (on the raw network the deepest layer's term dominates). Returns a :class:`Result`.
    """
    optimizer, rescaled, basis, steps, init, size = _checked(optimizer, rescaled, basis, steps, init, size, precision)
    layers = features.canonical_layers(layers)
    loss_terms.check_arguments(layers, style_layer_weights, None, 1, None)
    image = images.prepare(image, size, "image")
    shape = tuple(int(d) for d in (shape if shape is not None else image.shape))
    if len(shape) != 4 or shape[0] != 1 or shape[3] != 3 or min(shape[1:3]) < 1:
        raise ArgumentError(f"shape must be [1, H, W, 3], not {shape!r}")
    precision, reason = _choose_precision(precision, shape[1:3])
    settings = arguments.Settings(
        kind="style", steps=steps, optimizer=optimizer, basis=basis, init=init if isinstance(init, str) else "image",
        seed=seed, size=max(int(d) for d in image.shape[1:3]), precision=precision,
        precision_reason=reason, rescaled=rescaled, stage_steps=(steps,), layers=layers,
        style_layer_weights=style_layer_weights)
    loss_kwargs = dict(style_layers=layers, style_weight=1.0, tv_weight=0.0, weights=weights,
                       precision=precision, style_layer_weights=style_layer_weights,
                       rescaled=rescaled)
    return _stages(None, [image], loss_kwargs, settings, init, callback, every, progress,
                   N_("style ×{n}").format(n=len(layers)), full_size=shape[1:3])


def _checked(optimizer, rescaled, basis, steps, init, size, precision):
    """The arguments both reconstructions share, checked (each check's error says the fix):
    ``(optimizer, rescaled, basis, steps, init, size)`` with the defaults filled in."""
    optimizer = arguments.check_optimizer(optimizer)
    basis = arguments.check_basis(defaults.DEFAULT_BASIS[optimizer] if basis is None else basis, optimizer)
    arguments.check_precision(precision)
    return (optimizer, arguments.check_flag(rescaled, "rescaled"), basis, _steps(steps, optimizer),
            arguments.check_init(init), arguments.check_size(size))


def initial_image(init, content, seed=0, shape=None, style=None):
    """The starting image, ``[1, H, W, 3]`` float32 in [0, 1]: ``"colour"`` (the content with the
    style's colour statistics, see :func:`~nst_helpers.images.match_colours`), ``"content"``,
    ``"noise"`` (Gatys et al.'s white noise: the ImageNet mean colour plus Gaussian noise of
    standard deviation :data:`~nst_helpers.method.defaults.NOISE_STD`, seeded), ``"uniform"`` (uniform
    noise over [0, 1], seeded) or a ``[1, H, W, 3]`` image."""
    init = arguments.check_init(init)
    if isinstance(init, str):
        if init in ("content", "colour") and content is None:
            raise ArgumentError(f"init={init!r} needs a content image")
        if init == "content" or (init == "colour" and style is None):
            return tf.identity(content)
        if init == "colour":
            return images.match_colours(content, style)
        shape = shape if shape is not None else content.shape
        rng = np.random.default_rng(seed)
        if init == "uniform":
            return tf.constant(rng.uniform(0.0, 1.0, size=shape).astype(np.float32))
        mean = np.array(features.VGG_MEAN_BGR[::-1]) / 255.0
        noise = mean + rng.normal(0.0, defaults.NOISE_STD, size=shape)
        return tf.constant(np.clip(noise, 0.0, 1.0).astype(np.float32))
    return images.check_image(init, "the start image (init)")


# ---- coarse to fine: one engine run per stage ------------------------------------------------


def _stages(content, styles, loss_kwargs, settings, init, callback, every, progress, desc,
            masks=None, full_size=None):
    """One engine run per scale of ``settings.scales`` (``settings.stage_steps`` steps each).

    ``styles`` is a list of pictures (or None); ``masks`` one ``[H, W]`` array per style at the
    content's size, resized with the image at every stage; ``full_size`` the result's
    ``(H, W)`` (default: the content's, else the first style's)."""
    scales = settings.scales or (1.0,)
    reference = content if content is not None else styles[0]
    full_h, full_w = (int(d) for d in (full_size or reference.shape[1:3]))
    image = None
    results = []
    t0 = time.perf_counter()
    try:
        for scale, steps in zip(scales, settings.stage_steps):
            h, w = _scaled(full_h, scale), _scaled(full_w, scale)
            c = images.resize(content, h, w) if content is not None and scale != 1.0 else content
            s = None if styles is None else [
                images.resize(st, _scaled(st.shape[1], scale), _scaled(st.shape[2], scale))
                if scale != 1.0 else st for st in styles]
            stage_masks = None if masks is None else [
                tf.image.resize(m[None, :, :, None], (h, w), method="area")[0, :, :, 0] for m in masks]
            if image is None:
                start = initial_image(init, c, settings.seed, shape=(1, h, w, 3),
                                      style=s[0] if s is not None and len(s) == 1 else None)
                if tuple(start.shape[1:3]) != (h, w):
                    start = images.resize(start, h, w)
            else:
                start = images.resize(image, h, w)
            image = start  # what an interruption before this stage's first step returns
            objective = Objective(c, s, style_masks=stage_masks, **loss_kwargs)
            label = desc if len(scales) == 1 else f"{shown(desc)} {w}×{h}"
            result = engine.run_checked(objective, start, settings, steps=steps, callback=callback,
                                        every=every, progress=progress, desc=label)
            results.append(result)
            image = result.image
            if result.interrupted:
                break
    except KeyboardInterrupt:
        # Between stages or while a stage was being set up (targets, tracing): keep what exists.
        start = image if image is not None else reference
        results.append(engine.empty_result(start, time.perf_counter() - t0, settings,
                                           results[-1].weights if results else ""))
    return _joined(results, (full_h, full_w))


def _scaled(side, scale):
    return max(images.MIN_SIDE, round(int(side) * scale))


def _split(steps, n):
    """``steps`` split over ``n`` stages as evenly as possible (at least 1 each)."""
    return tuple(max(1, steps // n + (1 if i < steps % n else 0)) for i in range(n))


def _joined(results, full_size):
    """One Result from the stages' results, its image always at ``full_size`` (an interrupted
    coarse stage is upsampled, so a stopped run never hands back a half-size picture)."""
    last = results[-1]
    image = last.image
    if tuple(int(d) for d in image.shape[1:3]) != tuple(full_size):
        image = images.resize(image, *full_size)
    if len(results) == 1:
        last.image = image
        return last
    history = {k: [] for k in last.history}
    times, stages, offset = [], [], 0.0
    for r in results:
        stages.append((*r.stages[0][:2], len(times)))
        for k in history:
            history[k].extend(r.history[k])
        times.extend(t + offset for t in r.times)
        offset += r.seconds
    return Result(image=image, history=history, times=times, steps=sum(r.steps for r in results),
                  evaluations=sum(r.evaluations for r in results), seconds=offset,
                  interrupted=last.interrupted, settings=last.settings, weights=last.weights,
                  stages=stages, stop_reason=last.stop_reason)


# ---- inputs ----------------------------------------------------------------------------------


def _choose_precision(precision, size):
    """``(precision, reason)`` for a run at ``size`` ``(H, W)``: the one place where ``"auto"``
    is resolved, because only here is the image size known."""
    return precision_choice.choose(precision, tuple(int(d) for d in size))


def _steps(steps, optimizer):
    """``steps``, or the optimiser's default (smaller in fast mode), checked."""
    return arguments.check_steps(arguments.default_steps(optimizer, config.fast_mode())
                                 if steps is None else steps)


def _check_masks(masks, n_styles, content):
    """Masks as ``[H, W]`` float32 arrays at the content's size, after checking every one."""
    _, height, width, _ = (int(d) for d in content.shape)
    masks = list(masks) if isinstance(masks, (list, tuple)) else [masks]
    if len(masks) != n_styles:
        raise ArgumentError(f"masks: {len(masks)} given for {n_styles} style(s); give one mask per style")
    out = []
    for i, mask in enumerate(masks, 1):
        m = np.asarray(mask, np.float32)
        if m.ndim == 3 and m.shape[-1] == 1:
            m = m[..., 0]
        if m.ndim != 2:
            raise ArgumentError(f"mask {i} has shape {m.shape}; masks are [H, W] arrays of weights in [0, 1]")
        h, w = m.shape
        if abs(h * width - w * height) > max(h, w, height, width):
            raise ArgumentError(f"mask {i} is {w}×{h} but the content is {width}×{height}: a mask "
                                "must have the content's aspect ratio (any size)")
        if not np.isfinite(m).all() or m.min() < 0 or m.max() > 1:
            raise ArgumentError(f"mask {i} has values outside [0, 1] (from {np.nanmin(m):.3g} to "
                                f"{np.nanmax(m):.3g}); masks are weights in [0, 1]")
        if m.max() == 0:
            raise ArgumentError(f"mask {i} is zero everywhere: style {i} would have nowhere to go; give every "
                                "painting a region (two paintings: masks=[m, 1 - m] with m neither all 1 nor all 0)")
        if m.mean() < 1e-3:  # e.g. the tail of a soft edge placed at the picture's border
            raise ArgumentError(f"mask {i} covers {m.mean():.2g} of the picture: style {i} would be matched on a "
                                "sliver (the deep layers see the mask at 1/16 of the size); give it a larger "
                                "region, e.g. move the mask's edge towards the middle")
        if (h, w) != (height, width):
            m = tf.image.resize(m[None, :, :, None], (height, width), method="area").numpy()[0, :, :, 0]
        out.append(m)
    return out
