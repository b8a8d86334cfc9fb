"""Drawn diagrams: the receptive fields (field map) and the pipeline from image to losses."""

from ...language import N_, language, shown, t
from .grids import _finish, _plt


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
    return _finish(fig, path)


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
            # Hangul has no italic face: a slanted Korean caption would mix slanted Latin with upright Hangul.
            ha="center", va="center", fontsize=15, style="italic" if language() == "en" else "normal")
    ax.text(13.2, 6.4, shown(N_("targets: through the same\nVGG19, computed once")), ha="left", va="center", fontsize=13,
            color="#333333")
    return _finish(fig, path)
