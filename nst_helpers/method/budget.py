"""``NST_MODE=auto``: each slow figure's size and steps, fitted to this machine's speed.

Demo mode's numbers were tuned on one 2-core CPU: on a faster laptop they waste quality, on a
GPU they are needlessly small. In auto mode a notebook asks for its figure's settings with::

    SIZE, STEPS = nst.fit(runs=5, full=(224, 200), demo=(128, 60), fast=(64, 5))

(``runs``: how many optimisations the figure makes, or each run's deepest layer, e.g.
``runs=nst.STYLE_LAYERS`` for notebook 3's five textures). The first call times one loss-and-gradient
evaluation at 256 px on this machine (:func:`seconds_per_evaluation`), then the cost model

    seconds ≈ Σ_runs (TRACE_SECONDS + (steps × PER_STEP[optimizer] + PER_RUN) × t₂₅₆ × (size / 256)² × depth)

(an evaluation costs in proportion to the pixels; ``depth`` is 1 for a run through ``block5_conv2``,
the layers the timing uses, and for a run that stops at a shallower layer the share of the
network's FLOPs up to it, plus :data:`FIXED_SHARE`; see :data:`PER_STEP`, :data:`PER_RUN`,
:func:`depth_share`; measured: docs/performance.md)
picks the largest size and steps between demo's and full's whose figure fits
:data:`BUDGET_SECONDS`. A machine too slow even for demo's values gets demo's values and a
message saying so: demo is the least at which every figure shows what its text says, so auto
never goes below it. ``fast``, ``demo`` and ``full`` modes never time anything.
"""

import collections
import numbers

from ..errors import ArgumentError
from ..language import t as _t
from ..machine import config
from . import arguments, defaults
from . import precision as precision_choice  # `precision` is an argument name here

__all__ = ["Fit", "fit", "fit_steps", "figure_seconds", "seconds_per_evaluation", "BUDGET_SECONDS"]

#: What one figure may take in auto mode: what demo mode promises.
BUDGET_SECONDS = 30.0
#: The size at which one evaluation is timed; other sizes scale with their pixels.
REFERENCE_SIDE = 256
#: Evaluations' worth of time per step. L-BFGS: at most about 1.1 evaluations per step (a line
#: search rarely needs a second try; checked in ``tests/method/test_budget.py``) plus SciPy's bookkeeping
#: and the pyramid basis; Adam: exactly one evaluation per step.
PER_STEP = {"lbfgs": 1.25, "adam": 1.0}
#: Evaluations' worth of time per run outside its steps: the targets, the start image, the first
#: evaluation.
PER_RUN = 3.0
#: Seconds per run for tracing its graph (a new layer set or image shape traces again).
TRACE_SECONDS = 1.0
#: The share of an evaluation's time that does not depend on how deep the network runs (the total
#: variation, the pyramid basis, SciPy's L-BFGS, moving the image between NumPy and TensorFlow).
FIXED_SHARE = 0.07
#: Sizes are multiples of this (in pixels) and step counts multiples of ``STEP_GRAIN``.
SIZE_GRAIN, STEP_GRAIN = 16, 5

Fit = collections.namedtuple("Fit", ["size", "steps"])

_FAILED = {}  # precision → why timing it failed in this process (not retried, never cached on disk)


def seconds_per_evaluation(side=REFERENCE_SIDE, precision="auto"):
    """Seconds of one loss-and-gradient evaluation of VGG19 (the transfer's layers) at the size
    class of ``side`` px in ``precision`` (``"auto"``: what a transfer would choose). The one
    place this module times the machine.

    Measured by :func:`nst_helpers.method.precision.evaluation_seconds` (best of three, kept in its
    cache file with the precision choice's numbers: delete that file to time again). Raises whatever the measurement raises (:func:`fit` turns that
    into demo's values and a message).
    """
    if precision == "auto":
        precision = precision_choice.choose("auto", side)[0]
    # precision.evaluation_seconds remembers its answers (process and disk): no memo here.
    return precision_choice.evaluation_seconds(precision, int(side))


def figure_seconds(size, steps, runs=1, optimizer="lbfgs", per_evaluation=1.0):
    """The cost model: about how many seconds ``runs`` optimisations of ``steps`` steps at ``size``
    px (longest side) take when one evaluation at 256 px takes ``per_evaluation`` seconds.
    ``runs``: a number of runs through ``block5_conv2``, or each run's deepest layer."""
    evaluation = per_evaluation * (size / REFERENCE_SIDE) ** 2
    shares = [1.0] * runs if isinstance(runs, int) else [depth_share(layer) for layer in runs]
    return sum(TRACE_SECONDS + (steps * PER_STEP[optimizer] + PER_RUN) * evaluation * share for share in shares)


def depth_share(layer):
    """What one evaluation of a run whose deepest layer is ``layer`` costs, as a share of one through
    ``block5_conv2`` (what :func:`seconds_per_evaluation` times): :data:`FIXED_SHARE` plus the rest
    in proportion to the convolutions' FLOPs up to ``layer`` (forward and backward; counted from the
    layer shapes, so the same at every image size)."""
    from .layers import CONV_LAYERS, block, canonical_layer, channels

    flops, c_in, total = {}, 3, 0.0
    for name in CONV_LAYERS:
        total += c_in * channels(name) / 4 ** (block(name) - 1)  # ∝ h·w·9·C_in·C_out
        flops[name], c_in = total, channels(name)
    share = flops[canonical_layer(layer)] / flops["block5_conv2"]
    return FIXED_SHARE + (1 - FIXED_SHARE) * min(share, 1.0)


def fit(runs=1, *, full, demo, fast, optimizer="lbfgs", precision="auto", budget=BUDGET_SECONDS,
        verbose=True):
    """``(size, steps)`` for a figure of ``runs`` optimisations (a number, or each run's deepest
    layer: a shallow run costs less): ``full``, ``demo`` or ``fast`` (each a ``(size, steps)`` pair) in those modes; in auto mode the largest pair between demo's
    and full's (both grown together) whose figure fits ``budget`` seconds on this machine.

    ``precision``: what the figure's runs use (``"auto"`` for :func:`~nst_helpers.transfer`'s
    default, ``"float32"`` for the reconstructions). Prints the choice when ``verbose``.
    """
    _check_common(runs, optimizer, precision, budget)
    full, demo, fast = (_pair(v, name) for v, name in ((full, "full"), (demo, "demo"), (fast, "fast")))
    if full.size < demo.size or full.steps < demo.steps:
        raise ArgumentError(f"full={tuple(full)} is below demo={tuple(demo)}: full's size and steps "
                            "must be at least demo's")
    grid = [Fit(_between(demo.size, full.size, i / 100, SIZE_GRAIN),
                _between(demo.steps, full.steps, i / 100, STEP_GRAIN)) for i in range(101)]
    chosen, line = _choose(grid, runs, optimizer, precision, budget, dict(full=full, demo=demo, fast=fast),
                           lambda p: _t("figures at {size} px, {steps} steps", size=p.size, steps=p.steps))
    if verbose:
        print(line)
    return chosen


def fit_steps(size, runs=1, *, full, demo, fast, optimizer="lbfgs", precision="auto",
              budget=BUDGET_SECONDS, verbose=True):
    """Steps for a figure of ``runs`` optimisations at a size already chosen (``SIZE`` from
    :func:`fit`): ``full``, ``demo`` or ``fast`` steps in those modes; in auto mode as many
    between demo's and full's as fit ``budget`` seconds on this machine."""
    _check_common(runs, optimizer, precision, budget)
    steps = {"full": full, "demo": demo, "fast": fast}
    for name, n in steps.items():
        _pair((size, n), name)
    if full < demo:
        raise ArgumentError(f"full={full} steps is below demo={demo}: full must be at least demo")
    grid = [Fit(size, _between(demo, full, i / 100, STEP_GRAIN)) for i in range(101)]
    chosen, line = _choose(grid, runs, optimizer, precision, budget,
                           {name: Fit(size, n) for name, n in steps.items()},
                           lambda p: _t("{steps} {optimizer} steps at {size} px", steps=p.steps,
                                                 optimizer=defaults.OPTIMIZER_NAMES[optimizer], size=p.size))
    if verbose:
        print(line)
    return chosen.steps


def _choose(grid, runs, optimizer, precision, budget, by_mode, what):
    """The last pair of ``grid`` (demo first, full last) that fits ``budget``, and the line that
    explains it (``what(pair)`` names the choice)."""
    mode = config.mode()
    if mode != "auto":
        chosen = by_mode[mode]
        return chosen, _t("{what} (NST_MODE={mode}; NST_MODE=auto fits them to this machine)",
                          what=what(chosen), mode=mode)
    override = _t("NST_MODE=auto; NST_MODE=demo/full/fast to override")
    t = _measure(precision)
    if isinstance(t, str):
        return grid[0], _t("{what}: demo mode's values, since this machine could not be timed ({why}) "
                           "({override})", what=what(grid[0]), why=t, override=override)
    fits = [p for p in grid if figure_seconds(*p, runs, optimizer, t) <= budget]
    chosen = fits[-1] if fits else grid[0]
    seconds = figure_seconds(*chosen, runs, optimizer, t)
    head = _t("this machine: {seconds} s per evaluation at {side} px → {what}", seconds=f"{t:.3g}",
              side=REFERENCE_SIDE, what=what(chosen))
    n = runs if isinstance(runs, int) else len(runs)
    of = _t("a figure of 1 run") if n == 1 else _t("a figure of {runs} runs", runs=n)
    if not fits:
        return chosen, _t("{head}: about {seconds} s for {of}, over the {budget} s budget even at demo's "
                          "values, the least that shows every effect (the gallery has the full-quality "
                          "figures) ({override})", head=head, seconds=f"{seconds:.0f}", of=of,
                          budget=f"{budget:.0f}", override=override)
    return chosen, _t("{head}, about {seconds} s for {of} ({override})", head=head, seconds=f"{seconds:.0f}",
                      of=of, override=override)


def machine_line(budget=BUDGET_SECONDS):
    """The setup cell's line in auto mode: this machine's seconds per evaluation at 256 px (timed
    once, cached like every figure's), or, when it cannot be timed, that figures fall back to
    demo's values. Never raises for a failed timing."""
    t = _measure("auto")
    if isinstance(t, str):
        return _t("this machine could not be timed ({why}) → each figure uses demo mode's size and "
                  "steps (NST_MODE=demo/full/fast to override)", why=t)
    return _t("this machine: {seconds} s per evaluation at {side} px → each figure's size and steps are "
              "fitted to ~{budget} s (the cells that pick them print the choice)", seconds=f"{t:.3g}",
              side=REFERENCE_SIDE, budget=f"{budget:.0f}")


def _measure(precision):
    """Seconds per evaluation at 256 px, or a one-line reason why it could not be timed."""
    if precision not in _FAILED:
        try:
            seconds = seconds_per_evaluation(REFERENCE_SIDE, precision)
            if 0 < seconds < float("inf"):
                return seconds
            _FAILED[precision] = f"it measured {seconds!r} s"
        except Exception as exc:  # noqa: BLE001 - any failure falls back to demo mode, never an error
            _FAILED[precision] = f"{type(exc).__name__}: {str(exc)[:120]}"
    return _FAILED[precision]


def _between(lo, hi, fraction, grain):
    """``lo + fraction·(hi − lo)`` rounded down to a multiple of ``grain``, never below ``lo``
    (nor above ``hi``, which ``fraction`` 1 gives exactly)."""
    if fraction >= 1:
        return hi
    return max(lo, int(lo + fraction * (hi - lo)) // grain * grain)


def _pair(value, name):
    try:
        size, steps = value
        ok = all(isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 1 for v in (size, steps))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ArgumentError(f"{name} must be (size, steps) with whole numbers of at least 1, "
                            f"e.g. {name}=(256, 100); not {value!r}")
    return Fit(int(size), int(steps))


def _check_common(runs, optimizer, precision, budget):
    if not isinstance(budget, numbers.Real) or not 0 < budget < float("inf"):
        raise ArgumentError(f"budget must be a positive number of seconds per figure, not {budget!r}")
    arguments.check_precision(precision)
    arguments.check_optimizer(optimizer)
    if isinstance(runs, (list, tuple)) and runs:
        from .layers import canonical_layer

        for layer in runs:
            canonical_layer(layer)  # a LayerError names the layers that exist
        return
    if isinstance(runs, bool) or not isinstance(runs, int) or runs < 1:
        raise ArgumentError(f"runs must be a whole number of at least 1 (the figure's optimisations) or a "
                            f"list of each run's deepest layer, not {runs!r}")
