"""Interactive explorers: sliders for layers and loss weights, live previews, a compare view.

* :class:`TransferExplorer` — content layer, style layers and their weights, α, β, γ (log
  sliders, ratio shown), size, steps, optimiser, start image, the photo's colours, a blend of two
  paintings;
* :class:`ContentExplorer` — which layer a photograph is reconstructed from;
* :class:`StyleExplorer` — how many style layers a texture is synthesised from;
* :class:`ImagePicker` — an upload button for the student's own picture (:mod:`nst_helpers.upload`).

Run works while the controls stay responsive: the preview image and the loss curve update every
few steps, and Stop ends the run with the partial image kept. Each finished result is cached per
setting, so returning to a setting shows it at once. Pin keeps a result to compare side by side
with the next one. Each explorer here only says which controls it has and what a run computes;
the shared view is :class:`~nst_helpers.explorer.Explorer`, the run machinery
:class:`~nst_helpers.runner.Runner`, and what the front end allows (Colab, VS Code, …)
:mod:`nst_helpers.frontend`.
"""

import ipywidgets as W

from . import config, defaults, features, optimize
from .errors import ArgumentError
from .explorer import MODES, PREVIEW_EVERY, Explorer, resolve_mode
from .frontend import can_poll_ui, has_frontend, on_colab, on_vscode
from .language import t
from .plotting import png_bytes
from .upload import ImagePicker, uploaded_files

#: The starts the transfer explorer offers, one tooltip each below (``"uniform"`` is for notebook
#: 2's lesson on reconstructions, not a start anyone would pick for a transfer).
EXPLORER_INITS = defaults.INITS[:3]

__all__ = ["MODES", "PREVIEW_EVERY", "ContentExplorer", "Explorer", "ImagePicker", "StyleExplorer",
           "TransferExplorer", "can_poll_ui", "has_frontend", "on_colab", "on_vscode", "png_bytes",
           "resolve_mode", "uploaded_files"]


def _wide():
    return {"style": {"description_width": "120px"}, "layout": W.Layout(width="400px")}


def _as_image(image):
    from .images import load_image

    return load_image(image) if isinstance(image, str) else image


def _log_slider(description, value, lo, hi):
    return W.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.25, description=description,
                            continuous_update=False, readout_format=".1e",
                            style={"description_width": "120px"}, layout=W.Layout(width="400px"))


class TransferExplorer(Explorer):
    """Style transfer with every knob: layers, per-layer style weights, α, β, γ, size, steps, the
    start image and the photo's colours. Given two paintings (``style=[a, b]``), a blend slider
    sets how much of each (1 = only the first)."""

    title = "Style transfer explorer"

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
        controls["size"] = W.IntSlider(value=config.pick(256, 96, demo=160), min=64, max=512, step=32,
                                       description=t("size (px)"), continuous_update=False, **wide)
        controls["steps"] = W.IntSlider(value=config.pick(60, 10, demo=30), min=1, max=500,
                                        description=t("steps"), continuous_update=False, **wide)
        controls["optimizer"] = W.ToggleButtons(options=optimize.OPTIMIZERS, value="lbfgs",
                                                description=t("optimiser"), style={"button_width": "80px"})
        controls["init"] = W.ToggleButtons(options=[(t(i), i) for i in EXPLORER_INITS],
                                           value=EXPLORER_INITS[0],
                                           description=t("start from"),
                                           tooltips=[t("the photo in the painting's colours"), t("the photo"),
                                                     t("white noise")], style={"button_width": "80px"})
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
        for name in ("content_weight", "style_weight"):
            self.controls[name].observe(lambda _: self._update_ratio(), names="value")
        self._update_ratio()
        return [self.ratio]

    def _update_ratio(self):
        c, s = self.controls["content_weight"].value, self.controls["style_weight"].value
        self.ratio.value = f"α/β = {c / s:.1e}" if s else t("β = 0: no style")

    def _describe(self, s):
        layers = ",".join(n[:6] for n in s["style_layers"])
        return (t("content {layer}, style [{layers}], α={alpha}, β={beta}, γ={gamma}, {size} px, "
                  "{steps} {optimizer} steps from {start}", layer=s["content_layer"], layers=layers,
                  alpha=f"{s['content_weight']:.0e}", beta=f"{s['style_weight']:.0e}",
                  gamma=f"{s['tv_weight']:.0e}", size=s["size"], steps=s["steps"], optimizer=s["optimizer"],
                  start=t(s["init"]))
                + (t(", colours kept ({how})", how=s["preserve_colour"]) if s["preserve_colour"] else "")
                + (t(", blend {first}/{second}", first=f"{s['blend']:.1f}", second=f"{1 - s['blend']:.1f}")
                   if "blend" in s else ""))

    def _compute(self, s, callback):
        if not s["style_layers"]:
            raise ArgumentError("no style layer is ticked: tick at least one style layer")
        blend = dict(style_blend=[s["blend"], 1.0 - s["blend"]]) if "blend" in s else {}
        return optimize.transfer(
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

    title = "Content reconstruction explorer"

    def _own_controls(self):
        return {"layer": W.SelectionSlider(options=features.CONV_LAYERS, value="block4_conv2",
                                           description=t("layer"), continuous_update=False, **_wide())}

    def _describe(self, s):
        return t("layer {layer}, {size} px, {steps} L-BFGS steps", layer=s["layer"], size=s["size"],
                 steps=s["steps"])

    def _compute(self, s, callback):
        return optimize.reconstruct_content(self._image, s["layer"], steps=s["steps"], size=s["size"],
                                            callback=callback, every=1 if callback else 10,
                                            progress=False)


class StyleExplorer(_OneImageExplorer):
    """Synthesise a painting's texture from the first n style layers; the slider picks n."""

    title = "Style reconstruction explorer"

    def _own_controls(self):
        return {"layers": W.IntSlider(value=3, min=1, max=5, description=t("style layers"),
                                      continuous_update=False, **_wide())}

    def _describe(self, s):
        names = features.STYLE_LAYERS[: s["layers"]]
        return t("{layers}, {size} px, {steps} L-BFGS steps", layers=" + ".join(n[:6] for n in names),
                 size=s["size"], steps=s["steps"])

    def _compute(self, s, callback):
        return optimize.reconstruct_style(self._image, features.STYLE_LAYERS[: s["layers"]],
                                          steps=s["steps"], size=s["size"], callback=callback,
                                          every=1 if callback else 10, progress=False)
