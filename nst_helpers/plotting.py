"""Figures: labelled image grids, film strips, loss curves, Gram-matrix heat maps.

Every ``show_*``/``plot_*`` function returns the matplotlib ``Figure`` (so it can be saved) and
shows it when run in a notebook. Sizes are chosen to read from the back of a classroom. For
widgets (the explorers): :func:`loss_png` and :func:`png_bytes` return PNG bytes and never touch
pyplot; :func:`draw_losses` is the one drawing of loss curves that both kinds use.
"""

import io

import numpy as np

from .errors import ArgumentError
from .images import to_uint8
from .language import N_, shown, t, use_hangul_font

#: The loss terms a figure draws, in order, with their colours.
LOSS_TERMS = ((N_("total"), "k"), (N_("content"), "C0"), (N_("style"), "C1"), (N_("tv"), "C2"))


def _plt():
    import matplotlib.pyplot as plt

    use_hangul_font()  # NST_LANG=ko: Korean figure text needs a font with Hangul
    return plt


def show_images(images, titles=None, *, ncols=None, width=4.0, suptitle=None, path=None, colorbar=None):
    """A labelled grid of images (``[1, H, W, 3]`` or ``[H, W, 3]`` in [0, 1]).

    ``titles``: one string per image (may contain newlines). ``ncols``: columns (default: all in
    one row up to 5). ``width``: inches per image. ``path``: also save the figure there.
    ``colorbar``: ``(colormap name, low, high, label)``: a scale under the grid, for panels that
    show values through that colormap (e.g. notebook 1's input channels).
    With ``NST_LANG=ko`` the titles and ``suptitle`` are shown in Korean where the catalogue has them.
    """
    plt = _plt()
    images = list(images)
    titles = list(titles) if titles is not None else [""] * len(images)
    if len(titles) != len(images):
        raise ArgumentError(f"{len(images)} images but {len(titles)} titles: give one title per image")
    ncols = ncols or min(len(images), 5)
    nrows = -(-len(images) // ncols)
    arrays = [to_uint8(im) for im in images]
    aspect = max(a.shape[0] / a.shape[1] for a in arrays)
    # Constrained layout keeps titles, multi-line captions and the suptitle from overlapping.
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, width * aspect * nrows + 0.6 * nrows),
                             squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    for ax, arr, title in zip(axes.flat, arrays, titles):
        ax.imshow(arr)
        ax.set_title(shown(title), fontsize=13)
    if colorbar:
        import matplotlib

        cmap, low, high, label = colorbar
        scale = matplotlib.cm.ScalarMappable(matplotlib.colors.Normalize(low, high), cmap)
        bar = fig.colorbar(scale, ax=axes.ravel().tolist(), orientation="horizontal", shrink=0.4, aspect=40)
        bar.set_label(shown(label), fontsize=12)
    if suptitle:
        fig.suptitle(shown(suptitle), fontsize=15)
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def film_strip(frames, *, ncols=None, width=2.6, path=None):
    """Images in time order, titled by step: ``frames`` is a list of ``(step, image)``; one row
    unless ``ncols`` is given (fewer columns wrap into rows: larger panels on a projector)."""
    return show_images([im for _, im in frames], [t("step {step}", step=s) for s, _ in frames],
                       ncols=ncols or len(frames), width=width, path=path)


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
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


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


def png_bytes(image, min_width=256):
    """``[1, H, W, 3]`` (or ``[H, W, 3]``) in [0, 1] → PNG bytes for a widget, enlarged (bicubic) to
    at least ``min_width`` pixels wide so that small pictures stay visible."""
    from PIL import Image

    img = Image.fromarray(to_uint8(image))
    if img.width < min_width:
        img = img.resize((min_width, round(img.height * min_width / img.width)), Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def show_gram(gram, *, title=None, max_channels=64, path=None):
    """A Gram matrix ``[1, C, C]`` or ``[C, C]`` as a heat map (only the first ``max_channels``
    channels when it has more, and the title says so)."""
    plt = _plt()
    g = np.asarray(gram)
    g = g[0] if g.ndim == 3 else g
    c = min(g.shape[0], max_channels)
    fig, ax = plt.subplots(figsize=(5.5, 4.8))
    im = ax.imshow(g[:c, :c], cmap="magma")
    size = dict(title=shown(title) or t("Gram matrix"), rows=g.shape[0], cols=g.shape[1])
    if c < g.shape[0]:
        ax.set_title(t("{title}\n({rows}×{cols}; first {count} channels)", count=c, **size), fontsize=12)
    else:
        ax.set_title(t("{title}\n({rows}×{cols})", **size), fontsize=12)
    ax.set_xlabel(t("channel"))
    ax.set_ylabel(t("channel"))
    fig.colorbar(im, ax=ax)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def show_feature_maps(activations, *, channels=6, width=2.0, path=None):
    """A few channels of each layer: ``activations`` maps layer names to ``[1, h, w, C]``."""
    plt = _plt()
    names = list(activations)
    fig, axes = plt.subplots(len(names), channels, figsize=(width * channels, width * len(names)),
                             squeeze=False)
    for row, name in enumerate(names):
        act = np.asarray(activations[name])[0]
        # The most active channels show the most structure.
        order = np.argsort(act.reshape(-1, act.shape[-1]).mean(0))[::-1][:channels]
        for col, ch in enumerate(order):
            ax = axes[row, col]
            ax.imshow(act[:, :, ch], cmap="viridis")
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(t("ch {channel}", channel=ch), fontsize=9)
            if col == 0:
                ax.set_ylabel(f"{shown(name)}\n{act.shape[0]}×{act.shape[1]}×{act.shape[2]}", fontsize=10)
    fig.tight_layout()
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def field_map(*, path=None):
    """A diagram of where style transfer went after Gatys et al.: per-image optimisation (2015),
    feed-forward networks per style (Johnson et al., Ulyanov et al., 2016), instance
    normalisation (Ulyanov et al., 2016), arbitrary styles in one pass with AdaIN (Huang &
    Belongie, 2017). The speeds are the papers' own orders of magnitude, not measured here."""
    plt = _plt()
    from matplotlib.patches import FancyBboxPatch

    fig, ax = plt.subplots(figsize=(13, 4.2), layout="constrained")
    ax.set_xlim(0, 13)
    ax.set_ylim(0, 4.2)
    ax.axis("off")
    boxes = [
        (0.2, N_("Gatys et al. 2015/16"), N_("optimise the pixels\nof every picture\n(this series)"),
         N_("any style · minutes per image"), "#4C72B0"),
        (3.4, N_("Johnson et al. 2016\nUlyanov et al. 2016"), N_("train a network per style\non the same losses,\nthen one forward pass"),
         N_("one style · milliseconds"), "#55A868"),
        (6.6, N_("Ulyanov et al. 2016"), N_("instance normalisation:\nnormalise each image's\nfeatures on their own"),
         N_("better feed-forward quality"), "#C44E52"),
        (9.8, "Huang & Belongie 2017", N_("AdaIN: give the photo's\nfeatures the painting's\nmean and std, decode"),
         N_("any style · one pass"), "#8172B2"),
    ]
    for x, who, what, speed, colour in boxes:
        ax.add_patch(FancyBboxPatch((x, 0.5), 2.9, 3.2, boxstyle="round,pad=0.05", fc=colour, alpha=0.15,
                                    ec=colour, lw=2))
        ax.text(x + 1.45, 3.35, shown(who), ha="center", va="center", fontsize=12, weight="bold")
        ax.text(x + 1.45, 2.15, shown(what), ha="center", va="center", fontsize=11)
        ax.text(x + 1.45, 0.85, shown(speed), ha="center", va="center", fontsize=11, style="italic", color=colour)
    for x in (3.1, 6.3, 9.5):
        ax.annotate("", xy=(x + 0.3, 2.1), xytext=(x, 2.1), arrowprops=dict(arrowstyle="->", lw=2))
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def layer_shares(shares, *, path=None):
    """Bar charts of each style layer's share of the style loss (left) and of its gradient (right),
    one bar group per layer and one colour per weighting: ``shares`` maps a label to
    ``{layer: (loss share, gradient share)}`` (see ``experiments.style_layer_shares``)."""
    plt = _plt()
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
    labels = list(shares)
    layers = list(next(iter(shares.values())))
    x = np.arange(len(layers))
    width = 0.8 / len(labels)
    for col, (ax, what) in enumerate(zip(axes, (N_("share of the style loss"), N_("share of its gradient")))):
        for j, label in enumerate(labels):
            values = [shares[label][k][col] for k in layers]
            bars = ax.bar(x + (j - (len(labels) - 1) / 2) * width, values, width, label=shown(label))
            # per bar, two significant digits (0.97, not 1e+00), rotated so neighbouring labels do not overlap
            ax.bar_label(bars, labels=[f"{v:.2f}" if v >= 0.01 else f"{v:.0e}" for v in values],
                         fontsize=9, rotation=90, padding=2)
        ax.set_xticks(x, [k.replace("block", "conv").replace("_conv", "_") for k in layers], fontsize=11)
        ax.set_yscale("log")
        ax.set_ylim(top=ax.get_ylim()[1] * 10)  # room for the (vertical) labels on the tallest bars
        ax.set_title(t(what), fontsize=13)
        ax.grid(alpha=0.3, axis="y")
    # Outside the axes: inside, the legend covered a bar and its label.
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=len(labels),
               fontsize=12)
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def _pad(text, width, right=False):
    """``text`` padded with spaces to ``width`` columns of a monospaced font, where a Hangul
    syllable takes two (so a Korean table header lines up with its numbers)."""
    import unicodedata

    columns = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    space = " " * max(0, width - columns)
    return space + text if right else text + space


def gram_statistics(stats, *, path=None):
    """Bar charts of each style layer's mean activation (left, linear axis) and its Gram matrix's
    mean square beside the mean activation to the 4th power (right, log axis), for the first
    picture of ``stats`` (see ``experiments.gram_statistics``); a table of every picture is printed."""
    plt = _plt()
    names = list(stats)
    layers = list(stats[names[0]])
    short = [k.replace("block", "conv").replace("_conv", "_") for k in layers]
    print(_pad(t("picture"), 18) + _pad(t("layer"), 9) + _pad(t("mean activation"), 16, right=True)
          + f"{'> 0':>7}{'mean(G²)':>11}{'mean⁴':>11}")
    for name in names:
        for k, label in zip(layers, short):
            s = stats[name][k]
            print(f"{name:<18}{label:<9}{s['mean']:>16.3g}{s['positive']:>7.0%}{s['gram_ms']:>11.2g}"
                  f"{s['mean'] ** 4:>11.2g}")
    first = stats[names[0]]
    x = np.arange(len(layers))
    fig, axes = plt.subplots(1, 2, figsize=(12, 3.8), layout="constrained")
    bars = axes[0].bar(x, [first[k]["mean"] for k in layers], color="tab:blue")
    axes[0].bar_label(bars, fmt="%.0f", fontsize=10)
    axes[0].set_title(t("mean activation ({layer})", layer=names[0]), fontsize=13)
    for j, (what, values) in enumerate((("mean(G²)", [first[k]["gram_ms"] for k in layers]),
                                        (N_("mean activation⁴"), [first[k]["mean"] ** 4 for k in layers]))):
        axes[1].bar(x + (j - 0.5) * 0.4, values, 0.4, label=t(what))
    axes[1].set_title(t("mean(G²) follows mean activation⁴"), fontsize=13)
    axes[1].legend(fontsize=11)
    # Linear on the left: the activations span only a few tens-fold, and bar heights on a log
    # axis do not compare; the right panel's values span about 10⁵, which only a log axis shows.
    axes[1].set_yscale("log")
    for ax in axes:
        ax.set_xticks(x, short, fontsize=11)
        ax.grid(alpha=0.3, axis="y")
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def high_pass(image):
    """``[1, H, W, 3]`` → the horizontal and vertical neighbour differences ``x[:, 1:] − x[:, :-1]``
    and ``x[1:] − x[:-1]`` (each ``[H', W', 3]``, in [−1, 1]), as the TensorFlow tutorial shows them."""
    x = np.asarray(image, np.float32)[0]
    return x[:, 1:] - x[:, :-1], x[1:] - x[:-1]


#: :func:`detail`'s fixed high-pass scale: a neighbour difference d is drawn as 0.5 + DETAIL_GAIN·d
#: (grey = no change), the same for every panel, so the panels can be compared with each other.
DETAIL_GAIN = 2.0


def detail(pairs, *, crop=0.3, width=3.4, numbers=False, path=None):
    """Zoomed crops and high-pass images of labelled pictures, one column each: the centre
    ``crop`` fraction of each side (top row), then its horizontal and vertical neighbour
    differences d shown as ``0.5 + DETAIL_GAIN·d`` (one fixed scale for every panel: grey = no
    change, |d| ≥ 0.25 saturates; the rows below). ``pairs``: ``(label, [1, H, W, 3] image or
    anything with ``.image``)``. Pixel-scale speckle, invisible at display size, is the
    salt-and-pepper texture of the high-pass rows. ``numbers=True`` adds each whole picture's
    :func:`~nst_helpers.measures.roughness_parts` (all, brightness, colour) to its title."""
    from .measures import roughness_parts

    plt = _plt()
    fig, axes = plt.subplots(3, len(pairs), figsize=(width * len(pairs), width * (2.55 if numbers else 2.4)),
                             squeeze=False, layout="constrained")
    for col, (label, item) in enumerate(pairs):
        x = np.asarray(getattr(item, "image", item), np.float32)
        h, w = x.shape[1:3]
        ch, cw = max(8, int(h * crop)), max(8, int(w * crop))
        top, left = (h - ch) // 2, (w - cw) // 2
        part = x[:, top:top + ch, left:left + cw]
        dx, dy = high_pass(part)
        title = shown(label)
        if numbers:
            r = roughness_parts(x)
            title += "\n" + t("roughness {all}\nbrightness {brightness} · colour {colour}",
                               **{k: f"{v:.3f}" for k, v in r.items()})
        for row, (what, im) in enumerate(((t("zoomed centre"), part[0]),
                                          (t("horizontal differences"), 0.5 + DETAIL_GAIN * dx),
                                          (t("vertical differences"), 0.5 + DETAIL_GAIN * dy))):
            ax = axes[row][col]
            ax.imshow(np.clip(im, 0, 1), interpolation="nearest")
            ax.set_title(f"{title}\n{what}" if row == 0 else what, fontsize=13)
            ax.axis("off")
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


#: The pipeline diagram's boxes: gid → (x, y, width, height, text, colour), in data units of
#: a 21 × 7.4 canvas. One table, so the test can read the drawing back against it.
PIPELINE_BOXES = {
    "image": (0.1, 2.5, 2.6, 1.7, N_("image x\n(its pixels\nare the variables)"), "#4C72B0"),
    "vgg": (3.3, 1.6, 2.3, 3.5, N_("VGG19\n(frozen)"), "#555555"),
    "content": (6.4, 3.8, 2.9, 1.4, N_("content features\nblock5_conv2"), "#55A868"),
    "style": (6.4, 1.5, 2.9, 1.4, N_("style features\nblock1_conv1 …\nblock5_conv1"), "#C44E52"),
    "gram": (10.0, 1.5, 2.3, 1.4, N_("Gram matrices\nG = FᵀF / HW"), "#C44E52"),
    "loss": (12.9, 2.45, 3.3, 1.8, N_("loss L = α·content\n+ β·style + γ·TV"), "#8172B2"),
    "gradient": (16.8, 2.65, 1.9, 1.4, N_("gradient\n∂L/∂x"), "#8172B2"),
    "update": (19.0, 2.65, 1.9, 1.4, N_("update x"), "#4C72B0"),
    "photo": (6.4, 5.8, 2.9, 1.2, N_("photo p\n(content target)"), "#55A868"),
    "painting": (10.0, 5.8, 2.9, 1.2, N_("painting a\n(style target)"), "#C44E52"),
}

#: Its arrows, (from, to): the forward pass, the targets, and the loop back to the image.
PIPELINE_ARROWS = (("image", "vgg"), ("vgg", "content"), ("vgg", "style"), ("style", "gram"),
                   ("content", "loss"), ("gram", "loss"), ("photo", "loss"), ("painting", "loss"),
                   ("loss", "gradient"), ("gradient", "update"), ("update", "image"))


def pipeline_diagram(*, path=None):
    """The whole method in one picture: the image x goes through the frozen VGG19; its content
    features (``block5_conv2``) and the Gram matrices of its style features are compared with
    the photo's and the painting's; the weighted loss's gradient with respect to the *pixels*
    updates x, and the loop repeats. Each box and arrow carries a ``gid`` (its name in
    :data:`PIPELINE_BOXES`, ``"from->to"`` for an arrow) so a test can read the drawing back."""
    plt = _plt()
    from matplotlib.colors import to_rgb
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    fig, ax = plt.subplots(figsize=(16, 6.2), layout="constrained")
    ax.set_xlim(0, 21)
    ax.set_ylim(-0.2, 7.2)
    ax.axis("off")
    for gid, (x, y, w, h, text, colour) in PIPELINE_BOXES.items():
        fill = (*to_rgb(colour), 0.15)  # a pale fill under a full-strength edge
        ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0.05", fc=fill, ec=colour, lw=2.5, gid=gid))
        ax.text(x + w / 2, y + h / 2, shown(text), ha="center", va="center", fontsize=15,
                weight="bold" if gid in ("vgg", "loss") else "normal")

    def edge(gid, towards):
        """The middle of the side of box ``gid`` that faces the point ``towards``."""
        x, y, w, h = PIPELINE_BOXES[gid][:4]
        cx, cy = x + w / 2, y + h / 2
        dx, dy = towards[0] - cx, towards[1] - cy
        if abs(dx) * h >= abs(dy) * w:
            return (x + w if dx > 0 else x, cy)
        return (cx, y + h if dy > 0 else y)

    def centre(gid):
        x, y, w, h = PIPELINE_BOXES[gid][:4]
        return x + w / 2, y + h / 2

    for a, b in PIPELINE_ARROWS:
        target = (a in ("photo", "painting"))  # the targets are computed once: dashed
        if (a, b) == ("update", "image"):
            # The loop: down from "update", along the bottom, up into the image.
            start, end = (centre(a)[0], PIPELINE_BOXES[a][1]), (centre(b)[0], PIPELINE_BOXES[b][1])
            style = "arc,angleA=-90,angleB=-90,armA=120,armB=120,rad=25"
        elif target:
            # Into the loss box's top, beside the content arrow rather than on it.
            x, y, w, h = PIPELINE_BOXES[b][:4]
            start, end = (centre(a)[0], PIPELINE_BOXES[a][1]), (x + w * (0.3 if a == "photo" else 0.7), y + h)
            style = "arc3"
        else:
            start, end = edge(a, centre(b)), edge(b, centre(a))
            style = "arc3"
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=28, lw=2.5,
                                     linestyle="--" if target else "-", connectionstyle=style,
                                     color="#333333", gid=f"{a}->{b}"))
    ax.text(10.5, 0.4, t("repeat: move x downhill, against ∂L/∂x (gradient descent, Adam or L-BFGS); only the pixels change"),
            ha="center", va="center", fontsize=15, style="italic")
    ax.text(13.2, 6.4, shown(N_("targets: through the same\nVGG19, computed once")), ha="left", va="center", fontsize=13,
            color="#333333")
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


def optimizer_race(pairs, *, width=4.2, path=None):
    """The pictures of ``(label, Result)`` pairs side by side and their total losses against the
    step on one log axis (a race of optimisers on one budget: see
    :func:`~nst_helpers.experiments.adam_vs_lbfgs`); the titles give each run's loss evaluations."""
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
    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig
