"""The series' experiments as functions, so notebooks and ``make gallery`` run the same code.

Each function returns a list of ``(label, Result)`` pairs in display order; pass them to
:func:`show` for a labelled side-by-side figure.
"""

from . import defaults, features, optimize, plotting

#: Gatys et al., Fig. 1: one layer per block, the second conv of each.
CONTENT_SERIES = ("block1_conv2", "block2_conv2", "block3_conv2", "block4_conv2", "block5_conv2")


def content_series(image, layers=CONTENT_SERIES, **kwargs):
    """Reconstruct ``image`` from white noise through each layer in turn (same seed, same steps)."""
    return [(layer, optimize.reconstruct_content(image, layer, **kwargs)) for layer in layers]


def style_series(image, depth=5, **kwargs):
    """Textures from ``block1_conv1``, then ``+block2_conv1``, … up to ``depth`` style layers."""
    out = []
    for n in range(1, depth + 1):
        layers = features.STYLE_LAYERS[:n]
        label = "conv1_1" if n == 1 else f"conv1_1 … conv{n}_1"
        out.append((label, optimize.reconstruct_style(image, layers, **kwargs)))
    return out


def content_layer_comparison(content, style, layers=("block5_conv2", "block2_conv1"), **kwargs):
    """The same transfer with different content layers (deep keeps layout; shallow keeps pixels)."""
    return [(f"content {layer}", optimize.transfer(content, style, content_layers=(layer,), **kwargs))
            for layer in layers]


def style_depth_comparison(content, style, depths=(5, 4, 3), **kwargs):
    """The same transfer with the first 5, 4 and 3 style layers (fewer layers, less style)."""
    return [(f"style layers 1–{n}", optimize.transfer(content, style,
                                                      style_layers=features.STYLE_LAYERS[:n], **kwargs))
            for n in depths]


def ratio_grid(content, style, ratios=(1e3, 1e5, 1e6, 1e7), content_weight=defaults.CONTENT_WEIGHT, **kwargs):
    """Transfers with content/style weight ratios α/β (Gatys et al., Fig. 3); α stays fixed.

    Starts from the photo itself (``init="content"``) unless told otherwise, so that a large
    ratio visibly gives the photo back (the faster colour-matched start would keep the
    painting's colours even where the content term wins).
    """
    kwargs.setdefault("init", "content")
    return [(f"α/β = {ratio:.0e}", optimize.transfer(content, style, content_weight=content_weight,
                                                      style_weight=content_weight / ratio, **kwargs))
            for ratio in ratios]


def show(pairs, *, title=None, ncols=None, width=3.6, path=None):
    """Side-by-side figure of ``(label, Result or image)`` pairs; results say steps and seconds."""
    def caption(label, r):
        return f"{label}\n{r.steps} steps, {r.seconds:.0f} s" if isinstance(r, optimize.Result) else label

    return plotting.show_images([r.image if isinstance(r, optimize.Result) else r for _, r in pairs],
                                [caption(label, r) for label, r in pairs], ncols=ncols, width=width,
                                suptitle=title, path=path)
