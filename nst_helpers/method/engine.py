"""The engine: minimise an objective over an image's pixels and report how it went.

The network is frozen; the pixels (or the coefficients of a basis, see :mod:`nst_helpers.method.basis`)
are the variables. :func:`run` hands one start image to an optimiser of
:mod:`nst_helpers.method.optimizers` and returns a :class:`Result`: the lowest-loss image seen, the loss
history per term, timings and why it ended. A progress bar shows the loss; a callback sees the
current image every ``every`` steps (for live previews). Ctrl-C (Jupyter's interrupt) or a
callback returning True ends the run at any moment, even before the first step, and still
returns a :class:`Result`: the best image so far, or the start image when nothing better exists.

Students call :mod:`nst_helpers.method.tasks`; this is the room behind it.
"""

import dataclasses
import math
import time

import numpy as np

from ..errors import LossNotFinite
from ..images import check_image
from ..language import N_, shown, t
from ..machine._tf import tf
from . import optimizers
from .arguments import Settings, check_run

__all__ = ["Result", "STOP_REASONS", "run", "progress_stalled"]

#: Why a run ended (``Result.stop_reason``).
STOP_REASONS = {
    "steps": N_("all steps done"),
    "converged": N_("converged (the loss stopped falling)"),
    "line search": N_("L-BFGS's line search found no lower loss"),
    "evaluations": N_("L-BFGS used up its evaluation budget"),
    "interrupted": N_("interrupted (Ctrl-C)"),
    "stopped": N_("stopped (Stop button or callback)"),
    "progress": N_("the loss stopped falling fast enough (min_progress)"),
    "time": N_("the time budget ran out (max_seconds)"),
}

TERMS = ("total", "content", "style", "tv")


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
        stop_reason: why the run ended, a key of :data:`STOP_REASONS`.
        settings: the :class:`~nst_helpers.method.arguments.Settings` that produced it (reads like a dict).
        weights: where the VGG19 weights came from.
        stages: ``[(height, width, first_index), …]``: where each coarse-to-fine stage starts in
            ``history`` (losses of different stages are on different image sizes: not comparable).
        luminance: with ``preserve_colour="luminance"``, the optimised grey picture before the
            photo's colours were put back (``image`` is the coloured result).
    """

    image: object
    history: dict
    times: list
    steps: int
    evaluations: int
    seconds: float
    interrupted: bool = False
    settings: Settings = None
    weights: str = ""
    stages: list = dataclasses.field(default_factory=list)
    stop_reason: str = "steps"
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
        settings = self.settings or {}
        rule = settings.get("min_progress")
        if self.stop_reason == "progress" and rule:
            return t("the last {window} steps lowered the loss by less than {fraction} of it (min_progress)",
                     window=rule[1], fraction=f"{rule[0]:.3g}")
        if self.stop_reason == "time" and settings.get("max_seconds"):
            return t("the time budget of {seconds} s ran out (max_seconds)", seconds=f"{settings['max_seconds']:g}")
        return t(STOP_REASONS.get(self.stop_reason, self.stop_reason))

    def __repr__(self):
        shape = "×".join(str(int(d)) for d in self.image.shape[1:3])
        loss = t("loss {loss}", loss=f"{self.loss:.4g}") if self.history["total"] else t("no step finished")
        return t("Result({shape} px, {steps} steps, {evaluations} evaluations, {seconds} s, {loss}; {why})",
                 shape=shape, steps=self.steps, evaluations=self.evaluations, seconds=f"{self.seconds:.1f}",
                 loss=loss, why=self.why)


def empty_result(image, seconds, settings, weights=""):
    """The Result of a run interrupted before its first evaluation finished: ``image`` as it is."""
    image = tf.convert_to_tensor(image, tf.float32)
    return Result(image=image, history={k: [] for k in TERMS}, times=[], steps=0, evaluations=0,
                  seconds=seconds, interrupted=True, settings=settings, weights=weights,
                  stages=[(int(image.shape[1]), int(image.shape[2]), 0)], stop_reason="interrupted")


def run(objective, init, *, steps, optimizer="lbfgs", callback=None, every=10, progress=True,
        desc=None, basis=None, min_progress=None, max_seconds=None, _lbfgs_options=None):
    """Minimise ``objective`` over the pixels of ``init`` (``[1, H, W, 3]`` in [0, 1]).

    ``callback(step, image, terms)`` runs every ``every`` steps and at the end; return True from
    it to stop. Ctrl-C at any moment ends the run and still returns a :class:`Result` (the start
    image when no evaluation finished). The progress bar ends with the reason the run stopped.

    ``basis`` (L-BFGS only): ``"pixels"`` (default), ``"pyramid"`` (a Laplacian pyramid, see
    :mod:`nst_helpers.method.basis`) or a basis object.

    Besides ``steps`` (the most it takes), two rules can end a run: ``min_progress=(fraction,
    window)`` stops once the last ``window`` steps lowered the best loss by less than
    ``fraction`` of it (e.g. ``(0.01, 10)``: under 1 % in 10 steps), and ``max_seconds`` stops
    after that much optimisation time. ``Result.stop_reason`` says which rule ended it.

    ``_lbfgs_options`` (private, for ``benchmarks/ablation.py``): ``memory`` of
    :func:`nst_helpers.method.optimizers.lbfgs`.
    """
    settings = check_run(steps, optimizer, basis, min_progress, max_seconds)
    init = check_image(init, "the start image (init)")
    return run_checked(objective, init, settings, callback=callback, every=every, progress=progress,
                       desc=desc, lbfgs_options=_lbfgs_options)


def run_checked(objective, init, settings, *, steps=None, callback=None, every=10, progress=True,
                desc=None, lbfgs_options=None):
    """:func:`run` for arguments already checked: ``settings`` (a :class:`Settings`) gives the
    optimiser, basis and stopping rules, ``steps`` this stage's steps (default ``settings.steps``);
    ``init`` is a float32 tensor in [0, 1]. The Result carries ``settings`` as they are."""
    from tqdm.auto import tqdm

    steps = settings.steps if steps is None else steps
    basis = optimizers.make_basis(settings.basis, init.shape)
    bar = tqdm(total=steps, desc=shown(desc or settings.optimizer), disable=not progress, leave=True,
               dynamic_ncols=True)
    state = Tracker(objective, init, steps, callback, every, bar, settings)
    try:
        if settings.optimizer == "lbfgs":
            state.stop_reason = optimizers.lbfgs(state, basis, **(lbfgs_options or {}))
        else:
            state.stop_reason = optimizers.adam(state)
    except KeyboardInterrupt:
        state.interrupted, state.stop_reason = True, "interrupted"
    except Stop:
        state.interrupted, state.stop_reason = True, "stopped"
    except Enough as rule:
        state.stop_reason = rule.reason
    finally:
        loss = t("loss {loss}", loss=f"{state.best[0]:.4g}") + ", " if np.isfinite(state.best[0]) else ""
        bar.set_postfix_str(loss + t(STOP_REASONS.get(state.stop_reason, state.stop_reason)), refresh=False)
        bar.close()
    state.finish()
    return state.result()


class Stop(Exception):
    """The callback asked to stop (the Stop button): the run is interrupted."""


class Enough(Exception):
    """A stopping rule was met: not an interruption, the run is complete."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def progress_stalled(best, fraction, window):
    """The rule of ``min_progress=(fraction, window)``: True when the last ``window`` steps lowered
    the loss by less than ``fraction`` of it. ``best``: the best loss after each step so far, step
    0 (the start) first."""
    return len(best) > window and best[-1 - window] - best[-1] < fraction * best[-1]


class Tracker:
    """What the optimisers report to: keeps the best image, the history and the timings, runs
    the callback and applies the stopping rules. Optimisers call :meth:`evaluate` for every
    loss-and-gradient and :meth:`record` once per accepted step (step 0 is the start)."""

    def __init__(self, objective, init, steps, callback, every, bar, settings):
        self.objective, self.steps, self.callback, self.every, self.bar = (
            objective, int(steps), callback, max(1, int(every)), bar)
        self.settings = settings
        self.best_per_step = []
        self.shape = tuple(int(d) for d in init.shape)
        self.init = tf.convert_to_tensor(init, tf.float32)
        self.history = {k: [] for k in TERMS}
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
                raise Stop
        if enough:
            raise Enough(enough)

    def _rule_met(self, step):
        """The stopping rule ("time" or "progress") that ends the run after this step, or None."""
        if step == 0 or step >= self.steps:
            return None
        max_seconds, min_progress = self.settings.max_seconds, self.settings.min_progress
        if max_seconds is not None and self.times[-1] >= max_seconds:
            return "time"
        if min_progress is not None and progress_stalled(self.best_per_step, *min_progress):
            return "progress"
        return None

    def finish(self):
        self.seconds = time.perf_counter() - self.t0
        if self.callback is not None and self.interrupted and self.step > 0:
            try:
                self.callback(self.step - 1, self.best[1], dict(self.last_terms or {}))
            except (KeyboardInterrupt, Stop):
                pass

    def result(self):
        image = tf.clip_by_value(tf.reshape(tf.cast(self.best[1], tf.float32), self.shape), 0.0, 1.0)
        return Result(image=image, history=self.history, times=self.times,
                      steps=max(0, self.step - 1), evaluations=self.evaluations,
                      seconds=self.seconds, interrupted=self.interrupted, settings=self.settings,
                      weights=self.objective.extractor.weights_source,
                      stages=[(self.shape[1], self.shape[2], 0)], stop_reason=self.stop_reason)
