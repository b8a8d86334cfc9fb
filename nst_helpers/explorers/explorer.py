"""The explorers' shared view: controls, Run / Stop / Pin, a live preview, a loss curve, a compare view.

:class:`Explorer` lays the widgets out and draws on them; the runs themselves belong to a
:class:`~nst_helpers.explorers.jobs.JobQueue` (start, stop, hand-over, cache), and what the front end allows
during a run is asked of :mod:`nst_helpers.explorers.frontend`. A subclass provides ``_controls()`` (named
widgets), ``_compute(settings, callback)`` (returns a Result) and, optionally, ``_describe``.

Two ways to run (``mode=``): ``"thread"`` (a background thread; JupyterLab, Notebook 7, VS Code)
and ``"main"``: the run happens on the kernel's main thread, inside the Run click's handler,
sending each preview while the kernel is busy with that click, and processing pending widget
messages between steps so that Stop still works. Colab needs ``"main"``: it never delivers widget
updates sent from a background thread after the click's handler has returned
(googlecolab/colabtools#3373). ``"auto"`` (the default) picks ``"main"`` on Colab and ``"thread"``
elsewhere; ``NST_EXPLORER_MODE`` overrides it. Where a front end cannot deliver a Stop click to a
busy kernel (VS Code's notebooks, ipykernel 7), a main-thread run goes to its end and shows its
result; the status line says so and the kernel's interrupt button (■) still ends it.

Without a widget front end (a terminal, nbval) the same objects work in code:
``ex.set(size=64); result = ex.run()`` blocks and returns the :class:`~nst_helpers.Result`.
"""

import os
import time

import ipywidgets as W

from ..errors import ArgumentError
from ..language import N_, t
from ..teaching.plotting import loss_png, png_bytes
from . import frontend
from .jobs import JobQueue, Outcome

PREVIEW_EVERY = 5
MODES = ("auto", "thread", "main")


def resolve_mode(mode="auto"):
    """``"auto"`` → ``"main"`` on Colab, else ``"thread"`` (``NST_EXPLORER_MODE`` overrides auto)."""
    if mode == "auto":
        chosen = os.environ.get("NST_EXPLORER_MODE", "").strip().lower()
        mode = chosen or ("main" if frontend.on_colab() else "thread")
    if mode not in MODES[1:]:

        raise ArgumentError(f"mode must be one of {MODES}, not {mode!r}")
    return mode


class Explorer:
    """Controls → settings → cached, stoppable, previewed runs (see the module docstring)."""

    title = N_("Explorer")

    def __init__(self, *, preview_every=PREVIEW_EVERY, warm_up=True, mode="auto"):
        self.preview_every = preview_every
        self.mode = resolve_mode(mode)
        self.controls = self._controls()
        # A lambda, not the bound method, so that a replaced _compute (tests) is the one called.
        self.runner = JobQueue(lambda settings, callback: self._compute(settings, callback),
                             on_step=self._on_step, on_finish=self._on_finish)
        self.pinned = None  # an Outcome kept for comparison
        self.frames = 0  # preview frames shown in the current run
        self.first_frame_seconds = None
        self.poller = None  # the frontend.Poller of the current or last main-thread run

        self.run_button = W.Button(description=t("Run"), button_style="primary", icon="play")
        self.stop_button = W.Button(description=t("Stop"), button_style="danger", icon="stop", disabled=True)
        self.pin_button = W.Button(description=t("Pin for comparison"), icon="thumb-tack", disabled=True)
        self.preview = W.Image(format="png", layout=W.Layout(width="384px"))
        self.preview.add_class("nst-preview")  # CSS classes: what the browser tests find
        self.loss_plot = W.Image(format="png", layout=W.Layout(width="336px"))
        self.status = W.HTML(t("Set the controls, then press <b>Run</b>."))
        self.compare = W.HBox([])
        self.run_button.on_click(lambda _: self.start())
        self.stop_button.on_click(lambda _: self.stop())
        self.pin_button.on_click(lambda _: self.pin())
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = W.VBox([
            W.HTML(f"<h3 style='margin:0'>{t(self.title)}</h3>"),
            W.HBox([W.VBox(list(self.controls.values()) + self._extras(), layout=W.Layout(width="420px")),
                    W.VBox([self.preview, self.loss_plot])]),
            W.HBox([self.run_button, self.stop_button, self.pin_button]),
            self.status,
            self.compare,
        ])
        self.widget.add_class("nst-explorer")
        self.widget.add_class(f"nst-{type(self).__name__.lower()}")
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
            self._compute({**self.settings(), "steps": 1}, None)
        except Exception:  # noqa: BLE001 - warm-up is an optimisation; Run reports real errors
            pass

    # ---- settings and state ------------------------------------------------------------
    def settings(self):
        """The current control values as a dict (the cache key is built from it)."""
        return {name: (tuple(c.value) if isinstance(c.value, (list, tuple)) else c.value)
                for name, c in self.controls.items()}

    def set(self, **values):
        """Set controls by name, e.g. ``ex.set(size=64, steps=10)``."""
        for name, value in values.items():
            if name not in self.controls:
                raise ArgumentError(f"no control {name!r}: use one of {', '.join(self.controls)}")
            self.controls[name].value = value

    @property
    def result(self):
        """The result on show (None before the first run, and after a failed run)."""
        return self.runner.result

    @property
    def error(self):
        """The exception of the last run if it failed, else None."""
        return self.runner.error

    @property
    def running(self):
        return self.runner.running

    def _on_change(self, change):
        if self.running:
            return  # the change applies to the next Run
        cached = self.runner.cached(self.settings())
        if cached is not None:
            self._show(cached, t("from cache"))
        else:
            self.status.value = t("Settings changed: press <b>Run</b>.")

    # ---- Run, Stop, Pin ----------------------------------------------------------------
    def start(self):
        """What the Run button does: show a cached result at once, or start a run."""
        if self.running:
            return
        settings = self.settings()
        cached = self.runner.cached(settings)
        if cached is not None:
            self._show(cached, t("from cache"))
            return
        self.frames, self.first_frame_seconds = 0, None
        self.poller = frontend.ui_poller() if self.mode == "main" else None
        self.run_button.disabled, self.stop_button.disabled = True, not self._stoppable()
        self.status.value = t("Running: {settings} …", settings=self._describe(settings))
        if self.poller is None:
            self.runner.start(settings)
            return
        try:
            self.runner.start(settings, here=True, poll=self.poller.poll)
        finally:
            self.poller.close()
            # Also after an interrupt (■) that ended the run before it could say so.
            self.run_button.disabled, self.stop_button.disabled = False, True

    def _stoppable(self):
        return self.poller is None or self.poller.live

    def stop(self):
        """What the Stop button does: end the run after the current step, keeping its image."""
        self.runner.stop()

    def wait(self, timeout=None):
        """Block until the current run ends (for code and tests). Returns its result, or None
        when it failed (``error`` holds the exception) or is still running after ``timeout``."""
        return self.runner.wait(timeout)

    def run(self, **values):
        """Set controls, run to the end (blocking), and return the Result; a failed run raises."""
        self.set(**values)
        self.start()
        result = self.wait()
        if self.error is not None:
            raise self.error
        if not frontend.has_frontend():
            print(self._summary())
        return result

    def pin(self):
        """Keep the current result; later results are shown beside it."""
        current = self.runner.current
        if current is None or current.result is None:
            return
        self.pinned = current
        self._render_compare(current)

    # ---- drawing (from the running thread during a run) ----------------------------------
    def _on_step(self, step, image, terms):
        """A preview frame now and then."""
        if step != 1 and step % self.preview_every:
            return
        seconds = time.perf_counter() - self.runner.started_at
        if self.first_frame_seconds is None:
            self.first_frame_seconds = seconds
        self.frames += 1
        self.preview.value = png_bytes(image)
        self.loss_plot.value = loss_png(self.runner.terms)
        if self._stoppable():
            hint = t("press Stop to keep this")
        else:  # also when polling broke during this run
            self.stop_button.disabled = True
            hint = t("Stop cannot reach this run ({why}): it runs to the end; the kernel's interrupt (■) "
                     "ends it now", why=self.poller.why_not)
        self.status.value = t("step {step}: loss {loss} ({seconds} s) — {hint}", step=step,
                              loss=f"{terms.get('total', float('nan')):.4g}", seconds=f"{seconds:.1f}", hint=hint)

    def _on_finish(self, settings, result, error):
        """Show how the run ended; returns the result's PNGs, kept with it by the runner."""
        self.run_button.disabled, self.stop_button.disabled = False, True
        if error is not None:
            self.status.value = ("<span style='color:#b00'>"
                                 + t("Error: {kind}: {error}", kind=type(error).__name__, error=error) + "</span>")
            return None
        rendering = (png_bytes(result.image), loss_png(result.history))
        note = (t("stopped early") if result.interrupted
                else t("{seconds} s — {why}", seconds=f"{result.seconds:.1f}", why=result.why))
        self._display(Outcome(settings, result, None, rendering), note)
        return rendering

    def _show(self, outcome, note):
        self.runner.show(outcome)
        self._display(outcome, note)

    def _display(self, outcome, note):
        result = outcome.result
        self.preview.value, self.loss_plot.value = outcome.rendering
        self.pin_button.disabled = False
        loss = t("final loss {loss}", loss=f"{result.loss:.4g}") if result.history["total"] else t("no step finished")
        then = t("; ")  # Korean: ", " (C-7 of issue 31's second review)
        self.status.value = f"<b>{note}</b> — {self._describe(outcome.settings)}{then}{loss}"
        if self.pinned is not None:
            self._render_compare(outcome)

    def _render_compare(self, current):
        boxes = []
        for label, outcome in ((N_("pinned"), self.pinned), (N_("current"), current)):
            result = outcome.result
            boxes.append(W.VBox([
                W.HTML(f"<b>{t(label)}</b>"),
                W.Image(value=outcome.rendering[0], format="png", layout=W.Layout(width="320px")),
                W.HTML(f"<small>{self._describe(outcome.settings)}<br>"
                       + t("loss {loss}, {steps} steps, {seconds} s", loss=f"{result.loss:.4g}", steps=result.steps,
                           seconds=f"{result.seconds:.1f}") + "</small>",
                       layout=W.Layout(width="320px")),
            ]))
        self.compare.children = boxes

    def _summary(self):
        if self.result is None:
            return t("{title}: not run yet. Settings: {settings}", title=t(self.title),
                     settings=self._describe(self.settings()))
        return f"{t(self.title)}: {self.result!r} — {self._describe(self.settings())}"

    def __repr__(self):
        return self._summary()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)
