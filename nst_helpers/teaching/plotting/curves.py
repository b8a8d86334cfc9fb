"""Loss curves: one drawing (:func:`draw_losses`) for the notebooks' figures and the explorers'
PNGs, and the race of optimisers on one budget."""

import io

import numpy as np

from ...language import N_, shown, t, use_hangul_font
from .grids import _finish, _plt

#: The loss terms a figure draws, in order, with their colours.
LOSS_TERMS = ((N_("total"), "k"), (N_("content"), "C0"), (N_("style"), "C1"), (N_("tv"), "C2"))


def loss_series(values):
    """Loss values ready for a log axis: a term that is exactly 0 (the content term of a run that
    starts from the photo itself) becomes a gap, not a spike down to the axis' floor."""
    values = np.asarray(values, dtype=float)
    return np.where(values > 0, values, np.nan)


def draw_losses(ax, history, x=None, *, log=True):
    """Draw each loss term of ``history`` (``{"total", "content", "style", "tv"}`` → one value per
    step) on ``ax`` against ``x`` (default: the step). Terms that are never positive are left out."""
    for key, colour in LOSS_TERMS:
        values = loss_series(history.get(key, [])) if log else np.asarray(history.get(key, []), float)
        if values.size and np.any(values > 0):
            ax.plot(*((values,) if x is None else (x, values)), color=colour, label=t(key))
    if log:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend()


def plot_losses(result, *, log=True, path=None, title=None, seconds=True):
    """Loss per term against steps (left) and against seconds (right) for a :class:`Result`.
    ``seconds=False`` draws the steps alone: for a figure kept as a reference (the gallery), whose
    seconds would be one machine's, at one moment."""
    plt = _plt()
    if seconds:
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.4), layout="constrained")
        draw_losses(ax2, result.history, result.times, log=log)
        axes = ((ax1, "step"), (ax2, N_("seconds")))
    else:
        fig, ax1 = plt.subplots(figsize=(7, 4.4), layout="constrained")
        axes = ((ax1, "step"),)
    draw_losses(ax1, result.history, log=log)
    for ax, xlabel in axes:
        ax.set_xlabel(t(xlabel), fontsize=12)
        ax.set_ylabel(t("weighted loss"), fontsize=12)
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    # One legend below the axes: inside, it covered the content curve's jump in the first steps.
    handles, labels = ax1.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), fontsize=12)
    if title:
        fig.suptitle(shown(title), fontsize=14)
    return _finish(fig, path)


def loss_png(history, *, size=(4.2, 2.6), dpi=80):
    """The loss curves of ``history`` (as :func:`draw_losses`) as PNG bytes, for a widget.

    Drawn on a bare ``Figure`` with its own Agg canvas: pyplot and the notebook's backend are never
    touched, so it is safe from a worker thread (``matplotlib.use()`` there would switch the
    notebook's backend)."""
    from matplotlib.figure import Figure

    use_hangul_font()
    fig = Figure(figsize=size, dpi=dpi)
    ax = fig.add_subplot()
    draw_losses(ax, history)
    ax.set_xlabel(t("step"))
    if ax.get_legend() is not None:
        ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def optimizer_race(pairs, *, width=4.2, path=None):
    """The pictures of ``(label, Result)`` pairs side by side and their total losses against the
    step on one log axis (a race of optimisers on one budget: see
    :func:`~nst_helpers.teaching.experiments.adam_vs_lbfgs`); the titles give each run's loss evaluations."""
    plt = _plt()
    fig, axes = plt.subplots(1, len(pairs) + 1, figsize=(width * (len(pairs) + 1.3), width),
                             gridspec_kw={"width_ratios": [1] * len(pairs) + [1.3]})
    for ax, (label, r) in zip(axes, pairs):
        ax.imshow(np.clip(np.asarray(r.image)[0], 0, 1))
        ax.set_title(t("{label}: {steps} steps,\n{evaluations} loss evaluations", label=shown(label), steps=r.steps,
                       evaluations=r.evaluations), fontsize=12)
        ax.axis("off")
    ax = axes[-1]
    for label, r in pairs:
        ax.plot(loss_series(r.history["total"]), label=t("{label} (lowest {loss})", label=shown(label), loss=f"{r.loss:.3g}"))
    ax.set(yscale="log", xlabel=t("step (0: the start)"), ylabel=t("total weighted loss"))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return _finish(fig, path)
