"""Figures of measurements: each style layer's share of the loss, Gram statistics as a table,
and enlarged crops that show fine detail (with its roughness)."""

import numpy as np

from ...language import N_, shown, t
from ...language import pad as _pad
from .grids import _finish, _plt


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
    return _finish(fig, path)


#: Figure text names a bundled painting by its title, not by its file identifier (A7 of issue 31).
PAINTING_TITLES = {"starry_night": N_("The Starry Night"), "hubble": N_("Hubble")}


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
    axes[0].set_title(t("mean activation ({layer})", layer=t(PAINTING_TITLES.get(names[0], names[0]))), fontsize=13)
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
    return _finish(fig, path)


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
    :func:`~nst_helpers.method.measures.roughness_parts` (all, brightness, colour) to its title."""
    from ...method.measures import roughness_parts

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
    return _finish(fig, path)


#: The pipeline diagram's boxes: gid → (x, y, width, height, text, colour), in data units of
#: a 21 × 7.4 canvas. One table, so the test can read the drawing back against it.
