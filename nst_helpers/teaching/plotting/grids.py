"""Labelled image grids, film strips, Gram-matrix heat maps and feature maps; PNG bytes for the
explorers (never through pyplot)."""

import io

import numpy as np

from ...errors import ArgumentError
from ...images import to_uint8
from ...language import shown, t, use_hangul_font


def _plt():
    import matplotlib.pyplot as plt

    use_hangul_font()  # NST_LANG=ko: Korean figure text needs a font with Hangul
    return plt


def _finish(fig, path=None):
    """Save ``fig`` to ``path`` (if given) as every figure of the series is saved, show it, return it."""
    import matplotlib.pyplot as plt  # the figure's font was chosen when it was made (_plt)

    if path:
        fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.show()
    return fig


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
    return _finish(fig, path)


def film_strip(frames, *, ncols=None, width=2.6, path=None):
    """Images in time order, titled by step: ``frames`` is a list of ``(step, image)``; one row
    unless ``ncols`` is given (fewer columns wrap into rows: larger panels on a projector)."""
    return show_images([im for _, im in frames], [t("step {step}", step=s) for s, _ in frames],
                       ncols=ncols or len(frames), width=width, path=path)


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
    return _finish(fig, path)


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
    return _finish(fig, path)
