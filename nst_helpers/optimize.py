"""Optimising an image: L-BFGS (fast default) or the TensorFlow tutorial's Adam recipe.

The network is frozen; the pixels are the variables. Every run returns a :class:`Result`
with the image, the loss history per term, timings and why it ended. A progress bar shows the
loss; a callback sees the current image every ``every`` steps (for live previews). Ctrl-C
(Jupyter's interrupt) or a callback returning True ends the run early at any moment, even
before the first step, and still returns a :class:`Result` at the content's size: the best
image so far, or the start image when nothing better exists yet.
"""

import contextlib
import dataclasses
import inspect
import math
import time

import numpy as np

from . import colour, config, defaults, features, images
from . import precision as precision_choice
from ._tf import tf
from .defaults import ADAM_RECIPE, DEFAULT_STEPS, FAST_STEPS, INITS, OPTIMIZERS
from .errors import ArgumentError, LossNotFinite
from .losses import Objective

__all__ = ["Result", "transfer", "reconstruct_content", "reconstruct_style", "run",
           "initial_image", "OPTIMIZERS", "INITS", "ADAM_RECIPE", "DEFAULT_STEPS", "FAST_STEPS"]

#: Why a run ended (``Result.stop_reason``).
STOP_REASONS = {
    "steps": "all steps done",
    "converged": "converged (the loss stopped falling)",
    "line search": "L-BFGS's line search found no lower loss",
    "evaluations": "L-BFGS used up its evaluation budget",
    "interrupted": "interrupted (Ctrl-C)",
    "stopped": "stopped (Stop button or callback)",
    "progress": "the loss stopped falling fast enough (min_progress)",
    "time": "the time budget ran out (max_seconds)",
}


@dataclasses.dataclass
class Result:
    """The outcome of an optimisation.

    Attributes:
        image: ``[1, H, W, 3]`` float32 in [0, 1]: the lowest-loss image seen.
        history: ``{"total", "content", "style", "tv"}`` → list of weighted loss values, one per
            step (an L-BFGS iteration or an Adam step), starting with the initial image.
        times: seconds since the start, one per entry of ``history``.
        steps: steps taken; ``evaluations``: loss-and-gradient evaluations (L-BFGS's line search
            takes a few per step).
        seconds: wall time of the optimisation (targets and compilation excluded).
        interrupted: True when stopped early (Ctrl-C, Stop button, callback).
        stop_reason: why the run ended, a key of :data:`STOP_REASONS` (``"steps"``,
            ``"converged"``, ``"line search"``, ``"evaluations"``, ``"interrupted"``, ``"stopped"``).
        settings: the arguments that produced it.
        weights: where the VGG19 weights came from.
    """

    image: object
    history: dict
    times: list
    steps: int
    evaluations: int
    seconds: float
    interrupted: bool = False
    settings: dict = dataclasses.field(default_factory=dict)
    weights: str = ""
    #: ``[(height, width, first_index), …]``: where each coarse-to-fine stage starts in ``history``
    #: (losses of different stages are on different image sizes and are not comparable).
    stages: list = dataclasses.field(default_factory=list)
    stop_reason: str = "steps"
    #: With ``preserve_colour="luminance"``: the optimised grey picture, before the photo's
    #: colours were put back (``image`` is the coloured result).
    luminance: object = None

    @property
    def loss(self):
        """The lowest total loss reached (at the final size, for coarse-to-fine); NaN when the
        run was interrupted before its first evaluation finished."""
        start = self.stages[-1][2] if self.stages else 0
        values = self.history["total"][start:]
        return min(values) if values else math.nan

    @property
    def why(self):
        """Why the run ended, in words (naming the rule's numbers for "progress" and "time")."""
        rule = self.settings.get("min_progress")
        if self.stop_reason == "progress" and rule:
            return f"the last {rule[1]} steps lowered the loss by less than {rule[0]:.3g} of it (min_progress)"
        if self.stop_reason == "time" and self.settings.get("max_seconds"):
            return f"the time budget of {self.settings['max_seconds']:g} s ran out (max_seconds)"
        return STOP_REASONS.get(self.stop_reason, self.stop_reason)

    def __repr__(self):
        shape = "×".join(str(int(d)) for d in self.image.shape[1:3])
        loss = f"loss {self.loss:.4g}" if self.history["total"] else "no step finished"
        return (f"Result({shape} px, {self.steps} steps, {self.evaluations} evaluations, "
                f"{self.seconds:.1f} s, {loss}; {self.why})")


class _Stop(Exception):
    pass


class _Enough(Exception):
    """A stopping rule was met: not an interruption, the run is complete."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def _check_image(image, name):
    """``image`` as a float32 tensor after checking its values lie in [0, 1] (and are finite)."""
    image = tf.convert_to_tensor(image, tf.float32)
    lo, hi = float(tf.reduce_min(image)), float(tf.reduce_max(image))
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise images.ImageError(f"{name} contains NaN or infinite values")
    if lo < -1e-3 or hi > 1 + 1e-3:
        hint = " It looks like 0–255 values: divide by 255." if hi > 2 else ""
        raise images.ImageError(f"{name} has values from {lo:.4g} to {hi:.4g}; images here are "
                                f"floats in [0, 1].{hint}")
    return tf.clip_by_value(image, 0.0, 1.0)


def _noise(shape, seed):
    rng = np.random.default_rng(seed)
    return tf.constant(rng.uniform(0.0, 1.0, size=shape).astype(np.float32))


def initial_image(init, content, seed=0, shape=None, style=None):
    """The starting image: ``"colour"`` (the content with the style's colour statistics, see
    :func:`~nst_helpers.images.match_colours`), ``"content"``, ``"noise"`` (uniform, seeded) or a
    ``[1, H, W, 3]`` image."""
    if isinstance(init, str):
        if init in ("content", "colour") and content is None:
            raise ArgumentError(f"init={init!r} needs a content image")
        if init == "content" or (init == "colour" and style is None):
            return tf.identity(content)
        if init == "colour":
            return images.match_colours(content, style)
        if init == "noise":
            return _noise(shape if shape is not None else content.shape, seed)
        raise ArgumentError(f"init must be one of {INITS} or an image, not {init!r}")
    return _check_image(init, "the start image (init)")


def run(objective, init, *, steps, optimizer="lbfgs", callback=None, every=10, progress=True,
        desc=None, lbfgs_memory=20, lbfgs_bounded=False, basis=None, min_progress=None,
        max_seconds=None):
    """Minimise ``objective`` over the pixels of ``init`` (``[1, H, W, 3]`` in [0, 1]).

    ``callback(step, image, terms)`` runs every ``every`` steps and at the end; return True from
    it to stop. Ctrl-C at any moment ends the run and still returns a :class:`Result` (the start
    image when no evaluation finished). The progress bar ends with the reason the run stopped.

    ``basis`` (L-BFGS only): ``"pixels"`` (default: the pixels are the variables),
    ``"pyramid"`` (a Laplacian pyramid, see :mod:`nst_helpers.basis`) or a basis object.

    Besides ``steps`` (the most it takes), two rules can end a run: ``min_progress=(fraction,
    window)`` stops once the last ``window`` steps lowered the best loss by less than
    ``fraction`` of it (e.g. ``(0.01, 10)``: under 1 % in 10 steps), and ``max_seconds`` stops
    after that much optimisation time. ``Result.stop_reason`` says which rule ended it.
    """
    _check_run_args(steps, optimizer)
    min_progress = _check_progress(min_progress, max_seconds)
    init = _check_image(init, "the start image (init)")
    basis = _make_basis(basis, optimizer, init.shape)
    from tqdm.auto import tqdm

    state = _Tracker(objective, init, steps, callback, every,
                     tqdm(total=int(steps), desc=desc or optimizer, disable=not progress,
                          leave=True, dynamic_ncols=True), min_progress, max_seconds)
    try:
        state.stop_reason = (_lbfgs(state, lbfgs_memory, lbfgs_bounded, basis) if optimizer == "lbfgs"
                             else _adam(state))
    except KeyboardInterrupt:
        state.interrupted, state.stop_reason = True, "interrupted"
    except _Stop:
        state.interrupted, state.stop_reason = True, "stopped"
    except _Enough as rule:
        state.stop_reason = rule.reason
    finally:
        loss = f"loss {state.best[0]:.4g}, " if np.isfinite(state.best[0]) else ""
        state.bar.set_postfix_str(loss + STOP_REASONS.get(state.stop_reason, state.stop_reason),
                                  refresh=False)
        state.bar.close()
    state.finish()
    return state.result()


def _check_basis(basis, optimizer):
    """Refuse a basis name that does not exist or does not suit ``optimizer`` (objects pass)."""
    if not isinstance(basis, str):
        return
    if basis not in defaults.BASES:
        raise ArgumentError(f"basis must be one of {defaults.BASES}, not {basis!r}")
    if optimizer != "lbfgs" and basis != "pixels":
        raise ArgumentError(f"basis={basis!r} is for L-BFGS; Adam (the tutorial's recipe) works on the pixels")


def _make_basis(basis, optimizer, shape):
    """``basis`` as an object for images of ``shape`` (a name is checked, then built)."""
    from . import basis as bases

    _check_basis(basis, optimizer)
    return bases.make_basis(basis, shape) if isinstance(basis, str) else basis


def _check_progress(min_progress, max_seconds):
    if max_seconds is not None and not (isinstance(max_seconds, (int, float)) and max_seconds > 0):
        raise ArgumentError(f"max_seconds must be a positive number of seconds, not {max_seconds!r}")
    if min_progress is None:
        return None
    try:
        fraction, window = min_progress
        ok = 0 < float(fraction) < 1 and int(window) == window and window >= 1
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError("min_progress must be (fraction, window) with 0 < fraction < 1 and a "
                            f"whole window of at least 1 step, e.g. (0.01, 10); not {min_progress!r}")
    return float(fraction), int(window)


def _check_run_args(steps, optimizer):
    if optimizer not in OPTIMIZERS:
        raise ArgumentError(f"optimizer must be one of {OPTIMIZERS}, not {optimizer!r}")
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer, float)) \
            or int(steps) != steps or steps < 1:
        raise ArgumentError(f"steps must be a whole number of at least 1, not {steps!r}")


def progress_stalled(best, fraction, window):
    """The rule of ``min_progress=(fraction, window)``: True when the last ``window`` steps lowered
    the loss by less than ``fraction`` of it. ``best``: the best loss after each step so far, step
    0 (the start) first."""
    return len(best) > window and best[-1 - window] - best[-1] < fraction * best[-1]


class _Tracker:
    """Keeps the best image, the history and the timings, and runs the callback."""

    def __init__(self, objective, init, steps, callback, every, bar, min_progress=None,
                 max_seconds=None):
        self.objective, self.steps, self.callback, self.every, self.bar = (
            objective, int(steps), callback, max(1, int(every)), bar)
        self.min_progress, self.max_seconds = min_progress, max_seconds
        self.best_per_step = []
        self.shape = tuple(int(d) for d in init.shape)
        self.init = tf.convert_to_tensor(init, tf.float32)
        self.history = {k: [] for k in ("total", "content", "style", "tv")}
        self.times = []
        self.best = (np.inf, self.init)
        self.evaluations = 0
        self.step = 0
        self.interrupted = False
        self.stop_reason = "interrupted"  # until the optimiser says otherwise
        self.seconds = 0.0
        self.t0 = time.perf_counter()
        self.last_terms = None

    def evaluate(self, image):
        total, terms, grad = self.objective.value_and_grad(image)
        self.evaluations += 1
        total_f = float(total)
        if not np.isfinite(total_f):
            raise LossNotFinite("the loss became NaN or infinite; lower the learning rate "
                                "or the loss weights")
        self.last_terms = {"total": total_f, **{k: float(v) for k, v in terms.items()}}
        if total_f < self.best[0]:
            self.best = (total_f, image)
        return total_f, grad

    def record(self, image):
        """Log the accepted image of one step; run the callback every ``every`` steps."""
        for k, v in self.last_terms.items():
            self.history[k].append(v)
        self.times.append(time.perf_counter() - self.t0)
        step, self.step = self.step, self.step + 1
        if step > 0:
            self.bar.update(1)
            self.bar.set_postfix(loss=f"{self.last_terms['total']:.4g}", refresh=False)
        self.best_per_step.append(self.best[0])
        enough = self._rule_met(step)
        if self.callback is not None and step > 0 and (step % self.every == 0 or step == self.steps
                                                       or enough):
            if self.callback(step, image, dict(self.last_terms)):
                raise _Stop
        if enough:
            raise _Enough(enough)

    def _rule_met(self, step):
        """The stopping rule ("time" or "progress") that ends the run after this step, or None."""
        if step == 0 or step >= self.steps:
            return None
        if self.max_seconds is not None and self.times[-1] >= self.max_seconds:
            return "time"
        if self.min_progress is not None and progress_stalled(self.best_per_step, *self.min_progress):
            return "progress"
        return None

    def finish(self):
        self.seconds = time.perf_counter() - self.t0
        if self.callback is not None and self.interrupted and self.step > 0:
            try:
                self.callback(self.step - 1, self.best[1], dict(self.last_terms or {}))
            except (KeyboardInterrupt, _Stop):
                pass

    def result(self):
        image = tf.clip_by_value(tf.reshape(tf.cast(self.best[1], tf.float32), self.shape), 0.0, 1.0)
        return Result(image=image, history=self.history, times=self.times,
                      steps=max(0, self.step - 1), evaluations=self.evaluations,
                      seconds=self.seconds, interrupted=self.interrupted,
                      weights=self.objective.extractor.weights_source,
                      stages=[(self.shape[1], self.shape[2], 0)], stop_reason=self.stop_reason,
                      settings=dict(min_progress=self.min_progress, max_seconds=self.max_seconds))


def _lbfgs(state, memory, bounded, basis=None):
    """SciPy's L-BFGS-B on the pixels (or on the coefficients of ``basis``, see :mod:`.basis`).

    ``bounded=False`` (the default, measured faster): minimise ``f(clip(x, 0, 1))`` without
    box constraints. SciPy's bound handling (the generalised Cauchy point) costs about 35 ms
    per iteration for a 256 px image, 15 % of a bf16 evaluation on 2 cores; the clipped
    objective is the same function on the valid images and needs none of it. Its gradient is
    zero for a pixel pushed beyond a bound, exactly as the clip makes it.
    ``bounded=True``: classic L-BFGS-B with the bounds ``[0, 1]`` (pixels only).

    Returns the stop reason (a key of :data:`STOP_REASONS`) from SciPy's own status.
    """
    from scipy.optimize import Bounds, minimize

    from .basis import Pixels

    shape = state.shape
    basis = basis or Pixels(shape)
    if bounded and not isinstance(basis, Pixels):
        raise ArgumentError("lbfgs_bounded=True works on the pixels only")
    cache = {}

    def image_of(z):
        x = basis.decode(z)
        return x if bounded else tf.clip_by_value(x, 0.0, 1.0), x

    def fun(z):
        image, x = image_of(z)
        loss, grad = state.evaluate(image)
        cache["x"], cache["terms"], cache["image"] = z, dict(state.last_terms), image
        if not bounded:
            # The clip's own gradient: zero for a pixel beyond a bound.
            grad = tf.where((x < 0.0) | (x > 1.0), 0.0, grad)
        return loss, basis.pullback(grad)

    def iteration(intermediate_result):
        # scipy reports the accepted iterate; its terms are those of the last evaluation at x.
        z = intermediate_result.x
        if cache.get("x") is not z and not np.array_equal(cache.get("x"), z):
            fun(z)
        state.last_terms = cache["terms"]
        state.record(cache["image"])

    z0 = basis.encode(state.init.numpy())
    n = z0.size
    with single_threaded_blas():
        fun(z0)
        state.record(state.init)
        res = minimize(fun, z0, jac=True, method="L-BFGS-B",
                       bounds=Bounds(np.zeros(n), np.ones(n)) if bounded else None, callback=iteration,
                       options={"maxiter": state.steps, "maxfun": state.steps * 4, "maxcor": memory,
                                "ftol": 0.0, "gtol": 0.0})
    return _lbfgs_reason(res.status, str(res.message))


def single_threaded_blas():
    """A context in which NumPy's and SciPy's BLAS (OpenBLAS) run on one thread.

    L-BFGS-B's own arithmetic is a few vector operations per step, too small to gain from
    threads; but OpenBLAS's threads keep spinning for a while after each call, on the cores
    TensorFlow's next evaluation needs. Measured on the 2-core AMD EPYC, 256 px, 40 steps:
    311-326 ms a step with OpenBLAS's default threads, 271-278 ms with one (README, Performance);
    the iterates are the same. Uses threadpoolctl, which restores the previous limits on exit
    (also after Ctrl-C); without threadpoolctl installed, nothing changes but the speed.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _lbfgs_reason(status, message):
    """SciPy's L-BFGS-B (status, message) → a key of :data:`STOP_REASONS`."""
    message = message.upper()
    if status == 0:
        return "converged"
    if status == 1:
        return "evaluations" if "EVALUATIONS" in message else "steps"
    if "LNSRCH" in message or "ABNORMAL" in message or "LINE SEARCH" in message:
        return "line search"
    return message.lower() or "unknown"


def _adam(state, recipe=ADAM_RECIPE):
    lr, b1, b2, eps = (recipe[k] for k in ("learning_rate", "beta_1", "beta_2", "epsilon"))
    image = state.init
    m = tf.zeros_like(image)
    v = tf.zeros_like(image)
    loss, grad = state.evaluate(image)
    state.record(image)
    for t in range(1, state.steps + 1):
        image, m, v = _adam_update(image, grad, m, v, tf.constant(float(t)), lr, b1, b2, eps)
        loss, grad = state.evaluate(image)
        state.record(image)
    return "steps"


@tf.function(reduce_retracing=True)
def _adam_update(image, grad, m, v, t, lr, b1, b2, eps):
    # Keras' Adam, written out: bias-corrected step size, epsilon added to sqrt(v).
    m = b1 * m + (1.0 - b1) * grad
    v = b2 * v + (1.0 - b2) * tf.square(grad)
    alpha = lr * tf.sqrt(1.0 - tf.pow(b2, t)) / (1.0 - tf.pow(b1, t))
    image = tf.clip_by_value(image - alpha * m / (tf.sqrt(v) + eps), 0.0, 1.0)
    return image, m, v


# --------------------------------------------------------------------------------------
# The three things the notebooks do
# --------------------------------------------------------------------------------------


def _prepare(image, size, name):
    if isinstance(image, (str,)) or hasattr(image, "__fspath__"):
        return images.load_image(image, max_dim=size)
    image = tf.convert_to_tensor(image, tf.float32)
    if image.shape.rank == 3:
        image = image[None]
    if image.shape.rank != 4 or image.shape[0] != 1 or image.shape[-1] != 3:
        raise images.ImageError(f"{name} must be [1, H, W, 3] floats in [0, 1], got shape {image.shape}")
    image = _check_image(image, name)
    if size is not None and max(image.shape[1:3]) != size:
        image = images.fit(image, size)
    return image


def transfer(content, style, *, content_layers=features.CONTENT_LAYERS,
             style_layers=features.STYLE_LAYERS, style_layer_weights=None,
             content_weight=defaults.CONTENT_WEIGHT, style_weight=defaults.STYLE_WEIGHT,
             tv_weight=defaults.TV_WEIGHT, steps=None,
             optimizer="lbfgs", init="colour", seed=0, size=None, scales=None,
             scale_steps=None, callback=None, every=10, progress=True, weights="imagenet",
             precision="auto", style_blend=None, masks=None, preserve_colour=None,
             recipe="tutorial", losses=None, min_progress=None, max_seconds=None, basis=None):
    """Neural style transfer (Gatys et al.): an image with ``content``'s layout in ``style``'s style.

    Args:
        content: ``[1, H, W, 3]`` float32 in [0, 1], or anything :func:`load_image` takes.
        style: the same, or a list of them (several paintings: see ``style_blend`` and ``masks``).
        content_layers, style_layers: VGG19 layer names (defaults: ``block5_conv2`` and
            ``block1_conv1 … block5_conv1``).
        style_layer_weights: optional ``{layer: weight}``, or ``"balanced"`` (every layer's term
            divided by its target Gram matrix's mean square, rescaled so the total keeps the
            tutorial's scale: see :class:`~nst_helpers.losses.Objective`).
        content_weight, style_weight, tv_weight: α, β and γ of the TensorFlow tutorial (1e4,
            1e-2, 30 by default; see :mod:`nst_helpers.losses` for the normalisation).
        steps: L-BFGS iterations or Adam steps (default 100 / 500; 10 / 20 in fast mode): the
            most the run takes.
        basis: what L-BFGS optimises: ``"pyramid"`` (default for L-BFGS: a Laplacian pyramid of
            the image, which reaches the recipe's losses in fewer evaluations and with less
            pixel-scale noise, measured: README) or ``"pixels"``; Adam always works on the pixels.
        min_progress, max_seconds: stopping rules that can end the run sooner, per stage: see
            :func:`run` (e.g. ``min_progress=(0.01, 10)``: stop once 10 steps lowered the loss by
            less than 1 %).
        optimizer: ``"lbfgs"`` (SciPy's L-BFGS-B on ``clip(x, 0, 1)``, no box constraints: see
            :func:`_lbfgs`) or ``"adam"`` (the tutorial's recipe: lr 0.02, β₁ 0.99, ε 0.1, clipped).
        init: ``"colour"`` (default: the content with the style's colour mean and covariance,
            which reaches a given loss about 1.4× sooner than ``"content"``, measured; with several
            styles, the content itself), ``"content"`` (the TensorFlow tutorial's start),
            ``"noise"`` or an image. ``seed`` makes noise repeatable.
        size: longest side in pixels for the content (the style keeps its aspect ratio).
        scales: coarse-to-fine, e.g. ``(0.5, 1.0)``: optimise at half size first, upsample, refine.
            Steps are split evenly between scales unless ``scale_steps`` gives them per scale.
        precision: the network's compute precision: ``"auto"`` (the faster of float32 and
            bfloat16 on a CPU with native bf16, of float32 and float16 on a GPU, measured at this
            size: see :func:`~nst_helpers.precision.choose`; float32 on other CPUs), ``"float32"``,
            ``"bfloat16"`` or ``"float16"``. Losses and the image stay float32; bf16
            losses come out 1–2 % below float32 ones (1.4 % measured on tubingen + great_wave).
            ``settings["precision_reason"]`` says what was chosen and why.
        style_blend: with several styles, one weight each (normalised to sum 1; default equal):
            the style term is the weighted sum of each painting's style loss. ``[1, 0]`` is
            exactly the transfer of the first painting alone.
        masks: with several styles, one ``[H, W]`` mask in [0, 1] per style, at the content's
            aspect ratio (any size: resized with the image): painting k is matched only inside
            mask k (Gatys et al. 2017, guided Gram matrices).
        preserve_colour: ``None``, ``"luminance"`` (transfer on the luminance Y only, then put the
            photo's chrominance back) or ``"histogram"`` (recolour the painting to the photo's
            colour mean and covariance first); see :mod:`nst_helpers.colour`.
        recipe: ``"tutorial"`` (the TensorFlow tutorial's choices, the defaults above) or
            ``"gatys2016"`` (the paper's: average pooling, ``conv4_2`` content, its normalisation,
            α = 1, β = 1e3, γ = 0, L-BFGS from noise). The recipe sets those arguments (listed in
            :data:`nst_helpers.defaults.RECIPES`) where you left them at the tutorial's defaults;
            any you changed are kept (``recipe="gatys2016", init="content"`` starts from the photo).
        losses: your own loss functions in place of the package's (see
            :class:`~nst_helpers.losses.Objective`), e.g. the notebooks' exercises.
        callback: ``callback(step, image, terms)`` every ``every`` steps; return True to stop.
        weights: VGG19 weights, see :func:`~nst_helpers.features.vgg19`.

    Returns a :class:`Result` at the content's size, also when interrupted (Ctrl-C) at any
    moment after the images are loaded; ``result.stop_reason`` says why it ended.
    """
    if recipe not in defaults.RECIPES:
        raise ArgumentError(f"recipe must be one of {tuple(defaults.RECIPES)}, not {recipe!r}")
    if preserve_colour not in defaults.PRESERVE_COLOUR:
        raise ArgumentError(f"preserve_colour must be one of {defaults.PRESERVE_COLOUR}, "
                            f"not {preserve_colour!r}")
    r = defaults.RECIPES[recipe]
    # The recipe replaces the arguments left at the tutorial's defaults; ones you changed stay.
    given = dict(content_layers=content_layers, style_layers=style_layers, content_weight=content_weight,
                 style_weight=style_weight, tv_weight=tv_weight, init=init, optimizer=optimizer)
    chosen = {k: (r[k] if k in r and _is_default(k, v) else v) for k, v in given.items()}
    content_layers, style_layers = chosen["content_layers"], chosen["style_layers"]
    content_weight, style_weight, tv_weight = (chosen["content_weight"], chosen["style_weight"],
                                               chosen["tv_weight"])
    init, optimizer = chosen["init"], chosen["optimizer"]

    content = _prepare(content, size, "content")
    several = isinstance(style, (list, tuple))
    styles = [_prepare(s, size, f"style {i + 1}" if several else "style")
              for i, s in enumerate(style if several else [style])]
    if not styles:
        raise ArgumentError("at least one style image is needed")
    masks = _check_masks(masks, len(styles), content) if masks is not None else None
    photo = content
    if preserve_colour == "histogram":
        styles = [images.match_colours(s, content) for s in styles]
    elif preserve_colour == "luminance":
        styles = [tf.constant(colour.match_luminance(s, content)) for s in styles]
        content = tf.constant(colour.luminance(content))
    steps = _steps(steps, optimizer)
    settings = dict(content_layers=features.canonical_layers(content_layers),
                    style_layers=features.canonical_layers(style_layers),
                    style_layer_weights=(style_layer_weights if isinstance(style_layer_weights, str)
                                         else dict(style_layer_weights or {})),
                    content_weight=content_weight, style_weight=style_weight, tv_weight=tv_weight,
                    steps=steps, optimizer=optimizer, init=init if isinstance(init, str) else "image",
                    seed=seed, size=max(int(d) for d in content.shape[1:3]), scales=scales,
                    styles=len(styles), style_blend=style_blend, masks=masks is not None,
                    preserve_colour=preserve_colour, recipe=recipe)
    loss_kwargs = dict(content_layers=content_layers, style_layers=style_layers,
                       content_weight=content_weight, style_weight=style_weight,
                       tv_weight=tv_weight, style_layer_weights=style_layer_weights, weights=weights,
                       precision=None, style_blend=style_blend,
                       pooling=r.get("pooling", "max"), normalisation=r.get("normalisation", "tutorial"),
                       losses=losses)
    loss_kwargs["precision"], settings["precision_reason"] = precision_choice.choose(
        precision, content.shape[1:3])
    settings["precision"] = loss_kwargs["precision"]
    if scale_steps is not None:
        if scales is None or len(scale_steps) != len(scales):
            raise ArgumentError("scale_steps needs one step count per entry of scales")
        steps = tuple(int(n) for n in scale_steps)
        settings["steps"] = sum(steps)
    _check_progress(min_progress, max_seconds)
    basis = defaults.BASIS[optimizer] if basis is None else basis
    _check_basis(basis, optimizer)  # before any work starts
    settings.update(min_progress=min_progress, max_seconds=max_seconds, basis=basis)
    result = _multiscale(content, styles, loss_kwargs, steps, optimizer, init, seed, scales,
                         callback, every, progress, settings, "transfer", masks=masks,
                         run_options=dict(min_progress=min_progress, max_seconds=max_seconds, basis=basis))
    if preserve_colour == "luminance":
        result.luminance = result.image
        result.image = tf.constant(colour.with_luminance(photo, result.image))
    return result


#: What :func:`transfer` uses for each argument that is not given: the tutorial's recipe.
_TUTORIAL_DEFAULTS = {k: p.default for k, p in inspect.signature(transfer).parameters.items()}


def _is_default(name, value):
    """True when ``value`` is what :func:`transfer` uses for ``name`` when it is not given."""
    default = _TUTORIAL_DEFAULTS[name]
    if name.endswith("_layers"):
        return features.canonical_layers(value) == features.canonical_layers(default)
    return isinstance(value, str) == isinstance(default, str) and value == default


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
            raise ArgumentError(f"mask {i} is zero everywhere: style {i} would have nowhere to go")
        if (h, w) != (height, width):
            m = tf.image.resize(m[None, :, :, None], (height, width), method="area").numpy()[0, :, :, 0]
        out.append(m)
    return out


def _steps(steps, optimizer):
    """``steps``, or the optimiser's default (smaller in fast mode); both checked."""
    _check_run_args(1, optimizer)
    steps = steps if steps is not None else (FAST_STEPS if config.fast_mode() else DEFAULT_STEPS)[optimizer]
    _check_run_args(steps, optimizer)
    return steps


def _multiscale(content, styles, loss_kwargs, steps, optimizer, init, seed, scales, callback,
                every, progress, settings, desc, masks=None, run_options=None):
    """Run ``scales`` stages; ``styles`` is a list of pictures (or None), ``masks`` one ``[H, W]``
    array per style at the content's size (resized with the image at every stage)."""
    scales = tuple(scales or (1.0,))
    reference = content if content is not None else styles[0]
    full_h, full_w = (int(d) for d in reference.shape[1:3])
    image = None
    results = []
    t0 = time.perf_counter()
    try:
        for i, scale in enumerate(scales):
            h, w = max(images.MIN_SIDE, round(full_h * scale)), max(images.MIN_SIDE, round(full_w * scale))
            c = images.resize(content, h, w) if content is not None and scale != 1.0 else content
            s = None if styles is None else [
                images.resize(st, max(images.MIN_SIDE, round(st.shape[1] * scale)),
                              max(images.MIN_SIDE, round(st.shape[2] * scale))) if scale != 1.0 else st
                for st in styles]
            stage_masks = None if masks is None else [
                tf.image.resize(m[None, :, :, None], (h, w), method="area")[0, :, :, 0] for m in masks]
            if image is None:
                start = initial_image(init, c, seed, shape=(1, h, w, 3),
                                      style=s[0] if s is not None and len(s) == 1 else None)
                if tuple(start.shape[1:3]) != (h, w):
                    start = images.resize(start, h, w)
            else:
                start = images.resize(image, h, w)
            image = start  # what an interruption before this stage's first step returns
            objective = Objective(c, s, style_masks=stage_masks, **loss_kwargs)
            if isinstance(steps, tuple):
                part = steps[i]
            else:
                part = steps // len(scales) + (1 if i < steps % len(scales) else 0)
            label = desc if len(scales) == 1 else f"{desc} {w}×{h}"
            result = run(objective, start, steps=max(1, part), optimizer=optimizer, callback=callback,
                         every=every, progress=progress, desc=label, **(run_options or {}))
            results.append(result)
            image = result.image
            if result.interrupted:
                break
    except KeyboardInterrupt:
        # Between stages or while a stage was being set up (targets, tracing): keep what exists.
        start = image if image is not None else reference
        results.append(_interrupted_result(start, time.perf_counter() - t0, results))
    return _merge(results, settings, (full_h, full_w))


def _interrupted_result(image, seconds, earlier):
    return Result(image=tf.convert_to_tensor(image, tf.float32),
                  history={k: [] for k in ("total", "content", "style", "tv")}, times=[], steps=0,
                  evaluations=0, seconds=seconds, interrupted=True,
                  weights=earlier[-1].weights if earlier else "",
                  stages=[(int(image.shape[1]), int(image.shape[2]), 0)], stop_reason="interrupted")


def _merge(results, settings, full_size):
    """One Result from the stages' results, its image always at ``full_size`` (an interrupted
    coarse stage is upsampled, so a stopped run never hands back a half-size picture)."""
    last = results[-1]
    image = last.image
    if tuple(int(d) for d in image.shape[1:3]) != tuple(full_size):
        image = images.resize(image, *full_size)
    if len(results) == 1:
        last.settings = settings
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
    return Result(image=image, history=history, times=times,
                  steps=sum(r.steps for r in results),
                  evaluations=sum(r.evaluations for r in results),
                  seconds=offset, interrupted=last.interrupted, settings=settings,
                  weights=last.weights, stages=stages, stop_reason=last.stop_reason)


def reconstruct_content(image, layer, *, steps=None, optimizer="lbfgs", init="noise", seed=0,
                        size=None, callback=None, every=10, progress=True, weights="imagenet",
                        precision="float32"):
    """Find an image whose ``layer`` activations match those of ``image`` (Gatys et al. Fig. 1).

    Starts from seeded white noise. No style or total-variation term, so what survives is
    exactly what the layer keeps. float32 by default: bfloat16's rounding visibly limits how
    exactly a shallow layer can be inverted, which is the point of this experiment.
    Returns a :class:`Result`.
    """
    image = _prepare(image, size, "image")
    layer = features.canonical_layer(layer)
    steps = _steps(steps, optimizer)
    settings = dict(layer=layer, steps=steps, optimizer=optimizer, seed=seed,
                    size=max(int(d) for d in image.shape[1:3]))
    loss_kwargs = dict(content_layers=(layer,), content_weight=1.0, style_weight=0.0,
                       tv_weight=0.0, weights=weights, precision=precision)
    return _multiscale(image, None, loss_kwargs, steps, optimizer, init, seed, None, callback,
                       every, progress, settings, f"content {layer}")


def reconstruct_style(image, layers, *, steps=None, optimizer="lbfgs", init="noise", seed=0,
                      size=None, shape=None, callback=None, every=10, progress=True,
                      weights="imagenet", precision="float32", style_layer_weights=None):
    """Synthesise a texture whose Gram matrices on ``layers`` match those of ``image``.

    Starts from seeded white noise of ``shape`` (default: the image's own size). No content
    term, so the layout is lost and only the style survives. ``style_layer_weights`` as in
    :func:`transfer` (``"balanced"`` included). Returns a :class:`Result`.
    """
    image = _prepare(image, size, "image")
    layers = features.canonical_layers(layers)
    steps = _steps(steps, optimizer)
    shape = tuple(shape) if shape is not None else tuple(int(d) for d in image.shape)
    settings = dict(layers=layers, steps=steps, optimizer=optimizer, seed=seed,
                    size=max(int(d) for d in image.shape[1:3]), style_layer_weights=style_layer_weights)
    start = initial_image(init, None, seed, shape=shape)
    t0 = time.perf_counter()
    try:
        objective = Objective(None, image, style_layers=layers, style_weight=1.0, tv_weight=0.0,
                              weights=weights, precision=precision, style_layer_weights=style_layer_weights)
        result = run(objective, start, steps=steps, optimizer=optimizer, callback=callback,
                     every=every, progress=progress, desc=f"style ×{len(layers)}")
    except KeyboardInterrupt:
        result = _interrupted_result(start, time.perf_counter() - t0, [])
    result.settings = settings
    return result
