"""Interactive explorers: sliders for layers and loss weights, live previews, a compare view.

Three explorers share one machinery (:class:`Explorer`):

* :class:`TransferExplorer` — content layer, style layers and their weights, α, β, γ (log
  sliders, ratio shown), size, steps, optimiser;
* :class:`ContentExplorer` — which layer a photograph is reconstructed from;
* :class:`StyleExplorer` — how many style layers a texture is synthesised from.

Run works in a background thread: the preview image and the loss curve update every few steps
while the controls stay responsive, and Stop ends the run with the partial image kept. Each
finished result is cached per setting, so returning to a setting shows it at once. Pin keeps
a result to compare side by side with the next one.

Threads: the worker owns only the run in progress (its preview frames and live loss curve).
The explorer's state — the shown ``(result, settings)`` pair, the cache and ``error`` — is
changed only on the caller's (UI) thread: the worker hands each outcome over through a queue,
and every entry point (``result``, ``error``, ``wait``, ``run``, Run, Pin, a control change)
applies what is waiting first. So a result is never paired with another run's settings, and a
failed run never leaves an older result looking new.

Two ways to run (``mode=``): ``"thread"`` (a background thread; JupyterLab, Notebook 7, VS Code)
and ``"main"``: the run happens on the kernel's main thread, inside the Run click's handler,
sending each preview while the kernel is busy with that click, and processing pending widget
messages between steps (``jupyter-ui-poll``) so that Stop still works. Colab needs ``"main"``:
it never delivers widget updates sent from a background thread after the click's handler has
returned (googlecolab/colabtools#3373). ``"auto"`` (the default) picks ``"main"`` on Colab and
``"thread"`` elsewhere; ``NST_EXPLORER_MODE`` overrides it.

Without a widget front end (a terminal, nbval) the same objects work in code:
``ex.set(size=64); result = ex.run()`` blocks and returns the :class:`~nst_helpers.Result`.
"""

import io
import os
import queue
import sys
import threading
import time

import ipywidgets as W
import numpy as np

from . import config, defaults, features, optimize
from .images import to_uint8
from .plotting import loss_series

PREVIEW_EVERY = 5
MODES = ("auto", "thread", "main")


def on_colab():
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


def resolve_mode(mode="auto"):
    """``"auto"`` → ``"main"`` on Colab, else ``"thread"`` (``NST_EXPLORER_MODE`` overrides auto)."""
    if mode == "auto":
        mode = os.environ.get("NST_EXPLORER_MODE", "").strip().lower() or ("main" if on_colab() else "thread")
    if mode not in MODES[1:]:
        from .errors import ArgumentError

        raise ArgumentError(f"mode must be one of {MODES}, not {mode!r}")
    return mode


def png_bytes(image, min_width=256):
    """``[1, H, W, 3]`` in [0, 1] → PNG bytes, enlarged (bicubic) to at least ``min_width`` pixels."""
    from PIL import Image

    img = Image.fromarray(to_uint8(image))
    if img.width < min_width:
        img = img.resize((min_width, round(img.height * min_width / img.width)), Image.BICUBIC)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _loss_png(history):
    # A bare Figure renders through its own Agg canvas: pyplot and the notebook's backend are
    # never touched (matplotlib.use() from a worker thread would switch the notebook's backend).
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4.2, 2.6), dpi=80)
    ax = fig.add_subplot()
    for key, color in (("total", "k"), ("content", "C0"), ("style", "C1"), ("tv", "C2")):
        values = loss_series(history.get(key, []))
        if values.size and np.any(values > 0):
            ax.plot(values, color=color, label=key)
    ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


class Explorer:
    """Shared machinery: controls → settings → cached, stoppable, previewed runs.

    Subclasses define ``_controls()`` (a dict of named widgets), ``_compute(settings,
    callback)`` (returns a Result) and optionally ``_describe(settings)``.
    """

    title = "Explorer"
    auto_show_cached = True

    def __init__(self, *, preview_every=PREVIEW_EVERY, warm_up=True, mode="auto"):
        self.preview_every = preview_every
        self.mode = resolve_mode(mode)
        self._busy = False  # a main-thread run is in progress
        self.controls = self._controls()
        # UI-thread state (see the module docstring): only _apply_handover and the entry
        # points write these.
        self.cache = {}
        self._current = (None, None)  # (result, settings): shown together, replaced together
        self._error = None
        self.pinned = None
        # Worker state: the run in progress.
        self.frames = 0  # preview frames shown in the current run
        self.first_frame_seconds = None
        self._thread = None
        self._stop = threading.Event()
        self._handover = queue.SimpleQueue()

        self.run_button = W.Button(description="Run", button_style="primary", icon="play")
        self.stop_button = W.Button(description="Stop", button_style="danger", icon="stop", disabled=True)
        self.pin_button = W.Button(description="Pin for comparison", icon="thumb-tack", disabled=True)
        self.preview = W.Image(format="png", layout=W.Layout(width="384px"))
        self.loss_plot = W.Image(format="png", layout=W.Layout(width="336px"))
        self.status = W.HTML("Set the controls, then press <b>Run</b>.")
        self.compare = W.HBox([])
        self.run_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.pin_button.on_click(lambda _: self.pin())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = W.VBox([
            W.HTML(f"<h3 style='margin:0'>{self.title}</h3>"),
            W.HBox([W.VBox(list(self.controls.values()) + self._extras(), layout=W.Layout(width="420px")),
                    W.VBox([self.preview, self.loss_plot])]),
            W.HBox([self.run_button, self.stop_button, self.pin_button]),
            self.status,
            self.compare,
        ])
        if warm_up:
            self._warm_up()

    # ---- what subclasses provide -------------------------------------------------------
    def _controls(self):
        raise NotImplementedError

    def _compute(self, settings, callback):
        raise NotImplementedError

    def _describe(self, settings):
        return ", ".join(f"{k}={v}" for k, v in settings.items())

    def _extras(self):
        """Read-only widgets shown under the controls."""
        return []

    def _warm_up(self):
        """Compile the loss for the default settings now, so the first Run previews quickly."""
        try:
            settings = self.settings()
            self._compute({**settings, "steps": 1}, None)
        except Exception:  # noqa: BLE001 - warm-up is an optimisation; Run reports real errors
            pass

    # ---- settings ----------------------------------------------------------------------
    def settings(self):
        """The current control values as a dict (the cache key is built from it)."""
        return {name: (tuple(c.value) if isinstance(c.value, (list, tuple)) else c.value)
                for name, c in self.controls.items()}

    def set(self, **values):
        """Set controls by name, e.g. ``ex.set(size=64, steps=10)``."""
        for name, value in values.items():
            if name not in self.controls:
                raise KeyError(f"no control {name!r}; controls: {', '.join(self.controls)}")
            self.controls[name].value = value

    @staticmethod
    def _key(settings):
        return tuple(sorted((k, repr(v)) for k, v in settings.items()))

    # ---- state owned by the UI thread -------------------------------------------------------
    def _apply_handover(self):
        """Apply finished runs handed over by the worker (called on the UI thread only)."""
        while True:
            try:
                settings, result, error = self._handover.get_nowait()
            except queue.Empty:
                return
            if error is not None:
                self._error, self._current = error, (None, settings)
                continue
            self._error, self._current = None, (result, settings)
            if not result.interrupted:
                self.cache[self._key(settings)] = result

    @property
    def result(self):
        """The result on show (None before the first run, and after a failed run)."""
        self._apply_handover()
        return self._current[0]

    @property
    def error(self):
        """The exception of the last run if it failed, else None."""
        self._apply_handover()
        return self._error

    def _on_change(self, change):
        self._apply_handover()
        if self.running:
            return  # the change applies to the next Run
        settings = self.settings()
        cached = self.cache.get(self._key(settings))
        if cached is not None and self.auto_show_cached:
            self._show(cached, settings, note="from cache")
        else:
            self.status.value = "Settings changed: press <b>Run</b>."

    # ---- running -----------------------------------------------------------------------
    @property
    def running(self):
        return self._busy or (self._thread is not None and self._thread.is_alive())

    def start(self):
        """What the Run button does: show a cached result at once, or start a background run."""
        self._apply_handover()
        if self.running:
            return
        settings = self.settings()
        cached = self.cache.get(self._key(settings))
        if cached is not None:
            self._show(cached, settings, note="from cache")
            return
        self._stop.clear()
        self._live = {}
        self.frames = 0
        self.first_frame_seconds = None
        self._t_start = time.perf_counter()
        self.run_button.disabled, self.stop_button.disabled = True, False
        self.status.value = f"Running: {self._describe(settings)} …"
        # Decided once per run: whether a Stop click can reach it (see can_poll_ui).
        stoppable = self.mode == "thread" or can_poll_ui()
        self._stop_hint = "press Stop to keep this" if stoppable else "interrupt the kernel (■) to keep this"
        if self.mode == "main" and _has_frontend() and not stoppable:
            self.status.value += " (this kernel cannot take a Stop click during the run: use ■ to interrupt)"
        if self.mode == "main":
            self._run_on_main_thread(settings)
            return
        self._thread = threading.Thread(target=self._worker, args=(settings,), daemon=True)
        self._thread.start()

    def _run_on_main_thread(self, settings):
        """Run here, inside the caller (the Run click's handler), keeping the page informed:
        every preview is sent while the kernel is busy with the click, and between steps the
        pending front-end messages (a Stop click, a slider) are processed."""
        poll, close = _ui_poller()
        callback = self._callback

        def polling_callback(step, image, terms):
            stop = callback(step, image, terms)
            poll()
            return stop or self._stop.is_set()

        self._busy = True
        self._callback = polling_callback
        try:
            self._worker(settings)
        finally:
            self._callback = callback
            self._busy = False
            close()
        self._apply_handover()

    def stop(self):
        """What the Stop button does: end the run after the current step, keeping its image."""
        self._stop.set()

    def wait(self, timeout=None):
        """Block until the current run ends (for code and tests). Returns its result, or None
        when it failed (``error`` holds the exception) or is still running after ``timeout``."""
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                return None
        self._apply_handover()
        return None if self._error is not None else self._current[0]

    def run(self, **values):
        """Set controls, run to the end (blocking), and return the Result; a failed run raises."""
        self.set(**values)
        self.start()
        result = self.wait()
        if self._error is not None:
            raise self._error
        if not _has_frontend():
            print(self._summary())
        return result

    def _callback(self, step, image, terms):
        """Called after every step of a run: a preview frame now and then, Stop at once."""
        for key, value in terms.items():
            self._live.setdefault(key, []).append(value)
        if step == 1 or step % self.preview_every == 0:
            if self.first_frame_seconds is None:
                self.first_frame_seconds = time.perf_counter() - self._t_start
            self.frames += 1
            self.preview.value = png_bytes(image)
            self.loss_plot.value = _loss_png(self._live)
            self.status.value = (f"step {step}: loss {terms.get('total', float('nan')):.4g} "
                                 f"({time.perf_counter() - self._t_start:.1f} s) — {self._stop_hint}")
        return self._stop.is_set()

    def _worker(self, settings):
        result = error = None
        try:
            result = self._compute(settings, self._callback)
            _render(result)
        except Exception as exc:  # noqa: BLE001 - shown in the widget, never a lost kernel
            error = exc
        # Display first (widget values only), then hand the state over to the UI thread.
        if error is None:
            self._display(result, settings, "stopped early" if result.interrupted else
                          f"{result.seconds:.1f} s — {result.why}")
        else:
            self.status.value = f"<span style='color:#b00'>Error: {type(error).__name__}: {error}</span>"
        self._handover.put((settings, result, error))
        self.run_button.disabled, self.stop_button.disabled = False, True

    def _show(self, result, settings, note=""):
        """Show a result and make it the current one (UI thread)."""
        self._error, self._current = None, (result, settings)
        self._display(result, settings, note)

    def _display(self, result, settings, note):
        """Put a result on the widgets: preview, loss plot, status, compare view."""
        self.preview.value, self.loss_plot.value = _render(result)
        self.pin_button.disabled = False
        loss = f"final loss {result.loss:.4g}" if result.history["total"] else "no step finished"
        self.status.value = f"<b>{note}</b> — {self._describe(settings)}; {loss}"
        if self.pinned is not None:
            self._render_compare(result, settings)

    # ---- compare -----------------------------------------------------------------------
    def pin(self):
        """Keep the current result; later results are shown beside it."""
        self._apply_handover()
        if self._current[0] is None:
            return
        self.pinned = self._current
        self._render_compare(*self._current)

    def _render_compare(self, current, current_settings):
        boxes = []
        for label, (result, settings) in (("pinned", self.pinned), ("current", (current, current_settings))):
            boxes.append(W.VBox([
                W.HTML(f"<b>{label}</b>"),
                W.Image(value=_render(result)[0], format="png", layout=W.Layout(width="320px")),
                W.HTML(f"<small>{self._describe(settings)}<br>loss {result.loss:.4g}, "
                       f"{result.steps} steps, {result.seconds:.1f} s</small>",
                       layout=W.Layout(width="320px")),
            ]))
        self.compare.children = boxes

    # ---- display -----------------------------------------------------------------------
    def _summary(self):
        if self.result is None:
            return f"{self.title}: not run yet. Settings: {self._describe(self.settings())}"
        return f"{self.title}: {self.result!r} — {self._describe(self.settings())}"

    def __repr__(self):
        return self._summary()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def can_poll_ui():
    """True when pending widget messages can be processed while the kernel is busy.

    ``jupyter-ui-poll`` does it through the kernel's ``do_one_iteration``, which ipykernel 6 has
    (Colab runs 6.17) and ipykernel 7.4 no longer has: there, Stop cannot reach a main-thread run,
    but the kernel's interrupt button (■, Ctrl-C) ends it with its partial image kept.
    """
    try:
        from IPython import get_ipython

        kernel = getattr(get_ipython(), "kernel", None)
        import jupyter_ui_poll  # noqa: F401
    except ImportError:
        return False
    return kernel is not None and hasattr(kernel, "do_one_iteration")


def _ui_poller():
    """``(poll, close)``: ``poll()`` processes pending widget messages from the page while a cell or
    a click handler keeps the kernel busy; ``close()`` hands the kernel back. No-ops without a
    widget front end or where :func:`can_poll_ui` is False."""
    if not _has_frontend() or not can_poll_ui():
        return (lambda: None), (lambda: None)
    from jupyter_ui_poll import ui_events

    events = ui_events()
    poll_n = events.__enter__()

    def close():
        events.__exit__(None, None, None)
        # jupyter-ui-poll holds back cell executions that arrive meanwhile and replays them when
        # a *cell* ends (post_run_cell); a click handler is not a cell, so hand back here.
        from jupyter_ui_poll._poll import KernelWrapper

        if KernelWrapper._current is events:
            events._post_run_cell()

    return (lambda: poll_n(20)), close


def _render(result):
    """The result's preview and loss-plot PNGs, rendered once per result (so the cache is instant)."""
    if not hasattr(result, "_pngs"):
        result._pngs = (png_bytes(result.image), _loss_png(result.history))
    return result._pngs


def _has_frontend():
    try:
        from IPython import get_ipython

        shell = get_ipython()
        # Jupyter's shell is ZMQInteractiveShell; Colab's is a subclass with another name.
        return shell is not None and any(c.__name__ == "ZMQInteractiveShell" for c in type(shell).__mro__)
    except ImportError:
        return False


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
            raise ValueError("the explorer blends at most two paintings")
        self._styles = [_as_image(s) for s in styles]
        super().__init__(**kwargs)

    def _controls(self):
        wide = _wide()
        controls = {
            "content_layer": W.Dropdown(options=features.CONV_LAYERS, value=defaults.CONTENT_LAYERS[0],
                                        description="content layer", **wide),
            "style_layers": W.SelectMultiple(options=features.STYLE_LAYERS, value=features.STYLE_LAYERS,
                                             rows=5, description="style layers", **wide),
            "content_weight": _log_slider("content α", defaults.CONTENT_WEIGHT, -2, 8),
            "style_weight": _log_slider("style β", defaults.STYLE_WEIGHT, -6, 4),
            "tv_weight": _log_slider("variation γ", defaults.TV_WEIGHT, -2, 4),
        }
        for name in features.STYLE_LAYERS:
            controls[f"w_{name}"] = W.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1,
                                                  description=f"weight {name[:6]}",
                                                  continuous_update=False, **wide)
        controls["size"] = W.IntSlider(value=config.pick(256, 96, demo=160), min=64, max=512, step=32,
                                       description="size (px)", continuous_update=False, **wide)
        controls["steps"] = W.IntSlider(value=config.pick(60, 10, demo=30), min=1, max=500,
                                        description="steps", continuous_update=False, **wide)
        controls["optimizer"] = W.ToggleButtons(options=optimize.OPTIMIZERS, value="lbfgs",
                                                description="optimiser", style={"button_width": "80px"})
        controls["init"] = W.ToggleButtons(options=defaults.INITS, value=defaults.INITS[0],
                                           description="start from",
                                           tooltips=["the photo in the painting's colours", "the photo",
                                                     "white noise"], style={"button_width": "80px"})
        controls["preserve_colour"] = W.Dropdown(
            options=[("no (the painting's colours)", None), ("luminance only", "luminance"),
                     ("match the painting's colours", "histogram")],
            value=None, description="photo's colours", **wide)
        if len(self._styles) == 2:
            controls["blend"] = W.FloatSlider(value=0.5, min=0.0, max=1.0, step=0.1,
                                              description="blend (1 = first)",
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
        self.ratio.value = f"α/β = {c / s:.1e}" if s else "β = 0: no style"

    def _describe(self, s):
        layers = ",".join(n[:6] for n in s["style_layers"])
        return (f"content {s['content_layer']}, style [{layers}], α={s['content_weight']:.0e}, "
                f"β={s['style_weight']:.0e}, γ={s['tv_weight']:.0e}, {s['size']} px, "
                f"{s['steps']} {s['optimizer']} steps from {s['init']}"
                + (f", colours kept ({s['preserve_colour']})" if s["preserve_colour"] else "")
                + (f", blend {s['blend']:.1f}/{1 - s['blend']:.1f}" if "blend" in s else ""))

    def _compute(self, s, callback):
        if not s["style_layers"]:
            raise ValueError("choose at least one style layer")
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
                                description="size (px)", continuous_update=False, **_wide()),
            "steps": W.IntSlider(value=config.pick(100, 10, demo=60), min=1, max=500, description="steps",
                                 continuous_update=False, **_wide()),
        }


class ContentExplorer(_OneImageExplorer):
    """Reconstruct a photograph from one layer's activations; the slider picks the layer."""

    title = "Content reconstruction explorer"

    def _own_controls(self):
        return {"layer": W.SelectionSlider(options=features.CONV_LAYERS, value="block4_conv2",
                                           description="layer", continuous_update=False, **_wide())}

    def _describe(self, s):
        return f"layer {s['layer']}, {s['size']} px, {s['steps']} L-BFGS steps"

    def _compute(self, s, callback):
        return optimize.reconstruct_content(self._image, s["layer"], steps=s["steps"], size=s["size"],
                                            callback=callback, every=1 if callback else 10,
                                            progress=False)


class StyleExplorer(_OneImageExplorer):
    """Synthesise a painting's texture from the first n style layers; the slider picks n."""

    title = "Style reconstruction explorer"

    def _own_controls(self):
        return {"layers": W.IntSlider(value=3, min=1, max=5, description="style layers",
                                      continuous_update=False, **_wide())}

    def _describe(self, s):
        names = features.STYLE_LAYERS[: s["layers"]]
        return f"{' + '.join(n[:6] for n in names)}, {s['size']} px, {s['steps']} L-BFGS steps"

    def _compute(self, s, callback):
        return optimize.reconstruct_style(self._image, features.STYLE_LAYERS[: s["layers"]],
                                          steps=s["steps"], size=s["size"], callback=callback,
                                          every=1 if callback else 10, progress=False)


# ---- the student's own picture ---------------------------------------------------------------

def uploaded_files(value):
    """``FileUpload.value`` → ``[(name, bytes)]`` for ipywidgets 7 (a dict ``{name: {"content":
    bytes, "metadata": …}}``) and 8 (a tuple of dicts with ``"name"`` and ``"content"``, a
    memoryview)."""
    if isinstance(value, dict):  # ipywidgets 7
        return [(name, bytes(item["content"])) for name, item in value.items()]
    return [(item["name"], bytes(item["content"])) for item in value or ()]


class ImagePicker:
    """An upload button for your own picture, with the bundled one as the default.

    ``picker = ImagePicker("cincinnati_bridge", max_dim=256)``; display it, upload a file, and
    ``picker.image`` is your picture (``[1, H, W, 3]`` in [0, 1]); until then, and whenever an
    upload cannot be used (not a picture, truncated, absurdly large, …: the status line says why),
    it is the bundled one, so notebooks run unattended. On Colab, ``picker.from_colab()`` opens
    Colab's own upload dialog instead.
    """

    def __init__(self, default, *, max_dim=None, label="your picture"):
        from .images import load_image

        self.max_dim = max_dim
        self.default_name = default
        self.image = load_image(default, max_dim=max_dim)
        self.source = f"bundled: {default}"
        self.upload = W.FileUpload(accept="image/*", multiple=False, description=f"Upload {label}")
        self.preview = W.Image(value=png_bytes(self.image, min_width=192), format="png",
                               layout=W.Layout(width="192px"))
        self.status = W.HTML(f"Using the bundled <b>{default}</b>; upload {label} to use it instead.")
        self.upload.observe(lambda change: self._use(uploaded_files(change["new"])), names="value")
        self.widget = W.HBox([self.preview, W.VBox([self.upload, self.status])])

    def _use(self, files):
        if not files:
            return
        import tempfile
        from pathlib import Path

        from .errors import NSTError
        from .images import load_image

        name, data = files[-1]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(name).name
            path.write_bytes(data)
            try:
                image = load_image(path, max_dim=self.max_dim)
            except NSTError as exc:
                self.status.value = (f"<span style='color:#b00'>{name}: {str(exc).replace(str(path), name)}</span>"
                                     f"<br>Still using <b>{self.source}</b>.")
                return
        self.image, self.source = image, f"uploaded: {name}"
        self.preview.value = png_bytes(image, min_width=192)
        self.status.value = (f"Using <b>{name}</b> ({image.shape[2]}×{image.shape[1]} px). "
                             "Run the cells below again to use it.")

    def from_colab(self):
        """Colab's upload dialog (blocks until you choose a file); elsewhere, says to use the button."""
        if not on_colab():
            print("Not on Colab: use the Upload button above.")
            return self.image
        from google.colab import files

        self._use(list(files.upload().items()))
        return self.image

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
