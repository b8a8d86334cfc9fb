"""Interactive explorers: sliders for layers and loss weights, live previews, a compare view.

* :class:`TransferExplorer` — content layer, style layers and their weights, α, β, γ (log
  sliders, ratio shown), size, steps, optimiser, start image, the photo's colours, a blend of two
  paintings;
* :class:`ContentExplorer` — which layer a photograph is reconstructed from;
* :class:`StyleExplorer` — how many style layers a texture is synthesised from;
* :class:`MaskExplorer` — two paintings in two regions of a photo, the mask drawn with sliders
  (edge height, slant, softness) and shown over the photo as it changes;
* :class:`ScaleExplorer` — Gatys et al. 2017's scale control: which painting gives the coarse
  (deep) style layers, which the fine (shallow) ones, and where the split lies;
* :class:`ImagePicker` — an upload button for the student's own picture (:mod:`nst_helpers.explorers.upload`).

Run works while the controls stay responsive: the preview image and the loss curve update every
few steps, and Stop ends the run with the partial image kept. Each finished result is cached per
setting, so returning to a setting shows it at once. Pin keeps a result to compare side by side
with the next one. Each explorer here only says which controls it has and what a run computes;
the shared view is :class:`~nst_helpers.explorers.explorer.Explorer`, the run machinery
:class:`~nst_helpers.explorers.jobs.JobQueue`, and what the front end allows (Colab, VS Code, …)
:mod:`nst_helpers.explorers.frontend`.
"""

import ipywidgets as W

from ..errors import ArgumentError
from ..language import N_, language, t
from ..machine import config
from ..method import defaults, features, tasks
from ..teaching.plotting import png_bytes
from .explorer import MODES, PREVIEW_EVERY, Explorer, resolve_mode
from .frontend import can_poll_ui, has_frontend, on_colab, on_vscode
from .upload import ImagePicker, uploaded_files

#: The starts the transfer explorer offers, one tooltip each below (``"uniform"`` is for notebook
#: 2's lesson on reconstructions, not a start anyone would pick for a transfer).
EXPLORER_INITS = defaults.INITS[:3]
#: The start buttons' words in a translation (B-2 of issue 31's second review): the English buttons
#: show the code values the English text names (init="content"), but the Korean "색 맞춤 / 콘텐츠"
#: read as the colour dropdown's recolouring and the figure word; these say what the start *is*.
_INIT_BUTTONS = {"colour": N_("recoloured photo"), "content": N_("photo"), "noise": N_("noise")}


def _init_label(init):
    """A start button's label: the code value in English, else the start in words."""
    return init if language() == "en" else t(_INIT_BUTTONS[init])

__all__ = ["MODES", "PREVIEW_EVERY", "ContentExplorer", "Explorer", "ImagePicker", "MaskExplorer",
           "ScaleExplorer", "StyleExplorer", "TransferExplorer", "can_poll_ui", "has_frontend", "on_colab", "on_vscode", "png_bytes",
           "resolve_mode", "uploaded_files"]


def _wide():
    return {"style": {"description_width": "120px"}, "layout": W.Layout(width="400px")}


def _as_image(image):
    from ..images import load_image

    return load_image(image) if isinstance(image, str) else image


def _size_and_steps():
    """The transfer explorers' size and step sliders, starting at the mode's values (full, fast,
    demo): one definition, so every explorer offers the same range."""
    wide = _wide()
    return {"size": W.IntSlider(value=config.pick(256, 96, demo=160), min=64, max=512, step=32,
                                description=t("size (px)"), continuous_update=False, **wide),
            "steps": W.IntSlider(value=config.pick(60, 10, demo=30), min=1, max=500,
                                 description=t("steps"), continuous_update=False, **wide)}


def _log_slider(description, value, lo, hi):
    return W.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.25, description=description,
                            continuous_update=False, readout_format=".1e",
                            style={"description_width": "120px"}, layout=W.Layout(width="400px"))


def _keep_drawn(controls, names, draw):
    """Call ``draw()`` now and whenever one of the ``controls`` called ``names`` changes (a line of
    text beside the sliders that must always describe their current values)."""
    for name in names:
        controls[name].observe(lambda _: draw(), names="value")
    draw()


class TransferExplorer(Explorer):
    """Style transfer with every knob: layers, per-layer style weights, α, β, γ, size, steps, the
    start image and the photo's colours. Given two paintings (``style=[a, b]``), a blend slider
    sets how much of each (1 = only the first)."""

    title = N_("Style transfer explorer")

    def __init__(self, content, style, **kwargs):
        self._content = _as_image(content)
        styles = list(style) if isinstance(style, (list, tuple)) else [style]
        if len(styles) > 2:
            raise ArgumentError(f"the explorer blends at most two paintings, not {len(styles)}: pass one or two styles")
        self._styles = [_as_image(s) for s in styles]
        super().__init__(**kwargs)

    def _controls(self):
        wide = _wide()
        controls = {
            "content_layer": W.Dropdown(options=features.CONV_LAYERS, value=defaults.CONTENT_LAYERS[0],
                                        description=t("content layer"), **wide),
            "style_layers": W.SelectMultiple(options=features.STYLE_LAYERS, value=features.STYLE_LAYERS,
                                             rows=5, description=t("style layers"), **wide),
            "content_weight": _log_slider(t("content α"), defaults.CONTENT_WEIGHT, -2, 8),
            "style_weight": _log_slider(t("style β"), defaults.STYLE_WEIGHT, -6, 4),
            "tv_weight": _log_slider(t("variation γ"), defaults.TV_WEIGHT, -2, 4),
        }
        for name in features.STYLE_LAYERS:
            controls[f"w_{name}"] = W.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1,
                                                  description=t("weight {layer}", layer=name[:6]),
                                                  continuous_update=False, **wide)
        controls.update(_size_and_steps())
        controls["optimizer"] = W.ToggleButtons(options=[(defaults.OPTIMIZER_NAMES[o], o) for o in tasks.OPTIMIZERS],
                                                value="lbfgs",
                                                description=t("optimiser"), style={"button_width": "80px"})
        controls["init"] = W.ToggleButtons(options=[(_init_label(i), i) for i in EXPLORER_INITS],
                                           value=EXPLORER_INITS[0],
                                           description=t("start from"),
                                           tooltips=[t("the photo in the painting's colours"), t("the photo"),
                                                     t("white noise")], style={"button_width": "110px"})
        controls["preserve_colour"] = W.Dropdown(
            options=[(t("no (the painting's colours)"), None), (t("luminance only"), "luminance"),
                     (t("recolour the painting to the photo's colours"), "histogram")],
            value=None, description=t("photo's colours"), **wide)
        if len(self._styles) == 2:
            controls["blend"] = W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.1,
                                              description=t("blend (1 = first)"),
                                              continuous_update=False, **wide)
        return controls

    def _extras(self):
        self.ratio = W.HTML()
        _keep_drawn(self.controls, ("content_weight", "style_weight"), self._update_ratio)
        return [self.ratio]

    def _update_ratio(self):
        c, s = self.controls["content_weight"].value, self.controls["style_weight"].value
        self.ratio.value = f"α/β = {c / s:.1e}" if s else t("β = 0: no style")

    def _describe(self, s):
        layers = ",".join(n[:6] for n in s["style_layers"])
        return (t("content {layer}, style [{layers}], α={alpha}, β={beta}, γ={gamma}, {size} px, "
                  "{steps} {optimizer} steps from {start}", layer=s["content_layer"], layers=layers,
                  alpha=f"{s['content_weight']:.0e}", beta=f"{s['style_weight']:.0e}",
                  gamma=f"{s['tv_weight']:.0e}", size=s["size"], steps=s["steps"], optimizer=defaults.OPTIMIZER_NAMES[s["optimizer"]],
                  start=t(s["init"]))
                + (t(", colours kept ({how})", how=s["preserve_colour"]) if s["preserve_colour"] else "")
                + (t(", blend {first}/{second}", first=f"{s['blend']:.1f}", second=f"{1 - s['blend']:.1f}")
                   if "blend" in s else ""))

    def _compute(self, s, callback):
        if not s["style_layers"]:
            raise ArgumentError("no style layer is ticked: tick at least one style layer")
        blend = dict(style_blend=[s["blend"], 1.0 - s["blend"]]) if "blend" in s else {}
        return tasks.transfer(
            self._content, self._styles if blend else self._styles[0], **blend,
            init=s["init"], preserve_colour=s["preserve_colour"], content_layers=(s["content_layer"],),
            style_layers=s["style_layers"],
            style_layer_weights={n: s[f"w_{n}"] for n in s["style_layers"]},
            content_weight=s["content_weight"], style_weight=s["style_weight"],
            tv_weight=s["tv_weight"], steps=s["steps"], optimizer=s["optimizer"], size=s["size"],
            callback=callback, every=1 if callback else 10, progress=False)


class _OneImageExplorer(Explorer):
    """An explorer of one picture, with a size and a steps slider after its own controls."""

    def __init__(self, image, **kwargs):
        self._image = _as_image(image)
        super().__init__(**kwargs)

    def _own_controls(self):
        raise NotImplementedError

    def _controls(self):
        return {
            **self._own_controls(),
            "size": W.IntSlider(value=config.pick(192, 64, demo=128), min=64, max=384, step=32,
                                description=t("size (px)"), continuous_update=False, **_wide()),
            "steps": W.IntSlider(value=config.pick(100, 10, demo=60), min=1, max=500, description=t("steps"),
                                 continuous_update=False, **_wide()),
        }


class ContentExplorer(_OneImageExplorer):
    """Reconstruct a photograph from one layer's activations; the slider picks the layer."""

    title = N_("Content reconstruction explorer")

    def _own_controls(self):
        return {"layer": W.SelectionSlider(options=features.CONV_LAYERS, value="block4_conv2",
                                           description=t("layer"), continuous_update=False, **_wide())}

    def _describe(self, s):
        return t("layer {layer}, {size} px, {steps} L-BFGS steps", layer=s["layer"], size=s["size"],
                 steps=s["steps"])

    def _compute(self, s, callback):
        return tasks.reconstruct_content(self._image, s["layer"], steps=s["steps"], size=s["size"],
                                            callback=callback, every=1 if callback else 10,
                                            progress=False)


class StyleExplorer(_OneImageExplorer):
    """Synthesise a painting's texture from the first n style layers; the slider picks n."""

    title = N_("Style reconstruction explorer")

    def _own_controls(self):
        return {"layers": W.IntSlider(value=3, min=1, max=5, description=t("style layers"),
                                      continuous_update=False, **_wide())}

    def _describe(self, s):
        names = features.STYLE_LAYERS[: s["layers"]]
        return t("{layers}, {size} px, {steps} L-BFGS steps", layers=" + ".join(n[:6] for n in names),
                 size=s["size"], steps=s["steps"])

    def _compute(self, s, callback):
        return tasks.reconstruct_style(self._image, features.STYLE_LAYERS[: s["layers"]],
                                          steps=s["steps"], size=s["size"], callback=callback,
                                          every=1 if callback else 10, progress=False)


#: A painting's region must cover at least this share of the photo: the mask is area-averaged
#: down to 1/16 of the size at conv5_1, so a thinner strip leaves that layer a few cells to match.
MIN_REGION = 0.05


def _short(layer):
    """``"block2_conv1"`` → ``"conv2_1"`` (the papers' names)."""
    return f"conv{layer[5]}_{layer[-1]}"


def _two_styles(style, names, what):
    styles = list(style) if isinstance(style, (list, tuple)) else [style]
    if len(styles) != 2:
        raise ArgumentError(f"the {what} needs two paintings, style=[a, b], not {len(styles)}")
    names = [t(n) for n in names] if names else [t("painting A"), t("painting B")]  # English names read in Korean too
    if len(names) != 2:
        raise ArgumentError(f"names: one per painting, two in all, not {len(names)}")
    return [_as_image(s) for s in styles], names


class MaskExplorer(Explorer):
    """Two paintings in two regions of your photo (Gatys et al. 2017, guided Gram matrices), with
    the mask drawn here: a straight edge whose height, slant and softness are sliders, shown at once
    over the photo (orange: the first painting's region, blue: the second's). Run does the masked
    transfer, ``nst.transfer(photo, [a, b], masks=[m, 1 − m])``; ``explorer.mask()`` is the mask."""

    title = N_("Mask explorer")

    def __init__(self, content, style, *, names=None, height=None, **kwargs):
        from ..teaching import control

        self._content = _as_image(content)
        self._styles, self.names = _two_styles(style, names, "mask explorer")
        # The edge starts where sky_mask finds the horizon (a fraction of the height).
        self._start = (float((control.sky_mask(self._content)[:, 0] > 0.5).mean())
                       if height is None else float(height))
        super().__init__(**kwargs)

    def _controls(self):
        wide = _wide()
        slider = dict(continuous_update=False, readout_format=".2f", **wide)
        return {
            "height": W.FloatSlider(value=round(min(max(self._start, 0.0), 1.0), 2), min=0.0, max=1.0,
                                    step=0.01, description=t("edge height"), **slider),
            "slant": W.FloatSlider(value=0.0, min=-1.0, max=1.0, step=0.05, description=t("edge slant"), **slider),
            "softness": W.FloatSlider(value=0.04, min=0.0, max=0.3, step=0.01, description=t("edge softness"),
                                      **slider),
            "above": W.ToggleButtons(options=[(self.names[0], 0), (self.names[1], 1)], value=0,
                                     description=t("above the edge"), style={"button_width": "130px"}),
            **_size_and_steps(),
        }

    def _extras(self):
        self.mask_preview = W.Image(format="png", layout=W.Layout(width="320px"))
        self.mask_preview.add_class("nst-mask-preview")
        self.mask_legend = W.HTML()
        for name in ("height", "slant", "softness", "above"):
            self.controls[name].observe(lambda _: self._draw_mask(), names="value")
        self._draw_mask()
        return [self.mask_preview, self.mask_legend]

    def mask(self, settings=None):
        """The first painting's mask ``[H, W]`` at the photo's size for ``settings`` (default: the
        controls'); the second painting gets ``1 − mask``."""
        from ..teaching import control

        s = settings or self.settings()
        above = control.edge_mask(self._content, s["height"], s["slant"], s["softness"])
        return above if s["above"] == 0 else 1.0 - above

    def _draw_mask(self):
        """Redrawn on every change of the mask's controls (the kernel's main thread, in the change's
        own handler: Colab shows it)."""
        from ..teaching import control

        mask = self.mask()
        self.mask_preview.value = png_bytes(control.mask_overlay(self._content, mask), min_width=320)
        share = float(mask.mean())
        self.mask_legend.value = t("<span style='color:#d60'>■</span> {a}: {share_a} of the photo · "
                                   "<span style='color:#08f'>■</span> {b}: {share_b}",
                                   a=self.names[0], b=self.names[1], share_a=f"{share:.0%}",
                                   share_b=f"{1 - share:.0%}")

    def _describe(self, s):
        top, bottom = (self.names if s["above"] == 0 else self.names[::-1])
        return t("{top} above, {bottom} below an edge at {height} (slant {slant}, softness {softness}), "
                 "{size} px, {steps} L-BFGS steps", top=top, bottom=bottom, height=f"{s['height']:.2f}",
                 slant=f"{s['slant']:+.2f}", softness=f"{s['softness']:.2f}", size=s["size"], steps=s["steps"])

    def _compute(self, s, callback):
        mask = self.mask(s)
        share = float(mask.mean())
        for name, part in ((self.names[0], share), (self.names[1], 1.0 - share)):
            if part < MIN_REGION:
                raise ArgumentError(
                    f"{name} gets {part:.1%} of the photo, too little to match a painting in (the deep "
                    f"layers see the mask at 1/16 of the size): move the edge height towards the "
                    f"middle or reduce the slant until each painting has at least {MIN_REGION:.0%}")
        return tasks.transfer(self._content, self._styles, masks=[mask, 1.0 - mask], init="content",
                                 size=s["size"], steps=s["steps"], callback=callback,
                                 every=1 if callback else 10, progress=False)


class ScaleExplorer(Explorer):
    """Gatys et al. 2017's scale control: one painting's Gram matrices at the deep style layers
    (large patches: the coarse structure) and the other's at the shallow ones (small patches: the
    fine texture). The controls choose which painting is coarse, where the split lies, and whether
    the layers' terms are balanced (``style_layer_weights="balanced"``) or equal."""

    title = N_("Scale control explorer")

    def __init__(self, content, style, *, names=None, **kwargs):
        self._content = _as_image(content)
        self._styles, self.names = _two_styles(style, names, "scale explorer")
        super().__init__(**kwargs)

    def _controls(self):
        wide = _wide()
        return {
            "coarse": W.ToggleButtons(options=[(self.names[0], 0), (self.names[1], 1)], value=0,
                                      description=t("coarse from"), style={"button_width": "130px"}),
            "fine_until": W.SelectionSlider(options=[(_short(n), n) for n in features.STYLE_LAYERS[:-1]],
                                            value=features.STYLE_LAYERS[1], description=t("fine: conv1_1 to"),
                                            continuous_update=False, **wide),
            "layer_weights": W.ToggleButtons(options=[(t("balanced"), "balanced"), (t("equal"), "equal")],
                                             value="balanced", description=t("layer weights"),
                                             style={"button_width": "100px"}),
            **_size_and_steps(),
        }

    def _extras(self):
        self.layer_table = W.HTML()
        _keep_drawn(self.controls, ("coarse", "fine_until"), self._draw_table)
        return [self.layer_table]

    def blend(self, settings=None):
        """The per-layer ``style_blend`` of ``settings`` (default: the controls')."""
        from ..teaching import control

        s = settings or self.settings()
        return control.scale_blend(s["coarse"], s["fine_until"])

    def _draw_table(self):
        """Which painting each style layer matches, redrawn on every change (main thread)."""
        cells = "".join(
            f"<td style='padding:0 6px'>{_short(k)}<br>"
            f"<b>{self.names[0] if b[0] else self.names[1]}</b></td>" for k, b in self.blend().items())
        matches = t("each style layer matches:")
        self.layer_table.value = (f"<small>{matches}</small>"
                                  f"<table style='text-align:center'><tr>{cells}</tr></table>")

    def _describe(self, s):
        fine = self.names[1 - s["coarse"]]
        weights = t("balanced layer weights") if s["layer_weights"] == "balanced" else t("equal layer weights")
        return t("coarse {coarse}, fine {fine} up to {until}, {weights}, {size} px, {steps} L-BFGS steps",
                 coarse=self.names[s["coarse"]], fine=fine, until=_short(s["fine_until"]), weights=weights,
                 size=s["size"], steps=s["steps"])

    def _compute(self, s, callback):
        weights = "balanced" if s["layer_weights"] == "balanced" else None
        return tasks.transfer(self._content, self._styles, style_blend=self.blend(s),
                                 style_layer_weights=weights, init="content", size=s["size"],
                                 steps=s["steps"], callback=callback, every=1 if callback else 10,
                                 progress=False)
